"""Publishing the book to the web folder: the whole site with its PDF swapped in at once, never over
files councilbook did not put there, and never after a failed build."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import COUNCIL, COUNCIL_ARGS, require_tool
from test_rebuild import digest
from typer.testing import CliRunner

from councilbook.cli import app

runner = CliRunner()
pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]


def pages(site: Path) -> dict[str, bytes]:
    """The site's files but its marker (which records when it was published)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name != ".councilbook-site"
    }


def publish(project: Path, council: list[str], site: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--project", str(project), "publish", "--to", str(site), *council, *extra])
    return result.exit_code, result.output + result.stderr


def test_publish_puts_the_site_with_its_pdf_in_place(mini_book_copy: Path, tmp_path: Path) -> None:
    """Conftest's ``mini_book`` (copied) with a page changed: publish builds the book again (HTML and PDF; the
    reports come from the cache) and puts it in the web folder."""
    require_tool("chromium", "chromium-browser")
    project_copy = mini_book_copy
    page = project_copy / "book/om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny linje.\n", encoding="utf-8")
    site = tmp_path / "www" / "raadet"
    code, output = publish(project_copy, COUNCIL_ARGS, site)
    assert code == 0, output
    assert "Bogen er uændret" not in output  # built, then published
    assert f"Bogen er lagt i {site}" in output
    assert (site / "index.html").is_file() and (site / "generated/index.html").is_file()
    pdf = site / "book.pdf"
    assert pdf.read_bytes() == (project_copy / "_build/pdf/book.pdf").read_bytes()
    front = (site / "generated/index.html").read_text(encoding="utf-8")
    assert '<a href="../book.pdf">book.pdf</a>' in front  # the link resolves to site/book.pdf
    marker = json.loads((site / ".councilbook-site").read_text(encoding="utf-8"))
    assert marker["pdf"] is True
    assert marker["book_key"] == json.loads((project_copy / "_build/published.json").read_text())["html"]
    require_tool("pdftotext")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Hele bogen som PDF" not in text and "Ledigheden skal ned" in text  # the link is for the site only
    assert not list(site.parent.glob(".*incoming"))  # nothing left beside it

    # Nothing changed: the book is not rebuilt, and the same site is published again.
    before = pages(site)
    code, output = publish(project_copy, COUNCIL_ARGS, site)
    assert code == 0 and "Bogen er uændret" in output, output
    assert pages(site) == before

    # A preview build without PDF after the full build finds the HTML unchanged (it keeps its PDF).
    result = runner.invoke(app, ["--project", str(project_copy), "build", "--no-pdf", *COUNCIL_ARGS])
    assert result.exit_code == 0 and "Bogen er uændret" in result.output, result.output + result.stderr

    # A build that fails (wrong parameters) publishes nothing: the site stays byte for byte.
    published = digest(site)
    params = project_copy / "bad-parameters"
    subprocess.run(["cp", "-r", str(project_copy / COUNCIL / "parameters"), str(params)], check=True)
    contract = params / "contracts/2021.yml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("2021", "20x1", 1), encoding="utf-8")
    code, output = publish(
        project_copy, ["--params", str(params), "--data", str(project_copy / COUNCIL / "data")], site
    )
    assert code == 2, output
    assert digest(site) == published


def test_publish_never_replaces_a_folder_with_other_files(project_copy: Path, mini: Path, tmp_path: Path) -> None:
    council = ["--params", str(mini / "parameters"), "--data", str(mini / "data")]
    site = tmp_path / "www"
    site.mkdir()
    (site / "other.html").write_text("the region's own page", encoding="utf-8")
    code, output = publish(project_copy, council, site)
    assert code == 1
    assert "Ikke offentliggjort:" in output and "har filer, som councilbook ikke har lagt der" in output
    assert [p.name for p in site.iterdir()] == ["other.html"]
    assert not (project_copy / "_build/html").exists()  # refused before anything was built

    code, output = publish(project_copy, council, project_copy / "_build/html/copy")
    assert code == 1 and "overlapper bogens byggemappe" in output, output
