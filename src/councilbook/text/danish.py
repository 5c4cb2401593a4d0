"""Generated Danish sentences about goals: their subject, when their figure is for, their target.

The formats of numbers, dates and periods are :mod:`councilbook.core.formats`.
"""

from __future__ import annotations

from councilbook.core.formats import (
    QUARTER_WORD,
    capitalize,
    format_month,
    format_number,
    format_percent,
    format_period_code,
)
from councilbook.core.periods import parse_month
from councilbook.parameters.model import ChangeTarget, Goal, LevelTarget, Measure, ShareTarget, is_share


def subject(goal: Goal, measure: Measure) -> str:
    return goal.subject or measure.noun


def subject_clause(goal: Goal, measure: Measure) -> str:
    """The subject ready to be followed by a verb: a relative clause gets its closing comma."""
    text = subject(goal, measure)
    return text + "," if ", " in text else text


def _year_end(year: int, freq: str) -> str:
    return f"4. {QUARTER_WORD} {year}" if freq == "Q" else f"december {year}"


def describe_when(goal: Goal, contract_year: int, freq: str = "M") -> str:
    """What the goal's figure for the year is: ``i december 2013``, ``i gennemsnit pr. måned i 2013``, ..."""
    target = goal.target
    if goal.aggregation == "end_of_period":
        if isinstance(target, LevelTarget):
            month_period = parse_month(target.month)
            if freq == "Q":
                return f"i {month_period.quarter}. {QUARTER_WORD} {month_period.year}"
            return f"i {format_month(month_period)}"
        return f"i {_year_end(contract_year, freq)}"
    if goal.aggregation == "average":
        return f"i gennemsnit pr. {'kvartal' if freq == 'Q' else 'måned'} i {contract_year}"
    if goal.aggregation == "sum":
        return f"i alt i {contract_year}"
    return f"i {contract_year}"


def describe_target(
    goal: Goal, measure: Measure, contract_year: int, freq: str = "M", implied: str | None = None
) -> str:
    """The target in one Danish sentence made from its parameters; ``implied`` is the target figure a
    change target gives (``højst 4.276``), when the baseline is known.

    ``Antallet af langtidsledige skal højst være 9.000 i december 2013.``
    """
    noun = capitalize(subject_clause(goal, measure))
    target = goal.target
    bound = "højst" if goal.better == "lower" else "mindst"
    baseline = format_period_code(goal.baseline)
    when = describe_when(goal, contract_year, freq)
    share = is_share(goal, measure)
    if isinstance(target, LevelTarget):
        value = format_percent(target.value) if share else format_number(target.value)
        return f"{noun} skal {bound} være {value} {when}."
    if isinstance(target, ShareTarget):
        return f"{noun} skal {bound} være {format_percent(target.percent)} {when}."
    # A change is for the year (or, for a level at the year's end, its last period).
    year = f"i {_year_end(contract_year, freq)}" if goal.aggregation == "end_of_period" else f"i {contract_year}"
    if isinstance(target, ChangeTarget):
        size = format_percent(abs(target.percent)) + (" (af niveauet, ikke procentpoint)" if share else "")
        verb = "falde" if target.percent < 0 else "stige"
        extent = "mindst" if (target.percent < 0) == (goal.better == "lower") else "højst"
        tail = f", dvs. til {implied}" if implied else ""
        return f"{noun} skal {verb} med {extent} {size} {year} i forhold til {baseline}{tail}."
    verb = "begrænses" if goal.better == "lower" else "øges"
    return f"{noun} skal {verb} mest muligt {year} i forhold til {baseline}."
