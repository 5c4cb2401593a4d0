"""Run report notebooks with papermill, then make the output ready for the book.

After a run the executed notebook gets:

* a Markdown title cell on top (Sphinx takes a page's title from the first
  heading in a Markdown cell; headings inside outputs do not count);
* the ``remove-cell`` tag on papermill's injected-parameters cell, so the
  parameters never show in the published pages;
* ``metadata.councilbook`` with the report, its key and its parameters.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from time import perf_counter

import nbformat
import papermill as pm

from councilbook.assembly import warm
from councilbook.assembly import workers as report_workers
from councilbook.assembly.manifest import Run
from councilbook.core.prose import escape_markdown
from councilbook.reports.registry import get_kind

TITLE_TAG = "councilbook-title"


@dataclass(frozen=True)
class RunResult:
    run: Run
    output: Path  # the executed notebook; for a failed run, the half-run notebook with the error
    seconds: float
    error: str | None = None
    cached: bool = False  # taken from the cache, not executed

    @property
    def ok(self) -> bool:
        return self.error is None


def finalise_notebook(path: Path, run: Run) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags:
            cell.id = "injected-parameters"  # papermill's id is random; the same inputs give the same notebook
            if "remove-cell" not in tags:
                tags.append("remove-cell")
    nb.cells = [c for c in nb.cells if TITLE_TAG not in c.metadata.get("tags", [])]
    title = nbformat.v4.new_markdown_cell(f"# {escape_markdown(run.title)}", metadata={"tags": [TITLE_TAG]})
    title.id = "councilbook-title"
    nb.cells.insert(0, title)
    nb.metadata["councilbook"] = {
        "report": run.kind,
        "key": run.key,
        "title": run.title,
        "parameters": run.parameters,
        "provenance": recorded_figures(nb).get("provenance"),
    }
    nbformat.write(nb, path)


def recorded_figures(nb: nbformat.NotebookNode) -> dict:
    """The figures a report recorded (``Report.record``), or {} if none."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == "figures":
                text = output["data"]["application/papermill.record/text/plain"]
                return json.loads(ast.literal_eval(text))
    return {}


KERNEL_START_ATTEMPTS = 3


def _kernel_did_not_start(exc: Exception) -> bool:
    """A kernel that died or timed out while starting (a busy machine), before any cell ran."""
    text = str(exc)
    return "Kernel died before replying to kernel_info" in text or "Kernel didn't respond" in text


def execute_run(run: Run, output: Path, cwd: Path) -> RunResult:
    """Execute one report notebook into ``output``. Never raises for a failing notebook.

    A kernel that fails to start is started again (up to three attempts); a failing cell is not retried.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    started = perf_counter()
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            pm.execute_notebook(
                str(run.notebook),
                str(output),
                parameters=run.parameters,
                kernel_name="python3",
                engine_name=warm.ENGINE,
                cwd=str(cwd),
                progress_bar=False,
                log_output=False,
                report_mode=False,
            )
            break
        except Exception as exc:  # papermill saved the half-run notebook with the error in it
            if attempt < KERNEL_START_ATTEMPTS and _kernel_did_not_start(exc):
                continue
            return RunResult(run, output, perf_counter() - started, error=_summarise(exc))
    finalise_notebook(output, run)
    return RunResult(run, output, perf_counter() - started)


def _summarise(exc: Exception) -> str:
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    return f"{name}: {value}".strip()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def execute_runs(
    runs: Iterable[Run],
    out_dir: Path,
    cwd: Path,
    workers: int | None = None,
    on_done: Callable[[RunResult], None] | None = None,
    cache: Path | None = None,
    failed_dir: Path | None = None,
    force: bool = False,
) -> list[RunResult]:
    """Execute runs in parallel processes; one failure does not stop the others.

    With ``cache``, a run whose key (``run.fingerprint``) has an executed notebook there is copied
    from it instead of executed (unless ``force``); a run that succeeds is stored there. A failed
    run's notebook, with the error at the cell that failed, is kept in ``failed_dir`` (default
    ``out_dir``) under its output name.
    """
    runs = list(runs)
    results: list[RunResult] = []

    def finish(result: RunResult) -> None:
        results.append(result)
        if on_done:
            on_done(result)

    to_run = []
    for run in runs:
        stored = cache / f"{run.fingerprint}.ipynb" if cache is not None and run.fingerprint else None
        if stored is not None and stored.is_file() and not force:
            target = out_dir / run.output
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stored, target)
            os.utime(stored)  # recently used: kept by prune_cache
            finish(RunResult(run, target, 0.0, cached=True))
        else:
            to_run.append(run)
    if to_run:
        # Longest first, so no long report starts last while the other workers idle.
        to_run.sort(key=lambda run: -get_kind(run.kind).cost)
        scratch = (cache or out_dir) / ".running"
        workers = min(workers or default_workers(), len(to_run))
        with report_workers.pool(workers) as pool:
            futures = {
                pool.submit(execute_run, run, scratch / f"{run.fingerprint or uuid.uuid4().hex}.ipynb", cwd): run
                for run in to_run
            }
            for future in as_completed(futures):
                finish(_settle(future.result(), out_dir, cache, failed_dir or out_dir))
    by_output = {r.run.output: r for r in results}
    return [by_output[run.output] for run in runs]


def _settle(result: RunResult, out_dir: Path, cache: Path | None, failed_dir: Path) -> RunResult:
    """Move an executed notebook where it belongs: the cache and the book's sources, or the failed folder."""
    if not result.ok:
        kept = failed_dir / result.run.output
        kept.parent.mkdir(parents=True, exist_ok=True)
        if result.output.exists():
            os.replace(result.output, kept)
        return replace(result, output=kept)
    target = out_dir / result.run.output
    target.parent.mkdir(parents=True, exist_ok=True)
    if cache is not None and result.run.fingerprint:
        stored = cache / f"{result.run.fingerprint}.ipynb"
        os.replace(result.output, stored)  # complete notebooks only: the rename is atomic
        shutil.copyfile(stored, target)
    else:
        os.replace(result.output, target)
    return replace(result, output=target)


CACHE_MAX_AGE_DAYS = 30


def prune_cache(cache: Path, keep: set[str], max_age_days: int = CACHE_MAX_AGE_DAYS) -> int:
    """Remove cached notebooks and prepared projects not used for ``max_age_days`` (never notebooks in ``keep``)
    and stale scratch files."""
    if not cache.is_dir():
        return 0
    shutil.rmtree(cache / ".running", ignore_errors=True)
    limit = time.time() - max_age_days * 86400
    removed = 0
    for path in [*cache.glob("*.ipynb"), *cache.glob("projects/*.pickle")]:
        if path.stem not in keep and path.stat().st_mtime < limit:
            path.unlink()
            removed += 1
    return removed
