"""The jobindsats.dk CSV export (``;``-separated, decimal commas, UTF-8 with or without BOM, or
Windows-1252): title and metadata rows, then a table with areas as rows and periods as columns or
the other way round, aggregate rows (``Hele landet``, a region) that are left out, values withheld
for discretion (``..``, ``-``, empty) that are read as missing, numbers as text in Danish format
(``1.234``, ``12,5``), and footnotes under the table that are ignored
(:mod:`councilbook.data.export_grid`).

It is the fallback for CSV files: every ``.csv`` file no other reader claims (one that is not tidy
CSV) is read as an export, so a broken export is told what is wrong with it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from councilbook.core.errors import display_path
from councilbook.data.cells import csv_problem, export_text
from councilbook.data.export_grid import parse_export_grid
from councilbook.data.reading import Figure, ReadContext, Reader


def read_jobindsats_csv(path: Path, context: ReadContext) -> list[Figure]:
    shown = display_path(path)
    text = export_text(path.read_bytes(), shown, context.problems)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        rows = list(reader)
    except csv.Error as exc:
        context.problems.append(csv_problem(shown, reader.line_num, exc))
        return []
    grid = [
        [(value, f"række {r}, kolonne {c}") for c, value in enumerate(row, start=1)] for r, row in enumerate(rows, 1)
    ]
    return parse_export_grid(grid, shown, path.stem, context)


READER = Reader(
    name="export_csv",
    label="jobindsats.dk's CSV-eksport (.csv, semikolonsepareret)",
    suffixes=(".csv",),
    read=read_jobindsats_csv,
    fallback=True,
)
