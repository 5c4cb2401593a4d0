"""The action log: what the council's decisions set going (``actions`` on an agenda item), tracked across
meetings until done.

An action is *done* from the day it was done, *cancelled* when the council dropped it, *overdue* when its
deadline has passed and it is not done, and *open* until then. The pack shows the open and overdue actions
decided before its meeting, ``councilbook calendar`` lists their deadlines, and the evaluation counts the
year's actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from councilbook.core.formats import format_date
from councilbook.parameters.model import Parameters

ActionState = Literal["open", "overdue", "done", "cancelled"]
ACTION_STATE_LABELS_DA: dict[str, str] = {
    "open": "åben",
    "overdue": "forfalden",
    "done": "udført",
    "cancelled": "aflyst",
}


@dataclass(frozen=True)
class TrackedAction:
    meeting: date  # the meeting whose decision set it going
    item_number: int  # the item's number on that meeting's agenda, counted from 1
    item_title: str
    confidential: bool
    what: str
    owner: str
    deadline: date
    done: date | None
    cancelled: bool

    def state(self, as_of: date) -> ActionState:
        if self.cancelled:
            return "cancelled"
        if self.done is not None and self.done <= as_of:
            return "done"
        return "overdue" if self.deadline < as_of else "open"

    def as_dict(self, as_of: date) -> dict[str, str | int | bool | None]:
        return {
            "meeting": self.meeting.isoformat(),
            "item": self.item_number,
            "what": self.what,
            "owner": self.owner,
            "deadline": self.deadline.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "state": self.state(as_of),
            "confidential": self.confidential,
        }


def collect_actions(params: Parameters, decided_before: date | None = None) -> list[TrackedAction]:
    """Every action in the parameters (decided at meetings before ``decided_before``), by deadline."""
    actions = [
        TrackedAction(
            meeting.date,
            number,
            item.title,
            item.confidential,
            action.what,
            action.owner,
            action.deadline,
            action.done,
            action.cancelled,
        )
        for meeting in params.meetings
        if decided_before is None or meeting.date < decided_before
        for number, item in enumerate(meeting.agenda, start=1)
        for action in item.actions
    ]
    return sorted(actions, key=lambda a: (a.deadline, a.meeting, a.item_number, a.what))


def pending_actions(params: Parameters, meeting_date: date, as_of: date) -> list[TrackedAction]:
    """The actions a meeting's pack shows: decided before the meeting, not done or cancelled by ``as_of``;
    overdue ones first."""
    pending = [a for a in collect_actions(params, meeting_date) if a.state(as_of) in ("open", "overdue")]
    return sorted(pending, key=lambda a: (a.state(as_of) != "overdue", a.deadline))


@dataclass(frozen=True)
class ActionCounts:
    total: int
    done: int
    done_on_time: int
    open: int
    overdue: int
    cancelled: int


def count_actions(params: Parameters, year: int, as_of: date) -> ActionCounts:
    """The actions decided at the meetings of ``year``, by their state on ``as_of``."""
    actions = [a for a in collect_actions(params) if a.meeting.year == year]
    states = [a.state(as_of) for a in actions]
    on_time = sum(1 for a, s in zip(actions, states, strict=True) if s == "done" and a.done and a.done <= a.deadline)
    return ActionCounts(
        total=len(actions),
        done=states.count("done"),
        done_on_time=on_time,
        open=states.count("open"),
        overdue=states.count("overdue"),
        cancelled=states.count("cancelled"),
    )


def describe_action_counts(counts: ActionCounts) -> str:
    """`` Beslutningerne satte 5 handlinger i gang: 3 er udført (2 inden fristen), ...``, or empty when the
    year's decisions set none going (the parameters give no actions)."""
    if counts.total == 0:
        return ""
    parts = [f"{counts.done} er udført ({counts.done_on_time} inden fristen)"]
    if counts.open:
        parts.append(f"{counts.open} er i gang")
    if counts.overdue:
        parts.append(f"{counts.overdue} har overskredet fristen")
    if counts.cancelled:
        parts.append(f"{counts.cancelled} er aflyst")
    listed = ", ".join(parts[:-1]) + " og " + parts[-1] if len(parts) > 1 else parts[0]
    noun = "handling" if counts.total == 1 else "handlinger"
    return f" Beslutningerne satte {counts.total} {noun} i gang: {listed}."


def actions_of(actions: Sequence[TrackedAction], meeting: date, item_number: int) -> list[TrackedAction]:
    """The actions that the decision on item ``item_number`` of the meeting of ``meeting`` set going."""
    return [a for a in actions if a.meeting == meeting and a.item_number == item_number]


def describe_follow_up(actions: Sequence[TrackedAction], as_of: date) -> str:
    """What a decision's actions had come to on ``as_of``, one after the other: ``Sende rådets bemærkninger til
    jobcentrene: udført 28. juni 2012 (frist 1. juli 2012)``, ``…: åben, frist 1. juli 2012``; empty without any."""

    def state(action: TrackedAction) -> str:
        now = action.state(as_of)
        label = ACTION_STATE_LABELS_DA[now]  # the words the action log uses for its states
        if now == "done" and action.done is not None:
            return f"{label} {format_date(action.done)} (frist {format_date(action.deadline)})"
        if now == "cancelled":
            return label
        return f"{label}, frist {format_date(action.deadline)}"

    return "; ".join(f"{action.what}: {state(action)}" for action in actions)
