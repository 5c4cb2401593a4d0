"""A Sphinx extension for a book that loads nothing from other hosts and logs no errors.

Jupyter Book always loads sphinx-thebe, which puts a script naming a CDN (``THEBE_JS_URL``)
into every page, twice, so browsers log "Identifier 'THEBE_JS_URL' has already been
declared". The book has no live code (launch buttons are off), so the thebe scripts are
dropped from every page. Listed in ``_config.yml`` under ``sphinx.extra_extensions``.

sphinx-book-theme also puts each page's title, as plain text, unescaped into the page's print
header (``context["pagetitle"] = title.astext()``): a title is text (a council's name, an
evaluation's title), so it is escaped here; so is the book's title in the search page's
``<title>``, which pydata-sphinx-theme writes as ``{{ title or docstitle }}``.
"""

from __future__ import annotations

import html
from typing import Any


def _is_thebe(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def escape_page_title(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if isinstance(context.get("pagetitle"), str):
        context["pagetitle"] = html.escape(context["pagetitle"])
    if pagename == "search" and not context.get("title"):
        context["title"] = html.escape(str(context.get("docstitle") or ""))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    app.connect("html-page-context", escape_page_title, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
