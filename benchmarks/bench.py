"""Benchmarks of the build on the sample council, against the plain Jupyter Book way, and at national scale.

Run with `make bench` (or `.venv/bin/python benchmarks/bench.py --runs 3`). Every figure is the
median of ``--runs`` runs in a fresh copy of the project in a temporary folder; nothing in the
repository is touched. It prints a Markdown table to paste into benchmarks/README.md, with the
machine's 1-minute load average before and after each run beside each figure, and the commit.

`make bench-quick` (``--quick``) takes one run of each figure the targets need (1, 2, 3, 4, 5 and
6b/6c; not 1b and not the national status report) and finishes in well under 10 minutes on two
cores on a quiet machine.

1. cold build (empty cache) of the whole book, HTML and PDF (and HTML only, for comparison);
2. rebuild with nothing changed;
3. rebuild after adding one meeting;
4. `make contract-status` (`councilbook status`), with an empty and with a warm cache;
5. the same notebooks built the plain Jupyter Book way (`execute_notebooks: force`, serial, HTML);
6. national scale (98 municipalities, 15 years of months, 10 measures, 8 goals): computing one
   meeting's status in-process (time, peak memory) and building one status report.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import nbformat
import yaml
from papermill.parameterize import parameterize_notebook

from councilbook.assembly import book, frontpage
from councilbook.assembly.pipeline import plan_runs
from councilbook.data.sample import SampleMeasure, SampleMunicipality, SampleSpec, generate_rows, render_csv
from councilbook.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROJECT_PARTS = ("_config.yml", "book", "pipelines", "parameters", "data")
ADDED_MEETING = """  - date: 2013-12-18
    kind: extraordinary
    title: Ekstraordinært rådsmøde
    theme: Benchmark
"""


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("generated", "_build", "processed", "raw")
    for name in PROJECT_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def run(command: list[str], cwd: Path) -> float:
    """Seconds for one command; stops the benchmark if it fails."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return seconds


def councilbook(*args: str) -> list[str]:
    return [str(BIN / "councilbook"), *args]


def load_average() -> float:
    """The machine's 1-minute load average."""
    return os.getloadavg()[0]


@dataclass
class Figure:
    """One measured figure: its value in each run (seconds or MB) and the 1-minute load average before and
    after each run."""

    values: list[float]
    loads: list[tuple[float, float]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)


def progress(name: str, value: float, load: tuple[float, float]) -> None:
    """Each run as it ends, on stderr: a run cut short by a time limit still shows what it measured."""
    print(f"  {name}: {value:.1f} s (1-minute load {load[0]:.1f} → {load[1]:.1f})", file=sys.stderr, flush=True)


def measured(name: str, runs: int, prepare: Callable[[], None], measure: Callable[[], float]) -> Figure:
    figure = Figure([])
    for _ in range(runs):
        prepare()
        before = load_average()
        figure.values.append(measure())
        figure.loads.append((before, load_average()))
        progress(name, figure.values[-1], figure.loads[-1])
    return figure


def bench_builds(workdir: Path, runs: int, quick: bool = False) -> dict[str, Figure]:
    project = copy_project(workdir / "project")
    build_dir = project / "_build"
    meetings = project / "parameters/meetings/2013.yml"
    original = meetings.read_text(encoding="utf-8")
    results = {}

    def empty_cache() -> None:
        shutil.rmtree(build_dir, ignore_errors=True)
        meetings.write_text(original, encoding="utf-8")

    results["cold"] = measured("cold", runs, empty_cache, lambda: run(councilbook("build"), project))
    if not quick:
        results["cold_html"] = measured(
            "cold_html", runs, empty_cache, lambda: run(councilbook("build", "--no-pdf"), project)
        )
        run(councilbook("build"), project)
    results["unchanged"] = measured("unchanged", runs, lambda: None, lambda: run(councilbook("build"), project))

    def without_the_meeting() -> None:
        meetings.write_text(original, encoding="utf-8")
        run(councilbook("build"), project)
        meetings.write_text(original + ADDED_MEETING, encoding="utf-8")

    results["added_meeting"] = measured(
        "added_meeting", runs, without_the_meeting, lambda: run(councilbook("build"), project)
    )
    meetings.write_text(original, encoding="utf-8")
    results["status_cold"] = measured(
        "status_cold",
        runs,
        lambda: shutil.rmtree(build_dir, ignore_errors=True),
        lambda: run(councilbook("status"), project),
    )
    run(councilbook("status"), project)
    results["status_warm"] = measured("status_warm", runs, lambda: None, lambda: run(councilbook("status"), project))
    return results


def write_plain_book(project: Path) -> book.BookPaths:
    """The same report notebooks as a plain Jupyter Book: one copy per report with its parameters set
    (papermill's parameterize, not run), executed by Jupyter Book itself (``execute_notebooks: force``)."""
    loaded = load_project(project / "parameters", project / "data/sample")
    runs = plan_runs(loaded, project, project / "parameters", project / "data/sample", date.today())
    paths = book.BookPaths(project)
    shutil.rmtree(paths.generated, ignore_errors=True)
    for r in runs:
        parameters = {
            **r.parameters,
            "params_dir": str(project / "parameters"),
            "data_path": str(project / "data/sample"),
        }
        nb = nbformat.read(r.notebook, as_version=4)
        nb.metadata["papermill"] = {}
        nb = parameterize_notebook(nb, parameters)
        target = paths.generated / r.output
        target.parent.mkdir(parents=True, exist_ok=True)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {r.title}"))
        nbformat.write(nb, target)
    frontpage.write_front_page(paths, loaded.params, loaded.dataset, runs)
    frontpage.write_toc(paths, runs)
    config = frontpage.write_config(paths, loaded.params)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["execute"] = {"execute_notebooks": "force", "timeout": 600}
    config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return paths


def bench_plain(workdir: Path, runs: int) -> Figure:
    project = copy_project(workdir / "plain")
    paths = write_plain_book(project)
    command = book.sphinx_command(paths.book, "html", paths.build)
    return measured(
        "plain", runs, lambda: shutil.rmtree(paths.build, ignore_errors=True), lambda: run(command, project)
    )


# --- national scale -----------------------------------------------------------------------------

NATIONAL_FIRST, NATIONAL_LAST = 2011, 2025
NATIONAL_MEETING = "2025-09-24"


def national_spec() -> SampleSpec:
    municipalities = [
        SampleMunicipality(
            code=101 + 4 * i,
            name=f"Kommune {i + 1:02d}",
            population=15_000 + (i * 7_919) % 160_000,
            unskilled_pct=15 + (i * 37) % 25,
            non_western_pct=2 + (i * 13) % 20,
        )
        for i in range(98)
    ]
    trend = {year: 1.0 + 0.02 * ((year * 7) % 5 - 2) for year in range(NATIONAL_FIRST, NATIONAL_LAST + 1)}
    measures = [
        SampleMeasure(id="langtidsledige", rate=0.0063, trend=trend),
        SampleMeasure(id="fp_tilkendelser", rate=0.00025, burden=1.3, trend=trend, noise=0.05),
        SampleMeasure(id="unge_ydelse", rate=0.015, burden=1.1, trend=trend),
        SampleMeasure(id="unge_i_uddannelse", base="unge_ydelse", rate=0.15, burden=-0.4, trend=trend),
        SampleMeasure(id="virk_i_alt", rate=0.06, burden=0.0, trend=trend, noise=0.002),
        SampleMeasure(id="virk_samarbejde", base="virk_i_alt", rate=0.22, burden=-0.2, trend=trend),
        SampleMeasure(id="sygedagpenge", rate=0.004, burden=0.8, trend=trend),
    ]
    return SampleSpec(
        seed=98,
        first_month=f"{NATIONAL_FIRST}M01",
        last_month=f"{NATIONAL_LAST}M12",
        municipalities=municipalities,
        measures=measures,
    )


def write_national(folder: Path) -> tuple[Path, Path]:
    """Parameters and tidy data for a national-scale council; returns (params, data)."""
    spec = national_spec()
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "national.csv").write_text(render_csv(generate_rows(spec)), encoding="utf-8")
    (data / "datasource.yml").write_text("title: Benchmark\nsample: true\n", encoding="utf-8")
    params = folder / "parameters"
    for sub in ("contracts", "meetings"):
        (params / sub).mkdir(parents=True)
    sample = yaml.safe_load((ROOT / "parameters/council.yml").read_text(encoding="utf-8"))
    sample["job_centres"] = [
        {
            "id": f"jc{m.code}",
            "name": f"Jobcenter {m.name}",
            "municipalities": {m.code: m.name},
            "cluster": f"Klynge {1 + i % 5}",
        }
        for i, m in enumerate(spec.municipalities)
    ]
    (params / "council.yml").write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    measures = yaml.safe_load((ROOT / "parameters/measures.yml").read_text(encoding="utf-8"))
    measures["measures"].append(
        {
            "id": "sygedagpenge",
            "label": "Sygedagpengeforløb over 26 uger",
            "unit": "Personer",
            "noun": "antallet af lange sygedagpengeforløb",
        }
    )
    (params / "measures.yml").write_text(yaml.safe_dump(measures, allow_unicode=True), encoding="utf-8")
    for year in (NATIONAL_LAST - 1, NATIONAL_LAST):
        contract = {"year": year, "title": f"Kontrakt {year}", "published": f"{year}-03-27", "goals": _goals(year)}
        (params / f"contracts/{year}.yml").write_text(yaml.safe_dump(contract, allow_unicode=True), encoding="utf-8")
    meetings = {
        "year": NATIONAL_LAST,
        "meetings": [{"date": NATIONAL_MEETING, "kind": "ordinary", "title": "Rådsmøde"}],
    }
    (params / f"meetings/{NATIONAL_LAST}.yml").write_text(yaml.safe_dump(meetings), encoding="utf-8")
    return params, data


def _goals(year: int) -> list[dict]:
    base = str(year - 1)
    common = {"why": "Benchmark.", "actions": ["Benchmark."]}
    specs = [
        ("unge", "unge_i_uddannelse", "unge_ydelse", "ratio", "higher", {"form": "share", "percent": 16.0}),
        ("fp", "fp_tilkendelser", None, "sum", "lower", {"form": "change", "percent": -10}),
        (
            "langtid",
            "langtidsledige",
            None,
            "end_of_period",
            "lower",
            {"form": "level", "value": 9000, "month": f"{year}M12"},
        ),
        ("virk", "virk_samarbejde", "virk_i_alt", "ratio", "higher", {"form": "direction"}),
        ("syg", "sygedagpenge", None, "sum", "lower", {"form": "change", "percent": -5}),
        ("langtid-gns", "langtidsledige", None, "average", "lower", {"form": "change", "percent": -3}),
        ("unge-ydelse", "unge_ydelse", None, "end_of_period", "lower", {"form": "change", "percent": -2}),
        ("fp-retning", "fp_tilkendelser", None, "sum", "lower", {"form": "direction"}),
    ]
    goals = []
    for gid, measure, denominator, aggregation, better, target in specs:
        goal = {"id": gid, "title": f"Mål {gid}", **common, "measure": measure, "aggregation": aggregation}
        if denominator:
            goal["denominator"] = denominator
        baseline = f"{base}M12" if aggregation == "end_of_period" else base
        goals.append({**goal, "better": better, "baseline": baseline, "target": target})
    return goals


STATUS_IN_PROCESS = """
import resource, sys, time
from datetime import date
from councilbook.analysis.meeting import compute_meeting_status
from councilbook.project.load import load_project
t = time.perf_counter()
project = load_project(sys.argv[1], sys.argv[2])
loaded = time.perf_counter() - t
t = time.perf_counter()
meeting = project.params.meeting_on(date.fromisoformat(sys.argv[3]))
compute_meeting_status(project.params, project.dataset, meeting)
print(loaded, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_national(workdir: Path, runs: int, quick: bool = False) -> dict[str, Figure]:
    """The in-process status (6a-6c) and, unless quick, the status report (6d, 6e)."""
    params, data = write_national(workdir / "national")
    loaded, computed, memory = Figure([]), Figure([]), Figure([])
    for _ in range(runs):
        before = load_average()
        out = subprocess.run(
            [sys.executable, "-c", STATUS_IN_PROCESS, str(params), str(data), NATIONAL_MEETING],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        load = (before, load_average())
        for figure, value in zip((loaded, computed, memory), out, strict=True):
            figure.values.append(float(value))
            figure.loads.append(load)
        progress("national_status", computed.values[-1], load)
    results = {"national_load": loaded, "national_status": computed, "national_status_mb": memory}
    if quick:
        return results
    project = copy_project(workdir / "national-project")
    report_args = ("status", "--meeting", NATIONAL_MEETING, "--params", str(params), "--data", str(data))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = measured(
        "national_report",
        runs,
        lambda: shutil.rmtree(project / "_build", ignore_errors=True),
        lambda: run(councilbook(*report_args), project),
    )
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    results["national_report"] = report
    results["national_report_mb"] = Figure([max(before, children_peak) / 1024], report.loads)
    return results


# --- report -------------------------------------------------------------------------------------


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"
    )


def commit() -> str:
    """The commit measured, and whether the code or the project had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "benchmarks", *PROJECT_PARTS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    short, _, subject = head.partition(" ")
    dirty = f", with uncommitted changes in {len(changed)} files of src/, benchmarks/ or the project" if changed else ""
    return f'{short} "{subject}"{dirty}'


# --- report (pure: tests/test_bench.py checks it) -----------------------------------------------

Row = tuple[str, str, str, str, str, str]  # number, what, value, target, met, load


def met(ok: bool) -> str:
    return "met" if ok else "not met"


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def loads_text(figure: Figure) -> str:
    """The 1-minute load average before and after each run, as "before → after"."""
    return "; ".join(f"{before:.1f} → {after:.1f}" for before, after in figure.loads)


def table_rows(r: dict[str, Figure]) -> list[Row]:
    """The table's rows for the figures measured; a target is issue 31's (6c: issue 16's)."""

    def row(number: str, what: str, key: str, target: str = "", ok: bool | None = None) -> Row:
        figure = r[key]
        value = f"{figure.median:.0f} MB" if key.endswith("_mb") else seconds(figure.median)
        return (number, what, value, target, "" if ok is None else met(ok), loads_text(figure))

    cold, added = r["cold"].median, r["added_meeting"].median
    unchanged, status = r["unchanged"].median, r["status_cold"].median
    rows = [row("1", "cold build, HTML and PDF (empty cache)", "cold")]
    if "cold_html" in r:
        rows.append(row("1b", "cold build, HTML only", "cold_html"))
    rows += [
        row("2", "rebuild, nothing changed", "unchanged", "under 1 s", unchanged < 1),
        row("3", "rebuild after adding one meeting (HTML and PDF)", "added_meeting"),
        ("3/1", "ratio, added meeting to cold", f"{added / cold:.2f}", "at most 0.15", met(added / cold <= 0.15), ""),
        row("4", "`make contract-status`, empty cache", "status_cold", "under 5 s", status < 5),
        row("4b", "`make contract-status`, warm cache", "status_warm"),
    ]
    if "plain" in r:
        plain = r["plain"].median
        rows += [
            row("5", "plain Jupyter Book (force, serial), HTML only", "plain"),
            (
                "1/5",
                "ratio, cold HTML+PDF to plain HTML",
                f"{cold / plain:.2f}",
                "at most 0.5",
                met(cold / plain <= 0.5),
                "",
            ),
        ]
        if "cold_html" in r:
            rows.append(("1b/5", "ratio, cold HTML to plain HTML", f"{r['cold_html'].median / plain:.2f}", "", "", ""))
    if "national_status" in r:
        rows += [
            row("6a", "national: load and validate parameters and data", "national_load"),
            row(
                "6b",
                "national: one meeting's status in-process",
                "national_status",
                "under 1 s",
                r["national_status"].median < 1,
            ),
            row(
                "6c",
                "national: peak memory of that process",
                "national_status_mb",
                "under 1 GB",
                r["national_status_mb"].median < 1024,
            ),
        ]
    if "national_report" in r:
        rows += [
            row("6d", "national: one status report (`councilbook status`)", "national_report"),
            row("6e", "national: peak memory of its largest process", "national_report_mb"),
        ]
    return rows


def load_note(peak: float, cpus: int) -> str:
    if peak > cpus:
        return (
            f"**Measured on a loaded machine**: the 1-minute load average reached {peak:.1f} on {cpus} CPUs during "
            "the runs, so these are not the quiet-machine figures."
        )
    return f"The 1-minute load average stayed at or below {peak:.1f} on {cpus} CPUs during the runs."


def report(
    r: dict[str, Figure],
    *,
    machine_text: str,
    day: str,
    commit_text: str,
    runs: int,
    quick: bool,
    cpus: int,
    loads_at_start: Sequence[float],
    loads_at_end: Sequence[float],
) -> str:
    """The Markdown printed at the end: machine, commit, date, load, the table and (several runs) every run."""
    how = "one run of each figure (`bench.py --quick`)" if quick else f"medians of {runs} runs"
    peak = max([loads_at_start[0], loads_at_end[0], *(x for f in r.values() for pair in f.loads for x in pair)])
    lines = [
        f"Machine: {machine_text}  ",
        f"Commit: {commit_text}  ",
        f"Date: {day}, {how}  ",
        "Load average (1, 5, 15 min): "
        + ", ".join(f"{x:.2f}" for x in loads_at_start)
        + " at the start, "
        + ", ".join(f"{x:.2f}" for x in loads_at_end)
        + f" at the end; {cpus} CPUs",
        "",
        load_note(peak, cpus),
        "",
        "| # | what | median | target | met | load before → after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {' | '.join(row)} |" for row in table_rows(r)]
    if runs > 1:
        every = {k: [round(t, 1) for t in f.values] for k, f in r.items() if not k.endswith("_mb")}
        lines += ["", f"All runs (s): {every}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run of each figure the targets need (not 1b, not the national status report): under 10 minutes",
    )
    parser.add_argument("--skip-plain", action="store_true", help="leave out the plain Jupyter Book baseline")
    parser.add_argument("--skip-national", action="store_true", help="leave out the national-scale figures")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `timeout` stops it: the temporary folder still goes
    loads_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="councilbook-bench-") as tmp:
        work = Path(tmp)
        print(
            f"Benchmarking in {work} ({runs} runs per figure; {os.cpu_count()} CPUs, load average at the start "
            + ", ".join(f"{x:.2f}" for x in loads_at_start)
            + ") ...",
            file=sys.stderr,
            flush=True,
        )
        r = bench_builds(work, runs, quick=args.quick)
        if not args.skip_plain:
            r["plain"] = bench_plain(work, runs)
        if not args.skip_national:
            r.update(bench_national(work, runs, quick=args.quick))
    print(
        report(
            r,
            machine_text=machine(),
            day=date.today().isoformat(),
            commit_text=commit(),
            runs=runs,
            quick=args.quick,
            cpus=os.cpu_count() or 1,
            loads_at_start=loads_at_start,
            loads_at_end=os.getloadavg(),
        )
    )


if __name__ == "__main__":
    main()
