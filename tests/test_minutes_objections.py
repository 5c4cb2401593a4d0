"""Objections to the minutes (written in a meeting's ``minutes_objections``, or recorded by the members' portal):
an objection received in time keeps the minutes "ikke godkendt" until the next meeting with an item on the minutes
has decided on them; the minutes, the pack's note, the public agenda and the calendar of changes follow the rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councilbook.parameters.load import load_parameters
from councilbook.parameters.meetings import MinutesObjection
from councilbook.parameters.records import AnsweredQuestion, Record, RecordedObjection, record_path, write_record
from councilbook.publication.scope import minutes_approved, minutes_events, minutes_state, public_meeting

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2013, 5, 29)  # minutes sent 2013-06-04: objections until 2013-06-11


def with_objection(received: dt.date):  # type: ignore[no-untyped-def]
    params = load_parameters(ROOT / "parameters")
    index = [m.date for m in params.meetings].index(DAY)
    meeting = params.meetings[index].model_copy(
        update={"minutes_objections": [MinutesObjection(member="Lise Holm", received=received)]}
    )
    params.meetings[index] = meeting
    return params, meeting


def test_without_objections_the_minutes_are_approved_when_the_period_ends() -> None:
    params = load_parameters(ROOT / "parameters")
    meeting = params.meeting_on(DAY)
    assert minutes_state(meeting, params, dt.date(2013, 6, 11)).state == "draft"
    assert minutes_state(meeting, params, dt.date(2013, 6, 12)).state == "approved"
    assert minutes_events(meeting, params) == [dt.date(2013, 6, 4), dt.date(2013, 6, 12)]


def test_an_objection_in_time_keeps_them_unapproved_until_the_next_meeting_decides() -> None:
    params, meeting = with_objection(dt.date(2013, 6, 10))
    before = minutes_state(meeting, params, dt.date(2013, 6, 9))
    assert before.state == "draft" and before.objections == ()
    objected = minutes_state(meeting, params, dt.date(2013, 6, 20))
    assert objected.state == "objected" and objected.label == "ikke godkendt (indsigelse)"
    assert [o.member for o in objected.objections] == ["Lise Holm"]
    later = objected.treated_by
    assert later is not None and later.date > DAY and any(i.standard == "minutes" for i in later.agenda)
    assert not minutes_approved(meeting, params, dt.date(2013, 6, 20))
    assert public_meeting(meeting, params, dt.date(2013, 6, 20)).agenda[0].decision is None  # not public yet
    decided = any(i.standard == "minutes" and i.decision for i in later.agenda)
    after = minutes_state(meeting, params, later.date)
    assert after.state == ("approved" if decided else "objected")
    events = minutes_events(meeting, params)
    assert events[:2] == [dt.date(2013, 6, 4), dt.date(2013, 6, 10)]
    assert events[2:] == ([later.date] if decided else [])


def test_an_objection_after_the_period_changes_nothing() -> None:
    params, meeting = with_objection(dt.date(2013, 6, 12))
    assert minutes_state(meeting, params, dt.date(2013, 6, 20)).state == "approved"


def test_the_members_minutes_say_who_objected_and_the_public_ones_do_not() -> None:
    from councilbook.members.minutes import minutes_html

    params, meeting = with_objection(dt.date(2013, 6, 10))
    state = minutes_state(meeting, params, dt.date(2013, 6, 20))
    members = minutes_html(params, meeting, state, members=True)
    public = minutes_html(params, meeting, state, members=False)
    assert "Indsigelse fra Lise Holm (10. juni 2013)" in members and "ikke godkendt" in members
    assert "Lise Holm (10. juni" not in public and "Der er modtaget indsigelse" in public


def test_the_portals_record_is_read_with_the_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    params_dir = tmp_path / "parameters"
    shutil.copytree(ROOT / "parameters", params_dir)
    name = load_parameters(params_dir).council.name
    received = dt.datetime(2013, 6, 5, 9, 30, tzinfo=dt.UTC)
    question = AnsweredQuestion(
        id=1, asked=dt.date(2013, 6, 1), question="Hvorfor?", answer="Derfor.", answered=dt.date(2013, 6, 3)
    )
    record = Record(
        council=name, objections={DAY: [RecordedObjection(member="Lise Holm", received=received)]}, questions=[question]
    )
    write_record(record_path(params_dir), record)  # portal/ beside the parameters
    params = load_parameters(params_dir)
    assert params.meeting_on(DAY).minutes_objections == [
        MinutesObjection(member="Lise Holm", received=DAY.replace(day=5, month=6))
    ]
    assert params.questions == [question]
    write_record(record_path(params_dir), record.model_copy(update={"council": "Et andet råd"}))
    assert load_parameters(params_dir).questions == []  # another council's record is left out
    elsewhere = tmp_path / "andet"
    monkeypatch.setenv("COUNCILBOOK_PORTAL", str(elsewhere))
    write_record(record_path(params_dir), record)
    assert (elsewhere / "export" / "record.json").is_file() and load_parameters(params_dir).questions == [question]
    (elsewhere / "export" / "record.json").write_text("{ikke json", encoding="utf-8")
    from councilbook.core.errors import InputError

    with pytest.raises(InputError) as raised:
        load_parameters(params_dir)
    assert "record.json" in raised.value.problems[0].file and "kan ikke læses" in raised.value.problems[0].message
