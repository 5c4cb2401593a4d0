"""The pack's Excel workbook (openpyxl): an overview, a sheet per goal, and "Om data".

Danish headers; numbers stay numbers, with formats that show Danish separators in
a Danish spreadsheet program; header row frozen, filters on, column widths
fitted; status as symbol and word, with fill colour only as a third cue.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from councilbook.analysis.meeting import MeetingStatus
from councilbook.core import figures as fig
from councilbook.core.formats import STATUS_LABELS, format_date, format_month
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA
from councilbook.parameters.model import Parameters
from councilbook.publication.provenance import Provenance
from councilbook.text import present
from councilbook.text.sheets import cell_value, excel_format, fit_widths, store_text_as_text, write_table

_GOOD, _WARN, _BAD, _NONE = (PatternFill("solid", fgColor=c) for c in ("E3F1E8", "FDF1D6", "F8E0DC", "EEEEEE"))
FILLS = {
    "on_track": _GOOD,
    "attained": _GOOD,
    "at_risk": _WARN,
    "off_track": _BAD,
    "not_attained": _BAD,
    "unknown": _NONE,
    "no_data": _NONE,
}


def _status_text(status: str) -> str:
    symbol, word = STATUS_LABELS[status]
    return f"{symbol} {word}"


def _cell(ws: Worksheet, row: int, column: int, quantity: fig.Quantity) -> None:
    cell = ws.cell(row=row, column=column, value=quantity.json)
    cell.number_format = excel_format(quantity)


def write_status_workbook(params: Parameters, result: MeetingStatus, provenance: Provenance, path: Path) -> Path:
    """The status as a workbook: figures as shown in the pack (rounded the same, each with its unit)."""
    wb = Workbook()
    overview = wb.active
    overview.title = "Overblik"
    headers = [
        "Mål",
        "Enhed",
        "Målsætning for året (antal eller %)",
        "Faktisk hidtil (antal eller %)",
        "Samme periode året før (antal eller %)",
        "Udvikling mod året før (pct.-point for andele, % for antal)",
        "Prognose for året (antal eller %)",
        "Prognose, lav (antal eller %)",
        "Prognose, høj (antal eller %)",
        "Status",
        "Prognose siden sidste møde (pct.-point for andele, % for antal)",
        "Målsætning (som i teksten)",
    ]
    write_table(overview, headers, [[goal.title] for goal in result.contract.goals], {})
    for r, status in enumerate(result.goals, start=2):
        f = status.figures
        overview.cell(row=r, column=2, value="procent" if status.share else "antal")
        quantities = [f.target, f.actual, f.last_year, f.change, f.forecast, f.low, f.high]
        for column, quantity in enumerate(quantities, start=3):
            _cell(overview, r, column, quantity)
        overview.cell(row=r, column=10, value=_status_text(status.status)).fill = FILLS[status.status]
        since = present.since_previous(result, status)
        if since is not None:
            _cell(overview, r, 11, since)
        overview.cell(row=r, column=12, value=present.target_cell(status))  # as the pack says it: højst, mindst
    for offset, note in enumerate(present.partial_notes(result.goals), start=len(result.goals) + 3):
        overview.cell(row=offset, column=1, value=note)
    fit_widths(overview)

    for number, (goal, status) in enumerate(zip(result.contract.goals, result.goals, strict=True), start=1):
        ws = wb.create_sheet(f"Mål {number}")
        ws.cell(row=1, column=1, value=goal.title).font = Font(bold=True, size=12)
        f = status.figures
        ws.cell(
            row=2,
            column=1,
            value=(
                f"Regionen: faktisk hidtil {f.actual.text}, samme periode året før {f.last_year.text}, "
                f"prognose {f.forecast.text}, status {_status_text(status.status)}"
            ),
        )
        table = result.jobcentres[goal.id]
        detail = result.details.get(goal.id)
        adjusted = detail.adjusted.table.set_index("jobcentre_id") if detail else pd.DataFrame()
        unit = "%" if status.share else "antal"
        level_unit = "%" if status.share else "pr. 1.000 16-66-årige"
        skip = 1 if status.share else 0  # a share has no contribution column
        change_unit = "pct.-point" if status.share else "%"
        headers = [
            "Jobcenter",
            "Klynge",
            f"Faktisk ({unit})",
            f"Året før ({unit})",
            f"Udvikling mod året før ({change_unit})",
            *([] if status.share else ["Bidrag til regionens udvikling (pct.-point)"]),
            "Placering (nr.)",
            f"Niveau på lige vilkår ({level_unit})",
            f"Forventet niveau ({level_unit})",
            "Faktisk/forventet (forhold)",
            "Placering på lige vilkår (nr.)",
            "I forhold til klyngen (forhold)",
        ]
        write_table(ws, headers, [[record.jobcentre, record.cluster] for record in table.itertuples()], {}, start_row=4)
        for r, record in enumerate(table.itertuples(), start=5):
            actual, before = fig.level(record.actual, status.share), fig.level(record.last_year, status.share)
            _cell(ws, r, 3, actual)
            _cell(ws, r, 4, before)
            _cell(ws, r, 5, fig.change(actual, before))
            if not status.share:
                _cell(ws, r, 6, fig.contribution(record.contribution_pp))
            ws.cell(row=r, column=7 - skip, value=cell_value(record.rank))
            if record.jobcentre_id in adjusted.index:
                extra = adjusted.loc[record.jobcentre_id]
                _cell(ws, r, 8 - skip, present.adjusted_level(extra["level"], status.share))
                _cell(ws, r, 9 - skip, present.adjusted_level(extra["expected"], status.share))
                ratio = math.nan if extra["flag"] == "not_meaningful" else extra["actual_over_expected"]
                _cell(ws, r, 10 - skip, fig.ratio(ratio))
                ws.cell(row=r, column=11 - skip, value=cell_value(extra["adjusted_rank"]))
                _cell(ws, r, 12 - skip, fig.ratio(extra["vs_cluster"]))
        for offset, note in enumerate(present.partial_notes([status]), start=len(table) + 6):
            ws.cell(row=offset, column=1, value=note)
        fit_widths(ws, 4)

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
    write_table(about, ["Oplysning", "Værdi"], lines, {})
    fit_widths(about, 1, text_width=80)
    wb.properties.creator = "councilbook"
    store_text_as_text(wb)
    wb.save(path)
    return path
