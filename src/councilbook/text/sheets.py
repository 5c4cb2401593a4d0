"""Spreadsheets as the reports show their figures: tables written with Danish headers, numbers kept numbers in
the formats the reports use, fitted widths, printable pages, and workbooks saved to the same bytes each time.
The members' workbook (:mod:`councilbook.members.workbook`) and every report's download are made with them.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from councilbook.core import figures as fig

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def cell_value(x: object) -> object:
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if x is pd.NA:
        return None
    if hasattr(x, "item"):
        return x.item()  # numpy scalars
    return x


def write_table(
    ws: Worksheet, headers: list[str], rows: Sequence[Sequence[object]], formats: dict[int, str], start_row: int = 1
) -> None:
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=cell_value(value))
            if c - 1 in formats:
                cell.number_format = formats[c - 1]
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    # Printed: landscape A4, all columns on one page width, the header row repeated.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{start_row}:{start_row}"
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.left.text = "&A"  # the sheet's name
    ws.oddHeader.left.size = 11
    ws.oddFooter.right.text = "Side &P af &N"
    ws.oddFooter.right.size = 11
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"
    fit_widths(ws, start_row)


# Column widths in characters: text columns wrap at TEXT_WIDTH, so that a printed sheet fits an A4 page in
# landscape at nearly full size (fitted to the page's width, never scaled down to unreadable type).
TEXT_WIDTH = 20
NUMBER_WIDTH = 11


def fit_widths(ws: Worksheet, header_row: int = 1, text_width: int = TEXT_WIDTH) -> None:
    """Widths from the table's cells below its header row (titles above it and the header's own words wrap
    instead of widening a column)."""
    widths: dict[int, int] = {}
    texts: set[int] = set()
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.value is None:
                continue
            cell.alignment = Alignment(vertical="top", wrap_text=cell.alignment.wrap_text)
            if isinstance(cell.value, (int, float)):
                suffix = "".join(re.findall(r'"([^"]*)"', cell.number_format.split(";")[0]))
                shown = len(f"{cell.value:+,.1f}") + len(suffix) + 1
                widths[cell.column] = max(widths.get(cell.column, 0), NUMBER_WIDTH, shown)
                continue
            texts.add(cell.column)
            widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)) + 2)
    for column, width in widths.items():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = max(min(width, text_width) if column in texts else width, 9)
        if column in texts and width > text_width:
            for row in ws.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Spreadsheet programs do not grow a row for wrapped text written by openpyxl: give each row the
    # height of its tallest wrapped cell (about 15 points a line at 11 pt).
    for row in ws.iter_rows(min_row=header_row):
        lines = 1
        for cell in row:
            if cell.value is None or isinstance(cell.value, (int, float)):
                continue
            if cell.row == header_row or (cell.alignment and cell.alignment.wrap_text):
                width = ws.column_dimensions[get_column_letter(cell.column)].width or 9
                lines = max(lines, math.ceil(len(str(cell.value)) * 1.1 / max(width - 1, 1)))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * min(lines, 8)


def excel_format(quantity: fig.Quantity) -> str:
    """The number format that shows a figure as the reports do: its unit and decimals (Danish separators
    come from the spreadsheet program's locale)."""
    digits = "0" + ("." + "0" * quantity.decimals if quantity.decimals else "")
    body = "#,##" + digits if quantity.unit in ("count", "per_1000") else digits
    suffix = {"count": "", "percent": '" %"', "pp": '" pct.-point"', "ratio": "", "per_1000": ""}[quantity.unit]
    if quantity.signed:
        return f'+{body}{suffix};-{body}{suffix};"±"{body}{suffix}'
    return body + suffix


def store_text_as_text(wb: Workbook) -> None:
    """Every text cell a string, never a formula: the workbook writes no formulas, so a text that begins
    with "=" (a council's or a job centre's name, a goal's title …) is stored as the text it is."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def workbook_bytes(workbook: Workbook) -> bytes:
    """``workbook`` saved, the same bytes for the same content: fixed document dates and zip entry times, so a
    report's output (and its page) does not change from one run to the next."""
    stamp = datetime(2000, 1, 1)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "councilbook"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(stable, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving as "modified"
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            target.writestr(entry, content)
    return stable.getvalue()
