"""The report model: a report is an intro, an optional summary, sections with ids, and a closing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from councilbook.text import present
from councilbook.text.downloads import Downloads, figure_tables

# Invisible markers around a detail section's outputs, for the print copy (:mod:`councilbook.build.bookpdf`).
ANNEX_START = '<div class="cb-annex-start" hidden></div>'
ANNEX_END = '<div class="cb-annex-end" hidden></div>'


@dataclass
class Section:
    """A part of a report. Its id names it for whoever selects sections (a members' pack leaves out the
    agenda section, which it prints in full in its own part); by default the heading's slug."""

    heading: present.Markdown
    text: present.Markdown
    chart: present.Chart | None = None
    table: present.Table | None = None
    note: present.Markdown | None = None
    details: present.Details | None = None  # folded away on screen (the technical documentation)
    id: str = ""
    # Detail (the job centres' analyses, a section per job centre): on screen in its place; in print, in the
    # annex at the end of the report's own PDF, so the book's PDF, which leaves the annexes out, stays short.
    detail: bool = False

    def __post_init__(self) -> None:
        if not self.id:
            self.id = slug(self.heading.text)

    def display_parts(self) -> list[Any]:
        """What a notebook displays for the section, in order."""
        parts = (self.heading, self.text, self.chart, self.note, self.table, self.details)
        return [p for p in parts if p is not None]


def slug(text: str) -> str:
    """A heading as an id: lower case letters and digits joined by hyphens ("## Mål 1: Færre" -> "mal-1-faerre")."""
    plain = text.lstrip("#").strip().lower()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        plain = plain.replace(letter, spelled)
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section"


@dataclass
class Report:
    title: str
    intro: present.Markdown
    summary: present.Table | None
    sections: list[Section]
    closing: Section  # "Om tallene", id "provenance"
    figures: dict[str, Any] = field(default_factory=dict)
    # Plain text glued for other pages (the front page's status lines): key -> text
    glued: dict[str, str] = field(default_factory=dict)
    # The downloads' file name without suffix (``status-2013-05-29``); by default from the title.
    name: str = ""

    def tables(self) -> list[present.Table]:
        """Every table the report shows, in order (folded ones included)."""
        sections = [*self.sections, self.closing]
        return [t for t in [self.summary, *(s.table for s in sections)] if t is not None]

    def downloads(self) -> Downloads:
        """The report's figures to take away: the tables it shows, as CSV and Excel."""
        return Downloads(self.name or slug(self.title), figure_tables(self.tables()))

    def show(self) -> None:
        """Display the whole report in a notebook, then record its figures."""
        from IPython.display import HTML, display

        display(self.intro)
        downloads = self.downloads()
        if downloads.tables:  # near the top: "Hent rapportens tal: CSV · Excel"
            display(downloads)
        if self.summary is not None:
            display(self.summary)
        for section in [*self.sections, self.closing]:
            if section.detail:
                display(HTML(ANNEX_START))
            display(*section.display_parts())
            if section.detail:
                display(HTML(ANNEX_END))
        self.record()

    def section(self, section_id: str) -> Section | None:
        """The section with id ``section_id`` (the closing included), if the report has it."""
        return next((s for s in [*self.sections, self.closing] if s.id == section_id), None)

    def record(self) -> None:
        """Store the report's figures in the executed notebook (hidden), for scripts and tests."""
        from myst_nb import glue

        glue("figures", json.dumps(self.figures, ensure_ascii=False, default=str), display=False)
        for key, text in self.glued.items():
            glue(key, text, display=False)
