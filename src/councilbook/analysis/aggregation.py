"""A goal's figure over a set of periods: the one aggregation every computation uses.

``average`` (the mean of the periods' figures), ``sum``, ``end_of_period`` (the last
period's figure) or ``ratio`` (the measure summed over the periods divided by the
denominator summed, in %). The periods are months or quarters, as the measure's
figures are given; a span of months takes the months, or the whole quarters, inside
it. A missing period gives no figure rather than a wrong one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from councilbook.core.errors import ComputeError
from councilbook.core.periods import Span, freq_of_index, periods_within

AGGREGATIONS = ("average", "sum", "end_of_period", "ratio")


def span_periods(values: pd.Series | pd.DataFrame, span: Span) -> pd.PeriodIndex:
    """The periods of the series' frequency inside a span of months."""
    return periods_within(span, freq_of_index(values.index))


def aggregate(values: pd.Series, denominator: pd.Series | None, aggregation: str, span: Span) -> float:
    """A goal's figure over a span of months; NaN if any period in it is missing."""
    return aggregate_periods(values, denominator, aggregation, span_periods(values, span))


def aggregate_periods(
    values: pd.Series, denominator: pd.Series | None, aggregation: str, periods: Sequence[pd.Period] | pd.Index
) -> float:
    """A goal's figure over the given periods (in order); NaN if any of them is missing, or none is given."""
    index = pd.PeriodIndex(list(periods), freq=freq_of_index(values.index)) if len(periods) else None
    if index is None:
        return math.nan
    below = denominator.reindex(index).to_numpy(float)[:, None] if denominator is not None else None
    return float(_aggregate(values.reindex(index).to_numpy(float)[:, None], below, aggregation)[0])


def aggregate_columns(
    values: pd.DataFrame, denominator: pd.DataFrame | None, aggregation: str, periods: Sequence[pd.Period] | pd.Index
) -> pd.Series:
    """:func:`aggregate_periods` for every column at once (e.g. one per job centre): a figure per column."""
    if not len(periods):
        return pd.Series(math.nan, index=values.columns, dtype=float)
    index = pd.PeriodIndex(list(periods), freq=freq_of_index(values.index))
    below = (
        denominator.reindex(index=index, columns=values.columns).to_numpy(float) if denominator is not None else None
    )
    result = _aggregate(values.reindex(index).to_numpy(float), below, aggregation)
    return pd.Series(result, index=values.columns, dtype=float)


def _aggregate(window: np.ndarray, below: np.ndarray | None, aggregation: str) -> np.ndarray:
    """Periods as rows, one column per series: the figure per column, NaN where a period is missing."""
    columns = window.shape[1]
    if aggregation == "ratio" and below is None:
        raise ComputeError("aggregation 'ratio' skal have en nævner (denominator)")
    if aggregation not in AGGREGATIONS:
        raise ComputeError(f"ukendt aggregation {aggregation!r} (brug en af: {', '.join(AGGREGATIONS)})")
    if len(window) == 0:
        return np.full(columns, math.nan)
    complete = ~np.isnan(window).any(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if aggregation == "average":
            result = window.mean(axis=0)
        elif aggregation == "sum":
            result = window.sum(axis=0)
        elif aggregation == "end_of_period":
            result = window[-1].copy()
        else:
            assert below is not None
            total = below.sum(axis=0)
            complete &= ~np.isnan(below).any(axis=0) & (total != 0)
            result = window.sum(axis=0) / total * 100
    return np.where(complete, result, math.nan)
