"""A goal's figure over a span of months: the one aggregation every computation uses.

``average`` (monthly mean), ``sum``, ``end_of_period`` (the span's last month) or
``ratio`` (the measure summed over the months divided by the denominator summed,
in %). A span with a missing month gives no figure rather than a wrong one.
"""

from __future__ import annotations

import math

import pandas as pd

from .periods import Span


class ComputeError(Exception):
    """The figures asked for cannot be computed from the parameters and data given."""


def aggregate(values: pd.Series, denominator: pd.Series | None, aggregation: str, span: Span) -> float:
    """A goal's figure over a span of months; NaN if any month in it is missing."""
    months = pd.period_range(span.first, span.last, freq="M")
    window = values.reindex(months)
    if window.isna().any():
        return math.nan
    if aggregation == "average":
        return float(window.mean())
    if aggregation == "sum":
        return float(window.sum())
    if aggregation == "end_of_period":
        return float(window.iloc[-1])
    if aggregation == "ratio":
        if denominator is None:
            raise ComputeError("aggregation 'ratio' needs a denominator")
        below = denominator.reindex(months)
        if below.isna().any() or below.sum() == 0:
            return math.nan
        return float(window.sum() / below.sum() * 100)
    raise ComputeError(f"unknown aggregation {aggregation!r}")
