"""Parameters and data checked together, before anything runs."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem, display_path
from .ingest import Dataset, load_dataset
from .parameters import Parameters, collect_parameters
from .periods import month, month_code


@dataclass(frozen=True)
class Project:
    params: Parameters
    dataset: Dataset


def check_measures_present(params: Parameters, dataset: Dataset, data_path: Path) -> list[Problem]:
    """Every measure a goal uses is in the data."""
    problems = []
    have = dataset.measures
    for year, contract in params.contracts.items():
        shown = display_path(params.root / "contracts" / f"{year}.yml")
        for index, goal in enumerate(contract.goals):
            for key in ("measure", "denominator"):
                measure_id = getattr(goal, key)
                if measure_id is not None and measure_id not in have:
                    problems.append(
                        Problem(
                            shown,
                            f"goals[{index}].{key}",
                            f"measure {measure_id!r} is not in the data ({display_path(data_path)})",
                        )
                    )
    return problems


def check_goal_windows(params: Parameters, dataset: Dataset, data_path: Path) -> list[Problem]:
    """Every month a goal needs (its baseline, and its contract year with the year before, up to the
    newest month in the data) has a figure, or a withheld mark, for every job centre."""
    problems = []
    shown_data = display_path(data_path)
    present = dataset.monthly.index
    have = set(
        zip(
            present.get_level_values("measure"),
            present.get_level_values("area"),
            present.get_level_values("month"),
            strict=True,
        )
    )
    newest: dict[str, pd.Period] = {}
    for measure_id, _area, period in have:
        if measure_id not in newest or period > newest[measure_id]:
            newest[measure_id] = period
    reported: set[tuple[str, pd.Period]] = set()
    for year, contract in params.contracts.items():
        for goal in contract.goals:
            for measure_id in filter(None, (goal.measure, goal.denominator)):
                if measure_id not in newest:
                    continue  # reported by check_measures_present
                first = min(goal.baseline_span.first, month(year - 1, 1))
                last = min(month(year, 12), newest[measure_id])
                for period in pd.period_range(first, last, freq="M") if first <= last else []:
                    if (measure_id, period) in reported:
                        continue
                    missing = [
                        jc.name
                        for jc in params.council.job_centres
                        if (measure_id, jc.area_key, period) not in have
                        and not all((measure_id, code, period) in have for code in jc.codes)
                    ]
                    if missing:
                        reported.add((measure_id, period))
                        names = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                        problems.append(
                            Problem(
                                shown_data,
                                f"{measure_id} {month_code(period)}",
                                f"no figure for {names} (needed by contracts/{year}.yml goal {goal.id!r}); "
                                "a withheld figure should be in the file as .. or empty, not left out",
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
    """Load and validate parameters and data; raise InputError with every problem found.

    The data are read through the parameters (areas, measures): with a broken council.yml they
    cannot be checked; with other parameter problems they are checked against what was valid.
    """
    params, problems = collect_parameters(params_dir)
    if params is None:
        raise InputError(problems)
    if not problems:
        problems += check_meeting_contracts(params)
    try:
        dataset = load_dataset(data_path, params)
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    problems += check_measures_present(params, dataset, Path(data_path))
    problems += check_goal_windows(params, dataset, Path(data_path))
    if problems:
        raise InputError(problems)
    return Project(params=params, dataset=dataset)


# ---------------------------------------------------------------------------
# The validated project, prepared once per build and shared by its reports
# ---------------------------------------------------------------------------


def project_digest(params_dir: Path | str, data_path: Path | str) -> str:
    """SHA-256 of every file under the parameters and the data, and of the code that reads them."""
    from .runkey import code_digest

    h = hashlib.sha256(code_digest().encode())
    for top in (Path(params_dir), Path(data_path)):
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            h.update(str(path.resolve()).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def save_prepared(project: Project, params_dir: Path | str, data_path: Path | str, folder: Path) -> Path:
    """Store a validated project under the digest of its inputs, for the reports of the same build."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{project_digest(params_dir, data_path)}.pickle"
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)
    return path


def load_prepared(params_dir: Path | str, data_path: Path | str, folder: Path) -> Project:
    """The project as validated earlier from exactly these files (see :func:`save_prepared`), else loaded now."""
    path = folder / f"{project_digest(params_dir, data_path)}.pickle"
    if path.is_file():
        try:
            project = pickle.loads(path.read_bytes())
            if isinstance(project, Project):
                return project
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated file: validate again
    return load_project(params_dir, data_path)
