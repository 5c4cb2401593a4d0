"""After the meeting: the decision minutes (beslutningsreferat) and a press release draft.

The minutes give the meeting, its time and place, who was there and who sent apologies, and each
agenda item with its recommendation and the decision as taken (the decision in the parameters; a
missing one is marked missing, never filled in). They are a draft ("udkast") until the objection
period after they were sent has passed without objections; then they count as approved ("godkendt")
and the public book shows the decisions. An objection received in time (by letter in the parameters, or
through the members' portal) keeps them "ikke godkendt" until the next meeting has decided on them.
Confidential items show only "Lukket punkt" and the
decision in public; the members' minutes show their titles.

The press release draft leads with what is news at the meeting (a decision, else a goal whose status
changed since the previous meeting, else the theme), then the decisions (never a confidential
item's), the chair's quote from the parameters, the goals in plain words without symbols or forecast
ranges, the job centres with the best results, and a named contact: one page, for the chair to
approve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from councilbook.analysis.meeting import MeetingStatus, compute_meeting_status
from councilbook.analysis.status import GoalStatus, compute_contract_status
from councilbook.assembly.pdf import print_to_pdf, printing
from councilbook.core import figures as fig
from councilbook.core.errors import InputError, Problem
from councilbook.core.formats import STATUS_LABELS, format_date, format_month, join_and
from councilbook.data.ingest import Dataset
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA, AgendaItem, Meeting, Member, attendance
from councilbook.parameters.model import Council, Goal, Parameters
from councilbook.project.cutoff import meeting_cutoff
from councilbook.project.load import load_project
from councilbook.publication.scope import CLOSED_ITEM, MinutesState, minutes_state
from councilbook.text import present, render

MINUTES_CSS = "minutes.css"  # the minutes' and the press releases' stylesheet (councilbook/templates/)
CSS = "\n" + render.stylesheet(MINUTES_CSS)  # as the pages inline it (members/press.py too)
MINUTES_PAGE = "minutes.html.j2"
MEETING_PRESS_PAGE = "meeting_press.html.j2"  # extends press.html.j2, the press releases' page


def meeting_facts(meeting: Meeting) -> list[tuple[str, str]]:
    """A meeting's date, time, place and theme (those the parameters give), as label and text."""
    facts = [("Dato", format_date(meeting.date))]
    for label, value in (("Tid", meeting.time_span), ("Sted", meeting.place), ("Tema", meeting.theme)):
        if value:
            facts.append((label, value))
    return facts


def facts_html(facts: list[tuple[str, str]]) -> str:
    return str(render.macros("meeting.html.j2").facts(facts))


def council_chair(council: Council) -> Member | None:
    return next((m for m in council.members if m.role == "chair"), None)


def contact_html(council: Council, contact: str | None = None) -> str:
    """ "Yderligere oplysninger: …": the contact given, else the chair, and the council's site."""
    chair = council_chair(council)
    who = contact or (f"{chair.name}, formand" if chair else None)
    text = ", ".join(x for x in (who, council.website) if x) or council.region
    return str(render.macros("meeting.html.j2").contact(text))


def minutes_html(params: Parameters, meeting: Meeting, state: MinutesState, members: bool) -> str:
    """The decision minutes: meeting, time, place, who was there and who was not, then each item with its
    recommendation and the decision as taken. In the public version (``members=False``) a confidential item
    is "Lukket punkt" with its decision only. A missing decision is marked missing, never filled in."""
    facts = meeting_facts(meeting)
    present_, absent = attendance(params.council.members, meeting)
    if present_:
        facts.append(("Til stede", ", ".join(present_)))
    if params.council.members:
        facts.append(("Afbud", ", ".join(absent) if absent else "ingen"))
    items = []
    for number, item in enumerate(meeting.agenda, start=1):
        hidden = item.confidential and not members
        items.append(
            {
                "number": number,
                "item": item,
                "hidden": hidden,
                "title": CLOSED_ITEM if hidden else item.title + (" (fortroligt)" if item.confidential else ""),
                "actions": [
                    {"what": a.what, "owner": a.owner, "deadline": format_date(a.deadline)} for a in item.actions
                ],
            }
        )
    return render.render(
        MINUTES_PAGE,
        css=Markup(CSS),
        iso_date=meeting.date.isoformat(),
        council=params.council,
        kind=MEETING_KIND_LABELS_DA[meeting.kind],
        date=format_date(meeting.date),
        state=state,
        state_label=state.label.capitalize(),
        pairs=facts,
        sent=format_date(state.sent) if state.sent else None,
        objections_end=format_date(state.objections_end) if state.objections_end else None,
        objected_by=join_and([f"{o.member} ({format_date(o.received)})" for o in state.objections]),
        treated_on=format_date(state.treated_by.date) if state.treated_by is not None else None,
        items=items,
        members=members,
    )


def _first_sentence(text: str) -> str:
    """The first sentence of a text, without its full stop: a headline."""
    plain = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in plain:
            plain = plain.split(end, 1)[0]
    return plain.rstrip(".!? ")


def _verdict(status: str) -> str:
    """A status as news sees it: "on track" becoming "attained" at the year's end is no change."""
    return {"attained": "on_track", "not_attained": "off_track"}.get(status, status)


@dataclass(frozen=True)
class News:
    """What is news at a meeting, for the press release: in order of weight."""

    decisions: list[AgendaItem]  # public decisions the council took (not the standard items)
    changed: list[tuple[Goal, GoalStatus, GoalStatus]]  # goal, before, now
    theme: str | None


def find_news(meeting: Meeting, status: MeetingStatus, before: list[GoalStatus] | None) -> News:
    """The meeting's news; ``before`` is the goals' status at the previous meeting of the same contract year."""
    decisions = [
        i for i in meeting.agenda if i.decision and not i.confidential and i.type == "decision" and i.standard is None
    ]
    changed = []
    if before is not None:
        for goal, now, then in zip(status.contract.goals, status.goals, before, strict=True):
            if _verdict(now.status) != _verdict(then.status) and "no_data" not in (now.status, then.status):
                changed.append((goal, then, now))
    return News(decisions, changed, meeting.theme if meeting.kind == "theme" else None)


def headline(news: News, status: MeetingStatus) -> str:
    """The press release's headline from what is news: a decision, else a goal whose status changed, else the
    theme discussed, else how many goals are on track."""
    if news.decisions:
        return _first_sentence(news.decisions[0].decision or news.decisions[0].title)
    if news.changed:
        goal, _then, now = news.changed[0]
        return f"{goal.title}: målet er nu {STATUS_LABELS[now.status][1].lower()}"
    if news.theme:
        return f"Rådet satte fokus på {news.theme[0].lower() + news.theme[1:]}"
    on_track = sum(s.status in ("on_track", "attained") for s in status.goals)
    return f"{on_track} af {len(status.goals)} mål i kontrakten for {status.contract.year} er på rette spor"


def plain_goal_line(goal: Goal, status: GoalStatus) -> str:
    """A goal's status in plain words, without symbols or forecast ranges."""
    word = STATUS_LABELS[status.status][1].lower()
    f = status.figures
    if f.forecast.known and f.target.known:
        what = "resultatet" if status.final else "den forventede værdi"
        return (
            f"{goal.title}: {word}. For {status.contract_year} er {what} {f.forecast.text}; "
            f"målet er {present.target_cell(status)}."
        )
    return f"{goal.title}: {word}."


def local_angle(status: MeetingStatus, count: int = 2) -> list[str]:
    """Job centres with notable results: for each goal, those with the best change against last year."""
    lines = []
    for goal, goal_status in zip(status.contract.goals, status.goals, strict=True):
        table = status.jobcentres.get(goal.id)
        if table is None or "rank" not in table or table["rank"].notna().sum() < 2 * count:
            continue
        best = table.dropna(subset=["rank"]).sort_values("rank").head(count)
        share = goal_status.share
        named = [
            f"{row.jobcentre} ({fig.change(fig.level(row.actual, share), fig.level(row.last_year, share)).text})"
            for row in best.itertuples()
        ]
        lines.append(f"{goal.title}: den bedste udvikling mod året før har {' og '.join(named)}.")
    return lines


def press_release_html(
    params: Parameters,
    meeting: Meeting,
    status: MeetingStatus,
    before: list[GoalStatus] | None = None,
) -> str:
    """A press release a chair would send, in plain language on one page: the headline from what is news,
    the decisions, the goals in words, the chair's quote (if the parameters give one), the local angle and
    a named contact."""
    council = params.council
    news = find_news(meeting, status, before)
    chair = council_chair(council)
    title = headline(news, status)
    lead = f"{council.name} holdt {MEETING_KIND_LABELS_DA[meeting.kind].lower()} {format_date(meeting.date)}"
    if news.theme:
        lead += f" med temaet {news.theme[0].lower() + news.theme[1:]}"
    return render.render(
        MEETING_PRESS_PAGE,
        page_title=f"Pressemeddelelse {meeting.date.isoformat()}",
        css=Markup(CSS),
        council=council,
        day=format_date(meeting.date),
        headline=title,
        lead=lead,
        decisions=news.decisions,
        quote=meeting.quote,
        who=(f"siger formand {chair.name}" if chair else "siger rådets formand"),
        changed=[
            (goal.title, STATUS_LABELS[then.status][1].lower(), STATUS_LABELS[now.status][1].lower())
            for goal, then, now in news.changed
        ],
        year=status.contract.year,
        month=format_month(status.cutoff),
        goal_lines=[plain_goal_line(goal, s) for goal, s in zip(status.contract.goals, status.goals, strict=True)],
        angle=local_angle(status),
        contact=Markup(contact_html(council, meeting.contact)),
    )


@dataclass(frozen=True)
class AfterMeeting:
    minutes: Path
    press_release: Path
    state: MinutesState
    public_minutes: Path | None = None
    undecided: tuple[str, ...] = ()  # items without a recorded decision (the minutes are a draft)


@printing()  # its prints in one Chromium
def build_after_meeting(
    params_dir: Path, data_path: Path, meeting_date: date, out_dir: Path, as_of: date
) -> AfterMeeting:
    """The members' decision minutes and the press release draft, as HTML and PDF, in out_dir/<date>/."""
    project = load_project(params_dir, data_path)
    params = project.params
    meeting = params.meeting_on(meeting_date)
    if meeting.date > as_of:
        raise InputError(
            [
                Problem(
                    "--meeting",
                    "",
                    f"mødet {format_date(meeting.date)} er ikke holdt endnu (i dag er {format_date(as_of)}); "
                    "beslutningsreferatet skrives efter mødet",
                )
            ]
        )
    folder = out_dir / meeting.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    state = minutes_state(meeting, params, as_of)
    minutes_page = folder / "referat.html"
    minutes_page.write_text(minutes_html(params, meeting, state, members=True), encoding="utf-8")
    minutes_pdf = print_to_pdf(minutes_page, folder / f"referat-{meeting.date.isoformat()}.pdf")
    public_page = folder / "referat-offentligt.html"
    public_page.write_text(minutes_html(params, meeting, state, members=False), encoding="utf-8")
    public_pdf = print_to_pdf(public_page, folder / f"referat-offentligt-{meeting.date.isoformat()}.pdf")
    status = compute_meeting_status(params, project.dataset, meeting, with_details=False)
    before = previous_goals(params, project.dataset, meeting, status)
    press_page = folder / "pressemeddelelse.html"
    press_page.write_text(press_release_html(params, meeting, status, before), encoding="utf-8")
    press_pdf = print_to_pdf(press_page, folder / f"pressemeddelelse-{meeting.date.isoformat()}.pdf")
    undecided = tuple(f"{n}. {item.title}" for n, item in enumerate(meeting.agenda, start=1) if not item.decision)
    return AfterMeeting(minutes_pdf, press_pdf, state, public_pdf, undecided)


def previous_goals(
    params: Parameters, dataset: Dataset, meeting: Meeting, status: MeetingStatus
) -> list[GoalStatus] | None:
    """The goals' status at the previous meeting, when it reported on the same contract year."""
    before = params.previous_meeting(meeting)
    if before is None:
        return None
    cutoff = meeting_cutoff(before, params.council)
    if cutoff.year != status.contract.year or cutoff > status.cutoff:
        return None
    return compute_contract_status(params, dataset, status.contract, cutoff)
