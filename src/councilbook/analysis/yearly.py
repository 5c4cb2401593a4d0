"""A year's figures for the region, its clusters and its job centres, compared with the years before.

The analysis report and the key-figures report both read a figure (a goal of the contract, or a key
measure) over *the same periods of each year*: the months (or quarters) of the latest year that the
cut-off allows, and the same months of the years before, so a year still running is compared on equal
terms. A goal is aggregated as the goal says; a key measure that no goal uses is shown as its average per
month (or quarter). The region and each cluster are combined from their job centres as everywhere
(:mod:`councilbook.analysis.series`: counts summed, shares weighted); a figure is missing (NaN) where any
period or any part of the area is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from councilbook.analysis.aggregation import aggregate_columns, aggregate_periods
from councilbook.analysis.benchmark import Adjusted, compute_adjusted
from councilbook.analysis.series import area_series, jobcentre_series
from councilbook.core.periods import freq_of_index, month, observed_in_year, quarter
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Contract, Goal, JobCentre, Parameters, is_share

LEVEL_COLUMNS = ["figure_id", "area_type", "area_id", "area", "cluster", "year", "periods", "value"]


@dataclass(frozen=True)
class FigureSpec:
    """One figure a yearly report shows: a goal of the contract or a key measure."""

    id: str  # the goal's id, or "measure:<id>"
    title: str
    measure: str
    denominator: str | None
    aggregation: str
    better: str  # "higher" or "lower"; a key measure has no direction: "higher"
    share: bool
    goal: Goal | None = None

    @property
    def unit(self) -> str:
        return "percent" if self.share else "count"


def figure_specs(
    params: Parameters, contract: Contract, measures: list[str] | tuple[str, ...] = ()
) -> list[FigureSpec]:
    """The contract's goals, then the key measures no goal already shows."""
    specs = [
        FigureSpec(
            id=goal.id,
            title=goal.title,
            measure=goal.measure,
            denominator=goal.denominator,
            aggregation=goal.aggregation,
            better=goal.better,
            share=is_share(goal, params.measures[goal.measure]),
            goal=goal,
        )
        for goal in contract.goals
    ]
    shown = {goal.measure for goal in contract.goals}
    for measure_id in measures:
        if measure_id in shown:
            continue
        measure = params.measures[measure_id]
        specs.append(
            FigureSpec(
                id=f"measure:{measure_id}",
                title=measure.label,
                measure=measure_id,
                denominator=None,
                aggregation="average",
                better="higher",
                share=measure.kind == "share",
            )
        )
    return specs


def comparable_periods(year: int, latest: int, freq: str, cutoff: pd.Period) -> list[pd.Period]:
    """The periods of ``year`` that match those of ``latest`` the cut-off allows (January to May of each
    year when the figures of ``latest`` run to May)."""
    observed = observed_in_year(latest, "Q" if freq == "Q" else "M", cutoff)
    if freq == "Q":
        return [quarter(year, p.quarter) for p in observed]
    return [month(year, p.month) for p in observed]


def _window(spec: FigureSpec, periods: list[pd.Period]) -> list[pd.Period]:
    return periods[-1:] if spec.aggregation == "end_of_period" else periods


def clusters_of(params: Parameters) -> dict[str, list[JobCentre]]:
    """The council's clusters by name ("Klynge 1" before "Klynge 2"), each with its job centres."""
    found: dict[str, list[JobCentre]] = {}
    for jc in params.council.job_centres:
        found.setdefault(jc.cluster, []).append(jc)
    return dict(sorted(found.items()))


def compute_yearly_levels(
    params: Parameters, dataset: Dataset, spec: FigureSpec, years: list[int], cutoff: pd.Period
) -> pd.DataFrame:
    """The figure for the region, each cluster and each job centre in each of ``years``, over the comparable
    periods (:func:`comparable_periods`); one row per area and year (columns :data:`LEVEL_COLUMNS`)."""
    data = dataset.until(cutoff)
    jobcentres = params.council.job_centres
    if spec.measure not in data.measures:
        return pd.DataFrame(columns=LEVEL_COLUMNS)
    values = jobcentre_series(params, data, spec.measure, jobcentres)
    below = jobcentre_series(params, data, spec.denominator, jobcentres) if spec.denominator else None
    freq = freq_of_index(values.index)
    latest = max(years)
    areas: list[tuple[str, str, str, str, list[JobCentre]]] = [("region", "region", "Regionen", "", jobcentres)]
    areas += [("cluster", name, name, name, members) for name, members in clusters_of(params).items()]
    rows = []
    # Each area's combined series once, then one year at a time.
    combined = {
        area_id: (
            area_series(params, data, spec.measure, members),
            area_series(params, data, spec.denominator, members) if spec.denominator else None,
        )
        for _type, area_id, _name, _cluster, members in areas
    }
    for year in years:
        periods = _window(spec, comparable_periods(year, latest, freq, cutoff))
        for area_type, area_id, name, cluster, _members in areas:
            total, base = combined[area_id]
            value = aggregate_periods(total, base, spec.aggregation, periods) if periods else math.nan
            rows.append([spec.id, area_type, area_id, name, cluster, year, len(periods), value])
        per_jc = aggregate_columns(values, below, spec.aggregation, periods)
        for jc in jobcentres:
            value = float(per_jc.get(jc.id, math.nan))
            rows.append([spec.id, "jobcentre", jc.id, jc.name, jc.cluster, year, len(periods), value])
    frame = pd.DataFrame(rows, columns=LEVEL_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["periods"] = frame["periods"].astype(int)
    return frame


def compute_adjusted_year(
    params: Parameters, dataset: Dataset, spec: FigureSpec, year: int, cutoff: pd.Period
) -> Adjusted | None:
    """The job centres on equal terms for a goal in ``year`` (the comparable periods up to the cut-off);
    None for a key measure (no goal to compare against) or a year without figures."""
    goal = spec.goal
    if goal is None:
        return None
    data = dataset.until(cutoff)
    jobcentres = params.council.job_centres
    if goal.measure not in data.measures:
        return None
    values = jobcentre_series(params, data, goal.measure, jobcentres)
    below = jobcentre_series(params, data, goal.denominator, jobcentres) if goal.denominator else None
    periods = _window(spec, comparable_periods(year, year, freq_of_index(values.index), cutoff))
    if not periods:
        return None
    figures = aggregate_columns(values, below, goal.aggregation, periods)
    if figures.isna().all():
        return None
    expected = None
    if goal.expected_measure:
        expected_values = jobcentre_series(params, data, goal.expected_measure, jobcentres)
        expected = aggregate_columns(expected_values, below, goal.aggregation, periods)
    return compute_adjusted(params, data, goal, figures, expected, year)
