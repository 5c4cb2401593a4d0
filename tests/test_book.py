"""Whole books: the bundled sample council and the small test council, HTML and PDF."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from buildpaths import files_naming
from conftest import COUNCIL, require_tool
from leaks import files_with_marker, pdf_has_marker, plant_markers
from pypdf import PdfReader
from typer.testing import CliRunner

from councilbook.analysis.meeting import compute_meeting_status
from councilbook.assembly.execute import recorded_figures
from councilbook.assembly.pdfpages import read_bookmarks
from councilbook.cli import app
from councilbook.parameters.load import load_parameters
from councilbook.project.load import load_project
from councilbook.text import present

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
pytestmark = pytest.mark.book


def pdf_text(pdf: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def build(project: Path, *args: str) -> None:
    result = runner.invoke(app, ["--project", str(project), "build", *args])
    assert result.exit_code == 0, result.output + result.stderr


def test_sample_council_book(sample_book: Path) -> None:
    """The sample's book (conftest's ``sample_book``, built once for the run), built today: after every meeting,
    minutes, evaluation and contract. Markers in every non-public text (tests/leaks.py) are nowhere in it."""
    require_tool("chromium", "chromium-browser")
    project_copy = sample_book
    raw = _digest(project_copy / "data", skip=("processed",))
    assert raw == _digest(ROOT / "data", skip=("processed", "raw"))  # the raw data as copied: never changed
    assert len(list((project_copy / "data/processed").glob("snapshot-*.csv"))) == 1
    html = project_copy / "_build/html"
    assert files_with_marker(html) == [] and not pdf_has_marker(project_copy / "_build/pdf/book.pdf")
    params = load_parameters(ROOT / "parameters")
    for meeting in params.meetings:
        page = html / "generated/meetings" / f"{meeting.date.isoformat()}.html"
        assert page.is_file(), page
    for year in params.contracts:
        assert (html / f"generated/contracts/{year}.html").is_file()
    for year in params.evaluations:
        assert (html / f"generated/evaluations/{year}.html").is_file()
    assert (html / "index.html").is_file()
    # The other report kinds: in the book, in its search index, linked from the front page.
    for name in ("analyses/2012", "keyfigures/2012", "bottlenecks/2013-1", "bottlenecks/2013-2"):
        assert (html / f"generated/{name}.html").is_file(), name
    search = (html / "searchindex.js").read_text(encoding="utf-8")
    for title in ("Nøgletal for jobcentrene 2012", "Flaskehalsoversigt, foråret 2013", "Analyserapport 2012"):
        assert json.dumps(title)[1:-1] in search, title  # Sphinx writes the index as ASCII JSON
    front = (html / "generated/index.html").read_text(encoding="utf-8")
    assert '<a href="keyfigures/2012/jc-naestved.html">Jobcenter Næstved</a>' in front
    naestved = (html / "generated/keyfigures/2012/jc-naestved.html").read_text(encoding="utf-8")
    assert "Jobcenter Næstved</h1>" in naestved.replace('<a class="headerlink"', "</h1>") and "Eksempeldata" in naestved
    assert "Seneste flaskehalsoversigt:" in front and "Flaskehalse, efteråret 2013" in front
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
        "Nøgletal for jobcentrene 2012",
        "Flaskehalsoversigt, efteråret 2013",
        "Et arbejdsmarked i langsom bedring",  # the analysis report's theme
        "Bilaget bagerst i rapportens egen PDF har desuden",  # where the detail went
    ):
        assert phrase in text, phrase
    assert "Vis tabellen" not in text  # the fold's summary line is for the screen only
    assert "Hent rapportens tal" not in text and "Hent tallene" not in text  # so are the downloads
    assert "Bilag: Detaljerne" not in text  # the annexes stay in the reports' own PDFs
    assert files_naming(html) == [] and files_naming(pdf.parent) == []  # no folder of the build machine (#28)
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages < 150, pages  # a size a person can use
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.92 x 841.92 pts (A4)" in info or "594.96 x 841.92 pts (A4)" in info
    pages_text = [" ".join(page.split()) for page in text.split("\f")][:pages]
    # The cover: council, title, the month the figures run to; then the contents with page numbers.
    assert "Tallene går til og med" in pages_text[0] and "Side " not in pages_text[0]
    assert pages_text[1].startswith("Indhold")
    assert all(f"Side {n + 1} af {pages}" in page for n, page in enumerate(pages_text) if n), "page numbers"
    # Bookmarks: the parts, each report under its part (starting on the page the contents give), its
    # headings under it; no bookmark with its words twice or glued.
    outline = bookmarks(pdf)
    parts = [title for title, level, _ in outline if level == 0]
    assert (
        parts[:2] == ["Indhold", "Resultatkontrakter"] and "Om bogen" in parts and any("Rådsmøder" in p for p in parts)
    )
    reports = [(title, page) for title, level, page in outline if level == 1]
    assert len([t for t, _ in reports if "status på målene" in t]) == len(params.meetings)
    contents = pages_text[1] + " " + pages_text[2]
    for title, page in reports:
        assert f"{title} {page + 1}" in contents, (title, page)
        # each report opens its page with its cover line, the council's name and the report
        assert pages_text[page].startswith("Det regionale Beskæftigelsesråd"), (title, pages_text[page][:80])
    assert any(level == 2 for _, level, _ in outline)
    for title, _, _ in outline:
        words = title.split()
        assert len(title) < 120 and words[: len(words) // 2] != words[len(words) // 2 :] or len(words) < 2, title
        assert "beslutningerDagsorden" not in title and "igang" not in title
    # Each report's own PDF beside its page, linked from it: its annex with the job centres, "Side N af M",
    # the report's title as the running header on every page after the first.
    meeting_pdf = html / "generated/meetings/2013-05-29.pdf"
    page = (html / "generated/meetings/2013-05-29.html").read_text(encoding="utf-8")
    assert 'href="2013-05-29.pdf"' in page and "Rapporten som PDF" in page
    own = [" ".join(p.split()) for p in pdf_text(meeting_pdf).split("\f")]
    own_pages = len(PdfReader(meeting_pdf).pages)
    assert f"Side 1 af {own_pages}" in own[0] and f"Side {own_pages} af {own_pages}" in own[own_pages - 1]
    title = "Rådsmøde med temadrøftelse 29. maj 2013: status på målene"
    assert all(p.startswith(title) for p in own[1:own_pages]), [p[:60] for p in own[1:own_pages]]
    joined = " ".join(own)
    assert "Bilag: Detaljerne" in joined and "jobcentrene i forhold til rammevilkårene" in joined
    own_marks = bookmarks(meeting_pdf)
    assert own_marks[0][:2] == (title, 0) and "Bilag: Detaljerne" in [t for t, _, _ in own_marks]
    for report_pdf in html.glob("generated/*/*.pdf"):
        assert not pdf_has_marker(report_pdf), report_pdf


def bookmarks(pdf: Path) -> list[tuple[str, int, int]]:
    """A PDF's bookmarks in order as (title, depth, page from 0), as the package reads them."""
    return [(b.title, b.level, b.page) for b in read_bookmarks(pdf)]


def test_second_council_builds_through_the_same_commands(mini_book: Path) -> None:
    """The small test council's book (conftest's ``mini_book``: ``build --params council/parameters --data
    council/data`` with a marker in every non-public text), built once for the run."""
    mini = mini_book / COUNCIL
    html = mini_book / "_build/html"
    assert files_with_marker(html) == [] and not pdf_has_marker(mini_book / "_build/pdf/book.pdf")
    pages = sorted(p.name for p in (html / "generated/meetings").glob("*.html"))
    assert pages == ["2021-02-10.html", "2021-06-16.html", "2021-11-03.html"]
    index = (html / "generated/index.html").read_text(encoding="utf-8")
    assert "Testrådet for Beskæftigelse i Fjordregionen" in index
    assert "Hovedstaden" not in index
    # The front page: each goal's status, forecast and target at the latest meeting, as its report shows them.
    project = load_project(mini / "parameters", mini / "data")
    latest = project.params.meetings[-1]
    status = compute_meeting_status(project.params, project.dataset, latest)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", index))
    assert "Målene lige nu" in text and "ved 3. november 2021: Ordinært rådsmøde" in text
    for goal, goal_status in zip(status.contract.goals, status.goals, strict=True):
        status_word, target = present.status_cell(goal_status.status), present.target_cell(goal_status)
        for shown in (f"{goal.title} {status_word}", f"mål: {target}"):
            assert re.sub(r"\s+", " ", shown) in text, shown
    text = pdf_text(mini_book / "_build/pdf/book.pdf")
    assert "Jobcenter Østby-Åby" in text and "Færre lange sygedagpengeforløb" in text


NORD = ROOT / "tests/fixtures/nord"


def page_text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_second_test_council_end_to_end(project_copy: Path, tmp_path: Path) -> None:
    """The second test council (tests/fixtures/nord), unlike the sample in every way the schema allows, through
    build, pack, minutes, status and calendar; its book built after everything has no non-public text."""
    require_tool("chromium", "chromium-browser")
    council = tmp_path / "nord"
    shutil.copytree(NORD, council, ignore=shutil.ignore_patterns("generate.py"))
    plant_markers(council / "parameters")
    args = ["--params", str(council / "parameters"), "--data", str(council / "data")]
    build(project_copy, *args)
    html = project_copy / "_build/html"
    pdf = project_copy / "_build/pdf/book.pdf"
    assert files_with_marker(html) == [] and not pdf_has_marker(pdf)
    params = load_parameters(council / "parameters")
    assert sorted(p.stem for p in (html / "generated/meetings").glob("*.html")) == [
        m.date.isoformat() for m in params.meetings
    ]
    assert sorted(p.stem for p in (html / "generated/contracts").glob("*.html")) == ["2016", "2017", "2018"]
    assert sorted(p.stem for p in (html / "generated/evaluations").glob("*.html")) == ["2017", "2018"]
    # Every share the reports recorded lies within 0-100, and every final status is attained or not.
    for notebook in (project_copy / "book/generated").rglob("*.ipynb"):
        figures = recorded_figures(nbformat.read(notebook, as_version=4))
        for goal in figures.get("goals", []):
            if goal.get("unit") == "percent":  # a share goal: every *_pct is a level (changes are *_pp)
                rows = [goal, *goal.get("jobcentres", [])]
                shares = [v for row in rows for k, v in row.items() if k.endswith("_pct") and v is not None]
                assert all(0 <= v <= 100 for v in shares), (notebook.name, goal["goal_id"])
            if goal.get("final"):
                assert goal["status"] in ("attained", "not_attained", "unknown"), (notebook.name, goal["goal_id"])
    final = page_text(html / "generated/meetings/2017-02-22.html")
    assert "endelig status" in final and "✖ Ikke opfyldt" in final and "I risiko" not in final
    assert "Tallet for marts 2016 mangler for Læsø (Jobcenter Frederikshavn): det er holdt tilbage" in final
    # The year's result lacks Læsø's March, but the known figures alone are above the target: not attained.
    assert "Resultatet for hele 2016 kan ikke opgøres præcist" in final and "mindst 3.442" in final
    quarterly = page_text(html / "generated/meetings/2016-06-15.html")
    assert "1. kvartal 2016" in quarterly and "Lukket punkt" in quarterly
    assert "ingen tal" not in page_text(html / "generated/meetings/2016-09-21.html").lower()
    contract = page_text(html / "generated/contracts/2018.html")
    assert "De seneste tal i data er fra december 2017" in contract and ",:" not in contract
    evaluation = page_text(html / "generated/evaluations/2017.html")
    assert "Lukket punkt" in evaluation and "ikke registreret" in evaluation
    assert "pct.-point" in evaluation  # the distance to a share target, in points
    # The members' pack has the confidential texts the public book has not.
    here = ["--project", str(project_copy)]
    result = runner.invoke(app, [*here, "pack", *args, "--meeting", "2016-06-15", "--out", str(tmp_path / "packs")])
    assert result.exit_code == 0, result.stderr
    assert pdf_has_marker(tmp_path / "packs/2016-06-15/pakke-2016-06-15.pdf")
    result = runner.invoke(
        app,
        [*here, "minutes", *args, "--meeting", "2016-06-15", "--as-of", "2016-07-01", "--out", str(tmp_path / "packs")],
    )
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, [*here, "calendar", "--params", str(council / "parameters"), "--as-of", "2016-05-01"])
    assert result.exit_code == 0 and "Materiale til medlemmerne" in result.stdout
    result = runner.invoke(app, [*here, "status", *args, "--meeting", "2016-09-21", "--out", str(tmp_path / "status")])
    assert result.exit_code == 0 and "Flere i fleksjob" in result.stdout


def _digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not set(skip) & set(path.relative_to(folder).parts):
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()
