"""What every printed councilbook PDF shares: bookmarks titled from the page's headings, and page stamps.

Chromium makes bookmarks from a page's headings but glues the words at a line break ("medtemadrøftelse"):
the titles are taken from the HTML (:func:`heading_texts`) instead. Page numbers are stamped on after a
merge (:func:`page_stamps`), so that they count every page of the merged document.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import Destination

from councilbook.build.pdf import PdfError


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based, in the printed pack
    level: int


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


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
