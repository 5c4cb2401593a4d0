"""The orchestrator: it only calls the stages, in order.

validate (parameters + data) → expand the run manifest → execute the reports →
write the book's pages, contents and config → build HTML and PDF → publish.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from councilbook.assembly import book, frontpage, questionspage, sourcekey, subpages
from councilbook.assembly.bookpdf import BookCover, PrintPage
from councilbook.assembly.execute import RunResult, execute_runs, prune_cache
from councilbook.assembly.manifest import Run, expand_manifest, held_back, import_project_kinds
from councilbook.assembly.methodpage import write_method_page
from councilbook.assembly.outcome import BuildResult
from councilbook.assembly.runkey import run_key
from councilbook.core import release
from councilbook.core.errors import ComputeError, StepFailed, display_path
from councilbook.core.formats import format_date, format_month
from councilbook.core.paths import check_project_root
from councilbook.core.periods import period_from_code
from councilbook.data.ingest import write_snapshot
from councilbook.parameters.model import Parameters
from councilbook.project.cache import save_prepared
from councilbook.project.load import Project, load_project
from councilbook.reports.registry import get_kind, scope_report

if TYPE_CHECKING:
    from nbconvert import HTMLExporter


class ReportsFailed(StepFailed):
    """Reports that failed to run; the others were kept and are reused next time."""

    def __init__(self, failed: list[RunResult]):
        self.failed = failed
        super().__init__(f"{len(failed)} {'rapport' if len(failed) == 1 else 'rapporter'} fejlede")

    def lines(self, action: str) -> list[str]:
        lines = [f"{action}: {self}."]
        for result in self.failed:
            lines.append(f"  {result.run.kind} {result.run.key}: {result.error}")
            lines.append(f"    notesbogen med fejlen: {display_path(result.output)}")
        lines.append(
            "Gør sådan: kontrollér parametre og data (councilbook validate), og byg igen; de rapporter, der lykkedes, "
            "genbruges. Fejler det igen, så send denne besked og notesbogen (eller notesbøgerne) ovenfor til den, der "
            "vedligeholder councilbook (docs/vejledning.md, afsnit 8)."
        )
        return lines


def notebook_path(path: Path, project_root: Path) -> str:
    """A path as the notebooks receive it: relative to the project when inside it."""
    resolved = path.resolve()
    try:
        return (
            os.path.relpath(resolved, project_root.resolve())
            if resolved.is_relative_to(project_root.resolve())
            else str(resolved)
        )
    except ValueError:
        return str(resolved)


def manifest_runs(
    project: Project, root: Path, params_dir: Path, data_path: Path, as_of: date | None = None
) -> list[Run]:
    """Every run the project's manifest calls for that is public by ``as_of`` (all if None)."""
    return expand_manifest(
        book.BookPaths(root).manifest,
        project.params,
        notebook_path(params_dir, root),
        notebook_path(data_path, root),
        as_of,
    )


def plan_runs(project: Project, root: Path, params_dir: Path, data_path: Path, as_of: date | None = None) -> list[Run]:
    """Every run public by ``as_of``, each with its embargo date normalised to its scope and its run key."""
    return [key_run(run, project, as_of) for run in manifest_runs(project, root, params_dir, data_path, as_of)]


def key_run(run: Run, project: Project, as_of: date | None) -> Run:
    scope = scope_report(run.kind, run.key, project.params, project.dataset, as_of)
    run = dataclasses.replace(
        run, parameters={**run.parameters, "as_of": scope.as_of.isoformat() if scope.as_of else ""}
    )
    return dataclasses.replace(run, fingerprint=run_key(run, scope))


def build(
    params_dir: Path,
    data_path: Path,
    root: Path,
    workers: int | None = None,
    pdf: bool = True,
    on_done: Callable[[RunResult], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    as_of: date | None = None,
    force: bool = False,
    on_plan: Callable[[list[Run]], None] | None = None,
    inputs: str | None = None,
) -> BuildResult:
    """Validate, execute every report public by ``as_of`` (all if None) that is not cached, and build the
    book (HTML, then PDF) unless it is unchanged since the last build. ``force`` runs and builds everything."""
    stage = on_stage or (lambda _text: None)
    check_project_root(root)
    paths = book.BookPaths(root)
    inputs = inputs or sourcekey.inputs_digest(paths, params_dir, data_path, as_of)
    if not force:  # the published book made from these very inputs: nothing is read further
        unchanged = sourcekey.unchanged_build(paths, inputs, pdf)
        if unchanged is not None:
            return unchanged
    stage("Kontrollerer parametre og data")
    import_project_kinds(paths.manifest)  # a project's own kinds first: their parameter folders are read too
    project = load_project(params_dir, data_path)
    write_snapshot(project.dataset, paths.snapshots)
    runs = plan_runs(project, root, params_dir, data_path, as_of)
    notes = tuple(held_back(project.params, as_of) if as_of else [])
    try:
        with release.build_lock(paths.build):
            result = _build_locked(
                project, runs, notes, paths, params_dir, data_path, workers, pdf, on_done, stage, force, on_plan, as_of
            )
            sourcekey.record_inputs(paths, sourcekey.inputs_key(inputs, pdf), notes)
            return result
    except OSError as exc:
        if exc.errno in release.FOLDER_ERRNOS:
            raise release.folder_error(paths.build, exc) from exc
        raise


def _build_locked(
    project: Project,
    runs: list[Run],
    notes: tuple[str, ...],
    paths: book.BookPaths,
    params_dir: Path,
    data_path: Path,
    workers: int | None,
    pdf: bool,
    on_done: Callable[[RunResult], None] | None,
    stage: Callable[[str], None],
    force: bool,
    on_plan: Callable[[list[Run]], None] | None,
    as_of: date | None = None,
) -> BuildResult:
    save_prepared(project, params_dir, data_path, paths.prepared)  # the reports read it instead of validating again
    # Made anew: nothing left from an earlier build (nor from one that was killed half-way).
    for folder in (paths.generated, paths.failed):
        shutil.rmtree(folder, ignore_errors=True)
    paths.generated.mkdir(parents=True)
    stage(f"Kører {len(runs)} rapporter")
    if on_plan:
        on_plan(runs)
    results = execute_runs(
        runs,
        paths.generated,
        paths.project,
        workers=workers,
        on_done=on_done,
        cache=paths.cache,
        failed_dir=paths.failed,
        force=force,
    )
    failed = [r for r in results if not r.ok]
    if failed:
        raise ReportsFailed(failed)
    # The sections that are pages of their own (a job centre's page) moved out of their reports, and every
    # link to a page given its address.
    in_book_order = [run.output for _caption, part in frontpage.group_runs(runs) for run in part]
    pages = subpages.split_all(paths.generated, in_book_order)
    subpages.resolve_page_links(paths.generated, subpages.read_addresses(paths.generated))
    # The public's answered questions: a page of their own after the reports (none without any).
    questions = questionspage.write_questions_page(paths, project.params, as_of)
    subpages.add_to_toc(frontpage.write_toc(paths, runs, questions=questions is not None), pages)
    frontpage.write_config(paths, project.params, runs)
    key = _write_book_sources(paths, project, runs, pdf, as_of)
    unchanged = not force and book.is_published(paths, key, pdf)
    if not force and not unchanged and not pdf:
        # HTML built with its PDF from the same sources also serves a build without PDF.
        unchanged = book.is_published(paths, _write_book_sources(paths, project, runs, True, as_of), pdf=False)
        if not unchanged:
            key = _write_book_sources(paths, project, runs, False, as_of)
    if unchanged:
        prune_cache(paths.cache, keep={r.fingerprint for r in runs})
        return BuildResult(results, paths.html, paths.pdf if pdf else None, unchanged=True, notes=notes)
    stage("Bygger HTML og PDF" if pdf else "Bygger HTML")
    jobs = print_jobs(paths, project.params, runs)
    cover = book_cover(paths, project, runs, as_of or date.today())
    html, pdf_path = book.build_and_publish(paths, key, pdf, jobs, cover, force)
    prune_cache(paths.cache, keep={r.fingerprint for r in runs})
    return BuildResult(results, html, pdf_path, notes=notes)


def print_jobs(paths: book.BookPaths, params: Parameters, runs: list[Run]) -> list[PrintPage]:
    """The pages printed into the PDFs, in book order: every report (its cover line: the council, the report
    and the day it became public), the public's answered questions if the build wrote their page, then the static
    pages under "Om bogen"."""
    council = params.council
    pages = subpages.read_pages(paths.generated)  # the pages of their own, printed in their report's annex
    jobs = []
    for caption, part_runs in frontpage.group_runs(runs):
        for run in part_runs:
            public = get_kind(run.kind).public_from(run.key, params)
            when = f" · offentlig fra {format_date(public)}" if public else ""
            own = pages.get(Path(run.output).with_suffix("").as_posix(), [])
            jobs.append(
                PrintPage(
                    page=f"generated/{Path(run.output).with_suffix('.html').as_posix()}",
                    title=run.title,
                    cover=f"{council.name} · {run.nav_title}{when}",
                    part=caption,
                    annex_pages=tuple(f"generated/{page}.html" for page in own),
                )
            )
    if (paths.generated / questionspage.OUTPUT).is_file():
        title = questionspage.TITLE
        jobs.append(
            PrintPage(
                page=f"generated/{questionspage.PAGE}.html",
                title=title,
                cover=f"{council.name} · {title}",
                part=questionspage.CAPTION,
            )
        )
    for name in frontpage.STATIC_PAGES:
        source = paths.book / f"{name}.md"
        if source.is_file():
            title = next(
                (
                    line.lstrip("#").strip()
                    for line in source.read_text(encoding="utf-8").splitlines()
                    if line.startswith("# ")
                ),
                name,
            )
            jobs.append(PrintPage(page=f"{name}.html", title=title, cover=f"{council.name} · {title}", part="Om bogen"))
    return jobs


def book_cover(paths: book.BookPaths, project: Project, runs: list[Run], as_of: date) -> BookCover:
    """The book PDF's cover: the council, the book's title, the month its newest figures run to (the latest
    cut-off any report used, from the executed notebooks) and the day it was made as of."""
    cutoffs = []
    for run in runs:
        notebook = paths.generated / run.output
        if notebook.is_file():
            provenance = nbformat.read(notebook, as_version=4).metadata.get("councilbook", {}).get("provenance") or {}
            if provenance.get("cutoff"):
                cutoffs.append(period_from_code(provenance["cutoff"]))
    figures = f"Tallene går til og med {format_month(max(cutoffs))}" if cutoffs else "Bogen har endnu ingen tal"
    return BookCover(
        council=project.params.council.name,
        title="Resultatkontrakter, status på målene og evalueringer",
        figures=figures,
        made=f"Udgivet {format_date(as_of)}",
        sample=project.dataset.source.sample,
    )


def _write_book_sources(
    paths: book.BookPaths, project: Project, runs: list[Run], pdf: bool, as_of: date | None = None
) -> str:
    """Write the front page (which links the PDF only in a build with PDF) and the Metode page with the council's
    values, and return the book's key."""
    frontpage.write_front_page(paths, project.params, project.dataset, runs, pdf, as_of)
    write_method_page(paths, project.params, as_of)
    return book.book_key(paths)


@dataclass(frozen=True)
class ReportPage:
    """One report as ``councilbook status`` writes it: the executed notebook and its HTML page."""

    notebook: Path
    html: Path
    run: RunResult


def report_run(project: Project, kind_id: str, key: str, params_dir: Path, data_path: Path, root: Path) -> Run:
    """The run of one report as the book has it (its manifest entry), or, for a report the manifest leaves out,
    the kind's item run from ``pipelines/<kind>.ipynb``."""
    runs = [r for r in manifest_runs(project, root, params_dir, data_path) if r.kind == kind_id and r.key == key]
    if runs:
        return runs[0]
    kind = get_kind(kind_id)
    item = next((i for i in kind.items(project.params) if i.key == key), None)
    if item is None:
        raise ComputeError(f"der er ingen rapport {key} af typen {kind_id!r} i parametrene")
    return Run(
        kind_id,
        key,
        book.BookPaths(root).pipelines / f"{kind_id}.ipynb",
        f"{kind_id}-{key}.ipynb",
        {
            "params_dir": notebook_path(params_dir, root),
            "data_path": notebook_path(data_path, root),
            "as_of": "",
            kind.parameter: item.value,
        },
        item.title,
        item.nav_title,
        item.year,
    )


def run_report(
    project: Project,
    kind_id: str,
    key: str,
    params_dir: Path,
    data_path: Path,
    root: Path,
    out_dir: Path,
) -> ReportPage:
    """Execute one report's notebook into ``out_dir`` (its run key as in the book, so a cached one is reused) and
    write it as a standalone HTML page (``councilbook status`` runs a meeting's status report so)."""
    run = report_run(project, kind_id, key, params_dir, data_path, root)
    notebook = out_dir / f"{kind_id}-{key}.ipynb"
    run = key_run(dataclasses.replace(run, output=notebook.name), project, None)
    paths = book.BookPaths(root)
    save_prepared(project, params_dir, data_path, paths.prepared)
    with ThreadPoolExecutor(max_workers=1) as side:
        exporter = side.submit(standalone_exporter)  # made ready while the report runs in its kernel
        result = execute_runs([run], out_dir, root, workers=1, cache=paths.cache)[0]
    if not result.ok:
        raise ReportsFailed([result])
    html = notebook.with_suffix(".html")
    write_standalone_html(notebook, html, css=paths.styles(), exporter=exporter.result())
    return ReportPage(notebook, html, result)


def standalone_exporter() -> HTMLExporter:
    """nbconvert's exporter of :func:`write_standalone_html`, its templates loaded (by a first, empty export).
    nbconvert is imported here, not with this module: ``councilbook status`` imports it beside the running report."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"}, enabled=True), enabled=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())
    return exporter


def write_standalone_html(notebook: Path, html: Path, css: str = "", exporter: HTMLExporter | None = None) -> Path:
    """The executed notebook as one HTML page without code, loading nothing from the network (``exporter``: one
    made by :func:`standalone_exporter`, else a new one).

    The book's stylesheets (``css``, their text) are embedded, so tables and status cells look as in the book.
    """
    nb = nbformat.read(notebook, as_version=4)
    exporter = exporter or standalone_exporter()
    with warnings.catch_warnings():
        # The hidden glue record has no HTML form; that is intended.
        warnings.filterwarnings("ignore", message="Your element with mimetype")
        body, _resources = exporter.from_notebook_node(nb)
    page = strip_remote_scripts(body)
    if css:
        style = f"<style>\n{css}\nbody {{ max-width: 72em; margin: 0 auto; }}\n</style>"
        page = page.replace("</head>", style + "\n</head>", 1)
    html.write_text(page, encoding="utf-8")
    return html


def strip_remote_scripts(page: str) -> str:
    """Drop scripts that load from the network (MathJax, require.js, mermaid): the reports need none."""
    page = re.sub(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)
    return re.sub(r"<script\b[^>]*>(?:(?!</script>)[\s\S])*?(?:import|src)[^<]*https?://[\s\S]*?</script>", "", page)
