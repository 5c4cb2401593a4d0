"""Stage 1: read the data files into one tidy table, checking as we go.

The tidy CSV is the project's own format, one figure per row::

    measure,area,area_name,period,value
    langtidsledige,101,København,2013M01,3021

``area`` is a municipality code, ``period`` a jobindsats period code
(``2013M01`` for a month, ``2013`` for a year), ``value`` a number with a
decimal point, or empty when the figure is withheld (missing, never zero).
``area_name`` is optional. A data directory may hold several such files and a
``datasource.yml`` describing where the figures come from::

    title: Udtræk fra jobindsats.dk
    source: jobindsats.dk
    sample: false
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError, Problem, display_path
from .parameters import sha256_file
from .periods import PeriodCodeError, parse_period

TIDY_COLUMNS = ("measure", "area", "period", "value")


@dataclass(frozen=True)
class DataSource:
    title: str = "Data"
    source: str = "jobindsats.dk"
    sample: bool = False


@dataclass(frozen=True)
class DataFile:
    path: Path
    sha256: str
    rows: int
    first_period: str
    last_period: str


@dataclass
class Dataset:
    """All figures: ``monthly`` indexed by (measure, area, month), ``annual`` by (measure, area, year)."""

    monthly: pd.Series
    annual: pd.Series
    source: DataSource
    files: list[DataFile] = field(default_factory=list)

    @property
    def measures(self) -> set[str]:
        return set(self.monthly.index.get_level_values("measure")) | set(self.annual.index.get_level_values("measure"))

    @property
    def areas(self) -> set[str]:
        return set(self.monthly.index.get_level_values("area")) | set(self.annual.index.get_level_values("area"))

    def last_month(self) -> pd.Period:
        return self.monthly.index.get_level_values("month").max()

    def until(self, last: pd.Period) -> Dataset:
        """The figures up to and including month ``last`` (and years up to its year)."""
        months = self.monthly.index.get_level_values("month")
        years = self.annual.index.get_level_values("year")
        return Dataset(
            monthly=self.monthly[months <= last],
            annual=self.annual[years <= last.year],
            source=self.source,
            files=self.files,
        )


def load_dataset(path: Path | str) -> Dataset:
    """Read a data directory (every ``*.csv`` in it) or one CSV file."""
    root = Path(path)
    if root.is_dir():
        csv_files = sorted(root.glob("*.csv"))
        meta_path = root / "datasource.yml"
    elif root.is_file():
        csv_files = [root]
        meta_path = root.parent / "datasource.yml"
    else:
        raise InputError([Problem(display_path(root), "", "data file or directory not found")])
    if not csv_files:
        raise InputError([Problem(display_path(root), "", "no data files (*.csv) found")])

    problems: list[Problem] = []
    source = _read_datasource(meta_path, problems)
    frames = []
    files = []
    for csv_path in csv_files:
        frame = read_tidy_csv(csv_path, problems)
        if frame is None:
            continue
        frames.append(frame)
        files.append(
            DataFile(
                path=csv_path,
                sha256=sha256_file(csv_path),
                rows=len(frame),
                first_period=str(frame["period"].min()) if len(frame) else "",
                last_period=str(frame["period"].max()) if len(frame) else "",
            )
        )
    if problems:
        raise InputError(problems)
    tidy = pd.concat(frames, ignore_index=True)
    return _index_dataset(tidy, source, files)


def _read_datasource(meta_path: Path, problems: list[Problem]) -> DataSource:
    if not meta_path.is_file():
        return DataSource()
    try:
        raw = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(display_path(meta_path), "", f"is not valid YAML: {exc}"))
        return DataSource()
    unknown = set(raw) - {"title", "source", "sample"}
    for key in sorted(unknown):
        problems.append(Problem(display_path(meta_path), key, "unknown key (allowed: title, source, sample)"))
    if not isinstance(raw.get("sample", False), bool):
        problems.append(Problem(display_path(meta_path), "sample", f"{raw['sample']!r} is not true or false"))
        return DataSource()
    return DataSource(
        title=str(raw.get("title", "Data")),
        source=str(raw.get("source", "jobindsats.dk")),
        sample=bool(raw.get("sample", False)),
    )


def read_tidy_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one tidy CSV; every bad row becomes a problem. Row numbers count the header as row 1."""
    shown = display_path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(Problem(shown, "", f"cannot be read as a UTF-8 CSV file: {exc}"))
        return None
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        problems.append(
            Problem(shown, "header", f"missing column(s): {', '.join(missing)} (expected {', '.join(TIDY_COLUMNS)})")
        )
        return None
    frame = frame.copy()
    frame["row"] = range(2, len(frame) + 2)
    values = pd.to_numeric(frame["value"].str.strip().replace("", None), errors="coerce")
    bad_values = frame["value"].str.strip().ne("") & values.isna()
    for _, row in frame[bad_values].iterrows():
        problems.append(Problem(shown, f"row {row['row']}", f"value {row['value']!r} is not a number"))
    frame["value"] = values
    kinds: list[str | None] = []
    for period, row_number in zip(frame["period"], frame["row"], strict=True):
        try:
            span = parse_period(period)
        except PeriodCodeError as exc:
            problems.append(Problem(shown, f"row {row_number}", str(exc)))
            kinds.append(None)
            continue
        kinds.append(
            "month"
            if span.first == span.last
            else "year"
            if span.first.month == 1 and span.last.month == 12
            else "other"
        )
    frame["kind"] = kinds
    for _, row in frame[frame["kind"] == "other"].iterrows():
        problems.append(
            Problem(
                shown, f"row {row['row']}", f"period {row['period']!r}: only months and years are read from tidy files"
            )
        )
    frame["area"] = frame["area"].str.strip()
    frame["measure"] = frame["measure"].str.strip()
    dupes = frame.duplicated(subset=["measure", "area", "period"], keep="first")
    for _, row in frame[dupes].iterrows():
        problems.append(
            Problem(
                shown, f"row {row['row']}", f"duplicate figure for {row['measure']} / {row['area']} / {row['period']}"
            )
        )
    return frame


def _index_dataset(tidy: pd.DataFrame, source: DataSource, files: list[DataFile]) -> Dataset:
    months = tidy[tidy["kind"] == "month"].copy()
    months["month"] = pd.PeriodIndex([pd.Period(f"{p[:4]}-{p[5:7]}", freq="M") for p in months["period"]], freq="M")
    monthly = months.set_index(["measure", "area", "month"])["value"].sort_index()
    years = tidy[tidy["kind"] == "year"].copy()
    years["year"] = years["period"].astype(int)
    annual = years.set_index(["measure", "area", "year"])["value"].sort_index()
    return Dataset(monthly=monthly, annual=annual, source=source, files=files)
