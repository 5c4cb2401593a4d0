"""The report model: a report is an intro, an optional summary, sections with ids, and a closing."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from councilbook.text import present, render
from councilbook.text.downloads import Downloads, figure_tables

# Invisible markers around a detail section's outputs, for the print copy (:mod:`councilbook.assembly.bookpdf`).
ANNEX_START = '<div class="cb-annex-start" hidden></div>'
ANNEX_END = '<div class="cb-annex-end" hidden></div>'
# Markers around a section that is a page of its own (a job centre's page): the build moves what lies between
# them into a page of the book under the report's page (:mod:`councilbook.assembly.subpages`).
PAGE_START = '<div class="cb-page-start" data-page="{page}" hidden></div>'
PAGE_END = '<div class="cb-page-end" hidden></div>'

SectionRole = Literal["", "agenda", "jobcentres"]


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
    # A page of its own (its id in the book, e.g. "jc-roskilde"): the build moves the section to a page under the
    # report's page, its heading the page's title; the report links it with :func:`councilbook.core.links.page_link`.
    page: str = ""
    # What the section is, for an output that shows some sections apart (so it asks the section, not its id):
    # "agenda", the meeting's agenda and decisions (a members' pack prints them in full in a part of its own);
    # "jobcentres", a row per job centre (a members' pack keeps the text; the long table and its chart are in the
    # workbook that comes with the pack); "" for any other.
    role: SectionRole = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = slug(self.heading.text)

    def display_parts(self, anchor: bool = False) -> list[Any]:
        """What a notebook displays for the section, in order; with ``anchor``, the heading carries the
        section's anchor (:func:`section_anchor`) for the report's contents list."""
        heading = self.heading
        if anchor:
            heading = replace(heading, notice=f'<a id="{section_anchor(self.id)}"></a>' + heading.notice)
        parts = (heading, self.text, self.chart, self.note, self.table, self.details)
        return [p for p in parts if p is not None]

    @property
    def level(self) -> int:
        """The heading's level (2 for "## …")."""
        return len(self.heading.text) - len(self.heading.text.lstrip("#"))

    @property
    def title(self) -> str:
        """The heading as plain text."""
        return re.sub(r"\\(.)", r"\1", self.heading.text.lstrip("#").strip())


def section_anchor(section_id: str) -> str:
    return f"cb-{section_id}"


CONTENTS_MIN = 3  # a page with fewer top-level sections needs no contents list


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
    # The main points the page opens with (Markdown, one line each, the number first, then what it means).
    main_points: list[str] = field(default_factory=list)

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

        # The page opens as a bulletin does: (the sample-data notice,) the main points, the number first, and
        # what is on the page; then the report's own introduction, its figures to take away and its summary.
        contents = self.contents()
        opening = self.main_points or contents
        if opening and self.intro.notice:
            display(replace(self.intro, text=""))
        if self.main_points:
            display(present.Markdown("**Hovedpunkter**\n\n" + "\n".join(f"- {p}" for p in self.main_points)))
        if contents:
            display(HTML(contents))
        display(replace(self.intro, notice="") if opening else self.intro)
        display(HTML(str(render.macros("report.html.j2").method_link())))
        downloads = self.downloads()
        if downloads.tables:  # near the top: "Hent rapportens tal: CSV · Excel"
            display(downloads)
        if self.summary is not None:
            display(self.summary)
        for section in [*self.sections, self.closing]:
            if section.page:
                display(HTML(PAGE_START.format(page=html.escape(section.page))))
            if section.detail:
                display(HTML(ANNEX_START))
            display(*section.display_parts(anchor=not section.page))
            if section.detail:
                display(HTML(ANNEX_END))
            if section.page:
                display(HTML(PAGE_END))
        self.record()

    def contents(self) -> str:
        """The page's contents list (HTML): its top-level sections, linked; empty for a short page."""
        top = [s for s in [*self.sections, self.closing] if s.level == 2 and not s.page]
        if len(top) < CONTENTS_MIN:
            return ""
        return str(render.macros("report.html.j2").contents([(section_anchor(s.id), s.title) for s in top]))

    def section(self, section_id: str) -> Section | None:
        """The section with id ``section_id`` (the closing included), if the report has it."""
        return next((s for s in [*self.sections, self.closing] if s.id == section_id), None)

    def record(self) -> None:
        """Store the report's figures in the executed notebook (hidden), for scripts and tests."""
        from myst_nb import glue

        glue("figures", json.dumps(self.figures, ensure_ascii=False, default=str), display=False)
        for key, text in self.glued.items():
            glue(key, text, display=False)
