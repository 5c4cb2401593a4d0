"""The project's own tidy CSV (comma-separated, UTF-8)::

    measure,area,area_name,period,value
    langtidsledige,101,København,2013M01,3021

``area`` is a municipality code or name, or a job centre's name; ``period`` a period code
(``2013M01``, ``2013Q1``, ``2013``); ``value`` a number with a decimal point, or empty when withheld
(missing, never zero). ``area_name`` is optional and only for people. ``councilbook fetch`` writes
its figures from jobindsats.dk's API (version 3) in this format. A CSV file is tidy CSV when its
first line names the columns ``measure``, ``area``, ``period`` and ``value``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from councilbook.core.errors import Problem, display_path
from councilbook.core.formats import format_number, join_and
from councilbook.data.cells import PLAIN_NUMBER, SAVE_AS_UTF8, csv_problem, figure_problem, period_code, period_message
from councilbook.data.reading import Figure, ReadContext, Reader

TIDY_COLUMNS = ("measure", "area", "period", "value")


def is_tidy_csv(path: Path) -> bool:
    """Whether a file's first line names the tidy columns (read from its first 4 KiB only)."""
    # The head only: a character cut at its end, or a byte neither encoding has, is for the reader to report.
    with path.open("rb") as file:
        head = file.read(4096)
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    columns = [c.strip() for c in first[0].split(",")] if first else []
    return all(c in columns for c in TIDY_COLUMNS)


def read_tidy_csv(path: Path, context: ReadContext) -> list[Figure]:
    """The project's own format. Row numbers count the header as row 1."""
    shown = display_path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        context.problems.append(
            Problem(
                shown,
                "",
                f"filen er ikke UTF-8-tekst (byte nr. {format_number(exc.start + 1)} kan ikke læses); {SAVE_AS_UTF8}",
                line=line,
            )
        )
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as reading it as text did
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
        records = list(reader)
    except csv.Error as exc:
        context.problems.append(csv_problem(shown, reader.line_num, exc))
        return []
    missing = [c for c in TIDY_COLUMNS if c not in header]
    if missing:
        context.problems.append(
            Problem(
                shown,
                "",
                f"kolonnen {join_and(missing)} mangler i første linje (den skal have {', '.join(TIDY_COLUMNS)})"
                if len(missing) == 1
                else f"kolonnerne {join_and(missing)} mangler i første linje (den skal have {', '.join(TIDY_COLUMNS)})",
                line=1,
            )
        )
        return []
    figures = []
    for number, row in enumerate(records, start=2):
        where = f"række {number}"
        raw_value = (row["value"] or "").strip()
        value: float | None
        if raw_value == "":
            value = None
        elif PLAIN_NUMBER.match(raw_value):
            value = float(raw_value)
        else:
            context.problems.append(Problem(shown, where, f"value: {raw_value!r} er ikke et tal"))
            continue
        wrong = figure_problem(value, raw_value)
        if wrong:
            context.problems.append(Problem(shown, where, f"value: {wrong}"))
            continue
        raw_period = (row["period"] or "").strip()
        period = period_code(raw_period)
        if period is None:
            context.problems.append(Problem(shown, where, period_message(raw_period)))
            continue
        area = context.area(row["area"], shown, where)
        if area is None:
            continue
        figures.append(Figure((row["measure"] or "").strip(), area, period, value, shown, where))
    return figures


READER = Reader(
    name="tidy_csv",
    label="tidy CSV (measure,area,period,value)",
    suffixes=(".csv",),
    read=read_tidy_csv,
    sniff=is_tidy_csv,
)
