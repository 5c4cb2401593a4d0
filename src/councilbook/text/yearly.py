"""Tables and sentences for a figure year by year (:mod:`councilbook.analysis.yearly`).

Every value is a :class:`councilbook.core.figures.Quantity`: a share in % with one decimal, a count without
decimals, a change in percentage points between shares and in % between counts, computed from the figures
as shown.
"""

from __future__ import annotations

import pandas as pd

from councilbook.analysis.yearly import FigureSpec, comparable_periods
from councilbook.core import figures as fig
from councilbook.core.formats import format_periods
from councilbook.core.links import jobcentre_page
from councilbook.core.prose import escape_markdown as md_text
from councilbook.text import present


def period_text(spec_freq: str, year: int, latest: int, cutoff: pd.Period) -> str:
    """The comparable periods of ``year`` in words: ``januar-november 2012``."""
    periods = comparable_periods(year, latest, spec_freq, cutoff)
    return format_periods(periods[0], periods[-1]) if periods else str(year)


def quantity(spec: FigureSpec, value: float) -> fig.Quantity:
    return fig.level(value, spec.share)


def value_of(frame: pd.DataFrame, area_id: str, year: int) -> float:
    match = frame[(frame["area_id"] == area_id) & (frame["year"] == year)]["value"]
    return float(match.iloc[0]) if len(match) else float("nan")


def development(spec: FigureSpec, frame: pd.DataFrame, area_id: str, year: int) -> fig.Quantity:
    """The change from the year before to ``year`` in the area, as shown."""
    return fig.change(
        quantity(spec, value_of(frame, area_id, year)), quantity(spec, value_of(frame, area_id, year - 1))
    )


def unit_caption(spec: FigureSpec) -> str:
    if spec.share:
        return "andel i %, udvikling i procentpoint"
    if spec.goal is None:
        return "gennemsnit pr. periode, udvikling i %"
    return "antal, udvikling i %"


def levels_table(
    spec: FigureSpec, frame: pd.DataFrame, years: list[int], area_type: str, caption: str, collapsed: str = ""
) -> present.Table:
    """One row per area of ``area_type`` (region, cluster, jobcentre): the figure each year and the latest
    year's development against the year before."""
    areas = frame[frame["area_type"] == area_type].drop_duplicates("area_id")
    first = "Jobcenter" if area_type == "jobcentre" else "Klynge" if area_type == "cluster" else "Område"
    columns = [first, *(["Klynge"] if area_type == "jobcentre" else []), *map(str, years), "Udvikling"]
    rows = []
    for area in areas.itertuples(index=False):
        cells = [area.area, *([area.cluster] if area_type == "jobcentre" else [])]
        cells += [quantity(spec, value_of(frame, area.area_id, y)).text for y in years]
        cells.append(development(spec, frame, area.area_id, years[-1]).text)
        rows.append(cells)
    offset = 2 if area_type == "jobcentre" else 1
    return present.Table(
        columns=columns,
        rows=rows,
        numeric=tuple(range(offset, len(columns))),
        caption=f"{caption} ({unit_caption(spec)})",
        collapsed=collapsed,
        row_pages=[jobcentre_page(a.area_id) if area_type == "jobcentre" else "" for a in areas.itertuples()],
    )


def describe_region(spec: FigureSpec, frame: pd.DataFrame, years: list[int], periods: str) -> str:
    """``I januar-november 2012 var tallet for regionen 15,2 % (året før: 14,3 %): en stigning på …``."""
    latest = years[-1]
    now = quantity(spec, value_of(frame, "region", latest))
    if not now.known:
        return f"Regionens tal for {periods} kan ikke opgøres: der mangler tal for et eller flere jobcentre."
    before = quantity(spec, value_of(frame, "region", latest - 1))
    first = quantity(spec, value_of(frame, "region", years[0]))
    text = f"I {periods} var tallet for regionen {now.text}"
    if before.known:
        text += f" (året før: {before.text}): {fig.describe_change(fig.change(now, before), spec.better)}"
    text += "."
    if first.known and len(years) > 2:
        text += f" I {years[0]} var det {first.text}."
    return text


def level_records(spec: FigureSpec, frame: pd.DataFrame) -> list[dict[str, object]]:
    """The levels for JSON, as shown, each value named by its unit (``value_pct``, ``value_count``)."""
    records: list[dict[str, object]] = []
    for row in frame.itertuples(index=False):
        shown = quantity(spec, row.value)
        records.append(
            {
                "area_type": row.area_type,
                "area_id": row.area_id,
                "year": int(row.year),
                "periods": int(row.periods),
                **fig.json_fields("value", shown),
            }
        )
    return records


def development_ranks(spec: FigureSpec, frame: pd.DataFrame, area_ids: list[str], year: int) -> dict[str, int]:
    """The areas' places on their development to ``year`` as shown (1: the best in the goal's direction; the
    same shown change, the same place, the best of them, and the next places skipped); areas without a shown
    change have no place."""
    shown = {a: development(spec, frame, a, year) for a in area_ids}
    known = {a: q.rounded for a, q in shown.items() if q.known}
    sign = 1 if spec.better == "higher" else -1
    return {a: 1 + sum(1 for other in known.values() if sign * other > sign * value) for a, value in known.items()}


def main_point(spec: FigureSpec, frame: pd.DataFrame, year: int, periods: str) -> str:
    """A figure's main point for the region (Markdown), the number first: ``**15,2 %** i januar-november 2012 –
    Flere unge …: en stigning på 0,9 procentpoint i forhold til samme periode året før (en forbedring).``"""
    now = quantity(spec, value_of(frame, "region", year))
    title = md_text(spec.title)
    if not now.known:
        return f"{title}: regionens tal for {periods} kan ikke opgøres (der mangler tal)."
    moved = development(spec, frame, "region", year)
    return f"**{now.text}** i {periods} – {title}: {fig.describe_change(moved, spec.better)}."
