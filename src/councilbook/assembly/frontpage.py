"""The public site's own pages and settings: the front page, the table of contents (the parts and the order
prev/next walks) and the Jupyter Book config with the council filled in.

Written into ``book/generated/`` by each build, before Sphinx runs (:mod:`book`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import nbformat
import yaml

from councilbook.assembly import questionspage, sitetext, subpages
from councilbook.assembly.execute import recorded_figures
from councilbook.assembly.manifest import Run
from councilbook.core.links import link_addresses
from councilbook.core.paths import PDF_NAME, BookPaths
from councilbook.core.prose import escape_markdown, prose_markdown
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Parameters
from councilbook.reports.registry import FrontPage, ReportKind, get_kind

STATIC_PAGES = ("metode", "om")  # pages in book/ listed under "Om bogen"


def write_front_page(
    paths: BookPaths, params: Parameters, dataset: Dataset, runs: list[Run], pdf: bool = True, as_of: date | None = None
) -> Path:
    """The front page, its answer first: the goals' status, the next meeting and the latest decisions (what each
    kind puts there, :func:`status_lines`), then the newest reports, then the council's mission and vision. With
    ``pdf``, it links the whole book as PDF (placed beside the HTML)."""
    council = params.council
    lines = [f"# {escape_markdown(council.name)}", ""]
    if dataset.source.sample:
        lines += [
            '<p class="cb-sample cb-sample-line"><strong>Eksempeldata:</strong> bogen er bygget på eksempeldata til '
            "afprøvning; tallene viser ikke de faktiske forhold.</p>",
            "",
        ]
    lines += [*status_lines(paths, params, dataset, runs, as_of), "## Det nyeste", ""]
    for label, run in latest_runs(runs, params):
        lines.append(f"- {label}: [{escape_markdown(run.nav_title)}]({Path(run.output).with_suffix('').as_posix()})")
    lines.append("")
    if pdf:  # for readers of the site; the PDF itself does not show it
        lines += [f'<p class="cb-pdf-link">Hele bogen som PDF: <a href="../{PDF_NAME}">{PDF_NAME}</a></p>', ""]
    lines += [
        "## Om rådet",
        "",
        f"Denne bog samler {escape_markdown(council.short_name)}s resultatkontrakter med beskæftigelsesministeren, "
        "status på kontraktens mål ved hvert rådsmøde og rådets årlige evalueringer.",
        "",
        "### Mission",
        "",
        prose_markdown(council.mission),
        "",
        "### Vision",
        "",
        prose_markdown(council.vision),
        "",
    ]
    if council.website:
        lines += [f"Rådets hjemmeside: {prose_markdown(f'<{council.website}>')}", ""]
    path = paths.generated / "index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = link_addresses("\n".join(lines), "", subpages.read_addresses(paths.generated))
    path.write_text(text, encoding="utf-8")
    return path


def status_lines(
    paths: BookPaths, params: Parameters, dataset: Dataset, runs: list[Run], as_of: date | None = None
) -> list[str]:
    """What each kind puts on the front page from its newest public report (the goals' status at the latest
    meeting, from what that report recorded), in book order."""
    lines: list[str] = []
    for kind in sorted({get_kind(r.kind) for r in runs}, key=lambda k: k.order):
        if kind.front_page is None:
            continue
        own = [r for r in runs if r.kind == kind.id]
        latest = newest(kind, own, params)
        notebook = paths.generated / latest.output
        figures = recorded_figures(nbformat.read(notebook, as_version=4)) if notebook.is_file() else {}
        front = FrontPage(
            key=latest.key,
            page=Path(latest.output).with_suffix("").as_posix(),
            nav_title=latest.nav_title,
            params=params,
            dataset=dataset,
            figures=figures,
            keys=tuple(r.key for r in own),
            as_of=as_of,
        )
        lines += kind.front_page(front)
    return lines


def newest(kind: ReportKind, runs: list[Run], params: Parameters) -> Run:
    """The report of a kind that became public last (the latest key on the same day)."""
    return max(runs, key=lambda r: (kind.public_from(r.key, params) or date.min, r.key))


def latest_runs(runs: list[Run], params: Parameters) -> list[tuple[str, Run]]:
    """The newest report of each kind, in book order, with its kind's label, for the front page."""
    found = []
    for kind in sorted({get_kind(r.kind) for r in runs}, key=lambda k: k.order):
        found.append((kind.latest_label, newest(kind, [r for r in runs if r.kind == kind.id], params)))
    return found


def group_runs(runs: list[Run]) -> list[tuple[str, list[Run]]]:
    """Book parts in reading order: the kinds in their order, each kind's parts by the part rank its items give,
    runs by their rank. Every kind ranks the newest first (meetings: the newest year first and the newest meeting
    first within it), so the sidebar opens on what is new and prev/next walks back in time without a jump."""
    parts: dict[tuple[int, tuple[object, ...], str], list[Run]] = {}
    for run in runs:
        parts.setdefault((get_kind(run.kind).order, run.part_rank, run.part), []).append(run)
    return [
        (caption, sorted(part, key=lambda r: (r.rank, r.key)))
        for (_order, _rank, caption), part in sorted(parts.items(), key=lambda entry: entry[0])
    ]


def write_toc(paths: BookPaths, runs: list[Run], questions: bool = False) -> Path:
    """The contents: the reports' parts in book order, then, with ``questions``, the page of the public's answered
    questions (:mod:`questionspage`), then the static pages under "Om bogen"."""
    parts = []
    for caption, part_runs in group_runs(runs):
        parts.append(
            {
                "caption": caption,
                "chapters": [
                    {"file": f"generated/{Path(r.output).with_suffix('').as_posix()}", "title": r.nav_title}
                    for r in part_runs
                ],
            }
        )
    if questions:
        parts.append({"caption": questionspage.CAPTION, "chapters": [{"file": f"generated/{questionspage.PAGE}"}]})
    static = [{"file": page} for page in STATIC_PAGES if (paths.book / f"{page}.md").is_file()]
    if static:
        parts.append({"caption": "Om bogen", "chapters": static})
    toc = {"format": "jb-book", "root": "generated/index", "parts": parts}
    path = paths.generated / "_toc.yml"
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_config(paths: BookPaths, params: Parameters, runs: Sequence[Run] = ()) -> Path:
    """The book's Jupyter Book config: the project's ``_config.yml`` with the council filled in, the theme's words
    in Danish (:mod:`sitetext`) and the footer naming who publishes the book and when its newest report
    became public."""
    base = yaml.safe_load(paths.config.read_text(encoding="utf-8"))
    council = params.council
    # Sphinx escapes the title where it prints it; the theme's navigation bar and footer print the title,
    # author and copyright as HTML, unescaped: the navigation bar gets the title escaped as its logo text.
    base["title"] = council.name
    base["author"] = html.escape(council.region, quote=False)
    base["copyright"] = council.region  # escaped where the theme prints it
    config = base.setdefault("sphinx", {}).setdefault("config", {})
    options = config.setdefault("html_theme_options", {})
    options.setdefault("logo", {})["text"] = html.escape(council.name, quote=False)
    options["search_bar_text"] = sitetext.SEARCH_BAR_TEXT
    locale = paths.generated / "locale"
    sitetext.write_catalog(locale)
    config["locale_dirs"] = [str(locale.resolve())]  # first: its words win over Sphinx's own catalog
    public = [get_kind(run.kind).public_from(run.key, params) for run in runs]
    # printed escaped by book/_templates/cb-footer.html
    config.setdefault("html_context", {})["cb_footer"] = sitetext.footer_text(council.name, public)
    path = paths.generated / "_config.yml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
