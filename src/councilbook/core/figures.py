"""One figure model: a number with its unit and its rounding, read the same everywhere.

A :class:`Quantity` is computed once and carries its unit (``count``, ``percent``,
``pp`` for percentage points, ``ratio``, ``per_1000`` for a rate per 1.000 residents) and the decimals it is
shown with. The
terminal, the book (HTML and PDF), the members' pack, the workbook, the press release
and ``status --json`` all take its text or its rounded value from here, so a figure
reads the same in every output.

Comparisons are made between the figures *as shown*: a change, a distance to the
target and a status are computed from the rounded figures, so a status never
contradicts the numbers beside it ("prognose 16,0 %" against "mindst 16,0 %" is on
track). A share's change is in percentage points, a count's in % of the earlier figure.
When two shown figures differ but their difference would round to zero, the
difference is shown with as many decimals as it takes (up to 6), never as "±0,0".
Differences are computed exactly (in decimal) from the shown figures and rounded half
up, as a reader recomputing them by hand would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from councilbook.core.formats import MISSING, format_number, format_percent, format_points, is_missing, round_half_up

Unit = Literal["count", "percent", "pp", "ratio", "per_1000"]
# The suffix that names a figure's unit in JSON field names.
UNIT_SUFFIX: dict[str, str] = {"count": "count", "percent": "pct", "pp": "pp", "ratio": "ratio", "per_1000": "per_1000"}
SHARE_DECIMALS = 1
COUNT_DECIMALS = 0
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Quantity:
    value: float  # NaN when not known
    unit: Unit
    decimals: int
    signed: bool = False

    @property
    def known(self) -> bool:
        return not is_missing(self.value)

    @property
    def rounded(self) -> float:
        return round_half_up(self.value, self.decimals) if self.known else math.nan

    @property
    def sign(self) -> int:
        """-1, 0 or 1 of the figure as shown (0 when not known)."""
        if not self.known:
            return 0
        return (self.rounded > 0) - (self.rounded < 0)

    @property
    def text(self) -> str:
        if not self.known:
            return MISSING
        if self.unit == "percent":
            return format_percent(self.value, self.decimals, signed=self.signed)
        if self.unit == "pp":
            return format_points(self.value, self.decimals)
        if self.signed:
            rounded = self.rounded
            sign = "+" if rounded > 0 else "-" if rounded < 0 else "±"
            return sign + format_number(abs(rounded), self.decimals)
        return format_number(self.value, self.decimals)

    @property
    def json(self) -> float | None:
        """The figure as shown, for JSON (None when not known)."""
        if not self.known:
            return None
        value = self.rounded
        return int(value) if self.decimals == 0 and not math.isinf(value) else value

    def __str__(self) -> str:
        return self.text


def level(value: float, share: bool) -> Quantity:
    """A goal's figure: a share in % with one decimal, a count without decimals."""
    if share:
        return Quantity(value, "percent", SHARE_DECIMALS)
    return Quantity(value, "count", COUNT_DECIMALS)


def ratio(value: float, decimals: int = 2) -> Quantity:
    return Quantity(value, "ratio", decimals)


def per_1000(value: float, decimals: int = 1) -> Quantity:
    """A rate per 1.000 residents, with one decimal."""
    return Quantity(value, "per_1000", decimals)


def _exact(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _shown_difference(exact: Decimal, unit: Unit, decimals: int) -> Quantity:
    """A signed difference computed exactly from shown figures and rounded half up; with more decimals when
    the figures differ but it would round to zero."""
    places = decimals
    while exact != 0 and exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == 0:
        if places == MAX_DECIMALS:
            break
        places += 1
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Quantity(float(shown) + 0.0, unit, places, signed=True)


def contribution(value: float) -> Quantity:
    """A job centre's contribution to the region's change, in percentage points (computed from shown figures),
    rounded half up to one decimal, with more decimals rather than 0,0 when it is not zero."""
    if is_missing(value) or math.isinf(value):
        return Quantity(math.nan, "pp", SHARE_DECIMALS, signed=True)
    return _shown_difference(_exact(value), "pp", SHARE_DECIMALS)


def change(now: Quantity, before: Quantity) -> Quantity:
    """The change from ``before`` to ``now`` as shown: percentage points between shares, % of the earlier
    figure between counts."""
    if not (now.known and before.known):
        return Quantity(math.nan, "pp" if now.unit == "percent" else "percent", 1, signed=True)
    difference = _exact(now.rounded) - _exact(before.rounded)
    if now.unit == "percent":
        return _shown_difference(difference, "pp", SHARE_DECIMALS)
    if before.rounded == 0:
        return Quantity(math.nan, "percent", 1, signed=True)
    return _shown_difference(difference / abs(_exact(before.rounded)) * 100, "percent", 1)


def gap(forecast: Quantity, target: Quantity, better: str) -> Quantity:
    """The distance from the target as shown, positive on the good side: percentage points for a share,
    % of the target for a count."""
    sign = 1 if better == "higher" else -1
    if not (forecast.known and target.known):
        return Quantity(math.nan, "pp" if forecast.unit == "percent" else "percent", 1, signed=True)
    difference = (_exact(forecast.rounded) - _exact(target.rounded)) * sign
    if forecast.unit == "percent":
        return _shown_difference(difference, "pp", SHARE_DECIMALS)
    if target.rounded == 0:
        return Quantity(math.nan, "percent", 1, signed=True)
    return _shown_difference(difference / abs(_exact(target.rounded)) * 100, "percent", 1)


def meets(value: Quantity, target: Quantity, better: str, strict: bool = False) -> bool:
    """Whether the shown value is at (unless ``strict``) or on the good side of the shown target."""
    if value.rounded == target.rounded:
        return not strict
    if better == "higher":
        return value.rounded > target.rounded
    return value.rounded < target.rounded


def direction(moved: Quantity, better: str) -> str:
    """``↓ bedre``: the direction of a shown change, and whether that is good."""
    if not moved.known:
        return MISSING
    if moved.sign == 0:
        return "→ uændret"
    good = (moved.sign < 0) == (better == "lower")
    return f"{'↑' if moved.sign > 0 else '↓'} {'bedre' if good else 'dårligere'}"


def json_fields(name: str, quantity: Quantity) -> dict[str, float | None]:
    """``{"actual_pct": 29.6}``: a figure under a name that says its unit, its value as shown (rounded as its
    text, a figure without decimals as an integer)."""
    return {f"{name}_{UNIT_SUFFIX[quantity.unit]}": quantity.json}


def change_unit_words(share: bool) -> str:
    """What a change against the year before is measured in, as :func:`change` shows it: percentage points
    between shares, per cent of the earlier figure otherwise."""
    return "procentpoint" if share else "procent"


def describe_change(moved: Quantity, better: str) -> str:
    """``et fald på 4,2 %`` (``0,8 procentpoint`` for a share) against the same period a year earlier, and
    whether that is better or worse; ``moved`` is the change as shown."""
    if not moved.known:
        return "uden sammenligning med året før (der mangler tal)"
    if moved.sign == 0:
        return "uændret i forhold til samme periode året før"
    word = "en stigning" if moved.sign > 0 else "et fald"
    value = abs(moved.value)
    size = (
        f"{format_number(value, moved.decimals)} procentpoint"
        if moved.unit == "pp"
        else format_percent(value, moved.decimals)
    )
    good = (moved.sign < 0) == (better == "lower")
    verdict = "en forbedring" if good else "en forværring"
    return f"{word} på {size} i forhold til samme periode året før ({verdict})"
