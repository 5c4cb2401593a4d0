"""Press releases for the milestones the seeds name besides the meetings: the contract with the minister
signed and published, and the analysis report out.

Like the meeting's press release (members/minutes.py) each is a one-page draft for the chair to approve,
in plain language (no symbols, no forecast ranges), with a named contact. Every sentence comes from the
parameters and the data: the contract's goals and targets, the analysis report's themes and conclusions.
Nothing is said that they do not give (no quote is made up: the parameters have none for a milestone).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from councilbook.analysis.status import compute_contract_status
from councilbook.assembly.pdf import print_to_pdf
from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.formats import format_date
from councilbook.members.minutes import CSS, contact_html
from councilbook.project.cutoff import compute_cutoff
from councilbook.project.load import Project, load_project
from councilbook.reports.common import target_sentence
from councilbook.reports.kinds.analysis import analyses
from councilbook.text import render

Milestone = Literal["contract", "analysis"]


@dataclass(frozen=True)
class PressRelease:
    html: Path
    pdf: Path
    headline: str


def _page(project: Project, headline: str, body: list[str], day: date) -> str:
    council = project.params.council
    return render.render(
        "press.html.j2",
        page_title=headline,
        css=Markup(CSS),
        council=council,
        day=format_date(day),
        headline=headline,
        body_html=Markup("".join(body)),
        contact=Markup(contact_html(council)),
    )


def contract_press_release_html(project: Project, year: int) -> tuple[str, str]:
    """The contract for ``year`` signed and published: its goals and targets in words."""
    params = project.params
    contract = params.contracts[year]
    day = contract.published or contract.signed
    if day is None:
        raise ValueError("a draft contract has no press release")
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
    return headline, _page(project, headline, body, day)


def analysis_press_release_html(project: Project, year: int) -> tuple[str, str]:
    """The analysis report on ``year`` out: its conclusions and themes."""
    analysis = analyses(project.params)[year]
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
    return headline, _page(project, headline, body, analysis.published)


def build_milestone_press_release(
    params_dir: Path, data_path: Path, milestone: Milestone, year: int, out_dir: Path
) -> PressRelease:
    """Write the milestone's press release draft as HTML and PDF into ``out_dir``."""
    project = load_project(params_dir, data_path)
    params = project.params
    folder = display_path(params_dir)
    if milestone == "contract":
        contract = params.contracts.get(year)
        if contract is None:
            raise InputError([Problem(f"{folder}/contracts", "", f"der er ingen kontrakt for {year}")])
        if contract.published is None and contract.signed is None:
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
        headline, page = contract_press_release_html(project, year)
    else:
        if year not in analyses(params):
            raise InputError([Problem(f"{folder}/analyses", "", f"der er ingen analyserapport for {year}")])
        headline, page = analysis_press_release_html(project, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"pressemeddelelse-{'kontrakt' if milestone == 'contract' else 'analyserapport'}-{year}"
    page_path = out_dir / f"{name}.html"
    page_path.write_text(page, encoding="utf-8")
    return PressRelease(page_path, print_to_pdf(page_path, out_dir / f"{name}.pdf"), headline)
