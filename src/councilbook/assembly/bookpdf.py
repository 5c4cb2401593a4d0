"""The book's PDFs: one per report, printed from its own page and cached, and the whole book assembled from them.

Each report page of the built site is printed by Chromium (:func:`pdf.print_to_pdf`) from a print copy
(:func:`print_copy`): the article alone, a cover line (council, report, date) above its title, the report's
title as the running header of every page, and the long detail tables (the job centres' rows, folded away
on screen) moved into an annex at its end, and the technical documentation of "Om tallene" (code version,
files, hashes) into an annex of its own after it. Every id of the print gets a named destination, so that a
link from another page can go to it in the book. The printed pages are cached under the key of what the print
is made of (:func:`print_key`: the article, the stylesheets, the header texts), so a rebuild prints only
the reports whose page changed.

From the cached prints:

- each report's own PDF (beside its page, linked from it): every page stamped "Side N af M", bookmarks
  nested by heading, titled from the page's headings (never Chromium's glued words);
- the book's PDF, for the archive: a cover (council, title, the month the figures run to), a contents
  page with page numbers, the reports in the book's parts, without their annexes (the detail tables stay
  in each report's own PDF), then one annex with every report's technical documentation (what they share
  once), "Side N af M" over the whole book, bookmarks part > report > heading.

In both, a link to a page the PDF holds goes to its place in the PDF, a link to another page of the site
to the site's address if known, else it is removed: no link names a file of the machine that built it
(:func:`pdfpages.relink`). Pages with nothing but their running header are left out.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import IndirectObject

from councilbook.assembly.pdf import PdfError, print_in_one_browser, print_to_pdf, printing
from councilbook.assembly.pdfpages import (
    Bookmark,
    Placed,
    named_anchors,
    page_stamps,
    read_bookmarks,
    relink,
    site_addressed_links,
)
from councilbook.core.release import die_with_parent

PRINT_VERSION = "3"  # part of every print key: bump when print_copy changes what is printed
ANNEX_TITLE = "Bilag: Detaljerne"
# The technical documentation ("Om tallene": code version, files, hashes) is printed in an annex of its own: at
# the end of each report's own PDF, and once for all reports at the end of the book.
TECHNICAL_TITLE = "Bilag: Teknisk dokumentation"
TECHNICAL_SELECTOR = "details.cb-technical"
TECHNICAL_NOTE = (
    "Hvilke filer (med SHA-256) og hvilken version af programmet tallene er lavet med, står i bilaget "
    "«Teknisk dokumentation» bagerst."
)
ANNEX_TITLES = (ANNEX_TITLE, TECHNICAL_TITLE)
ANNEX_NOTE = "Bilaget bagerst i rapportens egen PDF har desuden"
# What goes into the annex: tables folded away on screen (the job centres', the municipalities' rows).
DETAIL_SELECTOR = "details.cb-details"
SCREEN_ONLY = "a.headerlink, .cb-pdf-link, .cb-downloads, .cb-report-pdf, script"
CACHE_MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class PrintPage:
    """A page of the built site to print: its path in the site, its texts in print, its part of the book."""

    page: str  # relative to the site's folder: "generated/meetings/2013-05-29.html"
    title: str  # the running header, the report's bookmark and its line in the contents
    cover: str  # the line above its title: council, report and date
    part: str  # the caption of its part in the book
    # Pages of its own under the report (a job centre's page in the key figures), printed in its annex: its PDF
    # holds all of the report, as the page did before they were split out. Relative to the site's folder.
    annex_pages: tuple[str, ...] = ()

    @property
    def pdf(self) -> str:
        """Its own PDF, beside its page in the site."""
        return str(Path(self.page).with_suffix(".pdf").as_posix())


@dataclass(frozen=True)
class Printed:
    """A printed page, cached: the PDF Chromium wrote, how many of its pages come before the annex, and
    its bookmarks (titled from the page's headings)."""

    pdf: Path
    pages: int
    body_pages: int
    bookmarks: tuple[Bookmark, ...]
    blank: tuple[int, ...] = ()  # pages with nothing on them but the running header (left out)
    technical: str = ""  # the technical documentation (HTML), for the book's annex


# ---------------------------------------------------------------------------------------------------------
# The print copy
# ---------------------------------------------------------------------------------------------------------


def css_string(text: str) -> str:
    """A text as a CSS string literal (for ``content:``)."""
    plain = " ".join(text.split())
    return '"' + plain.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_style(title: str) -> str:
    """The print copy's own rules: the running header, the cover line, the annex on a page of its own."""
    return (
        "@page { @top-left { content: " + css_string(title) + "; font-size: 8pt; color: #444; "
        "font-family: 'DejaVu Sans', sans-serif; } }\n"
        "@page :first { @top-left { content: none; } }\n"
        "p.cb-print-cover { font-size: 9pt; color: #444; border-bottom: 1px solid #999; padding-bottom: 2pt; "
        "margin: 0 0 8pt; }\n"
        "article h1 { break-before: auto !important; margin-top: 0; }\n"
        "section.cb-annex { break-before: page; }\n"
        "p.cb-annex-note { font-style: italic; }\n"
        "div.cb-print-anchors { position: absolute; top: 0; left: 0; line-height: 0; }\n"
        "div.cb-print-anchors a { display: inline-block; width: 1px; height: 1px; }\n"
    )


def _heading_before(element: Tag) -> str:
    heading = element.find_previous(["h2", "h3", "h4"])
    return " ".join(heading.get_text(" ").split()) if heading is not None else ""


def _text(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def _output_unit(marker: Tag) -> Tag | None:
    """The marker's ancestor that is one output of the report's cell (a child of its ``cell_output``)."""
    node = marker
    while node.parent is not None:
        if "cell_output" in (node.parent.get("class") or []):
            return node
        node = node.parent
    return None


def _is_end(node: Any) -> bool:
    if not isinstance(node, Tag):
        return False
    return "cb-annex-end" in (node.get("class") or []) or node.select_one(".cb-annex-end") is not None


def _blank(node: Any) -> bool:
    return not isinstance(node, Tag) and not str(node).strip()


def _take_detail_sections(soup: BeautifulSoup, article: Tag) -> list[Any]:
    """Take the detail sections (between the report's annex markers) out of the article, leaving one note
    where each run of them stood; return what was taken, in order."""
    taken: list[Any] = []
    note: Tag | None = None
    for start in article.select("div.cb-annex-start"):
        unit = _output_unit(start)
        if unit is None:
            continue
        before = unit.previous_sibling
        while before is not None and _blank(before):
            before = before.previous_sibling
        moved, node = [], unit.next_sibling
        while node is not None and not _is_end(node):
            moved.append(node)
            node = node.next_sibling
        if isinstance(node, Tag):
            node["class"] = "cb-annex-gap"  # where the run may go on with the next detail section
            node.clear()
        titles = [
            _text(h) for m in moved if isinstance(m, Tag) for h in ([m] if m.name in HEADINGS else m.find_all(HEADINGS))
        ]
        continues = isinstance(before, Tag) and "cb-annex-gap" in (before.get("class") or []) and note is not None
        if not continues:
            note = soup.new_tag("p", attrs={"class": "cb-annex-note"})
            note["data-titles"] = ""
            unit.replace_with(note)
        else:
            unit.decompose()
        assert note is not None
        listed = [t for t in str(note["data-titles"]).split("\x1f") if t] + titles
        note["data-titles"] = "\x1f".join(listed)
        taken += [m.extract() for m in moved]
    for gap in article.select(".cb-annex-gap"):
        gap.decompose()
    for found in article.select("p.cb-annex-note[data-titles]"):
        listed = [t for t in str(found["data-titles"]).split("\x1f") if t]
        del found["data-titles"]
        found.string = ANNEX_NOTE + (": " + ", ".join(f"«{t}»" for t in listed) if listed else "") + "."
    return taken


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _demote(nodes: Sequence[Any], top: int) -> None:
    """Shift the headings in ``nodes`` so that the highest is ``h{top}``."""
    headings = [h for n in nodes if isinstance(n, Tag) for h in ([n] if n.name in HEADINGS else n.find_all(HEADINGS))]
    if not headings:
        return
    shift = top - min(int(h.name[1]) for h in headings)
    for h in headings:
        h.name = f"h{min(max(int(h.name[1]) + shift, 1), 6)}"


def _annex_page(page: str) -> list[Any]:
    """What a page of its own under the report adds to the report's annex: its article, screen-only parts
    left out, its title a heading of the annex (h3)."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    if article is None:
        return []
    for element in article.select(SCREEN_ONLY):
        element.decompose()
    for link in article.select("a.headerlink"):
        link.decompose()
    nodes = [node.extract() for node in list(article.children)]
    _demote(nodes, 3)
    return nodes


@dataclass(frozen=True)
class PrintCopy:
    """A print copy (:func:`print_copy`) with what is read from it: its headings in order, as (text, level from
    0), and its technical documentation as HTML (empty if it has none)."""

    html: str
    headings: list[tuple[str, int]]
    technical: str


def print_copy(page: str, title: str, cover: str, annex_pages: Sequence[str] = ()) -> str:
    """The page as it is printed: its article alone under a cover line, screen-only parts left out, and the
    detail (the report's detail sections, the tables folded away on screen, its pages of their own:
    ``annex_pages``, their HTML) moved into an annex."""
    return make_print_copy(page, title, cover, annex_pages).html


def make_print_copy(page: str, title: str, cover: str, annex_pages: Sequence[str] = ()) -> PrintCopy:
    """:func:`print_copy`, with its headings and technical documentation read from the same parse."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    if article is None or soup.head is None:
        raise PdfError("siden har ingen artikel at udskrive")
    for element in article.select(SCREEN_ONLY):
        element.decompose()
    technical = article.select_one(TECHNICAL_SELECTOR)
    if technical is not None:
        note = soup.new_tag("p", attrs={"class": "cb-annex-note"})
        note.string = TECHNICAL_NOTE
        summary = technical.find("summary")
        label = _text(summary) if summary is not None else ""
        # The sentence that points the screen's reader to the folded part now points to the annex.
        pointer = next((p for p in article.find_all("p") if label and label in _text(p)), None)
        if pointer is not None:
            pointer.replace_with(note)
            technical.extract()
        else:
            technical.replace_with(note)
        if summary is not None:
            summary.decompose()
        technical.name = "div"
        technical["class"] = "cb-technical"
    annex = soup.new_tag("section", attrs={"class": "cb-annex"})
    sections = _take_detail_sections(soup, article)
    _demote(sections, 3)
    details = [d for d in article.select(DETAIL_SELECTOR) if d.find("table") is not None]
    sections += [node for extra in annex_pages for node in _annex_page(extra)]
    if sections or details:
        heading = soup.new_tag("h2")
        heading.string = ANNEX_TITLE
        annex.append(heading)
    for node in sections:
        annex.append(node)
    for element in details:
        section = _heading_before(element)
        note = soup.new_tag("p", attrs={"class": "cb-annex-note"})
        note.string = ANNEX_NOTE + (f": «{section}»." if section else ".")
        element.replace_with(note)
        if section:
            sub = soup.new_tag("h3")
            sub.string = section
            annex.append(sub)
        annex.append(element)
    for element in annex.select("details"):
        summary = element.find("summary")
        if summary is not None:
            summary.decompose()
        element.name = "div"  # printed open
    body = soup.new_tag("body", attrs={"class": "cb-print"})
    line = soup.new_tag("p", attrs={"class": "cb-print-cover"})
    line.string = cover
    body.append(line)
    body.append(article.extract())
    if sections or details:
        body.append(annex)
    if technical is not None:
        technical_annex = soup.new_tag("section", attrs={"class": "cb-annex cb-annex-technical"})
        heading = soup.new_tag("h2")
        heading.string = TECHNICAL_TITLE
        technical_annex.append(heading)
        technical_annex.append(technical)
        body.append(technical_annex)
    _anchor_ids(soup, body)
    style = soup.new_tag("style")
    style.string = print_style(title)
    soup.head.append(style)
    if soup.body is not None:
        soup.body.replace_with(body)
    found = soup.select_one(TECHNICAL_HTML)
    return PrintCopy(str(soup), _headings(soup), found.decode_contents() if found is not None else "")


def _anchor_ids(soup: BeautifulSoup, body: Tag) -> None:
    """A link, too small to see, to every id of the print: Chromium writes a named destination (a place
    another page's link can go to in the book's PDF) only for the ids a link of the page points to."""
    ids = list(dict.fromkeys(str(e["id"]) for e in body.find_all(id=True)))
    if not ids:
        return
    holder = soup.new_tag("div", attrs={"class": "cb-print-anchors", "aria-hidden": "true"})
    for name in ids:
        holder.append(soup.new_tag("a", attrs={"href": f"#{name}"}))
    body.append(holder)


TECHNICAL_HTML = "section.cb-annex-technical div.cb-technical"


def _headings(soup: BeautifulSoup) -> list[tuple[str, int]]:
    return [(" ".join(h.get_text(" ").split()), int(h.name[1]) - 1) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def _stylesheets(page_file: Path, page: str) -> list[Path]:
    hrefs = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"?#]+)', page)
    return [(page_file.parent / href).resolve() for href in hrefs]


def _article(page: str) -> str:
    start, end = page.find("<article"), page.rfind("</article>")
    return page[start:end] if 0 <= start < end else page


def print_key(page_file: Path, job: PrintPage) -> str:
    """The key of a print: the page's article, the stylesheets it loads, the texts put around it and the code
    that makes the print copy (so a change to any of them prints the page again)."""
    page = page_file.read_text(encoding="utf-8")
    h = hashlib.sha256(f"{PRINT_VERSION}\0{job.title}\0{job.cover}\0".encode())
    h.update(hashlib.sha256(Path(__file__).read_bytes()).digest())
    h.update(_article(page).encode())
    site = page_file.parents[len(Path(job.page).parts) - 1]  # the site's folder
    for extra in job.annex_pages:
        h.update(b"\0annex\0" + _article((site / extra).read_text(encoding="utf-8")).encode())
    for sheet in _stylesheets(page_file, page):
        h.update(sheet.name.encode() + b"\0")
        if sheet.is_file():
            h.update(hashlib.sha256(sheet.read_bytes()).digest())
    return h.hexdigest()[:40]


# ---------------------------------------------------------------------------------------------------------
# Printing, with the cache
# ---------------------------------------------------------------------------------------------------------


def _load_cached(cache: Path, key: str) -> Printed | None:
    pdf, meta = cache / f"{key}.pdf", cache / f"{key}.json"
    if not (pdf.is_file() and meta.is_file()):
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        marks = tuple(Bookmark(**b) for b in data["bookmarks"])
        blank = tuple(int(n) for n in data["blank"])
        printed = Printed(pdf, int(data["pages"]), int(data["body_pages"]), marks, blank, str(data["technical"]))
    except (ValueError, KeyError, TypeError):
        return None
    now = time.time()
    os.utime(pdf, (now, now))  # in use: kept by the pruning
    return printed


def print_page(html_dir: Path, job: PrintPage, cache: Path, force: bool = False) -> tuple[Printed, bool]:
    """The page printed (from the cache when its key is there, unless ``force``); returns it and whether it
    was printed now."""
    page_file = html_dir / job.page
    key = print_key(page_file, job)
    cached = None if force else _load_cached(cache, key)
    if cached is not None:
        return cached, False
    extra = [(html_dir / name).read_text(encoding="utf-8") for name in job.annex_pages]
    made = make_print_copy(page_file.read_text(encoding="utf-8"), job.title, job.cover, extra)
    copy = site_addressed_links(made.html, job.page)
    copy_file = page_file.with_name(f".{page_file.stem}.cb-print.html")  # beside the page: its files resolve
    copy_file.write_text(copy, encoding="utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    scratch = cache / f".{key}.{os.getpid()}.pdf"
    try:
        print_to_pdf(copy_file, scratch)
    finally:
        copy_file.unlink(missing_ok=True)
    headings = made.headings  # read from the copy's own parse (site_addressed_links changes only addresses)
    marks = read_bookmarks(scratch)
    if len(marks) == len(headings):  # titled from the page: Chromium glues words at line breaks
        marks = [Bookmark(text, m.page, level) for (text, level), m in zip(headings, marks, strict=True)]
    reader = PdfReader(scratch)
    pages = len(reader.pages)
    annex = next((m.page for m in marks if m.title in ANNEX_TITLES), pages)
    blank = tuple(n for n, page in enumerate(reader.pages) if is_blank(page, job.title))
    technical = site_addressed_links(made.technical, job.page)  # as read from the addressed copy, unparsed
    printed = Printed(cache / f"{key}.pdf", pages, annex, tuple(marks), blank, technical)
    meta = {
        "pages": pages,
        "body_pages": annex,
        "bookmarks": [asdict(m) for m in marks],
        "page": job.page,
        "blank": list(blank),
        "technical": technical,
    }
    (cache / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    scratch.replace(printed.pdf)
    return printed, True


# A printed page whose drawing instructions are longer than this draws more than its running header and page
# number (Chromium's are under 1 kB; the shortest page of the sample with text on it has 2,3 kB): it is not
# blank, and its text need not be extracted to know it (extraction is most of the time a print takes).
HEADER_ONLY_BYTES = 1500


def _content_bytes(page: Any) -> int:
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def is_blank(page: Any, header: str) -> bool:
    """True if a printed page holds nothing but its running header (and page number): no other text, no
    image."""
    if _content_bytes(page) > HEADER_ONLY_BYTES:
        return False
    text = " ".join(page.extract_text().split())
    rest = re.sub(r"Side \d+ af \d+", "", text.replace(" ".join(header.split()), "", 1)).strip()
    if rest:
        return False
    return not _has_image(page)


def _has_image(holder: Any, depth: int = 0) -> bool:
    """Whether a page (or a form on it) draws an image."""
    resources = holder.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources is not None else None
    for reference in (objects.get_object() if objects is not None else {}).values():
        found = reference.get_object()
        if found.get("/Subtype") == "/Image" or (depth < 4 and _has_image(found, depth + 1)):
            return True
    return False


def print_pages(
    html_dir: Path,
    jobs: Sequence[PrintPage],
    cache: Path,
    workers: int = 2,
    force: bool = False,
    own_pdfs: bool = False,
    site_url: str | None = None,
) -> tuple[list[Printed], int]:
    """Every page printed (side by side, ``workers`` processes with one Chromium each), in order; and how many were
    printed now (the rest came from the cache). With ``own_pdfs``, each report's own PDF is written too, beside
    its print in the cache (:func:`own_pdf`), in the same process. Processes, not threads: reading a printed PDF
    back is Python's work, which threads would take turns at."""
    if not jobs:
        return [], 0
    task = partial(_print_one, html_dir, cache, force, own_pdfs, site_url)
    if workers <= 1 or len(jobs) == 1:
        with printing():
            results = [task(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_print_worker) as pool:
            results = list(pool.map(task, jobs))
    return [r for r, _ in results], sum(1 for _, fresh in results if fresh)


def _print_worker() -> None:
    """A print worker: it ends with the build, and prints all its pages in one Chromium."""
    die_with_parent()
    print_in_one_browser()


def _print_one(
    html_dir: Path, cache: Path, force: bool, own_pdfs: bool, site_url: str | None, job: PrintPage
) -> tuple[Printed, bool]:
    printed, fresh = print_page(html_dir, job, cache, force)
    if own_pdfs:
        own = own_pdf(printed)
        if force or site_url or not own.is_file():  # the cached one links nowhere outside the book
            write_report_pdf(printed, own.with_suffix(".tmp"), job.title, job.page, site_url).replace(own)
    return printed, fresh


def own_pdf(printed: Printed) -> Path:
    """A report's own PDF, stamped and bookmarked: cached beside its print."""
    return printed.pdf.with_suffix(".report.pdf")


def prune_prints(cache: Path, keep: set[Path], max_age_days: int = CACHE_MAX_AGE_DAYS) -> None:
    """Remove cached prints not used for ``max_age_days`` (never those in ``keep``) and scratch files."""
    if not cache.is_dir():
        return
    limit = time.time() - max_age_days * 86400
    for pdf in cache.glob("*.pdf"):
        if pdf.name.startswith("."):
            pdf.unlink(missing_ok=True)
        elif pdf.name.endswith(".report.pdf"):
            continue  # goes with its print
        elif pdf not in keep and pdf.stat().st_mtime < limit:
            pdf.unlink(missing_ok=True)
            pdf.with_suffix(".json").unlink(missing_ok=True)
            pdf.with_suffix(".report.pdf").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------
# Writing the PDFs
# ---------------------------------------------------------------------------------------------------------


def _stamp_pages(writer: PdfWriter, labels: Sequence[str | None]) -> None:
    """Stamp each page's label ("Side N af M") at its foot on the right; None leaves a page unstamped."""
    wanted = [(i, label) for i, label in enumerate(labels) if label]
    if not wanted:
        return
    stamps = page_stamps([label for _, label in wanted])
    for (index, _), stamp in zip(wanted, stamps.pages, strict=True):
        page = writer.pages[index]
        box = page.mediabox
        page.merge_transformed_page(stamp, Transformation().translate(float(box.right) - 594.96, float(box.bottom)))


def _add_printed(writer: PdfWriter, printed: Printed, page: str, upto: int) -> Placed:
    """The printed page's first ``upto`` pages (but its blank ones) added to ``writer``; where they went."""
    reader = PdfReader(printed.pdf)
    placed: dict[int, int] = {}
    for index in range(min(upto, len(reader.pages))):
        if index not in printed.blank or (not placed and index == upto - 1):
            placed[index] = len(writer.pages)
            writer.add_page(reader.pages[index])
    return Placed(page, placed, named_anchors(reader))


def _page_of(placed: Placed, page: int) -> int:
    """Where a printed page's page went: itself, else (left out) the next kept one, else its last."""
    later = [placed.pages[n] for n in sorted(placed.pages) if n >= page]
    return later[0] if later else max(placed.pages.values())


def _add_bookmarks(
    writer: PdfWriter, marks: Sequence[Bookmark], placed: Placed, parent: IndirectObject | None, skip_title: bool
) -> None:
    """A report's bookmarks nested by heading level under ``parent``, on its pages as ``placed``; with
    ``skip_title``, its title (the first heading) is the parent itself."""
    parents: dict[int, Any] = {}
    base = marks[0].level + (1 if skip_title else 0) if marks else 0
    for n, mark in enumerate(marks):
        if skip_title and n == 0:
            continue
        level = max(mark.level - base, 0)
        above = next((parents[k] for k in range(level - 1, -1, -1) if k in parents), parent)
        item = writer.add_outline_item(title=mark.title, page_number=_page_of(placed, mark.page), parent=above)
        parents[level] = item
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]


def write_report_pdf(printed: Printed, target: Path, title: str, page: str = "", site_url: str | None = None) -> Path:
    """A report's own PDF: its printed pages (but blank ones), "Side N af M" on each, bookmarks nested by
    heading, links within it working (``page``: its address in the site) and links to other pages of the
    site going to ``site_url`` (else removed)."""
    writer = PdfWriter()
    placed = _add_printed(writer, printed, page, printed.pages)
    total = len(writer.pages)
    _stamp_pages(writer, [f"Side {n + 1} af {total}" for n in range(total)])
    _add_bookmarks(writer, printed.bookmarks, placed, None, skip_title=False)
    relink(writer, [placed], site_url)
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        writer.write(stream)
    return target


@dataclass(frozen=True)
class BookCover:
    council: str
    title: str
    figures: str  # "Tallene går til og med marts 2013"
    made: str  # "Udgivet 3. december 2026"
    sample: bool = False


def front_matter_html(
    cover: BookCover, parts: Sequence[tuple[str, Sequence[tuple[str, int]]]], annexes: Sequence[tuple[str, int]] = ()
) -> str:
    """The book's cover and contents (parts, each report with its first page; then the annexes, each with its
    first page), as a page to print."""
    items = []
    for caption, reports in parts:
        items.append(f'<li class="part"><span class="t">{html.escape(caption)}</span></li>')
        items += [
            f'<li><span class="t">{html.escape(title)}</span><span class="p">{page}</span></li>'
            for title, page in reports
        ]
    items += [
        f'<li class="part"><span class="t">{html.escape(title)}</span><span class="p">{page}</span></li>'
        for title, page in annexes
    ]
    sample = (
        '<p class="sample">Bogen er bygget på <strong>eksempeldata</strong> til afprøvning. '
        "Tallene viser ikke de faktiske forhold.</p>"
        if cover.sample
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>{html.escape(cover.title)}</title>
<style>
@page {{ size: A4; margin: 22mm 20mm 20mm 20mm; }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; color: #111; }}
section.cover {{ height: 240mm; display: flex; flex-direction: column; justify-content: center; }}
section.cover h1 {{ font-size: 26pt; margin: 0 0 8mm; line-height: 1.15; }}
section.cover p {{ font-size: 13pt; margin: 0 0 3mm; }}
section.cover p.title {{ font-size: 17pt; font-weight: 600; margin-bottom: 10mm; }}
p.sample {{ border-left: 4px solid #E69F00; background: #fff6e5; padding: 3mm; font-size: 10pt !important; }}
section.contents {{ break-before: page; }}
section.contents h2 {{ font-size: 18pt; margin: 0 0 6mm; }}
ol {{ list-style: none; padding: 0; margin: 0; }}
li {{ display: flex; gap: 3mm; padding: 1mm 0; border-bottom: 1px dotted #999; break-inside: avoid; }}
li.part {{ font-weight: 700; border-bottom: 1px solid #555; margin-top: 4mm; }}
li .t {{ flex: 1; }}
li .p {{ min-width: 12mm; text-align: right; font-variant-numeric: tabular-nums; }}
</style></head>
<body>
<section class="cover"><h1>{html.escape(cover.council)}</h1>
<p class="title">{html.escape(cover.title)}</p>
<p>{html.escape(cover.figures)}</p><p>{html.escape(cover.made)}</p>{sample}</section>
<section class="contents"><h2>Indhold</h2><ol>
{chr(10).join(items)}
</ol></section>
</body></html>"""


def _technical_blocks(fragment: str) -> list[str]:
    """The technical documentation's blocks as HTML: each paragraph, with the list that follows it."""
    soup = BeautifulSoup(fragment, "html.parser")
    blocks: list[str] = []
    for node in soup.contents:
        if not isinstance(node, Tag):
            continue
        if node.name in ("ul", "ol") and blocks:
            blocks[-1] += str(node)
        else:
            blocks.append(str(node))
    return blocks


def technical_annex_html(title: str, reports: Sequence[tuple[str, str]]) -> str:
    """The book's annex with every report's technical documentation (``reports``: title, HTML), as a page to
    print: what all reports share (code version, data files …) once, then what is each report's own."""
    blocked = [(name, _technical_blocks(fragment)) for name, fragment in reports if fragment]
    shared = [b for b in blocked[0][1] if all(b in blocks for _, blocks in blocked)] if len(blocked) > 1 else []
    parts = [f"<h1>{html.escape(TECHNICAL_TITLE)}</h1>"]
    parts.append(
        "<p>Hvilke filer og hvilken version af programmet hver rapports tal er lavet med (med filernes "
        "SHA-256), så enhver kan genskabe dem.</p>"
    )
    if shared:
        parts.append("<section><h2>Fælles for alle rapporterne</h2>" + "".join(shared) + "</section>")
    for name, blocks in blocked:
        own = [b for b in blocks if b not in shared]
        if own:
            parts.append(f"<section><h2>{html.escape(name)}</h2>" + "".join(own) + "</section>")
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>{html.escape(TECHNICAL_TITLE)}</title>
<style>
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm;
  @top-left {{ content: {css_string(title)}; font-size: 8pt; color: #444; font-family: 'DejaVu Sans', sans-serif; }} }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #111; overflow-wrap: anywhere; }}
h1 {{ font-size: 16pt; margin: 0 0 4mm; }}
h2 {{ font-size: 10pt; margin: 4mm 0 1mm; break-after: avoid; }}
p {{ margin: 0.8mm 0; }}
ul {{ margin: 0.5mm 0 1mm; padding-left: 5mm; }}
section {{ break-inside: avoid; }}
</style></head><body>{"".join(parts)}</body></html>"""


def assemble_book(
    jobs: Sequence[PrintPage],
    printed: Sequence[Printed],
    cover: BookCover,
    target: Path,
    work: Path,
    site_url: str | None = None,
) -> Path:
    """The book's PDF: cover, contents with page numbers, every report's pages before its annexes, in the parts
    of the book, and one annex with every report's technical documentation; "Side N af M" on every page but
    the cover; bookmarks part > report > heading; links between its pages working (:func:`relink`)."""
    parts: list[tuple[str, list[tuple[PrintPage, Printed]]]] = []
    for job, done in zip(jobs, printed, strict=True):
        if not parts or parts[-1][0] != job.part:
            parts.append((job.part, []))
        parts[-1][1].append((job, done))
    work.mkdir(parents=True, exist_ok=True)
    with printing():  # the annex and the front matter (printed until its length holds) in one Chromium
        annex_pdf, front_pdf = _print_front_and_annex(jobs, printed, parts, cover, work)
    writer = PdfWriter()
    for front_page in PdfReader(front_pdf).pages:
        writer.add_page(front_page)
    placed: list[Placed] = []
    for _caption, reports in parts:
        for job, done in reports:
            placed.append(_add_printed(writer, done, job.page, done.body_pages))
    annex_start = len(writer.pages)
    if annex_pdf is not None:
        for annex_page in PdfReader(annex_pdf).pages:
            writer.add_page(annex_page)
    total = len(writer.pages)
    _stamp_pages(writer, [None, *[f"Side {n + 1} af {total}" for n in range(1, total)]])
    relink(writer, placed, site_url)
    writer.add_outline_item(title="Indhold", page_number=1)
    n = 0
    for caption, reports in parts:
        part_item = writer.add_outline_item(title=caption, page_number=placed[n].first)
        for job, done in reports:
            item = writer.add_outline_item(title=job.title, page_number=placed[n].first, parent=part_item)
            body_marks = [m for m in done.bookmarks if m.page < done.body_pages]
            _add_bookmarks(writer, body_marks, placed[n], item, skip_title=True)
            n += 1
    if annex_pdf is not None:
        writer.add_outline_item(title=TECHNICAL_TITLE, page_number=annex_start)
    writer.add_metadata({"/Title": f"{cover.council}: {cover.title}"})
    writer.page_mode = "/UseOutlines"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        writer.write(stream)
    return target


def _print_front_and_annex(
    jobs: Sequence[PrintPage],
    printed: Sequence[Printed],
    parts: Sequence[tuple[str, Sequence[tuple[PrintPage, Printed]]]],
    cover: BookCover,
    work: Path,
) -> tuple[Path | None, Path]:
    """The technical annex (if any report has one) and the front matter, printed: the contents' page numbers
    depend on the front matter's own length, so it is printed again until that holds."""
    annex_pdf: Path | None = None
    if any(done.technical for done in printed):
        annex_html = work / "teknisk.html"
        annex_html.write_text(
            technical_annex_html(TECHNICAL_TITLE, [(j.title, d.technical) for j, d in zip(jobs, printed, strict=True)]),
            encoding="utf-8",
        )
        annex_pdf = print_to_pdf(annex_html, work / "teknisk.pdf")
    front_pdf = work / "forside.pdf"
    front_pages = 2  # a guess: the cover and one page of contents; printed again if it is wrong
    for _ in range(3):
        numbers: list[tuple[str, Sequence[tuple[str, int]]]] = []
        page = front_pages + 1
        for caption, reports in parts:
            listed = []
            for job, done in reports:
                listed.append((job.title, page))
                page += len([n for n in range(done.body_pages) if n not in done.blank]) or 1
            numbers.append((caption, listed))
        annexes = [(TECHNICAL_TITLE, page)] if annex_pdf is not None else []
        front = work / "forside.html"
        front.write_text(front_matter_html(cover, numbers, annexes), encoding="utf-8")
        print_to_pdf(front, front_pdf)
        printed_front = len(PdfReader(front_pdf).pages)
        if printed_front == front_pages:
            break
        front_pages = printed_front
    else:
        raise PdfError("bogens indholdsfortegnelse skifter længde, hver gang den udskrives")
    return annex_pdf, front_pdf


def format_size(size: int) -> str:
    """A file's size in Danish: "840 kB", "1,2 MB"."""
    from councilbook.core.formats import format_number

    if size < 1_000_000:
        return f"{format_number(max(size / 1000, 1))} kB"
    return f"{format_number(size / 1_000_000, 1)} MB"


def link_report_pdfs(html_dir: Path, jobs: Sequence[PrintPage], printed: Sequence[Printed]) -> None:
    """Put a link to each report's own PDF (with its pages and size) under the report's title on its page."""
    for job, done in zip(jobs, printed, strict=True):
        page_file = html_dir / job.page
        pdf_file = html_dir / job.pdf
        text = page_file.read_text(encoding="utf-8")
        pages = "1 side" if done.pages == 1 else f"{done.pages} sider"
        link = (
            f'<p class="cb-report-pdf">Rapporten som PDF: <a href="{html.escape(Path(job.pdf).name)}">'
            f"{html.escape(Path(job.pdf).name)}</a> ({pages}, {format_size(pdf_file.stat().st_size)})</p>"
        )
        start = text.find("<article")
        end = text.find("</h1>", max(start, 0))
        if start >= 0 and end >= 0:
            at = end + len("</h1>")
            page_file.write_text(text[:at] + link + text[at:], encoding="utf-8")


def make_pdfs(
    html_dir: Path,
    jobs: Sequence[PrintPage],
    cover: BookCover,
    cache: Path,
    book_pdf: Path,
    work: Path,
    workers: int = 2,
    force: bool = False,
    site_url: str | None = None,
) -> tuple[Path, int]:
    """Print (or take from the cache) every report page, write each report's own PDF beside its page and link
    it, and assemble the book's PDF at ``book_pdf``; ``force`` prints every page again. Returns the book's PDF
    and how many pages were printed."""
    printed, fresh = print_pages(html_dir, jobs, cache, workers, force, own_pdfs=True, site_url=site_url)
    for job, done in zip(jobs, printed, strict=True):
        shutil.copyfile(own_pdf(done), html_dir / job.pdf)
    assemble_book(jobs, printed, cover, book_pdf, work, site_url)
    link_report_pdfs(html_dir, jobs, printed)
    prune_prints(cache, keep={p.pdf for p in printed})
    shutil.rmtree(work, ignore_errors=True)
    return book_pdf, fresh
