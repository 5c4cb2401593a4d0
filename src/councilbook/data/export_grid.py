"""A jobindsats.dk table as a grid of cells, read into figures: title rows, a header with periods as
columns (areas as rows) or the other way round, data rows, aggregate rows left out, footnotes ignored.
The Excel export (:mod:`~councilbook.data.readers.excel_export`) and the CSV export
(:mod:`~councilbook.data.readers.export_csv`) make the grid; this module reads it.

The table's measure is recognised from its title by the measure's ``jobindsats.table`` id in
``measures.yml`` (or a sheet named as the measure).
"""

from __future__ import annotations

import re
from typing import Any

from councilbook.core.errors import Problem
from councilbook.data.areas import is_aggregate
from councilbook.data.cells import figure_problem, parse_export_value, period_code, period_message
from councilbook.data.reading import Figure, ReadContext

FOOTNOTE_START = re.compile(r"^\s*(kilde|note|noter|anm|anmærkning|fodnote|\*|source|bemærk)", re.I)
TABLE_ID = re.compile(r"\b([A-Z]\d{2}[A-Z]\d{2,3}[A-Z]?)\b")

Cell = tuple[Any, str]  # (value, cell name)


class _Unsaved:
    """The value of a formula cell without a saved value (reported where it is read): blank as text,
    and never a figure."""

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "<formel uden gemt værdi>"


UNSAVED = _Unsaved()


def _blank(row: list[Cell]) -> bool:
    return all(v is None or str(v).strip() == "" for v, _ in row)


_PERIOD_LIKE = re.compile(r"^\d{4}(M\d{1,2}|[QK]\d{1,2}|Y\d{2})?$")


def looks_like_period(raw: Any) -> bool:
    """A header cell meant as a period label, valid or not (``2013M13`` looks like one)."""
    if isinstance(raw, str):
        return bool(_PERIOD_LIKE.match(raw.strip()))
    return period_code(raw) is not None


def _find_layout(grid: list[list[Cell]]) -> tuple[str, int, int] | None:
    """("columns", header_row, first_period_col) or ("rows", header_row, period_col)."""
    for r, row in enumerate(grid):
        filled = [c for c, (v, _) in enumerate(row) if v is not None and str(v).strip()]
        periods = [c for c in filled if looks_like_period(row[c][0])]
        # A header: labels first (none of them a period), then nothing but period labels.
        if periods and periods[0] > 0 and [c for c in filled if c >= periods[0]] == periods:
            return ("columns", r, periods[0])
    for r, row in enumerate(grid):
        for c, (v, _) in enumerate(row):
            below = grid[r + 1][c][0] if r + 1 < len(grid) and c < len(grid[r + 1]) else None
            if period_code(v) and period_code(below) and r > 0:
                return ("rows", r - 1, c)
    return None


def _identify_measure(title: str, sheet: str, context: ReadContext) -> str | None:
    by_table = [
        m
        for m in context.measures.values()
        if m.jobindsats and re.search(rf"\b{re.escape(m.jobindsats.table)}\b", title, re.I)
    ]
    if len(by_table) > 1:
        by_table = [
            m
            for m in by_table
            if m.jobindsats and m.jobindsats.measure and m.jobindsats.measure.casefold() in title.casefold()
        ] or by_table
    if len(by_table) == 1:
        return by_table[0].id
    if sheet in context.measures:
        return sheet
    return None


def parse_export_grid(grid: list[list[Cell]], file: str, sheet: str, context: ReadContext) -> list[Figure]:
    """One jobindsats table: title rows, a header, data rows, footnotes."""
    where_sheet = f"arket {sheet!r}" if sheet else ""
    layout = _find_layout(grid)
    if layout is None:
        context.problems.append(
            Problem(file, where_sheet, "der er ingen tabel med perioder som kolonne- eller rækkenavne (som 2013M01)")
        )
        return []
    orientation, header_row, first = layout
    title = " ".join(str(v) for row in grid[:header_row] for v, _ in row if v is not None and str(v).strip())
    measure = _identify_measure(title, sheet, context)
    if measure is None:
        ids = TABLE_ID.findall(title)
        context.problems.append(
            Problem(
                file,
                where_sheet,
                f"det kan ikke ses, hvilket nøgletal tabellen har (titel: {title[:120]!r}); giv et nøgletal i "
                f"measures.yml `jobindsats: {{table: {ids[0] if ids else 'TABEL-ID'}}}`, "
                "eller giv arket nøgletallets navn",
            )
        )
        return []
    figures: list[Figure] = []
    header = grid[header_row]
    if orientation == "columns":
        periods = {c: period_code(v) for c, (v, _) in enumerate(header) if c >= first}
        for c, (v, name) in enumerate(header):
            if c >= first and v is not None and str(v).strip() and periods.get(c) is None:
                context.problems.append(Problem(file, name, period_message(str(v).strip())))
        for row in grid[header_row + 1 :]:
            if _blank(row):
                break
            label_cells = [v for c, (v, _) in enumerate(row) if c < first and v is not None and str(v).strip()]
            label = " ".join(str(v).strip() for v in label_cells)
            values = [(c, v, name) for c, (v, name) in enumerate(row) if c in periods]
            if FOOTNOTE_START.match(label) and all(v is None or str(v).strip() == "" for _, v, _ in values):
                break
            if not label or is_aggregate(label):
                continue
            area = context.area(label, file, row[0][1])
            if area is None:
                continue
            for c, v, name in values:
                period = periods[c]
                if period is None:
                    continue
                figures.extend(_figure(measure, area, period, v, file, name, context))
    else:
        areas: dict[int, str | None] = {}
        for c, (v, name) in enumerate(header):
            if c <= first or v is None or not str(v).strip() or is_aggregate(str(v)):
                continue
            areas[c] = context.area(v, file, name)
        for row in grid[header_row + 1 :]:
            if _blank(row) or first >= len(row):
                break
            period = period_code(row[first][0])
            if period is None:
                label = str(row[first][0] or "")
                if FOOTNOTE_START.match(label) or not label.strip():
                    break
                context.problems.append(Problem(file, row[first][1], period_message(label.strip())))
                continue
            for c, area in areas.items():
                if area is None or c >= len(row):
                    continue
                v, name = row[c]
                figures.extend(_figure(measure, area, period, v, file, name, context))
    return figures


def _figure(
    measure: str, area: str, period: str, raw: Any, file: str, where: str, context: ReadContext
) -> list[Figure]:
    if raw is UNSAVED:
        return []  # reported by read_jobindsats_excel
    try:
        value = parse_export_value(raw)
    except ValueError:
        context.problems.append(
            Problem(file, where, f"{raw!r} er ikke et tal (og heller ikke et tegn for diskretion som ..)")
        )
        return []
    wrong = figure_problem(value, raw)
    if wrong:
        context.problems.append(Problem(file, where, wrong))
        return []
    return [Figure(measure, area, period, value, file, where)]
