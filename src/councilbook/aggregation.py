"""A goal's figure over a span of months: the one aggregation every computation uses.

``average`` (monthly mean), ``sum``, ``end_of_period`` (the span's last month) or
``ratio`` (the measure summed over the months divided by the denominator summed,
in %). A span with a missing month gives no figure rather than a wrong one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .periods import Span


class ComputeError(Exception):
    """The figures asked for cannot be computed from the parameters and data given."""


def aggregate(values: pd.Series, denominator: pd.Series | None, aggregation: str, span: Span) -> float:
    """A goal's figure over a span of months; NaN if any month in it is missing."""
    months = pd.period_range(span.first, span.last, freq="M")
    below = denominator.reindex(months).to_numpy(float)[:, None] if denominator is not None else None
    return float(_aggregate(values.reindex(months).to_numpy(float)[:, None], below, aggregation)[0])


def aggregate_columns(
    values: pd.DataFrame, denominator: pd.DataFrame | None, aggregation: str, span: Span
) -> pd.Series:
    """:func:`aggregate` for every column at once (e.g. one per job centre): a figure per column."""
    months = pd.period_range(span.first, span.last, freq="M")
    below = (
        denominator.reindex(index=months, columns=values.columns).to_numpy(float) if denominator is not None else None
    )
    result = _aggregate(values.reindex(months).to_numpy(float), below, aggregation)
    return pd.Series(result, index=values.columns, dtype=float)


def _aggregate(window: np.ndarray, below: np.ndarray | None, aggregation: str) -> np.ndarray:
    """Months as rows, one column per series: the figure per column, NaN where a month is missing."""
    columns = window.shape[1]
    if aggregation == "ratio" and below is None:
        raise ComputeError("aggregation 'ratio' needs a denominator")
    if aggregation not in ("average", "sum", "end_of_period", "ratio"):
        raise ComputeError(f"unknown aggregation {aggregation!r}")
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
