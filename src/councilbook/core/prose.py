"""Text from the parameters and the data is text: shown as typed, with a small markup and nothing else.

The council's free texts (mission, vision, roles, a goal's why and actions, case texts,
recommendations, decisions, follow-ups, conclusions) may use this markup, and only this:

- paragraphs (a blank line between them) and line breaks;
- ``**bold**`` and ``*italic*``;
- lists, with ``-`` or ``1.`` at the start of a line;
- links to ``http(s)://`` and ``mailto:`` addresses: ``[text](https://…)`` or ``<https://…>``.

Everything else (HTML, MyST directives and roles, images, headings, code, tables, math) is shown
as the characters typed. Names and titles (the council's name, a job centre's, a goal's title,
a meeting's theme and place …) have no markup at all.

The texts are parsed here by markdown-it with only those rules and raw HTML off, and written out
again for each place they go: as Markdown with every ASCII punctuation character escaped (so
the MyST parser of the book sees plain text and our few constructs, never a directive or raw
HTML), as HTML (escaped by markdown-it's renderer), or as plain text (terminal, workbook,
calendar, chart labels).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

LINK_SCHEMES = ("http://", "https://", "mailto:")


def _allowed_link(url: str) -> bool:
    return url.lower().startswith(LINK_SCHEMES) and not any(c in url for c in "\n\r\t <>\"'`")


@lru_cache(maxsize=2)
def _parser(report: bool = False) -> MarkdownIt:
    """The markup of the council's texts; ``report``: also headings and code spans (the reports' own text)."""
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "list", "link", "autolink", "escape", "newline"])
    if report:
        md.enable(["heading", "backticks"])
    md.validateLink = _allowed_link  # type: ignore[method-assign]
    return md


# Runs of white space that a line may lose: not the no-break space (U+00A0) that binds a number to its unit
# ("16,7 %"), which str.split() would take for white space too.
_BREAKABLE_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` on one line: each run of breakable white space one space, none at the ends; no-break spaces kept."""
    return _BREAKABLE_SPACE.sub(" ", text).strip(" ")


def escape_markdown(text: str) -> str:
    """``text`` as a literal in Markdown (MyST too), on one line: line breaks become spaces, and every
    character that could begin a construct is backslash-escaped. Use for names and titles inside headings,
    sentences and link labels."""
    return _escape_line_start(_escape_text(one_line(str(text))))


# Characters that can begin an inline construct anywhere (emphasis, code, links, images, raw HTML and
# autolinks, entities, MyST roles and substitutions, math, tables, strikethrough, a heading's closing
# hashes) — and the escape itself.
_ALWAYS = frozenset("\\`*_{}[]<>!|~$&#")
# What begins a block construct at the start of a line: a heading, a list item, a setext underline, a
# thematic break, a colon fence, a quote, an ordered item ("1." or "1)").
_LINE_START = re.compile(r"^(\s*)([#+\-=:>]|\d+[.)])")


def _escape_text(text: str) -> str:
    return "".join("\\" + c if c in _ALWAYS else c for c in text)


def _escape_line_start(line: str) -> str:
    found = _LINE_START.match(line)
    if found is None:
        return line
    lead, marker = found.groups()
    return lead + marker[:-1] + "\\" + marker[-1] + line[found.end() :]


def _inline_markdown(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    links: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "text":
            out.append(_escape_text(token.content))
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("\\\n")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            out.append(token.markup)  # the delimiter as typed: * and _ follow different rules
        elif kind == "link_open":
            links.append(str(token.attrs.get("href", "")))
            out.append("[")
        elif kind == "link_close":
            # The address was checked (http(s)/mailto, no spaces or brackets) and is written in <…>.
            out.append(f"](<{_escape_text(links.pop())}>)")
        elif kind == "code_inline":
            out.append(_code_span(token.content))
    return "".join(out)


def _code_span(content: str) -> str:
    """A code span holding ``content`` literally: a run of backticks longer than any inside it."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or content.startswith(" ") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _inline_plain(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    href, label_start = "", 0
    for token in tokens:
        if token.type == "text":
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "link_open":
            href, label_start = str(token.attrs.get("href", "")), len(out)
        elif token.type == "link_close":
            shown = href.removeprefix("mailto:")
            if shown and shown != "".join(out[label_start:]).strip():
                out.append(f" ({shown})")
    return "".join(out)


def prose_markdown(text: str) -> str:
    """A free text as safe Markdown blocks (paragraphs and lists), ready to stand on its own lines."""
    return _write_markdown(_parser().parse(str(text)))


def safe_markdown(text: str) -> str:
    """A report's Markdown as the book may show it: headings, paragraphs, lists, bold, italic, code spans and
    http(s)/mailto links; any other construct (raw HTML, a directive, an image …) becomes its literal text.
    Every Markdown output of a report passes through this, whatever was put into it."""
    return _write_markdown(_parser(report=True).parse(str(text)))


def _write_markdown(tokens: Sequence[Token]) -> str:
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [ordered (0/1), next number]
    indents: list[str] = []  # per open list item: the indent of its content
    pending = ""  # an item's marker, until its first line is written
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            pending = "#" * int(token.tag[1:]) + " "
        elif kind == "heading_close":
            lines.append("")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            lists.append([int(ordered), int(token.attrs.get("start", 1) or 1) if ordered else 0])
            if not indents and lines and lines[-1] != "":
                lines.append("")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append("")
        elif kind == "list_item_open":
            flag, number = lists[-1]
            ordered = bool(flag)
            lists[-1][1] += flag
            outer = indents[-1] if indents else ""
            marker = f"{number}. " if ordered else "- "
            if pending:  # an item whose content starts with a list: its marker on a line of its own
                lines.append(pending.rstrip())
            pending = outer + marker
            indents.append(outer + " " * len(marker))
        elif kind == "list_item_close":
            if pending:  # an empty item
                lines.append(pending.rstrip())
                pending = ""
            indents.pop()
        elif kind == "inline":
            indent = indents[-1] if indents else ""
            first, *rest = (_escape_line_start(line) for line in _inline_markdown(token.children or []).split("\n"))
            if lines and lines[-1] != "" and not indents and not pending:
                lines.append("")
            lines.append((pending or indent) + first)
            lines.extend(indent + line for line in rest)
            pending = ""
        elif kind == "paragraph_close" and not token.hidden and not lists:
            lines.append("")
    return "\n".join(line.rstrip(" \t") for line in lines).strip("\n")


def prose_list(texts: Sequence[str]) -> str:
    """Free texts as the items of one Markdown list (a text's own paragraphs and lists inside its item)."""
    return "\n".join("- " + prose_markdown(t).replace("\n", "\n  ") for t in texts)


def labelled_markdown(label: str, text: str, bold: bool = False) -> str:
    """``*Label* text`` when the text is one paragraph; else the label, then the text's blocks."""
    mark = "**" if bold else "*"
    head = f"{mark}{escape_markdown(label)}{mark}"
    body = prose_markdown(text)
    if "\n\n" not in body and not re.match(r"(- |\d+\. )", body):
        return f"{head} {body}"
    return f"{head}\n\n{body}"


def prose_html(text: str) -> str:
    """A free text as HTML: paragraphs, lists, bold, italic and checked links; everything else escaped."""
    rendered = _parser().render(str(text))
    # Links leave the members' files for the open web: never with the page's context.
    return rendered.replace("<a href=", '<a rel="noopener noreferrer" href=')


def inline_html(text: str) -> str:
    """A free text as one line of HTML (its paragraphs joined): for a table cell or beside a label."""
    body = prose_html(text).strip()
    return re.sub(r"</p>\s*<p>", " ", body).removeprefix("<p>").removesuffix("</p>")


def plain_text(text: str) -> str:
    """A free text without its markup: paragraphs and list items joined, link addresses in parentheses."""
    tokens = _parser().parse(str(text))
    parts = [_inline_plain(t.children or []) for t in tokens if t.type == "inline"]
    return " ".join(one_line(p) for p in parts if p.strip())
