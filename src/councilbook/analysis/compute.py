"""Stage 2: the figures behind every report, computed from the data and the parameters.

Methods (documented for the council in the book's Metode page, ``book/metode.md.jinja``, rendered with the
council's values by :mod:`councilbook.assembly.methodpage`):

* **Cut-off** (:mod:`cutoff`): a report reads only the months, quarters and years
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
* **Since the previous meeting**: the forecast now against the forecast at the
  previous meeting of the same contract year, as shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd

from councilbook.analysis.aggregation import aggregate_columns, aggregate_periods
from councilbook.analysis.benchmark import Adjusted, compute_adjusted, dispersion
from councilbook.analysis.forecast import Forecast, compute_forecast
from councilbook.analysis.series import goal_series, jobcentre_series, known_part, missing_areas
from councilbook.analysis.spc import XmR, compute_xmr
from councilbook.core import figures as fig
from councilbook.core.errors import ComputeError
from councilbook.core.formats import format_month
from councilbook.core.paths import BookPaths, check_project_root
from councilbook.core.periods import (
    PERIODS_PER_YEAR,
    Freq,
    freq_of_index,
    last_month,
    month,
    observed_in_year,
    parse_month,
    period_code,
    period_from_code,
    periods_within,
    xmr_years_before,
    year_periods,
)
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import (
    ChangeTarget,
    Contract,
    Evaluation,
    Goal,
    JobCentre,
    LevelTarget,
    Meeting,
    Parameters,
    ShareTarget,
    is_share,
)
from councilbook.project.cache import load_prepared
from councilbook.project.cutoff import compute_cutoff, compute_pack_date, meeting_cutoff
from councilbook.project.load import Project

__all__ = ["ComputeError", "compute_cutoff", "compute_pack_date"]

Status = Literal["on_track", "at_risk", "off_track", "attained", "not_attained", "unknown", "no_data"]
FINAL_STATUSES = ("attained", "not_attained")


# ---------------------------------------------------------------------------
# Cut-off and contract
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Goal status
# ---------------------------------------------------------------------------


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


def _periods(codes: tuple[str, ...], freq: Freq) -> list[pd.Period]:
    return [period_from_code(code) for code in codes]


def compute_jobcentre_table(
    params: Parameters, dataset: Dataset, goal: Goal, status: GoalStatus, cutoff: pd.Period
) -> pd.DataFrame:
    """Per job centre over the region's periods (``status.periods``): actual, the same periods a year earlier,
    the change as shown (percentage points for a share, % for a count), its rank (1 = best change), and for
    a count its contribution to the region's change in percentage points (the job centre's change ÷ the
    region's figure a year earlier, all as shown; before rounding the contributions add up to the region's change
    in %, as shown they need not)."""
    jobcentres = params.council.job_centres
    data = dataset.until(cutoff)
    values = jobcentre_series(params, data, goal.measure, jobcentres)
    below = jobcentre_series(params, data, goal.denominator, jobcentres) if goal.denominator else None
    n = PERIODS_PER_YEAR[status.freq]
    kept = _periods(status.periods, status.freq)
    actual = aggregate_columns(values, below, goal.aggregation, kept)
    last_year = aggregate_columns(values, below, goal.aggregation, [p - n for p in kept])
    shown_actual = [fig.level(actual[jc.id], status.share) for jc in jobcentres]
    shown_before = [fig.level(last_year[jc.id], status.share) for jc in jobcentres]
    changes = [fig.change(a, b) for a, b in zip(shown_actual, shown_before, strict=True)]
    table = pd.DataFrame(
        {
            "jobcentre_id": [jc.id for jc in jobcentres],
            "jobcentre": [jc.name for jc in jobcentres],
            "cluster": [jc.cluster for jc in jobcentres],
            "actual": [q.rounded for q in shown_actual],
            "last_year": [q.rounded for q in shown_before],
            "change": [q.value for q in changes],
        }
    )
    good = table["change"] if goal.better == "higher" else -table["change"]
    table["rank"] = good.rank(ascending=False, method="min").astype("Int64")
    region_before = fig.level(status.last_year, status.share).rounded
    if not status.share and region_before and not math.isnan(region_before):
        table["contribution_pp"] = (table["actual"] - table["last_year"]) / abs(region_before) * 100
    else:
        table["contribution_pp"] = math.nan
    return table.sort_values(["rank", "jobcentre"], na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Meeting status and evaluation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDetail:
    """Everything beyond the region's status for one goal at a meeting."""

    xmr: XmR | None
    adjusted: Adjusted
    spread: pd.DataFrame  # year, periods, n, iqr, sd, r2
    previous_forecast: float | None
    previous_meeting: date | None

    def since_previous(self, status: GoalStatus) -> fig.Quantity:
        """The change in the year's forecast since the previous meeting, as shown."""
        return forecast_change(status, self.previous_forecast)


def forecast_change(status: GoalStatus, previous_forecast: float | None) -> fig.Quantity:
    """The change in the year's forecast from ``previous_forecast`` (the previous meeting's), as shown."""
    previous = math.nan if previous_forecast is None else previous_forecast
    return fig.change(status.figures.forecast, fig.level(previous, status.share))


@dataclass(frozen=True)
class MeetingStatus:
    meeting: Meeting
    pack_date: date
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    jobcentres: dict[str, pd.DataFrame]
    details: dict[str, GoalDetail] = field(default_factory=dict)
    # Each goal's forecast at the previous meeting (its date and the value), where that meeting saw the same
    # contract year: with the details, or in the overview (compute_meeting_goals).
    previous: dict[str, tuple[date, float]] = field(default_factory=dict)
    overview: bool = False  # from compute_meeting_goals: no job centres, no details

    @property
    def final(self) -> bool:
        """True when the cut-off has reached December: the year's final status."""
        return self.cutoff.month == 12 and self.cutoff.year == self.contract.year


def compute_xmr_for_goal(
    values: pd.Series, denominator: pd.Series | None, goal: Goal, contract_year: int, cutoff: pd.Period
) -> XmR | None:
    """XmR of the goal's figure period by period (each period's value for a sum), with limits from the
    years before the contract year (two for months, three for quarters: at least 10 points)."""
    freq = freq_of_index(values.index)
    periods = monthly_figure(values, denominator, "average" if goal.aggregation == "sum" else goal.aggregation)
    first = year_periods(contract_year - xmr_years_before(freq), freq)[0]
    window = periods[(periods.index >= first) & [last_month(p) <= cutoff for p in periods.index]]
    return compute_xmr(window, year_periods(contract_year - 1, freq)[-1], goal.better)


def _year_figures(values: pd.DataFrame, below: pd.DataFrame | None, goal: Goal, periods: list[pd.Period]) -> pd.Series:
    return aggregate_columns(
        values, below, goal.aggregation, periods[-1:] if goal.aggregation == "end_of_period" else periods
    )


def compute_spread(params: Parameters, dataset: Dataset, goal: Goal, cutoff: pd.Period) -> pd.DataFrame:
    """Dispersion of actual ÷ expected across job centres, for every whole year in the data and the year so far."""
    data = dataset.until(cutoff)
    jobcentres = params.council.job_centres
    # Each measure's job-centre series once, then one year at a time.
    values = jobcentre_series(params, data, goal.measure, jobcentres)
    below = jobcentre_series(params, data, goal.denominator, jobcentres) if goal.denominator else None
    expected_values = (
        jobcentre_series(params, data, goal.expected_measure, jobcentres) if goal.expected_measure else None
    )
    freq = freq_of_index(values.index)
    rows = []
    for year in range(values.index.min().year, cutoff.year + 1) if len(values.index) else []:
        periods = list(observed_in_year(year, freq, cutoff))
        if not periods:
            continue
        figures = _year_figures(values, below, goal, periods)
        if figures.isna().all():
            continue
        expected = _year_figures(expected_values, below, goal, periods) if expected_values is not None else None
        adjusted = compute_adjusted(params, data, goal, figures, expected, year)
        ranked = adjusted.table[adjusted.table["flag"] == ""]
        rows.append(
            {
                "year": year,
                "periods": len(periods),
                "periods_in_year": PERIODS_PER_YEAR[freq],
                **dispersion(ranked["actual_over_expected"]),
                "r2": adjusted.fit.r2,
            }
        )
    return pd.DataFrame(rows, columns=["year", "periods", "periods_in_year", "n", "iqr", "sd", "r2"])


def compute_goal_detail(
    params: Parameters,
    dataset: Dataset,
    goal: Goal,
    status: GoalStatus,
    cutoff: pd.Period,
    previous: tuple[date, float] | None,
) -> GoalDetail:
    data = dataset.until(cutoff)
    jobcentres = params.council.job_centres
    values, denominator = goal_series(params, data, goal, jobcentres)
    kept = _periods(status.periods, status.freq)
    measures = [goal.measure] + ([goal.expected_measure] if goal.expected_measure else [])
    below = jobcentre_series(params, data, goal.denominator, jobcentres) if goal.denominator else None
    per_jc = [
        aggregate_columns(jobcentre_series(params, data, m, jobcentres), below, goal.aggregation, kept)
        for m in measures
    ]
    year = int(status.periods[-1][:4]) if status.periods else status.contract_year
    adjusted = compute_adjusted(params, data, goal, per_jc[0], per_jc[1] if len(per_jc) > 1 else None, year)
    return GoalDetail(
        xmr=compute_xmr_for_goal(values, denominator, goal, status.contract_year, cutoff),
        adjusted=adjusted,
        spread=compute_spread(params, dataset, goal, cutoff),
        previous_forecast=previous[1] if previous else None,
        previous_meeting=previous[0] if previous else None,
    )


def compute_meeting_status(
    params: Parameters, dataset: Dataset, meeting: Meeting, with_details: bool = True
) -> MeetingStatus:
    pack_date = compute_pack_date(meeting.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = select_contract(params, cutoff)
    goals = compute_contract_status(params, dataset, contract, cutoff)
    tables = {
        g.id: compute_jobcentre_table(params, dataset, g, status, cutoff)
        for g, status in zip(contract.goals, goals, strict=True)
    }
    details: dict[str, GoalDetail] = {}
    previous: dict[str, tuple[date, float]] = {}
    if with_details:
        previous = previous_forecasts(params, dataset, meeting, contract, cutoff)
        for goal, status in zip(contract.goals, goals, strict=True):
            details[goal.id] = compute_goal_detail(params, dataset, goal, status, cutoff, previous.get(goal.id))
    return MeetingStatus(meeting, pack_date, cutoff, contract, goals, tables, details, previous)


def previous_forecasts(
    params: Parameters, dataset: Dataset, meeting: Meeting, contract: Contract, cutoff: pd.Period
) -> dict[str, tuple[date, float]]:
    """Each goal's forecast at the previous meeting, by goal id, if that meeting reported on the same year."""
    before = params.previous_meeting(meeting)
    previous: dict[str, tuple[date, float]] = {}
    if before is not None:
        before_cutoff = meeting_cutoff(before, params.council)
        if before_cutoff.year == contract.year and before_cutoff <= cutoff:  # same figures: "uændret"
            for goal, status in zip(
                contract.goals, compute_contract_status(params, dataset, contract, before_cutoff), strict=True
            ):
                previous[goal.id] = (before.date, status.forecast.value)
    return previous


def compute_meeting_goals(params: Parameters, dataset: Dataset, meeting: Meeting) -> MeetingStatus:
    """What the goals' status table shows, and only that (a fraction of the time): each goal's status and the
    change of its forecast since the previous meeting, without the job centres and the goals' details."""
    pack_date = compute_pack_date(meeting.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = select_contract(params, cutoff)
    goals = compute_contract_status(params, dataset, contract, cutoff)
    previous = previous_forecasts(params, dataset, meeting, contract, cutoff)
    return MeetingStatus(meeting, pack_date, cutoff, contract, goals, {}, {}, previous, overview=True)


def compute_goal_attainment(status: GoalStatus) -> bool | None:
    """Whether a final (whole-year) status met its target; None when it is not final or cannot be told."""
    if status.status not in FINAL_STATUSES:
        return None
    return status.status == "attained"


def compute_meeting_activity(params: Parameters, year: int) -> pd.DataFrame:
    """Meetings held in a year by kind, against the council's annual cycle (``council.annual_cycle``).

    Theme meetings count as ordinary meetings too.
    """
    held = [m for m in params.meetings if m.date.year == year]
    counts = {
        "ordinary": sum(m.kind in ("ordinary", "theme") for m in held),
        "theme": sum(m.kind == "theme" for m in held),
        "contract": sum(m.kind == "contract" for m in held),
        "seminar": sum(m.kind == "seminar" for m in held),
    }
    return pd.DataFrame(
        [
            {"kind": kind, "expected": expected, "held": counts[kind], "met": counts[kind] >= expected}
            for kind, expected in params.council.annual_cycle.model_dump().items()
        ]
    )


@dataclass(frozen=True)
class MinutesRecord:
    date: dt.date
    kind: str
    title: str
    minutes_sent: dt.date | None
    days: int | None
    on_time: bool | None
    press_release: bool


def compute_minutes_timeliness(params: Parameters, year: int) -> list[MinutesRecord]:
    """Per meeting in a year: minutes sent within the council's deadline?"""
    limit = params.council.publication.minutes_within_days
    rows = []
    for m in params.meetings:
        if m.date.year != year:
            continue
        days = (m.minutes_sent - m.date).days if m.minutes_sent else None
        rows.append(
            MinutesRecord(
                m.date, m.kind, m.title, m.minutes_sent, days, None if days is None else days <= limit, m.press_release
            )
        )
    return rows


def compute_jobcentre_attainment(
    params: Parameters, dataset: Dataset, contract: Contract, cutoff: pd.Period
) -> pd.DataFrame:
    """Per job centre and goal: was the goal attained locally over the whole year?

    A job centre is held to the goal's target against its own baseline: the same % change, the same
    share, or doing better than its baseline. A level target for the region (a number of persons)
    becomes the same relative change from the baseline for each job centre; a level target for a share
    is the same level.
    """
    rows = []
    for goal in contract.goals:
        region = compute_goal_status(params, dataset, goal, contract.year, cutoff)
        implied = None
        if (
            isinstance(goal.target, LevelTarget)
            and not region.share
            and region.baseline
            and not math.isnan(region.baseline)
        ):
            implied = goal.target.value / region.baseline
        for jc in params.council.job_centres:
            status = compute_goal_status(params, dataset, goal, contract.year, cutoff, jobcentres=[jc])
            target = status.year_target if implied is None else status.baseline * implied
            shown_target = fig.level(math.nan if target is None else target, status.share)
            forecast = status.figures.forecast
            attained = None
            if status.final and forecast.known and shown_target.known:
                attained = fig.meets(forecast, shown_target, goal.better, goal.target.form == "direction")
            rows.append({"jobcentre_id": jc.id, "jobcentre": jc.name, "goal_id": goal.id, "attained": attained})
    return pd.DataFrame(rows, columns=["jobcentre_id", "jobcentre", "goal_id", "attained"])


def compute_meeting_overview(params: Parameters, dataset: Dataset, year: int) -> pd.DataFrame:
    """For each meeting in a year: the contract it reported on and its goals' statuses (rows: meetings)."""
    rows = []
    for meeting in params.meetings:
        if meeting.date.year != year:
            continue
        try:
            result = compute_meeting_status(params, dataset, meeting, with_details=False)
        except ComputeError:
            continue
        rows.append(
            {
                "date": meeting.date,
                "kind": meeting.kind,
                "contract_year": result.contract.year,
                "cutoff": str(result.cutoff),
                **{g.goal_id: g.status for g in result.goals},
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class DecisionRecord:
    date: dt.date
    title: str
    decision: str
    follow_up: str | None
    confidential: bool = False


def compute_decisions(params: Parameters, year: int) -> list[DecisionRecord]:
    """The decisions taken in a year and their follow-up, from the meetings as the report may see them (a
    public report's are the public view: a confidential item is "Lukket punkt" without follow-up)."""
    return [
        DecisionRecord(meeting.date, item.title, item.decision, item.follow_up or None, item.confidential)
        for meeting in params.meetings
        if meeting.date.year == year
        for item in meeting.agenda
        if item.type == "decision" and item.decision
    ]


@dataclass(frozen=True)
class EvaluationResult:
    evaluation: Evaluation
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    attained: list[bool | None]
    activity: pd.DataFrame
    minutes: list[MinutesRecord]
    jobcentre_attainment: pd.DataFrame
    spread: dict[str, pd.DataFrame]
    meetings: pd.DataFrame
    decisions: list[DecisionRecord]
    current: MeetingStatus | None  # the evaluation year's own contract at the evaluation date


def compute_evaluation(params: Parameters, dataset: Dataset, evaluation: Evaluation) -> EvaluationResult:
    """Each goal of the evaluated contract year with its whole-year result."""
    pack_date = compute_pack_date(evaluation.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = params.contracts[evaluation.covers]
    final = min(cutoff, month(evaluation.covers, 12))
    goals = compute_contract_status(params, dataset, contract, final)
    current = None
    if evaluation.year in params.contracts and cutoff.year == evaluation.year:
        current_contract = params.contracts[evaluation.year]
        current = MeetingStatus(
            Meeting(date=evaluation.date, kind="extraordinary", title=evaluation.title),
            pack_date,
            cutoff,
            current_contract,
            compute_contract_status(params, dataset, current_contract, cutoff),
            {},
        )
    return EvaluationResult(
        evaluation=evaluation,
        cutoff=cutoff,
        contract=contract,
        goals=goals,
        attained=[compute_goal_attainment(g) for g in goals],
        activity=compute_meeting_activity(params, evaluation.covers),
        minutes=compute_minutes_timeliness(params, evaluation.covers),
        jobcentre_attainment=compute_jobcentre_attainment(params, dataset, contract, final),
        spread={goal.id: compute_spread(params, dataset, goal, final) for goal in contract.goals},
        meetings=compute_meeting_overview(params, dataset, evaluation.covers),
        decisions=compute_decisions(params, evaluation.covers),
        current=current,
    )


def target_period(goal: Goal, freq: Freq, contract_year: int) -> pd.Period:
    """The period the year's forecast is for: the level target's month (or its quarter), else the year's last."""
    return year_periods(contract_year, freq)[target_position(goal, freq)]


# ---------------------------------------------------------------------------
# The first answer of `councilbook status`
# ---------------------------------------------------------------------------


def first_status(
    params_dir: Path, data_path: Path, root: Path, meeting_date: date | None, today: date, overview: bool = False
) -> tuple[Project, Meeting, MeetingStatus]:
    """The project (validated once for the same input files: a validated copy is kept in the build folder), the
    meeting asked for (else the next from ``today``, else the latest) and its status, computed in this process:
    what ``councilbook status`` shows at once, before its report notebook runs (``overview``: only what the
    terminal's table shows, :func:`compute_meeting_goals`)."""
    check_project_root(root)
    project = load_prepared(params_dir, data_path, BookPaths(root).prepared)
    meeting = project.params.meeting_for(meeting_date, today)
    compute = compute_meeting_goals if overview else compute_meeting_status
    return project, meeting, compute(project.params, project.dataset, meeting)
