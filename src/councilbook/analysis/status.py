"""A goal's status: its figures for the contract year up to a cut-off, its target, forecast and status.

Methods (documented for the council in the book's Metode page, ``book/metode.md.jinja``, rendered with the
council's values by :mod:`councilbook.assembly.methodpage`):

* **Cut-off** (:mod:`councilbook.project.cutoff`): a report reads only the months, quarters and years
  published by its date.
* **Contract.** A status reports the contract whose year holds the cut-off month.
* **Periods.** A goal's figures are monthly or quarterly, as its measure is given.
  Job centres and the region are combined from the municipalities (:mod:`series`).
* **Aggregation** of a goal over periods (:mod:`aggregation`).
* **Year to date.** The contract year's periods up to the cut-off, against the same
  periods a year earlier. A period whose figure is missing in either year (withheld or
  not reported) is left out of both, and the report says which; for ``end_of_period``
  the latest period with a figure is used.
* **Target for the period so far** (shown, not used for status). A level or share
  target as it stands; a %-change target or a direction-only goal, when its baseline is a
  whole calendar year and it is not measured at the end of the period, against the
  baseline year's same periods, so a part-year is never set against a whole year;
  otherwise (``end_of_period``, or a baseline that is not a whole calendar year) the
  same as the year's target: from the whole baseline, for ``end_of_period`` its last
  period (a baseline of December 2012 gives December 2012's figure, not May 2012's).
* **Forecast** of the year's figure (or of the target period's value for a level
  target): :mod:`forecast`, with a backtested error range.
* **Status** from the forecast against the year's target (the baseline for a
  direction-only goal), both as shown (:mod:`figures`): at or past the target is *on
  track*; short by at most the council's tolerance (``status_tolerance_pct`` of the
  target for a count, ``status_tolerance_pp`` percentage points for a share), or short
  but with the target inside the forecast's range, is *at risk*; further short is *off
  track*. Once the target period is past the cut-off the status is final: *attained*
  or *not attained*. Without figures for the year yet: *no figures yet*; with figures
  but a forecast or target that cannot be computed (a figure it needs is missing):
  *cannot be assessed*, with the reason.
* **Since the previous meeting** (:mod:`meeting`): the forecast now against the forecast at the
  previous meeting of the same contract year, as shown.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Literal

import pandas as pd

from councilbook.analysis.aggregation import aggregate_periods
from councilbook.analysis.forecast import Forecast, compute_forecast
from councilbook.analysis.series import goal_series, jobcentre_series, known_part, missing_areas
from councilbook.core import figures as fig
from councilbook.core.errors import ComputeError
from councilbook.core.formats import format_month
from councilbook.core.periods import (
    PERIODS_PER_YEAR,
    Freq,
    freq_of_index,
    observed_in_year,
    parse_month,
    period_code,
    periods_within,
    year_periods,
)
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import (
    ChangeTarget,
    Contract,
    Goal,
    JobCentre,
    LevelTarget,
    Parameters,
    ShareTarget,
    is_share,
)

Status = Literal["on_track", "at_risk", "off_track", "attained", "not_attained", "unknown", "no_data"]
FINAL_STATUSES = ("attained", "not_attained")


def data_behind(dataset: Dataset, cutoff: pd.Period, measures: set[str] | None = None) -> pd.Period | None:
    """The data's last month when it comes before ``cutoff`` (the months a report needs are not in yet)."""
    last = dataset.last_month(measures)
    return last if last is not None and last < cutoff else None


def select_contract(params: Parameters, cutoff: pd.Period) -> Contract:
    contract = params.contracts.get(cutoff.year)
    if contract is None:
        raise ComputeError(
            f"tallene går til og med {format_month(cutoff)}, men der er ingen kontrakt for {cutoff.year} i "
            f"parametrene (tilføj contracts/{cutoff.year}.yml)"
        )
    return contract


def missing_periods(values: pd.Series, denominator: pd.Series | None, periods: pd.Index) -> list[pd.Period]:
    """Periods without a figure (withheld or not reported) in the measure or its denominator."""
    gaps = values.reindex(periods).isna()
    if denominator is not None:
        gaps |= denominator.reindex(periods).isna()
    return [p for p, gap in zip(periods, gaps, strict=True) if gap]


def monthly_figure(values: pd.Series, denominator: pd.Series | None, aggregation: str) -> pd.Series:
    """The goal's figure period by period, comparable with its yearly figure.

    For a sum that is the running sum over a year (12 months or 4 quarters); for a ratio the
    period's ratio; otherwise the period's value.
    """
    if aggregation == "sum":
        n = PERIODS_PER_YEAR[freq_of_index(values.index)]
        return values.rolling(n, min_periods=n).sum()
    if aggregation == "ratio" and denominator is not None:
        return values / denominator.where(denominator != 0) * 100
    return values


@dataclass(frozen=True)
class MissingFigure:
    """A period whose figure is missing for some job centres, and which part of the status it touches."""

    period: str  # period code
    jobcentres: tuple[str, ...]  # names of the job centres without a figure
    part: Literal["year", "last_year", "baseline"]
    everywhere: bool = False  # no job centre has it (the data stop earlier)
    # Where exactly: "Læsø (Jobcenter Frederikshavn)", or the job centre's name when it serves one municipality.
    areas: tuple[str, ...] = ()
    withheld: bool = False  # every missing figure is in the data as withheld (.., -, empty); else not reported


@dataclass(frozen=True)
class GoalFigures:
    """A goal's figures as shown (:mod:`figures`): every output formats from these."""

    baseline: fig.Quantity
    target: fig.Quantity
    actual: fig.Quantity
    last_year: fig.Quantity
    change: fig.Quantity
    forecast: fig.Quantity
    low: fig.Quantity
    high: fig.Quantity
    gap: fig.Quantity
    comparable_target: fig.Quantity


@dataclass(frozen=True)
class GoalStatus:
    goal_id: str
    title: str
    better: str
    aggregation: str
    target_form: str
    share: bool  # the goal's figure is a share in %
    freq: Freq  # months or quarters
    baseline_period: str
    baseline: float
    target: float | None
    periods: tuple[str, ...]  # the contract year's periods the actual figure covers
    excluded: tuple[str, ...]  # periods up to the cut-off left out (a figure missing this year or last)
    missing: tuple[MissingFigure, ...]
    actual: float
    last_year: float
    comparable_target: float | None
    year_target: float | None
    forecast: Forecast
    status: Status
    contract_year: int = 0
    draft: bool = False  # the contract is a draft (not published)
    # A final result that cannot be had because a figure is missing: for a count, at least this much (the known
    # figures, a missing one counted as 0), when that already tells whether the target was met.
    at_least: float | None = None
    # Likewise the target, when a figure of the baseline is missing (a count's change or direction target).
    target_at_least: float | None = None
    change_percent: float | None = None  # a change target's percent (for saying it when the target is unknown)

    @property
    def period_first(self) -> str:
        return self.periods[0] if self.periods else ""

    @property
    def period_last(self) -> str:
        return self.periods[-1] if self.periods else ""

    @property
    def final(self) -> bool:
        return self.forecast.final

    @cached_property
    def figures(self) -> GoalFigures:
        level = lambda value: fig.level(value, self.share)  # noqa: E731
        forecast, target = level(self.forecast.value), level(math.nan if self.year_target is None else self.year_target)
        actual, last_year = level(self.actual), level(self.last_year)
        return GoalFigures(
            baseline=level(self.baseline),
            target=target,
            actual=actual,
            last_year=last_year,
            change=fig.change(actual, last_year),
            forecast=forecast,
            low=level(self.forecast.low),
            high=level(self.forecast.high),
            gap=fig.gap(forecast, target, self.better),
            comparable_target=level(math.nan if self.comparable_target is None else self.comparable_target),
        )

    def as_dict(self) -> dict[str, object]:
        data = {k: v for k, v in asdict(self).items() if k not in ("forecast", "missing")}
        data = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in data.items()}
        data["forecast"] = self.forecast.as_dict()
        data["missing"] = [asdict(m) for m in self.missing]
        return data


def compute_target_value(goal: Goal, baseline: float) -> float | None:
    """The target as a figure of the same kind as the goal's yearly figure."""
    target = goal.target
    if isinstance(target, LevelTarget):
        return target.value
    if isinstance(target, ChangeTarget):
        return baseline * (1 + target.percent / 100)
    if isinstance(target, ShareTarget):
        return target.percent
    return None


def baseline_periods(goal: Goal, freq: Freq) -> pd.PeriodIndex:
    """The periods of the goal's baseline (its last one for end_of_period)."""
    periods = periods_within(goal.baseline_span, freq)
    return periods[-1:] if goal.aggregation == "end_of_period" else periods


def target_position(goal: Goal, freq: Freq) -> int:
    """The 0-based period of the year the forecast is for: a level target's month (its quarter), else the last."""
    if goal.aggregation == "end_of_period" and isinstance(goal.target, LevelTarget):
        target_month = parse_month(goal.target.month)
        return (target_month.quarter if freq == "Q" else target_month.month) - 1
    return PERIODS_PER_YEAR[freq] - 1


def target_period(goal: Goal, freq: Freq, contract_year: int) -> pd.Period:
    """The period the year's forecast is for: the level target's month (or its quarter), else the year's last."""
    return year_periods(contract_year, freq)[target_position(goal, freq)]


def compute_comparable_target(
    goal: Goal, values: pd.Series, denominator: pd.Series | None, kept: list[pd.Period], contract_year: int
) -> float | None:
    """The target for the periods so far (see the module notes)."""
    target = goal.target
    if isinstance(target, (LevelTarget, ShareTarget)):
        return compute_target_value(goal, math.nan)
    span = goal.baseline_span
    freq = freq_of_index(values.index)
    n = PERIODS_PER_YEAR[freq]
    years_back = contract_year - span.last.year
    whole_year = span.first.year == span.last.year and span.first.month == 1 and span.last.month == 12
    if whole_year and goal.aggregation != "end_of_period" and kept:
        base = aggregate_periods(values, denominator, goal.aggregation, [p - n * years_back for p in kept])
    else:
        base = aggregate_periods(values, denominator, goal.aggregation, baseline_periods(goal, freq))
    if isinstance(target, ChangeTarget):
        return base * (1 + target.percent / 100)
    return base  # direction only: beat the baseline


def classify_status(
    figures: GoalFigures,
    better: str,
    final: bool,
    tolerance: float,
    has_figures: bool,
    strict: bool = False,
) -> Status:
    """The status from the forecast and the target as shown (``tolerance`` in the unit of the gap; ``strict``
    for a direction-only goal, which must do better than its baseline, not as well)."""
    if not figures.forecast.known or not figures.target.known:
        return "unknown" if has_figures else "no_data"
    meets = fig.meets(figures.forecast, figures.target, better, strict)
    if final:
        return "attained" if meets else "not_attained"
    if meets:
        return "on_track"
    favourable = figures.low if better == "lower" else figures.high
    reaches = favourable.known and fig.meets(favourable, figures.target, better, strict)
    if -figures.gap.rounded <= tolerance or reaches:
        return "at_risk"
    return "off_track"


def compute_goal_status(
    params: Parameters,
    dataset: Dataset,
    goal: Goal,
    contract_year: int,
    cutoff: pd.Period,
    jobcentres: list[JobCentre] | None = None,
) -> GoalStatus:
    """A goal's status for the contract year, with data up to ``cutoff`` (region: all job centres)."""
    jobcentres = jobcentres if jobcentres is not None else params.council.job_centres
    data = dataset.until(cutoff)
    values, denominator = goal_series(params, data, goal, jobcentres)
    freq = freq_of_index(values.index)
    n = PERIODS_PER_YEAR[freq]
    share = is_share(goal, params.measures[goal.measure])
    observed = list(observed_in_year(contract_year, freq, cutoff))
    missing_now = missing_periods(values, denominator, pd.PeriodIndex(observed, freq=freq))
    missing_before = missing_periods(values, denominator, pd.PeriodIndex([p - n for p in observed], freq=freq))
    if goal.aggregation == "end_of_period":
        with_figure = [p for p in observed if p not in missing_now]
        kept = with_figure[-1:]
    else:
        kept = [p for p in observed if p not in missing_now and p - n not in missing_before]
    base_periods = baseline_periods(goal, freq)
    missing_base = missing_periods(values, denominator, base_periods)
    actual = aggregate_periods(values, denominator, goal.aggregation, kept)
    last_year = aggregate_periods(values, denominator, goal.aggregation, [p - n for p in kept])
    baseline = aggregate_periods(values, denominator, goal.aggregation, base_periods)
    target = compute_target_value(goal, baseline)
    year_target = target if target is not None else (None if math.isnan(baseline) else baseline)
    forecast = compute_forecast(
        values,
        denominator,
        goal.aggregation,
        contract_year,
        cutoff,
        target_position(goal, freq),
        missing=missing_now,
        is_share=share,
    )
    missing = [
        *missing_figures(params, data, goal, missing_now, "year", jobcentres),
        *missing_figures(params, data, goal, missing_before, "last_year", jobcentres),
        *missing_figures(params, data, goal, list(missing_base), "baseline", jobcentres),
    ]
    status = GoalStatus(
        goal_id=goal.id,
        title=goal.title,
        better=goal.better,
        aggregation=goal.aggregation,
        target_form=goal.target.form,
        share=share,
        freq=freq,
        baseline_period=goal.baseline,
        baseline=baseline,
        target=target,
        periods=tuple(period_code(p) for p in kept),
        excluded=tuple(period_code(p) for p in _excluded(observed, kept, goal.aggregation)),
        missing=tuple(missing),
        actual=actual,
        last_year=last_year,
        comparable_target=compute_comparable_target(goal, values, denominator, kept, contract_year),
        year_target=year_target,
        forecast=forecast,
        status="no_data",
        contract_year=contract_year,
        draft=params.contracts[contract_year].draft if contract_year in params.contracts else False,
        change_percent=goal.target.percent if isinstance(goal.target, ChangeTarget) else None,
    )
    council = params.council
    tolerance = council.status_tolerance_pp if share else council.status_tolerance_pct
    has_figures = any(p not in missing_now for p in observed)
    strict = goal.target.form == "direction"
    result = classify_status(status.figures, goal.better, forecast.final, tolerance, has_figures, strict)
    if result == "unknown" and not share:
        return _with_status(status, *_decided_by_bounds(params, data, goal, status, jobcentres, strict, tolerance))
    return _with_status(status, result)


def _decided_by_bounds(
    params: Parameters,
    data: Dataset,
    goal: Goal,
    status: GoalStatus,
    jobcentres: list[JobCentre],
    strict: bool,
    tolerance: float,
) -> tuple[Status, float | None, float | None]:
    """For a count whose final result or target cannot be had because a figure is missing: the status the known
    figures settle on their own (a count is never negative, so the known figures are a lower bound), with the
    lower bounds used; "unknown" when they settle nothing."""
    f = status.figures
    value = f.forecast
    at_least = target_at_least = None
    if not value.known and status.final and any(m.part == "year" for m in status.missing):
        at_least = _final_lower_bound(params, data, goal, status.contract_year, status.freq, jobcentres)
    target = f.target
    if not target.known and goal.target.form in ("change", "direction"):
        known = known_part(params, data, goal.measure, jobcentres)
        base = aggregate_periods(known, None, goal.aggregation, baseline_periods(goal, status.freq))
        lower = compute_target_value(goal, base)
        target_at_least = base if lower is None else lower
    low_value = value if value.known else fig.level(math.nan if at_least is None else at_least, False)
    low_target = target if target.known else fig.level(math.nan if target_at_least is None else target_at_least, False)
    if not (low_value.known and low_target.known):
        return "unknown", at_least, target_at_least
    exact_value, exact_target = value.known, target.known
    if goal.better == "lower":
        # value <= low target <= target: met for sure (needs the value itself)
        if exact_value and fig.meets(value, low_target, "lower", strict):
            return ("attained" if status.final else "on_track"), at_least, target_at_least
        # low value > target: missed for sure (needs the target itself)
        if exact_target and not fig.meets(low_value, target, "lower", strict) and status.final:
            return "not_attained", at_least, target_at_least
    else:
        # low value >= target: met for sure (needs the target itself)
        if exact_target and fig.meets(low_value, target, "higher", strict):
            return ("attained" if status.final else "on_track"), at_least, target_at_least
        # value < low target <= target: missed for sure (needs the value itself)
        if exact_value and not fig.meets(value, low_target, "higher", strict):
            if status.final:
                return "not_attained", at_least, target_at_least
            short = -fig.gap(value, low_target, "higher").rounded
            high = f.high if f.high.known else value
            if short > tolerance and not fig.meets(high, low_target, "higher", strict):
                return "off_track", at_least, target_at_least
    return "unknown", at_least, target_at_least


def _final_lower_bound(
    params: Parameters, data: Dataset, goal: Goal, year: int, freq: Freq, jobcentres: list[JobCentre]
) -> float:
    """A count's final result with its missing figures counted as 0: a lower bound (counts are never negative)."""
    known = known_part(params, data, goal.measure, jobcentres)
    periods = year_periods(year, freq)
    if goal.aggregation == "end_of_period":
        periods = periods[target_position(goal, freq) :][:1]
    return aggregate_periods(known, None, goal.aggregation, periods)


def _excluded(observed: list[pd.Period], kept: list[pd.Period], aggregation: str) -> list[pd.Period]:
    """The year's periods up to the cut-off that the actual figure leaves out: for end_of_period those after
    the latest period with a figure, otherwise every period not kept."""
    if aggregation == "end_of_period":
        return [p for p in observed if not kept or p > kept[-1]]
    return [p for p in observed if p not in kept]


def _with_status(
    status: GoalStatus, result: Status, at_least: float | None = None, target_at_least: float | None = None
) -> GoalStatus:
    data = {f: getattr(status, f) for f in status.__dataclass_fields__}
    data |= {"status": result, "at_least": at_least, "target_at_least": target_at_least}
    return GoalStatus(**data)


def missing_figures(
    params: Parameters,
    data: Dataset,
    goal: Goal,
    periods: list[pd.Period],
    part: Literal["year", "last_year", "baseline"] = "year",
    jobcentres: list[JobCentre] | None = None,
) -> list[MissingFigure]:
    """For each period: the job centres without a figure for the goal (all of them: the data stop earlier)."""
    if not periods:
        return []
    jobcentres = jobcentres if jobcentres is not None else params.council.job_centres
    measure_ids = [m for m in (goal.measure, goal.denominator) if m]
    frames = [jobcentre_series(params, data, m, jobcentres) for m in measure_ids]
    found = []
    for period in periods:
        missing = set()
        for frame in frames:
            row = frame.reindex([period])
            missing |= {c for c in row.columns if row[c].isna().all()}
        lacking = [jc for jc in jobcentres if jc.id in missing]
        areas, withheld = missing_areas(data, measure_ids, lacking, period)
        found.append(
            MissingFigure(
                period_code(period),
                tuple(jc.name for jc in lacking),
                part,
                everywhere=len(lacking) == len(jobcentres),
                areas=tuple(areas),
                withheld=withheld,
            )
        )
    return found


def compute_contract_status(
    params: Parameters, dataset: Dataset, contract: Contract, cutoff: pd.Period
) -> list[GoalStatus]:
    return [compute_goal_status(params, dataset, goal, contract.year, cutoff) for goal in contract.goals]
