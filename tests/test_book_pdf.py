"""The book's PDFs: the print copy of a report page, the print cache, a report's own PDF and the book's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import require_tool
from pypdf import PdfReader

from councilbook.assembly import bookpdf
from councilbook.assembly.bookpdf import ANNEX_TITLE, BookCover, PrintPage
from councilbook.assembly.postprocess import extract_embedded
from councilbook.reports.model import ANNEX_END, ANNEX_START

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def report_page(body: str, title: str = "Rådsmøde 1. marts 2024: status på målene") -> str:
    """A page shaped like the book's: the theme around an article, the report's outputs in one cell."""
    return f"""<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>x</title></head>
<body><nav class="bd-sidebar-primary">Navigation</nav><div class="onlyprint"><h1>{title}</h1></div>
<main><article class="bd-article"><section><h1>{title}<a class="headerlink" href="#x" title="Link">#</a></h1>
<div class="cell docutils container"><div class="cell_output docutils container">{body}</div></div>
</section></article><footer class="prev-next-area"><a href="next.html">Næste</a></footer></main></body></html>"""


def outputs(*parts: str) -> str:
    return "\n".join(parts)


def html_output(content: str) -> str:
    return f'<div class="output text_html">{content}</div>'


DETAIL_BODY = outputs(
    '<h2 class="rubric">Mål 1: Færre ledige</h2>',
    "<p>Status: på rette spor.</p>",
    html_output(ANNEX_START),
    '<h3 class="rubric">Er ændringen reel? (mål 1)</h3>',
    "<p>Kontroldiagrammet.</p>",
    html_output(ANNEX_END),
    html_output(ANNEX_START),
    '<h3 class="rubric">Jobcentrene (mål 1)</h3>',
    html_output(
        '<details class="cb-details"><summary>Vis tabellen med alle 3 jobcentre</summary>'
        "<table><caption>Jobcentrene</caption><tr><td>Jobcenter Å</td></tr></table></details>"
    ),
    html_output(ANNEX_END),
    '<h2 class="rubric">Mål 2: Flere i job</h2>',
    "<p>Status: i risiko.</p>",
    html_output(
        '<details class="cb-details"><summary>Vis tabellen med alle kommuner</summary>'
        "<table><caption>Kommunerne</caption><tr><td>Kommune B</td></tr></table></details>"
    ),
    '<h2 class="rubric">Om tallene</h2>',
    "<p>Kilden.</p>",
)


def test_print_copy_moves_the_detail_into_an_annex() -> None:
    made = bookpdf.make_print_copy(report_page(DETAIL_BODY), "Rådsmøde: status", "Rådet · 1. marts 2024")
    copy, headings = made.html, made.headings
    # The theme's print title, navigation and heading links are gone: one title, no "#" in it.
    assert headings[0] == ("Rådsmøde 1. marts 2024: status på målene", 0)
    assert "Navigation" not in copy and "Næste" not in copy and "headerlink" not in copy
    assert [h for h, _ in headings] == [
        "Rådsmøde 1. marts 2024: status på målene",
        "Mål 1: Færre ledige",
        "Mål 2: Flere i job",
        "Om tallene",
        ANNEX_TITLE,
        "Er ændringen reel? (mål 1)",
        "Jobcentrene (mål 1)",
        "Mål 2: Flere i job",  # the folded table's section, named in the annex
    ]
    # The body keeps one note where the run of detail sections stood, naming them, and one for the table.
    body, annex = copy.split(ANNEX_TITLE, 1)
    assert body.count("Bilaget bagerst i rapportens egen PDF har desuden") == 2
    assert "«Er ændringen reel? (mål 1)», «Jobcentrene (mål 1)»." in body
    assert "Jobcenter Å" not in body and "Kommune B" not in body
    assert "Jobcenter Å" in annex and "Kommune B" in annex
    assert "<details" not in annex and "Vis tabellen" not in copy  # printed open, without the screen's line
    # The cover line opens the page; the running header is the title, as a CSS string.
    assert copy.index("Rådet · 1. marts 2024") < copy.index("<h1")
    assert '@top-left { content: "Rådsmøde: status"' in copy


def test_print_copy_without_detail_has_no_annex() -> None:
    copy = bookpdf.print_copy(report_page("<p>Kort.</p>"), "T", "C")
    assert '<section class="cb-annex"' not in copy and '<p class="cb-annex-note"' not in copy


@pytest.mark.parametrize(
    ("text", "css"),
    [('Et "citat"', '"Et \\"citat\\""'), ("a\\b", '"a\\\\b"'), ("to\nlinjer", '"to linjer"')],
)
def test_css_string_escapes(text: str, css: str) -> None:
    assert bookpdf.css_string(text) == css


def test_embedded_files_become_files(tmp_path: Path) -> None:
    page = tmp_path / "generated/meetings/a.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f'<img src="data:image/png;base64,{PNG}" alt="x"><a download="t.csv" href="data:text/csv;charset=utf-8;base64,'
        'YTtiCjE7Mgo=">CSV</a><img src="plain.png" loading="eager">',
        encoding="utf-8",
    )
    result = extract_embedded(tmp_path)
    text = page.read_text(encoding="utf-8")
    assert "data:" not in text and result.files == 2
    assert text.count("../../_files/") == 2 and 'loading="lazy"' in text and 'loading="eager"' in text
    assert (tmp_path / "_files").is_dir() and any(p.suffix == ".csv" for p in (tmp_path / "_files").iterdir())


def test_format_size() -> None:
    assert bookpdf.format_size(840_000) == "840 kB"
    assert bookpdf.format_size(1_234_567) == "1,2 MB"


@pytest.mark.book
@pytest.mark.needs_chromium
def test_prints_are_cached_by_what_is_printed(tmp_path: Path) -> None:
    """A page is printed once; printed again only when its article (not its navigation) changes; the book is
    assembled from the prints with its cover, contents and page numbers."""
    require_tool("chromium", "chromium-browser")
    site = tmp_path / "site"
    (site / "generated").mkdir(parents=True)
    first = site / "generated/a.html"
    second = site / "generated/b.html"
    first.write_text(report_page(DETAIL_BODY, "Første rapport"), encoding="utf-8")
    second.write_text(report_page("<p>Kort.</p>", "Anden rapport"), encoding="utf-8")
    jobs = [
        PrintPage("generated/a.html", "Første rapport", "Rådet · Første", "Del 1"),
        PrintPage("generated/b.html", "Anden rapport", "Rådet · Anden", "Del 2"),
    ]
    cache = tmp_path / "prints"
    printed, fresh = bookpdf.print_pages(site, jobs, cache)
    assert fresh == 2 and printed[0].body_pages < printed[0].pages  # the annex on pages of its own
    first.write_text(first.read_text(encoding="utf-8").replace("Navigation", "Ny navigation"), encoding="utf-8")
    assert bookpdf.print_pages(site, jobs, cache)[1] == 0
    second.write_text(report_page("<p>Ændret.</p>", "Anden rapport"), encoding="utf-8")
    again, fresh = bookpdf.print_pages(site, jobs, cache)
    assert fresh == 1 and again[0] == printed[0]
    cover = BookCover("Rådet", "Bogen", "Tallene går til og med marts 2024", "Udgivet 1. april 2024")
    book = bookpdf.assemble_book(jobs, again, cover, tmp_path / "book.pdf", tmp_path / "work")
    reader = PdfReader(book)
    assert len(reader.pages) == 2 + again[0].body_pages + again[1].body_pages
    text = reader.pages[1].extract_text()
    assert "Indhold" in text and "Første rapport" in text and "Del 2" in text
    assert f"Side 2 af {len(reader.pages)}" in text
    assert "Side" not in reader.pages[0].extract_text()  # the cover is not numbered
    own = bookpdf.write_report_pdf(again[0], tmp_path / "a.pdf", "Første rapport")
    own_reader = PdfReader(own)
    assert f"Side 1 af {len(own_reader.pages)}" in own_reader.pages[0].extract_text()
    assert [str(item.title) for item in own_reader.outline if not isinstance(item, list)] == ["Første rapport"]
    # Old prints go; the ones in use stay.
    for path in cache.glob("*.pdf"):
        os.utime(path, (0, 0))
    bookpdf.prune_prints(cache, keep={again[0].pdf})
    assert again[0].pdf.is_file() and not again[1].pdf.is_file()


# ---------------------------------------------------------------------------------------------------------
# A small site printed into a report PDF and a book: the technical annex, links, no build folder, no blank page
# ---------------------------------------------------------------------------------------------------------

TECHNICAL = (
    '<details class="cb-details cb-technical"><summary>Teknisk dokumentation</summary>'
    "<p>Kodeversion: git abc123.</p><p>Datafiler, da rapporten blev kørt:</p><ul><li>tal.csv, SHA-256 1a2b…</li></ul>"
    "<p>Parametre (SHA-256 af de poster, rapporten bruger):</p><ul><li>{own}, SHA-256 9f8e…</li></ul></details>"
)


def link_targets(reader: PdfReader) -> list[tuple[int, object]]:
    """Every link of a PDF: (its page, where it goes: a page index, or an address)."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found: list[tuple[int, object]] = []
    for n, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            dest = annotation.get("/Dest")
            action = annotation.get("/A")
            if dest is not None:
                assert isinstance(dest, list), f"a named destination the merged PDF does not hold: {dest}"
                found.append((n, pages[dest[0].idnum]))
            elif action is not None:
                found.append((n, str(action.get_object().get("/URI"))))
    return found


def page_with(reader: PdfReader, text: str) -> int:
    return next(n for n, page in enumerate(reader.pages) if text in page.extract_text())


@pytest.mark.book
@pytest.mark.needs_chromium
def test_book_and_report_pdfs_link_within_themselves_and_print_the_technical_part_once(tmp_path: Path) -> None:
    """Links to a page of the book go to its place in the book's PDF (the anchor's page), links to pages not in
    it are removed (never a file of the build machine); the technical documentation is printed once, in an
    annex at the end, and in each report's own PDF at its end; no page is blank."""
    from buildpaths import BUILD_FOLDER, files_naming

    require_tool("chromium", "chromium-browser")
    site = tmp_path / BUILD_FOLDER / "site"
    (site / "generated/b").mkdir(parents=True)
    spacer = '<div style="height: 1400px"></div>'
    body_a = outputs(
        '<p>Se <a href="b/x.html#langt-nede">Jobcenter Langt Nede</a>, <a href="b/x.html">rapport B</a>, '
        '<a href="../andet.html">en side uden for PDF</a>, <a href="b/x/langt-nede.html">en side under B</a>, '
        '<a href="#egen">længere nede</a> og '
        '<a href="https://example.org/">et andet sted</a>.</p>',
        spacer,
        '<h2 class="rubric" id="egen">Egen overskrift</h2>',
        '<h2 class="rubric">Om tallene</h2>',
        "<p>Kilde: eksempeldata.</p>",
        html_output(TECHNICAL.format(own="contracts/2013.yml")),
    )
    body_b = outputs(
        "<p>Rapport B begynder.</p>",
        spacer,
        '<h2 class="rubric" id="langt-nede">Langt nede</h2>',
        "<p>Her.</p>",
        html_output(TECHNICAL.format(own="meetings/2013.yml")),
    )
    (site / "generated/a.html").write_text(report_page(body_a, "Rapport A"), encoding="utf-8")
    (site / "generated/b/x.html").write_text(report_page(body_b, "Rapport B"), encoding="utf-8")
    (site / "andet.html").write_text(report_page("<p>Andet.</p>", "Andet"), encoding="utf-8")
    jobs = [
        PrintPage("generated/a.html", "Rapport A", "Rådet · A", "Del 1"),
        PrintPage("generated/b/x.html", "Rapport B", "Rådet · B", "Del 1"),
    ]
    cover = BookCover("Rådet", "Bogen", "Tallene går til og med marts 2024", "Udgivet 1. april 2024")
    book, _ = bookpdf.make_pdfs(site, jobs, cover, tmp_path / "prints", tmp_path / "out/book.pdf", tmp_path / "work")
    reader = PdfReader(book)
    texts = [page.extract_text() for page in reader.pages]
    # Links: to B's anchor, to B's first page, to a page under B not in the PDF (B's row for it, the page of the
    # same name), to A's own anchor; the link to a page outside the PDF with nothing above it in it removed.
    a_first, b_first = page_with(reader, "Se Jobcenter"), page_with(reader, "Rapport B begynder")
    targets = [target for page, target in link_targets(reader) if page == a_first]
    assert targets == [
        page_with(reader, "Langt nede"),
        b_first,
        page_with(reader, "Langt nede"),
        page_with(reader, "Egen overskrift"),
        "https://example.org/",
    ]
    # The technical documentation once, at the end: what both share once, then each report's own.
    annex = page_with(reader, bookpdf.TECHNICAL_TITLE + "\n")
    assert annex == len(reader.pages) - 1 and "Fælles for alle rapporterne" in texts[annex]
    whole = "\n".join(texts)
    assert whole.count("Kodeversion: git abc123") == 1 and whole.count("tal.csv") == 1
    assert "contracts/2013.yml" in texts[annex] and "meetings/2013.yml" in texts[annex]
    body = " ".join(" ".join(texts[:annex]).split())
    assert "1a2b" not in body and "9f8e" not in body and "Kodeversion" not in body
    assert body.count("står i bilaget «Teknisk dokumentation» bagerst") == 2  # where it went, in each report
    # Each report's own PDF: its technical annex at its end, its own link working, the others removed.
    own = PdfReader(site / "generated/a.pdf")
    own_texts = [page.extract_text() for page in own.pages]
    assert bookpdf.TECHNICAL_TITLE in own_texts[-1] and "contracts/2013.yml" in own_texts[-1]
    assert [t for _, t in link_targets(own)] == [page_with(own, "Egen overskrift"), "https://example.org/"]
    # No page blank (beyond its running header and number), no folder of the build machine anywhere.
    for pdf in (reader, own, PdfReader(site / "generated/b/x.pdf")):
        for page in pdf.pages:
            assert not bookpdf.is_blank(page, "Rapport B") or "Side" not in page.extract_text()
    assert files_naming(tmp_path / "out") == [] and files_naming(site) == []
    assert files_naming(tmp_path / "prints") == []
    # With the site's address known, a link to a page outside the PDF goes there.
    again = bookpdf.assemble_book(
        jobs,
        bookpdf.print_pages(site, jobs, tmp_path / "prints")[0],
        cover,
        tmp_path / "b2.pdf",
        tmp_path / "w2",
        site_url="https://raadet.example/bog/",
    )
    uris = [t for _, t in link_targets(PdfReader(again)) if isinstance(t, str)]
    assert "https://raadet.example/bog/andet.html" in uris


def test_site_addressed_links_name_no_folder() -> None:
    """A print copy's links to the site's other files get the site's origin and their address from the site's
    root; links within the page, to other sites and out of the site are as the tests above expect."""
    from councilbook.assembly.pdfpages import SITE_ORIGIN, _resolve, site_addressed_links

    copy = (
        '<a href="../metode.html#kilder">M</a><a href="b/x%C3%A6.html">B</a><a href="#egen">E</a>'
        '<a href="https://example.org/">X</a><a href="../../../andet.html">U</a><a class="k" href="/om.html?v=2">O</a>'
    )
    assert site_addressed_links(copy, "generated/a.html") == (
        f'<a href="{SITE_ORIGIN}/metode.html#kilder">M</a><a href="{SITE_ORIGIN}/generated/b/x%C3%A6.html">B</a>'
        f'<a href="#egen">E</a><a href="https://example.org/">X</a><a href="{SITE_ORIGIN}/">U</a>'
        f'<a class="k" href="{SITE_ORIGIN}/om.html">O</a>'
    )
    assert _resolve("generated/a.html", f"{SITE_ORIGIN}/generated/b/x%C3%A6.html#r%C3%B8d") == (
        "generated/b/xæ.html",
        "rød",
    )
    assert _resolve("generated/a.html", f"{SITE_ORIGIN}/") is None


def test_technical_annex_shares_what_every_report_has() -> None:
    one = "<p>Kodeversion: git a.</p><p>Parametre:</p><ul><li>x.yml</li></ul>"
    two = "<p>Kodeversion: git a.</p><p>Parametre:</p><ul><li>y.yml</li></ul>"
    page = bookpdf.technical_annex_html("Bilag", [("Rapport 1", one), ("Rapport 2", two), ("Metode", "")])
    assert page.count("Kodeversion") == 1 and page.count("x.yml") == 1 and page.count("y.yml") == 1
    assert "Fælles for alle rapporterne" in page and "Metode" not in page


def test_print_copy_moves_the_technical_documentation_into_its_annex() -> None:
    made = bookpdf.make_print_copy(
        report_page(outputs('<h2 class="rubric">Om tallene</h2>', "<p>Kilde.</p>", TECHNICAL.format(own="c.yml"))),
        "Titel",
        "Rådet · Titel",
    )
    copy = made.html
    body, _, annex = copy.partition(bookpdf.TECHNICAL_TITLE)
    assert "Kilde." in body and "Kodeversion" not in body and "9f8e" not in body and "bagerst" in body
    assert "Kodeversion: git abc123." in annex and "Teknisk dokumentation</summary>" not in annex
    assert made.technical.startswith("<p>Kodeversion")


def missing_glyphs(reader: PdfReader) -> list[int]:
    """The pages (from 1) that draw a glyph no font of the PDF has: Chromium writes the font's .notdef (glyph
    0, a box) in its Identity-H fonts for a character no font on the machine has."""
    from pypdf.generic import ContentStream

    found = []
    for number, page in enumerate(reader.pages, start=1):
        fonts_dict = page["/Resources"].get_object().get("/Font")
        fonts = {k: v.get_object() for k, v in (fonts_dict.get_object() if fonts_dict is not None else {}).items()}
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts.get(operands[0])
            elif operator in (b"Tj", b"TJ", b"'", b'"') and font is not None and font.get("/Encoding") == "/Identity-H":
                for item in operands[0] if operator == b"TJ" else [operands[-1]]:
                    raw = getattr(item, "original_bytes", None)
                    if raw is not None and any(raw[i : i + 2] == b"\0\0" for i in range(0, len(raw) - 1, 2)):
                        found.append(number)
    return sorted(set(found))


def lone_headings(reader: PdfReader, headings: set[str]) -> list[tuple[int, str]]:
    """The pages (from 1) whose last line of text (above the page number) is a heading of the page."""
    import re

    found = []
    for number, page in enumerate(reader.pages, start=1):
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines() if line.strip()]
        lines = [line for line in lines if not re.fullmatch(r"Side \d+ af \d+", line)]
        for count in (1, 2, 3):  # a heading over up to three lines
            if len(lines) >= count and " ".join(lines[-count:]) in headings:
                found.append((number, " ".join(lines[-count:])))
    return found


@pytest.mark.book
@pytest.mark.needs_chromium
def test_printed_reports_have_every_glyph_no_heading_alone_at_a_page_end_and_no_blank_page(
    sample_html: Path, tmp_path: Path
) -> None:
    """The sample's report pages printed as in the book (the theme's stylesheets and ours): every character
    drawn in a font that has it (the sample notice's icon was a box), no heading as the last line of a page, no
    page with nothing but its header and number (om.pdf ended with one)."""
    import shutil

    from councilbook.assembly.pdfpages import heading_texts

    require_tool("chromium", "chromium-browser")
    site = tmp_path / "site"  # a copy: printing writes its print copy beside the page
    shutil.copytree(sample_html, site, ignore=shutil.ignore_patterns("*.pdf"))
    jobs = [
        PrintPage("generated/contracts/2013.html", "Resultatkontrakt 2013", "Rådet · Kontrakten", "Kontrakter"),
        PrintPage("generated/meetings/2013-12-11.html", "Rådsmøde 11. december 2013", "Rådet · Mødet", "Møder"),
        PrintPage("om.html", "Om bogen", "Rådet · Om bogen", "Om bogen"),
    ]
    printed, _ = bookpdf.print_pages(site, jobs, tmp_path / "prints")
    for job, done in zip(jobs, printed, strict=True):
        reader = PdfReader(bookpdf.write_report_pdf(done, tmp_path / Path(job.pdf).name, job.title, job.page))
        assert missing_glyphs(reader) == [], job.page
        headings = set(heading_texts((site / job.page).read_text(encoding="utf-8"))) | {bookpdf.TECHNICAL_TITLE}
        assert lone_headings(reader, headings - {""}) == [], job.page
        blank = [n for n, page in enumerate(reader.pages, start=1) if bookpdf.is_blank(page, job.title)]
        assert blank == [], job.page
