"""The "Spørgsmål og svar" page: the public's questions answered for publication, from the members' portal's
record, shown as text whatever they hold (HTML, Markdown, MyST, math, substitutions), newest answer first, the
sender named only when they agreed; no page without an answered question."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Comment, Tag
from conftest import COUNCIL, COUNCIL_ARGS, ROOT
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from typer.testing import CliRunner

from councilbook.assembly import frontpage, questionspage
from councilbook.assembly.pipeline import print_jobs
from councilbook.cli import app
from councilbook.core.paths import BookPaths
from councilbook.parameters.load import load_parameters
from councilbook.parameters.records import PORTAL_ENV, AnsweredQuestion, Record, record_path, write_record

# What the public may type, each to be shown as typed: raw HTML, a javascript: link, MyST and Markdown syntax,
# math, a substitution, a comment, and blank lines (which would end a raw HTML block), Unicode's line breaks too.
HOSTILE = [
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img')\">",
    "```{eval-rst}\n.. raw:: html\n\n   <script>alert('rst')</script>\n```",
    "```{raw} html\n<b onmouseover=\"alert('raw')\">b</b>\n```",
    "```\nfenced code\n```",
    "[x](javascript:alert('link'))",
    "**bold** *kursiv* `kode`",
    "$math$ and $$display$$ and \\(inline\\)",
    "{{ substitution }} {download}`/etc/os-release`",
    "<!-- comment -->",
    "# not a heading\n- not a list\n> not a quote",
    "line one\n\n   \nline after blank lines\u2028after a line separator\u2029and a paragraph separator",
    "</div>\n\n<script>alert('closed')</script>",
]
# The lines each is shown as, one after another (<br> between them, which has no text).
SHOWN_LINES = [line for text in HOSTILE for line in text.splitlines() if line]
# MyST as Jupyter Book 1 sets it up (its default extensions; _config.yml adds none).
MYST = MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "linkify", "substitution", "tasklist"})


def question(n: int, text: str, answer: str, name: str | None = None, answered: date | None = None) -> AnsweredQuestion:
    return AnsweredQuestion(
        id=n,
        asked=date(2021, 3, n),
        question=text,
        answer=answer,
        answered=answered or date(2021, 4, n),
        name=name,
    )


def hostile_questions() -> list[AnsweredQuestion]:
    """Every hostile text as a question and, reversed, as an answer; the first named by a hostile name."""
    return [
        question(n + 1, text, HOSTILE[-1 - n], name="<b>Ann</b> {{x}} **B**" if n == 0 else None)
        for n, text in enumerate(HOSTILE)
    ]


def block_html(source: str) -> str:
    """The page's source as MyST reads it: its heading, a comment and one raw HTML block, whose HTML is returned."""
    tokens = create_md_parser(MYST, RendererHTML).parse(source)
    kinds = [t.type for t in tokens]
    assert kinds == ["heading_open", "inline", "heading_close", "myst_line_comment", "html_block"], kinds
    assert tokens[1].content == questionspage.TITLE
    return tokens[-1].content


def no_live_markup(content: Tag) -> None:
    """Nothing from the public came alive in ``content`` (the page's block): no script, image, event handler,
    link, emphasis, code, math, heading, list, comment, nor a quote but the page's own."""
    live = ["script", "img", "svg", "iframe", "a", "strong", "em", "b", "i", "code", "pre", "ul", "ol", "math"]
    assert [el for el in content.find_all(live) if el.name != "em" or el.parent.name != "p"] == []
    assert all(not em.find(True) and em.get_text().startswith(("Spurgt ", "Besvaret ")) for em in content("em"))
    assert content.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]) == []
    assert not [el for el in content.find_all(True) if any(a.startswith("on") for a in el.attrs)]
    assert not content.find_all(class_="math")
    assert not content.find_all(string=lambda s: isinstance(s, Comment))
    assert all("cb-question-text" in q.get("class", []) for q in content.find_all("blockquote"))


def test_the_page_escapes_whatever_the_public_wrote() -> None:
    source = questionspage.render_questions_page(hostile_questions())
    assert "<script" not in source and "<img" not in source and "<b>" not in source and "<!--" not in source
    html = block_html(source)  # one HTML block: no blank line of a question ended it
    soup = BeautifulSoup(html, "html.parser")
    no_live_markup(soup)
    text = soup.get_text()
    for line in SHOWN_LINES:
        assert line in text, line
    items = soup.select("div.cb-question")
    assert len(items) == len(HOSTILE)
    for item in items:  # each question and answer line by line as typed, a <br> where a line broke
        number = int(item["id"].removeprefix("spoergsmaal-"))
        for part, typed in ((".cb-question-text p", HOSTILE[number - 1]), (".cb-answer p", HOSTILE[-number])):
            paragraph = item.select_one(part)
            # (BeautifulSoup gives a string of spaces alone between tags as one space)
            lines = [line if line.strip() else " " for line in typed.splitlines() if line]
            assert list(paragraph.strings) == lines
            assert len(paragraph("br")) == len(typed.splitlines()) - 1
    asked = [item.select_one(".cb-question-asked").get_text() for item in items]
    assert [line for line in asked if " af " in line] == ["Spurgt 1. marts 2021 af <b>Ann</b> {{x}} **B**"]


def test_newest_answer_first_dates_in_danish_and_the_name_only_when_given() -> None:
    questions = [
        question(1, "Hvornår?", "Snart.", answered=date(2021, 5, 2)),
        question(2, "Hvorfor?", "Derfor.", name="Hans Hansen", answered=date(2021, 12, 24)),
        question(3, "Hvem?", "Rådet.", answered=date(2021, 5, 2)),
    ]
    html = block_html(questionspage.render_questions_page(questions))
    soup = BeautifulSoup(html, "html.parser")
    items = soup.select("div.cb-question")
    assert [item["id"] for item in items] == ["spoergsmaal-2", "spoergsmaal-3", "spoergsmaal-1"]
    asked = [item.select_one(".cb-question-asked").get_text() for item in items]
    answered = [item.select_one(".cb-question-answered").get_text() for item in items]
    assert asked == ["Spurgt 2. marts 2021 af Hans Hansen", "Spurgt 3. marts 2021", "Spurgt 1. marts 2021"]
    assert answered == ["Besvaret 24. december 2021", "Besvaret 2. maj 2021", "Besvaret 2. maj 2021"]
    intro = soup.select_one(".cb-questions-intro").get_text()
    assert "»Spørg rådet«" in intro and "uden afsenderens navn" in intro


def test_a_blank_name_and_control_characters_show_nothing() -> None:
    """A name left blank names no one; control characters (which the record's model refuses: one that got past
    it) are left out, and every line break, of any kind, is a <br>."""
    assert question(1, "?", "!", name=" \n ").name == ""
    unchecked = AnsweredQuestion.model_construct(
        id=1,
        asked=date(2021, 3, 1),
        question="a\x00b\x1b[31mc\td\r\n\re\x85f",
        answer="svar",
        answered=date(2021, 4, 1),
        name=" \n ",
    )
    page = questionspage.render_questions_page([unchecked])
    soup = BeautifulSoup(block_html(page), "html.parser")
    assert soup.select_one(".cb-question-asked").get_text() == "Spurgt 1. marts 2021"
    shown = soup.select_one("blockquote p")
    assert list(shown.strings) == ["ab[31mc\td", "e", "f"] and len(shown("br")) == 3  # a, an empty line, e, f


def test_no_page_and_no_entry_without_answered_questions(tmp_path: Path) -> None:
    paths = BookPaths(tmp_path)
    (tmp_path / "book").mkdir()
    (tmp_path / "book/metode.md").write_text("# Metode\n", encoding="utf-8")
    params = load_parameters(ROOT / "tests/fixtures/mini/parameters")
    assert params.questions == []  # the test council has no record
    assert questionspage.write_questions_page(paths, params) is None
    assert not (paths.generated / questionspage.OUTPUT).exists()
    paths.generated.mkdir(parents=True)
    before = frontpage.write_toc(paths, []).read_bytes()
    assert "spoergsmaal" not in before.decode()
    assert all(job.part != questionspage.CAPTION for job in print_jobs(paths, params, []))

    answered = dataclasses.replace(
        params, questions=[question(1, "Før", "Svar", answered=date(2021, 4, 1)), question(2, "Efter", "Svar")]
    )
    assert questionspage.write_questions_page(paths, answered, as_of=date(2021, 3, 31)) is None  # none public yet
    page = questionspage.write_questions_page(paths, answered, as_of=date(2021, 4, 1))
    assert page == paths.generated / "spoergsmaal.md"
    assert "Før" in page.read_text(encoding="utf-8") and "Efter" not in page.read_text(encoding="utf-8")
    toc = yaml.safe_load(frontpage.write_toc(paths, [], questions=True).read_text(encoding="utf-8"))
    assert toc["parts"] == [
        {"caption": "Spørg rådet", "chapters": [{"file": "generated/spoergsmaal"}]},
        {"caption": "Om bogen", "chapters": [{"file": "metode"}]},
    ]
    jobs = print_jobs(paths, answered, [])
    assert [(job.page, job.part) for job in jobs] == [
        ("generated/spoergsmaal.html", "Spørg rådet"),
        ("metode.html", "Om bogen"),
    ]
    assert frontpage.write_toc(paths, []).read_bytes() == before


# --- the built book -------------------------------------------------------------------------------------------


def nav_links(page: Path) -> list[str]:
    """The addresses the book's navigation (the sidebar) links, in order."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.bd-docs-nav") or soup.select_one("#bd-docs-nav")
    assert nav is not None
    return [a["href"] for a in nav.find_all("a", href=True)]


@pytest.mark.book
def test_the_built_book_shows_the_questions_as_text(
    mini_book: Path, mini_book_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a record (the shared test council's book): no page, no entry in the contents.
    assert not list((mini_book / "_build/html").rglob("spoergsmaal*"))
    assert not any("spoergsmaal" in link for link in nav_links(mini_book / "_build/html/generated/index.html"))

    project = mini_book_copy
    portal = tmp_path / "portal"
    monkeypatch.setenv(PORTAL_ENV, str(portal))
    council = load_parameters(project / COUNCIL / "parameters").council.name
    questions = [*hostile_questions(), question(20, "Hvornår holder rådet møde?", "Se mødeplanen.")]
    write_record(record_path(project / COUNCIL / "parameters"), Record(council=council, questions=questions))
    assert record_path(project / COUNCIL / "parameters") == portal / "export/record.json"
    result = CliRunner().invoke(app, ["--project", str(project), "build", "--no-pdf", *COUNCIL_ARGS])
    assert result.exit_code == 0, result.output + result.stderr
    assert " 0 kørt, " in result.output  # the reports came from the cache: only the book was built again

    html = project / "_build/html"
    page = BeautifulSoup((html / "generated/spoergsmaal.html").read_text(encoding="utf-8"), "html.parser")
    content = page.select_one("article.bd-article") or page.select_one("main")
    assert content is not None and content.find("h1").get_text(strip=True).startswith(questionspage.TITLE)
    block = content.select_one("div.cb-questions")
    no_live_markup(block)
    text = page.get_text()
    for line in SHOWN_LINES:
        assert line in text, line
    assert not page.find_all("script", string=lambda s: bool(s) and "alert" in s)
    assert not [el for el in page.find_all(True) if "onerror" in el.attrs or "onmouseover" in el.attrs]
    assert not page.select('a[href^="javascript:"]')
    items = block.select("div.cb-question")
    assert [item["id"] for item in items][0] == "spoergsmaal-20"  # answered 20 April: the newest
    newest = items[0]
    assert newest.select_one(".cb-question-asked").get_text() == "Spurgt 20. marts 2021"  # no name given
    assert newest.select_one(".cb-question-answered").get_text() == "Besvaret 20. april 2021"
    named = block.select_one("#spoergsmaal-1 .cb-question-asked").get_text()
    assert named == "Spurgt 1. marts 2021 af <b>Ann</b> {{x}} **B**"

    # In the navigation, after the reports and before "Om bogen", on every page.
    links = nav_links(html / "generated/index.html")
    assert "spoergsmaal.html" in links
    assert links.index("spoergsmaal.html") < links.index("../metode.html")
    assert all("spoergsmaal" not in link for link in links[links.index("spoergsmaal.html") + 1 :])
    assert "generated/spoergsmaal.html" in nav_links(html / "metode.html")
    assert "Spørg rådet" in BeautifulSoup((html / "metode.html").read_text(encoding="utf-8"), "html.parser").get_text()
