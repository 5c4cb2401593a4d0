"""Report scopes: a report computed from its scope gives the same figures as from the whole project,
and the scope (so the run key) changes exactly when an input the report reads changes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilbook.analysis.evaluation import compute_evaluation
from councilbook.analysis.meeting import compute_meeting_status
from councilbook.analysis.status import compute_goal_status
from councilbook.project.cutoff import compute_cutoff
from councilbook.project.load import load_project
from councilbook.publication.scope import normalise_as_of
from councilbook.reports.kinds.contract import _plan_sections
from councilbook.reports.kinds.status import agenda_section
from councilbook.reports.registry import scope_report
from councilbook.text.present import status_figures

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return load_project(ROOT / "parameters", ROOT / "data/sample")


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def test_status_from_scope_equals_status_from_whole_project(sample) -> None:
    meetings = sample.params.meetings
    # the first meeting, one that reports last year's contract as final, one mid-year, the last
    for meeting in [meetings[0], meetings[6], meetings[8], meetings[-1]]:
        whole = compute_meeting_status(sample.params, sample.dataset, meeting)
        scope = scope_report("status", meeting.date.isoformat(), sample.params, sample.dataset)
        scoped = compute_meeting_status(scope.params, scope.dataset, scope.params.meeting_on(meeting.date))
        assert _same(status_figures(whole), status_figures(scoped)), meeting.date


def test_evaluation_from_scope_equals_evaluation_from_whole_project(sample) -> None:
    for year, evaluation in sample.params.evaluations.items():
        whole = compute_evaluation(sample.params, sample.dataset, evaluation)
        scope = scope_report("evaluation", year, sample.params, sample.dataset)
        scoped = compute_evaluation(scope.params, scope.dataset, evaluation)
        for field in ("goals", "attained", "activity", "minutes", "jobcentre_attainment", "meetings", "decisions"):
            a, b = getattr(whole, field), getattr(scoped, field)
            if hasattr(a, "to_dict"):
                a, b = a.to_dict(orient="records"), b.to_dict(orient="records")
            else:
                a = [x.as_dict() if hasattr(x, "as_dict") else x for x in a]
                b = [x.as_dict() if hasattr(x, "as_dict") else x for x in b]
            assert _same(a, b), field
        assert _same(
            {k: v.to_dict() for k, v in whole.spread.items()}, {k: v.to_dict() for k, v in scoped.spread.items()}
        )


def test_contract_goal_status_from_scope(sample) -> None:
    for year, contract in sample.params.contracts.items():
        scope = scope_report("contract", year, sample.params, sample.dataset)
        cutoff = compute_cutoff(contract.published, sample.params.council)
        for goal in contract.goals:
            a = compute_goal_status(sample.params, sample.dataset, goal, cutoff.year, cutoff)
            b = compute_goal_status(scope.params, scope.dataset, goal, cutoff.year, cutoff)
            assert _same(a.as_dict(), b.as_dict())


def test_adding_a_meeting_changes_only_the_scopes_that_read_it(sample) -> None:
    params = sample.params
    last = params.meetings[-1]
    added = last.model_copy(update={"date": last.date + timedelta(days=7), "title": "Ekstra møde"})
    more = replace(params, meetings=[*params.meetings, added])

    def entries(p, kind, key):
        s = scope_report(kind, key, p, sample.dataset, date(2030, 1, 1))
        return s.parameter_entries(), s.data_sha256(), s.as_of

    for m in params.meetings:
        assert entries(params, "status", m.date.isoformat()) == entries(more, "status", m.date.isoformat())
    for year in params.evaluations:  # the 2013 evaluation covers 2012
        assert entries(params, "evaluation", year) == entries(more, "evaluation", year)
    assert entries(params, "contract", 2012) == entries(more, "contract", 2012)
    assert entries(params, "contract", 2013) != entries(more, "contract", 2013)  # its meeting plan


def test_changing_a_target_changes_only_that_years_scopes(sample) -> None:
    params = sample.params
    contract = params.contracts[2012]
    first = contract.goals[0]
    number = next(f for f in ("percent", "value") if hasattr(first.target, f))
    target = first.target.model_copy(update={number: getattr(first.target, number) + 1})
    goal = first.model_copy(update={"target": target})
    changed = replace(
        params, contracts={**params.contracts, 2012: contract.model_copy(update={"goals": [goal, *contract.goals[1:]]})}
    )
    for kind, key in [("contract", 2012), ("contract", 2013), ("evaluation", 2013)] + [
        ("status", m.date.isoformat()) for m in params.meetings
    ]:
        before = scope_report(kind, key, params, sample.dataset).parameter_entries()
        after = scope_report(kind, key, changed, sample.dataset).parameter_entries()
        reads_2012 = "contracts/2012.yml" in before
        assert (before != after) == reads_2012, (kind, key)


def test_data_after_the_cutoff_does_not_change_the_scope(sample) -> None:
    meeting = sample.params.meetings[0]
    scope = scope_report("status", meeting.date.isoformat(), sample.params, sample.dataset)
    later = sample.dataset.monthly.index.get_level_values("month") > scope.cutoff
    bumped = replace(sample.dataset, monthly=sample.dataset.monthly.where(~later, sample.dataset.monthly + 1))
    again = scope_report("status", meeting.date.isoformat(), sample.params, bumped)
    assert again.data_sha256() == scope.data_sha256()
    earlier = sample.dataset.monthly.index.get_level_values("month") == scope.cutoff
    bumped = replace(sample.dataset, monthly=sample.dataset.monthly.where(~earlier, sample.dataset.monthly + 1))
    assert scope_report("status", meeting.date.isoformat(), sample.params, bumped).data_sha256() != scope.data_sha256()


@settings(max_examples=30, deadline=None)
@given(st.dates(min_value=date(2011, 6, 1), max_value=date(2015, 1, 1)))
def test_normalised_embargo_shows_the_same_public_content(sample, as_of: date) -> None:
    params = sample.params
    for meeting in params.meetings:
        if meeting.date > as_of:
            continue
        scope = scope_report("status", meeting.date.isoformat(), params, sample.dataset, as_of)
        assert scope.as_of is not None and scope.as_of <= as_of
        assert (
            agenda_section(meeting, False, params, as_of).text
            == agenda_section(meeting, False, params, scope.as_of).text
        )
    for year, contract in params.contracts.items():
        if contract.published > as_of:
            continue
        scope = scope_report("contract", year, params, sample.dataset, as_of)
        plain = [(s.heading, s.text, s.table) for s in _plan_sections(params, year, as_of)]
        normal = [(s.heading, s.text, s.table) for s in _plan_sections(params, year, scope.as_of)]
        assert plain == normal


def test_normalise_as_of() -> None:
    events = [date(2013, 3, 1), date(2013, 5, 1)]
    assert normalise_as_of(None, events) is None
    assert normalise_as_of(date(2013, 4, 30), events) == date(2013, 3, 1)
    assert normalise_as_of(date(2013, 5, 1), events) == date(2013, 5, 1)
    assert normalise_as_of(date(2026, 1, 1), events) == date(2013, 5, 1)
