"""Benchmarks of the build on the sample council, against the plain Jupyter Book way, and at national scale.

Run with `make bench` (or `.venv/bin/python benchmarks/bench.py --runs 3`). Every figure is the
median of ``--runs`` runs in a fresh copy of the project in a temporary folder; nothing in the
repository is touched. It prints a Markdown table to paste into benchmarks/README.md.

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
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def median_of(runs: int, prepare: Callable[[], None], measure: Callable[[], float]) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        prepare()
        times.append(measure())
    return statistics.median(times), times


def bench_builds(workdir: Path, runs: int) -> dict[str, tuple[float, list[float]]]:
    project = copy_project(workdir / "project")
    build_dir = project / "_build"
    meetings = project / "parameters/meetings/2013.yml"
    original = meetings.read_text(encoding="utf-8")
    results = {}

    def empty_cache() -> None:
        shutil.rmtree(build_dir, ignore_errors=True)
        meetings.write_text(original, encoding="utf-8")

    results["cold"] = median_of(runs, empty_cache, lambda: run(councilbook("build"), project))
    results["cold_html"] = median_of(runs, empty_cache, lambda: run(councilbook("build", "--no-pdf"), project))
    run(councilbook("build"), project)
    results["unchanged"] = median_of(runs, lambda: None, lambda: run(councilbook("build"), project))

    def without_the_meeting() -> None:
        meetings.write_text(original, encoding="utf-8")
        run(councilbook("build"), project)
        meetings.write_text(original + ADDED_MEETING, encoding="utf-8")

    results["added_meeting"] = median_of(runs, without_the_meeting, lambda: run(councilbook("build"), project))
    meetings.write_text(original, encoding="utf-8")
    results["status_cold"] = median_of(
        runs, lambda: shutil.rmtree(build_dir, ignore_errors=True), lambda: run(councilbook("status"), project)
    )
    run(councilbook("status"), project)
    results["status_warm"] = median_of(runs, lambda: None, lambda: run(councilbook("status"), project))
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


def bench_plain(workdir: Path, runs: int) -> tuple[float, list[float]]:
    project = copy_project(workdir / "plain")
    paths = write_plain_book(project)
    command = book.sphinx_command(paths, "html", paths.build)
    return median_of(runs, lambda: shutil.rmtree(paths.build, ignore_errors=True), lambda: run(command, project))


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
from councilbook.analysis import compute
from councilbook.project.load import load_project
t = time.perf_counter()
project = load_project(sys.argv[1], sys.argv[2])
loaded = time.perf_counter() - t
t = time.perf_counter()
meeting = project.params.meeting_on(date.fromisoformat(sys.argv[3]))
compute.compute_meeting_status(project.params, project.dataset, meeting)
print(loaded, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_national(workdir: Path, runs: int) -> dict[str, tuple[float, list[float]]]:
    params, data = write_national(workdir / "national")
    loads, computes, memories = [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STATUS_IN_PROCESS, str(params), str(data), NATIONAL_MEETING],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        loads.append(float(out[0]))
        computes.append(float(out[1]))
        memories.append(float(out[2]))
    project = copy_project(workdir / "national-project")
    report_args = ("status", "--meeting", NATIONAL_MEETING, "--params", str(params), "--data", str(data))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = median_of(
        runs,
        lambda: shutil.rmtree(project / "_build", ignore_errors=True),
        lambda: run(councilbook(*report_args), project),
    )
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "national_load": (statistics.median(loads), loads),
        "national_status": (statistics.median(computes), computes),
        "national_status_mb": (statistics.median(memories), memories),
        "national_report": report,
        "national_report_mb": (max(before, children_peak) / 1024, []),
    }


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


def met(ok: bool) -> str:
    return "yes" if ok else "no"


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--skip-plain", action="store_true", help="leave out the plain Jupyter Book baseline")
    parser.add_argument("--skip-national", action="store_true", help="leave out the national-scale figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="councilbook-bench-") as tmp:
        work = Path(tmp)
        print(f"Benchmarking in {work} ({args.runs} runs per figure) ...", file=sys.stderr, flush=True)
        r = bench_builds(work, args.runs)
        if not args.skip_plain:
            r["plain"] = bench_plain(work, args.runs)
        if not args.skip_national:
            r.update(bench_national(work, args.runs))
    cold, added = r["cold"][0], r["added_meeting"][0]
    rows = [
        ("1", "cold build, HTML and PDF (empty cache)", seconds(cold), "", ""),
        ("1b", "cold build, HTML only", seconds(r["cold_html"][0]), "", ""),
        ("2", "rebuild, nothing changed", seconds(r["unchanged"][0]), "under 2 s", met(r["unchanged"][0] < 2)),
        ("3", "rebuild after adding one meeting (HTML and PDF)", seconds(added), "", ""),
        ("3/1", "ratio, added meeting to cold", f"{added / cold:.2f}", "at most 0.25", met(added / cold <= 0.25)),
        (
            "4",
            "`make contract-status`, empty cache",
            seconds(r["status_cold"][0]),
            "under 5 s",
            met(r["status_cold"][0] < 5),
        ),
        ("4b", "`make contract-status`, warm cache", seconds(r["status_warm"][0]), "", ""),
    ]
    if "plain" in r:
        ratio = cold / r["plain"][0]
        rows += [
            ("5", "plain Jupyter Book (force, serial), HTML only", seconds(r["plain"][0]), "", ""),
            ("1/5", "ratio, cold HTML+PDF to plain HTML", f"{ratio:.2f}", "at most 0.5", met(ratio <= 0.5)),
            ("1b/5", "ratio, cold HTML to plain HTML", f"{r['cold_html'][0] / r['plain'][0]:.2f}", "", ""),
        ]
    if "national_status" in r:
        rows += [
            ("6a", "national: load and validate parameters and data", seconds(r["national_load"][0]), "", ""),
            (
                "6b",
                "national: one meeting's status in-process",
                seconds(r["national_status"][0]),
                "under 2 s",
                met(r["national_status"][0] < 2),
            ),
            (
                "6c",
                "national: peak memory of that process",
                f"{r['national_status_mb'][0]:.0f} MB",
                "under 1 GB",
                met(r["national_status_mb"][0] < 1024),
            ),
            ("6d", "national: one status report (`councilbook status`)", seconds(r["national_report"][0]), "", ""),
            ("6e", "national: peak memory of its largest process", f"{r['national_report_mb'][0]:.0f} MB", "", ""),
        ]
    print(f"Machine: {machine()}  \nDate: {date.today().isoformat()}, medians of {args.runs} runs\n")
    print("| # | what | median | target | met |\n| --- | --- | --- | --- | --- |")
    for number, what, value, target, ok in rows:
        print(f"| {number} | {what} | {value} | {target} | {ok} |")
    print("\nAll runs (s):", {k: [round(t, 1) for t in v[1]] for k, v in r.items() if v[1]})


if __name__ == "__main__":
    main()
