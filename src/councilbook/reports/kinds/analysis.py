"""The analysis report (analyserapport): the region's labour market in the year just ended.

Published at the end of January, as the annual cycle has it. For each goal of the year's contract: the
region's figure over the year against the years before, by cluster and by job centre, with a chart; before
them the secretariat's own analysis (its themes) and after them its conclusions, from
``analyses/<year>.yml``.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from councilbook.analysis.yearly import FigureSpec, compute_yearly_levels, figure_specs
from councilbook.core import figures as fig
from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.formats import format_date, format_month
from councilbook.core.prose import escape_markdown as md_text
from councilbook.core.prose import prose_list, prose_markdown
from councilbook.data.ingest import Dataset
from councilbook.parameters.checks import check_yearly_report
from councilbook.parameters.folders import FolderContext, ReportFolder
from councilbook.parameters.model import Parameters
from councilbook.parameters.types import IsoDate, StrictModel, Text
from councilbook.project.load import Project
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import Scope, evaluation_cutoff, finish_scope, only
from councilbook.reports.common import figures_until, provenance_section, report_intro, scoped_project
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import Deadline, Item, PressText, ReportKind
from councilbook.text import present
from councilbook.text.yearly import (
    describe_region,
    level_records,
    levels_table,
    main_point,
    period_text,
)


class Theme(StrictModel):
    title: Text
    text: Text


class Analysis(StrictModel):
    """The analysis report (analyserapport) on the labour market in ``year``, published at the end of
    January after it (the annual cycle): ``analyses/<year>.yml``."""

    year: int = Field(ge=1900, le=2200, description="the year analysed")
    published: IsoDate
    title: Text | None = None
    themes: list[Theme] = []  # the secretariat's own analysis, a section each
    conclusions: list[Text] = []


def check_analysis(path: Path, analysis: Analysis, context: FolderContext) -> list[Problem]:
    return check_yearly_report(path, analysis.year, analysis.published, context.contract_years)


FOLDER = ReportFolder("analyses", Analysis, "analyserapporten", check=check_analysis)


def analyses(params: Parameters) -> dict[int, Analysis]:
    """The parameters' analysis reports by year."""
    return params.of(FOLDER.name)


def analysis_scope(key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool) -> Scope:
    """The analysis report on year ``key``: the analysis, the contract of that year (its goals are the measures
    analysed); figures up to the cut-off at publication."""
    year = int(key)
    analysis = analyses(params)[year]
    contract = params.contracts[year]
    cutoff = evaluation_cutoff(analysis.published, params)
    scoped = only(params, contracts={year: contract}, reports={FOLDER.name: {year: analysis}})
    return finish_scope(
        "analysis", str(year), params, dataset, scoped, [contract], cutoff, [analysis.published], embargo, public
    )


YEARS_BACK = 3  # the year analysed and the three before it


def analysis_title(params: Parameters, year: int) -> str:
    analysis = analyses(params)[year]
    return analysis.title or f"Analyserapport {year}: arbejdsmarkedet i regionen"


def build_analysis_report(
    params_dir: str | Path, data_path: str | Path, analysis_year: int, as_of: str | date | None = None
) -> Report:
    from councilbook.text import charts  # matplotlib only where a chart is drawn

    year = int(analysis_year)
    project, scope = scoped_project(params_dir, data_path, "analysis", year, as_of)
    params = project.params
    analysis = analyses(params)[year]
    contract = params.contracts[year]
    cutoff = figures_until(project, scope.cutoff, contract)
    years = list(range(year - YEARS_BACK, year + 1))
    specs = figure_specs(params, contract)
    sections = [
        Section(
            heading=present.Markdown(f"## {md_text(theme.title)}"),
            text=present.Markdown(prose_markdown(theme.text)),
            id=f"theme-{number}",
        )
        for number, theme in enumerate(analysis.themes, start=1)
    ]
    frames = {}
    points = []
    figures: dict[str, Any] = {"analysis_year": year, "cutoff": str(cutoff), "figures": []}
    for number, spec in enumerate(specs, start=1):
        frame = compute_yearly_levels(params, project.dataset, spec, years, cutoff)
        frames[spec.id] = frame
        freq = project.dataset.frequency(spec.measure)
        periods = period_text(freq, year, year, cutoff)
        region_text = describe_region(spec, frame, years, periods)
        points.append(main_point(spec, frame, year, periods))
        sections.append(
            Section(
                heading=present.Markdown(f"## {md_text(spec.title)}"),
                text=present.Markdown(
                    f"{md_text(region_text)} Tallene for hvert år er for de samme måneder eller kvartaler "
                    f"({periods} og de samme perioder i årene før)."
                ),
                chart=present.Chart.drawn(
                    charts.plot_yearly_levels,
                    frame,
                    spec.title,
                    spec.share,
                    periods,
                    alt=charts.describe_yearly_levels_chart(frame, spec.title, spec.share, periods),
                ),
                table=_region_and_clusters(spec, frame, years, periods),
                id=f"figure-{number}",
            )
        )
        sections.append(
            Section(
                heading=present.Markdown(f"### Jobcentrene ({md_text(spec.title)})"),
                text=present.Markdown(
                    "Hvert jobcenters tal for de samme perioder og udviklingen mod året før "
                    f"(i {fig.change_unit_words(spec.share)})."
                ),
                table=levels_table(
                    spec,
                    frame,
                    years,
                    "jobcentre",
                    f"{spec.title}: jobcentrene, {periods}",
                    collapsed=f"Vis tabellen med alle {len(params.council.job_centres)} jobcentre",
                ),
                id=f"figure-{number}-jobcentres",
                detail=True,
            )
        )
        figures["figures"].append(
            {
                "figure_id": spec.id,
                "unit": "percent" if spec.share else "count",
                "levels": level_records(spec, frame),
            }
        )
    if analysis.conclusions:
        sections.append(
            Section(
                heading=present.Markdown("## Konklusioner"),
                text=present.Markdown(prose_list(analysis.conclusions)),
                id="conclusions",
            )
        )
    intro = report_intro(
        project,
        f"Analyserapporten beskriver arbejdsmarkedet i regionen i {year}: udviklingen i de mål, rådets kontrakt "
        f"for {year} sætter, for regionen, klyngerne og jobcentrene, sammenlignet med årene før. Den er "
        f"offentliggjort {format_date(analysis.published)} med tal til og med {format_month(cutoff)}.",
    )
    provenance = collect_provenance(params, project.dataset, cutoff, scope)
    figures["provenance"] = provenance.as_dict()
    return Report(
        title=analysis_title(params, year),
        intro=intro,
        summary=None,
        sections=sections,
        closing=provenance_section(provenance, made=analysis.published),
        figures=figures,
        name=f"analyserapport-{year}",
        main_points=points,
    )


def _region_and_clusters(spec: FigureSpec, frame: pd.DataFrame, years: list[int], periods: str) -> present.Table:
    region = levels_table(spec, frame, years, "region", "")
    clusters = levels_table(spec, frame, years, "cluster", f"{spec.title}: regionen og klyngerne, {periods}")
    return present.Table(
        columns=clusters.columns,
        rows=[*region.rows, *clusters.rows],
        numeric=clusters.numeric,
        caption=clusters.caption,
    )


def analysis_items(params: Parameters) -> list[Item]:
    return [
        Item(
            key=str(year),
            value=year,
            title=analysis_title(params, year),
            nav_title=f"Analyserapport {year}",
            year=year,
            part="Analyserapporter",
            rank=(-year,),
        )
        for year in analyses(params)
    ]


def analysis_public_from(key: str, params: Parameters) -> date | None:
    """On its publication day, and not before the contract whose goals it analyses is published."""
    analysis = analyses(params).get(int(key))
    contract = params.contracts.get(int(key))
    if analysis is None or contract is None or contract.published is None:
        return None
    return max(analysis.published, contract.published)


def analysis_deadlines(params: Parameters) -> list[Deadline]:
    return [Deadline(a.published, f"Analyserapport {year} offentliggøres") for year, a in analyses(params).items()]


def analysis_press_release(project: Project, key: str) -> PressText:
    """The analysis report on ``key`` out: its conclusions and themes."""
    year = int(key)
    analysis = analyses(project.params).get(year)
    if analysis is None:
        folder = display_path(project.params.root)
        raise InputError([Problem(f"{folder}/analyses", "", f"der er ingen analyserapport for {year}")])
    title = analysis.title or f"Analyserapport {year + 1}"
    if analysis.conclusions:
        first = analysis.conclusions[0].rstrip(".")
        headline = f"{title}: {first[0].lower() + first[1:]}" if len(first) < 90 else title
    else:
        headline = f"{title} om arbejdsmarkedet i {year} er udgivet"
    body = [
        f"<p class='lead'>{html.escape(project.params.council.name)} har udgivet rapporten "
        f"»{html.escape(title)}« om arbejdsmarkedet i {year}.</p>"
    ]
    if analysis.conclusions:
        body.append(
            "<h2>Rådets konklusioner</h2><ul>"
            + "".join(f"<li>{html.escape(c)}</li>" for c in analysis.conclusions)
            + "</ul>"
        )
    if analysis.themes:
        body.append(
            "<h2>Rapportens temaer</h2><ul>"
            + "".join(f"<li>{html.escape(t.title)}</li>" for t in analysis.themes)
            + "</ul>"
        )
    return PressText(headline, body, analysis.published, f"analyserapport-{year}")


KIND = ReportKind(
    id="analysis",
    made_for="contract year",
    parameter="analysis_year",
    items=analysis_items,
    scope=analysis_scope,
    folder=FOLDER,
    public_from=analysis_public_from,
    build=build_analysis_report,
    latest_label="Seneste analyserapport",
    order=3,
    deadlines=analysis_deadlines,
    press_release=analysis_press_release,
)
