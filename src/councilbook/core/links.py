"""Links to pages of the book whose address only the build knows: a report links a page by its id
(``cb-page:jc-roskilde``), and the build writes the page's address in its place
(:mod:`councilbook.build.subpages`), or the bare text where the book has no such page."""

from __future__ import annotations

import html

PAGE_SCHEME = "cb-page:"


def page_link(page: str, text: str, css: str = "") -> str:
    """A link (HTML) to the page ``page`` of the book, wherever the build puts it; ``text`` is escaped."""
    attrs = f' class="{html.escape(css)}"' if css else ""
    return f'<a href="{PAGE_SCHEME}{html.escape(page)}"{attrs}>{html.escape(text)}</a>'


def jobcentre_page(jobcentre_id: str) -> str:
    """The id of a job centre's own page (in the key figures)."""
    return f"jc-{jobcentre_id}"
