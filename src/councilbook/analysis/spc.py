"""Statistical process control: an XmR chart's centre line, limits and signals.

The centre line is the mean of the points before the contract year (at least
10); the limits are the centre ± 2.66 × the mean moving range between
consecutive points. Signals, as in NHS England's "Making Data Count":

* a point outside the limits;
* a run of 7 or more points in a row on the same side of the centre line;
* a trend of 7 or more points in a row, each higher (or each lower) than the one before.

Each signal is judged an improvement or a concern from the goal's direction.
Without a signal, the variation is what the series usually shows: noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

MIN_POINTS = 10
RUN = 7
SIGMA_FACTOR = 2.66


@dataclass(frozen=True)
class Signal:
    kind: str  # "outside", "run" or "trend"
    first: pd.Period
    last: pd.Period
    judgement: str  # "improvement" or "concern"

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "first": str(self.first), "last": str(self.last), "judgement": self.judgement}


@dataclass(frozen=True)
class XmR:
    points: pd.Series
    centre: float
    lower: float
    upper: float
    baseline_points: int
    signals: list[Signal]

    def as_dict(self) -> dict[str, object]:
        return {
            "centre": self.centre,
            "lower": self.lower,
            "upper": self.upper,
            "baseline_points": self.baseline_points,
            "points": len(self.points),
            "signals": [s.as_dict() for s in self.signals],
        }


def _judge(up: bool, better: str) -> str:
    return "improvement" if up == (better == "higher") else "concern"


def find_signals(points: pd.Series, centre: float, lower: float, upper: float, better: str) -> list[Signal]:
    signals: list[Signal] = []
    index = list(points.index)
    values = points.to_numpy()
    for i, value in enumerate(values):
        if value > upper or value < lower:
            signals.append(Signal("outside", index[i], index[i], _judge(value > upper, better)))

    def runs(flags: list[int]) -> list[tuple[int, int, int]]:
        """(start, end, sign) of runs of equal non-zero flags."""
        found, start = [], 0
        for i in range(1, len(flags) + 1):
            if i == len(flags) or flags[i] != flags[start]:
                if flags[start] != 0:
                    found.append((start, i - 1, flags[start]))
                start = i
        return found

    sides = [1 if v > centre else -1 if v < centre else 0 for v in values]
    for start, end, sign in runs(sides):
        if end - start + 1 >= RUN:
            signals.append(Signal("run", index[start], index[end], _judge(sign > 0, better)))
    steps = [1 if b > a else -1 if b < a else 0 for a, b in zip(values[:-1], values[1:], strict=True)]
    for start, end, sign in runs(steps):
        if end - start + 2 >= RUN:  # steps start..end join points start..end+1
            signals.append(Signal("trend", index[start], index[end + 1], _judge(sign > 0, better)))
    return sorted(signals, key=lambda s: (s.first, s.kind))


def compute_xmr(series: pd.Series, baseline_last: pd.Period, better: str) -> XmR | None:
    """XmR with limits from the points up to ``baseline_last``; None with fewer than 10 such points."""
    points = series.dropna()
    base = points[points.index <= baseline_last]
    if len(base) < MIN_POINTS:
        return None
    centre = float(base.mean())
    moving = base.diff().abs().dropna()
    spread = SIGMA_FACTOR * float(moving.mean()) if len(moving) else math.nan
    lower, upper = centre - spread, centre + spread
    return XmR(points, centre, lower, upper, len(base), find_signals(points, centre, lower, upper, better))
