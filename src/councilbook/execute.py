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
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import nbformat
import papermill as pm

from .manifest import Run

TITLE_TAG = "councilbook-title"


@dataclass(frozen=True)
class RunResult:
    run: Run
    output: Path
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def finalise_notebook(path: Path, run: Run) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nb.cells = [c for c in nb.cells if TITLE_TAG not in c.metadata.get("tags", [])]
    title = nbformat.v4.new_markdown_cell(f"# {run.title}", metadata={"tags": [TITLE_TAG]})
    title.id = "councilbook-title"
    nb.cells.insert(0, title)
    nb.metadata["councilbook"] = {
        "report": run.report,
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


def _quiet_worker() -> None:
    """Kernels log transport warnings on stderr; errors land in the notebooks, so silence the rest."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def execute_runs(
    runs: Iterable[Run],
    out_dir: Path,
    cwd: Path,
    workers: int | None = None,
    on_done: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Execute runs in parallel processes; one failure does not stop the others."""
    runs = list(runs)
    workers = min(workers or default_workers(), max(1, len(runs)))
    results: list[RunResult] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker) as pool:
        futures = [pool.submit(execute_run, run, out_dir / run.output, cwd) for run in runs]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_done:
                on_done(result)
    by_output = {r.run.output: r for r in results}
    return [by_output[run.output] for run in runs]
