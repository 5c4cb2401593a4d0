"""Links to pages of the book whose address only the build knows: a report links a page by its id
(``cb-page:jc-roskilde``), and the build writes the page's address in its place
(:mod:`councilbook.assembly.subpages`), or the bare text where the book has no such page."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping

PAGE_SCHEME = "cb-page:"
_LINK = re.compile(rf'<a href="{re.escape(PAGE_SCHEME)}(?P<page>[\w.-]+)"(?P<attrs>[^>]*)>(?P<text>.*?)</a>', re.DOTALL)


def page_link(page: str, text: str, css: str = "") -> str:
    """A link (HTML) to the page ``page`` of the book, wherever the build puts it; ``text`` is escaped."""
    attrs = f' class="{html.escape(css)}"' if css else ""
    return f'<a href="{PAGE_SCHEME}{html.escape(page)}"{attrs}>{html.escape(text)}</a>'


def jobcentre_page(jobcentre_id: str) -> str:
    """The id of a job centre's own page (in the key figures)."""
    return f"jc-{jobcentre_id}"


def link_addresses(text: str, here: str, addresses: Mapping[str, str]) -> str:
    """``text`` (HTML, or Markdown with raw HTML links) with every page link's address written relative to
    ``here`` (the folder of the page it is on; ``addresses`` gives each page's file without suffix, relative to
    the same root); a page not in ``addresses`` (none, outside the book: a members' pack) leaves its text."""

    def address(found: re.Match[str]) -> str:
        target = addresses.get(html.unescape(found.group("page")))
        if target is None:
            return found.group("text")
        href = os.path.relpath(f"{target}.html", here or ".").replace(os.sep, "/")
        return f'<a href="{html.escape(href)}"{found.group("attrs")}>{found.group("text")}</a>'

    return _LINK.sub(address, text) if PAGE_SCHEME in text else text
