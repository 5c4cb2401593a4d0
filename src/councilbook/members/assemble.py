"""A members' pack as one PDF: the printed pack with its attachments merged in after their items, page
numbers "Side N af M" on every page, and bookmarks nested by heading with the attachments under their item.

The pack is printed by Chromium (its headings become the first bookmarks); attachments that are not PDF
are converted with LibreOffice headless. The page numbers are stamped on afterwards, so that they count
the attachments' pages too, and the agenda's page references are the pages of the merged PDF
(:func:`plan_pages` works them out from the printed pack and the attachments' page counts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import IndirectObject

from councilbook.assembly.pdf import PdfError
from councilbook.assembly.pdfpages import Bookmark, heading_texts, page_stamps, read_bookmarks
from councilbook.core.errors import StepFailed

__all__ = ["Bookmark", "heading_texts", "read_bookmarks"]  # the pack reads them from here


class AttachmentError(StepFailed):
    """An attachment could not be turned into PDF pages."""


def find_libreoffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise AttachmentError(
        "LibreOffice blev ikke fundet; det skal til for at lægge Word- og Excel-bilag i pakken. "
        "Installér det (Debian: libreoffice-writer-nogui og libreoffice-calc-nogui) eller kør make system-deps."
    )


def attachment_as_pdf(source: Path, workdir: Path, timeout: int = 180) -> Path:
    """The attachment as PDF: a PDF as it is, anything else converted by LibreOffice into ``workdir``."""
    if source.suffix.lower() == ".pdf":
        return source
    office = find_libreoffice()
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="councilbook-lo-") as profile:
        try:
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(workdir),
                    str(source),
                ],
                check=False,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "HOME": profile},
            )
        except subprocess.TimeoutExpired:
            raise AttachmentError(f"{source.name}: LibreOffice blev ikke færdig med at omsætte filen til PDF") from None
    converted = workdir / (source.stem + ".pdf")
    if not converted.is_file() or converted.stat().st_size == 0:
        raise AttachmentError(f"{source.name}: LibreOffice kunne ikke omsætte filen til PDF; åbn og gem den igen")
    return converted


@dataclass(frozen=True)
class Insert:
    """PDF pages put into the pack after one of its pages."""

    after_heading: str  # the heading (as the printed pack's bookmark) the pages belong to
    next_heading: str | None  # the heading after it: the pages go before its page
    label: str  # "Bilag 2.1"
    title: str  # the bookmark: "Bilag 2.1: Notat om ..."
    pdf: Path


def _page_of(bookmarks: list[Bookmark], heading: str) -> int:
    wanted = " ".join(heading.split())
    for bookmark in bookmarks:
        if bookmark.title == wanted:
            return bookmark.page
    raise PdfError(f"overskriften «{heading}» blev ikke fundet i den trykte pakke")


def insert_points(bookmarks: list[Bookmark], inserts: Sequence[Insert], pages: int) -> list[int]:
    """For each insert, the printed pack's page it goes after (0-based)."""
    points = []
    for insert in inserts:
        end = _page_of(bookmarks, insert.next_heading) - 1 if insert.next_heading else pages - 1
        points.append(max(end, _page_of(bookmarks, insert.after_heading)))
    return points


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def _layout(points: Sequence[int], counts: Sequence[int], pages: int) -> tuple[list[int], list[int]]:
    """Where each printed page and each insert's first page go in the merged PDF (0-based): every insert
    right after the printed page it belongs to, inserts after the same page in their order."""
    merged: list[int] = []
    starts = [0] * len(points)
    position = 0
    for page in range(pages):
        merged.append(position)
        position += 1
        for i in range(len(points)):
            if points[i] == page:
                starts[i] = position
                position += counts[i]
    return merged, starts


def plan_pages(
    bookmarks: list[Bookmark], inserts: Sequence[Insert], pages: int
) -> tuple[dict[str, int], dict[str, int], int]:
    """The merged PDF's page numbers (from 1): of every heading, of every insert's first page, and in all;
    as :func:`assemble_pack` lays the pages out (:func:`_layout`)."""
    counts = [page_count(i.pdf) for i in inserts]
    merged, starts = _layout(insert_points(bookmarks, inserts, pages), counts, pages)
    headings = {b.title: merged[b.page] + 1 for b in bookmarks}
    return headings, {i.label: start + 1 for i, start in zip(inserts, starts, strict=True)}, pages + sum(counts)


def assemble_pack(printed: Path, inserts: Sequence[Insert], output: Path, titles: Sequence[str] | None = None) -> Path:
    """Merge the attachments into the printed pack, stamp "Side N af M" on every page (and the attachment's
    label on its pages), and write bookmarks: the pack's headings with each attachment under its item."""
    reader = PdfReader(printed)
    bookmarks = read_bookmarks(printed, titles)
    attachments = [PdfReader(i.pdf) for i in inserts]
    merged, starts = _layout(
        insert_points(bookmarks, inserts, len(reader.pages)), [len(a.pages) for a in attachments], len(reader.pages)
    )
    total = len(reader.pages) + sum(len(a.pages) for a in attachments)
    placed: list[tuple[int, Any, str]] = [(merged[n], page, "") for n, page in enumerate(reader.pages)]
    for insert, attachment, start in zip(inserts, attachments, starts, strict=True):
        placed += [(start + n, page, insert.label) for n, page in enumerate(attachment.pages)]
    placed.sort(key=lambda entry: entry[0])
    writer = PdfWriter()
    for _, page, _label in placed:
        writer.add_page(page)
    stamps = page_stamps(
        [
            (f"{label} · " if label else "") + f"Side {index + 1} af {total}"
            for index, (_, _, label) in enumerate(placed)
        ]
    )
    for index, page in enumerate(writer.pages):
        box = page.mediabox
        dx = float(box.right) - 594.96
        page.merge_transformed_page(stamps.pages[index], Transformation().translate(dx, float(box.bottom)))
    parents: dict[int, IndirectObject] = {}
    for bookmark in bookmarks:
        parent = parents.get(bookmark.level - 1) if bookmark.level else None
        item = writer.add_outline_item(title=bookmark.title, page_number=merged[bookmark.page], parent=parent)
        parents[bookmark.level] = item
        for i, insert in enumerate(inserts):
            if " ".join(insert.after_heading.split()) == bookmark.title:
                writer.add_outline_item(title=insert.title, page_number=starts[i], parent=item)
    writer.page_mode = "/UseOutlines"
    with output.open("wb") as stream:
        writer.write(stream)
    return output
