"""Loading a project: the parameters and the data, read and checked together; every problem found, or the
project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from councilbook.core.errors import InputError, Problem
from councilbook.data.ingest import Dataset, load_dataset
from councilbook.parameters.load import collect_parameters
from councilbook.parameters.model import Parameters
from councilbook.parameters.yaml_reading import locate
from councilbook.project.checks import check_goal_windows, check_measures_present, check_meeting_contracts


@dataclass(frozen=True)
class Project:
    """A council's parameters and its data, checked together."""

    params: Parameters
    dataset: Dataset


def check_parameters(params_dir: Path | str) -> tuple[Parameters | None, list[Problem]]:
    """The parameters with every problem found in them alone (no data): what `councilbook new` checks before
    it keeps what it wrote, and what `validate` checks before reading the data."""
    params, problems = collect_parameters(params_dir)
    if params is not None:
        problems = locate(problems + check_meeting_contracts(params), params.positions)
    return params, problems


def load_project(params_dir: Path | str, data_path: Path | str) -> Project:
    """Load and validate parameters and data; raise InputError with every problem found.

    The data are read through the parameters (areas, measures): with a broken council.yml they
    cannot be checked; with other parameter problems they are checked against what was valid.
    """
    params, problems = check_parameters(params_dir)
    if params is None:
        raise InputError(problems)
    try:
        dataset = load_dataset(data_path, params)
    except InputError as exc:
        raise InputError(locate(problems + exc.problems, params.positions)) from None
    problems += check_measures_present(params, dataset, Path(data_path))
    problems += check_goal_windows(params, dataset, Path(data_path))
    if problems:
        raise InputError(locate(problems, params.positions))
    return Project(params=params, dataset=dataset)
