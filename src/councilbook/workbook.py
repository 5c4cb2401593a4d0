"""The pack's Excel workbook (openpyxl): an overview, a sheet per goal, and "Om data".

Danish headers; numbers stay numbers, with formats that show Danish separators in
a Danish spreadsheet program; header row frozen, filters on, column widths
fitted; status as symbol and word, with fill colour only as a third cue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .compute import MeetingStatus
from .danish import STATUS_LABELS, format_date, format_goal_value, format_month
from .parameters import MEETING_KIND_LABELS_DA, Parameters
from .provenance import Provenance

FILLS = {
    "on_track": PatternFill("solid", fgColor="E3F1E8"),
    "at_risk": PatternFill("solid", fgColor="FDF1D6"),
    "off_track": PatternFill("solid", fgColor="F8E0DC"),
    "no_data": PatternFill("solid", fgColor="EEEEEE"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
COUNT = "#,##0"
DECIMAL = "#,##0.0"
RATIO = "0.00"


def _value(x: object) -> object:
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if x is pd.NA:
        return None
    if hasattr(x, "item"):
        return x.item()  # numpy scalars
    return x


def _write_table(
    ws: Worksheet, headers: list[str], rows: Sequence[Sequence[object]], formats: dict[int, str], start_row: int = 1
) -> None:
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_value(value))
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
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"
    _fit_widths(ws)


def _fit_widths(ws: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = f"{cell.value:,.1f}" if isinstance(cell.value, float) else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), len(text))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def _status_text(status: str) -> str:
    symbol, word = STATUS_LABELS[status]
    return f"{symbol} {word}"


def write_status_workbook(params: Parameters, result: MeetingStatus, provenance: Provenance, path: Path) -> Path:
    wb = Workbook()
    overview = wb.active
    overview.title = "Overblik"
    rows = []
    for goal, status in zip(result.contract.goals, result.goals, strict=True):
        f = status.forecast
        rows.append(
            [
                goal.title,
                status.year_target,
                status.actual,
                status.last_year,
                status.change_pct,
                f.value,
                f.low,
                f.high,
                _status_text(status.status),
            ]
        )
    headers = [
        "Mål",
        "Målsætning for året",
        "Faktisk hidtil",
        "Samme periode året før",
        "Ændring (%)",
        "Prognose for året",
        "Prognose, lav",
        "Prognose, høj",
        "Status",
    ]
    _write_table(
        overview, headers, rows, {1: DECIMAL, 2: DECIMAL, 3: DECIMAL, 4: DECIMAL, 5: DECIMAL, 6: DECIMAL, 7: DECIMAL}
    )
    for r, status in enumerate(result.goals, start=2):
        overview.cell(row=r, column=len(headers)).fill = FILLS[status.status]

    for number, (goal, status) in enumerate(zip(result.contract.goals, result.goals, strict=True), start=1):
        ws = wb.create_sheet(f"Mål {number}")
        ws.cell(row=1, column=1, value=goal.title).font = Font(bold=True, size=12)
        measure = params.measures[goal.measure]
        ws.cell(
            row=2,
            column=1,
            value=(
                f"Regionen: faktisk hidtil {format_goal_value(status.actual, goal, measure)}, samme periode året før "
                f"{format_goal_value(status.last_year, goal, measure)}, prognose "
                f"{format_goal_value(status.forecast.value, goal, measure)}, status {_status_text(status.status)}"
            ),
        )
        table = result.jobcentres[goal.id]
        detail = result.details.get(goal.id)
        adjusted = detail.adjusted.table.set_index("jobcentre_id") if detail else pd.DataFrame()
        jc_rows = []
        for record in table.itertuples():
            extra = adjusted.loc[record.jobcentre_id] if record.jobcentre_id in adjusted.index else None
            jc_rows.append(
                [
                    record.jobcentre,
                    record.cluster,
                    record.actual,
                    record.last_year,
                    record.change_pct,
                    record.share_of_region_change_pct,
                    record.rank,
                    None if extra is None else extra["level"],
                    None if extra is None else extra["expected"],
                    None if extra is None else extra["actual_over_expected"],
                    None if extra is None else extra["adjusted_rank"],
                    None if extra is None else extra["vs_cluster"],
                ]
            )
        _write_table(
            ws,
            [
                "Jobcenter",
                "Klynge",
                "Faktisk",
                "Året før",
                "Ændring (%)",
                "Andel af regionens ændring (%)",
                "Placering",
                "Niveau",
                "Forventet niveau",
                "Faktisk ÷ forventet",
                "Placering (justeret)",
                "I forhold til klyngen",
            ],
            jc_rows,
            {2: DECIMAL, 3: DECIMAL, 4: DECIMAL, 5: DECIMAL, 7: DECIMAL, 8: DECIMAL, 9: RATIO, 11: RATIO},
            start_row=4,
        )

    about = wb.create_sheet("Om data")
    meeting = result.meeting
    lines: list[list[object]] = [
        ["Råd", params.council.name],
        ["Møde", f"{MEETING_KIND_LABELS_DA[meeting.kind]} {format_date(meeting.date)}"],
        ["Kontrakt", str(result.contract.year)],
        ["Tal til og med", format_month(result.cutoff)],
        ["Materialet udarbejdet", format_date(result.pack_date)],
        ["Kodeversion", provenance.code],
        ["Normaliseret datasæt (SHA-256)", provenance.snapshot_sha256],
    ]
    lines += [[f"Datafil: {f['path']}", f"{f['periods']}, SHA-256 {f['sha256']}"] for f in provenance.data_files]
    lines += [[f"Parameterfil: {f['path']}", f"SHA-256 {f['sha256']}"] for f in provenance.parameter_files]
    _write_table(about, ["Oplysning", "Værdi"], lines, {})
    wb.properties.creator = "councilbook"
    wb.save(path)
    return path
