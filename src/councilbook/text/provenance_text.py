"""A report's "Om tallene" in words: the source, the month the figures run to, and the technical documentation
(code version, hashes, files), folded away on screen."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from councilbook.core.formats import (
    format_date,
    format_iso_day,
    format_number,
    format_period_code,
)
from councilbook.core.prose import escape_markdown
from councilbook.publication.provenance import Provenance
from councilbook.text.blocks import Details

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    pass


PROVENANCE_HEADING = "## Om tallene"
TECHNICAL_SUMMARY = "Teknisk dokumentation"


def provenance_markdown(provenance: Provenance, made: date | None = None) -> str:
    """The body of a report's "Om tallene" (:data:`PROVENANCE_HEADING`) for readers: the source, the month the
    figures run to and (``made``) the day whose published figures the report uses. The hashes, files and code
    version are in :func:`provenance_details`."""
    lines: list[str] = []
    title = escape_markdown(provenance.source_title or "Data")
    if provenance.sample:
        lines.append(
            f"**Kilde:** {title}. Det er eksempeldata, dannet af en generator til afprøvning af værktøjet: de "
            "viser ikke de faktiske forhold."
        )
    elif provenance.source:
        lines.append(f"**Kilde:** {title} fra {escape_markdown(provenance.source)}.")
    else:
        lines.append(f"**Kilde:** {title}.")
    if provenance.fetched:
        lines.append("**Hentet fra jobindsats.dk's API (version 3):**")
        lines.append("\n".join(f"- {fetched_origin(label, origin)}" for label, origin in provenance.fetched.items()))
    if provenance.cutoff:
        lines.append(f"**Tallene går til og med:** {format_period_code(provenance.cutoff)}.")
    if made is not None:
        lines.append(f"**Udarbejdet:** med de tal, der var offentliggjort {format_date(made)}.")
    lines.append(
        "Hvilke filer og hvilken version af programmet tallene er lavet med, står under "
        f"*{TECHNICAL_SUMMARY}*, så enhver kan genskabe dem."
    )
    return "\n\n".join(lines)


def fetched_origin(label: str, origin: dict[str, str]) -> str:
    """One measure's origin on the API, in Danish: table, measure, selection, updated, fetched (Markdown)."""
    parts = [f"tabel {origin.get('table', '?')}" + (f" ({origin['table_name']})" if origin.get("table_name") else "")]
    if origin.get("measure"):
        parts.append(f"målet »{origin['measure']}«")
    if origin.get("selection"):
        parts.append(f"udvalg: {origin['selection']}")
    if origin.get("update_latest"):
        parts.append(f"tabellen opdateret {format_iso_day(origin['update_latest'])}")
    if origin.get("fetched"):
        parts.append(f"hentet {format_iso_day(origin['fetched'])}")
    return escape_markdown(f"{label}: " + ", ".join(parts) + ".")


def provenance_details(provenance: Provenance) -> Details:
    """The technical part of "Om tallene": code version, hashes, data and parameter files (named within the
    project's folders, never by a path on the machine that built the report)."""
    blocks: list[str | tuple[str, ...]] = [f"Kodeversion: {provenance.code}."]
    if provenance.snapshot_sha256:
        blocks.append(
            f"Det normaliserede datasæt (alle tal efter indlæsning) har SHA-256 {provenance.snapshot_sha256[:16]}…"
        )
    if provenance.scope_sha256:
        blocks.append(
            "De tal, rapporten bygger på (dens mål og rammevilkår til og med "
            f"{format_period_code(provenance.cutoff or '')}), har SHA-256 {provenance.scope_sha256[:16]}…"
        )
    blocks.append("Datafiler, da rapporten blev kørt:")
    blocks.append(
        tuple(
            f"{f['path']} ({f['periods']}, {format_number(int(f['rows']))} tal), SHA-256 {f['sha256'][:16]}…"
            for f in provenance.data_files
        )
    )
    blocks.append(
        "Parametre (SHA-256 af de poster, rapporten bruger):" if provenance.scope_sha256 else "Parameterfiler:"
    )
    blocks.append(tuple(f"{f['path']}{_entries(f)}, SHA-256 {f['sha256'][:16]}…" for f in provenance.parameter_files))
    return Details(TECHNICAL_SUMMARY, tuple(blocks))


def _entries(file: dict[str, str]) -> str:
    return f" ({file['entries']})" if file.get("entries") else ""
