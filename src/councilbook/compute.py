"""Stage 2: the figures behind every report, computed from the data and the parameters.

Methods (documented for the council in the book's method notes):

* **Cut-off.** Material is ready ``material_ready_days`` before a meeting (the
  pack date). jobindsats.dk publishes a month ``data_publication_lag_days``
  after it ends. The cut-off is the last month published by the pack date, and
  a report reads nothing after it, so a rebuilt report shows what members saw.
* **Contract.** A status reports the contract whose year holds the cut-off month.
* **Aggregation** of a goal over a span of months: ``average`` (monthly mean),
  ``sum``, ``end_of_period`` (the span's last month) or ``ratio`` (the measure
  summed over the months divided by the denominator summed, in %). A span with
  a missing month gives no figure rather than a wrong one.
* **Year to date.** January of the contract year to the cut-off, against the
  same months a year earlier (change in %).
* **Target for the period so far** (shown, not used for status). A level or
  share target as it stands; a %-change target or a direction-only goal against
  the baseline period's same months, so a part-year is never set against a whole year.
* **Forecast** of the year's figure (or of the target month's value for a level
  target): see :mod:`councilbook.forecast`, with a backtested error range.
* **Status** from the forecast against the year's target (the baseline for a
  direction-only goal), as the gap in % of the target, positive on the good
  side: at or past the target is *on track*; short by at most the council's
  tolerance, or short but with the target inside the forecast's range, is *at
  risk*; further short is *off track*.
* **Since the previous meeting**: the forecast now against the forecast at the
  previous meeting of the same contract year.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from .aggregation import ComputeError, aggregate, aggregate_columns
from .benchmark import Adjusted, compute_adjusted, dispersion, figures_over_span, jobcentre_figures
from .forecast import Forecast, compute_forecast
from .ingest import Dataset
from .parameters import (
    ChangeTarget,
    Contract,
    Council,
    Evaluation,
    Goal,
    JobCentre,
    LevelTarget,
    Meeting,
    Parameters,
    ShareTarget,
)
from .periods import Span, month, month_code, month_end, parse_month
from .spc import XmR, compute_xmr

Status = Literal["on_track", "at_risk", "off_track", "no_data"]


# ---------------------------------------------------------------------------
# Cut-off and contract
# ---------------------------------------------------------------------------


def data_behind(dataset: Dataset, cutoff: pd.Period) -> pd.Period | None:
    """The data's last month when it comes before ``cutoff`` (the months a report needs are not in yet)."""
    if dataset.monthly.empty:
        return None
    last = dataset.last_month()
    return last if last < cutoff else None


def compute_pack_date(meeting_date: date, council: Council) -> date:
    return meeting_date - timedelta(days=council.publication.material_ready_days)


def compute_cutoff(as_of: date, council: Council) -> pd.Period:
    """The last month whose figures are published on ``as_of``."""
    lag = timedelta(days=council.data_publication_lag_days)
    candidate = pd.Period(as_of, freq="M")
    while month_end(candidate) + lag > as_of:
        candidate -= 1
    return candidate


def select_contract(params: Parameters, cutoff: pd.Period) -> Contract:
    contract = params.contracts.get(cutoff.year)
    if contract is None:
        raise ComputeError(
            f"the data cut-off {month_code(cutoff)} falls in {cutoff.year}, "
            f"but there is no contract for {cutoff.year} in the parameters"
        )
    return contract


# ---------------------------------------------------------------------------
# Series and aggregation
# ---------------------------------------------------------------------------


def _measure_frame(dataset: Dataset, measure: str) -> pd.DataFrame:
    """Months as rows (every month from the first to the last), area keys as columns."""
    try:
        series = dataset.monthly.xs(measure, level="measure")
    except KeyError:
        raise ComputeError(f"measure {measure!r} is not in the data") from None
    frame = series.unstack("area")
    if len(frame.index):
        frame = frame.reindex(pd.period_range(frame.index.min(), frame.index.max(), freq="M"))
    return frame


def jobcentre_series(dataset: Dataset, measure: str, jobcentres: list[JobCentre]) -> pd.DataFrame:
    """Monthly figures per job centre (columns: job centre ids).

    A job centre's figures are given for it directly (area ``jc:<id>``) or are the sum of its
    municipalities, NaN in a month where any of them is missing or withheld.
    """
    frame = _measure_frame(dataset, measure)
    owner = {code: jc.id for jc in jobcentres if jc.area_key not in frame.columns for code in jc.codes}
    codes = list(owner)
    part = frame.reindex(columns=codes)
    sums = part.T.groupby(owner).sum().T
    counts = part.notna().T.groupby(owner).sum().T
    sizes = pd.Series(owner).value_counts()
    summed = sums.where(counts.eq(sizes.reindex(counts.columns), axis=1))
    columns = {}
    for jc in jobcentres:
        if jc.area_key in frame.columns:
            columns[jc.id] = frame[jc.area_key]
        else:
            columns[jc.id] = summed[jc.id] if jc.id in summed.columns else pd.Series(math.nan, index=frame.index)
    return pd.DataFrame(columns, index=frame.index)


def area_series(dataset: Dataset, measure: str, jobcentres: list[JobCentre]) -> pd.Series:
    """Monthly sum over the given job centres; NaN in a month where any is missing."""
    frame = jobcentre_series(dataset, measure, jobcentres)
    return frame.sum(axis=1).where(frame.notna().all(axis=1))


def missing_months(values: pd.Series, denominator: pd.Series | None, span: Span) -> list[pd.Period]:
    """Months in the span without a figure (withheld or not reported) in the measure or its denominator."""
    months = pd.period_range(span.first, span.last, freq="M")
    gaps = values.reindex(months).isna()
    if denominator is not None:
        gaps |= denominator.reindex(months).isna()
    return [m for m, gap in zip(months, gaps, strict=True) if gap]


def monthly_figure(values: pd.Series, denominator: pd.Series | None, aggregation: str) -> pd.Series:
    """The goal's figure month by month, comparable with its yearly figure.

    For a sum that is the running 12-month sum; for a ratio the monthly ratio;
    otherwise the monthly value.
    """
    if aggregation == "sum":
        return values.rolling(12, min_periods=12).sum()
    if aggregation == "ratio" and denominator is not None:
        return values / denominator.replace(0, np.nan) * 100
    return values


# ---------------------------------------------------------------------------
# Goal status
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalStatus:
    goal_id: str
    title: str
    better: str
    aggregation: str
    target_form: str
    baseline_period: str
    baseline: float
    target: float | None
    period_first: str
    period_last: str
    actual: float
    last_year: float
    change_pct: float
    comparable_target: float | None
    year_target: float | None
    forecast: Forecast
    gap_pct: float
    status: Status

    def as_dict(self) -> dict[str, object]:
        data = {k: v for k, v in asdict(self).items() if k != "forecast"}
        data = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in data.items()}
        data["forecast"] = self.forecast.as_dict()
        return data


def goal_series(dataset: Dataset, goal: Goal, jobcentres: list[JobCentre]) -> tuple[pd.Series, pd.Series | None]:
    values = area_series(dataset, goal.measure, jobcentres)
    denominator = area_series(dataset, goal.denominator, jobcentres) if goal.denominator else None
    return values, denominator


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


def compute_comparable_target(
    goal: Goal, values: pd.Series, denominator: pd.Series | None, period: Span, contract_year: int
) -> float | None:
    """The target for the months so far (see the module notes)."""
    target = goal.target
    if isinstance(target, (LevelTarget, ShareTarget)):
        return compute_target_value(goal, math.nan)
    baseline_span = goal.baseline_span
    years_back = contract_year - baseline_span.last.year
    if (
        baseline_span.first.year == baseline_span.last.year
        and baseline_span.first.month == 1
        and baseline_span.last.month == 12
        and goal.aggregation != "end_of_period"
    ):
        same_months = period.shift_years(years_back)
        base = aggregate(values, denominator, goal.aggregation, same_months)
    else:
        base = aggregate(values, denominator, goal.aggregation, baseline_span)
    if isinstance(target, ChangeTarget):
        return base * (1 + target.percent / 100)
    return base  # direction only: beat the baseline


def compute_gap_pct(actual: float, target: float | None, better: str) -> float:
    """Distance to the target in % of the target; positive on the good side."""
    if target is None or math.isnan(actual) or math.isnan(target) or target == 0:
        return math.nan
    gap = (actual - target) / abs(target) * 100
    return gap if better == "higher" else -gap


def classify_status(gap_pct: float, tolerance_pct: float, range_reaches_target: bool = False) -> Status:
    if math.isnan(gap_pct):
        return "no_data"
    if gap_pct >= 0:
        return "on_track"
    if gap_pct >= -tolerance_pct or range_reaches_target:
        return "at_risk"
    return "off_track"


def range_reaches_target(forecast: Forecast, target: float | None, better: str) -> bool:
    """Whether the favourable end of the forecast's range meets the target."""
    if target is None or math.isnan(forecast.low) or math.isnan(forecast.high):
        return False
    return forecast.low <= target if better == "lower" else forecast.high >= target


def _change_pct(actual: float, before: float) -> float:
    if math.isnan(actual) or math.isnan(before) or before == 0:
        return math.nan
    return (actual - before) / before * 100


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
    values, denominator = goal_series(data, goal, jobcentres)
    year_span = Span(month(contract_year, 1), month(contract_year, 12))
    period = year_span.clip(cutoff)
    baseline = aggregate(values, denominator, goal.aggregation, goal.baseline_span)
    target = compute_target_value(goal, baseline)
    year_target = target if target is not None else (None if math.isnan(baseline) else baseline)
    target_month = parse_month(goal.target.month).month if isinstance(goal.target, LevelTarget) else 12
    forecast = compute_forecast(values, denominator, goal.aggregation, contract_year, cutoff, target_month)
    gap = compute_gap_pct(forecast.value, year_target, goal.better)
    status = classify_status(
        gap, params.council.status_tolerance_pct, range_reaches_target(forecast, year_target, goal.better)
    )
    if period is None:
        nan = math.nan
        return GoalStatus(
            goal.id,
            goal.title,
            goal.better,
            goal.aggregation,
            goal.target.form,
            goal.baseline,
            baseline,
            target,
            "",
            "",
            nan,
            nan,
            nan,
            None,
            year_target,
            forecast,
            nan,
            "no_data",
        )
    if goal.aggregation == "end_of_period":
        period = Span(period.last, period.last)
    actual = aggregate(values, denominator, goal.aggregation, period)
    last_year = aggregate(values, denominator, goal.aggregation, period.shift_years(1))
    return GoalStatus(
        goal_id=goal.id,
        title=goal.title,
        better=goal.better,
        aggregation=goal.aggregation,
        target_form=goal.target.form,
        baseline_period=goal.baseline,
        baseline=baseline,
        target=target,
        period_first=month_code(period.first),
        period_last=month_code(period.last),
        actual=actual,
        last_year=last_year,
        change_pct=_change_pct(actual, last_year),
        comparable_target=compute_comparable_target(goal, values, denominator, period, contract_year),
        year_target=year_target,
        forecast=forecast,
        gap_pct=gap,
        status=status,
    )


def compute_contract_status(
    params: Parameters, dataset: Dataset, contract: Contract, cutoff: pd.Period
) -> list[GoalStatus]:
    return [compute_goal_status(params, dataset, goal, contract.year, cutoff) for goal in contract.goals]


def compute_jobcentre_table(
    params: Parameters, dataset: Dataset, goal: Goal, contract_year: int, cutoff: pd.Period
) -> pd.DataFrame:
    """Per job centre: actual so far, same period last year, change in %, rank (1 = best change, measured
    as reports show it: in percentage points for a share, in % otherwise)."""
    jobcentres = params.council.job_centres
    data = dataset.until(cutoff)
    values = jobcentre_series(data, goal.measure, jobcentres)
    below = jobcentre_series(data, goal.denominator, jobcentres) if goal.denominator else None
    period = Span(month(contract_year, 1), month(contract_year, 12)).clip(cutoff)
    if period is not None and goal.aggregation == "end_of_period":
        period = Span(period.last, period.last)
    if period is None:
        actual = last_year = pd.Series(math.nan, index=values.columns)
    else:
        actual = aggregate_columns(values, below, goal.aggregation, period)
        last_year = aggregate_columns(values, below, goal.aggregation, period.shift_years(1))
    table = pd.DataFrame(
        {
            "jobcentre_id": [jc.id for jc in jobcentres],
            "jobcentre": [jc.name for jc in jobcentres],
            "cluster": [jc.cluster for jc in jobcentres],
            "actual": [actual[jc.id] for jc in jobcentres],
            "last_year": [last_year[jc.id] for jc in jobcentres],
        }
    )
    table["change_pct"] = [_change_pct(a, b) for a, b in zip(table["actual"], table["last_year"], strict=True)]
    measure = params.measures[goal.measure]
    is_share = goal.aggregation == "ratio" or measure.kind == "share"
    change = table["actual"] - table["last_year"] if is_share else table["change_pct"]
    good_change = change if goal.better == "higher" else -change
    table["rank"] = good_change.rank(ascending=False, method="min").astype("Int64")
    if goal.aggregation != "ratio":
        # Each job centre's part of the region's change (sums and levels add up across job centres).
        differences = table["actual"] - table["last_year"]
        total = differences.sum(min_count=len(differences))
        table["share_of_region_change_pct"] = differences / total * 100 if total else math.nan
    else:
        table["share_of_region_change_pct"] = math.nan
    return table.sort_values(["rank", "jobcentre"], na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Meeting status and evaluation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDetail:
    """Everything beyond the region's status for one goal at a meeting."""

    xmr: XmR | None
    adjusted: Adjusted
    spread: pd.DataFrame  # year, n, iqr, sd
    previous_forecast: float | None
    previous_meeting: date | None

    def since_previous_pct(self, forecast: float) -> float:
        """The change in the year's forecast since the previous meeting, in %."""
        if self.previous_forecast is None:
            return math.nan
        return _change_pct(forecast, self.previous_forecast)


@dataclass(frozen=True)
class MeetingStatus:
    meeting: Meeting
    pack_date: date
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    jobcentres: dict[str, pd.DataFrame]
    details: dict[str, GoalDetail]

    @property
    def final(self) -> bool:
        """True when the cut-off has reached December: the year's final status."""
        return self.cutoff.month == 12


XMR_YEARS_BEFORE = 2  # the XmR limits come from the two years before the contract year


def compute_xmr_for_goal(
    values: pd.Series, denominator: pd.Series | None, goal: Goal, contract_year: int, cutoff: pd.Period
) -> XmR | None:
    """XmR of the goal's monthly figure (monthly values for a sum) from two years before the contract year."""
    monthly = monthly_figure(values, denominator, "average" if goal.aggregation == "sum" else goal.aggregation)
    window = monthly[(monthly.index >= month(contract_year - XMR_YEARS_BEFORE, 1)) & (monthly.index <= cutoff)]
    return compute_xmr(window, month(contract_year - 1, 12), goal.better)


def compute_spread(params: Parameters, dataset: Dataset, goal: Goal, cutoff: pd.Period) -> pd.DataFrame:
    """Dispersion of actual ÷ expected across job centres, for every whole year in the data and the year so far."""
    data = dataset.until(cutoff)
    months = data.monthly.xs(goal.measure, level="measure").index.get_level_values("month")
    jobcentres = params.council.job_centres
    # Each measure's job-centre series once, then one year at a time.
    values = jobcentre_series(data, goal.measure, jobcentres)
    below = jobcentre_series(data, goal.denominator, jobcentres) if goal.denominator else None
    expected_values = jobcentre_series(data, goal.expected_measure, jobcentres) if goal.expected_measure else None
    rows = []
    for year in range(months.min().year, cutoff.year + 1):
        last = min(month(year, 12), cutoff)
        figures = figures_over_span(values, below, goal, month(year, 1), last)
        if figures.isna().all():
            continue
        expected = (
            figures_over_span(expected_values, below, goal, month(year, 1), last)
            if expected_values is not None
            else None
        )
        adjusted = compute_adjusted(params, data, goal, figures, expected, year)
        rows.append(
            {
                "year": year,
                "months": last.month,
                **dispersion(adjusted.table["actual_over_expected"]),
                "r2": adjusted.fit.r2,
            }
        )
    return pd.DataFrame(rows, columns=["year", "months", "n", "iqr", "sd", "r2"])


def compute_goal_detail(
    params: Parameters,
    dataset: Dataset,
    goal: Goal,
    contract_year: int,
    cutoff: pd.Period,
    previous: tuple[date, float] | None,
) -> GoalDetail:
    data = dataset.until(cutoff)
    values, denominator = goal_series(data, goal, params.council.job_centres)
    period = Span(month(contract_year, 1), month(contract_year, 12)).clip(cutoff) or Span(cutoff, cutoff)
    figures = jobcentre_figures(data, goal, params.council.job_centres, goal.measure, period.first, period.last)
    expected = (
        jobcentre_figures(data, goal, params.council.job_centres, goal.expected_measure, period.first, period.last)
        if goal.expected_measure
        else None
    )
    adjusted = compute_adjusted(params, data, goal, figures, expected, period.last.year)
    return GoalDetail(
        xmr=compute_xmr_for_goal(values, denominator, goal, contract_year, cutoff),
        adjusted=adjusted,
        spread=compute_spread(params, dataset, goal, cutoff),
        previous_forecast=previous[1] if previous else None,
        previous_meeting=previous[0] if previous else None,
    )


def _meeting_cutoff(params: Parameters, meeting: Meeting) -> pd.Period:
    return compute_cutoff(compute_pack_date(meeting.date, params.council), params.council)


def compute_meeting_status(
    params: Parameters, dataset: Dataset, meeting: Meeting, with_details: bool = True
) -> MeetingStatus:
    pack_date = compute_pack_date(meeting.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = select_contract(params, cutoff)
    goals = compute_contract_status(params, dataset, contract, cutoff)
    tables = {g.id: compute_jobcentre_table(params, dataset, g, contract.year, cutoff) for g in contract.goals}
    details: dict[str, GoalDetail] = {}
    if with_details:
        before = params.previous_meeting(meeting)
        previous: dict[str, tuple[date, float]] = {}
        if before is not None:
            before_cutoff = _meeting_cutoff(params, before)
            if before_cutoff.year == contract.year and before_cutoff < cutoff:
                for goal, status in zip(
                    contract.goals, compute_contract_status(params, dataset, contract, before_cutoff), strict=True
                ):
                    previous[goal.id] = (before.date, status.forecast.value)
        for goal in contract.goals:
            details[goal.id] = compute_goal_detail(params, dataset, goal, contract.year, cutoff, previous.get(goal.id))
    return MeetingStatus(meeting, pack_date, cutoff, contract, goals, tables, details)


def compute_goal_attainment(status: GoalStatus) -> bool | None:
    """Whether a final (whole-year) status met its target; None without data."""
    if status.status == "no_data":
        return None
    return status.gap_pct >= 0


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


def compute_minutes_timeliness(params: Parameters, year: int) -> pd.DataFrame:
    """Per meeting in a year: minutes sent within the council's deadline?"""
    limit = params.council.publication.minutes_within_days
    rows = []
    for m in params.meetings:
        if m.date.year != year:
            continue
        days = (m.minutes_sent - m.date).days if m.minutes_sent else None
        rows.append(
            {
                "date": m.date,
                "kind": m.kind,
                "title": m.title,
                "minutes_sent": m.minutes_sent,
                "days": days,
                "on_time": None if days is None else days <= limit,
                "press_release": m.press_release,
            }
        )
    return pd.DataFrame(rows, columns=["date", "kind", "title", "minutes_sent", "days", "on_time", "press_release"])


def compute_jobcentre_attainment(
    params: Parameters, dataset: Dataset, contract: Contract, cutoff: pd.Period
) -> pd.DataFrame:
    """Per job centre and goal: was the goal attained locally over the whole year?

    A job centre is held to the goal's target against its own baseline: the same % change, the same
    share, or doing better than its baseline. A level target for the region (a number of persons)
    becomes the same relative change from the baseline for each job centre.
    """
    rows = []
    for goal in contract.goals:
        region = compute_goal_status(params, dataset, goal, contract.year, cutoff)
        implied = None
        if isinstance(goal.target, LevelTarget) and region.baseline and not math.isnan(region.baseline):
            implied = goal.target.value / region.baseline
        for jc in params.council.job_centres:
            status = compute_goal_status(params, dataset, goal, contract.year, cutoff, jobcentres=[jc])
            target = status.year_target if implied is None else status.baseline * implied
            gap = compute_gap_pct(status.forecast.value, target, goal.better)
            complete = status.forecast.months_observed >= 12
            rows.append(
                {
                    "jobcentre_id": jc.id,
                    "jobcentre": jc.name,
                    "goal_id": goal.id,
                    "attained": (None if math.isnan(gap) or not complete else bool(gap >= 0)),
                }
            )
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


def compute_decisions(params: Parameters, year: int) -> pd.DataFrame:
    """The decisions taken in a year and their follow-up (confidential items: "Lukket punkt" and the decision)."""
    rows = []
    for meeting in params.meetings:
        if meeting.date.year != year:
            continue
        for item in meeting.agenda:
            if item.type == "decision" and item.decision:
                rows.append(
                    {
                        "date": meeting.date,
                        "title": "Lukket punkt" if item.confidential else item.title,
                        "decision": item.decision,
                        "follow_up": item.follow_up,
                    }
                )
    return pd.DataFrame(rows, columns=["date", "title", "decision", "follow_up"])


@dataclass(frozen=True)
class EvaluationResult:
    evaluation: Evaluation
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    attained: list[bool | None]
    activity: pd.DataFrame
    minutes: pd.DataFrame
    jobcentre_attainment: pd.DataFrame
    spread: dict[str, pd.DataFrame]
    meetings: pd.DataFrame
    decisions: pd.DataFrame
    current: MeetingStatus | None  # the evaluation year's own contract at the evaluation date


def compute_evaluation(params: Parameters, dataset: Dataset, evaluation: Evaluation) -> EvaluationResult:
    """Each goal of the evaluated contract year with its whole-year result."""
    pack_date = compute_pack_date(evaluation.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = params.contracts[evaluation.covers]
    year_end = month(evaluation.covers, 12)
    final = min(cutoff, year_end)
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
            {},
        )
    return EvaluationResult(
        evaluation=evaluation,
        cutoff=cutoff,
        contract=contract,
        goals=goals,
        attained=[compute_goal_attainment(g) if g.period_last == month_code(year_end) else None for g in goals],
        activity=compute_meeting_activity(params, evaluation.covers),
        minutes=compute_minutes_timeliness(params, evaluation.covers),
        jobcentre_attainment=compute_jobcentre_attainment(params, dataset, contract, final),
        spread={goal.id: compute_spread(params, dataset, goal, final) for goal in contract.goals},
        meetings=compute_meeting_overview(params, dataset, evaluation.covers),
        decisions=compute_decisions(params, evaluation.covers),
        current=current,
    )


def target_month(goal: Goal) -> pd.Period | None:
    if isinstance(goal.target, LevelTarget):
        return parse_month(goal.target.month)
    return None
