"""Assemble the book: generated pages, table of contents, config, Sphinx builds, PDF, publishing.

The book's sources are ``book/`` (static pages and ``_static/``) plus
``book/generated/`` (git-ignored): the executed report notebooks, the front
page, ``_toc.yml`` and ``_config.yml``, all made anew by each build. A book key
hashes all of them; when it equals the key the published book was built from,
nothing is rebuilt. Otherwise Sphinx builds the HTML from scratch into the build's own
version folder, and the PDFs are printed from its pages (each report's print cached,
:mod:`bookpdf`); only when HTML and PDF both succeeded is that folder published, HTML,
PDF and their keys together in one atomic step (:mod:`release`), so a failed or killed
build leaves the last good book where it was.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import yaml

from councilbook.build.bookpdf import BookCover, PrintPage, make_pdfs
from councilbook.build.manifest import Run
from councilbook.build.postprocess import extract_embedded
from councilbook.core import release
from councilbook.core.errors import display_path
from councilbook.core.paths import PDF_NAME, BookPaths
from councilbook.core.prose import escape_markdown, prose_markdown
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Parameters
from councilbook.reports.registry import ReportKind, get_kind

STATIC_PAGES = ("metode", "om")  # pages in book/ listed under "Om bogen"


class BookError(Exception):
    """Sphinx or the PDF step failed."""


def write_front_page(paths: BookPaths, params: Parameters, dataset: Dataset, runs: list[Run], pdf: bool = True) -> Path:
    """The front page; with ``pdf``, it links the whole book as PDF (placed beside the HTML)."""
    council = params.council
    lines = [f"# {escape_markdown(council.name)}", ""]
    if dataset.source.sample:
        lines += [
            '<div class="admonition warning cb-sample"><p class="admonition-title">Eksempeldata</p>'
            "<p>Bogen er bygget på <strong>eksempeldata</strong> til afprøvning. Tallene viser ikke de "
            "faktiske forhold.</p></div>",
            "",
        ]
    lines += [
        f"Denne bog samler {escape_markdown(council.short_name)}s resultatkontrakter med beskæftigelsesministeren, "
        "status på kontraktens mål ved hvert rådsmøde og rådets årlige evalueringer.",
        "",
        "## Mission",
        "",
        prose_markdown(council.mission),
        "",
        "## Vision",
        "",
        prose_markdown(council.vision),
        "",
        *status_lines(params, dataset, runs),
        "## Det nyeste",
        "",
    ]
    for label, run in latest_runs(runs, params):
        lines.append(f"- {label}: [{escape_markdown(run.nav_title)}]({Path(run.output).with_suffix('').as_posix()})")
    lines.append("")
    if pdf:  # for readers of the site; the PDF itself does not show it
        lines += [f'<p class="cb-pdf-link">Hele bogen som PDF: <a href="../{PDF_NAME}">{PDF_NAME}</a></p>', ""]
    if council.website:
        lines += [f"Rådets hjemmeside: {prose_markdown(f'<{council.website}>')}", ""]
    path = paths.generated / "index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def status_lines(params: Parameters, dataset: Dataset, runs: list[Run]) -> list[str]:
    """What each kind puts on the front page from its newest public report (the goals' status at the latest
    meeting), in book order."""
    lines: list[str] = []
    for kind in sorted({get_kind(r.kind) for r in runs}, key=lambda k: k.order):
        if kind.front_page is None:
            continue
        latest = newest(kind, [r for r in runs if r.kind == kind.id], params)
        page = Path(latest.output).with_suffix("").as_posix()
        lines += kind.front_page(latest.key, page, latest.nav_title, params, dataset)
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
    """Book parts in reading order: the kinds in their order, each kind's parts by the part rank its items give
    (contracts and evaluations newest first, meetings by year with the newest year first), runs by their rank."""
    parts: dict[tuple[int, tuple[object, ...], str], list[Run]] = {}
    for run in runs:
        parts.setdefault((get_kind(run.kind).order, run.part_rank, run.part), []).append(run)
    return [
        (caption, sorted(part, key=lambda r: (r.rank, r.key)))
        for (_order, _rank, caption), part in sorted(parts.items(), key=lambda entry: entry[0])
    ]


def write_toc(paths: BookPaths, runs: list[Run]) -> Path:
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
    static = [{"file": page} for page in STATIC_PAGES if (paths.book / f"{page}.md").is_file()]
    if static:
        parts.append({"caption": "Om bogen", "chapters": static})
    toc = {"format": "jb-book", "root": "generated/index", "parts": parts}
    path = paths.generated / "_toc.yml"
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_config(paths: BookPaths, params: Parameters) -> Path:
    base = yaml.safe_load(paths.config.read_text(encoding="utf-8"))
    council = params.council
    # Sphinx escapes the title where it prints it; the theme's navigation bar and footer print the title,
    # author and copyright as HTML, unescaped: the navigation bar gets the title escaped as its logo text.
    base["title"] = council.name
    base["author"] = html.escape(council.region, quote=False)
    base["copyright"] = council.region  # escaped where the theme prints it
    options = base.setdefault("sphinx", {}).setdefault("config", {}).setdefault("html_theme_options", {})
    options.setdefault("logo", {})["text"] = html.escape(council.name, quote=False)
    base.setdefault("html", {})["extra_footer"] = f"<p>{html.escape(council.short_name)}. Bygget med councilbook.</p>"
    path = paths.generated / "_config.yml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def jupyter_book_command() -> list[str]:
    script = Path(sys.executable).parent / "jupyter-book"
    if script.exists():
        return [str(script)]
    found = shutil.which("jupyter-book")
    if found:
        return [found]
    raise BookError("jupyter-book er ikke installeret i dette miljø (kør make install)")


def sphinx_command(paths: BookPaths, builder: str, out: Path) -> list[str]:
    """``jupyter-book build`` of the book's sources with the generated config and contents, from scratch."""
    return [
        *jupyter_book_command(),
        "build",
        str(paths.book),
        "--config",
        str(paths.generated / "_config.yml"),
        "--toc",
        str(paths.generated / "_toc.yml"),
        "--path-output",
        str(out),
        "--builder",
        builder,
        "--all",
    ]


def run_sphinx(paths: BookPaths, builder: str, work: Path) -> Path:
    """One Jupyter Book build with warnings as errors, from scratch (``--all``: no stale glue from an
    earlier build) in the build's own work folder; returns the output folder."""
    out = work / builder
    log = work / f"{builder}.log"
    command = release.ending_with_parent([*sphinx_command(paths, builder, out), "-W", "--keep-going"])
    completed = subprocess.run(command, capture_output=True, text=True, cwd=paths.project)
    if completed.returncode != 0:
        for code in sorted(release.FOLDER_ERRNOS):  # Sphinx could not write (a full disk …): say so
            if f"[Errno {code}]" in completed.stdout + completed.stderr:
                raise OSError(code, os.strerror(code), str(out))
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + "\n" + completed.stderr, encoding="utf-8")
    if completed.returncode != 0:
        warnings = [
            line
            for line in _strip_ansi(completed.stdout + completed.stderr).splitlines()
            if "WARNING" in line or "ERROR" in line
        ]
        detail = "\n".join(warnings[:20]) or "se loggen"
        raise BookError(f"bygningen med {builder} fejlede (log: {display_path(log)}):\n{detail}")
    return out / "_build" / builder


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def book_key(paths: BookPaths) -> str:
    """SHA-256 of everything the book is built from: the pages in ``book/`` (static and generated,
    notebooks included) and the councilbook code. The HTML and the PDF each record the key they were
    built from (:func:`is_published`)."""
    from councilbook.core.code import code_digest

    h = hashlib.sha256(code_digest().encode())
    for path in sorted(p for p in paths.book.rglob("*") if p.is_file()):
        h.update(path.relative_to(paths.book).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def published_keys(paths: BookPaths) -> dict[str, str]:
    try:
        return json.loads(paths.published_key.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_published(paths: BookPaths, key: str, pdf: bool) -> bool:
    """True when the published book (and PDF, if asked for) was built from exactly these sources."""
    keys = published_keys(paths)
    html_ok = keys.get("html") == key and (paths.html / "index.html").is_file()
    return html_ok and (not pdf or (keys.get("pdf") == key and paths.pdf.is_file()))


def build_and_publish(
    paths: BookPaths,
    key: str,
    pdf: bool,
    jobs: Sequence[PrintPage] = (),
    cover: BookCover | None = None,
    force: bool = False,
) -> tuple[Path, Path | None]:
    """Build the HTML (and the PDFs) into a new version folder, then publish it whole (:mod:`release`).

    Sphinx builds the HTML; its embedded files become files (:mod:`postprocess`); with ``pdf``, every report
    page in ``jobs`` is printed (or taken from the print cache, unless ``force``) into its own PDF beside it,
    and the book's PDF is assembled from them (:mod:`bookpdf`). Nothing is published unless every step
    succeeded; then one atomic step publishes the HTML, the PDF and the record of their keys together. Run
    under the build lock.
    """
    release.prune(paths.build)  # what failed or killed builds left
    version = release.new_version(paths.build)
    published = False
    printed: Path | None = None
    try:
        work = version / "work"
        built_html = run_sphinx(paths, "html", work)
        extract_embedded(built_html)
        if pdf:
            if cover is None:
                raise BookError("bogens PDF mangler sin forside")
            printed, _fresh = make_pdfs(
                built_html, jobs, cover, paths.print_cache, work / "pdf" / PDF_NAME, work / "pdf-parts", force=force
            )
        release.checkpoint("built")
        html_dir, pdf_dir = version / "html", version / "pdf"
        built_html.rename(html_dir)
        pdf_dir.mkdir()
        keys = {"html": key}
        last_pdf_key = published_keys(paths).get("pdf")
        if printed is not None:
            printed.rename(pdf_dir / PDF_NAME)
            shutil.copyfile(pdf_dir / PDF_NAME, html_dir / PDF_NAME)  # the site carries its PDF
            keys["pdf"] = key
        elif paths.pdf.is_file() and last_pdf_key:  # an HTML-only build keeps the last PDF
            _link_or_copy(paths.pdf, pdf_dir / PDF_NAME)
            keys["pdf"] = last_pdf_key
        shutil.rmtree(work)
        release.write_keys(version, keys)
        release.checkpoint("complete")
        release.flip(paths.build, version)
        published = True
        release.checkpoint("published")
    finally:
        if not published:
            shutil.rmtree(version, ignore_errors=True)
    release.prune(paths.build)
    return paths.html, paths.pdf if printed is not None else None


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def publish(staged: Path, target: Path) -> None:
    """Put a staged folder in place of ``target``. Where the system allows, the two are exchanged in one
    atomic step, so a reader (or a web server) finds either the old folder or the new one, never none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and release.exchange(staged, target):
        shutil.rmtree(staged)  # now the old folder
        return
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staged.rename(target)
    if old.exists():
        shutil.rmtree(old)
