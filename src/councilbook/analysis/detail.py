"""A goal's detail at a meeting beyond the region's status: the job centres' table, XmR, the
framework-adjusted comparison and its spread over the years, the change since the previous meeting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from councilbook.analysis.aggregation import aggregate_columns
from councilbook.analysis.benchmark import Adjusted, compute_adjusted, dispersion
from councilbook.analysis.series import goal_series, jobcentre_series
from councilbook.analysis.spc import XmR, compute_xmr
from councilbook.analysis.status import GoalStatus, monthly_figure
from councilbook.core import figures as fig
from councilbook.core.periods import (
    PERIODS_PER_YEAR,
    Freq,
    freq_of_index,
    last_month,
    observed_in_year,
    period_from_code,
    xmr_years_before,
    year_periods,
)
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import (
    Goal,
    Parameters,
)


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
