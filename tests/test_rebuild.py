"""Rebuilds: only what changed runs, failures are contained, the published book is swapped in atomically
(a failing report or a killed build leaves it byte for byte), and two builds give the same figures."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import COUNCIL_ARGS, served
from typer.testing import CliRunner, Result

from councilbook.assembly.execute import recorded_figures
from councilbook.cli import app
from councilbook.core.errors import display_path

runner = CliRunner()
pytestmark = pytest.mark.book

LINE = re.compile(r"^\s+\[\d+/\d+\] (\S+ \S+): (kørt|genbrugt|fejlet)", re.M)


def build_result(project: Path, council: list[str], *extra: str) -> Result:
    """``councilbook --project PROJECT build --no-pdf COUNCIL EXTRA``: the test council's HTML book."""
    return runner.invoke(app, ["--project", str(project), "build", "--no-pdf", *council, *extra])


def build(project: Path, mini: Path, *extra: str) -> tuple[int, str, dict[str, str]]:
    """Build the test council ``mini``'s HTML book in ``project``; the exit code, the output and each report's
    outcome."""
    result = build_result(project, ["--params", str(mini / "parameters"), "--data", str(mini / "data")], *extra)
    output = result.output + result.stderr
    return result.exit_code, output, dict(LINE.findall(output))


def ran(outcomes: dict[str, str]) -> set[str]:
    return {report for report, outcome in outcomes.items() if outcome == "kørt"}


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


MEETING_ADDED = """  - date: 2021-12-08
    kind: ordinary
    title: Rådsmøde
    theme: Et nyt møde
"""


def test_rebuild_runs_only_what_changed(project_copy: Path, mini: Path) -> None:
    code, output, first = build(project_copy, mini)
    assert code == 0, output
    assert ran(first) == {
        "contract 2020",
        "contract 2021",
        "status 2021-02-10",
        "status 2021-06-16",
        "status 2021-11-03",
        "evaluation 2021",
        "analysis 2020",
        "keyfigures 2021",
        "bottlenecks 2021-1",
    }

    # Two builds give the same figures: every report run again (--force) gives the same notebook.
    generated = project_copy / "book/generated"
    notebooks = {p.relative_to(generated): _without_timing(p) for p in generated.rglob("*.ipynb")}
    code, output, forced = build(project_copy, mini, "--force")
    assert code == 0 and set(forced.values()) == {"kørt"}, output
    again = {p.relative_to(generated): _without_timing(p) for p in generated.rglob("*.ipynb")}
    # 9 reports, and the key figures' page for each of the mini council's 3 job centres
    assert notebooks.keys() == again.keys() and len(notebooks) == 9 + 3
    for name in notebooks:
        assert notebooks[name] == again[name], name
    published = digest(project_copy / "_build/html")

    # Nothing changed: the build answers from the key of its inputs, before it reads a report.
    code, output, again = build(project_copy, mini)
    assert code == 0 and again == {}, output
    assert "Bogen er uændret; intet er bygget igen" in output and "Kører" not in output
    assert digest(project_copy / "_build/html") == published

    meetings = mini / "parameters/meetings/2021.yml"
    meetings.write_text(meetings.read_text(encoding="utf-8") + MEETING_ADDED, encoding="utf-8")
    code, output, added = build(project_copy, mini)
    assert code == 0, output
    assert ran(added) == {"status 2021-12-08", "contract 2021"}  # the new meeting, and the plan that lists it
    html = project_copy / "_build/html/generated"
    assert (html / "meetings/2021-12-08.html").is_file()
    assert "Et nyt møde" in (html / "contracts/2021.html").read_text(encoding="utf-8")

    contract = mini / "parameters/contracts/2021.yml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace("value: 2500", "value: 2400"), encoding="utf-8")
    code, output, retargeted = build(project_copy, mini)
    assert code == 0, output
    # the reports that read the 2021 contract: its popular edition, the meetings reporting on it,
    # the evaluation (its current-year section) and the 2021 key figures; the 2020 reports, the analysis of
    # 2020 and the bottleneck overview are reused
    assert ran(retargeted) == {
        "contract 2021",
        "status 2021-06-16",
        "status 2021-11-03",
        "status 2021-12-08",
        "evaluation 2021",
        "keyfigures 2021",
    }
    assert "2.400" in (html / "contracts/2021.html").read_text(encoding="utf-8")

    # The incremental result equals a build from scratch: no stale figures or tables on any page. Sphinx read
    # again only the pages that changed (its kept state) and the site is the same byte for byte as one built
    # from scratch (--force: every report run and Sphinx from nothing).
    assert (project_copy / "_build/sphinx/stamp").is_file()
    incremental, site = _pages(project_copy), _files(project_copy / "_build/html")
    code, output, forced = build(project_copy, mini, "--force")
    assert code == 0 and set(forced.values()) == {"kørt"}, output
    assert _pages(project_copy) == incremental
    rebuilt = _files(project_copy / "_build/html")
    assert sorted(site) == sorted(rebuilt)
    assert [name for name in site if site[name] != rebuilt[name]] == []


def _files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _pages(project: Path) -> dict[str, str]:
    """Every published page's text without markup, and every report's recorded figures minus run times."""
    pages = {}
    for page in sorted((project / "_build/html").rglob("*.html")):
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        pages[str(page.relative_to(project))] = re.sub(r"\s+", " ", text)
    for notebook in sorted((project / "book/generated").rglob("*.ipynb")):
        figures = recorded_figures(nbformat.read(notebook, as_version=4))
        pages[str(notebook.relative_to(project))] = json.dumps(figures, sort_keys=True)
    return pages


def test_failing_report_is_contained_and_the_book_stays(mini_book_copy: Path) -> None:
    """A report that fails: the others run on, the failure is said with where its notebook is kept, and the
    published book (conftest's ``mini_book``, copied) stays byte for byte."""
    project = mini_book_copy
    book, before = project / "_build/html", digest(project / "_build/html")
    with served(book) as url:
        index = fetch(url + "/generated/index.html")
        notebook = project / "pipelines/evaluation.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        nb.cells[1].source = 'raise RuntimeError("planted failure")'
        nbformat.write(nb, notebook)
        result = build_result(project, COUNCIL_ARGS, "--force")
        code, output = result.exit_code, result.output + result.stderr
        outcomes = dict(LINE.findall(output))
        assert code == 1
        assert "evaluation 2021: RuntimeError: planted failure" in result.stderr
        assert "_build/failed/evaluations/2021.ipynb" in result.stderr
        assert outcomes["evaluation 2021"] == "fejlet"
        assert {o for r, o in outcomes.items() if r != "evaluation 2021"} == {"kørt"}  # the others ran on
        assert re.search(r"│ evaluation 2021 +│ fejlet +│", output), output  # the summary table
        assert "evaluation 2021: RuntimeError: planted failure" in output
        failed_notebook = project / "_build/failed/evaluations/2021.ipynb"
        assert f"notesbogen med fejlen: {display_path(failed_notebook)}" in output
        assert "Gør sådan: kontrollér parametre og data (councilbook validate), og byg igen" in output
        failed = nbformat.read(failed_notebook, as_version=4)
        errors = [o for c in failed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors and errors[0]["evalue"] == "planted failure"
        assert digest(book) == before
        assert fetch(url + "/generated/index.html") == index


def _without_timing(path: Path) -> str:
    """The executed notebook less its timing metadata (papermill's start, end and duration; cell timestamps)."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.get("papermill", {}).pop("start_time", None)
    nb.metadata.get("papermill", {}).pop("end_time", None)
    nb.metadata.get("papermill", {}).pop("duration", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
    return nbformat.writes(nb)
