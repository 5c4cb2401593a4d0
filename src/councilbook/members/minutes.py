"""After the meeting: the decision minutes (beslutningsreferat) and a press release draft.

The minutes hold each agenda item with the chair's conclusion (the decision in
the parameters). They are a draft ("udkast") until the objection period after
they were sent has passed without objections; then they count as approved
("godkendt") and the public book shows the decisions. Confidential items show
only "Lukket punkt" and the decision in public; the members' minutes show their
titles.

The press release draft gives the headline decisions (never a confidential
item's) and the status on the goals in plain Danish, within one page, for the
chair to approve.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from councilbook.analysis import compute
from councilbook.analysis.validate import load_project
from councilbook.build.pdf import print_to_pdf
from councilbook.core.errors import InputError, Problem
from councilbook.core.formats import STATUS_LABELS, format_date, format_month
from councilbook.core.prose import inline_html
from councilbook.parameters.model import MEETING_KIND_LABELS_DA, Meeting, Parameters
from councilbook.publication.scope import CLOSED_ITEM, MinutesState, minutes_state
from councilbook.text.sentences import describe_forecast

CSS = """
@page { size: A4; margin: 20mm 18mm; @bottom-right { content: counter(page) " / " counter(pages);
  font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #444; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #222; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 6pt; } h2 { font-size: 12pt; margin: 14pt 0 4pt; }
.state { display: inline-block; border: 2px solid #D55E00; color: #D55E00; padding: 2pt 8pt; font-weight: bold; }
.state.approved { border-color: #0072B2; color: #0072B2; }
.meta { color: #444; }
.missing { color: #D55E00; }
"""


def minutes_html(params: Parameters, meeting: Meeting, state: MinutesState, members: bool) -> str:
    council = params.council
    parts = [
        f"<p class='meta'>{html.escape(council.name)}</p>",
        f"<h1>Beslutningsreferat: {html.escape(MEETING_KIND_LABELS_DA[meeting.kind])} "
        f"{html.escape(format_date(meeting.date))}</h1>",
        f"<p class='state {state.state}'>Status: {state.label}</p>",
    ]
    if state.sent and state.objections_end:
        parts.append(
            f"<p class='meta'>Udsendt {format_date(state.sent)}. Indsigelser skal være sekretariatet i "
            f"hænde senest {format_date(state.objections_end)}; uden indsigelser er referatet godkendt.</p>"
        )
    for number, item in enumerate(meeting.agenda, start=1):
        hidden = item.confidential and not members
        title = CLOSED_ITEM if hidden else item.title
        parts.append(f"<h2>{number}. {html.escape(title)}</h2>")
        if item.recommendation and not hidden:
            parts.append(f"<div><strong>Indstilling:</strong> {inline_html(item.recommendation)}</div>")
        if item.decision:
            parts.append(f"<div><strong>Beslutning:</strong> {inline_html(item.decision)}</div>")
        else:
            parts.append(
                "<p class='missing'><strong>Beslutning:</strong> <em>ikke registreret</em> – skal skrives ind "
                "(decision i parametrene), før referatet sendes.</p>"
            )
    if not meeting.agenda:
        parts.append("<p>Der er ingen punkter på dagsordenen i parametrene.</p>")
    return (
        f"<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Beslutningsreferat "
        f"{meeting.date.isoformat()}</title><style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def press_release_html(params: Parameters, meeting: Meeting, status: compute.MeetingStatus) -> str:
    council = params.council
    decisions = [i for i in meeting.agenda if i.decision and not i.confidential and i.type == "decision"]
    goals = []
    for goal, s in zip(status.contract.goals, status.goals, strict=True):
        goals.append(
            f"<li>{html.escape(goal.title)}: {STATUS_LABELS[s.status][0]} "
            f"{html.escape(STATUS_LABELS[s.status][1].lower())}. "
            f"{html.escape(describe_forecast(s, goal))}</li>"
        )
    on_track = sum(s.status == "on_track" for s in status.goals)
    headline = (
        f"{council.short_name}: {on_track} af {len(status.goals)} mål på rette spor"
        if not decisions
        else f"{council.short_name}: {decisions[0].title}"
    )
    body = [
        "<p class='state'>Udkast til pressemeddelelse – til formandens godkendelse</p>",
        f"<h1>{html.escape(headline)}</h1>",
        f"<p class='meta'>{html.escape(format_date(meeting.date))}</p>",
        f"<p>{html.escape(council.name)} holdt {html.escape(MEETING_KIND_LABELS_DA[meeting.kind].lower())} "
        f"{html.escape(format_date(meeting.date))}"
        + (f" med temaet {html.escape(meeting.theme)}" if meeting.theme else "")
        + ".</p>",
    ]
    if decisions:
        body.append(
            "<h2>Rådets beslutninger</h2><ul>"
            + "".join(
                f"<li><strong>{html.escape(d.title)}:</strong> {inline_html(d.decision or '')}</li>" for d in decisions
            )
            + "</ul>"
        )
    body.append(
        f"<h2>Status på målene for {status.contract.year}</h2>"
        f"<p>Med tal til og med {format_month(status.cutoff)}:</p><ul>{''.join(goals)}</ul>"
    )
    body.append(f"<p class='meta'>Yderligere oplysninger: {html.escape(council.website or council.region)}</p>")
    return (
        f"<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Pressemeddelelse "
        f"{meeting.date.isoformat()}</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


@dataclass(frozen=True)
class AfterMeeting:
    minutes: Path
    press_release: Path
    state: MinutesState
    undecided: tuple[str, ...] = ()  # items without a recorded decision (the minutes are a draft)


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
                    f"the meeting {meeting.date.isoformat()} has not been held yet (today is {as_of.isoformat()}); "
                    "decision minutes are written after the meeting",
                )
            ]
        )
    folder = out_dir / meeting.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    state = minutes_state(meeting, params, as_of)
    minutes_page = folder / "referat.html"
    minutes_page.write_text(minutes_html(params, meeting, state, members=True), encoding="utf-8")
    minutes_pdf = print_to_pdf(minutes_page, folder / f"referat-{meeting.date.isoformat()}.pdf")
    status = compute.compute_meeting_status(params, project.dataset, meeting, with_details=False)
    press_page = folder / "pressemeddelelse.html"
    press_page.write_text(press_release_html(params, meeting, status), encoding="utf-8")
    press_pdf = print_to_pdf(press_page, folder / f"pressemeddelelse-{meeting.date.isoformat()}.pdf")
    undecided = tuple(f"{n}. {item.title}" for n, item in enumerate(meeting.agenda, start=1) if not item.decision)
    return AfterMeeting(minutes_pdf, press_pdf, state, undecided)
