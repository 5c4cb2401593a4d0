"""The render layer: templates and stylesheets are files of the package, and they are what the blocks and the
members' pack are made from."""

from __future__ import annotations

import tomllib
from datetime import date
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from councilbook.analysis.meeting import compute_meeting_status
from councilbook.members import pack
from councilbook.project.load import load_project
from councilbook.reports.registry import get_kind
from councilbook.text import render
from councilbook.text.blocks import Details, Table

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests/fixtures/mini"
TEMPLATES = files("councilbook").joinpath(render.TEMPLATES)


def test_templates_and_stylesheets_are_package_data() -> None:
    """Every template and stylesheet is a file in the package's templates/ folder that package-data installs."""
    names = sorted(p.name for p in TEMPLATES.iterdir() if p.is_file())
    expected = {"blocks.html.j2", "meeting.html.j2", "pack.html.j2", "pack.css", "minutes.html.j2", "minutes.css"}
    assert expected | {"press.html.j2", "meeting_press.html.j2"} <= set(names)
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    installed = patterns["package-data"]["councilbook"]
    for name in names:
        assert any(fnmatch(f"{render.TEMPLATES}/{name}", pattern) for pattern in installed), name


def test_text_is_escaped_as_html_escape_does() -> None:
    hostile = "<script>alert(\"x\")</script> & 'q'"
    html = Table(columns=[hostile], rows=[[hostile]], caption=hostile, notes=(hostile,))._repr_html_()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;") == 4
    folded = Details(hostile, (hostile, (hostile,)))._repr_html_()
    assert "<script>" not in folded and folded.count("&lt;script&gt;") == 3


def test_a_change_to_a_template_file_shows_in_the_output(monkeypatch: pytest.MonkeyPatch) -> None:
    table = Table(columns=["Jobcenter", "Faktisk"], rows=[["Jobcenter Køge", "1.234"]])
    before = table._repr_html_()
    source = TEMPLATES.joinpath("blocks.html.j2").read_text(encoding="utf-8")
    changed = source.replace('<table class="cb-table', '<table data-changed="ja" class="cb-table')
    assert changed != source
    env = render.environment()
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader({"blocks.html.j2": changed}), env.loader]))
    monkeypatch.setattr(env, "cache", {})
    after = table._repr_html_()
    assert after == before.replace('<table class="cb-table', '<table data-changed="ja" class="cb-table')


@pytest.fixture(scope="module")
def mini_pack() -> str:
    project = load_project(MINI / "parameters", MINI / "data")
    meeting = project.params.meeting_on(date(2021, 6, 16))
    status = compute_meeting_status(project.params, project.dataset, meeting)
    report = get_kind("status").build(
        MINI / "parameters", MINI / "data", meeting.date, members=True, computed=(project, status)
    )
    summary = report.summary
    assert summary is not None
    return pack.build_pack_html(
        project.params, meeting, report, summary, status.pack_date, "/* bogens css */", {}, {}, None, status.cutoff
    )


def test_the_pack_inlines_its_stylesheet_file_with_the_running_header(mini_pack: str) -> None:
    css = render.stylesheet(pack.PACK_CSS)
    assert not css.startswith("/*")  # the file's opening comment is for its reader, not the page
    head, rest = css.split(f'"{pack.RUNNING_HEADER}"')
    assert f"<style>/* bogens css */\n{head}" in mini_pack
    assert rest in mini_pack and pack.RUNNING_HEADER not in mini_pack
    assert '@top-left { content: "Mini · Rådsmøde' in mini_pack or "@top-left { content: " in mini_pack


def test_the_pack_asks_the_sections_their_role(mini_pack: str) -> None:
    """The agenda is printed in its own part, not again in the annex; a job-centre section keeps its text and
    leaves its table to the workbook."""
    annex = mini_pack.split('<h1 id="status">', 1)[1].split('<h1 id="om-tallene">', 1)[0]
    assert "Dagsorden og beslutninger" not in annex
    assert 'class="cb-in-workbook"' in annex
    assert "Jobcentrene (mål 1)" in annex


def test_the_minutes_inline_their_stylesheet_file() -> None:
    from councilbook.members import minutes
    from councilbook.parameters.load import load_parameters
    from councilbook.publication.scope import minutes_state

    params = load_parameters(MINI / "parameters")
    meeting = params.meetings[0]
    page = minutes.minutes_html(params, meeting, minutes_state(meeting, params, meeting.date), members=True)
    css = TEMPLATES.joinpath(minutes.MINUTES_CSS).read_text(encoding="utf-8")
    assert css.split("*/", 1)[1].strip() in page
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</body></html>")
