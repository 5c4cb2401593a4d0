"""The key-figures report (nøgletalsrapport): the job centres' results, for the job centres, local councils
and press.

One edition a year (``keyfigures/<year>.yml``), and one at each meeting of the year when the parameters say
``at_meetings: true``. An overview ranks the job centres on equal terms (framework-adjusted, goal by goal);
then each job centre has its own section, found from the front page and through search: every goal's and key
measure's level over three years, the development against the year before, its cluster's and the region's
figure and, for a goal, the framework-adjusted comparison. The figures behind the page download as CSV and
Excel.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from councilbook.analysis.yearly import FigureSpec, compute_adjusted_year, compute_yearly_levels, figure_specs
from councilbook.core import figures as fig
from councilbook.core.collation import danish_order
from councilbook.core.errors import Problem, display_path
from councilbook.core.formats import MISSING, count_noun, format_date, format_month, format_number
from councilbook.core.links import jobcentre_page, page_link
from councilbook.core.prose import escape_markdown as md_text
from councilbook.data.ingest import Dataset
from councilbook.parameters.checks import check_yearly_report
from councilbook.parameters.folders import FolderContext, ReportFolder
from councilbook.parameters.meetings import Meeting
from councilbook.parameters.model import JobCentre, Parameters, share_weight
from councilbook.parameters.types import IsoDate, Slug, StrictModel
from councilbook.project.cutoff import meeting_cutoff
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import Scope, date_entry, evaluation_cutoff, finish_scope, goal_measures, only
from councilbook.reports.common import figures_until, provenance_section, report_intro, scoped_project
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import Deadline, FrontPage, Item, ReportKind
from councilbook.text import present
from councilbook.text.yearly import (
    development,
    development_ranks,
    level_records,
    period_text,
    quantity,
    unit_caption,
    value_of,
)


class KeyFigures(StrictModel):
    """The key-figures report (nøgletalsrapport) on the job centres' results in ``year``:
    ``keyfigures/<year>.yml``."""

    year: int = Field(ge=1900, le=2200, description="the year whose results it reports")
    published: IsoDate
    measures: list[Slug] = []  # key measures shown beside the goals of the year's contract
    at_meetings: bool = False  # also an edition with the latest figures at each meeting of the year


def check_keyfigures(path: Path, report: KeyFigures, context: FolderContext) -> list[Problem]:
    """A yearly report (:func:`check_yearly_report`) whose key measures are in measures.yml and have monthly or
    quarterly figures."""
    problems = check_yearly_report(path, report.year, report.published, context.contract_years)
    measures = context.measures
    for index, measure_id in enumerate(report.measures):
        if measures and measure_id not in measures:
            problems.append(
                Problem(
                    display_path(path), f"measures[{index}]", f"nøgletallet {measure_id!r} står ikke i measures.yml"
                )
            )
        elif measures and (measures[measure_id].framework or measures[measure_id].population):
            problems.append(
                Problem(
                    display_path(path),
                    f"measures[{index}]",
                    f"{measure_id!r} er en rammebetingelse med årstal; et nøgletal i rapporten har tal for "
                    "måneder eller kvartaler",
                )
            )
    return problems


FOLDER = ReportFolder("keyfigures", KeyFigures, "nøgletalsrapporten", check=check_keyfigures)


def keyfigures(params: Parameters) -> dict[int, KeyFigures]:
    """The parameters' key-figures reports by year."""
    return params.of(FOLDER.name)


def keyfigures_scope(key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool) -> Scope:
    """The key figures ``key``: a year (the yearly edition, figures up to the cut-off at publication) or a
    meeting's date (figures up to the meeting's cut-off); the contract of the year and the key measures."""
    text = str(key)
    if len(text) == 4:
        year = int(text)
        report = keyfigures(params)[year]
        cutoff = evaluation_cutoff(report.published, params)
        events = [report.published]
        meetings: list[Meeting] = []
    else:
        meeting = params.meeting_on(date.fromisoformat(text))
        year = meeting.date.year
        report = keyfigures(params)[year]
        cutoff = meeting_cutoff(meeting, params.council)
        events = [meeting.date]
        meetings = [date_entry(meeting)]
    contract = params.contracts[year]
    scoped = only(params, contracts={year: contract}, reports={FOLDER.name: {year: report}}, meetings=meetings)
    measures = goal_measures(params, [contract])
    for measure_id in report.measures:
        measure = params.measures[measure_id]
        weight = share_weight(measure, params.measures) if measure.kind == "share" else None
        measures.update({m: params.measures[m] for m in (measure_id, weight) if m})
    return finish_scope(
        "keyfigures", text, params, dataset, scoped, [contract], cutoff, events, embargo, public, measures
    )


YEARS_SHOWN = 3


def jobcentre_picker(params: Parameters) -> str:
    """The job centres' pages in Danish alphabetical order as a plain list of links, with a field that filters
    the list as one types (``book/_static/councilbook.js`` shows the field; without JavaScript it stays hidden
    and the list works as it is). One HTML block: no blank line inside."""
    items = "".join(
        f"<li>{page_link(jobcentre_page(jc.id), jc.name)}</li>"
        for jc in sorted(params.council.job_centres, key=lambda jc: danish_order(jc.name))
    )
    return (
        '<nav class="cb-picker" aria-label="Find dit jobcenter">'
        '<p class="cb-picker-search" hidden><label for="cb-picker-input">Skriv en del af navnet:</label> '
        '<input id="cb-picker-input" type="search" autocomplete="off" enterkeyhint="go" /></p>'
        f'<ul class="cb-picker-list">{items}</ul>'
        '<p class="cb-picker-none" hidden>Intet jobcenter har et navn med det.</p></nav>'
    )


def _jobcentre_section(
    params: Parameters,
    jc: JobCentre,
    specs: list[FigureSpec],
    frames: dict[str, pd.DataFrame],
    adjusted: dict[str, Any],
    periods: dict[str, str],
    years: list[int],
    latest: int,
    places: dict[str, dict[str, dict[str, int]]],
    notice: str = "",
) -> Section:
    """A job centre's own page: its main points first (each goal's figure, its change with "bedre" or
    "dårligere", its place among the job centres and in its cluster, and on equal terms), then the figures
    year by year beside its cluster's and the region's."""
    cluster = [j.id for j in params.council.job_centres if j.cluster == jc.cluster]
    points = []
    rows = []
    for spec in specs:
        frame = frames[spec.id]
        now = quantity(spec, value_of(frame, jc.id, latest))
        moved = development(spec, frame, jc.id, latest)
        word = fig.direction(moved, spec.better) if spec.goal is not None else MISSING
        table = adjusted[spec.id].table if adjusted.get(spec.id) is not None else None
        own = places[spec.id]
        points.append(_main_point(spec, jc.id, now, moved, own[""], own[jc.cluster], table, latest))
        rows.append(
            [
                f"{spec.title} ({unit_caption(spec).split(',')[0]})",
                *(quantity(spec, value_of(frame, jc.id, y)).text for y in years),
                moved.text,
                word,
                quantity(spec, value_of(frame, jc.cluster, latest)).text,
                quantity(spec, value_of(frame, "region", latest)).text,
                _ratio_text(table, jc.id),
            ]
        )
    municipalities = ", ".join(name or code for code, name in jc.municipalities.items())
    when = periods[specs[0].id] if specs else str(latest)
    text = (
        f"{md_text(jc.name)} dækker {md_text(municipalities)} og er i {md_text(jc.cluster)} "
        f"({count_noun(len(cluster), 'jobcenter', 'jobcentre')}). Tallene er for {md_text(when)} og de samme "
        "perioder årene før.\n\n"
        + "\n".join(f"- {point}" for point in points)
        + "\n\n*Udvikling* er ændringen mod året før (procentpoint for andele, procent for antal); *placering* "
        "1 er den bedste udvikling i målets retning. *Forhold til forventet* er jobcentrets niveau divideret med "
        "det niveau, rammevilkårene lader forvente (under 1: lavere end forventet)."
    )
    return Section(
        heading=present.Markdown(f"## {md_text(jc.name)}"),
        text=present.Markdown(text, notice=notice),
        table=present.Table(
            columns=[
                "Tal",
                *map(str, years),
                "Udvikling",
                "Bedre eller dårligere",
                "Klyngen",
                "Regionen",
                "Forhold til forventet",
            ],
            rows=rows,
            numeric=(*range(1, len(years) + 2), len(years) + 3, len(years) + 4, len(years) + 5),
            caption=f"{jc.name}: nøgletal, {when}",
        ),
        id=jobcentre_page(jc.id),
        page=jobcentre_page(jc.id),
    )


def _development_places(
    params: Parameters, specs: list[FigureSpec], frames: dict[str, pd.DataFrame], latest: int
) -> dict[str, dict[str, dict[str, int]]]:
    """Each figure's places on the development as shown, once for every job centre page to read: among all
    the job centres (key "") and within each cluster (key: the cluster's name)."""
    clusters: dict[str, list[str]] = {"": [jc.id for jc in params.council.job_centres]}
    for jc in params.council.job_centres:
        clusters.setdefault(jc.cluster, []).append(jc.id)
    return {
        spec.id: {name: development_ranks(spec, frames[spec.id], ids, latest) for name, ids in clusters.items()}
        for spec in specs
    }


def _main_point(
    spec: FigureSpec,
    jobcentre_id: str,
    now: fig.Quantity,
    moved: fig.Quantity,
    place: dict[str, int],
    own: dict[str, int],
    table: pd.DataFrame | None,
    latest: int,
) -> str:
    """One line of a job centre's main points, the number first: ``**20,6 %** Flere unge …: +2,7 pct.-point mod
    året før, bedre; nr. 5 af 44 jobcentre (nr. 2 af 7 i klyngen); på lige vilkår nr. 4 af 42.``"""
    title = md_text(spec.title)
    if not now.known:
        return f"{title}: intet tal for {latest} (der mangler tal)."
    line = f"**{now.text}** {title[0].lower() + title[1:] if spec.goal is None else title}"
    if not moved.known:
        return line + ": ingen sammenligning med året før (der mangler tal)."
    if moved.sign == 0:
        line += ": uændret mod året før"
    else:
        line += f": {moved.text} mod året før"
    if spec.goal is None:
        return line + "."
    if moved.sign != 0:
        line += ", " + fig.direction(moved, spec.better).split(" ", 1)[1]
    if jobcentre_id in place:
        line += f"; nr. {place[jobcentre_id]} af {len(place)} jobcentre"
        if len(own) > 1 and jobcentre_id in own:
            line += f" (nr. {own[jobcentre_id]} af {len(own)} i klyngen)"
    if table is not None:
        row = table[table["jobcentre_id"] == jobcentre_id]
        ranked = table["adjusted_rank"].notna().sum()
        if len(row) and not pd.isna(row["adjusted_rank"].iloc[0]):
            line += f"; på lige vilkår nr. {int(row['adjusted_rank'].iloc[0])} af {ranked}"
            line += f" (forhold til forventet {_ratio_text(table, jobcentre_id)})"
    return line + "."


def keyfigures_title(key: str) -> str:
    if len(key) == 4:
        return f"Nøgletal for jobcentrene {key}"
    return f"Nøgletal for jobcentrene til mødet {format_date(date.fromisoformat(key))}"


def build_keyfigures_report(
    params_dir: str | Path, data_path: str | Path, keyfigures_key: str | int, as_of: str | date | None = None
) -> Report:
    key = str(keyfigures_key)
    project, scope = scoped_project(params_dir, data_path, "keyfigures", key, as_of)
    params = project.params
    ((year, report),) = keyfigures(params).items()
    contract = params.contracts[year]
    cutoff = figures_until(project, scope.cutoff, contract)
    latest = year if len(key) == 4 else cutoff.year
    years = list(range(latest - YEARS_SHOWN + 1, latest + 1))
    specs = figure_specs(params, contract, report.measures)
    frames = {s.id: compute_yearly_levels(params, project.dataset, s, years, cutoff) for s in specs}
    adjusted = {s.id: compute_adjusted_year(params, project.dataset, s, latest, cutoff) for s in specs}
    periods = {s.id: period_text(project.dataset.frequency(s.measure), latest, latest, cutoff) for s in specs}
    notice = present.sample_notice(project.dataset.source.sample)  # each job centre's page says it too
    places = _development_places(params, specs, frames, latest)
    sections = [_overview(specs, adjusted, periods)]
    sections += [
        _jobcentre_section(params, jc, specs, frames, adjusted, periods, years, latest, places, notice)
        for jc in params.council.job_centres
    ]
    name = f"noegletal-{key}"
    intro = report_intro(
        project,
        f"Nøgletallene viser jobcentrenes resultater på rådets mål for {year}"
        + (
            f" og {count_noun(len(specs) - len(contract.goals), 'andet nøgletal', 'andre nøgletal')}"
            if len(specs) > len(contract.goals)
            else ""
        )
        + f", med tal til og med {format_month(cutoff)}: først jobcentrene på lige vilkår, så en side for hvert "
        "jobcenter med klyngen og regionen til sammenligning. Find dit jobcenter i listen eller med søgning.",
    )
    intro = replace(intro, notice=intro.notice + jobcentre_picker(params))
    provenance = collect_provenance(params, project.dataset, cutoff, scope)
    figures: dict[str, Any] = {
        "key": key,
        "year": year,
        "cutoff": str(cutoff),
        "figures": [
            {
                "figure_id": s.id,
                "unit": "percent" if s.share else "count",
                "levels": level_records(s, frames[s.id]),
                "adjusted": _adjusted_records(a.table) if a is not None else [],
            }
            for s, a in ((s, adjusted[s.id]) for s in specs)
        ],
        "provenance": provenance.as_dict(),
    }
    return Report(
        title=keyfigures_title(key),
        intro=intro,
        summary=None,
        sections=sections,
        closing=provenance_section(provenance, made=report.published if len(key) == 4 else None),
        figures=figures,
        name=name,
    )


def _ratio_text(table: pd.DataFrame | None, jobcentre_id: str) -> str:
    if table is None:
        return "–"
    row = table[table["jobcentre_id"] == jobcentre_id]
    if not len(row) or pd.isna(row["actual_over_expected"].iloc[0]):
        return "–"
    return fig.ratio(float(row["actual_over_expected"].iloc[0])).text


def _adjusted_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "jobcentre_id": r.jobcentre_id,
            **fig.json_fields("actual_over_expected", fig.ratio(float(r.actual_over_expected))),
            "adjusted_rank": None if pd.isna(r.adjusted_rank) else int(r.adjusted_rank),
        }
        for r in table.itertuples(index=False)
    ]


def _overview(specs: list[FigureSpec], adjusted: dict[str, Any], periods: dict[str, str]) -> Section:
    """The job centres ranked on equal terms, goal by goal: 1 is the best result against what the framework
    conditions lead one to expect."""
    goals = [s for s in specs if adjusted.get(s.id) is not None and adjusted[s.id].table["adjusted_rank"].notna().any()]
    if not goals:
        return Section(
            heading=present.Markdown("## Jobcentrene på lige vilkår"),
            text=present.Markdown(
                "Jobcentrene kan endnu ikke sammenlignes på lige vilkår: der er ikke tal nok (eller jobcentre nok) "
                "til at beregne det niveau, rammevilkårene lader forvente."
            ),
            id="overview",
        )
    tables = {s.id: adjusted[s.id].table.set_index("jobcentre_id") for s in goals}
    first = tables[goals[0].id]
    rows = []
    for jobcentre_id in first.index:
        cells = [str(first.loc[jobcentre_id, "jobcentre"])]
        ranks = []
        for s in goals:
            rank = tables[s.id].loc[jobcentre_id, "adjusted_rank"] if jobcentre_id in tables[s.id].index else None
            cells.append("–" if rank is None or pd.isna(rank) else format_number(int(rank)))
            if rank is not None and not pd.isna(rank):
                ranks.append(int(rank))
        rows.append((sum(ranks) / len(ranks) if ranks else float("inf"), cells, str(jobcentre_id)))
    rows.sort(key=lambda r: r[0])
    return Section(
        heading=present.Markdown("## Jobcentrene på lige vilkår"),
        text=present.Markdown(
            "Placeringen på hvert mål efter jobcentrets niveau i forhold til det, rammevilkårene lader forvente "
            "(1 er bedst); jobcentrene står efter deres gennemsnitlige placering. "
            + " ".join(f"{md_text(s.title)}: {periods[s.id]}." for s in goals)
        ),
        table=present.Table(
            columns=["Jobcenter", *(s.title for s in goals)],
            rows=[cells for _, cells, _id in rows],
            numeric=tuple(range(1, len(goals) + 1)),
            caption="Jobcentrenes placering på lige vilkår",
            row_pages=[jobcentre_page(jobcentre_id) for _, _cells, jobcentre_id in rows],
        ),
        id="overview",
    )


def keyfigures_items(params: Parameters) -> list[Item]:
    items = []
    for year, report in keyfigures(params).items():
        items.append(
            Item(
                key=str(year),
                value=str(year),
                title=keyfigures_title(str(year)),
                nav_title=f"Nøgletal {year}",
                year=year,
                part="Nøgletal for jobcentrene",
                rank=(-year, 0),
            )
        )
        if report.at_meetings:
            items += [
                Item(
                    key=m.date.isoformat(),
                    value=m.date.isoformat(),
                    title=keyfigures_title(m.date.isoformat()),
                    nav_title=f"Nøgletal {format_date(m.date)}",
                    year=year,
                    part="Nøgletal for jobcentrene",
                    rank=(-year, 1, -m.date.toordinal()),
                )
                for m in params.meetings
                if m.date.year == year
            ]
    return items


def keyfigures_public_from(key: str, params: Parameters) -> date | None:
    """The yearly edition on its publication day, a meeting's edition once the meeting is held; neither before
    the contract whose goals it shows is published (a draft's goals are not public)."""
    year = int(key[:4])
    report = keyfigures(params).get(year)
    contract = params.contracts.get(year)
    if report is None or contract is None or contract.published is None:
        return None
    day = report.published if len(key) == 4 else date.fromisoformat(key)
    return max(day, contract.published)


def keyfigures_deadlines(params: Parameters) -> list[Deadline]:
    return [
        Deadline(k.published, f"Nøgletal for jobcentrene {year} offentliggøres")
        for year, k in keyfigures(params).items()
    ]


def keyfigures_front_page(front: FrontPage) -> list[str]:
    """Every job centre's page in the newest key figures, in alphabetical order: "find your job centre"."""
    return [
        "## Find dit jobcenter",
        "",
        f"Hvert jobcenters resultater, fra [{md_text(front.nav_title)}]({front.page}):",
        "",
        jobcentre_picker(front.params),
        "",
    ]


KIND = ReportKind(
    id="keyfigures",
    made_for="contract year",
    parameter="keyfigures_key",
    items=keyfigures_items,
    scope=keyfigures_scope,
    folder=FOLDER,
    public_from=keyfigures_public_from,
    build=build_keyfigures_report,
    latest_label="Seneste nøgletal for jobcentrene",
    order=4,
    cost=2,
    deadlines=keyfigures_deadlines,
    front_page=keyfigures_front_page,
)
