"""A report's figures to take away: the tables it shows, as one CSV file and one Excel workbook.

The figures are read back from the tables' cells as shown (``9.024``, ``15,3 %``, ``+0,7 pct.-point ↑ bedre``,
``3.``), so a download holds exactly the figures of the page, rounded the same: numbers as numbers, a
count without decimals, a share's unit and a change's in the column's header (``Faktisk (%)``,
``Udvikling mod året før (pct.-point)``). What a cell says besides its figure (``↑ bedre``) goes in a column
beside it; a cell that is not one figure (``højst 9.000``, ``9.024 (8.463–9.585)``) stays text; a column
whose figures have different units (the goals' overview: counts and shares) gets a column naming each
figure's unit.

The CSV opens in a Danish Excel (semicolon, decimal comma, UTF-8 with BOM) with a column naming each table;
the workbook has a sheet per table. Both are the same bytes for the same figures.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from councilbook.core import figures as fig
from councilbook.core.formats import MISSING
from councilbook.text import render
from councilbook.text.present import Table
from councilbook.text.sheets import excel_format, store_text_as_text, workbook_bytes, write_table

_NUMBER = r"[+\-±]?\d{1,3}(?:\.\d{3})*(?:,\d+)?|[+\-±]?\d+(?:,\d+)?"
_CELL = re.compile(rf"^(?P<number>{_NUMBER})(?P<unit>\u00a0%| %| pct\.-point)?(?P<rank>\.(?!\d))?(?P<rest>.*)$")
UNITS: dict[str, fig.Unit] = {"": "count", "\u00a0%": "percent", " %": "percent", " pct.-point": "pp"}
UNIT_HEADERS = {"count": "", "percent": "%", "pp": "pct.-point", "ratio": ""}
TABLE_COLUMN = "Tabel"
CSV_MEDIA = "text/csv;charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Figure:
    """A cell's figure as shown: its value, unit and decimals, and whether it had a sign."""

    value: float
    unit: fig.Unit
    decimals: int
    signed: bool
    rest: str = ""  # what the cell says besides its figure

    @property
    def number(self) -> int | float:
        return int(self.value) if self.decimals == 0 else self.value

    @property
    def quantity(self) -> fig.Quantity:
        return fig.Quantity(self.value, self.unit, self.decimals, signed=self.signed)


def read_figure(cell: str) -> Figure | None:
    """The one figure a cell shows (``-7,5 % ↓ bedre``, ``3.``, ``0,82 ▼ dårligere``), or None when the cell is
    not a figure: words before it, or more figures after it (a range, a year in brackets)."""
    match = _CELL.match(cell.strip())
    if match is None:
        return None
    rest = match["rest"].strip()
    if re.search(r"[0-9]", rest):
        return None
    number = match["number"]
    integer, _, fraction = number.lstrip("+-±").replace(".", "").partition(",")
    value = float(f"{integer}.{fraction or 0}") * (-1 if number.startswith("-") else 1)
    unit = UNITS[match["unit"] or ""]
    if match["rank"] and unit != "count":  # "15,0 %." is a figure and a full stop, never a rank
        return None
    return Figure(value, unit, len(fraction), number[0] in "+-±", rest)


@dataclass(frozen=True)
class FigureTable:
    """A shown table with its figures as numbers: ``rows`` hold str, int, float or None (missing)."""

    name: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    formats: list[dict[int, fig.Quantity]]  # per row: the figure's quantity per column, for its number format


def figure_table(table: Table, name: str = "") -> FigureTable | None:
    """``table``'s figures as numbers, named ``name`` (else its caption); None when it shows no figure."""
    plan: list[tuple[str, int, str]] = []  # (header, source column, what: "text", "value", "unit" or "rest")
    width = len(table.columns)
    read = [[read_figure(cell) if cell not in (MISSING, "") else None for cell in row] for row in table.rows]
    for col, header in enumerate(table.columns):
        present_cells = [(row[col], r[col]) for row, r in zip(table.rows, read, strict=True)]
        present_cells = [(c, f) for c, f in present_cells if c not in (MISSING, "")]
        if col == 0 or not present_cells or any(f is None for _, f in present_cells):
            plan.append((header, col, "text"))
            continue
        units = {f.unit for _, f in present_cells if f is not None}
        unit = UNIT_HEADERS[next(iter(units))] if len(units) == 1 else ""
        plan.append((f"{header} ({unit})" if unit else header, col, "value"))
        if len(units) > 1:
            plan.append((f"{header}: enhed", col, "unit"))
        if any(f is not None and f.rest for _, f in present_cells):
            plan.append((f"{header}: tekst", col, "rest"))
    if all(what == "text" for _, _, what in plan):
        return None
    rows: list[list[str | int | float | None]] = []
    formats: list[dict[int, fig.Quantity]] = []
    for row, figures in zip(table.rows, read, strict=True):
        out: list[str | int | float | None] = []
        quantities: dict[int, fig.Quantity] = {}
        for _, col, what in plan:
            cell, figure = row[col] if col < width else "", figures[col]
            if what == "text":  # without the word joiners that hold a range together on screen
                out.append(None if cell in (MISSING, "") else cell.replace("\u2060", ""))
            elif figure is None:
                out.append(None)
            elif what == "value":
                quantities[len(out)] = figure.quantity
                out.append(figure.number)
            elif what == "unit":
                out.append(UNIT_HEADERS[figure.unit] or "antal")
            else:
                out.append(figure.rest or None)
        rows.append(out)
        formats.append(quantities)
    return FigureTable(name or table.caption, [header for header, _, _ in plan], rows, formats)


def figure_tables(tables: list[Table]) -> list[FigureTable]:
    """The tables that show figures, each named (its caption, else "Tabel N")."""
    found = []
    for number, table in enumerate(tables, start=1):
        made = figure_table(table, table.caption or f"Tabel {number}")
        if made is not None:
            found.append(made)
    return found


def csv_bytes(tables: list[FigureTable]) -> bytes:
    """The tables one under the other in one CSV: the first column names the table, then every table's
    columns (in the order they first appear); UTF-8 with BOM, semicolons, decimal comma."""
    columns = list(dict.fromkeys(c for t in tables for c in t.columns))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([TABLE_COLUMN, *columns])
    for table in tables:
        for row, quantities in zip(table.rows, table.formats, strict=True):
            cells = dict.fromkeys(columns, "")
            for index, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                if index in quantities:
                    q = quantities[index]
                    cells[column] = f"{q.value:.{q.decimals}f}".replace(".", ",")
                elif value is not None:
                    cells[column] = str(value)
            writer.writerow([table.name, *cells.values()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(number: int, name: str) -> str:
    """A sheet's name: the table's number and as much of its name as fits (31 characters, none of []:*?/\\)."""
    plain = _SHEET_FORBIDDEN.sub(" ", name)
    return f"{number}. {plain}"[:31].strip()


def xlsx_bytes(tables: list[FigureTable]) -> bytes:
    """A workbook with a sheet per table: its name in the first row, the header (with units) in the third,
    numbers as numbers in the reports' formats."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(sheet_title(number, table.name))
        sheet.cell(row=1, column=1, value=table.name).font = Font(bold=True, size=12)
        write_table(sheet, table.columns, table.rows, {}, start_row=3)
        for r, quantities in enumerate(table.formats, start=4):
            for column, quantity in quantities.items():
                sheet.cell(row=r, column=column + 1).number_format = excel_number_format(quantity)
    store_text_as_text(workbook)
    return workbook_bytes(workbook)


def excel_number_format(quantity: fig.Quantity) -> str:
    """The figure's decimals and sign, without a unit: the column's header names it."""
    return excel_format(
        fig.Quantity(
            quantity.value, "count" if quantity.unit == "count" else "ratio", quantity.decimals, quantity.signed
        )
    )


@dataclass(frozen=True)
class Downloads:
    """The links that download a report's figures (``name``.csv and ``name``.xlsx), embedded in the page."""

    name: str
    tables: list[FigureTable]

    def _repr_html_(self) -> str:
        if not self.tables:
            return ""
        csv_data = base64.b64encode(csv_bytes(self.tables)).decode("ascii")
        xlsx_data = base64.b64encode(xlsx_bytes(self.tables)).decode("ascii")
        return str(
            render.macros("blocks.html.j2").downloads(
                self.name, f"data:{CSV_MEDIA};base64,{csv_data}", f"data:{XLSX_MEDIA};base64,{xlsx_data}"
            )
        )

    def __repr__(self) -> str:
        return f"[Hent rapportens tal: {self.name}.csv, {self.name}.xlsx]"
