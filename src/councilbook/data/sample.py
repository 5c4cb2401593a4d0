"""A deterministic generator of sample data in the tidy format.

It reads a spec (YAML) naming the municipalities with their population and two
framework-condition figures, the months to cover and, per measure, a simple
model: a monthly rate of a base (the working-age population or another measure),
a yearly trend, a seasonal profile, a sensitivity to the municipality's
framework conditions, and noise. The same spec and seed give the same bytes.

Framework-condition figures are written as yearly rows (period ``2013``):
``<prefix>befolkning`` (population 16-66), ``<prefix>ufaglaerte_pct`` and
``<prefix>ikke_vestlige_pct``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field

from councilbook.core.periods import parse_month


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleMunicipality(_Strict):
    code: int
    name: str
    population: int = Field(gt=0)
    unskilled_pct: float = Field(ge=0, le=100)
    non_western_pct: float = Field(ge=0, le=100)


class ExportTable(_Strict):
    """How a measure looks in the jobindsats-style Excel export."""

    table: str  # table id in the title, e.g. Y25I09
    title: str  # Danish table title
    unit: str = "Antal personer"
    as_text: bool = False  # write the numbers as Danish text ("1.234", "12,5"), as some exports do


class Withheld(_Strict):
    measure: str
    area: int
    period: str


class SampleMeasure(_Strict):
    id: str
    export: ExportTable | None = None
    base: str = "population"  # 'population' or the id of a measure listed before this one
    rate: float = Field(gt=0)
    burden: float = 1.0  # exponent on the municipality's framework burden
    trend: dict[int, float]
    season: list[float] = Field(default_factory=lambda: [1.0] * 12, min_length=12, max_length=12)
    noise: float = Field(default=0.03, ge=0)


class SampleSpec(_Strict):
    seed: int
    first_month: str
    last_month: str
    working_age_share: float = 0.66
    framework_prefix: str = "rv_"
    unexplained_spread: float = 0.12  # sd of the log of each municipality's unexplained lift
    yearly_drift: float = 0.03  # sd of each municipality's own yearly trend
    region_name: str = "regionen"
    municipalities: list[SampleMunicipality]
    measures: list[SampleMeasure]
    framework_exports: dict[str, ExportTable] = {}  # framework measure id -> its export table
    withheld: list[Withheld] = []  # figures written as withheld (discretion)


@dataclass(frozen=True)
class GeneratedRow:
    measure: str
    area: str
    area_name: str
    period: str
    value: str


def _trend_factor(trend: dict[int, float], year: int, month_number: int) -> float:
    """Yearly factors read as mid-year values, interpolated month by month."""
    years = sorted(trend)
    t = year + (month_number - 0.5) / 12
    points = [y + 0.5 for y in years]
    return float(np.interp(t, points, [trend[y] for y in years]))


def generate_rows(spec: SampleSpec) -> list[GeneratedRow]:
    rng = np.random.default_rng(spec.seed)
    months = list(pd.period_range(parse_month(spec.first_month), parse_month(spec.last_month), freq="M"))
    munis = spec.municipalities
    unskilled = np.array([m.unskilled_pct for m in munis])
    non_western = np.array([m.non_western_pct for m in munis])
    framework = (unskilled / unskilled.mean()) ** 1.2 * (non_western / non_western.mean()) ** 0.3
    lift = np.exp(rng.normal(0.0, spec.unexplained_spread, len(munis)))
    drift = rng.normal(0.0, spec.yearly_drift, len(munis))
    burden = framework * lift
    working_age = np.array([m.population for m in munis]) * spec.working_age_share
    first_year = months[0].year

    rows: list[GeneratedRow] = []
    values: dict[str, np.ndarray] = {}
    for measure in spec.measures:
        base = (
            working_age[:, None].repeat(len(months), axis=1) if measure.base == "population" else values[measure.base]
        )
        factor = np.array([_trend_factor(measure.trend, p.year, p.month) * measure.season[p.month - 1] for p in months])
        own = np.array([[(1 + d) ** (p.year - first_year + (p.month - 1) / 12) for p in months] for d in drift])
        expected = base * measure.rate * factor[None, :] * (burden[:, None] ** measure.burden) * own
        sd = np.sqrt(np.maximum(expected, 1.0)) + measure.noise * expected
        draw = np.maximum(np.rint(rng.normal(expected, sd)), 0.0)
        values[measure.id] = draw
        for i, muni in enumerate(munis):
            for j, period in enumerate(months):
                rows.append(
                    GeneratedRow(
                        measure.id, str(muni.code), muni.name, f"{period.year}M{period.month:02d}", str(int(draw[i, j]))
                    )
                )

    prefix = spec.framework_prefix
    for year in sorted({p.year for p in months}):
        step = year - first_year
        for i, muni in enumerate(munis):
            population = round(working_age[i] * (1.004**step))
            frame = {
                f"{prefix}befolkning": str(population),
                f"{prefix}ufaglaerte_pct": f"{max(unskilled[i] - 0.3 * step, 0):.1f}",
                f"{prefix}ikke_vestlige_pct": f"{non_western[i] + 0.2 * step:.1f}",
            }
            for measure_id, value in frame.items():
                rows.append(GeneratedRow(measure_id, str(muni.code), muni.name, str(year), value))
    hidden = {(w.measure, str(w.area), w.period) for w in spec.withheld}
    return [
        GeneratedRow(r.measure, r.area, r.area_name, r.period, "") if (r.measure, r.area, r.period) in hidden else r
        for r in rows
    ]


def render_csv(rows: list[GeneratedRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "area", "area_name", "period", "value"])
    for row in rows:
        writer.writerow([row.measure, row.area, row.area_name, row.period, row.value])
    return out.getvalue()


def load_spec(path: Path) -> SampleSpec:
    return SampleSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _danish_text(value: str) -> str:
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    return f"{number:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _cell(value: str, as_text: bool) -> object:
    """A figure as the export writes it: '..' when withheld, Danish text or a number."""
    if value == "":
        return ".."
    if as_text:
        return _danish_text(value)
    number = float(value)
    return int(number) if number.is_integer() else number


def write_excel_export(rows: list[GeneratedRow], spec: SampleSpec, path: Path) -> None:
    """The sample as a jobindsats-style Excel export: a sheet per measure with title rows, the table
    (monthly measures with periods as columns, yearly ones with periods as rows), an aggregate row
    or column, discretion marks and footnotes."""
    from datetime import datetime

    from openpyxl import Workbook

    tables = {m.id: m.export for m in spec.measures if m.export} | spec.framework_exports
    workbook = Workbook()
    workbook.remove(workbook.active)
    names = {str(m.code): m.name for m in spec.municipalities}
    for measure_id, export in tables.items():
        mine = [r for r in rows if r.measure == measure_id]
        periods = sorted({r.period for r in mine})
        values = {(r.area, r.period): r.value for r in mine}
        sheet = workbook.create_sheet(export.table)
        sheet.append(["Jobindsats.dk"])
        sheet.append([f"Tabel: {export.title} ({export.table})"])
        sheet.append([f"Måleenhed: {export.unit}"])
        sheet.append([f"Område: Kommuner i {spec.region_name}"])
        sheet.append([f"Periode: {periods[0]}-{periods[-1]}"])
        sheet.append([])
        monthly = "M" in periods[0]
        if monthly:
            sheet.append(["Område", *periods])
            for code, name in names.items():
                sheet.append([name, *(_cell(values[(code, p)], export.as_text) for p in periods)])
            totals = [sum(float(values[(c, p)] or 0) for c in names) for p in periods]
            sheet.append(["I alt", *(_cell(repr(t), export.as_text) for t in totals)])
        else:
            sheet.append(["Periode", *names.values(), "Hele landet"])
            for p in periods:
                sheet.append([p, *(_cell(values[(c, p)], export.as_text) for c in names), ".."])
        sheet.append([])
        sheet.append(["Kilde: Eksempeldata dannet af councilbook i jobindsats.dk's format (ikke rigtige tal)."])
        sheet.append(["Anm.: .. angiver tal, der er holdt tilbage af diskretionshensyn."])
    stamp = datetime(2000, 1, 1)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "councilbook sample"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def generate_sample(spec_path: Path, csv_path: Path, excel_path: Path | None = None) -> int:
    """Write the sample as tidy CSV (and as a jobindsats-style Excel export); returns the row count."""
    spec = load_spec(spec_path)
    rows = generate_rows(spec)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(render_csv(rows), encoding="utf-8")
    if excel_path is not None:
        write_excel_export(rows, spec, excel_path)
    return len(rows)
