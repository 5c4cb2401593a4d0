"""Text from the parameters is text: hostile texts in every free text field build to pages, a pack and a
workbook where nothing is live (the payloads: tests/hostile.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import MINI, chrome_driver, copy_project, require_tool, served
from hostile import BUILD_MACHINE_TEXT, line_payload, live_findings, plant_hostile_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from typer.testing import CliRunner

from councilbook.assembly.pdf import print_to_pdf
from councilbook.cli import app
from councilbook.core.prose import (
    escape_markdown,
    inline_html,
    labelled_markdown,
    plain_text,
    prose_html,
    prose_list,
    prose_markdown,
    safe_markdown,
)
from councilbook.data.balance import generate_balance_exports
from councilbook.parameters.load import load_parameters
from councilbook.table_layout import terminal_table
from councilbook.text.present import Markdown, Table

runner = CliRunner()
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "code", "h1", "h2", "h3", "h4", "h5", "h6"}
COMMONMARK = MarkdownIt("commonmark", {"html": True})  # raw HTML on, as the book's Markdown parser has it


def _tags(rendered: str) -> set[str]:
    return {t.name for t in BeautifulSoup(rendered, "html.parser").find_all(True)}


def _links(rendered: str) -> list[str]:
    return [a.get("href", "") for a in BeautifulSoup(rendered, "html.parser").find_all("a")]


# --- the markup, in isolation -------------------------------------------------------------------------------


def test_the_small_markup_renders_and_nothing_else() -> None:
    text = (
        "Rådet *godkender* **planen**.\n\n- en\n- to\n\n1. første\n2. anden\n\n"
        "Se [vejledningen](https://example.org/v) eller skriv til <mailto:raad@example.org>.\n\n"
        "<script>alert(1)</script> ![x](https://example.org/x.png) [x](javascript:alert(1)) # ikke en overskrift\n\n"
        "```{raw} html\n<b>raw</b>\n```\n\n{download}`/etc/passwd` $x$ | a | b |"
    )
    html = COMMONMARK.render(prose_markdown(text))
    assert _tags(html) <= {"p", "ul", "ol", "li", "strong", "em", "a"}
    assert _links(html) == ["https://example.org/v", "mailto:raad@example.org", "https://example.org/x.png"]
    plain = BeautifulSoup(html, "html.parser").get_text()
    for literal in (
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "# ikke en overskrift",
        "```{raw} html",
        "{download}`/etc/passwd` $x$ | a | b |",
    ):
        assert literal in plain
    assert prose_html(text).count("<li>") == 4 and "&lt;script&gt;" in prose_html(text)
    assert plain_text("Se [vejledningen](https://example.org/v), **nu**.") == (
        "Se vejledningen (https://example.org/v), nu."
    )


def test_names_are_literal_in_markdown() -> None:
    name = "Jobcenter *A* & <B> [C](https://x.dk) `D` {E} #1"
    rendered = COMMONMARK.render(f"# {escape_markdown(name)}")
    assert BeautifulSoup(rendered, "html.parser").h1.get_text() == name
    assert escape_markdown("to\nlinjer") == "to linjer"
    # A number stays with its unit: the no-break space is kept (only breakable white space is joined).
    assert escape_markdown(" bedre end  22,9\u00a0% (2012)\n") == "bedre end 22,9\u00a0% (2012)"
    assert plain_text("Andelen var\n16,7\u00a0% i januar.") == "Andelen var 16,7\u00a0% i januar."


def test_labelled_and_listed_texts() -> None:
    assert labelled_markdown("Beslutning:", "Rådet *godkendte*.") == "*Beslutning:* Rådet *godkendte*."
    assert labelled_markdown("Beslutning:", "- a\n- b") == "*Beslutning:*\n\n- a\n- b"
    assert COMMONMARK.render(prose_list(["én", "to\n\n- under"])).count("<li>") == 3
    assert inline_html("Et *afsnit*.\n\nEt andet.") == "Et <em>afsnit</em>. Et andet."


def test_a_reports_markdown_is_made_safe_whatever_was_put_in() -> None:
    composed = "## Mål 1: <img src=x onerror=alert(1)>\n\n**Status:** ✔ `data/x.csv` <iframe src=http://e>"
    html = COMMONMARK.render(Markdown(composed)._repr_markdown_())
    assert _tags(html) <= ALLOWED_TAGS and "<img" not in html and "<iframe" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<code>data/x.csv</code>" in html


PIECES = [*"ab <>/=\"'`*_[](){}:!#-.|$&\\\n1", "javascript:", "https://x", "mailto:", "<script>", "```", ":::"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_renders_to_the_allowed_elements_only(text: str) -> None:
    for markdown in (prose_markdown(text), safe_markdown(text)):
        html = COMMONMARK.render(markdown)
        assert _tags(html) <= ALLOWED_TAGS, (text, markdown, html)
        assert all(h.startswith(("http://", "https://", "mailto:")) for h in _links(html)), (text, html)
    rendered = prose_html(text)
    assert _tags(rendered) <= ALLOWED_TAGS
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in _links(rendered))
    # The book shows the text as the members' files do: the same characters (emphasis marks aside).
    assert _letters(COMMONMARK.render(prose_markdown(text))) == _letters(rendered), text


def _letters(rendered: str) -> str:
    return re.sub(r"[\s*_]", "", BeautifulSoup(rendered, "html.parser").get_text())


def test_terminal_cells_are_text_not_rich_markup() -> None:
    from rich.console import Console

    console = Console(record=True, width=200, color_system=None)
    console.print(terminal_table(Table(columns=["Mål"], rows=[["[bold red]Mål[/bold red] [link=https://x]y[/link]"]])))
    assert "[bold red]Mål[/bold red] [link=https://x]y[/link]" in console.export_text()


# --- printing: scripts off, no network ----------------------------------------------------------------------


@contextmanager
def trap() -> Iterator[tuple[int, list[str]]]:
    """A local server that records every request it gets (nothing may reach it)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.book
def test_a_page_is_printed_with_scripts_off_and_no_network(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("pdftotext")
    with trap() as (port, hits):
        page = tmp_path / "side.html"
        page.write_text(
            f"<html><head><link rel=stylesheet href='http://127.0.0.1:{port}/s.css'></head><body><p>Indhold</p>"
            f"<img src='http://127.0.0.1:{port}/i.png'><img src='http://localhost:{port}/j.png'>"
            f"<iframe src='http://127.0.0.1:{port}/frame'></iframe>"
            f"<script>document.body.innerHTML='SCRIPT RAN';fetch('http://127.0.0.1:{port}/fetch')</script>"
            "</body></html>",
            encoding="utf-8",
        )
        pdf = print_to_pdf(page, tmp_path / "side.pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Indhold" in text and "SCRIPT RAN" not in text
    assert hits == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["side.html", "side.pdf"]  # the printed copy is gone


# --- a whole council with hostile texts ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_council(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, int, list[str]]]:
    """The small test council with a payload in every free text, its book built (HTML) and one pack made,
    while a trap server waits for any request."""
    require_tool("chromium", "chromium-browser")
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "project")
    council = root / "mini"
    shutil.copytree(MINI, council)
    with trap() as (port, hits):
        assert plant_hostile_texts(council / "parameters", port) > 40
        # The balances name the job centres, whose names now carry payloads too.
        hostile = load_parameters(council / "parameters").council
        generate_balance_exports(hostile, council / "data", [2020, 2021], seed=2021)
        args = ["--params", str(council / "parameters"), "--data", str(council / "data")]
        result = runner.invoke(app, ["--project", str(project), "build", "--no-pdf", *args])
        assert result.exit_code == 0, result.output + result.stderr
        result = runner.invoke(app, ["--project", str(project), "pack", "--meeting", "2021-06-16", *args])
        assert result.exit_code == 0, result.output + result.stderr
        yield project, council, port, hits


@pytest.mark.book
def test_no_payload_is_live_in_the_book(hostile_council: tuple[Path, Path, int, list[str]]) -> None:
    project, _council, port, hits = hostile_council
    html = project / "_build/html"
    assert live_findings(html) == []
    assert not any(BUILD_MACHINE_TEXT in p.read_text(errors="ignore") for p in html.rglob("*") if p.is_file())
    assert hits == []
    for page in html.rglob("*.html"):  # escaped once, not twice
        visible = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert not re.search(r"&(amp|lt|gt|quot|#\d+);", visible), page
    # Shown as typed: a goal's title and a case text, with their payloads as text.
    meeting = BeautifulSoup((html / "generated/meetings/2021-06-16.html").read_text(encoding="utf-8"), "html.parser")
    text = meeting.get_text(" ")
    assert "<script>alert('2021-goals-title0-')</script>" in text
    assert "```{raw} html" in text and "{download}`/etc/os-release`" in text
    assert meeting.find("em", string="kursiv") is not None  # the small markup still works
    for field in ("2021-goals-title0-", "2021-meetings-theme1-", "council-job_centres-name0-"):
        assert line_payload(field, port) in text, field  # a name exactly as typed: no markup, quotes kept


@pytest.mark.book
def test_no_payload_runs_or_loads_in_a_browser(hostile_council: tuple[Path, Path, int, list[str]]) -> None:
    project, _council, _port, hits = hostile_council
    from selenium.common.exceptions import NoAlertPresentException

    with chrome_driver() as driver, served(project / "_build/html") as site:
        for page in ("generated/index.html", "generated/meetings/2021-06-16.html", "generated/contracts/2021.html"):
            driver.get(f"{site}/{page}")
            driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
            with pytest.raises(NoAlertPresentException):
                driver.switch_to.alert.text  # noqa: B018
            loaded = driver.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                ".filter(n => !n.startsWith(location.origin))"
            )
            assert loaded == [], page
    assert hits == []


@pytest.mark.book
def test_the_pack_and_workbook_hold_text_only(hostile_council: tuple[Path, Path, int, list[str]]) -> None:
    project, _council, _port, hits = hostile_council
    require_tool("pdftotext")
    folder = project / "packs/2021-06-16"
    assert live_findings(folder) == []
    pdf = folder / "pakke-2021-06-16.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert(" in " ".join(text.split())  # a case text's script is printed as text, not run
    assert hits == []
    workbook = load_workbook(folder / "status-2021-06-16.xlsx")
    texts = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value.startswith('=HYPERLINK("') for c in texts)  # the council's name, as typed
    assert {c.data_type for c in texts} == {"s"}
    with zipfile.ZipFile(folder / "status-2021-06-16.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formula anywhere


# --- texts that are refused -----------------------------------------------------------------------------------


def _edit_yaml(path: Path, edit: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        (
            "council.yml",
            lambda d: d.update(name="Rådet\x1b[2J"),
            "parameters/council.yml, linje 1, kolonne 7: name: teksten indeholder styretegnet U+001B; fjern det (de "
            "fleste editorer viser det ikke: skriv teksten omkring det igen)",
        ),
        (
            "contracts/2021.yml",
            lambda d: d["goals"][0].update(actions=["Først", "skjult\u202etekst"]),
            "parameters/contracts/2021.yml, linje 9, kolonne 3: 1. mål (goals[0].actions): teksten indeholder "
            "styretegnet U+202E; fjern det (de fleste editorer viser det ikke: skriv teksten omkring det igen)",
        ),
        (
            "council.yml",
            lambda d: d.update(website="javascript:alert(1)"),
            "parameters/council.yml, linje 34, kolonne 10: website: skal være en webadresse som "
            "https://www.eksempel.dk (der begynder med https://, http:// eller www.)",
        ),
    ],
)
def test_a_text_with_control_characters_or_a_website_that_is_no_address_is_refused(
    mini: Path, file: str, edit: object, message: str
) -> None:
    _edit_yaml(mini / "parameters" / file, edit)
    result = runner.invoke(app, ["--project", str(mini), "validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 2
    assert re.search(rf"^  (\S*/)?{re.escape(message)}$", result.stderr, re.M), result.stderr  # the file named
    assert "Traceback" not in result.output + result.stderr


def test_a_website_written_www_is_read_as_https() -> None:
    from councilbook.parameters.model import Council

    council = Council(
        name="R",
        short_name="R",
        region="R",
        mission="m",
        vision="v",
        roles=["r"],
        website="www.example.dk",
        job_centres=[{"id": "a", "name": "A", "municipalities": [101], "cluster": "c"}],
    )
    assert council.website == "https://www.example.dk"
