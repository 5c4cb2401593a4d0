"""The status on the goals at a council meeting, with the agenda and decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from councilbook.analysis.meeting import MeetingStatus, compute_meeting_status
from councilbook.core import figures as fig
from councilbook.core.formats import (
    format_date,
    format_month,
    format_period_code,
    format_periods,
)
from councilbook.core.periods import period_from_code
from councilbook.core.prose import escape_markdown as md_text
from councilbook.core.prose import labelled_markdown, prose_markdown
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA, Meeting, attendance
from councilbook.parameters.model import Contract, Goal, Parameters
from councilbook.project.cutoff import meeting_cutoff
from councilbook.project.load import Project
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import CLOSED_ITEM, Scope, meeting_scope, minutes_state
from councilbook.reports.common import (
    figures_until,
    forecast_chart,
    missing_note,
    parse_as_of,
    provenance_section,
    report_intro,
    scoped_project,
    target_sentence,
    where_we_stand,
)
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import FrontPage, Item, ReportKind
from councilbook.text import present
from councilbook.text.front import decision_lines, goal_list, next_meeting_line, status_heading_line
from councilbook.text.sentences import (
    STATUS_WORDS,
    describe_adjusted,
    describe_fit,
    describe_forecast,
    describe_jobcentre_changes,
    describe_spread,
    describe_xmr,
    main_point,
    period_words,
    status_line,
    status_overview,
)


def meeting_title(meeting: Meeting) -> str:
    return f"{MEETING_KIND_LABELS_DA[meeting.kind]} {format_date(meeting.date)}: status på målene"


def meeting_nav_title(meeting: Meeting) -> str:
    return f"{format_date(meeting.date)}: {MEETING_KIND_LABELS_DA[meeting.kind]}"


def status_line_key(goal: Goal) -> str:
    """The glue key of a goal's one-line status in a meeting's report."""
    return f"status-line-{goal.id}"


def agenda_section(meeting, members: bool, params=None, as_of: date | None = None) -> Section:
    """The agenda with decisions. In public a confidential item shows only "Lukket punkt" and its
    decision; its title, case text, recommendation and follow-up appear only for members. With an
    embargo date, decisions show once the minutes are approved (objection period passed)."""
    lines = []
    show_decisions = True
    if as_of is not None and params is not None:
        state = minutes_state(meeting, params, as_of)
        show_decisions = state.state == "approved"
        if state.state == "approved" and state.objections and state.treated_by is not None:
            lines += [
                f"Beslutningsreferatet blev godkendt på mødet {format_date(state.treated_by.date)} "
                "efter en indsigelse.",
                "",
            ]
        elif state.state == "approved" and state.objections_end:
            lines += [
                f"Beslutningsreferatet er godkendt (indsigelsesfristen udløb {format_date(state.objections_end)}).",
                "",
            ]
        elif state.state == "objected":
            where = f" på mødet {format_date(state.treated_by.date)}" if state.treated_by is not None else ""
            lines += [
                f"Der er gjort indsigelse mod beslutningsreferatet; det behandles{where} under godkendelsen af "
                "referatet, og beslutningerne offentliggøres, når det er godkendt.",
                "",
            ]
        elif state.state == "draft" and state.objections_end:
            lines += [
                f"Beslutningsreferatet er et udkast; beslutningerne offentliggøres, når indsigelsesfristen "
                f"{format_date(state.objections_end)} er udløbet uden indsigelser.",
                "",
            ]
        else:
            lines += [
                "Beslutningsreferatet er endnu ikke udsendt; beslutningerne offentliggøres, når det er godkendt.",
                "",
            ]
    if show_decisions and params is not None and params.council.members:  # who took the decisions
        there, absent = attendance(params.council.members, meeting)
        lines += [
            f"**Til stede:** {md_text(', '.join(there))}.",
            "",
            f"**Afbud:** {md_text(', '.join(absent)) if absent else 'ingen'}.",
            "",
        ]
    for number, item in enumerate(meeting.agenda, start=1):
        kind = "Til beslutning" if item.type == "decision" else "Til orientering"
        hidden = item.confidential and not members
        title = CLOSED_ITEM if hidden else item.title + (" (fortroligt)" if item.confidential else "")
        lines.append(f"**{number}. {md_text(title)}** – {kind}")
        lines.append("")
        if not hidden and item.case_text:
            lines += [prose_markdown(item.case_text), ""]
        if not hidden and item.recommendation:
            lines += [labelled_markdown("Indstilling:", item.recommendation), ""]
        if item.decision and show_decisions:
            lines += [labelled_markdown("Beslutning:", item.decision), ""]
        if not hidden and item.follow_up:
            lines += [labelled_markdown("Opfølgning:", item.follow_up), ""]
    if not lines:
        lines = ["Der er ingen punkter på dagsordenen i parametrene."]
    return Section(
        heading=present.Markdown("## Dagsorden og beslutninger"),
        text=present.Markdown("\n".join(lines)),
        id="agenda",
        role="agenda",
    )


def build_status_report(
    params_dir: str | Path,
    data_path: str | Path,
    meeting_date: str | date,
    as_of: str | date | None = None,
    members: bool = False,
    computed: tuple[Project, MeetingStatus] | None = None,
) -> Report:
    """The status report at a meeting. Given ``computed`` (the project and the meeting's status, as a members' pack
    has them), the report is made from those, without reading the project again."""
    if computed is not None:
        return status_report(*computed, as_of, members)
    day = meeting_date if isinstance(meeting_date, date) else date.fromisoformat(str(meeting_date))
    project, scope = scoped_project(params_dir, data_path, "status", day.isoformat(), as_of, public=not members)
    meeting = project.params.meeting_on(day)
    result = compute_meeting_status(project.params, project.dataset, meeting)
    return status_report(project, result, scope.as_of, members, scope)


def status_report(
    project: Project,
    result: MeetingStatus,
    as_of: str | date | None = None,
    members: bool = False,
    scope: Scope | None = None,
) -> Report:
    """The status report from a meeting's computed status (for callers that have it already)."""
    from councilbook.text import charts  # matplotlib only where a chart is drawn

    params = project.params
    meeting = result.meeting
    contract: Contract = result.contract
    which = "endelig status" if result.final else "status"
    shown_until = figures_until(project, result.cutoff, contract)
    summary = present.meeting_status_table(
        result, caption=f"Kontraktens mål {contract.year}, {which} med tal til og med {format_month(shown_until)}"
    )
    previous = next((d.previous_meeting for d in result.details.values() if d.previous_meeting), None)
    shown = [STATUS_WORDS[k] for k in STATUS_WORDS if any(g.status == k for g in result.goals)]
    draft = (
        f" Kontrakten for {contract.year} er endnu et udkast og ikke offentliggjort; målene kan nå at ændre sig."
        if contract.draft
        else ""
    )
    intro = report_intro(
        project,
        f"**{MEETING_KIND_LABELS_DA[meeting.kind]}** {format_date(meeting.date)}"
        + (f", {md_text(meeting.place)}" if meeting.place else "")
        + (f". Tema: {md_text(meeting.theme)}" if meeting.theme else "")
        + ".",
        f"Materialet er udarbejdet til {format_date(result.pack_date)} med tal til og med "
        f"**{format_month(shown_until)}**"
        + (
            f" (de seneste i data; tallene til og med {format_month(result.cutoff)} var offentliggjort, da "
            "materialet blev lavet, men er endnu ikke i data)"
            if shown_until < result.cutoff
            else ""
        )
        + f". Det viser {which} for kontrakten {contract.year}: {status_overview(result.goals)}.{draft}",
        "Status bygger på "
        + ("resultatet for året" if result.final else "prognosen for året")
        + " sammenholdt med målet, som de står i tabellen, og vises med symbol og ord: "
        + ", ".join(shown)
        + ". "
        + f"*Faktisk hidtil* er tallet for årets {period_words(result.goals)} til og med "
        f"{format_month(shown_until)} og *udvikling* ændringen mod de samme perioder året før "
        "(i procentpoint for andele, i procent for antal)"
        + (
            f"; *prognose siden sidste møde* sammenligner med prognosen til mødet {format_date(previous)}."
            if previous
            else "."
        ),
    )
    sections = []
    for number, (goal, status) in enumerate(zip(contract.goals, result.goals, strict=True), start=1):
        measure = params.measures[goal.measure]
        detail = result.details[goal.id]
        caption_period = (
            format_periods(period_from_code(status.periods[0]), period_from_code(status.periods[-1]))
            if status.periods
            else format_month(result.cutoff)
        )
        if status.excluded and status.aggregation != "end_of_period" and status.periods:
            caption_period += " uden " + ", ".join(format_period_code(code) for code in status.excluded)
        text = (
            f"**Målet:** {md_text(target_sentence(goal, status, project, contract.year))}\n\n"
            f"**Status:** {present.status_cell(status.status)}. "
            f"{md_text(describe_forecast(status, goal))} "
            f"{md_text(where_we_stand(goal, status, project, result.cutoff))}\n\n"
            f"{describe_xmr(detail.xmr, result.cutoff)}"
        )
        sections.append(
            Section(
                heading=present.Markdown(f"## Mål {number}: {md_text(goal.title)}"),
                text=present.Markdown(text),
                chart=forecast_chart(project, goal, contract.year, result.cutoff, status),
                note=missing_note(project, goal, contract.year, result.cutoff, status),
                id=f"goal-{goal.id}",
            )
        )
        if detail.xmr is not None:
            per = "kvartal" if status.freq == "Q" else "måned"
            xmr = detail.xmr
            chart = present.Chart.drawn(
                charts.plot_xmr,
                *(xmr.points, xmr.centre, xmr.lower, xmr.upper, xmr.signals, goal, measure),
                f"{'Andel' if status.share else 'Antal'} pr. {per}",
                alt=charts.describe_xmr_chart(goal, measure, xmr),
            )
            unit = "kvartaler" if status.freq == "Q" else "måneder"
            sections.append(
                Section(
                    heading=present.Markdown(f"### Er ændringen reel? (mål {number})"),
                    text=present.Markdown(
                        f"Kontrolgrænserne er beregnet ud fra de {detail.xmr.baseline_points} {unit} før "
                        f"{contract.year}. Punkter med ▲ eller ▼ er signaler om en reel ændring."
                    ),
                    chart=chart,
                    id=f"xmr-{goal.id}",
                    detail=True,
                )
            )
        if not status.periods:  # no figures for the year yet: no job centre to compare
            sections.append(
                Section(
                    heading=present.Markdown(f"### Jobcentrene (mål {number})"),
                    text=present.Markdown(f"Der er endnu ingen tal for jobcentrene for {contract.year}."),
                    id=f"jobcentres-{goal.id}",
                    role="jobcentres",
                )
            )
            continue
        sections.append(
            Section(
                heading=present.Markdown(f"### Jobcentrene (mål {number})"),
                text=present.Markdown(
                    "Udviklingen i hvert jobcenter over de samme perioder som regionen; placering efter "
                    f"udviklingen mod året før, som den er vist (i {fig.change_unit_words(status.share)}).\n\n"
                    + describe_jobcentre_changes(result.jobcentres[goal.id], status.share, goal.better)
                ),
                table=replace(
                    present.jobcentre_table(
                        result.jobcentres[goal.id], status, caption=f"{goal.title}: jobcentrene, {caption_period}"
                    ),
                    collapsed=f"Vis tabellen med alle {len(result.jobcentres[goal.id])} jobcentre (mål {number})",
                ),
                id=f"jobcentres-{goal.id}",
                detail=True,
                role="jobcentres",
            )
        )
        adjusted = detail.adjusted.table
        if adjusted["actual_over_expected"].notna().any():
            sections.append(
                Section(
                    heading=present.Markdown(f"### Jobcentrene på lige vilkår (mål {number})"),
                    text=present.Markdown(
                        f"{describe_adjusted(adjusted, goal.better)}\n\n"
                        f"{describe_fit(detail.adjusted.fit, detail.adjusted.framework_years)} Et forhold under 1 "
                        "betyder et lavere niveau end forventet."
                    ),
                    chart=present.Chart.drawn(
                        charts.plot_adjusted,
                        adjusted,
                        goal,
                        alt=charts.describe_adjusted_chart(goal, adjusted),
                    ),
                    table=replace(
                        present.adjusted_table(
                            adjusted,
                            goal,
                            status,
                            caption=f"{goal.title}: jobcentrene i forhold til rammevilkårene, {caption_period}",
                        ),
                        collapsed=f"Vis tabellen med alle {len(adjusted)} jobcentre på lige vilkår (mål {number})",
                    ),
                    id=f"adjusted-{goal.id}",
                    detail=True,
                    role="jobcentres",
                )
            )
        spread = detail.spread.dropna(subset=["iqr"])
        if len(spread):
            sections.append(
                Section(
                    heading=present.Markdown(f"### Spredningen, der ikke forklares af rammevilkår (mål {number})"),
                    text=present.Markdown(
                        "Rådet arbejder for at mindske spredningen mellem jobcentrenes resultater, der ikke kan "
                        "forklares med rammevilkår. " + describe_spread(spread, goal.aggregation == "end_of_period")
                    ),
                    table=present.spread_table(
                        spread, f"{goal.title}: spredning år for år", goal.aggregation == "end_of_period"
                    ),
                    id=f"spread-{goal.id}",
                    detail=True,  # a row per year, not per job centre: a pack prints it (it is not in the workbook)
                )
            )
    embargo = parse_as_of(as_of)
    if members or embargo is None or meeting.date <= embargo:
        # Right after the goals' summary: what the council dealt with and decided, before the detail.
        sections.insert(0, agenda_section(meeting, members, params, embargo))
    provenance = collect_provenance(params, project.dataset, result.cutoff, scope)
    figures = present.status_figures(result)
    figures["provenance"] = provenance.as_dict()
    return Report(
        title=meeting_title(meeting),
        intro=intro,
        summary=summary,
        sections=sections,
        closing=provenance_section(provenance, made=result.pack_date),
        figures=figures,
        name=f"status-{meeting.date.isoformat()}",
        main_points=[main_point(goal, status) for goal, status in zip(contract.goals, result.goals, strict=True)],
        glued={
            status_line_key(goal): status_line(goal, status)
            for goal, status in zip(contract.goals, result.goals, strict=True)
        },
    )


def meeting_items(params: Parameters) -> list[Item]:
    """Every meeting, by year and within the year the newest first (the book's order everywhere)."""
    return [
        Item(
            key=m.date.isoformat(),
            value=m.date.isoformat(),
            title=meeting_title(m),
            nav_title=meeting_nav_title(m),
            year=m.date.year,
            part=f"Rådsmøder {m.date.year}",
            part_rank=(-m.date.year,),
            rank=(-m.date.toordinal(),),  # newest first, as every part: prev/next walks back in time
            fields={"date": m.date.isoformat()},
        )
        for m in params.meetings
    ]


def meeting_public_from(key: str, params: Parameters) -> date | None:
    """A meeting's page is public once the meeting is held and the contract it reports on is published."""
    meeting = params.meeting_on(date.fromisoformat(key))
    contract = params.contracts.get(meeting_cutoff(meeting, params.council).year)
    if contract is None or contract.published is None:
        return None
    return max(meeting.date, contract.published)


def meeting_notes(params: Parameters, as_of: date) -> list[str]:
    """Meetings held by ``as_of`` whose page is held back because their contract is not published yet."""
    found = []
    for meeting in params.meetings:
        year = meeting_cutoff(meeting, params.council).year
        contract = params.contracts.get(year)
        if meeting.date <= as_of and contract is not None and not contract.is_public(as_of):
            found.append(
                f"siden for mødet {format_date(meeting.date)} er holdt tilbage: den gør status på kontrakten for "
                f"{year}, som ikke er offentliggjort endnu (skriv published: i contracts/{year}.yml, når "
                "populærudgaven er ude)"
            )
    return found


def meeting_front_page(front: FrontPage) -> list[str]:
    """How the council is doing, for the first screen: each goal's status, forecast and target at the newest
    public meeting (from what that meeting's report recorded), the month of its figures, the next meeting and
    the latest approved decisions."""
    if not front.figures.get("goals"):
        return []
    days = [date.fromisoformat(key) for key in front.keys]
    return [
        "## Målene lige nu",
        "",
        status_heading_line(front.figures, front.page, front.nav_title)
        + goal_list(front.figures)
        + next_meeting_line(front.params, front.as_of or max(days)),
        "",
        *decision_lines(front.params, days, front.as_of),
    ]


KIND = ReportKind(
    id="status",
    made_for="meeting",
    parameter="meeting_date",
    items=meeting_items,
    scope=meeting_scope,
    public_from=meeting_public_from,
    build=build_status_report,
    latest_label="Seneste rådsmøde",
    order=1,
    cost=2,
    notes=meeting_notes,
    front_page=meeting_front_page,
)
