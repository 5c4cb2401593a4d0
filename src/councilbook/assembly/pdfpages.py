"""What every printed councilbook PDF shares: bookmarks titled from the page's headings, page stamps, and links
that work inside a PDF merged from printed pages (:func:`site_addressed_links`, :func:`relink`).

Chromium makes bookmarks from a page's headings but glues the words at a line break ("medtemadrøftelse"):
the titles are taken from the HTML (:func:`heading_texts`) instead. Page numbers are stamped on after a
merge (:func:`page_stamps`), so that they count every page of the merged document.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from posixpath import dirname, join, normpath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    Destination,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    TextStringObject,
)

from councilbook.assembly.pdf import PdfError


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based, in the printed pack
    level: int


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class _TrailerCount(logging.Filter):
    """Chromium's trailer counts fewer objects than pypdf finds when it copies a printed page: pypdf's warning
    about it tells the person building about nothing they can act on (and in English). Pages are printed side by
    side, so a filter, not a level set and reset around each copy."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Object count")


logging.getLogger("pypdf._writer").addFilter(_TrailerCount())


def heading_texts(page: str) -> list[str]:
    """The headings of an HTML page as text, in order: Chromium's bookmarks glue the words at a line break
    ("medtemadrøftelse"), so the bookmarks take their titles from here."""
    return [" ".join(html.unescape(_TAG.sub(" ", m.group(2))).split()) for m in _HEADING.finditer(page)]


def read_bookmarks(pdf: Path, titles: Sequence[str] | None = None) -> list[Bookmark]:
    """The printed pack's bookmarks in document order, with their page and depth; with ``titles`` (the
    page's :func:`heading_texts`, one for each bookmark), titled from them."""
    reader = PdfReader(pdf)
    found: list[Bookmark] = []

    def walk(items: Sequence[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item)
                if page is not None:
                    found.append(Bookmark(" ".join(str(item.title).split()), page, level))

    walk(reader.outline, 0)
    if titles is not None:
        if len(titles) != len(found):
            raise PdfError(f"den trykte pakke har {len(found)} bogmærker, men siden har {len(titles)} overskrifter")
        found = [Bookmark(title, b.page, b.level) for title, b in zip(titles, found, strict=True)]
    return found


def page_stamps(labels: list[str]) -> PdfReader:
    """One A4 page for each label, with the label at the foot on the right, as a PDF to lay over the pages."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer) as pages:
        for label in labels:
            figure = plt.figure(figsize=(594.96 / 72, 841.92 / 72))
            figure.patch.set_alpha(0)
            figure.text(
                1 - 14 / 210,
                9 / 297,
                label,
                ha="right",
                va="baseline",
                fontsize=8,
                color="#444444",
                family="DejaVu Sans",
            )
            pages.savefig(figure, transparent=True)
            plt.close(figure)
    buffer.seek(0)
    return PdfReader(buffer)


# ---------------------------------------------------------------------------------------------------------
# Links: Chromium writes a link to another page as the URI it resolves to (a file on the build machine,
# ``file:///…``, for a relative link) and a link within the page as a named destination, which a merge of pages
# loses. Before printing, links to the site's other pages get the site's own origin (:func:`site_addressed_links`,
# so a cached print names no folder, and no printed PDF has to be rewritten);
# in a PDF made of printed pages, :func:`relink` turns every link to a page it holds into a link inside the
# PDF, and every other link to the site into the published address (or removes it).
# ---------------------------------------------------------------------------------------------------------

_KEPT_SCHEMES = ("http", "https", "mailto", "tel")


def _link_annotations(page: Any) -> list[Any]:
    return [a.get_object() for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]


# The origin a print copy's links to other pages of the site are written with (:func:`site_addressed_links`):
# Chromium writes them into the PDF as they are, so a cached print names no folder of the machine that printed
# it, and :func:`relink` knows them for the site's own. ``.invalid`` is never a real host.
SITE_ORIGIN = "https://councilbook-site.invalid"
_ANCHOR_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")', re.IGNORECASE)


def site_addressed_links(copy: str, page: str) -> str:
    """The print copy of the site's page ``page`` (``generated/meetings/2013-05-29.html``) with every link to
    another file of the site written as :data:`SITE_ORIGIN` + its address from the site's root
    (``…/metode.html#x``); a link out of the site gets the origin alone (removed later, :func:`relink`). Links
    within the page (``#x``) and to other sites stay as they are."""

    def address(found: re.Match[str]) -> str:
        href = html.unescape(found.group(2))
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return found.group(0)
        path = normpath(join(dirname(page), parts.path)) if not parts.path.startswith("/") else parts.path[1:]
        inside = "" if path == ".." or path.startswith("../") else path
        if inside:
            inside += "#" + parts.fragment if parts.fragment else ""
        return found.group(1) + html.escape(f"{SITE_ORIGIN}/{inside}") + found.group(3)

    return _ANCHOR_HREF.sub(address, copy)


def _invisible(annotation: Any) -> bool:
    rect = [float(v) for v in annotation.get("/Rect") or [0, 0, 0, 0]]
    return abs(rect[2] - rect[0]) < 1.5 and abs(rect[3] - rect[1]) < 1.5


@dataclass(frozen=True)
class Anchor:
    """A named destination of a printed page: its page (0-based, in the printed page) and position."""

    page: int
    left: float | None
    top: float | None


def named_anchors(reader: PdfReader) -> dict[str, Anchor]:
    """The named destinations Chromium wrote for a page's ids (``jc-roskilde`` …)."""
    found: dict[str, Anchor] = {}
    for name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        if page is None or page < 0:
            continue
        left = dest.get("/Left")
        top = dest.get("/Top")
        found[str(name).lstrip("/")] = Anchor(
            page, float(left) if left is not None else None, float(top) if top is not None else None
        )
    return found


@dataclass(frozen=True)
class Placed:
    """A printed page as placed in a PDF: its address in the site, where each of its kept pages went (source
    page -> page of the PDF) and its anchors."""

    page: str
    pages: dict[int, int]
    anchors: dict[str, Anchor]

    @property
    def first(self) -> int:
        return min(self.pages.values())


def _resolve(page: str, target: str) -> tuple[str, str] | None:
    """A link's target (``../x.html#a``, ``metode.html``) as (page within the site, anchor); None if it is
    not a link within the site."""

    if target.startswith(SITE_ORIGIN + "/"):
        parts = urlsplit(target)
        path = unquote(parts.path)[1:]
        return (path, unquote(parts.fragment)) if path else None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    path = normpath(join(dirname(page), unquote(parts.path))) if not target.startswith("/") else parts.path[1:]
    if path.startswith(".."):
        return None
    return path, unquote(parts.fragment)


def _held_parent(target: tuple[str, str], held: dict[str, Placed]) -> tuple[str, str]:
    """For a page the PDF does not hold (``keyfigures/2012/jc-roskilde.html``), the nearest page above it that
    it does (``keyfigures/2012.html``), at the anchor named like the page if there is one; else the target."""
    page, anchor = target
    folder = dirname(page)
    while folder:
        parent = held.get(folder + ".html")
        if parent is not None:
            stem = page.rsplit("/", 1)[-1].removesuffix(".html")
            return parent.page, stem if stem in parent.anchors else anchor
        folder = dirname(folder)
    return target


def relink(writer: Any, placed: Sequence[Placed], site_url: str | None = None) -> None:
    """Every link annotation of the PDF ``writer`` made of the ``placed`` printed pages: a link to a page it
    holds goes to the anchor's place (named destination), else to that page's first page; a link to another
    page of the site goes to ``site_url`` + its address; with no address known, to the nearest page above it
    that the PDF holds (a job centre's page to the key figures, at its row), else it is removed; links to
    other sites stay; so no link names a file."""

    by_page = {p.page: p for p in placed}

    def goto(doc: Placed, anchor: str) -> ArrayObject:
        found = doc.anchors.get(anchor) if anchor else None
        index = doc.pages.get(found.page) if found is not None else None
        if found is None or index is None:
            return ArrayObject([writer.pages[doc.first].indirect_reference, NameObject("/Fit")])
        return ArrayObject(
            [
                writer.pages[index].indirect_reference,
                NameObject("/XYZ"),
                FloatObject(found.left) if found.left is not None else NullObject(),
                FloatObject(found.top) if found.top is not None else NullObject(),
                NullObject(),
            ]
        )

    for doc in placed:
        for index in sorted(set(doc.pages.values())):
            page = writer.pages[index]
            annotations = page.get("/Annots")
            if not annotations:
                continue
            kept = ArrayObject()
            for reference in annotations:
                annotation = reference.get_object()
                if annotation.get("/Subtype") != "/Link":
                    kept.append(reference)
                    continue
                if _invisible(annotation):
                    continue  # a print's link to each of its ids, there only for its named destinations
                action = annotation.get("/A")
                action = action.get_object() if action is not None else None
                dest = annotation.get("/Dest")
                if dest is None and action is not None and action.get("/S") == "/GoTo":
                    dest = action.get("/D")
                if dest is not None:
                    if isinstance(dest, ArrayObject | list):
                        kept.append(reference)  # already explicit
                        continue
                    target: tuple[str, str] | None = (doc.page, str(dest).lstrip("/"))
                else:
                    uri = str(action.get("/URI", "")) if action is not None else ""
                    if uri.split(":", 1)[0].lower() in _KEPT_SCHEMES and ":" in uri and not uri.startswith(SITE_ORIGIN):
                        kept.append(reference)
                        continue
                    target = _resolve(doc.page, uri) if uri and not uri.startswith("file:") else None
                if target is None:
                    continue  # a file of the build machine, or nothing: removed
                other = by_page.get(target[0])
                if other is None and not site_url:
                    target = _held_parent(target, by_page)
                    other = by_page.get(target[0])
                if other is not None:
                    annotation[NameObject("/Dest")] = goto(other, target[1])
                    if "/A" in annotation:
                        del annotation["/A"]
                    kept.append(reference)
                elif site_url:
                    address = site_url.rstrip("/") + "/" + quote(target[0]) + (f"#{target[1]}" if target[1] else "")

                    annotation[NameObject("/A")] = DictionaryObject(
                        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(address)}
                    )
                    if "/Dest" in annotation:
                        del annotation["/Dest"]
                    kept.append(reference)
            page[NameObject("/Annots")] = kept
