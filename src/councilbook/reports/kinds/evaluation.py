"""The yearly evaluation: the contract's result for the whole year, the council's work, job centres."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd

from councilbook.analysis.actions import (
    actions_of,
    collect_actions,
    count_actions,
    describe_action_counts,
    describe_follow_up,
)
from councilbook.analysis.evaluation import EvaluationResult, compute_evaluation
from councilbook.analysis.statistics import DecisionRecord
from councilbook.core.formats import (
    count_noun,
    format_date,
    format_month,
    format_number,
)
from councilbook.core.links import jobcentre_page
from councilbook.core.periods import month
from councilbook.core.prose import plain_text, prose_list
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA
from councilbook.parameters.model import Parameters
from councilbook.project.load import Project
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import evaluation_scope
from councilbook.reports.common import figures_until, provenance_section, report_intro, scoped_project
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import Item, ReportKind
from councilbook.text import present
from councilbook.text.sentences import main_point


def _evaluation_sections(result: EvaluationResult, project: Project) -> list[Section]:
    params = project.params
    contract = result.contract
    goals = contract.goals
    sections = []
    attainment = result.jobcentre_attainment.pivot(index="jobcentre_id", columns="goal_id", values="attained")
    names = {jc.id: jc.name for jc in params.council.job_centres}
    rows, classes = [], []
    for jc in params.council.job_centres:
        raw = [attainment.loc[jc.id, g.id] if jc.id in attainment.index else None for g in goals]
        marks = [None if v is None or pd.isna(v) else bool(v) for v in raw]
        count = sum(m is True for m in marks)
        rows.append([names[jc.id], *(present.attained_cell(m)[:1] for m in marks), f"{count} af {len(goals)}"])
        classes.append(["", *(present.STATUS_CLASSES[m] for m in marks), ""])
    sections.append(
        Section(
            heading=present.Markdown("## Jobcentrenes målopfyldelse"),
            text=present.Markdown(
                "Hvert jobcenter er målt mod sit eget udgangspunkt: samme procentvise ændring eller andel som "
                "regionens mål, eller en forbedring for mål uden tal. ✔ opfyldt, ✖ ikke opfyldt, ? ikke opgjort. "
                "Målene er nummereret som ovenfor."
            ),
            table=present.Table(
                columns=["Jobcenter", *(f"Mål {i}" for i in range(1, len(goals) + 1)), "Opfyldt"],
                rows=rows,
                cell_classes=classes,
                numeric=(len(goals) + 1,),
                caption=f"Målopfyldelse pr. jobcenter, {contract.year}",
                compact=True,
                row_pages=[jobcentre_page(jc.id) for jc in params.council.job_centres],
            ),
        )
    )
    years = sorted({int(y) for frame in result.spread.values() for y in frame["year"]})
    spread_rows = []
    for year in years:
        row = [str(year)]
        for goal in goals:
            frame = result.spread[goal.id]
            match = frame[frame["year"] == year]
            row.append(format_number(float(match["iqr"].iloc[0]), present.SPREAD_DECIMALS) if len(match) else "–")
        spread_rows.append(row)
    sections.append(
        Section(
            heading=present.Markdown("## Spredningen mellem jobcentrene"),
            text=present.Markdown(
                "Interkvartilafstanden for jobcentrenes *faktisk/forventet niveau* år for år: jo mindre, jo mere ens "
                "er resultaterne, når der er taget højde for rammevilkårene (se *Metode*)."
            ),
            table=present.Table(
                columns=["År", *(f"Mål {i}" for i in range(1, len(goals) + 1))],
                rows=spread_rows,
                numeric=tuple(range(1, len(goals) + 1)),
                caption="Spredning, der ikke forklares af rammevilkår (interkvartilafstand)",
            ),
        )
    )
    meeting_rows, meeting_classes = [], []
    for record in result.meetings.to_dict(orient="records"):
        statuses = [record.get(g.id) for g in goals]
        meeting_rows.append(
            [
                format_date(record["date"]),
                MEETING_KIND_LABELS_DA[record["kind"]],
                str(record["contract_year"]),
                *(present.status_cell(st)[:1] if isinstance(st, str) else "–" for st in statuses),
            ]
        )
        meeting_classes.append(["", "", "", *(present.STATUS_CLASSES.get(st, "") for st in statuses)])
    sections.append(
        Section(
            heading=present.Markdown(f"## Status på målene ved rådets møder i {contract.year}"),
            text=present.Markdown(
                "Rådet drøfter status på kontraktens mål ved hvert møde. Tabellen viser status, som den var til hvert "
                "møde (✔ på rette spor eller opfyldt, ⚠ i risiko, ✖ ikke på rette spor eller ikke opfyldt, "
                "? kan ikke vurderes eller ingen tal endnu)."
            ),
            table=present.Table(
                columns=["Møde", "Type", "Kontrakt", *(f"Mål {i}" for i in range(1, len(goals) + 1))],
                rows=meeting_rows,
                cell_classes=meeting_classes,
                caption=f"Status ved møderne i {contract.year}",
                compact=True,
            ),
        )
    )
    actions = collect_actions(params)

    def follow_up(r: DecisionRecord) -> str:
        """As written, else what the decision's actions had come to at the evaluation."""
        if r.follow_up:
            return plain_text(r.follow_up)
        if r.confidential:
            return "ikke offentlig (lukket punkt)"
        done = describe_follow_up(actions_of(actions, r.date, r.item), result.evaluation.date)
        return plain_text(done) if done else "ikke registreret"

    decision_rows = [[format_date(r.date), r.title, plain_text(r.decision), follow_up(r)] for r in result.decisions]
    waiting = [
        m.date
        for m in params.meetings
        if m.date.year == contract.year and any(i.type == "decision" and not i.decision for i in m.agenda)
    ]
    later = (
        " Beslutningerne fra "
        + (
            f"mødet {format_date(waiting[0])}"
            if len(waiting) == 1
            else "møderne " + ", ".join(map(format_date, waiting))
        )
        + " offentliggøres, når referatet er godkendt."
        if waiting
        else ""
    )
    actions_line = describe_action_counts(count_actions(params, contract.year, result.evaluation.date))
    sections.append(
        Section(
            heading=present.Markdown(f"## Beslutninger og opfølgning i {contract.year}"),
            text=present.Markdown("Rådets beslutninger og sekretariatets opfølgning på dem." + later + actions_line),
            table=present.Table(
                columns=["Møde", "Punkt", "Beslutning", "Opfølgning"],
                rows=decision_rows,
                caption=f"Beslutninger i {contract.year}",
                stacked=True,
            ),
        )
    )
    if result.current is not None:
        current = result.current
        sections.append(
            Section(
                heading=present.Markdown(f"## Status for {current.contract.year} ved evalueringen"),
                text=present.Markdown(
                    f"Status for kontrakten {current.contract.year} med tal til og med "
                    f"{format_month(figures_until(project, current.cutoff, current.contract))}."
                ),
                table=present.goal_status_table(
                    current.contract, current.goals, caption=f"Kontraktens mål {current.contract.year} ved evalueringen"
                ),
            )
        )
    return sections


KIND_ROWS_DA = {
    "ordinary": "Ordinære rådsmøder (inkl. temamøder)",
    "theme": "heraf med temadrøftelse",
    "contract": "Kontraktmøde",
    "seminar": "Strategiseminar",
}


def build_evaluation_report(
    params_dir: str | Path, data_path: str | Path, evaluation_year: int, as_of: str | date | None = None
) -> Report:
    project, scope = scoped_project(params_dir, data_path, "evaluation", evaluation_year, as_of)
    params = project.params
    evaluation = params.evaluations[int(evaluation_year)]
    result = compute_evaluation(params, project.dataset, evaluation)
    contract = result.contract
    attained_n = sum(a is True for a in result.attained)
    summary = present.attainment_table(
        contract,
        result.goals,
        result.attained,
        caption=f"Kontraktens mål {contract.year}: resultat for hele året",
    )
    activity_rows = []
    activity_classes = []
    for row in result.activity.itertuples():
        activity_rows.append([KIND_ROWS_DA[row.kind], str(row.expected), str(row.held), "✔ Ja" if row.met else "✖ Nej"])
        activity_classes.append(["", "", "", present.STATUS_CLASSES[bool(row.met)]])
    activity = present.Table(
        columns=["Mødetype", "Efter årshjulet", "Afholdt", "Opfyldt"],
        rows=activity_rows,
        cell_classes=activity_classes,
        numeric=(1, 2),
        caption=f"Rådets møder i {contract.year} i forhold til årshjulet",
        stacked=True,
    )
    limit = params.council.publication.minutes_within_days
    minutes_rows = []
    for row in result.minutes:
        minutes_rows.append(
            [
                format_date(row.date),
                MEETING_KIND_LABELS_DA[row.kind],
                format_date(row.minutes_sent) if row.minutes_sent else "ikke registreret",
                "–" if row.days is None else str(row.days),
                "? ukendt" if row.on_time is None else ("✔ Ja" if row.on_time else "✖ Nej"),
                "Ja" if row.press_release else "Nej",
            ]
        )
    minutes = present.Table(
        columns=["Møde", "Type", "Referat udsendt", "Dage efter mødet", f"Inden for {limit} dage", "Pressemeddelelse"],
        rows=minutes_rows,
        numeric=(3,),
        caption=f"Referater og pressemeddelelser i {contract.year}",
        stacked=True,
    )
    told = sum(a is not None for a in result.attained)
    outcome = f"{attained_n} af {len(contract.goals)} mål blev opfyldt."
    if told < len(contract.goals):
        outcome += (
            f" For {count_noun(len(contract.goals) - told, 'mål', 'mål')} kan resultatet for hele året ikke "
            "opgøres (se tabellen)."
        )
    intro = report_intro(
        project,
        f"Evalueringen {format_date(evaluation.date)} ser tilbage på kontrakten for {contract.year}. {outcome} "
        f"Tallene er opgjort til og med {format_month(min(result.cutoff, month(contract.year, 12)))}.",
    )
    held = sum(1 for m in params.meetings if m.date.year == contract.year)
    cycle = params.council.annual_cycle
    sections = [
        Section(
            heading=present.Markdown(f"## Rådets møder i {contract.year}"),
            text=present.Markdown(
                f"Rådet holdt {count_noun(held, 'møde', 'møder')} i {contract.year}. Årshjulet forudsætter "
                f"{count_noun(cycle.ordinary, 'ordinært møde', 'ordinære møder')}, heraf {cycle.theme} med "
                f"temadrøftelse, {count_noun(cycle.contract, 'kontraktmøde', 'kontraktmøder')} og "
                f"{count_noun(cycle.seminar, 'strategiseminar', 'strategiseminarer')}."
            ),
            table=activity,
        ),
        Section(
            heading=present.Markdown("## Referater og pressemeddelelser"),
            text=present.Markdown(f"Referatet skal sendes til rådet senest {limit} dage efter mødet."),
            table=minutes,
        ),
    ]
    sections += _evaluation_sections(result, project)
    if evaluation.conclusions:
        sections.append(
            Section(
                heading=present.Markdown("## Rådets konklusioner"),
                text=present.Markdown(prose_list(evaluation.conclusions)),
            )
        )
    provenance = collect_provenance(params, project.dataset, result.cutoff, scope)
    figures = {
        "evaluation_year": evaluation.year,
        "covers": contract.year,
        "cutoff": str(result.cutoff),
        "goals": [
            {**present.goal_figures_json(goal, g), "attained": a}
            for goal, g, a in zip(contract.goals, result.goals, result.attained, strict=True)
        ],
        "activity": result.activity.to_dict(orient="records"),
        "jobcentre_attainment": present.plain_records(result.jobcentre_attainment),
        "spread": {goal_id: present.spread_json(frame) for goal_id, frame in result.spread.items()},
        "decisions": [{**asdict(d), "date": d.date.isoformat()} for d in result.decisions],
        "current": (
            [
                present.goal_figures_json(goal, g)
                for goal, g in zip(result.current.contract.goals, result.current.goals, strict=True)
            ]
            if result.current
            else None
        ),
        "provenance": provenance.as_dict(),
    }
    return Report(
        title=evaluation.title,
        intro=intro,
        summary=summary,
        sections=sections,
        closing=provenance_section(provenance, made=result.evaluation.date),
        figures=figures,
        name=f"evaluering-{contract.year}",
        main_points=[main_point(goal, g) for goal, g in zip(contract.goals, result.goals, strict=True)],
    )


def evaluation_items(params: Parameters) -> list[Item]:
    """Every evaluation, the newest first."""
    return [
        Item(
            key=str(year),
            value=year,
            title=evaluation.title,
            nav_title=f"Evaluering {year}",
            year=year,
            part="Evalueringer",
            rank=(-year,),
        )
        for year, evaluation in params.evaluations.items()
    ]


def evaluation_public_from(key: str, params: Parameters) -> date | None:
    evaluation = params.evaluations.get(int(key))
    return evaluation.date if evaluation is not None else None


KIND = ReportKind(
    id="evaluation",
    made_for="evaluation",
    parameter="evaluation_year",
    items=evaluation_items,
    scope=evaluation_scope,
    public_from=evaluation_public_from,
    build=build_evaluation_report,
    latest_label="Seneste evaluering",
    order=2,
    cost=3,
)
