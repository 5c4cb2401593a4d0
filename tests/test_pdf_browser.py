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


def test_the_printed_copy_loads_every_image_at_once() -> None:
    """The site's images load lazily; in the copy that is printed they load and decode at once, so that they hold
    back the page's load event, after which the print is taken."""
    page = (
        '<html><head><title>T</title></head><body><img loading="lazy" decoding="async" src="a.svg" alt="a">'
        "<IMG SRC='b.svg' LOADING='lazy'><img src=c.svg decoding=async><p>loading=\"lazy\"</p></body></html>"
    )
    assert pdf.printable(page) == (
        f'<html><head><meta http-equiv="Content-Security-Policy" content="{pdf.PRINT_POLICY}"><title>T</title></head>'
        '<body><img loading="eager" decoding="sync" src="a.svg" alt="a">'
        '<IMG SRC=\'b.svg\' loading="eager"><img src=c.svg decoding="sync"><p>loading="lazy"</p></body></html>'
    )


def test_a_lazy_image_is_in_the_print(tmp_path: Path) -> None:
    """A page whose only content is a lazily loading SVG image prints with the image's text in it, every time
    (a print at the page's load event came out blank about one time in three before its copy loaded images at
    once)."""
    images = tmp_path / "_files"
    images.mkdir()
    with pdf.printing():
        for n in range(8):
            word = f"Diagram{n}"
            (images / f"d{n}.svg").write_text(
                '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
                f'<text x="20" y="100" font-size="40">{word}</text></svg>'
            )
            page = tmp_path / f"side{n}.html"
            page.write_text(
                f'<html><body><img loading="lazy" decoding="async" src="_files/d{n}.svg" width="400" height="200">'
                "</body></html>"
            )
            assert word in _text(pdf.print_to_pdf(page, tmp_path / f"side{n}.pdf")), n
