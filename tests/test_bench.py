"""benchmarks/bench.py's report for given figures: the table, the targets met or not, the load beside them.
No build runs and nothing is timed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench", bench)  # dataclasses look their module up there
_spec.loader.exec_module(bench)
Figure = bench.Figure


def quick_figures() -> dict:
    """One run of each figure of the quick mode, with the load before and after it."""
    return {
        "cold": Figure([100.0], [(1.0, 1.5)]),
        "unchanged": Figure([0.8], [(1.5, 1.4)]),
        "added_meeting": Figure([20.0], [(1.4, 1.9)]),
        "status_cold": Figure([6.0], [(1.9, 1.8)]),
        "status_warm": Figure([2.5], [(1.8, 1.7)]),
        "plain": Figure([150.0], [(1.7, 2.0)]),
        "national_load": Figure([1.9], [(2.0, 2.1)]),
        "national_status": Figure([0.9], [(2.0, 2.1)]),
        "national_status_mb": Figure([210.4], [(2.0, 2.1)]),
    }


def render(figures: dict, *, runs: int = 1, quick: bool = True, peak_load: float = 0.5) -> str:
    return bench.report(
        figures,
        machine_text="2 cores (Test CPU), 8 GiB, Linux, Python 3.11.7",
        day="2026-12-05",
        commit_text='abc1234 "A commit"',
        runs=runs,
        quick=quick,
        cpus=2,
        loads_at_start=(peak_load, 0.4, 0.3),
        loads_at_end=(0.6, 0.5, 0.4),
    )


def test_quick_report_prints_every_figure_the_targets_and_the_load() -> None:
    assert render(quick_figures()) == (
        "Machine: 2 cores (Test CPU), 8 GiB, Linux, Python 3.11.7  \n"
        'Commit: abc1234 "A commit"  \n'
        "Date: 2026-12-05, one run of each figure (`bench.py --quick`)  \n"
        "Load average (1, 5, 15 min): 0.50, 0.40, 0.30 at the start, 0.60, 0.50, 0.40 at the end; 2 CPUs\n"
        "\n"
        "**Measured on a loaded machine**: the 1-minute load average reached 2.1 on 2 CPUs during the runs, "
        "so these are not the quiet-machine figures.\n"
        "\n"
        "| # | what | median | target | met | load before → after |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 1 | cold build, HTML and PDF (empty cache) | 100.0 s |  |  | 1.0 → 1.5 |\n"
        "| 2 | rebuild, nothing changed | 0.8 s | under 1 s | met | 1.5 → 1.4 |\n"
        "| 3 | rebuild after adding one meeting (HTML and PDF) | 20.0 s |  |  | 1.4 → 1.9 |\n"
        "| 3/1 | ratio, added meeting to cold | 0.20 | at most 0.15 | not met |  |\n"
        "| 4 | `make contract-status`, empty cache | 6.0 s | under 5 s | not met | 1.9 → 1.8 |\n"
        "| 4b | `make contract-status`, warm cache | 2.5 s |  |  | 1.8 → 1.7 |\n"
        "| 5 | plain Jupyter Book (force, serial), HTML only | 150.0 s |  |  | 1.7 → 2.0 |\n"
        "| 1/5 | ratio, cold HTML+PDF to plain HTML | 0.67 | at most 0.5 | not met |  |\n"
        "| 6a | national: load and validate parameters and data | 1.9 s |  |  | 2.0 → 2.1 |\n"
        "| 6b | national: one meeting's status in-process | 0.9 s | under 1 s | met | 2.0 → 2.1 |\n"
        "| 6c | national: peak memory of that process | 210 MB | under 1 GB | met | 2.0 → 2.1 |"
    )


def test_full_report_adds_the_html_only_build_the_national_report_and_every_run() -> None:
    figures = {
        "cold": Figure([60.0, 50.0, 55.0], [(0.1, 0.2), (0.2, 0.3), (0.3, 0.2)]),
        "cold_html": Figure([40.0, 42.0, 41.0], [(0.2, 0.2)] * 3),
        "unchanged": Figure([1.2, 0.9, 1.0], [(0.2, 0.2)] * 3),
        "added_meeting": Figure([8.0, 8.25, 8.5], [(0.2, 0.2)] * 3),
        "status_cold": Figure([4.0, 4.9, 4.5], [(0.2, 0.2)] * 3),
        "status_warm": Figure([2.0, 2.0, 2.0], [(0.2, 0.2)] * 3),
        "plain": Figure([110.0, 120.0, 130.0], [(0.2, 0.2)] * 3),
        "national_load": Figure([1.0, 1.0, 1.0], [(0.2, 0.2)] * 3),
        "national_status": Figure([1.2, 1.1, 1.0], [(0.2, 0.2)] * 3),
        "national_status_mb": Figure([200.0, 200.0, 200.0], [(0.2, 0.2)] * 3),
        "national_report": Figure([15.0, 16.0, 17.0], [(0.2, 0.2)] * 3),
        "national_report_mb": Figure([579.0], [(0.2, 0.2)] * 3),
    }
    text = render(figures, runs=3, quick=False)
    lines = text.splitlines()
    assert lines[2] == "Date: 2026-12-05, medians of 3 runs  "
    assert lines[5] == "The 1-minute load average stayed at or below 0.6 on 2 CPUs during the runs."
    assert lines[9:] == [
        "| 1 | cold build, HTML and PDF (empty cache) | 55.0 s |  |  | 0.1 → 0.2; 0.2 → 0.3; 0.3 → 0.2 |",
        "| 1b | cold build, HTML only | 41.0 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 2 | rebuild, nothing changed | 1.0 s | under 1 s | not met | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 3 | rebuild after adding one meeting (HTML and PDF) | 8.2 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 3/1 | ratio, added meeting to cold | 0.15 | at most 0.15 | met |  |",
        "| 4 | `make contract-status`, empty cache | 4.5 s | under 5 s | met | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 4b | `make contract-status`, warm cache | 2.0 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 5 | plain Jupyter Book (force, serial), HTML only | 120.0 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 1/5 | ratio, cold HTML+PDF to plain HTML | 0.46 | at most 0.5 | met |  |",
        "| 1b/5 | ratio, cold HTML to plain HTML | 0.34 |  |  |  |",
        "| 6a | national: load and validate parameters and data | 1.0 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 6b | national: one meeting's status in-process | 1.1 s | under 1 s | not met | "
        "0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 6c | national: peak memory of that process | 200 MB | under 1 GB | met | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 6d | national: one status report (`councilbook status`) | 16.0 s |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "| 6e | national: peak memory of its largest process | 579 MB |  |  | 0.2 → 0.2; 0.2 → 0.2; 0.2 → 0.2 |",
        "",
        "All runs (s): {'cold': [60.0, 50.0, 55.0], 'cold_html': [40.0, 42.0, 41.0], 'unchanged': [1.2, 0.9, 1.0], "
        "'added_meeting': [8.0, 8.2, 8.5], 'status_cold': [4.0, 4.9, 4.5], 'status_warm': [2.0, 2.0, 2.0], "
        "'plain': [110.0, 120.0, 130.0], 'national_load': [1.0, 1.0, 1.0], 'national_status': [1.2, 1.1, 1.0], "
        "'national_report': [15.0, 16.0, 17.0]}",
    ]


def test_a_ratio_exactly_at_its_target_is_met_and_a_time_at_its_limit_is_not() -> None:
    figures = quick_figures()
    figures["added_meeting"] = Figure([15.0], [(1.0, 1.0)])
    figures["plain"] = Figure([200.0], [(1.0, 1.0)])
    figures["status_cold"] = Figure([5.0], [(1.0, 1.0)])
    rows = {row[0]: row for row in bench.table_rows(figures)}
    assert rows["3/1"][2:5] == ("0.15", "at most 0.15", "met")
    assert rows["1/5"][2:5] == ("0.50", "at most 0.5", "met")
    assert rows["4"][2:5] == ("5.0 s", "under 5 s", "not met")
