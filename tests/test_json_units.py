"""One figure, one unit and one rounding, in the JSON too: ``councilbook status --json`` and the figures every
report records (``Report.record``) name each figure's unit (:data:`conftest.UNIT_DECIMALS`), give it as shown
(a count as an integer, no more decimals than its text) and give the same figure once."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import unnamed_figures

from councilbook.analysis.meeting import compute_meeting_status
from councilbook.assembly.execute import recorded_figures
from councilbook.core.formats import format_number, format_percent
from councilbook.project.load import load_project
from councilbook.text import charts, present

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_status():
    project = load_project(ROOT / "parameters", ROOT / "data/sample")
    meeting = next(m for m in project.params.meetings if m.date.isoformat() == "2013-08-28")
    result = compute_meeting_status(project.params, project.dataset, meeting)
    return project, result, json.loads(json.dumps(present.status_figures(result)))


def test_every_figure_of_the_status_json_is_named_and_rounded_as_shown(sample_status) -> None:
    _, _, figures = sample_status
    assert unnamed_figures(figures) == []
    goals = {g["goal_id"]: g for g in figures["goals"]}
    count, share = goals["langtidsledighed"], goals["unge-uddannelse"]
    # a count's rate per 1.000 residents is no count
    assert {"level_per_1000", "expected_per_1000"} <= set(count["adjusted"]["jobcentres"][0])
    assert not any(key.startswith(("level_count", "expected_count")) for key in count["adjusted"]["jobcentres"][0])
    assert all(isinstance(row["rank"], int) for row in count["adjusted"]["jobcentres"] if row["rank"] is not None)
    assert all(isinstance(row["n"], int) for row in count["spread"])
    # R² once per fit, as shown (two decimals)
    assert count["adjusted"]["fit"]["r2_ratio"] == round(count["adjusted"]["fit"]["r2_ratio"], 2)
    assert isinstance(share["xmr"]["centre_pct"], float) and isinstance(count["xmr"]["centre_count"], int)


def test_the_control_charts_lines_in_the_json_are_those_the_chart_shows(sample_status) -> None:
    project, result, figures = sample_status
    for goal, entry in zip(result.contract.goals, figures["goals"], strict=True):
        detail = result.details[goal.id]
        measure = project.params.measures[goal.measure]
        alt = charts.describe_xmr_chart(goal, measure, detail.xmr)
        xmr = entry["xmr"]
        if "centre_pct" in xmr:
            shown = [format_percent(xmr[f"{n}_pct"]) for n in ("centre", "lower", "upper")]
        else:
            shown = [format_number(xmr[f"{n}_count"]) for n in ("centre", "lower", "upper")]
        assert f"med gennemsnit {shown[0]} og kontrolgrænser {shown[1]} og {shown[2]}." in alt, (goal.id, shown, alt)


def test_the_forecasts_errors_are_rounded_as_the_sentence_shows_them(sample_status) -> None:
    _, result, figures = sample_status
    for status, entry in zip(result.goals, figures["goals"], strict=True):
        forecast = entry["forecast"]
        key = next(k for k in forecast if k.startswith("typical_error_"))
        assert forecast[key] == round(status.forecast.typical_error + 0.0, 1) or forecast[key] is None


@pytest.mark.book
def test_every_report_records_its_figures_named_and_rounded_as_shown(sample_html: Path) -> None:
    """The figures each report of the sample book recorded in its executed notebook."""
    cache = sample_html.parent.parent / "_build" / "cache"
    notebooks = sorted(cache.glob("*.ipynb"))
    assert notebooks
    problems = {}
    kinds = set()
    for notebook in notebooks:
        figures = recorded_figures(nbformat.read(notebook, as_version=4))
        kinds.add(tuple(sorted(figures))[:2])
        found = unnamed_figures(figures)
        if found:
            problems[notebook.name] = found[:5]
    assert problems == {}
    assert len(kinds) >= 5  # every kind of report: status, contract, evaluation, analysis, key figures …
