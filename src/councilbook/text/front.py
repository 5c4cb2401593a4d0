"""The front page's answer to "how is the council doing?", short enough for the first screen of a phone.

Every line is made from what a report recorded (its figures, :meth:`Report.record`) or from the public
parameters: each goal's status (symbol, word and colour, as in the reports' tables), its forecast against
its target, the month the figures run to, the next meeting, and the decisions of the latest meeting whose
minutes are approved (confidential items as "Lukket punkt").
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from councilbook.core.formats import MISSING, format_date, format_month
from councilbook.core.periods import PeriodCodeError, period_from_code
from councilbook.core.prose import inline_html
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA, Meeting
from councilbook.parameters.model import Parameters
from councilbook.publication.scope import minutes_state, public_meeting
from councilbook.text.present import STATUS_CLASSES, status_cell

AGENDA_ANCHOR = "dagsorden-og-beslutninger"  # the heading "Dagsorden og beslutninger" of a meeting's page


def figures_month(figures: Mapping[str, Any]) -> str | None:
    """``september 2013``: the month a report's figures run to (its provenance's cut-off), if it says."""
    code = (figures.get("provenance") or {}).get("cutoff")
    if not code:
        return None
    try:
        return format_month(period_from_code(str(code)))
    except PeriodCodeError:
        return None


def goal_list(figures: Mapping[str, Any]) -> str:
    """One item per goal: its title, its status (symbol, word and the status colour) and the forecast
    (the result, once the year is final) against the target, as the report's status table shows them."""
    year = figures.get("contract_year")
    items = []
    for goal in figures.get("goals", []):
        text = goal.get("text", {})
        code = goal["status"]
        status = f'<span class="cb-front-status {STATUS_CLASSES[code]}">{html.escape(status_cell(code))}</span>'
        parts = []
        forecast = text.get("forecast", MISSING)
        if forecast != MISSING:
            word = "Resultat" if goal.get("final") else "Prognose"
            parts.append(f"{word} for {year}: {forecast}" if year else f"{word}: {forecast}")
        target = text.get("target", MISSING)
        if target != MISSING:
            parts.append(f"mål: {target}")
        # each part kept on one line: a phone breaks between forecast and target, not inside them
        joined = " · ".join(f'<span class="cb-nowrap">{html.escape(part)}</span>' for part in parts)
        figures_line = f'<span class="cb-front-figures">{joined}</span>' if parts else ""
        items.append(
            f'<li><span class="cb-front-goal">{html.escape(goal["title"])}</span> {status}'
            + (f"<br>{figures_line}" if figures_line else "")
            + "</li>"
        )
    return '<ul class="cb-front-goals">' + "".join(items) + "</ul>"


def status_heading_line(figures: Mapping[str, Any], page: str, nav_title: str) -> str:
    """``Status ved 11. december 2013: Rådsmøde med temadrøftelse · tal til og med september 2013``."""
    link = f'<a href="{html.escape(page)}.html">{html.escape(nav_title)}</a>'
    month = figures_month(figures)
    when = f" · tal til og med {html.escape(month)}" if month else ""
    return f'<p class="cb-front-meta">Status ved {link}{when}</p>'


def next_meeting(params: Parameters, after: date) -> Meeting | None:
    """The first meeting in the meeting plan after ``after``."""
    coming = [m for m in params.meetings if m.date > after]
    return min(coming, key=lambda m: m.date) if coming else None


def next_meeting_line(params: Parameters, after: date) -> str:
    """``Næste møde: 11. december 2013, Rådsmøde med temadrøftelse, kl. 14.00–17.00``; when the meeting plan
    holds no later meeting, it says so."""
    meeting = next_meeting(params, after)
    if meeting is None:
        return '<p class="cb-front-next"><strong>Næste møde:</strong> ikke fastsat i mødeplanen endnu</p>'
    parts = [format_date(meeting.date), MEETING_KIND_LABELS_DA[meeting.kind]]
    if meeting.time_span:
        parts.append(meeting.time_span)
    return f'<p class="cb-front-next"><strong>Næste møde:</strong> {html.escape(", ".join(parts))}</p>'


def latest_decided(params: Parameters, days: Iterable[date], as_of: date | None) -> Meeting | None:
    """Of the meetings on ``days`` (those with a public page), the latest whose minutes are approved by
    ``as_of`` (None: every decision recorded is public) and that decided anything beyond the standard items;
    as the public may see it (:func:`public_meeting`)."""
    for day in sorted(set(days), reverse=True):
        meeting = params.meeting_on(day)
        if as_of is not None and minutes_state(meeting, params, as_of).state != "approved":
            continue
        shown = public_meeting(meeting, params, as_of)
        if decisions(shown):
            return shown
    return None


def decisions(meeting: Meeting) -> list[tuple[str, str]]:
    """(item title, decision) of a public meeting's own items (not the agenda, the minutes, other business)."""
    return [(item.title, item.decision) for item in meeting.agenda if item.standard is None and item.decision]


def decision_lines(params: Parameters, days: Sequence[date], as_of: date | None) -> list[str]:
    """The latest approved decisions as Markdown lines (a heading, the meeting, a list), or nothing."""
    meeting = latest_decided(params, days, as_of)
    if meeting is None:
        return []
    page = f"meetings/{meeting.slug}.html#{AGENDA_ANCHOR}"
    approved = " (godkendt referat)" if as_of is not None else ""
    items = "".join(
        f'<li><span class="cb-front-item">{html.escape(title)}:</span> {inline_html(decision)}</li>'
        for title, decision in decisions(meeting)
    )
    return [
        "## Seneste beslutninger",
        "",
        f'<p class="cb-front-meta">Fra <a href="{html.escape(page)}">{html.escape(format_date(meeting.date))}: '
        f"{html.escape(MEETING_KIND_LABELS_DA[meeting.kind])}</a>{approved}</p>"
        f'<ul class="cb-front-decisions">{items}</ul>',
        "",
    ]
