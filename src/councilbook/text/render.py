"""The render layer: a report's blocks, its page parts and the members' pack become HTML through Jinja2 templates
and stylesheets that are files of the package (``councilbook/templates/``), the same for the notebooks (the
book's pages and so their print copy), the pack and any later page (a members' web page).

Autoescape is on: every value a template prints is escaped unless it is markup councilbook made (``Markup``, a
macro's output). Values are escaped as :func:`html.escape` does (``&quot;``, ``&#x27;``), so the HTML reads as
it did before the templates. The layer knows the blocks and reports by their fields only: a block asks it for
its HTML (:mod:`councilbook.text.blocks`), so nothing here imports a higher stage.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markdown_it import MarkdownIt
from markupsafe import Markup

from councilbook.core.links import link_addresses, page_link
from councilbook.core.prose import inline_html, prose_html, safe_markdown

TEMPLATES = "templates"  # the folder of the package that holds the templates and stylesheets


def _escaped(value: Any) -> Any:
    """What a template prints: markup as it is, anything else escaped as :func:`html.escape` escapes."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("councilbook", TEMPLATES),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["figures"] = unbroken_figures
    # Links to the book's pages as text, for a document of its own (the pack): core.links.link_addresses.
    env.filters["book_links"] = lambda markup: Markup(link_addresses(str(markup), "", {}))
    env.tests["markdown"] = lambda block: hasattr(block, "_repr_markdown_")
    env.globals |= {
        "page_link": lambda page, text: Markup(page_link(page, text)),
        "markdown": markdown_html,
        "block_html": lambda block: Markup(block._repr_html_()),
        "prose_html": lambda text: Markup(prose_html(text)),
        "inline_html": lambda text: Markup(inline_html(text)),
    }
    return env


def template(name: str) -> Template:
    return environment().get_template(name)


def macros(name: str) -> Any:
    """A template's macros, by name: ``macros("blocks.html.j2").table(...)``."""
    return template(name).module


def render(name: str, **context: Any) -> str:
    """The template ``name`` rendered with ``context``, as a plain string."""
    return str(template(name).render(**context))


def stylesheet(name: str) -> str:
    """A stylesheet of the package (``pack.css``), as text to inline in a page; its opening comment, which says
    what the file is for, is left out."""
    text = files("councilbook").joinpath(TEMPLATES, name).read_text(encoding="utf-8")
    if text.startswith("/*"):
        text = text[text.index("*/") + 2 :].lstrip("\n")
    return text


_FIGURE = re.compile(r"[+\-±]?\d[\d.,]*(?:\u00a0%| pct\.-point)")


def unbroken_figures(text: str) -> Markup:
    """Text escaped, each figure with its unit kept on one line: "+0,7 pct.-point" never breaks at its hyphen."""
    return Markup(_FIGURE.sub(lambda m: f'<span class="cb-figure">{m.group(0)}</span>', html.escape(text)))


# The reports' Markdown, already made safe (prose.safe_markdown), rendered with raw HTML off all the same.
_markdown = MarkdownIt("commonmark", {"html": False})


def markdown_html(block: Any) -> Markup:
    """A report's Markdown (a :class:`~councilbook.text.blocks.Markdown`, or its text) as HTML outside the book (the
    pack): the block's ``notice`` (councilbook's own HTML) first, then its text, which can hold no raw HTML."""
    text, notice = (block, "") if isinstance(block, str) else (block.text, block.notice)
    return Markup(notice + _markdown.render(safe_markdown(text)))
