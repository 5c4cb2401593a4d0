"""`councilbook tables`: the catalogue of jobindsats.dk, and one table, in Danish lines for the terminal, so a
secretariat can write a measure's ``jobindsats`` entry in measures.yml without reading JSON."""

from __future__ import annotations

from councilbook.core.formats import count_noun, format_iso_day, format_number, format_period_code
from councilbook.core.periods import PeriodCodeError, normalise_code, parse_api_period
from councilbook.data.jobindsats_spec import AREA_DIMENSION, MUNICIPALITIES, PERIOD_TYPES, CatalogueTable, TableSpec

MOST_VALUES = 20  # a breakdown's values shown; the rest are counted


def _period(code: str) -> str:
    try:
        kind, span = parse_api_period(code)
    except PeriodCodeError:
        return code or "ukendt"
    if kind == "QMAT":
        return f"rullende år til {format_period_code(f'{span.last.year}M{span.last.month:02d}')} ({code})"
    return format_period_code(normalise_code(code))


def describe_catalogue(catalogue: dict[str, CatalogueTable], search: str | None = None) -> list[str]:
    """The tables by subject: id, name, the newest period of each type, updated and next update."""
    wanted = (search or "").casefold()
    chosen = [t for t in catalogue.values() if not wanted or wanted in f"{t.table} {t.name} {t.subject}".casefold()]
    if not chosen:
        return [f"Ingen tabel i kataloget har {search!r} i navnet eller emnet."]
    lines = [f"{count_noun(len(chosen), 'tabel', 'tabeller')} på jobindsats.dk (version 3):"]
    subject = None
    for entry in sorted(chosen, key=lambda t: (t.subject, t.table)):
        if entry.subject != subject:
            subject = entry.subject
            lines += ["", subject or "(uden emne)"]
        newest = ", ".join(f"{PERIOD_TYPES.get(k, k)} til {_period(v)}" for k, v in entry.period_types.items())
        lines.append(f"  {entry.table:<12} {entry.name}")
        lines.append(
            f"  {'':<12} {newest or 'perioder ukendte'}; opdateret {format_iso_day(entry.update_latest)}, "
            f"næste gang {format_iso_day(entry.update_next)}"
        )
    lines += ["", "Se én tabels mål og opdelinger med: councilbook tables TABEL"]
    return lines


def describe_table(spec: TableSpec, listed: CatalogueTable | None) -> list[str]:
    """One table: its measures, period types, areas and breakdowns with their values, and an example entry."""
    lines = [f"Tabel {spec.table}: {spec.name or (listed.name if listed else '')}".rstrip(": ")]
    if listed is not None:
        lines.append(
            f"Opdateret {format_iso_day(listed.update_latest)}, næste gang {format_iso_day(listed.update_next)}."
        )
    lines += ["", "Mål (measure: navnet eller id'et):"]
    lines += [f"  {m.name}  (id {m.id})" for m in spec.measures] or ["  ingen"]
    lines += ["", "Perioder (period:):"]
    for kind, ids in spec.periods.items():
        span = (
            f"{_period(ids[0])} til {_period(ids[-1])}, {format_number(len(ids))} perioder" if ids else "ingen listet"
        )
        note = "" if kind in ("M", "Q", "Y") else " (læses ikke af councilbook)"
        lines.append(f"  {kind}: {PERIOD_TYPES.get(kind, kind)}, {span}{note}")
    lines += ["", f"Områder ({AREA_DIMENSION}):"]
    for hierarchy in spec.areas:
        below = [v for _, values in hierarchy.levels[1:] for v in values]  # under the root "Hele landet"
        count = sum(1 for v in below if not v.name.casefold().startswith("uoplyst"))
        used = "  <- kommunerne: dem henter councilbook" if hierarchy.id == MUNICIPALITIES else ""
        lines.append(f"  {hierarchy.id} {hierarchy.name}: {count_noun(count, 'område', 'områder')}{used}")
    if not any(h.id == MUNICIPALITIES for h in spec.areas):
        lines.append(f"  (ingen {MUNICIPALITIES}: tabellen har ikke tal for kommuner og kan ikke hentes)")
    lines += ["", "Opdelinger (select: {hierarki: værdi}; de, der ikke vælges, tages i alt):"]
    for hierarchy in spec.breakdowns:
        total = hierarchy.total
        lines.append(
            f"  {hierarchy.id} {hierarchy.name or hierarchy.dimension_name}"
            + (f" (i alt: {total.name})" if total is not None else "")
        )
        values = [v.name for v in hierarchy.values if total is None or v != total]
        shown = ", ".join(values[:MOST_VALUES])
        more = f" og {format_number(len(values) - MOST_VALUES)} til" if len(values) > MOST_VALUES else ""
        lines.append(f"      {shown}{more}" if values else "      (kun i alt)")
    if not spec.breakdowns:
        lines.append("  ingen")
    example = spec.measures[0].name if spec.measures else "..."
    kind = next((k for k in ("M", "Q", "Y") if k in spec.periods), "M")
    lines += [
        "",
        "I measures.yml, fx:",
        "  jobindsats:",
        f"    table: {spec.table}",
        f"    measure: {example}",
        f"    period: {kind}",
    ]
    return lines
