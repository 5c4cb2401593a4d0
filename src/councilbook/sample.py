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

from .periods import parse_month


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleMunicipality(_Strict):
    code: int
    name: str
    population: int = Field(gt=0)
    unskilled_pct: float = Field(ge=0, le=100)
    non_western_pct: float = Field(ge=0, le=100)


class SampleMeasure(_Strict):
    id: str
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
    municipalities: list[SampleMunicipality]
    measures: list[SampleMeasure]


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
    return rows


def render_csv(rows: list[GeneratedRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "area", "area_name", "period", "value"])
    for row in rows:
        writer.writerow([row.measure, row.area, row.area_name, row.period, row.value])
    return out.getvalue()


def load_spec(path: Path) -> SampleSpec:
    return SampleSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def generate_sample(spec_path: Path, out_path: Path) -> int:
    """Write the sample CSV for a spec; returns the number of rows."""
    rows = generate_rows(load_spec(spec_path))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_csv(rows), encoding="utf-8")
    return len(rows)
