"""The run manifest: report notebooks × parameters → output notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .danish import format_date
from .errors import InputError, Problem, display_path
from .parameters import MEETING_KIND_LABELS_DA, Evaluation, Meeting, Parameters, read_yaml, validation_problems

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


def contract_title(year: int) -> str:
    return f"Resultatkontrakt {year} – populærudgave"


def meeting_title(meeting: Meeting) -> str:
    return f"{MEETING_KIND_LABELS_DA[meeting.kind]} {format_date(meeting.date)}: status på målene"


def meeting_nav_title(meeting: Meeting) -> str:
    return f"{format_date(meeting.date)}: {MEETING_KIND_LABELS_DA[meeting.kind]}"


def evaluation_title(evaluation: Evaluation) -> str:
    return evaluation.title


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
    """Embargo: a meeting's page once the meeting has been held, a contract's once it is published,
    an evaluation's once it has taken place."""
    if run.kind == "meeting":
        return date.fromisoformat(run.key) <= as_of
    if run.kind == "contract":
        return params.contracts[run.year].published <= as_of
    return params.evaluations[run.year].date <= as_of


def expand_manifest(
    manifest_path: Path, params: Parameters, params_dir: str, data_path: str, as_of: date | None = None
) -> list[Run]:
    """Every run the parameters call for, in book order; with ``as_of``, only what is public by then."""
    runs: list[Run] = []
    base = {"params_dir": params_dir, "data_path": data_path, "as_of": as_of.isoformat() if as_of else ""}
    for spec in load_manifest(manifest_path):
        notebook = manifest_path.parent / spec.notebook
        if spec.for_each == "contract":
            for year in params.contracts:
                runs.append(
                    Run(
                        spec.id,
                        "contract",
                        str(year),
                        notebook,
                        spec.output.format(year=year),
                        {**base, spec.parameter: year},
                        contract_title(year),
                        f"Resultatkontrakt {year}",
                        year,
                    )
                )
        elif spec.for_each == "meeting":
            for meeting in params.meetings:
                day = meeting.date.isoformat()
                runs.append(
                    Run(
                        spec.id,
                        "meeting",
                        day,
                        notebook,
                        spec.output.format(date=day, year=meeting.date.year),
                        {**base, spec.parameter: day},
                        meeting_title(meeting),
                        meeting_nav_title(meeting),
                        meeting.date.year,
                    )
                )
        else:
            for year, evaluation in params.evaluations.items():
                runs.append(
                    Run(
                        spec.id,
                        "evaluation",
                        str(year),
                        notebook,
                        spec.output.format(year=year),
                        {**base, spec.parameter: year},
                        evaluation_title(evaluation),
                        f"Evaluering {year}",
                        year,
                    )
                )
    if as_of is not None:
        runs = [run for run in runs if is_published(run, params, as_of)]
    return runs
