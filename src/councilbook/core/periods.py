"""Period codes as jobindsats.dk writes them, and the month spans they cover.

``2013`` is a year, ``2013M01`` a month, ``2013Q1`` a quarter (jobindsats' Danish
exports write it ``2013K1``; both are read, ``2013Q1`` is what councilbook writes). Version 3 of the
jobindsats.dk API writes a quarter ``2013Q01`` and a year ``2013Y01``; both are read too
(:func:`normalise_code` turns them into ``2013Q1`` and ``2013``). A rolling year (``2013QMAT01``, the
twelve months up to the end of a quarter) is understood by :func:`parse_api_period`, but it is no period
of councilbook's: figures of rolling years overlap, and no measure is read by them.
Internally a month is a :class:`pandas.Period` with monthly frequency and a quarter
one with quarterly frequency; a measure's figures are all monthly or all quarterly
(its *frequency*, ``"M"`` or ``"Q"``).

**The cut-off rule** is the same for every frequency: a period's figure may be read
when its last month is at or before the cut-off month. So with the cut-off in May
2013 the months up to May, the quarters up to 1st quarter 2013 and the years up to
2012 are available; 2013's yearly figures are not (they are published after the
year ends).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import pandas as pd

from councilbook.core.errors import InputProblem

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})[QK]0?([1-4])$")
_API_YEAR = re.compile(r"^(\d{4})Y01$")  # the API's year
_ROLLING_YEAR = re.compile(r"^(\d{4})QMAT0?([1-4])$")  # the twelve months up to the quarter's end

Freq = Literal["M", "Q"]
PERIODS_PER_YEAR: dict[str, int] = {"M": 12, "Q": 4}


class PeriodCodeError(InputProblem, ValueError):
    """A period code that is not ``YYYY``, ``YYYYMmm`` or ``YYYYQn`` (``YYYYKn``)."""


@dataclass(frozen=True)
class Span:
    """An inclusive run of months, ``first`` to ``last``."""

    first: pd.Period
    last: pd.Period

    def months(self) -> list[pd.Period]:
        return list(pd.period_range(self.first, self.last, freq="M"))

    def shift_years(self, years: int) -> Span:
        return Span(self.first - 12 * years, self.last - 12 * years)

    def clip(self, last: pd.Period) -> Span | None:
        """The part of the span up to and including ``last``; None if nothing is left."""
        if last < self.first:
            return None
        return Span(self.first, min(self.last, last))


@lru_cache(maxsize=4096)
def month(year: int, month_number: int) -> pd.Period:
    return pd.Period(year=year, month=month_number, freq="M")


@lru_cache(maxsize=4096)
def quarter(year: int, number: int) -> pd.Period:
    return pd.Period(year=year, quarter=number, freq="Q")


@lru_cache(maxsize=4096)  # a data file repeats the same few hundred period codes
def parse_period(code: str) -> Span:
    """The months a period code covers. Raises :class:`PeriodCodeError`."""
    text = str(code).strip()
    if m := _YEAR.match(text) or _API_YEAR.match(text):
        year = int(m.group(1))
        return Span(month(year, 1), month(year, 12))
    if m := _MONTH.match(text):
        single = month(int(m.group(1)), int(m.group(2)))
        return Span(single, single)
    if m := _QUARTER.match(text):
        year, number = int(m.group(1)), int(m.group(2))
        return Span(month(year, 3 * number - 2), month(year, 3 * number))
    if _ROLLING_YEAR.match(text):
        raise PeriodCodeError(
            f"{text!r} er et rullende år (12 måneder til et kvartals udgang); councilbook læser måneder, kvartaler "
            "og år, ikke rullende år"
        )
    raise PeriodCodeError(
        f"{text!r} er ikke en periode (skriv et år som 2013, en måned som 2013M01 eller et kvartal som 2013Q1)"
    )


def parse_api_period(code: str) -> tuple[str, Span]:
    """The kind (``M``, ``Q``, ``Y`` or ``QMAT``) and the months of a period id of the jobindsats.dk API
    (``2025M05``, ``2025Q04``, ``2025Y01``, ``2025QMAT01``). Raises :class:`PeriodCodeError`."""
    text = str(code).strip()
    if m := _ROLLING_YEAR.match(text):
        year, number = int(m.group(1)), int(m.group(2))
        last = month(year, 3 * number)
        return "QMAT", Span(last - 11, last)
    span = parse_period(text)
    if span.first == span.last:
        return "M", span
    return ("Y" if is_whole_year(span) else "Q"), span


def normalise_code(code: str) -> str:
    """A period code as councilbook writes it: ``2013K1`` and ``2013Q01`` → ``2013Q1``, ``2013Y01`` → ``2013``;
    others as they are."""
    text = str(code).strip()
    if m := _QUARTER.match(text):
        return f"{m.group(1)}Q{m.group(2)}"
    if m := _API_YEAR.match(text):
        return m.group(1)
    return text


def parse_month(code: str) -> pd.Period:
    """A single month code ``YYYYMmm``. Raises :class:`PeriodCodeError`."""
    span = parse_period(code)
    if span.first != span.last:
        raise PeriodCodeError(f"{code!r} er ikke en måned (skriv en måned som 2013M12)")
    return span.first


def month_code(period: pd.Period) -> str:
    return f"{period.year}M{period.month:02d}"


def period_code(period: pd.Period) -> str:
    """``2013M01`` for a month, ``2013Q1`` for a quarter."""
    if freq_of_period(period) == "Q":
        return f"{period.year}Q{period.quarter}"
    return month_code(period)


def period_from_code(code: str) -> pd.Period:
    """The month or quarter a code names: ``2013M01`` → a month, ``2013Q1`` (``2013K1``) → a quarter."""
    text = normalise_code(code)
    if m := _MONTH.match(text):
        return month(int(m.group(1)), int(m.group(2)))
    if m := _QUARTER.match(text):
        return quarter(int(m.group(1)), int(m.group(2)))
    raise PeriodCodeError(f"{code!r} er hverken en måned (som 2013M01) eller et kvartal (som 2013Q1)")


def month_end(period: pd.Period) -> date:
    return period.end_time.date()


def is_whole_year(span: Span) -> bool:
    return span.first.month == 1 and span.last.month == 12 and span.first.year == span.last.year


# ---------------------------------------------------------------------------
# Frequencies: months and quarters
# ---------------------------------------------------------------------------


def freq_of_period(period: pd.Period) -> Freq:
    return "Q" if period.freqstr.startswith("Q") else "M"


def freq_of_index(index: pd.Index) -> Freq:
    """The frequency of a PeriodIndex (monthly for an empty or non-period index)."""
    freq = getattr(index, "freqstr", None) or ""
    return "Q" if freq.startswith("Q") else "M"


def first_month(period: pd.Period) -> pd.Period:
    return period.asfreq("M", how="start") if freq_of_period(period) == "Q" else period


def last_month(period: pd.Period) -> pd.Period:
    """The last month a period covers (the month itself for a month)."""
    return period.asfreq("M", how="end") if freq_of_period(period) == "Q" else period


def span_of(period: pd.Period) -> Span:
    return Span(first_month(period), last_month(period))


def year_periods(year: int, freq: Freq) -> pd.PeriodIndex:
    """The months or quarters of a year, in order."""
    if freq == "Q":
        return pd.period_range(quarter(year, 1), quarter(year, 4), freq="Q")
    return pd.period_range(month(year, 1), month(year, 12), freq="M")


def periods_within(span: Span, freq: Freq) -> pd.PeriodIndex:
    """The months, or the whole quarters, that lie inside a span of months."""
    if freq == "M":
        return pd.period_range(span.first, span.last, freq="M")
    first = span.first.asfreq("Q")
    if first_month(first) < span.first:
        first += 1
    last = span.last.asfreq("Q")
    if last_month(last) > span.last:
        last -= 1
    if last < first:
        return pd.PeriodIndex([], freq="Q")
    return pd.period_range(first, last, freq="Q")


def observed_in_year(year: int, freq: Freq, cutoff: pd.Period) -> pd.PeriodIndex:
    """The periods of a year whose figures the cut-off month allows (their last month at or before it)."""
    periods = year_periods(year, freq)
    return periods[[last_month(p) <= cutoff for p in periods]]


def year_available(year: int, cutoff: pd.Period) -> bool:
    """A yearly figure is published after its year ends: available when December is at or before the cut-off."""
    return month(year, 12) <= cutoff


def xmr_years_before(freq: Freq, minimum_points: int = 10, years: int = 2) -> int:
    """Years before the contract year that give an XmR chart at least ``minimum_points`` (2 for months, 3 for
    quarters)."""
    return max(years, math.ceil(minimum_points / PERIODS_PER_YEAR[freq]))
