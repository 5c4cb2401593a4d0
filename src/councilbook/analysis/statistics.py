"""The council's own record in a year: meetings held against the annual cycle, minutes sent on time,
decisions taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from councilbook.parameters.model import (
    Parameters,
)


def compute_meeting_activity(params: Parameters, year: int) -> pd.DataFrame:
    """Meetings held in a year by kind, against the council's annual cycle (``council.annual_cycle``).

    Theme meetings count as ordinary meetings too.
    """
    held = [m for m in params.meetings if m.date.year == year]
    counts = {
        "ordinary": sum(m.kind in ("ordinary", "theme") for m in held),
        "theme": sum(m.kind == "theme" for m in held),
        "contract": sum(m.kind == "contract" for m in held),
        "seminar": sum(m.kind == "seminar" for m in held),
    }
    return pd.DataFrame(
        [
            {"kind": kind, "expected": expected, "held": counts[kind], "met": counts[kind] >= expected}
            for kind, expected in params.council.annual_cycle.model_dump().items()
        ]
    )


@dataclass(frozen=True)
class MinutesRecord:
    date: dt.date
    kind: str
    title: str
    minutes_sent: dt.date | None
    days: int | None
    on_time: bool | None
    press_release: bool


def compute_minutes_timeliness(params: Parameters, year: int) -> list[MinutesRecord]:
    """Per meeting in a year: minutes sent within the council's deadline?"""
    limit = params.council.publication.minutes_within_days
    rows = []
    for m in params.meetings:
        if m.date.year != year:
            continue
        days = (m.minutes_sent - m.date).days if m.minutes_sent else None
        rows.append(
            MinutesRecord(
                m.date, m.kind, m.title, m.minutes_sent, days, None if days is None else days <= limit, m.press_release
            )
        )
    return rows


@dataclass(frozen=True)
class DecisionRecord:
    date: dt.date
    title: str
    decision: str
    follow_up: str | None
    confidential: bool = False
    item: int = 0  # the item's number on the meeting's agenda, counted from 1 (as its actions name it)


def compute_decisions(params: Parameters, year: int) -> list[DecisionRecord]:
    """The decisions taken in a year and their follow-up, from the meetings as the report may see them (a
    public report's are the public view: a confidential item is "Lukket punkt" without follow-up): every decision
    item's, and any other item's that set actions going (so the year's actions are all in the list)."""
    return [
        DecisionRecord(meeting.date, item.title, item.decision, item.follow_up or None, item.confidential, number)
        for meeting in params.meetings
        if meeting.date.year == year
        for number, item in enumerate(meeting.agenda, start=1)
        if item.decision and (item.type == "decision" or item.actions)  # an item that set actions going decided
    ]
