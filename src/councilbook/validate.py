"""Parameters and data checked together, before anything runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem, display_path
from .ingest import Dataset, load_dataset
from .parameters import Parameters, load_parameters


@dataclass(frozen=True)
class Project:
    params: Parameters
    dataset: Dataset


def check_data_against_parameters(params: Parameters, dataset: Dataset, data_path: Path) -> list[Problem]:
    """Every measure a goal uses is in the data; every municipality a job centre serves has figures."""
    problems = []
    shown_data = display_path(data_path)
    have_measures = dataset.measures
    for year, contract in params.contracts.items():
        shown = display_path(params.root / "contracts" / f"{year}.yml")
        for index, goal in enumerate(contract.goals):
            for key in ("measure", "denominator"):
                measure_id = getattr(goal, key)
                if measure_id is not None and measure_id not in have_measures:
                    problems.append(
                        Problem(
                            shown, f"goals[{index}].{key}", f"measure {measure_id!r} is not in the data ({shown_data})"
                        )
                    )
    have_areas = dataset.areas
    shown_council = display_path(params.root / "council.yml")
    for index, jc in enumerate(params.council.job_centres):
        for code in jc.municipalities:
            if code not in have_areas:
                problems.append(
                    Problem(
                        shown_council,
                        f"job_centres[{index}].municipalities",
                        f"municipality {code} ({jc.name}) has no figures in the data ({shown_data})",
                    )
                )
    return problems


def check_meeting_contracts(params: Parameters) -> list[Problem]:
    """Each meeting's data cut-off falls in a year that has a contract to report on."""
    from .compute import compute_cutoff, compute_pack_date

    problems = []
    by_year: dict[int, int] = {}
    for meeting in params.meetings:
        index = by_year.get(meeting.date.year, 0)
        by_year[meeting.date.year] = index + 1
        cutoff = compute_cutoff(compute_pack_date(meeting.date, params.council), params.council)
        if cutoff.year not in params.contracts:
            problems.append(
                Problem(
                    display_path(params.root / "meetings" / f"{meeting.date.year}.yml"),
                    f"meetings[{index}].date",
                    f"{meeting.date.isoformat()}: the data available for this meeting end in "
                    f"{cutoff.year}M{cutoff.month:02d}, "
                    f"and there is no contract for {cutoff.year} to report on (add contracts/{cutoff.year}.yml)",
                )
            )
    return problems


def load_project(params_dir: Path | str, data_path: Path | str) -> Project:
    """Load and validate parameters and data; raise InputError with every problem found."""
    problems: list[Problem] = []
    params = dataset = None
    try:
        params = load_parameters(params_dir)
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        dataset = load_dataset(data_path)
    except InputError as exc:
        problems.extend(exc.problems)
    if params is not None:
        problems.extend(check_meeting_contracts(params))
    if params is not None and dataset is not None:
        problems.extend(check_data_against_parameters(params, dataset, Path(data_path)))
    if problems or params is None or dataset is None:
        raise InputError(problems)
    return Project(params=params, dataset=dataset)
