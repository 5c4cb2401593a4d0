"""Warm kernels (:mod:`councilbook.assembly.warm`): reports run through papermill in kernels forked from a process
that has imported what they need, and share nothing: tiny notebooks, run the way a build runs them."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from councilbook.assembly import warm
from councilbook.assembly.execute import execute_runs, recorded_figures
from councilbook.assembly.manifest import Run

pytestmark = pytest.mark.skipif(not warm.can_fork(), reason="warm kernels need fork and pidfd_open (Linux)")

# The first cell sees what was imported before it ran; every cell leaves what it can behind for the next report.
LEAVE_TRACES = """\
import sys
warm = "pandas" in sys.modules and "councilbook.text.charts" in sys.modules
import matplotlib
import councilbook
from councilbook.core import formats
before = {
    "variable": "secret" in globals(),
    "module attribute": hasattr(councilbook, "LEFT_BEHIND"),
    "matplotlib setting": matplotlib.rcParams["lines.linewidth"] == 9.0,
    "changed function": getattr(formats.format_number, "__name__", "") == "<lambda>",
}
secret = label
councilbook.LEFT_BEHIND = label
matplotlib.rcParams["lines.linewidth"] = 9.0
formats.format_number = lambda *args, **kwargs: "changed"
"""
RECORD = """\
import json, os
from IPython.display import display
record = json.dumps({"warm": warm, "seen": before, "pid": os.getpid()})
display(
    {"application/papermill.record/text/plain": repr(record)}, raw=True, metadata={"scrapbook": {"name": "figures"}}
)
"""


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('label = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(notebook: Path, label: str) -> Run:
    return Run("status", label, notebook, f"{label}.ipynb", {"label": label}, label, label, 2013)


def test_reports_run_in_warm_kernels_and_see_nothing_of_each_other(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "traces.ipynb", LEAVE_TRACES, RECORD)
    runs = [_run(notebook, label) for label in ("a", "b", "c")]
    results = execute_runs(runs, tmp_path / "out", tmp_path, workers=1)
    assert all(r.ok for r in results), [r.error for r in results]
    seen = [recorded_figures(nbformat.read(r.output, as_version=4)) for r in results]
    assert all(s["warm"] for s in seen), seen  # pandas and the chart module there before the first cell
    for s in seen:  # the second and third report run after others in the same worker, and find nothing left
        assert s["seen"] == dict.fromkeys(s["seen"], False), s
    assert len({s["pid"] for s in seen}) == 3  # a process each


def test_a_failing_report_keeps_its_error_and_the_next_runs(tmp_path: Path) -> None:
    failing = _notebook(tmp_path / "fails.ipynb", "raise ValueError('tallet mangler')")
    fine = _notebook(tmp_path / "traces.ipynb", LEAVE_TRACES, RECORD)
    results = execute_runs([_run(failing, "x"), _run(fine, "y")], tmp_path / "out", tmp_path, workers=1)
    assert results[0].error == "ValueError: tallet mangler"
    assert results[1].ok and recorded_figures(nbformat.read(results[1].output, as_version=4))["warm"]


def test_the_engine_is_papermills(tmp_path: Path) -> None:
    """``councilbook`` in papermill's engine registry; without a zygote in the process it starts kernels the usual
    way (here: the test's own process has none)."""
    from papermill.engines import papermill_engines

    assert papermill_engines.get_engine(warm.ENGINE) is warm.WarmEngine
    notebook = _notebook(tmp_path / "traces.ipynb", LEAVE_TRACES, RECORD)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(notebook), str(out), parameters={"label": "z"}, engine_name=warm.ENGINE, progress_bar=False)
    figures = recorded_figures(nbformat.read(out, as_version=4))
    assert figures["seen"] == dict.fromkeys(figures["seen"], False)
    assert json.loads(json.dumps(figures))["pid"] > 0
