"""The jobindsats.dk Excel export (``.xlsx``): one table per sheet, read as the cells' saved values
and parsed as a grid (:mod:`councilbook.data.export_grid`). A formula cell needs its saved value
(Excel saves it; a program writing the file may not): without one it is a problem, not a withheld
figure.
"""

from __future__ import annotations

from pathlib import Path

from councilbook.core.errors import Problem, display_path
from councilbook.data.export_grid import UNSAVED, Cell, parse_export_grid
from councilbook.data.reading import Figure, ReadContext, Reader

_BROKEN_WORKBOOK = (
    "(den er beskadiget, eller den er ikke en .xlsx-fil); åbn den i Excel, og gem den igen, eller hent den igen"
)


def read_jobindsats_excel(path: Path, context: ReadContext) -> list[Figure]:
    """Every sheet of a workbook, as its cells' saved values. A formula cell without a saved value (a
    workbook written by a program, never opened in Excel) is a problem, not a withheld figure."""
    shown = display_path(path)
    sheets = _read_sheets(path, shown, context.problems, values=False)
    if sheets is None:
        return []
    formulas = [name for _title, grid, names in sheets for name in names]
    if formulas:  # the file as read holds the formulas' text; their saved values come with values=True
        sheets = _read_sheets(path, shown, context.problems, values=True)
        if sheets is None:
            return []
        unsaved = set(formulas) - {
            name for _title, grid, _n in sheets for row in grid for v, name in row if v is not None
        }
        for name in formulas:
            if name in unsaved:
                context.problems.append(
                    Problem(
                        shown,
                        name,
                        "cellen har en formel uden gemt værdi: åbn filen i Excel, og gem den, eller hent den igen",
                    )
                )
        # Reported: such a cell is not read as a withheld figure too (nor as a label).
        sheets = [
            (title, [[(UNSAVED if name in unsaved else v, name) for v, name in row] for row in grid], names)
            for title, grid, names in sheets
        ]
    figures: list[Figure] = []
    for title, grid, _names in sheets:
        figures.extend(parse_export_grid(grid, shown, title, context))
    return figures


def _read_sheets(
    path: Path, shown: str, problems: list[Problem], values: bool
) -> list[tuple[str, list[list[Cell]], list[str]]] | None:
    """(sheet title, grid, names of the cells holding a formula) for every sheet, or None (a problem
    added) when the file cannot be read. ``values``: a formula cell holds its saved value (None if it
    has none), else the formula's text. Empty cells keep their place, so every cell keeps its column."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(path, read_only=True, data_only=values)
    except Exception:  # openpyxl raises many kinds for a broken file
        problems.append(Problem(shown, "", f"filen kan ikke åbnes som Excel-projektmappe {_BROKEN_WORKBOOK}"))
        return None
    sheets = []
    try:
        for sheet in workbook.worksheets:
            grid: list[list[Cell]] = []
            formulas: list[str] = []
            for number, row in enumerate(sheet.iter_rows(), start=1):
                cells: list[Cell] = []
                for column, cell in enumerate(row, start=1):
                    coordinate = getattr(cell, "coordinate", None)  # an empty cell has none of its own
                    name = f"{sheet.title}!{coordinate or get_column_letter(column) + str(number)}"
                    cells.append((cell.value, name))
                    if getattr(cell, "data_type", None) == "f":
                        formulas.append(name)
                grid.append(cells)
            sheets.append((sheet.title, grid, formulas))
    except Exception:  # a damaged sheet shows only when it is read
        problems.append(Problem(shown, "", f"filen kan ikke læses som Excel-projektmappe {_BROKEN_WORKBOOK}"))
        return None
    finally:
        workbook.close()
    return sheets


READER = Reader(
    name="excel_export",
    label="jobindsats.dk's Excel-eksport (.xlsx)",
    suffixes=(".xlsx",),
    read=read_jobindsats_excel,
)
