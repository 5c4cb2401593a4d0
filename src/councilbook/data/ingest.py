"""Stage 1: read the data files into one tidy table, checking as we go.

A data folder holds any mix of:

* **tidy CSV** (the project's own format, comma-separated, UTF-8)::

      measure,area,area_name,period,value
      langtidsledige,101,København,2013M01,3021

  ``area`` is a municipality code or name, or a job centre's name; ``period`` a
  period code (``2013M01``, ``2013Q1``, ``2013``); ``value`` a number with a
  decimal point, or empty when withheld (missing, never zero). ``area_name`` is
  optional and only for people.
* **jobindsats.dk Excel exports** (``.xlsx``), one table per sheet, and
* **jobindsats.dk CSV exports** (``;``-separated, decimal commas, UTF-8 with or
  without BOM, or Windows-1252): title and metadata rows, then a table with
  areas as rows and periods as columns or the other way round, aggregate rows
  (``Hele landet``, a region) that are left out, values withheld for discretion
  (``..``, ``-``, empty) that are read as missing, numbers as text in Danish
  format (``1.234``, ``12,5``), and footnotes under the table that are ignored.
  The table's measure is recognised from its title by the measure's
  ``jobindsats.table`` id in ``measures.yml`` (or a sheet named as the measure).

and an optional ``datasource.yml``::

    title: Udtræk fra jobindsats.dk
    source: jobindsats.dk
    sample: false               # true prints a sample-data notice on every report
    ignore_unknown_areas: false # true skips areas outside the council (national files)
    fetched:                    # written by `councilbook fetch`: each measure's origin on the API
      langtidsledige: {table: y25i09, measure: Antal langtidsledige personer, selection: ...,
                       update_latest: '2026-07-21', fetched: '2026-08-01T09:00:00+00:00'}

Raw files are never changed. Every figure keeps its file and row or cell, so a
problem can be named precisely. A figure is a finite number of at most
:data:`~councilbook.parameters.model.MAX_FIGURE` in size; a formula cell in a workbook
needs its saved value (Excel saves it; a program writing the file may not).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from councilbook.core.errors import ComputeError, InputError, Problem, display_path, os_reason
from councilbook.core.formats import format_date, format_number, join_and
from councilbook.core.periods import Freq, PeriodCodeError, last_month, normalise_code, parse_period
from councilbook.data.areas import AreaIndex, is_aggregate, unknown_area_message
from councilbook.data.balance import BALANCE_FOLDER, Balance, load_balances
from councilbook.parameters.model import (
    MAX_FIGURE,
    Measure,
    Parameters,
    locate,
    read_yaml_with_positions,
    sha256_file,
    unknown_key_message,
)

TIDY_COLUMNS = ("measure", "area", "period", "value")
WITHHELD_MARKS = {"", "..", "-", "–", "x", "X", ":"}
FOOTNOTE_START = re.compile(r"^\s*(kilde|note|noter|anm|anmærkning|fodnote|\*|source|bemærk)", re.I)
DATA_SUFFIXES = (".csv", ".xlsx")
TABLE_ID = re.compile(r"\b([A-Z]\d{2}[A-Z]\d{2,3}[A-Z]?)\b")
_SAVE_AS_UTF8 = "gem den som CSV UTF-8 (i Excel: Gem som, »CSV UTF-8«)"
_SAVE_OR_EXPORT = f"{_SAVE_AS_UTF8}, eller hent den fra jobindsats.dk igen"
_BROKEN_WORKBOOK = (
    "(den er beskadiget, eller den er ikke en .xlsx-fil); åbn den i Excel, og gem den igen, eller hent den igen"
)


ORIGIN_KEYS = ("table", "table_name", "measure", "measure_id", "selection", "period", "update_latest", "fetched")


@dataclass(frozen=True)
class DataSource:
    title: str = "Data"
    source: str = "jobindsats.dk"
    sample: bool = False
    ignore_unknown_areas: bool = False
    # measure id -> where `councilbook fetch` got it (ORIGIN_KEYS: table, measure, selection, update_latest, ...)
    fetched: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One figure as read, with where it came from. ``value`` None means withheld."""

    measure: str
    area: str  # a municipality code or jc:<job centre id>
    period: str
    value: float | None
    file: str
    where: str


@dataclass(frozen=True)
class DataFile:
    path: Path
    sha256: str
    rows: int
    first_period: str
    last_period: str


@dataclass
class Dataset:
    """All figures: ``monthly`` indexed by (measure, area, month), ``annual`` by (measure, area, year),
    ``quarterly`` by (measure, area, quarter). Withheld figures are NaN.

    A measure's figures are monthly or quarterly (its frequency, :meth:`frequency`); yearly figures
    are framework conditions and weights."""

    monthly: pd.Series
    annual: pd.Series
    source: DataSource
    files: list[DataFile] = field(default_factory=list)
    quarterly: pd.Series | None = None
    snapshot: str = field(default="", repr=False)  # the normalised figures as tidy CSV
    balances: dict[str, Balance] = field(default_factory=dict)  # the labour-market balances, by id

    def __post_init__(self) -> None:
        if self.quarterly is None:
            self.quarterly = pd.Series(
                [], dtype=float, index=pd.MultiIndex.from_tuples([], names=["measure", "area", "quarter"])
            )

    @property
    def snapshot_sha256(self) -> str:
        return hashlib.sha256(self.snapshot.encode("utf-8")).hexdigest()

    def _quarters(self) -> pd.Series:
        assert self.quarterly is not None
        return self.quarterly

    @property
    def measures(self) -> set[str]:
        found = set(self.monthly.index.get_level_values("measure")) | set(self.annual.index.get_level_values("measure"))
        return found | set(self._quarters().index.get_level_values("measure"))

    def frequencies(self, measure: str) -> set[str]:
        """How a measure's figures are given: any of "M" (months), "Q" (quarters), "Y" (years)."""
        found = set()
        for code, series in (("M", self.monthly), ("Q", self._quarters()), ("Y", self.annual)):
            if measure in series.index.get_level_values("measure"):
                found.add(code)
        return found

    def frequency(self, measure: str) -> Freq:
        """The frequency of a goal's measure: "M" if it has monthly figures, else "Q" if quarterly."""
        if measure in self.monthly.index.get_level_values("measure"):
            return "M"
        if measure in self._quarters().index.get_level_values("measure"):
            return "Q"
        raise ComputeError(f"nøgletallet {measure!r} har ingen tal for måneder eller kvartaler i data")

    def frame(self, measure: str) -> pd.DataFrame:
        """A measure's figures: periods as rows (every period from the first to the last, monthly or
        quarterly), area keys as columns."""
        freq = self.frequency(measure)
        series = self.monthly if freq == "M" else self._quarters()
        level = "month" if freq == "M" else "quarter"
        frame = series.xs(measure, level="measure").unstack("area")
        frame.index = pd.PeriodIndex(frame.index, freq=freq)
        frame.index.name = level
        if len(frame.index):
            frame = frame.reindex(pd.period_range(frame.index.min(), frame.index.max(), freq=freq))
        return frame

    def yearly(self, measure: str) -> pd.DataFrame:
        """A measure's yearly figures: years (int) as rows, area keys as columns."""
        if measure not in self.annual.index.get_level_values("measure"):
            return pd.DataFrame()
        return self.annual.xs(measure, level="measure").unstack("area")

    @property
    def areas(self) -> set[str]:
        return (
            set(self.monthly.index.get_level_values("area"))
            | set(self.annual.index.get_level_values("area"))
            | set(self._quarters().index.get_level_values("area"))
        )

    def last_month(self, measures: set[str] | None = None) -> pd.Period | None:
        """The last month the monthly and quarterly figures (of ``measures``, default all) reach."""
        ends = []
        for series, level in ((self.monthly, "month"), (self._quarters(), "quarter")):
            if measures is not None:
                series = series[series.index.get_level_values("measure").isin(sorted(measures))]
            if len(series):
                ends.append(last_month(series.index.get_level_values(level).max()))
        return max(ends) if ends else None

    def until(self, last: pd.Period) -> Dataset:
        """The figures a cut-off month ``last`` allows: months up to it, quarters and years whose last
        month is at or before it (:mod:`periods`: a year's figures come after the year ends)."""
        months = self.monthly.index.get_level_values("month")
        years = self.annual.index.get_level_values("year")
        quarters = self._quarters().index.get_level_values("quarter")
        last_year = last.year if last.month == 12 else last.year - 1
        last_quarter = last.asfreq("Q") if last.month % 3 == 0 else last.asfreq("Q") - 1
        return Dataset(
            monthly=self.monthly[months <= last],
            annual=self.annual[years <= last_year],
            source=self.source,
            files=self.files,
            quarterly=self._quarters()[quarters <= last_quarter] if len(quarters) else self._quarters(),
            snapshot=self.snapshot,
            balances=self.balances,
        )


# ---------------------------------------------------------------------------
# Values and periods
# ---------------------------------------------------------------------------

_DANISH_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


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
    in size than :data:`~councilbook.parameters.model.MAX_FIGURE` (a typing or export error). None if fine."""
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


# ---------------------------------------------------------------------------
# Tidy CSV
# ---------------------------------------------------------------------------


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
                f"filen er ikke UTF-8-tekst (byte nr. {format_number(exc.start + 1)} kan ikke læses); {_SAVE_AS_UTF8}",
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
        context.problems.append(_csv_problem(shown, reader.line_num, exc))
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
        elif _PLAIN_NUMBER.match(raw_value):
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
            context.problems.append(Problem(shown, where, _period_message(raw_period)))
            continue
        area = context.area(row["area"], shown, where)
        if area is None:
            continue
        figures.append(Figure((row["measure"] or "").strip(), area, period, value, shown, where))
    return figures


def _csv_problem(shown: str, line: int, exc: csv.Error) -> Problem:
    """A CSV file the csv module gives up on: most often a quote that is never closed."""
    return Problem(
        shown, "", 'filen kan ikke læses som CSV her; tjek, om et anførselstegn (") ikke er lukket', line=line
    )


def _period_message(text: str) -> str:
    try:
        parse_period(text)
    except PeriodCodeError as exc:
        return str(exc)
    return f"{text!r} er ikke en periode"


# ---------------------------------------------------------------------------
# jobindsats exports (Excel and CSV share the grid parser)
# ---------------------------------------------------------------------------


@dataclass
class ReadContext:
    """What readers need: the area index, the measures, the options, and where problems go."""

    index: AreaIndex
    measures: dict[str, Measure]
    source: DataSource
    problems: list[Problem]

    def area(self, label: Any, file: str, where: str) -> str | None:
        text = "" if label is None else str(label).strip()
        if not text:
            self.problems.append(Problem(file, where, "området er tomt"))
            return None
        key = self.index.match(text)
        if key is None and not self.source.ignore_unknown_areas:
            self.problems.append(Problem(file, where, unknown_area_message(text, self.index)))
        return key


Cell = tuple[Any, str]  # (value, cell name)


class _Unsaved:
    """The value of a formula cell without a saved value (reported where it is read): blank as text,
    and never a figure."""

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "<formel uden gemt værdi>"


UNSAVED = _Unsaved()


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
                Problem(shown, "", f"filen er {name}-tekst, ikke UTF-8 eller Windows-1252; {_SAVE_OR_EXPORT}")
            )
            return None
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        problems.append(
            Problem(
                shown,
                "",
                f"filen har NUL-tegn, så den er ikke CSV-tekst (UTF-16 uden BOM, eller slet ikke tekst); "
                f"{_SAVE_OR_EXPORT}",
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
                f"0x{data[exc.start]:02X}, findes i ingen af dem); {_SAVE_OR_EXPORT}",
                line=line,
            )
        )
        return None


def read_jobindsats_csv(path: Path, context: ReadContext) -> list[Figure]:
    shown = display_path(path)
    text = export_text(path.read_bytes(), shown, context.problems)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        rows = list(reader)
    except csv.Error as exc:
        context.problems.append(_csv_problem(shown, reader.line_num, exc))
        return []
    grid = [
        [(value, f"række {r}, kolonne {c}") for c, value in enumerate(row, start=1)] for r, row in enumerate(rows, 1)
    ]
    return parse_export_grid(grid, shown, path.stem, context)


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
                context.problems.append(Problem(file, name, _period_message(str(v).strip())))
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
                context.problems.append(Problem(file, row[first][1], _period_message(label.strip())))
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


# ---------------------------------------------------------------------------
# The whole folder
# ---------------------------------------------------------------------------


def data_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.iterdir() if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("~$"))


def is_tidy_csv(path: Path) -> bool:
    # The head only: a character cut at its end, or a byte neither encoding has, is for the reader to report.
    first = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    columns = [c.strip() for c in first[0].split(",")] if first else []
    return all(c in columns for c in TIDY_COLUMNS)


def read_data_file(path: Path, context: ReadContext) -> list[Figure]:
    shown = display_path(path)
    if path.is_dir():
        context.problems.append(
            Problem(shown, "", "det er en mappe, ikke en datafil; omdøb den, eller flyt den ud af datamappen")
        )
        return []
    try:
        if path.suffix.lower() == ".xlsx":
            return read_jobindsats_excel(path, context)
        if is_tidy_csv(path):
            return read_tidy_csv(path, context)
        return read_jobindsats_csv(path, context)
    except OSError as exc:
        context.problems.append(Problem(shown, "", f"filen kan ikke læses: {os_reason(exc)}"))
        return []


def check_figures(figures: list[Figure], measures: dict[str, Measure]) -> list[Problem]:
    """Duplicates in a file, files that disagree, negative counts, shares outside 0-100."""
    problems = []
    seen: dict[tuple[str, str, str], Figure] = {}
    for f in figures:
        key = (f.measure, f.area, f.period)
        first = seen.get(key)
        if first is None:
            seen[key] = f
        elif first.file == f.file:
            problems.append(
                Problem(
                    f.file,
                    f.where,
                    f"tallet for {f.measure} / {f.area} / {f.period} står to gange (også i {first.where})",
                )
            )
        elif not _same(first.value, f.value):
            problems.append(
                Problem(
                    f.file,
                    f.where,
                    f"{f.measure} / {f.area} / {f.period} er {show_value(f.value)} her, "
                    f"men {show_value(first.value)} i {first.file} ({first.where})",
                )
            )
        measure = measures.get(f.measure)
        if measure is None or f.value is None:
            continue
        if measure.kind == "count" and f.value < 0:
            problems.append(
                Problem(f.file, f.where, f"{f.measure} er et antal og kan ikke være negativt: {show_value(f.value)}")
            )
        if measure.kind == "share" and not 0 <= f.value <= 100:
            problems.append(
                Problem(f.file, f.where, f"{f.measure} er en andel og skal være mellem 0 og 100: {show_value(f.value)}")
            )
    return problems


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


def show_value(value: float | None) -> str:
    """A figure as read, in Danish with as many decimals as it has (at most 6), or that it is withheld."""
    if value is None:
        return "skjult af diskretionshensyn"
    decimals = f"{value:.6f}".rstrip("0").partition(".")[2]  # as many decimals as the figure has, at most 6
    return format_number(value, len(decimals))


def read_datasource(meta_path: Path, problems: list[Problem]) -> DataSource:
    """The data folder's ``datasource.yml``, read as the parameter files are (same limits); empty or
    absent: the defaults."""
    if not meta_path.exists():
        return DataSource()
    shown = display_path(meta_path)
    allowed = {"title", "source", "sample", "ignore_unknown_areas", "fetched"}
    before = len(problems)
    raw, positions = read_yaml_with_positions(meta_path, problems)
    if len(problems) > before:
        return DataSource()
    found: list[Problem] = []
    source = _datasource(raw, shown, allowed, found)
    problems.extend(locate(found, {shown: positions}))
    return source


def _datasource(raw: Any, shown: str, allowed: set[str], problems: list[Problem]) -> DataSource:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                shown,
                "",
                f"skal være nøgler med værdier ({', '.join(f'{k}:' for k in sorted(allowed))}), "
                f"ikke {'en liste' if isinstance(raw, list) else 'en enkelt værdi'}",
            )
        )
        return DataSource()
    for key in sorted(set(raw) - allowed, key=str):
        problems.append(Problem(shown, str(key), unknown_key_message(str(key), sorted(allowed))))
    for key in ("title", "source"):
        if key in raw and (isinstance(raw[key], (bool, list, dict)) or raw[key] is None):
            problems.append(Problem(shown, key, f"{raw[key]!r} skal være en tekst"))
            return DataSource()
    for key in ("sample", "ignore_unknown_areas"):
        if not isinstance(raw.get(key, False), bool):
            problems.append(Problem(shown, key, f"{raw[key]!r} er hverken true eller false"))
            return DataSource()
    fetched = raw.get("fetched") or {}
    if not isinstance(fetched, dict) or not all(isinstance(v, dict) for v in fetched.values()):
        problems.append(
            Problem(shown, "fetched", "skal være nøgletal med deres oprindelse (skrevet af councilbook fetch)")
        )
        return DataSource()
    return DataSource(
        fetched={
            str(measure): {key: str(origin[key]) for key in ORIGIN_KEYS if origin.get(key) is not None}
            for measure, origin in fetched.items()
        },
        title=str(raw.get("title", "Data")),
        source=str(raw.get("source", "jobindsats.dk")),
        sample=bool(raw.get("sample", False)),
        ignore_unknown_areas=bool(raw.get("ignore_unknown_areas", False)),
    )


def load_dataset(path: Path | str, params: Parameters) -> Dataset:
    """Read a data folder (or one file), check every figure, and index them."""
    root = Path(path)
    if not root.exists():
        raise InputError(
            [
                Problem(
                    display_path(root),
                    "",
                    "datamappen (eller datafilen) findes ikke; angiv den rigtige med --data (standard: data/sample)",
                )
            ]
        )
    files = data_files(root)
    if not files:
        raise InputError([Problem(display_path(root), "", "der er ingen datafiler (*.csv, *.xlsx) i datamappen")])
    problems: list[Problem] = []
    meta = (root if root.is_dir() else root.parent) / "datasource.yml"
    source = read_datasource(meta, problems)
    context = ReadContext(AreaIndex.from_council(params.council), params.measures, source, problems)
    figures: list[Figure] = []
    described: list[DataFile] = []
    for file in files:
        read = read_data_file(file, context)
        try:
            digest = sha256_file(file)
        except OSError:
            continue  # a folder or an unreadable file: reported by read_data_file
        figures.extend(read)
        codes = sorted({f.period for f in read}, key=lambda p: (parse_period(p).first, parse_period(p).last))
        first = codes[0] if codes else ""  # as the file gives them: 2012M01, 2012Q1 or 2012
        last = max(codes, key=lambda p: (parse_period(p).last, parse_period(p).first)) if codes else ""
        described.append(DataFile(file, digest, len(read), first, last))
    problems.extend(check_figures(figures, params.measures))
    balances = {}
    try:
        balances = load_balances(root if root.is_dir() else root.parent, params.council)
    except InputError as exc:
        problems.extend(exc.problems)
    problems.extend(check_bottleneck_editions(params, balances, root if root.is_dir() else root.parent))
    if problems:
        raise InputError(problems)
    return replace(index_figures(figures, source, described), balances=balances)


def check_bottleneck_editions(params: Parameters, balances: dict[str, Balance], folder: Path) -> list[Problem]:
    """Each bottleneck overview in the parameters has its balance in the data, published by the overview's date."""
    problems = []
    for key, edition in params.bottlenecks.items():
        shown = display_path(params.root / "bottlenecks" / f"{key}.yml")
        balance = balances.get(key)
        if balance is None:
            known = join_and(list(balances)) or "ingen"
            problems.append(
                Problem(
                    shown,
                    "balance",
                    f"balancen {key} findes ikke i {display_path(folder / BALANCE_FOLDER)} (der er: {known})",
                )
            )
        elif edition.published < balance.published:
            problems.append(
                Problem(
                    shown,
                    "published",
                    f"{format_date(edition.published)} er før selve balancen blev offentliggjort "
                    f"({format_date(balance.published)}, {balance.file})",
                )
            )
    return problems


def index_figures(figures: list[Figure], source: DataSource, files: list[DataFile]) -> Dataset:
    frame = pd.DataFrame(
        [(f.measure, f.area, f.period, f.value) for f in figures], columns=["measure", "area", "period", "value"]
    ).drop_duplicates(subset=["measure", "area", "period"])
    frame["value"] = frame["value"].astype(float)
    spans = [parse_period(p) for p in frame["period"]]
    kind = [
        "month"
        if s.first == s.last
        else "year"
        if (s.first.month, s.last.month) == (1, 12) and s.first.year == s.last.year
        else "quarter"
        for s in spans
    ]
    frame["kind"] = kind
    frame["start"] = [s.first for s in spans]
    months = frame[frame["kind"] == "month"].assign(month=lambda d: pd.PeriodIndex(d["start"], freq="M"))
    years = frame[frame["kind"] == "year"].assign(year=lambda d: [p.year for p in d["start"]])
    quarters = frame[frame["kind"] == "quarter"].assign(
        quarter=lambda d: pd.PeriodIndex([p.asfreq("Q") for p in d["start"]], freq="Q")
    )
    return Dataset(
        monthly=months.set_index(["measure", "area", "month"])["value"].sort_index(),
        annual=years.set_index(["measure", "area", "year"])["value"].sort_index(),
        quarterly=quarters.set_index(["measure", "area", "quarter"])["value"].sort_index(),
        source=source,
        files=files,
        snapshot=snapshot_csv(frame),
    )


def snapshot_csv(frame: pd.DataFrame) -> str:
    """The normalised figures as tidy CSV text, sorted: the same data give the same bytes."""
    tidy = frame[["measure", "area", "period", "value"]].sort_values(["measure", "area", "period"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "area", "period", "value"])
    for measure, area, period, value in tidy.itertuples(index=False):
        writer.writerow([measure, area, period, "" if pd.isna(value) else repr(float(value))])
    return out.getvalue()


def write_snapshot(dataset: Dataset, folder: Path) -> Path:
    """Write the normalised snapshot as ``snapshot-<hash>.csv`` (once per content)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"snapshot-{dataset.snapshot_sha256[:16]}.csv"
    if not path.exists():
        path.write_text(dataset.snapshot, encoding="utf-8")
    return path
