"""Whole books: the bundled sample council and the small test council, HTML and PDF."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from conftest import require_tool
from councilbook import compute
from councilbook.cli import app
from councilbook.parameters import load_parameters
from councilbook.reports import status_line
from councilbook.validate import load_project

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
pytestmark = pytest.mark.book


def pdf_text(pdf: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def build(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == 0, result.output + result.stderr


def test_sample_council_book(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("chromium", "chromium-browser")
    raw_before = _digest(project_copy / "data", skip="processed")
    build(project_copy, monkeypatch)
    assert _digest(project_copy / "data", skip="processed") == raw_before  # raw data never changed
    assert len(list((project_copy / "data/processed").glob("snapshot-*.csv"))) == 1
    html = project_copy / "_build/html"
    params = load_parameters(ROOT / "parameters")
    for meeting in params.meetings:
        page = html / "generated/meetings" / f"{meeting.date.isoformat()}.html"
        assert page.is_file(), page
    for year in params.contracts:
        assert (html / f"generated/contracts/{year}.html").is_file()
    for year in params.evaluations:
        assert (html / f"generated/evaluations/{year}.html").is_file()
    assert (html / "index.html").is_file()
    page = (html / "generated/meetings/2013-05-29.html").read_text(encoding="utf-8")
    assert "Rådsmøde med temadrøftelse 29. maj 2013: status på målene" in page
    assert "params_dir" not in page and "injected-parameters" not in page  # parameters never shown
    assert "Eksempeldata" in page
    assert not (html / "_sources").exists()

    pdf = project_copy / "_build/pdf/book.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(pdf)
    for phrase in (
        "Langtidsledigheden skal begrænses",
        "Det regionale Beskæftigelsesråd Hovedstaden & Sjælland",
        "førtidspension",
        "29. maj 2013",
        "Jobcenter Næstved",
        "jobcentrene i forhold til rammevilkårene",  # a folded job-centre table, printed in full
    ):
        assert phrase in text, phrase
    assert "Vis tabellen" not in text  # the fold's summary line is for the screen only
    # Every report starts on a page of its own: each meeting's title opens its page.
    pages_text = [" ".join(page.split()) for page in text.split("\f")]
    titles = [
        (number, match.start())
        for number, page in enumerate(pages_text)
        for match in re.finditer(r"\d+\. \w+ \d{4}: status på målene", page)
    ]
    assert len(titles) == len(params.meetings) and all(start < 60 for _, start in titles), titles
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.92 x 841.92 pts (A4)" in info or "594.96 x 841.92 pts (A4)" in info
    assert b"/Outlines" in pdf.read_bytes()  # bookmarks
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert f"{pages} / {pages}" in text  # the footer "n / N" on the last page


def test_second_council_builds_through_the_same_commands(
    project_copy: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("chromium", "chromium-browser")
    build(project_copy, monkeypatch, "--params", str(mini / "parameters"), "--data", str(mini / "data"))
    html = project_copy / "_build/html"
    pages = sorted(p.name for p in (html / "generated/meetings").glob("*.html"))
    assert pages == ["2021-02-10.html", "2021-06-16.html", "2021-11-03.html"]
    index = (html / "generated/index.html").read_text(encoding="utf-8")
    assert "Testrådet for Beskæftigelse i Fjordregionen" in index
    assert "Hovedstaden" not in index
    # The front page: each goal's status at the latest meeting, glued from that meeting's report.
    project = load_project(mini / "parameters", mini / "data")
    latest = project.params.meetings[-1]
    status = compute.compute_meeting_status(project.params, project.dataset, latest)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", index))
    assert "Målene lige nu" in text and "ved 3. november 2021: Ordinært rådsmøde" in text
    for goal, goal_status in zip(status.contract.goals, status.goals, strict=True):
        line = status_line(goal, goal_status, project.params.measures[goal.measure], status.contract.year)
        assert f"{goal.title}: {line}" in text
    text = pdf_text(project_copy / "_build/pdf/book.pdf")
    assert "Jobcenter Østby-Åby" in text and "Færre lange sygedagpengeforløb" in text


def _digest(folder: Path, skip: str = "") -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not (skip and skip in path.relative_to(folder).parts):
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_failing_report_leaves_the_published_book(
    project_copy: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--no-pdf", "--params", str(mini / "parameters"), "--data", str(mini / "data")]
    build(project_copy, monkeypatch, *args)
    before = _digest(project_copy / "_build/html")
    notebook = project_copy / "pipelines/evaluation.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = 'raise RuntimeError("planted failure")'
    nbformat.write(nb, notebook)
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == 1
    assert "evaluation 2021: RuntimeError: planted failure" in result.stderr
    assert "_build/failed/evaluations/2021.ipynb" in result.stderr
    assert _digest(project_copy / "_build/html") == before
