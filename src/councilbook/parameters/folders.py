"""A report kind's own parameter files: ``parameters/<folder>/<key>.yml``, one report each.

The loader (:func:`councilbook.parameters.load.collect_parameters`) reads every folder registered here with
its model, names each problem's file, line and column, checks that a file's key matches its name, and runs
the folder's own checks; what it read is ``Parameters.reports[<folder>]``. A report kind registers its folder
with its module (``ReportKind(folder=...)``), so adding a kind with its own parameter files touches nothing
here or in the loader.

The built-in kinds, and any installed package's, are found through the ``councilbook.kinds`` entry point
(``pyproject.toml``), loaded once before the first folder is asked for: whoever loads parameters sees their
folders without importing a higher stage. A project's own kind modules (the manifest's ``modules:``) register
theirs when the manifest is read, before its parameters are loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from councilbook.core.errors import Problem

ENTRY_POINT_GROUP = "councilbook.kinds"


@dataclass(frozen=True)
class FolderContext:
    """What a folder's checks may compare a file with: the years that have a contract file, the measures."""

    contract_years: frozenset[int]
    measures: Mapping[str, Any]  # measure id -> councilbook.parameters.model.Measure


FolderCheck = Callable[[Path, Any, FolderContext], list[Problem]]


@dataclass(frozen=True)
class DataContext:
    """What a folder's data checks may compare a file with: the data folder and its labour-market balances by id
    (:class:`councilbook.data.balance.Balance`)."""

    folder: Path
    balances: Mapping[str, Any]


DataCheck = Callable[[Path, Any, DataContext], list[Problem]]


@dataclass(frozen=True)
class ReportFolder:
    """``parameters/<name>/<key>.yml``: each file one report, read with ``model``; ``key_field`` is the field whose
    value names the file (``2012.yml`` holds ``year: 2012``); ``what`` names a file's content in Danish for the
    messages ("analyserapporten"); ``check`` finds what the model alone cannot, ``data_check`` what the data
    must hold for the file."""

    name: str
    model: type[BaseModel]
    what: str
    key_field: str = "year"
    check: FolderCheck | None = None
    data_check: DataCheck | None = None  # run when the data is loaded (councilbook.data.ingest.load_dataset)


_folders: dict[str, ReportFolder] = {}
_plugins_loaded = False


def register_folder(folder: ReportFolder) -> ReportFolder:
    """Read ``parameters/<folder.name>/`` from now on (a kind's folder is registered with the kind)."""
    _folders[folder.name] = folder
    return folder


def unregister_folder(name: str) -> None:
    _folders.pop(name, None)


def report_folders() -> list[ReportFolder]:
    """Every registered folder, by name; the installed kinds' folders are loaded the first time."""
    _load_plugins()
    return [_folders[name] for name in sorted(_folders)]


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        entry.load()()
