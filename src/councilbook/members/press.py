"""Press releases for the milestones the seeds name besides the meetings: the contract with the minister
signed and published, and the analysis report out.

Like the meeting's press release (members/minutes.py) each is a one-page draft for the chair to approve,
in plain language (no symbols, no forecast ranges), with a named contact. Every sentence comes from the
parameters and the data: the contract's goals and targets, the analysis report's themes and conclusions.
Nothing is said that they do not give (no quote is made up: the parameters have none for a milestone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from councilbook.assembly.pdf import print_to_pdf
from councilbook.core.errors import InputError, Problem
from councilbook.core.formats import format_date
from councilbook.members.minutes import CSS, contact_html
from councilbook.project.load import Project, load_project
from councilbook.reports.registry import get_kind
from councilbook.text import render


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


def build_milestone_press_release(
    params_dir: Path, data_path: Path, kind_id: str, key: int | str, out_dir: Path
) -> PressRelease:
    """Write the press release on report ``key`` of kind ``kind_id`` (the contract signed and published, the
    analysis report out: the kind writes its text) as a draft in HTML and PDF into ``out_dir``."""
    project = load_project(params_dir, data_path)
    kind = get_kind(kind_id)
    if kind.press_release is None:
        raise InputError([Problem(kind_id, "", "rapporttypen har ingen pressemeddelelse")])
    text = kind.press_release(project, str(key))
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"pressemeddelelse-{text.name}"
    page_path = out_dir / f"{name}.html"
    page_path.write_text(_page(project, text.headline, text.body, text.day), encoding="utf-8")
    return PressRelease(page_path, print_to_pdf(page_path, out_dir / f"{name}.pdf"), text.headline)
