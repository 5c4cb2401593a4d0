"""Danish formats: numbers, percentages, points, dates, months and periods (babel), and the status words.

Numbers are rounded half up (0,5 rounds away from zero) before they are formatted, so
a figure and every comparison made from it read the same wherever they are shown
(:mod:`councilbook.core.figures`).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from councilbook.core.periods import Span, freq_of_period, parse_period

LOCALE = "da_DK"
MISSING = "–"

STATUS_LABELS: dict[str, tuple[str, str]] = {
    # status: (symbol, word)
    "on_track": ("✔", "På rette spor"),
    "at_risk": ("⚠", "I risiko"),
    "off_track": ("✖", "Ikke på rette spor"),
    "attained": ("✔", "Opfyldt"),
    "not_attained": ("✖", "Ikke opfyldt"),
    "unknown": ("?", "Kan ikke vurderes"),
    "no_data": ("?", "Ingen tal endnu"),
}


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, decimals: int = 0) -> float:
    """``2.5`` → ``3``, ``0.25`` (1 decimal) → ``0.3``: the rounding every shown figure uses."""
    if is_missing(value) or math.isinf(value):
        return value
    try:
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too large to quantize: already beyond any decimals shown
        return float(value)
    result = float(exact)
    return 0.0 if result == 0 else result  # no "-0"


def format_number(value: float | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1.235`` (0 decimals) or ``1.234,5`` (1 decimal); missing → ``–``."""
    if value is None or is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    rounded = Decimal(repr(round_half_up(float(value), decimals)))
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def format_percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """``12.5`` → ``12,5 %``; with ``signed`` → ``+12,5 %`` / ``-3,0 %`` / ``±0,0 %``."""
    if value is None or is_missing(value):
        return MISSING
    return f"{_signed_number(value, decimals, signed)}\u00a0%"


def _signed_number(value: float, decimals: int, signed: bool) -> str:
    rounded = round_half_up(value, decimals)
    text = format_number(abs(rounded) if signed else rounded, decimals)
    if signed:
        text = ("+" if rounded > 0 else "-" if rounded < 0 else "±") + text
    return text


def format_points(value: float | None, decimals: int = 1) -> str:
    """``0.3`` → ``+0,3 pct.-point``: a difference between two shares."""
    if value is None or is_missing(value):
        return MISSING
    return f"{_signed_number(value, decimals, True)} pct.-point"


def format_date(day: date) -> str:
    """``13. marts 2013``."""
    return _babel_date(day, format="d. MMMM y", locale=LOCALE)


def format_iso_day(text: str) -> str:
    """A day an API or a file gives as ISO text (``2026-07-21``, or a time stamp starting with it) as
    ``21. juli 2026``; text that is no such day as it is, and nothing as ``ukendt``."""
    try:
        return format_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text or "ukendt"


def format_day_month(day: date) -> str:
    """``13. marts``: a date in a list of one year's dates."""
    return _babel_date(day, format="d. MMMM", locale=LOCALE)


def format_day_month_short(day: date) -> str:
    """``13. mar.``: a date where room is short (a label on a chart)."""
    return _babel_date(day, format="d. MMM", locale=LOCALE)


def format_month(period: pd.Period) -> str:
    """``marts 2013``."""
    return _babel_date(date(period.year, period.month, 1), format="MMMM y", locale=LOCALE)


QUARTER_WORD = "kvartal"


def format_period(period: pd.Period) -> str:
    """``marts 2013`` for a month, ``1. kvartal 2013`` for a quarter."""
    if freq_of_period(period) == "Q":
        return f"{period.quarter}. {QUARTER_WORD} {period.year}"
    return format_month(period)


def format_periods(first: pd.Period, last: pd.Period) -> str:
    """A run of months or quarters: ``2013``, ``januar-april 2013``, ``1.-2. kvartal 2013``."""
    if freq_of_period(first) == "M":
        return format_span(Span(first, last))
    if first == last:
        return format_period(first)
    if first.year == last.year:
        if first.quarter == 1 and last.quarter == 4:
            return str(first.year)
        return f"{first.quarter}.-{last.quarter}. {QUARTER_WORD} {first.year}"
    return f"{format_period(first)}-{format_period(last)}"


def format_period_code(code: str) -> str:
    """A period code as Danish text: ``2013`` → ``2013``, ``2013M03`` → ``marts 2013``, ``2013Q1`` →
    ``1. kvartal 2013``."""
    span = parse_period(code)
    if span.first == span.last:
        return format_month(span.first)
    if span.first.year == span.last.year and span.last.month - span.first.month == 2 and span.first.month % 3 == 1:
        return f"{(span.first.month + 2) // 3}. {QUARTER_WORD} {span.first.year}"
    return format_span(span)


def format_span(span: Span) -> str:
    """``2012``, ``marts 2013`` or ``januar-april 2013``."""
    if span.first == span.last:
        return format_month(span.first)
    if span.first.year == span.last.year:
        if span.first.month == 1 and span.last.month == 12:
            return str(span.first.year)
        first = _babel_date(date(span.first.year, span.first.month, 1), format="MMMM", locale=LOCALE)
        return f"{first}-{format_month(span.last)}"
    return f"{format_month(span.first)}-{format_month(span.last)}"


def format_status(status: str) -> str:
    symbol, word = STATUS_LABELS[status]
    return f"{symbol} {word}"


def count_noun(n: int, singular: str, plural: str) -> str:
    """``1 kontraktmøde``, ``2 kontraktmøder``: a number with its noun in the right number."""
    return f"{n} {singular if n == 1 else plural}"


def join_and(items: list[str], word: str = "og") -> str:
    """``a, b og c`` (``word="eller"``: ``a, b eller c``)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def join_or(items: list[str]) -> str:
    return join_and(items, "eller")


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
