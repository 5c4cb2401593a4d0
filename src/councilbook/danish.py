"""Danish formats and generated Danish sentences (babel for numbers and dates)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from .parameters import ChangeTarget, Goal, LevelTarget, Measure, ShareTarget
from .periods import Span, parse_month

LOCALE = "da_DK"
MISSING = "–"

STATUS_LABELS: dict[str, tuple[str, str]] = {
    # status: (symbol, word)
    "on_track": ("✔", "På rette spor"),
    "at_risk": ("⚠", "I risiko"),
    "off_track": ("✖", "Ikke på rette spor"),
    "no_data": ("?", "Ingen data"),
}


def format_number(value: float | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1.235`` (0 decimals) or ``1.234,5`` (1 decimal); missing → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """``12.5`` → ``12,5 %``; with ``signed`` → ``+12,5 %`` / ``-3,0 %``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = format_number(abs(value) if signed else value, decimals)
    if signed:
        text = ("+" if value > 0 else "-" if value < 0 else "±") + text
    return f"{text}\u00a0%"


def format_date(day: date) -> str:
    """``13. marts 2013``."""
    return _babel_date(day, format="d. MMMM y", locale=LOCALE)


def format_month(period: pd.Period) -> str:
    """``marts 2013``."""
    return _babel_date(date(period.year, period.month, 1), format="MMMM y", locale=LOCALE)


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


def goal_decimals(goal: Goal, measure: Measure) -> int:
    """Shares get one decimal, counts none."""
    if is_share(goal, measure):
        return 1
    return 0


def format_goal_value(value: float | None, goal: Goal, measure: Measure) -> str:
    if is_share(goal, measure):
        return format_percent(value, 1)
    return format_number(value, goal_decimals(goal, measure))


def subject(goal: Goal, measure: Measure) -> str:
    return goal.subject or measure.noun


def subject_clause(goal: Goal, measure: Measure) -> str:
    """The subject ready to be followed by a verb: a relative clause gets its closing comma."""
    text = subject(goal, measure)
    return text + "," if ", " in text else text


def is_share(goal: Goal, measure: Measure) -> bool:
    return goal.aggregation == "ratio" or measure.kind == "share"


def format_change(change_pct: float, difference: float, goal: Goal, measure: Measure) -> str:
    """The change against last year: percentage points for shares, % otherwise."""
    if is_share(goal, measure):
        if math.isnan(difference):
            return MISSING
        sign = "+" if difference > 0 else "-" if difference < 0 else "±"
        return f"{sign}{format_number(abs(difference), 1)} pct.-point"
    return format_percent(change_pct, signed=True)


def count_noun(n: int, singular: str, plural: str) -> str:
    """``1 kontraktmøde``, ``2 kontraktmøder``: a number with its noun in the right number."""
    return f"{n} {singular if n == 1 else plural}"


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_target(goal: Goal, measure: Measure, contract_year: int) -> str:
    """The target in one Danish sentence made from its parameters.

    ``Antallet af langtidsledige skal højst være 9.500 i december 2013.``
    """
    noun = capitalize(subject_clause(goal, measure))
    target = goal.target
    bound = "højst" if goal.better == "lower" else "mindst"
    baseline = format_span(goal.baseline_span)
    if isinstance(target, LevelTarget):
        when = format_month(parse_month(target.month))
        return f"{noun} skal {bound} være {format_number(target.value)} i {when}."
    if isinstance(target, ShareTarget):
        return f"{noun} skal {bound} være {format_percent(target.percent)} i {contract_year}."
    if isinstance(target, ChangeTarget):
        size = format_percent(abs(target.percent))
        verb = "falde" if target.percent < 0 else "stige"
        extent = "mindst" if (target.percent < 0) == (goal.better == "lower") else "højst"
        return f"{noun} skal {verb} med {extent} {size} i {contract_year} i forhold til {baseline}."
    verb = "begrænses" if goal.better == "lower" else "øges"
    return f"{noun} skal {verb} mest muligt i {contract_year} i forhold til {baseline}."


def describe_change(change_pct: float, difference: float, goal: Goal, measure: Measure) -> str:
    """``et fald på 4,2 %`` (or ``0,8 procentpoint`` for shares) and whether that is better or worse."""
    if math.isnan(change_pct):
        return "uden sammenligning med året før (der mangler tal)"
    if abs(change_pct) < 0.05:
        return "uændret i forhold til samme periode året før"
    word = "en stigning" if change_pct > 0 else "et fald"
    size = (
        f"{format_number(abs(difference), 1)} procentpoint"
        if is_share(goal, measure)
        else format_percent(abs(change_pct))
    )
    good = (change_pct < 0) == (goal.better == "lower")
    verdict = "en forbedring" if good else "en forværring"
    return f"{word} på {size} i forhold til samme periode året før ({verdict})"


def direction_arrow(change_pct: float, better: str) -> str:
    """An arrow for the direction of travel, with the word for good or bad."""
    if math.isnan(change_pct):
        return MISSING
    if abs(change_pct) < 0.05:
        return "→ uændret"
    arrow = "↑" if change_pct > 0 else "↓"
    good = (change_pct < 0) == (better == "lower")
    return f"{arrow} {'bedre' if good else 'dårligere'}"
