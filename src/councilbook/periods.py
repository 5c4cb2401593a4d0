"""Period codes as jobindsats.dk writes them, and the month spans they cover.

``2013`` is a year, ``2013M01`` a month, ``2013Q1`` a quarter. Internally a
month is a :class:`pandas.Period` with monthly frequency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

import pandas as pd

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class PeriodCodeError(ValueError):
    """A period code that is not ``YYYY``, ``YYYYMmm`` or ``YYYYQn``."""


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


@lru_cache(maxsize=4096)  # a data file repeats the same few hundred period codes
def parse_period(code: str) -> Span:
    """The months a period code covers. Raises :class:`PeriodCodeError`."""
    text = str(code).strip()
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Span(month(year, 1), month(year, 12))
    if m := _MONTH.match(text):
        single = month(int(m.group(1)), int(m.group(2)))
        return Span(single, single)
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        return Span(month(year, 3 * quarter - 2), month(year, 3 * quarter))
    raise PeriodCodeError(
        f"{text!r} is not a period code (use a year like 2013, a month like 2013M01 or a quarter like 2013Q1)"
    )


def parse_month(code: str) -> pd.Period:
    """A single month code ``YYYYMmm``. Raises :class:`PeriodCodeError`."""
    span = parse_period(code)
    if span.first != span.last:
        raise PeriodCodeError(f"{code!r} is not a month code (use a month like 2013M12)")
    return span.first


def month_code(period: pd.Period) -> str:
    return f"{period.year}M{period.month:02d}"


def month_end(period: pd.Period) -> date:
    return period.end_time.date()


def is_whole_year(span: Span) -> bool:
    return span.first.month == 1 and span.last.month == 12 and span.first.year == span.last.year
