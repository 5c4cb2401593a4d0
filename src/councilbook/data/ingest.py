"""Stage 1: read the data files into one dataset, checking as we go.

A data folder holds any mix of files the readers of :mod:`councilbook.data.readers` read (one
module each; a file is read by the one reader that claims it):

* **tidy CSV** (the project's own format, comma-separated, UTF-8: ``measure,area,period,value``),
* **jobindsats.dk Excel exports** (``.xlsx``), one table per sheet, and
* **jobindsats.dk CSV exports** (``;``-separated, decimal commas),

the labour-market balances in ``arbejdsmarkedsbalancen/`` (:mod:`councilbook.data.balance`), and an
optional ``datasource.yml``::

    title: Udtræk fra jobindsats.dk
    source: jobindsats.dk
    sample: false               # true prints a sample-data notice on every report
    ignore_unknown_areas: false # true skips areas outside the council (national files)
    fetched:                    # written by `councilbook fetch`: each measure's origin on the API
      langtidsledige: {table: y25i09, measure: Antal langtidsledige personer, selection: ...,
                       update_latest: '2026-07-21', fetched: '2026-08-01T09:00:00+00:00'}

This module is the dataset: its model, loading a folder, the checks across files (duplicates, files
that disagree, counts and shares out of range), the index by measure, area and period, and the
normalised snapshot. Raw files are never changed. Every figure keeps its file and row or cell, so a
problem can be named precisely. A figure is a finite number of at most
:data:`~councilbook.parameters.types.MAX_FIGURE` in size; a formula cell in a workbook
needs its saved value (Excel saves it; a program writing the file may not).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from councilbook.core.errors import ComputeError, InputError, Problem, display_path
from councilbook.core.formats import format_number
from councilbook.core.periods import Freq, last_month, parse_period
from councilbook.data.areas import AreaIndex
from councilbook.data.balance import Balance, load_balances
from councilbook.data.cells import parse_export_value
from councilbook.data.readers import data_suffixes, read_data_file
from councilbook.data.readers.tidy_csv import read_tidy_csv
from councilbook.data.reading import ORIGIN_KEYS, DataSource, Figure, ReadContext
from councilbook.parameters.folders import DataContext, report_folders
from councilbook.parameters.messages import unknown_key_message
from councilbook.parameters.model import Measure, Parameters, sha256_file
from councilbook.parameters.yaml_reading import locate, read_yaml_with_positions

__all__ = [
    # the dataset
    "DataFile",
    "Dataset",
    "check_figures",
    "data_files",
    "index_figures",
    "load_dataset",
    "read_datasource",
    "show_value",
    "snapshot_csv",
    "write_snapshot",
    # moved to the readers, reachable here as before
    "ORIGIN_KEYS",
    "DataSource",
    "Figure",
    "ReadContext",
    "parse_export_value",
    "read_data_file",
    "read_tidy_csv",
]


@dataclass(frozen=True)
class DataFile:
    path: Path
    sha256: str
    rows: int
    first_period: str
    last_period: str


T = TypeVar("T")


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
    # What was derived from these figures (a cut-off's figures, a measure's frame): figures never change once
    # read, so each is made once. Not compared, not shown, not pickled.
    _derived: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_derived"] = {}
        return state

    def derived(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """What ``make`` derives from these figures, made once per ``key`` (which names all else it depends on);
        the caller must not change what it gets."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

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
        key = ("frame", measure)
        if key not in self._derived:
            self._derived[key] = self._frame(measure)
        return self._derived[key].copy()

    def _frame(self, measure: str) -> pd.DataFrame:
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
        key = ("yearly", measure)
        if key not in self._derived:
            if measure not in self.annual.index.get_level_values("measure"):
                self._derived[key] = pd.DataFrame()
            else:
                self._derived[key] = self.annual.xs(measure, level="measure").unstack("area")
        return self._derived[key].copy()

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
        key = ("until", str(last))
        if key not in self._derived:
            self._derived[key] = self._until(last)
        return self._derived[key]

    def _until(self, last: pd.Period) -> Dataset:
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
# The whole folder
# ---------------------------------------------------------------------------


def data_files(root: Path) -> list[Path]:
    """The data files of a folder (every file with a suffix some reader reads), or the one file."""
    if root.is_file():
        return [root]
    suffixes = data_suffixes()
    return sorted(p for p in root.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith("~$"))


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
        patterns = ", ".join(f"*{suffix}" for suffix in data_suffixes())
        raise InputError([Problem(display_path(root), "", f"der er ingen datafiler ({patterns}) i datamappen")])
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
    data = DataContext(root if root.is_dir() else root.parent, balances)
    for folder in report_folders():  # what the report kinds' own files need of the data
        if folder.data_check is not None:
            for key, report in params.of(folder.name).items():
                problems.extend(folder.data_check(params.root / folder.name / f"{key}.yml", report, data))
    if problems:
        raise InputError(problems)
    return replace(index_figures(figures, source, described), balances=balances)


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
