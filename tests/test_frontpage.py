"""The public site's own pages without a build: the front page's lines from a report's recorded figures and the
parameters, the book's order, the theme's Danish catalog and the footer."""

from __future__ import annotations

import gettext
import re
from datetime import date
from pathlib import Path

import pytest

from councilbook.analysis.meeting import compute_meeting_status
from councilbook.assembly.frontpage import group_runs
from councilbook.assembly.manifest import expand_manifest
from councilbook.assembly.sitetext import THEME_DA, footer_text, write_catalog
from councilbook.core.formats import format_date
from councilbook.parameters.load import load_parameters
from councilbook.project.load import load_project
from councilbook.publication.scope import CLOSED_ITEM
from councilbook.text import present
from councilbook.text.front import (
    decision_lines,
    decisions,
    figures_month,
    goal_list,
    latest_decided,
    next_meeting,
    next_meeting_line,
    status_heading_line,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_status():
    project = load_project(ROOT / "parameters", ROOT / "data/sample")
    meeting = project.params.meetings[-1]
    result = compute_meeting_status(project.params, project.dataset, meeting)
    figures = present.status_figures(result)
    figures["provenance"] = {"cutoff": f"{result.cutoff.year}M{result.cutoff.month:02d}"}
    return project.params, result, figures


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def test_each_goal_shows_status_forecast_and_target_as_the_report(sample_status) -> None:
    params, result, figures = sample_status
    markup = goal_list(figures)
    assert markup.count("<li>") == len(result.goals) > 0
    shown = text_of(markup)
    for goal, status in zip(result.contract.goals, result.goals, strict=True):
        row = present.status_row(goal, status, None)
        word = "Resultat" if status.final else "Prognose"
        for part in (
            f"{goal.title} {row['status']}",
            f"{word} for {result.contract.year}: {row['forecast']}",
            f"mål: {row['target']}",
        ):
            assert re.sub(r"\s+", " ", part) in shown, part
        # the status colour is the one the reports' tables use, and never alone
        assert f'cb-front-status {present.STATUS_CLASSES[status.status]}">{row["status"]}' in markup


def test_a_goal_without_forecast_or_target_shows_no_empty_figures() -> None:
    figures = {
        "contract_year": 2021,
        "goals": [{"title": "A & B", "status": "no_data", "final": False, "text": {"forecast": "–", "target": "–"}}],
    }
    markup = goal_list(figures)
    assert "A &amp; B" in markup and "Ingen tal endnu" in markup and "cb-none" in markup
    assert "Prognose" not in markup and "mål:" not in markup


def test_the_month_of_the_figures_and_the_meeting(sample_status) -> None:
    _params, result, figures = sample_status
    month = figures_month(figures)
    assert month is not None and str(result.cutoff.year) in month
    line = status_heading_line(figures, "meetings/2013-12-11", "11. december 2013: Rådsmøde")
    assert 'href="meetings/2013-12-11.html"' in line and f"tal til og med {month}" in line
    assert figures_month({}) is None and figures_month({"provenance": {"cutoff": "bad"}}) is None


def test_next_meeting_from_the_meeting_plan() -> None:
    params = load_parameters(ROOT / "parameters")
    first, second = params.meetings[0], params.meetings[1]
    assert next_meeting(params, first.date) == second
    line = next_meeting_line(params, first.date)
    assert text_of(line).startswith("Næste møde: " + format_date(second.date))
    after_all = next_meeting_line(params, params.meetings[-1].date)
    assert text_of(after_all) == "Næste møde: ikke fastsat i mødeplanen endnu"


def test_latest_decisions_only_from_approved_public_minutes() -> None:
    params = load_parameters(ROOT / "parameters")
    days = [m.date for m in params.meetings]
    for as_of in (date(2013, 6, 1), date(2013, 7, 1), date(2013, 10, 30), date(2030, 1, 1)):
        meeting = latest_decided(params, days, as_of)
        assert meeting is not None
        original = params.meeting_on(meeting.date)
        assert original.minutes_sent is not None and original.minutes_sent <= as_of
        later = [m for m in params.meetings if meeting.date < m.date <= as_of and m.minutes_sent]
        for other in later:  # a later meeting had no approved minutes yet, or nothing but standard items
            objections = other.minutes_sent.toordinal() + params.council.publication.objections_within_days
            assert objections >= as_of.toordinal() or not decisions(other)
    # confidential items show as "Lukket punkt", never with their title; standard items are left out
    confidential = next(m for m in params.meetings if any(i.confidential and i.decision for i in m.agenda))
    shown = latest_decided(params, [confidential.date], date(2030, 1, 1))
    assert shown is not None
    titles = [title for title, _ in decisions(shown)]
    assert CLOSED_ITEM in titles
    assert not any(i.title in titles for i in confidential.agenda if i.confidential)
    assert not any(i.title in titles for i in confidential.agenda if i.standard)
    lines = "\n".join(decision_lines(params, [confidential.date], date(2030, 1, 1)))
    assert "## Seneste beslutninger" in lines and "(godkendt referat)" in lines
    # before the minutes are approved: nothing is said
    assert decision_lines(params, [confidential.date], confidential.date) == []


def test_meetings_newest_first_within_and_across_years() -> None:
    """prev/next walks the contents in order: the newest meeting first, then back in time, never a jump."""
    params = load_parameters(ROOT / "parameters")
    runs = [r for r in expand_manifest(ROOT / "pipelines/manifest.yml", params, "p", "d") if r.kind == "status"]
    walked = [date.fromisoformat(r.key) for _caption, part in group_runs(runs) for r in part]
    assert walked == sorted((m.date for m in params.meetings), reverse=True)
    assert [caption for caption, _ in group_runs(runs)] == ["Rådsmøder 2013", "Rådsmøder 2012"]


def test_theme_catalog_in_danish_and_byte_stable(tmp_path: Path) -> None:
    first = write_catalog(tmp_path / "a")
    second = write_catalog(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()  # the book's key does not change with the clock
    translation = gettext.translation("sphinx", tmp_path / "a", ["da"])
    for msgid, danish in THEME_DA.items():
        assert translation.gettext(msgid) == danish
    assert translation.gettext("Back to top") == "Til toppen"


def test_footer_names_the_council_and_the_newest_report() -> None:
    assert footer_text("Rådet", [date(2013, 5, 29), None, date(2013, 12, 11)]) == (
        "Udgivet af Rådet · seneste rapport offentlig 11. december 2013"
    )
    assert footer_text("Rådet", [None]) == "Udgivet af Rådet"
