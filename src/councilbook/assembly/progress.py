"""Progress of a build on the terminal, and the summary table at the end.

On a terminal a live line shows reports done, running, reused from the cache and
failed, with the time; elsewhere (CI logs, a pipe) each finished report is one
plain line, so the log reads top to bottom. The words are those of the glossary in
:mod:`councilbook.core.errors`: a report is "kørt", "genbrugt" or "fejlet".
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from councilbook.assembly.execute import RunResult
from councilbook.assembly.manifest import Run


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def outcome(result: RunResult) -> str:
    if not result.ok:
        return "fejlet"
    return "genbrugt" if result.cached else "kørt"


class BuildProgress:
    """Call ``plan`` with the runs, ``done`` after each, ``stop`` at the end; ``summary`` gives the table."""

    def __init__(self, console: Console, workers: int, clock: Callable[[], float] = perf_counter) -> None:
        self.console = console
        self.clock = clock
        self.workers = workers
        self.live = console.is_terminal
        self.results: list[RunResult] = []
        self.total = 0
        self.started = self.clock()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.summarised = False

    def plan(self, runs: list[Run]) -> None:
        self.total = len(runs)
        self.started = self.clock()
        if self.live and runs:
            self._progress = Progress(
                TextColumn("Rapporter"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[state]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._task = self._progress.add_task("reports", total=self.total, state=self._state())
            self._progress.start()

    def _counts(self) -> tuple[int, int, int, int]:
        cached = sum(r.cached for r in self.results)
        failed = sum(not r.ok for r in self.results)
        done = len(self.results)
        running = min(self.workers, self.total - done)
        return done, running, cached, failed

    def _state(self) -> str:
        _done, running, cached, failed = self._counts()
        return f"kører {running} · genbrugt {cached} · fejlet {failed}"

    def done(self, result: RunResult) -> None:
        self.results.append(result)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=len(self.results), state=self._state())
            return
        done, running, cached, failed = self._counts()
        elapsed = _seconds(self.clock() - self.started)
        took = "" if result.cached else f" ({_seconds(result.seconds)})"
        self.console.print(
            f"  [{done}/{self.total}] {result.run.kind} {result.run.key}: {outcome(result)}{took}"
            f" · kører {running}, genbrugt {cached}, fejlet {failed}, {elapsed}",
            highlight=False,
            markup=False,
        )

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def summary(self) -> Table:
        self.summarised = True
        table = Table(title="Rapporter", title_justify="left")
        for column, justify in (("Rapport", "left"), ("Status", "left"), ("Tid", "right"), ("Kørsel", "left")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for result in sorted(self.results, key=lambda r: (r.ok, r.run.kind, r.run.key)):
            table.add_row(
                f"{result.run.kind} {result.run.key}",
                "ok" if result.ok else "fejlet",
                "–" if result.cached else _seconds(result.seconds),
                "genbrugt" if result.cached else "kørt",
            )
        return table

    def totals(self) -> str:
        """One line under the table: reports run, reused and failed, and the time they took."""
        _done, _running, cached, failed = self._counts()
        ran = len(self.results) - cached
        return (
            f"{len(self.results)} rapporter: {ran} kørt, {cached} genbrugt, {failed} fejlet, "
            f"{_seconds(self.clock() - self.started)} i alt"
        )
