"""Year-end forecast from last year's monthly profile, with a backtested error range.

Method. With months 1..k of the year observed, each month still to come is last
year's same month scaled by how this year runs against last year so far:

* ``sum`` and ``average``: scale = (this year's months 1..k) ÷ (last year's months 1..k);
* ``ratio``: numerator and denominator are projected separately, each with its own scale;
* ``end_of_period`` (a level at a month): the target month's value last year, scaled
  by the latest month against the same month last year.

The year's figure is then aggregated from the observed and projected months.
When the target month is observed, the forecast is the actual figure.

Backtest. The same forecast is made for every earlier year in the data, from
the same number of months, and compared with what that year turned out to be.
The typical error is the mean absolute error in %, and the range shown is the
forecast ± that error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .aggregation import aggregate
from .periods import Span, month


@dataclass(frozen=True)
class Forecast:
    value: float
    low: float
    high: float
    typical_error_pct: float
    backtest: dict[int, float] = field(default_factory=dict)  # year -> error in %
    months_observed: int = 0

    def as_dict(self) -> dict[str, object]:
        def clean(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "value": clean(self.value),
            "low": clean(self.low),
            "high": clean(self.high),
            "typical_error_pct": clean(self.typical_error_pct),
            "backtest_error_pct": {str(y): clean(e) for y, e in self.backtest.items()},
            "months_observed": self.months_observed,
        }


def _window(series: pd.Series, first: pd.Period, last: pd.Period) -> pd.Series:
    return series.reindex(pd.period_range(first, last, freq="M"))


def _project(values: pd.Series, year: int, k: int) -> pd.Series | None:
    """The year's 12 months: 1..k observed, k+1..12 last year's months scaled. None if data are missing."""
    this = _window(values, month(year, 1), month(year, 12))
    if this.iloc[:k].isna().any():
        return None
    if k == 12:
        return this
    last = _window(values, month(year - 1, 1), month(year - 1, 12))
    if last.isna().any():
        return None
    base = last.iloc[:k].sum()
    scale = this.iloc[:k].sum() / base if base else math.nan
    if math.isnan(scale):
        return None
    projected = this.copy()
    projected.iloc[k:] = last.iloc[k:].to_numpy() * scale
    return projected


def forecast_figure(
    values: pd.Series, denominator: pd.Series | None, aggregation: str, year: int, k: int, target_month: int = 12
) -> float:
    """The forecast of the year's figure (or the value in ``target_month`` for end_of_period)."""
    if k <= 0:
        return math.nan
    if aggregation == "end_of_period":
        this = _window(values, month(year, 1), month(year, 12))
        last = _window(values, month(year - 1, 1), month(year - 1, 12))
        if k >= target_month:
            value = this.iloc[target_month - 1]
            return float(value) if not pd.isna(value) else math.nan
        now, then, goal_then = this.iloc[k - 1], last.iloc[k - 1], last.iloc[target_month - 1]
        if pd.isna(now) or pd.isna(then) or pd.isna(goal_then) or then == 0:
            return math.nan
        return float(goal_then * now / then)
    projected = _project(values, year, k)
    below = None
    if aggregation == "ratio":
        below = _project(denominator, year, k) if denominator is not None else None
        if below is None:
            return math.nan
    if projected is None:
        return math.nan
    return aggregate(projected, below, aggregation, Span(month(year, 1), month(year, 12)))


def actual_figure(
    values: pd.Series, denominator: pd.Series | None, aggregation: str, year: int, target_month: int = 12
) -> float:
    """What the year (or the target month) turned out to be."""
    k = target_month if aggregation == "end_of_period" else 12
    return forecast_figure(values, denominator, aggregation, year, k, target_month)


def backtest(
    values: pd.Series, denominator: pd.Series | None, aggregation: str, k: int, years: list[int], target_month: int = 12
) -> dict[int, float]:
    """Forecast error in % for each earlier year, made from its first ``k`` months."""
    errors = {}
    for year in years:
        predicted = forecast_figure(values, denominator, aggregation, year, k, target_month)
        actual = actual_figure(values, denominator, aggregation, year, target_month)
        if not (math.isnan(predicted) or math.isnan(actual)) and actual != 0:
            errors[year] = (predicted - actual) / abs(actual) * 100
    return errors


def compute_forecast(
    values: pd.Series,
    denominator: pd.Series | None,
    aggregation: str,
    year: int,
    cutoff: pd.Period,
    target_month: int = 12,
) -> Forecast:
    """The forecast for ``year`` from the data up to ``cutoff``, with its backtested range."""
    k = 0 if cutoff.year < year else (12 if cutoff.year > year else cutoff.month)
    value = forecast_figure(values, denominator, aggregation, year, k, target_month)
    known = values.dropna().index
    first_year = known.min().year if len(known) else year
    errors = backtest(values, denominator, aggregation, k, list(range(first_year + 1, year)), target_month)
    observed_target = k >= (target_month if aggregation == "end_of_period" else 12)
    typical = 0.0 if observed_target else (sum(abs(e) for e in errors.values()) / len(errors) if errors else math.nan)
    if math.isnan(value) or math.isnan(typical):
        low = high = math.nan
    else:
        low, high = value * (1 - typical / 100), value * (1 + typical / 100)
    return Forecast(value, low, high, typical, errors, k)
