"""A measure's figures for job centres and the region, combined from the municipalities.

* **Counts** add up: a job centre's figure is the sum of its municipalities', the
  region's the sum of its job centres'.
* **Shares** are never summed. A share is combined as the average of the areas'
  shares weighted by the measure it is a share of (its ``weight`` in
  ``measures.yml``; by default the population measure): Σ share × weight ÷ Σ weight.
  The weight is taken for the same period when the weight measure has figures at
  the share's frequency, otherwise from the latest yearly figure published by the
  report's cut-off (the year of the period, or the latest year before it).
* A job centre with figures of its own in the data (a row for "Jobcenter X") uses
  them; its weight is its own weight figure, else the sum of its municipalities'.
* A figure missing (withheld or not reported) for any municipality makes the job
  centre's and the region's figure missing for that period: it is never filled in.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Goal, JobCentre, Measure, Parameters, share_weight


def _owners(jobcentres: list[JobCentre], direct: set[str]) -> dict[str, str]:
    """Municipality code -> job centre id, for the job centres without figures of their own."""
    return {code: jc.id for jc in jobcentres if jc.area_key not in direct for code in jc.codes}


def _group(frame: pd.DataFrame, owner: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per job centre: the sum over its municipalities, and whether every one of them has a figure."""
    part = frame.reindex(columns=list(owner))
    sums = part.T.groupby(owner).sum().T
    counts = part.notna().T.groupby(owner).sum().T
    sizes = pd.Series(owner).value_counts().reindex(counts.columns)
    return sums, counts.eq(sizes, axis=1)


def weight_frame(params: Parameters, dataset: Dataset, measure: Measure, index: pd.PeriodIndex) -> pd.DataFrame:
    """The weight of a share for each period of ``index`` and each area (see the module notes)."""
    weight_id = share_weight(measure, params.measures)
    if weight_id is None:
        return pd.DataFrame(index=index)
    freqs = dataset.frequencies(weight_id)
    same = "M" if str(getattr(index, "freqstr", "M")).startswith("M") else "Q"
    if same in freqs:
        return dataset.frame(weight_id).reindex(index)
    yearly = dataset.yearly(weight_id)
    if yearly.empty or not len(index):
        return pd.DataFrame(index=index)
    years = [p.year for p in index]
    every_year = range(min(min(yearly.index), min(years)), max(max(yearly.index), max(years)) + 1)
    frame = yearly.reindex(every_year).ffill().reindex(years)
    frame.index = index
    return frame


def _combined(
    params: Parameters, dataset: Dataset, measure_id: str, jobcentres: list[JobCentre]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Per job centre (columns: ids): the measure's figures, and for a share their weights. Made once per
    measure, job centres and cut-off (the goals of a meeting share their measures and denominators)."""
    measure = params.measures[measure_id]
    weight_id = share_weight(measure, params.measures) if measure.kind == "share" else None
    key = (
        "jobcentre_series",
        measure_id,
        measure.kind,
        weight_id,
        tuple((jc.id, jc.area_key, tuple(jc.codes)) for jc in jobcentres),
    )
    values, weights = dataset.derived(key, lambda: _combine(params, dataset, measure_id, jobcentres))
    return values.copy(), weights.copy() if weights is not None else None


def _combine(
    params: Parameters, dataset: Dataset, measure_id: str, jobcentres: list[JobCentre]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    frame = dataset.frame(measure_id)
    measure = params.measures[measure_id]
    direct = {jc.area_key for jc in jobcentres} & set(frame.columns)
    owner = _owners(jobcentres, direct)
    nan = pd.Series(math.nan, index=frame.index)
    if measure.kind != "share":
        sums, complete = _group(frame, owner)
        summed = sums.where(complete)
        columns = {jc.id: frame[jc.area_key] if jc.area_key in direct else summed.get(jc.id, nan) for jc in jobcentres}
        return pd.DataFrame(columns, index=frame.index), None
    weights = weight_frame(params, dataset, measure, frame.index)
    w = weights.reindex(columns=list(owner))
    product, product_complete = _group(frame.reindex(columns=list(owner)) * w, owner)
    weight_sums, weight_complete = _group(w, owner)
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = (product / weight_sums.replace(0, np.nan)).where(product_complete & weight_complete)
    values, weight_columns = {}, {}
    for jc in jobcentres:
        if jc.area_key in direct:
            values[jc.id] = frame[jc.area_key]
            own = weights.get(jc.area_key)
            if own is not None and own.notna().any():
                weight_columns[jc.id] = own
            else:
                member = weights.reindex(columns=jc.codes)
                weight_columns[jc.id] = member.sum(axis=1).where(member.notna().all(axis=1))
        else:
            values[jc.id] = combined.get(jc.id, nan)
            weight_columns[jc.id] = weight_sums.get(jc.id, nan).where(weight_complete.get(jc.id, False))
    return pd.DataFrame(values, index=frame.index), pd.DataFrame(weight_columns, index=frame.index)


def jobcentre_series(
    params: Parameters, dataset: Dataset, measure_id: str, jobcentres: list[JobCentre] | None = None
) -> pd.DataFrame:
    """The measure's figures per job centre (columns: job centre ids), period by period."""
    return _combined(params, dataset, measure_id, jobcentres or params.council.job_centres)[0]


def area_series(
    params: Parameters, dataset: Dataset, measure_id: str, jobcentres: list[JobCentre] | None = None
) -> pd.Series:
    """The measure's figure for the given job centres together (the region: all of them), period by period;
    NaN in a period where any of them is missing."""
    values, weights = _combined(params, dataset, measure_id, jobcentres or params.council.job_centres)
    complete = values.notna().all(axis=1)
    if weights is None:
        return values.sum(axis=1).where(complete)
    complete &= weights.notna().all(axis=1)
    total = weights.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = (values * weights).sum(axis=1) / total.replace(0, np.nan)
    return result.where(complete)


def known_part(
    params: Parameters, dataset: Dataset, measure_id: str, jobcentres: list[JobCentre] | None = None
) -> pd.Series:
    """For a count: the sum of the figures that are known, period by period (a missing figure counted as 0).
    A count is never negative, so this is a lower bound of the true figure; NaN where nothing is known."""
    jobcentres = jobcentres or params.council.job_centres
    frame = dataset.frame(measure_id)
    columns = []
    for jc in jobcentres:
        members = frame.reindex(columns=jc.codes).sum(axis=1, min_count=1)
        own = frame[jc.area_key] if jc.area_key in frame.columns else None
        columns.append(members if own is None else own.fillna(members))
    return pd.concat(columns, axis=1).sum(axis=1, min_count=1)


def goal_series(
    params: Parameters, dataset: Dataset, goal: Goal, jobcentres: list[JobCentre] | None = None
) -> tuple[pd.Series, pd.Series | None]:
    """The goal's measure (and denominator) for the given job centres together (default: the region)."""
    values = area_series(params, dataset, goal.measure, jobcentres)
    denominator = area_series(params, dataset, goal.denominator, jobcentres) if goal.denominator else None
    return values, denominator


def missing_areas(
    dataset: Dataset, measure_ids: list[str], jobcentres: list[JobCentre], period: pd.Period
) -> tuple[list[str], bool]:
    """Which municipalities (or job centres) lack a figure in ``period``, named for readers ("Læsø (Jobcenter
    Frederikshavn)"), and whether every one of them is in the data as withheld rather than not there at all."""
    areas: list[str] = []
    marks: list[bool] = []
    for measure_id in measure_ids:
        freq = dataset.frequency(measure_id)
        series = dataset.monthly if freq == "M" else dataset.quarterly
        assert series is not None
        part = series.xs(measure_id, level="measure") if measure_id in dataset.measures else series.iloc[:0]
        for jc in jobcentres:
            keys = [jc.area_key] if (jc.area_key, period) in part.index else jc.codes
            for key in keys:
                present = (key, period) in part.index
                if present and not math.isnan(part[(key, period)]):
                    continue
                name = (
                    jc.name
                    if key == jc.area_key or len(jc.codes) == 1
                    else f"{jc.municipalities[key] or key} ({jc.name})"
                )
                if name not in areas:
                    areas.append(name)
                marks.append(present)
    return areas, bool(marks) and all(marks)


def yearly_by_jobcentre(
    params: Parameters, dataset: Dataset, measure_id: str, year: int, jobcentres: list[JobCentre] | None = None
) -> tuple[pd.Series, set[int]]:
    """A yearly measure (a framework condition) per job centre: the latest figure up to ``year`` for each
    area, counts summed and shares weighted (see the module notes); and the years the figures are from."""
    jobcentres = jobcentres or params.council.job_centres
    measure = params.measures[measure_id]
    yearly = dataset.yearly(measure_id)
    yearly = yearly[yearly.index <= year] if not yearly.empty else yearly
    if yearly.empty:
        return pd.Series(math.nan, index=[jc.id for jc in jobcentres]), set()
    # Plain dicts: the loop below looks up every job centre's areas (98 job centres at national scale).
    latest = {str(k): float(v) for k, v in yearly.ffill().iloc[-1].items()}
    years = yearly.notna()[::-1].idxmax().to_dict()  # the latest year with a figure, per area
    used = {int(years[a]) for a, value in latest.items() if not math.isnan(value)}
    weight_id = share_weight(measure, params.measures) if measure.kind == "share" else None
    weights: dict[str, float] = {}
    if weight_id:
        wy = dataset.yearly(weight_id)
        wy = wy[wy.index <= year] if not wy.empty else wy
        weights = {str(k): float(v) for k, v in wy.ffill().iloc[-1].items()} if not wy.empty else weights
    out = {}
    for jc in jobcentres:
        if jc.area_key in latest and not math.isnan(latest[jc.area_key]):
            out[jc.id] = latest[jc.area_key]
            continue
        values = [latest.get(code, math.nan) for code in jc.codes]
        if measure.kind != "share":
            out[jc.id] = sum(values)
            continue
        w = [weights.get(code, math.nan) for code in jc.codes]
        total = sum(w)
        out[jc.id] = sum(v * x for v, x in zip(values, w, strict=True)) / total if total else math.nan
    return pd.Series(out, dtype=float), used
