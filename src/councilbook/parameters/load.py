"""A parameters directory read: every file read (:mod:`councilbook.parameters.yaml_reading`) into its model
(:mod:`councilbook.parameters.model`; the report kinds' own folders from :mod:`councilbook.parameters.folders`),
checked across files (:mod:`councilbook.parameters.checks`), and every problem found, in Danish
(:mod:`councilbook.parameters.messages`), at its file, line and column.

:func:`collect_parameters` gives the parameters with every problem; :func:`load_parameters` raises
:class:`~councilbook.core.errors.InputError` with all of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from councilbook.core.errors import InputError, Problem, display_path
from councilbook.parameters.checks import (
    check_contract,
    check_council,
    check_evaluation,
    check_measures,
    check_meetings,
    duplicates,
)
from councilbook.parameters.folders import FolderContext, ReportFolder, report_folders
from councilbook.parameters.meetings import Meeting, MeetingsFile, MinutesObjection, check_meeting_people_and_files
from councilbook.parameters.messages import validation_problems
from councilbook.parameters.model import Contract, Council, Evaluation, Measure, MeasuresFile, Parameters
from councilbook.parameters.records import Record, read_record
from councilbook.parameters.yaml_reading import YamlPositions, locate, read_yaml_with_positions


def _parse_model(
    model: type[BaseModel],
    path: Path,
    problems: list[Problem],
    fill: str = "",
    positions: dict[str, YamlPositions] | None = None,
) -> Any:
    """The file's model, or None with its problems added. ``fill`` says what a file of a year holds,
    for the message when it holds nothing: such a file can be removed, council.yml and measures.yml not.
    ``positions`` gets where each key and value of the file is."""
    before = len(problems)
    data, where = read_yaml_with_positions(path, problems)
    shown = display_path(path)
    if positions is not None:
        positions[shown] = where
    if data is None and len(problems) == before:  # read, and nothing in it: empty, comments or ~
        what = f"skriv {fill} i den, eller slet filen" if fill else "skriv dens nøgler (se eksemplerne i parameters/)"
        if not path.read_text(encoding="utf-8").strip():
            problems.append(Problem(shown, "", f"filen er tom; {what}"))
        else:
            problems.append(
                Problem(shown, "", f"filen har kun kommentarer (eller ~), så intet i den bliver læst; {what}")
            )
        return None
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, shown, model=model, positions=where))
        return None


def _year_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))


def _one_file_a_year(folder: Path, problems: list[Problem]) -> list[Path]:
    """The files of a year folder to read: a year with both <year>.yml and <year>.yaml is a problem
    naming both, and neither is read (one would silently win)."""
    files = _year_files(folder)
    by_stem: dict[str, list[Path]] = {}
    for path in files:
        by_stem.setdefault(path.stem, []).append(path)
    for paths in by_stem.values():
        if len(paths) > 1:
            problems.append(
                Problem(
                    display_path(paths[0]),
                    "",
                    f"{display_path(paths[1])} findes også, og et år har én fil: behold den ene af de to, "
                    "og slet den anden",
                )
            )
    return [path for path in files if len(by_stem[path.stem]) == 1]


def load_parameters(params_dir: Path | str) -> Parameters:
    """Load and validate a parameters directory; raise InputError with every problem."""
    params, problems = collect_parameters(params_dir)
    if problems or params is None:
        raise InputError(problems)
    return params


def collect_parameters(params_dir: Path | str) -> tuple[Parameters | None, list[Problem]]:
    """The parameters with every problem found. With problems, the parameters hold what was valid
    (None without a valid council.yml), so the data can still be checked against them."""
    root = Path(params_dir)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [
            Problem(
                display_path(root),
                "",
                "parametermappen findes ikke; angiv den rigtige mappe med --params (standard: parameters)",
            )
        ]

    files: list[Path] = []
    positions: dict[str, YamlPositions] = {}
    council = None
    council_path = root / "council.yml"
    if council_path.is_file():
        files.append(council_path)
        council = _parse_model(Council, council_path, problems, positions=positions)
    else:
        problems.append(Problem(display_path(council_path), "", "filen findes ikke i parametermappen"))

    measures: dict[str, Measure] = {}
    measures_path = root / "measures.yml"
    if measures_path.is_file():
        files.append(measures_path)
        parsed = _parse_model(MeasuresFile, measures_path, problems, positions=positions)
        if parsed is not None:
            measures = {m.id: m for m in parsed.measures}
            for index, measure_id in duplicates([m.id for m in parsed.measures]):
                problems.append(
                    Problem(
                        display_path(measures_path),
                        f"measures[{index}].id",
                        f"nøgletallet {measure_id!r} står der allerede; et id må kun bruges én gang",
                    )
                )
    else:
        problems.append(Problem(display_path(measures_path), "", "filen findes ikke i parametermappen"))

    contracts, contract_paths = _read_year_folder(
        root / "contracts", Contract, "kontrakten", files, problems, positions
    )
    if not _year_files(root / "contracts"):
        problems.append(Problem(display_path(root / "contracts"), "", "der er ingen kontrakter (contracts/<år>.yml)"))

    meetings: list[Meeting] = []
    meeting_sources: list[tuple[Path, int, Meeting]] = []
    for path in _one_file_a_year(root / "meetings", problems):
        files.append(path)
        parsed = _parse_model(MeetingsFile, path, problems, "året (year) og møderne (meetings)", positions)
        if parsed is None or not _year_matches(path, parsed.year, problems):
            continue
        for index, meeting in enumerate(parsed.meetings):
            meeting_sources.append((path, index, meeting))
            meetings.append(meeting)

    evaluations, evaluation_paths = _read_year_folder(
        root / "evaluations", Evaluation, "evalueringen", files, problems, positions
    )

    reports = {
        folder.name: _read_report_folder(root / folder.name, folder, files, problems, positions)
        for folder in report_folders()
    }

    if council is not None:
        problems.extend(check_council(council, council_path))
    if measures:
        problems.extend(check_measures(measures, measures_path))
    for year, contract in contracts.items():
        problems.extend(check_contract(contract, contract_paths[year], measures))
    # Years with a contract file, parsed or not: a broken contract file is reported once, not again
    # by every meeting and evaluation of its year.
    contract_years = {int(p.stem) for p in _year_files(root / "contracts") if p.stem.isdigit()}
    problems.extend(check_meetings(meeting_sources, contract_years))
    if council is not None:
        problems.extend(check_meeting_people_and_files(root, council, meeting_sources))
    for year, evaluation in evaluations.items():
        problems.extend(check_evaluation(evaluation, evaluation_paths[year], contract_years))
    context = FolderContext(frozenset(contract_years), measures)
    for folder in report_folders():
        if folder.check is not None:
            for path, report in reports[folder.name].values():
                problems.extend(folder.check(path, report, context))

    problems = locate(problems, positions)
    if council is None:
        return None, problems
    record = read_record(root, council.name, problems)
    if record is not None:
        meetings = [with_recorded_objections(m, record) for m in meetings]
    return Parameters(
        root=root,
        council=council,
        measures=measures,
        contracts=dict(sorted(contracts.items())),
        meetings=sorted(meetings, key=lambda m: m.date),
        evaluations=dict(sorted(evaluations.items())),
        files=files,
        reports={name: {key: report for key, (_, report) in sorted(found.items())} for name, found in reports.items()},
        meeting_places={m.date: (display_path(path), index) for path, index, m in meeting_sources},
        positions=positions,
        questions=list(record.questions) if record is not None else [],
    ), problems


def with_recorded_objections(meeting: Meeting, record: Record) -> Meeting:
    """The meeting with the objections the portal recorded to its minutes (one per member and day)."""
    recorded = [
        MinutesObjection(member=o.member, received=o.received.date()) for o in record.objections.get(meeting.date, [])
    ]
    known = {(o.member, o.received) for o in meeting.minutes_objections}
    new = [o for o in recorded if (o.member, o.received) not in known]
    if not new:
        return meeting
    merged = sorted([*meeting.minutes_objections, *new], key=lambda o: (o.received, o.member))
    return meeting.model_copy(update={"minutes_objections": merged})


M = TypeVar("M", Contract, Evaluation)


def _read_year_folder(
    folder: Path,
    model: type[M],
    what: str,
    files: list[Path],
    problems: list[Problem],
    positions: dict[str, YamlPositions],
) -> tuple[dict[int, M], dict[int, Path]]:
    """The files of a year folder (``contracts/<year>.yml``, ``evaluations/<year>.yml``) read with ``model`` by
    their year, and each one's path; a file whose ``year`` does not match its name is a problem."""
    found: dict[int, M] = {}
    paths: dict[int, Path] = {}
    for path in _one_file_a_year(folder, problems):
        files.append(path)
        parsed = _parse_model(model, path, problems, what, positions)
        if parsed is not None and _year_matches(path, parsed.year, problems):
            found[parsed.year] = parsed
            paths[parsed.year] = path
    return found, paths


def _read_report_folder(
    folder: Path,
    spec: ReportFolder,
    files: list[Path],
    problems: list[Problem],
    positions: dict[str, YamlPositions],
) -> dict[Any, tuple[Path, Any]]:
    """The files of a kind's own folder (``analyses/<year>.yml``, ``bottlenecks/<year>-<n>.yml``, ...) by their
    key (the value of the folder's key field), each with its path; a file whose key does not match its name is
    a problem."""
    found: dict[Any, tuple[Path, Any]] = {}
    for path in _one_file_a_year(folder, problems):
        files.append(path)
        parsed = _parse_model(spec.model, path, problems, spec.what, positions)
        if parsed is None:
            continue
        key = getattr(parsed, spec.key_field)
        if path.stem != str(key):
            field_name = spec.key_field
            problems.append(
                Problem(
                    display_path(path),
                    field_name,
                    f"{key} passer ikke til filens navn (filen skal hedde {key}.yml, eller {field_name} rettes)",
                )
            )
            continue
        found[key] = (path, parsed)
    return found


def _year_matches(path: Path, year: int, problems: list[Problem]) -> bool:
    if path.stem != str(year):
        problems.append(
            Problem(
                display_path(path),
                "year",
                f"{year} passer ikke til filens navn ({path.stem}.yml skal have year: {path.stem})",
            )
        )
        return False
    return True
