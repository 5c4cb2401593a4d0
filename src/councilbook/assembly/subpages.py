"""Pages of their own: a report's sections marked as pages (a job centre's page in the key figures) become pages
of the book under the report's page, and links to a page (``cb-page:<id>``) get its address.

A report shows such a section between :data:`~councilbook.reports.model.PAGE_START` and ``PAGE_END`` markers.
After the reports ran, :func:`split_pages` moves what lies between the markers out of the executed notebook into
a notebook of its own, ``<report>/<page>.ipynb`` beside the report's (its heading the page's title), and the
table of contents lists those pages under the report (:func:`add_to_toc`). :func:`resolve_page_links` then writes
every ``cb-page:`` link's address relative to the page it is on; a page id that several reports have (the job
centre's page in each edition of the key figures) means the first in book order, the newest; a link to a page
the book does not have becomes its bare text.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from councilbook.assembly.execute import TITLE_TAG
from councilbook.core.collation import danish_order
from councilbook.core.links import PAGE_SCHEME, link_addresses
from councilbook.reports.model import PAGE_END

_START = re.compile(r'<div class="cb-page-start" data-page="(?P<page>[^"]+)" hidden></div>')
_HEADING = re.compile(r"^(?P<hashes>#{2,6})\s+(?P<title>.+)$", re.MULTILINE)
# The book's own pages a report may link (``cb-page:metode``), relative to the generated folder.
BOOK_PAGES = {"metode": "../metode", "om": "../om"}
# In the generated folder: "addresses" (page id -> its page, without suffix; the first in book order) and
# "pages" (a report's page -> its pages of their own, in Danish alphabetical order of their titles).
PAGES_FILE = "_pages.json"


@dataclass(frozen=True)
class SubPage:
    id: str
    file: str  # relative to the generated folder, without suffix ("keyfigures/2012/jc-roskilde")
    title: str  # plain text
    parent: str  # the report's page, relative to the generated folder, without suffix


def _text(output: Mapping[str, Any]) -> str:
    data = output.get("data", {})
    return str(data.get("text/html", "") or data.get("text/markdown", ""))


def _title_of(outputs: list[Any]) -> tuple[str, list[Any]]:
    """The page's title (Markdown, the section's heading) and its outputs without the heading."""
    for index, output in enumerate(outputs):
        markdown = output.get("data", {}).get("text/markdown", "")
        found = _HEADING.search(markdown) if markdown else None
        if found:
            return found.group("title").strip(), outputs[:index] + outputs[index + 1 :]
    raise ValueError("en side uden overskrift")


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def split_pages(notebook: Path, generated: Path) -> list[SubPage]:
    """Move each page marked in ``notebook`` into a notebook of its own beside it; return the pages in the
    order the report shows them. A notebook without pages is left as it is."""
    nb = nbformat.read(notebook, as_version=4)
    if not any(_START.search(_text(o)) for c in nb.cells for o in c.get("outputs", [])):
        return []
    parent = notebook.relative_to(generated).with_suffix("").as_posix()
    pages: list[SubPage] = []
    for cell in nb.cells:
        kept: list[Any] = []
        current: tuple[str, list[Any]] | None = None
        for output in cell.get("outputs", []):
            text = _text(output)
            start = _START.search(text)
            if start:
                current = (html.unescape(start.group("page")), [])
            elif current is not None and text.strip() == PAGE_END:
                page_id, outputs = current
                pages.append(_write_page(nb, cell, page_id, outputs, notebook, parent))
                current = None
            elif current is not None:
                current[1].append(output)
            else:
                kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    nbformat.write(nb, notebook)
    return pages


def _write_page(
    nb: nbformat.NotebookNode, cell: Any, page_id: str, outputs: list[Any], notebook: Path, parent: str
) -> SubPage:
    title, body = _title_of(outputs)
    page = copy.deepcopy(nb)
    heading = nbformat.v4.new_markdown_cell(f"# {title}", metadata={"tags": [TITLE_TAG]})
    heading.id = TITLE_TAG
    shown = copy.deepcopy(cell)
    shown.outputs = body
    shown.id = "page"
    page.cells = [heading, shown]
    page.metadata.setdefault("councilbook", {})["page_of"] = parent
    target = notebook.with_suffix("") / f"{page_id}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(page, target)
    return SubPage(id=page_id, file=f"{parent}/{page_id}", title=_plain(title), parent=parent)


def split_all(generated: Path, outputs: Iterable[str]) -> list[SubPage]:
    """Split every report (``outputs``: the notebooks in book order) and record the pages' addresses for
    :func:`resolve_page_links` (the first report in book order that has a page id gives its address)."""
    pages = [page for output in outputs for page in split_pages(generated / output, generated)]
    addresses: dict[str, str] = dict(BOOK_PAGES)
    for page in pages:
        addresses.setdefault(page.id, page.file)
    by_parent: dict[str, list[str]] = {}
    for page in sorted(pages, key=lambda p: danish_order(p.title)):
        by_parent.setdefault(page.parent, []).append(page.file)
    record = {"addresses": addresses, "pages": by_parent}
    (generated / PAGES_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return pages


def _read(generated: Path) -> dict[str, dict]:
    path = generated / PAGES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def read_addresses(generated: Path) -> dict[str, str]:
    return dict(_read(generated).get("addresses", {}))


def read_pages(generated: Path) -> dict[str, list[str]]:
    """Each report's pages of their own (report's page -> pages, without suffix, relative to the generated
    folder), in the order the table of contents lists them."""
    return dict(_read(generated).get("pages", {}))


def resolve_page_links(generated: Path, addresses: Mapping[str, str]) -> None:
    """Write the pages' addresses into every notebook in ``generated`` (reports and their pages)."""
    for notebook in sorted(generated.rglob("*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        here = notebook.parent.relative_to(generated).as_posix()
        changed = False
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                for mime in ("text/html", "text/markdown"):
                    text = output.get("data", {}).get(mime)
                    if isinstance(text, str) and PAGE_SCHEME in text:
                        output["data"][mime] = link_addresses(text, here, addresses)
                        changed = True
        if changed:
            nbformat.write(nb, notebook)


def add_to_toc(toc: Path, pages: Iterable[SubPage]) -> None:
    """List each report's pages under its chapter in the table of contents, in Danish alphabetical order."""
    by_parent: dict[str, list[SubPage]] = {}
    for page in pages:
        by_parent.setdefault(f"generated/{page.parent}", []).append(page)
    if not by_parent:
        return
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    for part in data.get("parts", []):
        for chapter in part.get("chapters", []):
            own = by_parent.get(chapter.get("file", ""))
            if own:
                chapter["sections"] = [
                    {"file": f"generated/{p.file}", "title": p.title}
                    for p in sorted(own, key=lambda p: danish_order(p.title))
                ]
    toc.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
