"""The "Spørgsmål og svar" page: the public's questions that the secretariat answered for publication, from the
members' portal's record (``Parameters.questions``), newest answer first, written by each build into
``book/generated/spoergsmaal.md``. Without an answered question there is no page (and no entry in the contents).

Question, answer and name are the public's own text and are shown as text, never read as markup: the page's body
is one raw HTML block made by an autoescaped template (``templates/questions.html.j2``), in which every text is
escaped and its lines are joined with ``<br>`` on one line of the block. MyST passes an HTML block through as it
is, up to its first blank line, and the block has none: nothing a reader wrote (HTML, Markdown, MyST roles and
directives, math, substitutions) can end it or be parsed. Only the fields shown are read: no address, and a
sender's name only when they agreed to it (``name``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from councilbook.core.formats import format_date
from councilbook.core.paths import BookPaths
from councilbook.parameters.model import Parameters
from councilbook.parameters.records import AnsweredQuestion
from councilbook.text.render import render

PAGE = "spoergsmaal"  # generated/spoergsmaal.md, at spoergsmaal.html under generated/
OUTPUT = f"{PAGE}.md"  # in book/generated/
TITLE = "Spørgsmål og svar"
CAPTION = "Spørg rådet"  # its part in the contents, after the reports
TEMPLATE = "questions.html.j2"
INTRO = (
    "Alle kan sende spørgsmål, forslag og kommentarer til rådet gennem formularen »Spørg rådet« på rådets portal. "
    "Sekretariatet besvarer nogle af spørgsmålene her, det nyeste svar først. Et spørgsmål offentliggøres uden "
    "afsenderens navn, medmindre afsenderen har sagt ja til, at navnet vises."
)
_HIDDEN = {"Cc", "Cs"}  # control characters and lone surrogates: nothing to show (a tab is kept)


@dataclass(frozen=True)
class ShownQuestion:
    """An answered question as the page shows it: its texts as lines, its dates in Danish."""

    id: int
    question: tuple[str, ...]
    asked: str
    name: str | None
    answer: tuple[str, ...]
    answered: str


def text_lines(text: str) -> tuple[str, ...]:
    """``text``'s lines, as typed, split at every kind of line break (``\\r\\n``, ``\\r``, ``\\n``, and the
    others :meth:`str.splitlines` knows), without control characters: no line break is left in a line."""
    return tuple(
        "".join(c for c in line if c == "\t" or unicodedata.category(c) not in _HIDDEN)
        for line in str(text).splitlines()
    )


def shown_name(name: str | None) -> str | None:
    """The sender's name on one line, None when there is none (or it is blank)."""
    if name is None:
        return None
    return " ".join(" ".join(text_lines(name)).split()) or None


def published_questions(params: Parameters, as_of: date | None = None) -> list[AnsweredQuestion]:
    """The answered questions the page shows: those answered by ``as_of`` (all if None)."""
    return [q for q in params.questions if as_of is None or q.answered <= as_of]


def newest_first(questions: list[AnsweredQuestion]) -> list[AnsweredQuestion]:
    """The newest answer first (of those answered the same day, the newest question)."""
    return sorted(questions, key=lambda q: (q.answered, q.asked, q.id), reverse=True)


def shown(question: AnsweredQuestion) -> ShownQuestion:
    return ShownQuestion(
        id=question.id,
        question=text_lines(question.question),
        asked=format_date(question.asked),
        name=shown_name(question.name),
        answer=text_lines(question.answer),
        answered=format_date(question.answered),
    )


def render_questions_page(questions: list[AnsweredQuestion]) -> str:
    """The page's MyST source: its heading, then one raw HTML block with every question escaped, the newest
    answer first."""
    body = render(TEMPLATE, intro=INTRO, questions=[shown(q) for q in newest_first(questions)])
    block = "\n".join(line for line in body.splitlines() if line.strip())
    if not block.startswith("<div") or "\n\n" in block:  # the one HTML block MyST passes through whole
        raise AssertionError("the questions page's HTML is not one block")
    return (
        f"# {TITLE}\n\n"
        "% Written at each build by councilbook.assembly.questionspage from the members' portal's record.\n\n"
        f"{block}\n"
    )


def write_questions_page(paths: BookPaths, params: Parameters, as_of: date | None = None) -> Path | None:
    """``book/generated/spoergsmaal.md`` with the questions answered by ``as_of``; None (and no page) without
    any."""
    questions = published_questions(params, as_of)
    path = paths.generated / OUTPUT
    if not questions:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_questions_page(questions), encoding="utf-8")
    return path
