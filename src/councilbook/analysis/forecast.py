"""Year-end forecast from last year's profile, with a backtested error range.

Method. The year has 12 months or 4 quarters (as the measure's figures are given).
With periods 1..k of the year past the cut-off, each period still to come, and each
past period whose figure is missing (withheld), is last year's same period scaled by
how this year runs against last year:

* ``sum`` and ``average``: scale = Σ this year's known periods ÷ Σ last year's same
  periods (the periods known in both years);
* ``ratio``: numerator and denominator are projected separately, each with its own scale;
* ``end_of_period`` (a level at a period): the target period's value last year, scaled
  by the latest period known in both years against the same period last year.

The year's figure is then aggregated from the known and projected periods. When the
target period is past the cut-off (December, or the level target's month), the
forecast is the actual figure, and it is the *final* result: it is missing, not
estimated, when a figure it needs is missing. A share is kept within 0-100 and a
count at or above 0.

Backtest. The same forecast is made for every earlier year in the data, from the
same number of periods, and compared with what that year turned out to be. The
typical error is the mean absolute error in % of the actual figure, and the range
shown is the forecast ± that error (clipped like the forecast).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from councilbook.analysis.aggregation import aggregate_periods
from councilbook.core.periods import PERIODS_PER_YEAR, freq_of_index, last_month, year_periods


@dataclass(frozen=True)
class Forecast:
    value: float
    low: float
    high: float
    typical_error: float  # in the unit ``error_unit`` names
    backtest: dict[int, float] = field(default_factory=dict)  # year -> error in %
    periods_observed: int = 0  # periods of the year at or before the cut-off
    periods_in_year: int = 12
    final: bool = False  # the target period is past the cut-off: the value is the actual result
    error_unit: str = "pct"  # the backtest's errors: "pct" (% of the actual figure) or "pp" (a share's points)

    def as_dict(self) -> dict[str, object]:
        def clean(x: float) -> float | None:
            return None if math.isnan(x) else x

        unit = self.error_unit
        return {
            f"typical_error_{unit}": clean(self.typical_error),
            f"backtest_error_{unit}": {str(y): clean(e) for y, e in self.backtest.items()},
            "periods_observed": self.periods_observed,
            "periods_in_year": self.periods_in_year,
            "final": self.final,
        }


def _year(series: pd.Series, year: int) -> np.ndarray:
    return series.reindex(year_periods(year, freq_of_index(series.index))).to_numpy(float)


def _project(values: pd.Series, year: int, k: int, skip: Collection[int] = ()) -> np.ndarray | None:
    """The year's periods: those known (1..k, not skipped) as they are, the rest last year's scaled.
    None when the scale or a period to project cannot be had."""
    this, last = _year(values, year), _year(values, year - 1)
    n = len(this)
    known = np.array([i < k and not math.isnan(this[i]) and i not in skip for i in range(n)])
    if known.all():
        return this
    common = known & ~np.isnan(last)
    if not common.any():
        return None
    base = last[common].sum()
    if base == 0:
        return None
    estimate = ~known
    if np.isnan(last[estimate]).any():
        return None
    projected = this.copy()
    projected[estimate] = last[estimate] * (this[common].sum() / base)
    return projected


def forecast_figure(
    values: pd.Series,
    denominator: pd.Series | None,
    aggregation: str,
    year: int,
    k: int,
    target: int | None = None,
    skip: Collection[int] = (),
) -> float:
    """The forecast of the year's figure (or of the value in period ``target``, 0-based, for end_of_period)
    from the year's first ``k`` periods, treating the positions in ``skip`` as unknown."""
    freq = freq_of_index(values.index)
    n = PERIODS_PER_YEAR[freq]
    target = n - 1 if target is None else target
    if k <= 0:
        return math.nan
    if aggregation == "end_of_period":
        this, last = _year(values, year), _year(values, year - 1)
        if k > target:
            return float(this[target])  # observed: the actual value (NaN when withheld)
        for j in range(k - 1, -1, -1):
            if j in skip or math.isnan(this[j]) or math.isnan(last[j]) or last[j] == 0:
                continue
            return float(last[target] * this[j] / last[j]) if not math.isnan(last[target]) else math.nan
        return math.nan
    projected = _project(values, year, k, skip)
    below = None
    if aggregation == "ratio":
        below = _project(denominator, year, k, skip) if denominator is not None else None
        if below is None:
            return math.nan
    if projected is None:
        return math.nan
    periods = year_periods(year, freq)
    filled = pd.Series(projected, index=periods)
    return aggregate_periods(
        filled, pd.Series(below, index=periods) if below is not None else None, aggregation, periods
    )


def actual_figure(
    values: pd.Series, denominator: pd.Series | None, aggregation: str, year: int, target: int | None = None
) -> float:
    """What the year (or the target period) turned out to be; NaN if a figure it needs is missing."""
    periods = year_periods(year, freq_of_index(values.index))
    if aggregation == "end_of_period":
        position = len(periods) - 1 if target is None else target
        return aggregate_periods(values, denominator, aggregation, periods[position : position + 1])
    return aggregate_periods(values, denominator, aggregation, periods)


def backtest(
    values: pd.Series,
    denominator: pd.Series | None,
    aggregation: str,
    k: int,
    years: list[int],
    target: int | None = None,
    points: bool = False,
) -> dict[int, float]:
    """Forecast error for each earlier year, made from its first ``k`` periods: in % of the actual figure, or
    (``points``, for a share) in percentage points."""
    errors = {}
    for year in years:
        predicted = forecast_figure(values, denominator, aggregation, year, k, target)
        actual = actual_figure(values, denominator, aggregation, year, target)
        if math.isnan(predicted) or math.isnan(actual):
            continue
        if points:
            errors[year] = predicted - actual
        elif actual != 0:
            errors[year] = (predicted - actual) / abs(actual) * 100
    return errors


def _clip(x: float, bounds: tuple[float, float]) -> float:
    return x if math.isnan(x) else min(max(x, bounds[0]), bounds[1])


def compute_forecast(
    values: pd.Series,
    denominator: pd.Series | None,
    aggregation: str,
    year: int,
    cutoff: pd.Period,
    target: int | None = None,
    missing: Collection[pd.Period] = (),
    is_share: bool = False,
) -> Forecast:
    """The forecast for ``year`` from the data up to ``cutoff``, with its backtested range. ``missing`` are the
    year's periods up to the cut-off without a figure: estimated as if still to come (never in a final result)."""
    freq = freq_of_index(values.index)
    periods = year_periods(year, freq)
    n = len(periods)
    target = n - 1 if target is None else target
    k = sum(last_month(p) <= cutoff for p in periods)
    skip = {i for i, p in enumerate(periods) if p in set(missing)}
    final = k > target if aggregation == "end_of_period" else k == n
    if final and skip and aggregation != "end_of_period":
        value = math.nan  # the year's result needs every period
    else:
        value = forecast_figure(values, denominator, aggregation, year, k, target, skip)
    known = values.dropna().index
    first_year = known.min().year if len(known) else year
    errors = backtest(values, denominator, aggregation, k, list(range(first_year + 1, year)), target, is_share)
    if final:
        typical = 0.0
    else:
        typical = sum(abs(e) for e in errors.values()) / len(errors) if errors else math.nan
    bounds = (0.0, 100.0) if is_share else (0.0, math.inf)
    value = _clip(value, bounds)
    if math.isnan(value) or math.isnan(typical):
        low = high = math.nan
    elif is_share:  # ± the typical error in percentage points
        low, high = _clip(value - typical, bounds), _clip(value + typical, bounds)
    else:  # ± the typical error in % of the figure
        low, high = _clip(value * (1 - typical / 100), bounds), _clip(value * (1 + typical / 100), bounds)
    return Forecast(value, low, high, typical, errors, k, n, final, "pp" if is_share else "pct")
