"""The contract's popular edition: the goals in plain Danish, where we stand, the meeting plan."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from councilbook.analysis.status import compute_contract_status, compute_goal_status
from councilbook.core import figures as fig
from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.formats import (
    format_date,
    format_day_month_short,
    format_period_code,
)
from councilbook.core.prose import escape_markdown as md_text
from councilbook.core.prose import labelled_markdown, prose_list, prose_markdown
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA
from councilbook.parameters.model import Parameters
from councilbook.project.cutoff import compute_cutoff
from councilbook.project.load import Project
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import contract_scope
from councilbook.reports.common import (
    figures_until_text,
    goal_measure_ids,
    history_chart,
    missing_note,
    provenance_section,
    report_intro,
    scoped_project,
    target_sentence,
    where_we_stand,
)
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import Item, PressText, ReportKind
from councilbook.text import present
from councilbook.text.danish import subject_clause


def contract_title(year: int) -> str:
    return f"Resultatkontrakt {year} – populærudgave"


def build_contract_report(
    params_dir: str | Path, data_path: str | Path, contract_year: int, as_of: str | date | None = None
) -> Report:
    project, scope = scoped_project(params_dir, data_path, "contract", contract_year, as_of)
    params = project.params
    contract = params.contracts[int(contract_year)]
    council = params.council
    assert contract.published is not None  # a draft has no popular edition (scope_report refuses it)
    cutoff = compute_cutoff(contract.published, council)
    # Where we stand when the contract is published: the cut-off year's figures so far.
    sections = []
    figures: dict[str, Any] = {"contract_year": contract.year, "cutoff": str(cutoff), "goals": []}
    sentences = []
    for number, goal in enumerate(contract.goals, start=1):
        measure = params.measures[goal.measure]
        latest = compute_goal_status(params, project.dataset, goal, cutoff.year, cutoff)
        target_text = target_sentence(goal, latest, project, contract.year)
        sentences.append(target_text)
        stand = where_we_stand(goal, latest, project, cutoff)
        baseline = latest.figures.baseline
        baseline_text = (
            f"Udgangspunktet er {format_period_code(goal.baseline)}, hvor {subject_clause(goal, measure)} var "
            f"{baseline.text}."
            if baseline.known
            else f"Udgangspunktet er {format_period_code(goal.baseline)}. "
            + present.describe_missing([m for m in latest.missing if m.part == "baseline"])
        )
        actions = prose_list(goal.actions)
        text = (
            f"**Målet:** {md_text(target_text)}\n\n"
            f"{labelled_markdown('Hvorfor er det vigtigt?', goal.why, bold=True)}\n\n"
            f"**Hvor står vi?** {md_text(baseline_text)} {md_text(stand)}\n\n"
            f"**Det gør rådet:**\n\n{actions}"
        )
        sections.append(
            Section(
                heading=present.Markdown(f"## Mål {number}: {md_text(goal.title)}"),
                text=present.Markdown(text),
                chart=history_chart(project, goal, contract.year, cutoff, latest),
                note=missing_note(project, goal, contract.year, cutoff),
            )
        )
        f = latest.figures
        figures["goals"].append(
            {
                "goal_id": goal.id,
                "target_text": target_text,
                "unit": f.actual.unit,
                **fig.json_fields("baseline", f.baseline),
                **fig.json_fields("target", f.target),
                **fig.json_fields("latest", f.actual),
                "latest_periods": list(latest.periods),
            }
        )
    sections += _plan_sections(params, contract.year, scope.as_of)
    intro = report_intro(
        project,
        f"{council.name} har indgået en kontrakt med beskæftigelsesministeren om de vigtigste mål for "
        f"beskæftigelsesindsatsen i {contract.year}. Her er kontrakten fortalt kort og i almindeligt sprog."
        + (f" Kontrakten blev underskrevet {format_date(contract.signed)}." if contract.signed else ""),
        f"## Rådets mission\n\n{prose_markdown(council.mission)}",
        f"## Rådets vision\n\n{prose_markdown(council.vision)}",
        "## Rådets roller\n\n" + prose_list(council.roles),
        f"## Målene for {contract.year}\n\n"
        + "\n".join(f"{i}. {md_text(t)}" for i, t in enumerate(sentences, start=1)),
        figures_until_text(project, cutoff, contract.published, set(goal_measure_ids(contract))),
    )
    provenance = collect_provenance(params, project.dataset, cutoff, scope)
    figures["provenance"] = provenance.as_dict()
    return Report(
        title=contract_title(contract.year),
        intro=intro,
        summary=None,
        sections=sections,
        closing=provenance_section(provenance, made=contract.published),
        figures=figures,
        name=f"kontrakt-{contract.year}",
    )


def _plan_sections(params, year: int, as_of: date | None) -> list[Section]:
    """The meeting plan for the year and the annual cycle as a figure. A meeting not yet held by
    ``as_of`` shows only its date and kind: its own texts are under embargo."""
    from councilbook.text import charts  # matplotlib only where a chart is drawn

    meetings = [m for m in params.meetings if m.date.year == year]
    sections = []
    if meetings:
        rows = [
            [
                format_date(m.date),
                MEETING_KIND_LABELS_DA[m.kind],
                (m.theme or "") if as_of is None or m.date <= as_of else "",
            ]
            for m in meetings
        ]
        sections.append(
            Section(
                heading=present.Markdown(f"## Rådets møder i {year}"),
                text=present.Markdown("Status på kontraktens mål drøftes ved hvert møde."),
                table=present.Table(
                    columns=["Dato", "Møde", "Tema"], rows=rows, caption=f"Mødeplan {year}", stacked=True
                ),
            )
        )
    kinds = {"contract": "contract", "seminar": "seminar"}
    # What happens each day, then one label a day: "20. mar. Kontrakt underskrevet og kontraktmøde".
    happenings = [(m.date, MEETING_KIND_LABELS_DA[m.kind], kinds.get(m.kind, "meeting")) for m in meetings]
    contract = params.contracts.get(year)
    if contract is not None and contract.signed and contract.signed.year == year:
        happenings.append((contract.signed, "Kontrakt underskrevet", "contract"))
    evaluation = params.evaluations.get(year)
    if evaluation is not None:
        happenings.append((evaluation.date, "Evaluering", "evaluation"))
    merged: dict[date, tuple[date, str, str]] = {}
    for day, what, kind in sorted(happenings):
        if day in merged:
            first = merged[day]
            merged[day] = (day, f"{first[1]} og {what.lower()}", first[2])
        else:
            merged[day] = (day, what, kind)
    events = [(day, f"{format_day_month_short(day)} {what}", kind) for day, what, kind in merged.values()]
    if events:
        alt = (
            f"Årshjul for {year} med "
            + "; ".join(f"{format_date(d)}: {what}" for d, what, _ in sorted(merged.values()))
            + "."
        )
        sections.append(
            Section(
                heading=present.Markdown(f"## Årshjulet {year}"),
                text=present.Markdown("Rådets møder og andre faste begivenheder i løbet af året."),
                chart=present.Chart.drawn(charts.plot_annual_cycle, year, events, alt=alt),
            )
        )
    return sections


def contract_items(params: Parameters) -> list[Item]:
    """Every contract with a popular edition (a draft has none), the newest first."""
    return [
        Item(
            key=str(year),
            value=year,
            title=contract_title(year),
            nav_title=f"Resultatkontrakt {year}",
            year=year,
            part="Resultatkontrakter",
            rank=(-year,),
        )
        for year, contract in params.contracts.items()
        if not contract.draft
    ]


def contract_public_from(key: str, params: Parameters) -> date | None:
    contract = params.contracts.get(int(key))
    return contract.published if contract is not None else None


def contract_press_release(project: Project, key: str) -> PressText:
    """The contract for ``key`` signed and published: its goals and targets in words."""
    params = project.params
    year = int(key)
    folder = display_path(params.root)
    contract = params.contracts.get(year)
    if contract is None:
        raise InputError([Problem(f"{folder}/contracts", "", f"der er ingen kontrakt for {year}")])
    day = contract.published or contract.signed
    if day is None:
        raise InputError(
            [
                Problem(
                    f"{folder}/contracts/{year}.yml",
                    "published",
                    "kontrakten er et udkast; skriv dagen for underskrift (signed:) eller offentliggørelse "
                    "(published:), før der laves en pressemeddelelse",
                )
            ]
        )
    statuses = compute_contract_status(params, project.dataset, contract, compute_cutoff(day, params.council))
    count = len(contract.goals)
    headline = f"Ny resultatkontrakt: {count} mål for beskæftigelsen i {year}"
    lead = f"{params.council.name} og beskæftigelsesministeren har indgået resultatkontrakten for {year}"
    if contract.signed:
        lead += f". Den blev underskrevet {format_date(contract.signed)}"
    body = [f"<p class='lead'>{html.escape(lead)}.</p>", f"<h2>Målene for {year}</h2><ul>"]
    for goal, status in zip(contract.goals, statuses, strict=True):
        body.append(f"<li><strong>{html.escape(goal.title)}:</strong> "
                    f"{html.escape(target_sentence(goal, status, project, year))}</li>")  # fmt: skip
    body.append("</ul>")
    body.append("<p>Rådet følger målene på hvert møde i året, og status offentliggøres, når møderne er holdt.</p>")
    return PressText(headline, body, day, f"kontrakt-{year}")


KIND = ReportKind(
    id="contract",
    made_for="contract year",
    parameter="contract_year",
    items=contract_items,
    scope=contract_scope,
    public_from=contract_public_from,
    build=build_contract_report,
    latest_label="Gældende kontrakt",
    order=0,
    press_release=contract_press_release,
)
