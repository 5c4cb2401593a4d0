"""The run manifest: report kinds × their items in the parameters → notebook runs, in book order."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from councilbook.core.errors import InputError, Problem, display_path
from councilbook.parameters.messages import validation_problems
from councilbook.parameters.model import Parameters
from councilbook.parameters.yaml_reading import locate, read_yaml, read_yaml_with_positions
from councilbook.reports.registry import ReportKind, UnknownKind, get_kind, load_kinds


class ReportSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")  # a report kind of the registry
    notebook: str
    output: str  # formatted with {key}, {year} and the kind's fields ({date} for a meeting)


class ManifestFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Modules (importable from the project folder) that define more report kinds.
    modules: list[str] = []
    reports: list[ReportSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Run:
    """One report execution: a notebook, its parameters, its output, its page title and place in the book."""

    kind: str  # the report kind's id
    key: str
    notebook: Path
    output: str  # relative to the generated folder
    parameters: dict[str, Any]
    title: str
    nav_title: str
    year: int
    part: str = ""  # the caption of its book part
    part_rank: tuple[Any, ...] = ()
    rank: tuple[Any, ...] = ()
    fingerprint: str = ""  # the run key (:mod:`runkey`); empty: never taken from the cache


@dataclass(frozen=True)
class Manifest:
    specs: list[ReportSpec]
    kinds: dict[str, ReportKind]  # the kinds the manifest selects, by id


def load_manifest(path: Path) -> Manifest:
    """The manifest's report entries and their kinds; an unknown kind, a missing notebook or a kind module
    that cannot be imported is an error naming the entry."""
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError([Problem(display_path(path), "", "kørselsmanifestet findes ikke")])
    data, positions = read_yaml_with_positions(path, problems)
    if problems:
        raise InputError(problems)
    try:
        manifest = ManifestFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            validation_problems(exc, display_path(path), model=ManifestFile, positions=positions)
        ) from None
    kinds = _import_kinds(path, manifest.modules, problems)
    for index, spec in enumerate(manifest.reports):
        if spec.kind not in kinds:
            problems.append(Problem(display_path(path), f"reports[{index}].kind", str(UnknownKind(spec.kind, kinds))))
        if not (path.parent / spec.notebook).is_file():
            problems.append(
                Problem(
                    display_path(path),
                    f"reports[{index}].notebook",
                    f"notesbogen {spec.notebook!r} findes ikke ved siden af manifestet",
                )
            )
    if problems:
        raise InputError(locate(problems, {display_path(path): positions}))
    return Manifest(list(manifest.reports), {spec.kind: kinds[spec.kind] for spec in manifest.reports})


def import_project_kinds(path: Path) -> None:
    """Register the kinds of the manifest at ``path`` (if there is one), with their parameter folders, before the
    project's parameters are loaded; a manifest that cannot be read is reported when the runs are planned."""
    if not path.is_file():
        return
    problems: list[Problem] = []
    data = read_yaml(path, problems)
    modules = data.get("modules") if isinstance(data, dict) else None
    if isinstance(modules, list) and all(isinstance(m, str) for m in modules):
        _import_kinds(path, modules, problems)
    if problems:
        raise InputError(problems)


def _import_kinds(path: Path, modules: list[str], problems: list[Problem]) -> dict[str, ReportKind]:
    """The built-in kinds and those of the manifest's modules, imported with the project folder on the path."""
    project = str(path.resolve().parent.parent)
    added = project not in sys.path
    if added:
        sys.path.insert(0, project)
    try:
        kinds = load_kinds()
        for index, module in enumerate(modules):
            try:
                kinds = load_kinds([module])
            except Exception as exc:  # the module's own error, named with the entry
                if isinstance(exc, ModuleNotFoundError) and exc.name == module:
                    why = f"modulet {module!r} findes ikke (læg {module}.py i projektmappen, ved siden af pipelines/)"
                else:
                    why = f"modulet {module!r} kan ikke importeres (fejlen i modulet: {type(exc).__name__}: {exc})"
                problems.append(Problem(display_path(path), f"modules[{index}]", why))
        return kinds
    finally:
        if added:
            sys.path.remove(project)


def is_published(run: Run, params: Parameters, as_of: date) -> bool:
    """Embargo: the run's kind says when each of its reports becomes public."""
    return get_kind(run.kind).is_public(run.key, params, as_of)


def held_back(params: Parameters, as_of: date, kinds: list[ReportKind] | None = None) -> list[str]:
    """Why reports due by ``as_of`` are not public yet (each kind says), e.g. a meeting whose contract is
    not published."""
    return [
        note for kind in (kinds if kinds is not None else load_kinds().values()) for note in kind.notes(params, as_of)
    ]


def expand_manifest(
    manifest_path: Path, params: Parameters, params_dir: str, data_path: str, as_of: date | None = None
) -> list[Run]:
    """Every run the parameters call for, in manifest order; with ``as_of``, only what is public by then."""
    runs: list[Run] = []
    base = {"params_dir": params_dir, "data_path": data_path, "as_of": as_of.isoformat() if as_of else ""}
    manifest = load_manifest(manifest_path)
    for spec in manifest.specs:
        kind = manifest.kinds[spec.kind]
        notebook = manifest_path.parent / spec.notebook
        for item in kind.items(params):
            if as_of is not None and not kind.is_public(item.key, params, as_of):
                continue
            runs.append(
                Run(
                    kind=kind.id,
                    key=item.key,
                    notebook=notebook,
                    output=spec.output.format(key=item.key, year=item.year, **item.fields),
                    parameters={**base, kind.parameter: item.value},
                    title=item.title,
                    nav_title=item.nav_title,
                    year=item.year,
                    part=item.part,
                    part_rank=item.part_rank,
                    rank=item.rank,
                )
            )
    return runs
