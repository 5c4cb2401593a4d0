"""One Chromium for many prints: inside ``printing()`` every print of a process goes to the same Chromium (driven
over the DevTools protocol on a pipe), a failed print does not poison the next, and nothing is left running or
on disk afterwards."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import require_tool

from councilbook.assembly import pdf

pytestmark = pytest.mark.needs_chromium


@pytest.fixture(autouse=True)
def _chromium() -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("pdftotext")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[pdf.Browser]:
    """Every Chromium started, in order."""
    browsers: list[pdf.Browser] = []
    real = pdf.Browser.__init__

    def counted(self: pdf.Browser) -> None:
        real(self)
        browsers.append(self)

    monkeypatch.setattr(pdf.Browser, "__init__", counted)
    return browsers


def _page(folder: Path, name: str, text: str) -> Path:
    page = folder / f"{name}.html"
    page.write_text(f"<html><head><title>{name}</title></head><body><h1>{text}</h1><p>{text}</p></body></html>")
    return page


def _text(pdf_file: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout


def test_prints_inside_printing_share_one_chromium(tmp_path: Path, started: list[pdf.Browser]) -> None:
    with pdf.printing():
        for n, word in enumerate(["Første", "Anden", "Tredje"]):
            out = pdf.print_to_pdf(_page(tmp_path, f"side{n}", word), tmp_path / f"side{n}.pdf")
            assert word in _text(out)
    assert len(started) == 1
    assert started[0].closed
    profile = Path(started[0]._profile)
    assert profile.name.startswith("councilbook-chromium-") and not profile.exists()  # gone with it


def test_a_print_outside_printing_has_a_chromium_of_its_own(tmp_path: Path, started: list[pdf.Browser]) -> None:
    for n in range(2):
        pdf.print_to_pdf(_page(tmp_path, f"side{n}", "Indhold"), tmp_path / f"side{n}.pdf")
    assert len(started) == 2
    assert all(browser.closed for browser in started)


def test_a_failed_print_names_its_page_and_the_next_print_works(tmp_path: Path, started: list[pdf.Browser]) -> None:
    with pdf.printing():
        page = _page(tmp_path, "langsom", "Langsom")
        with pytest.raises(pdf.PdfError, match="langsom.html"):
            pdf.print_to_pdf(page, tmp_path / "langsom.pdf", timeout=0)  # no time at all: it cannot finish
        assert not (tmp_path / "langsom.pdf").exists()
        out = pdf.print_to_pdf(_page(tmp_path, "naeste", "Næste"), tmp_path / "naeste.pdf")
        assert "Næste" in _text(out)
    assert len(started) == 2  # the failed Chromium was not used again
    assert all(browser.closed for browser in started)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["langsom.html", "naeste.html", "naeste.pdf"]


def test_the_print_keeps_the_headings_as_bookmarks(tmp_path: Path) -> None:
    from pypdf import PdfReader

    page = tmp_path / "side.html"
    page.write_text("<html><body><h1>Status</h1><p>Tekst</p><h2>Jobcentre</h2><p>Mere</p></body></html>")
    with pdf.printing():
        out = pdf.print_to_pdf(page, tmp_path / "side.pdf")
    outline = PdfReader(out).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Status"]
    assert [item.title for item in outline[1]] == ["Jobcentre"]
