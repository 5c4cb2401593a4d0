"""The build's progress lines and summary table, as a CI log shows them (exact text)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from councilbook.assembly.execute import RunResult
from councilbook.assembly.manifest import Run
from councilbook.assembly.progress import BuildProgress


def _run(kind: str, key: str) -> Run:
    return Run(kind, key, Path("x.ipynb"), f"{key}.ipynb", {}, key, key, 2013)


def test_plain_progress_lines_and_summary() -> None:
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, highlight=False, soft_wrap=True)
    ticks = iter([0.0, 0.0, 1.5, 7.25, 9.0, 9.5])
    progress = BuildProgress(console, workers=2, clock=lambda: next(ticks))
    runs = [
        _run("status", "2013-05-29"),
        _run("contract", "2013"),
        _run("evaluation", "2013"),
    ]
    progress.plan(runs)
    progress.done(RunResult(runs[1], Path("a"), 0.0, cached=True))
    progress.done(RunResult(runs[0], Path("b"), 6.04))
    progress.done(RunResult(runs[2], Path("c"), 7.0, error="RuntimeError: boom"))
    progress.stop()
    console.print(progress.summary(), soft_wrap=False)
    console.print(progress.totals())
    assert out.getvalue().splitlines()[:3] == [
        "  [1/3] contract 2013: genbrugt · kører 2, genbrugt 1, fejlet 0, 1,5 s",
        "  [2/3] status 2013-05-29: kørt (6,0 s) · kører 1, genbrugt 1, fejlet 0, 7,2 s",
        "  [3/3] evaluation 2013: fejlet (7,0 s) · kører 0, genbrugt 1, fejlet 1, 9,0 s",
    ]
    table = out.getvalue().splitlines()[3:]
    assert table[0].strip() == "Rapporter"
    rows = [line for line in table if line.startswith("│")]
    assert rows == [
        "│ evaluation 2013   │ fejlet │ 7,0 s │ kørt     │",
        "│ contract 2013     │ ok     │     – │ genbrugt │",
        "│ status 2013-05-29 │ ok     │ 6,0 s │ kørt     │",
    ]
    assert table[-1] == "3 rapporter: 2 kørt, 1 genbrugt, 1 fejlet, 9,5 s i alt"
