"""The pieces every data reader shares: a figure in a cell (Danish numbers, withheld marks, the size
limit), a period code in a header, an export's text decoded, and the Danish messages for them.

A reader module imports what it needs from here; nothing here knows which reader asks.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from typing import Any

from councilbook.core.errors import Problem
from councilbook.core.formats import format_number
from councilbook.core.periods import PeriodCodeError, normalise_code, parse_period
from councilbook.parameters.types import MAX_FIGURE

WITHHELD_MARKS = {"", "..", "-", "–", "x", "X", ":"}
SAVE_AS_UTF8 = "gem den som CSV UTF-8 (i Excel: Gem som, »CSV UTF-8«)"
SAVE_OR_EXPORT = f"{SAVE_AS_UTF8}, eller hent den fra jobindsats.dk igen"

_DANISH_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


# ---------------------------------------------------------------------------
# Values and periods
# ---------------------------------------------------------------------------


def parse_export_value(raw: Any) -> float | None:
    """A cell from an export: a number, Danish text (``1.234``, ``12,5``), or withheld (None).

    Raises ValueError for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text in WITHHELD_MARKS:
        return None
    if _DANISH_NUMBER.match(text):
        return float(text.replace(".", "").replace(",", "."))
    raise ValueError(raw)


def figure_problem(value: float | None, raw: Any) -> str | None:
    """What is wrong with a figure read as ``value`` from ``raw``: infinite, not a number, or larger
    in size than :data:`~councilbook.parameters.types.MAX_FIGURE` (a typing or export error). None if fine."""
    if value is None or (math.isfinite(value) and abs(value) <= MAX_FIGURE):
        return None
    text = str(raw).strip()
    if len(text) > 40:
        text = f"{text[:30]}... ({format_number(len(text))} tegn)"
    if math.isnan(value):
        return f"{text!r} er ikke et tal"
    return f"{text!r} er for stort til at være et tal (højst {format_number(MAX_FIGURE)}); tjek tallet"


def period_code(raw: Any) -> str | None:
    """The period code a header cell holds (``2013M01``, ``2013Q1``, ``2013``), or None."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (int, float)) and not (isinstance(raw, int) and 1900 <= raw <= 2200):
        return None  # a number is a period label only as a year
    text = str(raw).strip()
    try:
        parse_period(text)
    except PeriodCodeError:
        return None
    return normalise_code(text)


def period_message(text: str) -> str:
    """Why ``text`` is not a period code (the period parser's own message where it has one)."""
    try:
        parse_period(text)
    except PeriodCodeError as exc:
        return str(exc)
    return f"{text!r} er ikke en periode"


# ---------------------------------------------------------------------------
# Text files
# ---------------------------------------------------------------------------


def csv_problem(shown: str, line: int, exc: csv.Error) -> Problem:
    """A CSV file the csv module gives up on: most often a quote that is never closed."""
    return Problem(
        shown, "", 'filen kan ikke læses som CSV her; tjek, om et anførselstegn (") ikke er lukket', line=line
    )


def decode_export_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252. Raises UnicodeDecodeError for neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: its BOM starts with UTF-16's
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def export_text(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    """An export's text (:func:`decode_export_bytes`), or None with a problem saying what the file is
    instead and what to do: UTF-16 or UTF-32 text, NUL bytes, or bytes that are neither encoding."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            problems.append(
                Problem(shown, "", f"filen er {name}-tekst, ikke UTF-8 eller Windows-1252; {SAVE_OR_EXPORT}")
            )
            return None
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        problems.append(
            Problem(
                shown,
                "",
                f"filen har NUL-tegn, så den er ikke CSV-tekst (UTF-16 uden BOM, eller slet ikke tekst); "
                f"{SAVE_OR_EXPORT}",
                line=line,
            )
        )
        return None
    try:
        return decode_export_bytes(data)
    except UnicodeDecodeError as exc:  # not UTF-8, and a byte Windows-1252 leaves undefined
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                shown,
                "",
                f"filen er hverken UTF-8- eller Windows-1252-tekst (byte nr. {format_number(exc.start + 1)}, "
                f"0x{data[exc.start]:02X}, findes i ingen af dem); {SAVE_OR_EXPORT}",
                line=line,
            )
        )
        return None
