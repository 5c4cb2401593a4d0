"""A Sphinx extension for a book that loads nothing from other hosts and logs no errors.

Jupyter Book always loads sphinx-thebe, which puts a script naming a CDN (``THEBE_JS_URL``)
into every page, twice, so browsers log "Identifier 'THEBE_JS_URL' has already been
declared". The book has no live code (launch buttons are off), so the thebe scripts are
dropped from every page. Listed in ``_config.yml`` under ``sphinx.extra_extensions``.

sphinx-book-theme also puts each page's title, as plain text, unescaped into the page's print
header (``context["pagetitle"] = title.astext()``): a title is text (a council's name, an
evaluation's title), so it is escaped here; so is the book's title in the search page's
``<title>``, which pydata-sphinx-theme writes as ``{{ title or docstitle }}``.

Light pages (:func:`lighten`, when the build has finished): pydata-sphinx-theme loads Font Awesome's SVG
script (``fontawesome.js``, 1.5 MB) on every page although its stylesheet already draws every icon with
Font Awesome's web font; the script goes (the icons still show, from the font). Every stylesheet of the
theme and its extensions keeps only the rules that can match something: a rule is dropped when a class or
id it needs is neither a class or id of the site's pages nor a word of its scripts. So a page loads a few
hundred kB of CSS/JS instead of 2.2 MB; and the stylesheets (part of every print's key) change only when
the pages' markup does, not their text.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path
from typing import Any

DROPPED_SCRIPTS = ("fontawesome.js",)  # its icons are drawn by the theme's stylesheet and web font
OWN_STYLES = ("councilbook.css", "councilbook-print.css", "councilbook-icons.css")  # ours: kept whole
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CLASS_OR_ID = re.compile(r"""\b(?:class|id)\s*=\s*["']([^"']*)["']""")
_NAMES = re.compile(r"([.#])((?:[\w-]|\\.)+)")


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


def _split_selectors(prelude: str) -> list[str]:
    """A rule's selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _outside_brackets(selector: str) -> str:
    """The selector without what stands in parentheses (``:not(.x)``, ``:is(…)``) and attribute brackets."""
    out, depth = [], 0
    for char in selector:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def may_match(selector: str, words: set[str]) -> bool:
    """False only if the selector needs a class or id named nowhere in ``words`` (the site's words)."""
    return all(name in words for _, name in _NAMES.findall(_outside_brackets(selector)))


def purge_css(css: str, words: set[str]) -> str:
    """The stylesheet with only the rules that may match something (:func:`may_match`); at-rules other than
    ``@media``/``@supports``/``@layer``/``@container`` blocks (fonts, keyframes, …) are kept whole."""
    import tinycss2

    def keep(rules: list[Any]) -> str:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if may_match(s, words)]
                if selectors:
                    out.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule":
                grouping = rule.lower_at_keyword in ("media", "supports", "layer", "container")
                if grouping and rule.content is not None:
                    inner = keep(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                    if inner:
                        out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
                else:
                    out.append(tinycss2.serialize([rule]))
        return "".join(out)

    return keep(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


_DROPPED_TAG = re.compile(
    r"[ \t]*<(?:script|link)\b[^>]*(?:" + "|".join(re.escape(n) for n in DROPPED_SCRIPTS) + r")[^>]*>(?:</script>)?\n?"
)


def purged(css: str, words: set[str], cache: Path | None) -> tuple[str, Path | None]:
    """:func:`purge_css`, kept in ``cache`` (a folder) by the key of the stylesheet and the site's words: Sphinx
    copies the theme's stylesheets anew at every build, and a build that adds a page seldom adds a word. The
    purged stylesheet and the file that keeps it."""
    if cache is None:
        return purge_css(css, words), None
    key = hashlib.sha256(css.encode("utf-8") + b"\0" + "\n".join(sorted(words)).encode("utf-8")).hexdigest()
    kept = cache / f"{key}.css"
    if kept.is_file():
        return kept.read_text(encoding="utf-8"), kept
    result = purge_css(css, words)
    cache.mkdir(parents=True, exist_ok=True)
    scratch = kept.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_text(result, encoding="utf-8")
    scratch.replace(kept)
    return result, kept


def lighten_site(out: Path, cache: Path | None = None) -> None:
    """Drop :data:`DROPPED_SCRIPTS` from every page (and the site), and purge every stylesheet of the theme
    and its extensions of rules that match nothing in the site (:func:`purge_css`; with ``cache``, a folder that
    keeps what was purged for the next build, :func:`purged`)."""
    pages = list(out.rglob("*.html"))
    words: set[str] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lighter = _DROPPED_TAG.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
        for names in _CLASS_OR_ID.findall(lighter):  # not the text: a new page's words never change the CSS
            words.update(_WORD.findall(names))
    static = out / "_static"
    for name in DROPPED_SCRIPTS:
        for dropped in static.rglob(f"{name}*"):
            dropped.unlink()
    for script in static.rglob("*.js"):
        words.update(_WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    used: set[Path] = set()
    for sheet in static.rglob("*.css"):
        if sheet.name in OWN_STYLES:
            continue
        text, kept = purged(sheet.read_text(encoding="utf-8"), words, cache)
        sheet.write_text(text, encoding="utf-8")
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
        if kept is not None:
            used.add(kept)
    if cache is not None and cache.is_dir():
        for old in cache.iterdir():  # only this build's are kept
            if old not in used:
                old.unlink()


def lighten(app: Any, exception: Exception | None) -> None:
    if exception is None and getattr(app.builder, "format", "") == "html":
        # The purged stylesheets are kept beside Sphinx's environment, which a build from scratch starts anew.
        lighten_site(Path(app.outdir), cache=Path(app.doctreedir) / "councilbook-css")


def every_page(_app: Any, env: Any) -> list[str]:
    """Every page is written at every build, not only those read again: a page added or renamed changes the
    navigation on every page, and a page's links take the titles of others. So a build that reads only what
    changed (:func:`book.run_sphinx`) writes what a build from scratch writes."""
    return sorted(env.found_docs)


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-get-updated", every_page)
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    app.connect("html-page-context", escape_page_title, priority=900)
    app.connect("build-finished", lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
