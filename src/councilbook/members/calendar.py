"""The council's deadlines from the parameters and the annual cycle.

For every meeting: the members' material is due ``material_ready_days`` before it;
the decision minutes are due ``minutes_within_days`` after it; objections end
``objections_within_days`` after the minutes were sent (or were due); with no
objections the minutes are then approved and published. Every evaluation is a
deadline of its own, and so is each publication day a report kind names (the analysis report, the key
figures, the bottleneck overviews), and so is every action in the action log (members/actions.py). A
deadline is *overdue* when it has passed and what it asks for is not registered (minutes without
``minutes_sent``, an action without ``done``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from councilbook.analysis.actions import collect_actions
from councilbook.core.formats import format_date
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA
from councilbook.parameters.model import Parameters
from councilbook.reports.registry import load_kinds


@dataclass(frozen=True)
class Deadline:
    day: date
    what: str
    meeting: date | None
    state: str  # "done", "overdue", "due" (today or later), "passed"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "date": self.day.isoformat(),
            "what": self.what,
            "meeting": self.meeting.isoformat() if self.meeting else None,
            "state": self.state,
        }


STATE_LABELS = {"done": "✔ udført", "overdue": "✖ forfalden", "due": "kommende", "passed": "overstået"}


def compute_deadlines(params: Parameters, as_of: date) -> list[Deadline]:
    rules = params.council.publication
    deadlines: list[Deadline] = []

    def state(day: date, done: bool | None = None) -> str:
        if done:
            return "done"
        if day >= as_of:
            return "due"
        return "overdue" if done is False else "passed"

    for m in params.meetings:
        label = f"{MEETING_KIND_LABELS_DA[m.kind]} {format_date(m.date)}"
        pack_due = m.date - timedelta(days=rules.material_ready_days)
        deadlines.append(Deadline(pack_due, f"Materiale til medlemmerne: {label}", m.date, state(pack_due)))
        deadlines.append(Deadline(m.date, f"Møde: {label}", m.date, state(m.date)))
        minutes_due = m.date + timedelta(days=rules.minutes_within_days)
        sent = m.minutes_sent is not None and m.minutes_sent <= as_of
        deadlines.append(
            Deadline(
                minutes_due,
                f"Beslutningsreferat sendes: {label}",
                m.date,
                state(minutes_due, True if sent else (False if minutes_due < as_of else None)),
            )
        )
        objections_end = (m.minutes_sent or minutes_due) + timedelta(days=rules.objections_within_days)
        deadlines.append(
            Deadline(objections_end, f"Frist for indsigelser mod referatet: {label}", m.date, state(objections_end))
        )
        deadlines.append(
            Deadline(
                objections_end + timedelta(days=1),
                f"Referatet godkendt og offentliggjort (uden indsigelser): {label}",
                m.date,
                state(objections_end + timedelta(days=1)),
            )
        )
    for action in collect_actions(params):  # the action log: what the council's decisions set going
        if action.cancelled:
            continue
        state_now = action.state(as_of)
        deadlines.append(
            Deadline(
                action.deadline,
                f"Handling: {action.what} ({action.owner}; besluttet {format_date(action.meeting)})",
                action.meeting,
                "done" if state_now == "done" else ("overdue" if state_now == "overdue" else state(action.deadline)),
            )
        )
    for evaluation in params.evaluations.values():
        deadlines.append(Deadline(evaluation.date, f"Evaluering: {evaluation.title}", None, state(evaluation.date)))
    for kind in load_kinds().values():  # the publication days of the other report kinds
        for due in kind.deadlines(params):
            deadlines.append(Deadline(due.day, due.text, None, state(due.day)))
    return sorted(deadlines, key=lambda d: (d.day, d.what))


def coming_deadlines(params: Parameters, as_of: date, count: int = 10) -> list[Deadline]:
    """Overdue deadlines first, then the next ``count`` from ``as_of`` on."""
    everything = compute_deadlines(params, as_of)
    overdue = [d for d in everything if d.state == "overdue"]
    ahead = [d for d in everything if d.day >= as_of][:count]
    return overdue + ahead
