"""The run manifest: report notebooks × parameters → output notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .cutoff import meeting_cutoff
from .danish import format_date
from .errors import InputError, Problem, display_path
from .parameters import (
    MEETING_KIND_LABELS_DA,
    Evaluation,
    Goal,
    Meeting,
    Parameters,
    read_yaml,
    validation_problems,
)

ForEach = Literal["contract", "meeting", "evaluation"]


class ReportSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    notebook: str
    for_each: ForEach
    parameter: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    output: str


class ManifestFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reports: list[ReportSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Run:
    """One report execution: a notebook, its parameters, its output and its page title."""

    report: str
    kind: ForEach
    key: str
    notebook: Path
    output: str  # relative to the generated folder
    parameters: dict[str, Any]
    title: str
    nav_title: str
    year: int
    fingerprint: str = ""  # the run key (:mod:`runkey`); empty: never taken from the cache


def contract_title(year: int) -> str:
    return f"Resultatkontrakt {year} – populærudgave"


def meeting_title(meeting: Meeting) -> str:
    return f"{MEETING_KIND_LABELS_DA[meeting.kind]} {format_date(meeting.date)}: status på målene"


def meeting_nav_title(meeting: Meeting) -> str:
    return f"{format_date(meeting.date)}: {MEETING_KIND_LABELS_DA[meeting.kind]}"


def evaluation_title(evaluation: Evaluation) -> str:
    return evaluation.title


def status_line_key(goal: Goal) -> str:
    """The glue key of a goal's one-line status in a meeting's report."""
    return f"status-line-{goal.id}"


def load_manifest(path: Path) -> list[ReportSpec]:
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError([Problem(display_path(path), "", "run manifest not found")])
    data = read_yaml(path, problems)
    if problems:
        raise InputError(problems)
    try:
        manifest = ManifestFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, display_path(path))) from None
    for index, spec in enumerate(manifest.reports):
        if not (path.parent / spec.notebook).is_file():
            problems.append(
                Problem(
                    display_path(path),
                    f"reports[{index}].notebook",
                    f"{spec.notebook!r} not found next to the manifest",
                )
            )
    if problems:
        raise InputError(problems)
    return list(manifest.reports)


def is_published(run: Run, params: Parameters, as_of: date) -> bool:
    """Embargo: a meeting's page once the meeting has been held and the contract it reports on is published,
    a contract's once it is published (a draft never), an evaluation's once it has taken place."""
    if run.kind == "meeting":
        meeting = params.meeting_on(date.fromisoformat(run.key))
        contract = params.contracts.get(meeting_cutoff(meeting, params.council).year)
        return meeting.date <= as_of and contract is not None and contract.is_public(as_of)
    if run.kind == "contract":
        return params.contracts[run.year].is_public(as_of)
    return params.evaluations[run.year].date <= as_of


def held_back(params: Parameters, as_of: date) -> list[str]:
    """Meetings held by ``as_of`` whose page is held back because their contract is not published yet."""
    found = []
    for meeting in params.meetings:
        year = meeting_cutoff(meeting, params.council).year
        contract = params.contracts.get(year)
        if meeting.date <= as_of and contract is not None and not contract.is_public(as_of):
            found.append(
                f"{meeting.date.isoformat()}: it reports on the contract for {year}, which is not published yet "
                f"(set published: in contracts/{year}.yml once its popular edition is out)"
            )
    return found


def expand_manifest(
    manifest_path: Path, params: Parameters, params_dir: str, data_path: str, as_of: date | None = None
) -> list[Run]:
    """Every run the parameters call for, in book order; with ``as_of``, only what is public by then."""
    runs: list[Run] = []
    base = {"params_dir": params_dir, "data_path": data_path, "as_of": as_of.isoformat() if as_of else ""}
    for spec in load_manifest(manifest_path):
        notebook = manifest_path.parent / spec.notebook
        # (key, output fields, parameter value, title, nav title, year) for each item the report runs for
        items: list[tuple[str, dict[str, Any], Any, str, str, int]]
        if spec.for_each == "contract":
            items = [
                (str(year), {"year": year}, year, contract_title(year), f"Resultatkontrakt {year}", year)
                for year, contract in params.contracts.items()
                if not contract.draft  # a draft has no popular edition
            ]
        elif spec.for_each == "meeting":
            items = [
                (
                    m.date.isoformat(),
                    {"date": m.date.isoformat(), "year": m.date.year},
                    m.date.isoformat(),
                    meeting_title(m),
                    meeting_nav_title(m),
                    m.date.year,
                )
                for m in params.meetings
            ]
        else:
            items = [
                (str(year), {"year": year}, year, evaluation_title(e), f"Evaluering {year}", year)
                for year, e in params.evaluations.items()
            ]
        for key, fields, value, title, nav_title, year in items:
            runs.append(
                Run(
                    spec.id,
                    spec.for_each,
                    key,
                    notebook,
                    spec.output.format(**fields),
                    {**base, spec.parameter: value},
                    title,
                    nav_title,
                    year,
                )
            )
    if as_of is not None:
        runs = [run for run in runs if is_published(run, params, as_of)]
    return runs
