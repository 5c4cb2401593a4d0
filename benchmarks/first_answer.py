"""How soon `councilbook status` gives its first answer: the terminal table, before the report notebook runs.

Run with `.venv/bin/python benchmarks/first_answer.py --runs 3`. Each run is `councilbook status` as a user
types it (a new process, stdout a pipe, COLUMNS=80) in a fresh copy of the project in a temporary folder;
nothing in the repository is touched. For each line it prints, the seconds from the start of the process:
the first line (the meeting's title), the table's last line (the line before "Notesbog:"), and the end.

Two cases:

* **validated before**: `councilbook validate` has been run on the same files (as the guide does before a
  status, and as every build does): the validated project is kept in the build folder, so status reads it
  instead of reading and checking the data again;
* **cold**: an empty build folder, so status reads and checks every parameter and data file first.

The figures are medians; the target is a first answer within 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROJECT_PARTS = ("_config.yml", "book", "pipelines", "parameters", "data")


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


def timed_lines(command: list[str], cwd: Path) -> list[tuple[float, str]]:
    """Every line the command prints on stdout, with the seconds since it was started."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    lines = [(time.perf_counter() - started, line.rstrip("\n")) for line in process.stdout]
    _, errors = process.communicate()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{errors[-3000:]}")
    return lines + [(time.perf_counter() - started, "")]


def measure(project: Path, meeting: str) -> tuple[float, float, float]:
    lines = timed_lines([str(BIN / "councilbook"), "status", "--meeting", meeting], project)
    notebook = next(i for i, (_, text) in enumerate(lines) if text.startswith("Notesbog:"))
    return lines[0][0], lines[notebook - 1][0], lines[-1][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--meeting", default="2013-05-29")
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {"validated before": [], "cold": []}
    with tempfile.TemporaryDirectory(prefix="councilbook-first-answer-") as folder:
        project = copy_project(Path(folder) / "project")
        subprocess.run(
            [str(BIN / "councilbook"), "status", "--meeting", args.meeting],
            cwd=project,
            check=True,
            capture_output=True,
        )  # once, so that the report's notebook is cached in both cases alike
        for _ in range(args.runs):
            subprocess.run([str(BIN / "councilbook"), "validate"], cwd=project, check=True, capture_output=True)
            results["validated before"].append(measure(project, args.meeting))
            shutil.rmtree(project / "_build" / "cache" / "projects", ignore_errors=True)
            results["cold"].append(measure(project, args.meeting))
    print("| case | first line | table's last line | whole command |")
    print("| --- | --- | --- | --- |")
    for case, runs in results.items():
        first, table, total = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"| {case} | {first:.2f} s | {table:.2f} s | {total:.2f} s |")
    print()
    for case, runs in results.items():
        print(f"{case}: first lines " + ", ".join(f"{r[0]:.2f}" for r in runs) + " s")


if __name__ == "__main__":
    main()
