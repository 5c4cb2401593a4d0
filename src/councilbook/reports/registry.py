"""The report kinds, one registry.

A report kind says what a report is made for (a contract year, a meeting, an evaluation, a date
series, a period), which items the parameters give it, the scope each item may read, when each
item becomes public, its titles and its part of the book, and the function that builds it. The
run manifest (``pipelines/manifest.yml``) selects and orders kinds; nothing else in the package
asks which kind a report is.

Each module in :mod:`councilbook.reports.kinds` that defines ``KIND`` is a kind; a project may add
its own in a module named in the manifest's ``modules:`` (importable from the project folder).
Adding a kind is one module, its notebook and a manifest entry.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any, Literal

from councilbook.core.errors import InputProblem
from councilbook.data.ingest import Dataset
from councilbook.parameters.folders import ReportFolder, register_folder, unregister_folder
from councilbook.parameters.model import Parameters
from councilbook.project.load import Project
from councilbook.publication.scope import Scope
from councilbook.reports.model import Report

MadeFor = Literal["contract year", "meeting", "evaluation", "date series", "period"]


@dataclass(frozen=True)
class Item:
    """One report of a kind: its key (a year, a date, a period code), the value its notebook receives,
    the fields its output path is formatted with, its titles and its place in the book."""

    key: str
    value: Any
    title: str
    nav_title: str
    year: int
    part: str  # the caption of the book part it is in
    part_rank: tuple[Any, ...] = ()  # a kind's parts in book order (meetings: the newest year first)
    rank: tuple[Any, ...] = ()  # order within its part
    fields: Mapping[str, Any] = field(default_factory=dict)  # extra output fields beside key and year


@dataclass(frozen=True)
class Deadline:
    """A day in the calendar: what is due (Danish), for which report."""

    day: date
    text: str


@dataclass(frozen=True)
class FrontPage:
    """What a kind's lines on the front page are made from: its newest public report, what that report
    recorded, and the book around it."""

    key: str
    page: str  # the report's page from the front page, without suffix ("meetings/2013-12-11")
    nav_title: str
    params: Parameters
    dataset: Dataset
    figures: Mapping[str, Any]  # what the report recorded (Report.record); {} if nothing
    keys: tuple[str, ...]  # every report of the kind in the book
    as_of: date | None  # the day the book is built as of (None: everything counts as public)


@dataclass(frozen=True)
class PressText:
    """A press release on one of a kind's reports: its headline, its body (HTML paragraphs, headings and lists,
    every value escaped), the day it is dated and the end of its file name ("kontrakt-2013"). The members' stage
    puts it on the press release's page (:mod:`councilbook.members.press`)."""

    headline: str
    body: list[str]
    day: date
    name: str


ScopeFn = Callable[[str, Parameters, Dataset, date | None, bool], Scope]


@dataclass(frozen=True)
class ReportKind:
    id: str
    made_for: MadeFor
    parameter: str  # the notebook's variable that receives the item's value
    items: Callable[[Parameters], list[Item]]
    scope: ScopeFn  # (key, params, dataset, embargo date, public) -> what the report may read
    public_from: Callable[[str, Parameters], date | None]  # the day an item becomes public; None: not (yet)
    build: Callable[..., Report]
    latest_label: str  # the front page's label for its newest report ("Seneste rådsmøde")
    order: int  # the place of its parts in the book
    cost: int = 1  # a rough running time, so the slowest reports start first
    deadlines: Callable[[Parameters], list[Deadline]] = lambda _params: []
    notes: Callable[[Parameters, date], list[str]] = lambda _params, _as_of: []  # why items are held back
    # Lines (Markdown) for the front page from its newest public report
    front_page: Callable[[FrontPage], list[str]] | None = None
    # Its own parameter files (``parameters/<folder>/<key>.yml``), read and checked with the others
    folder: ReportFolder | None = None
    # A press release when one of its reports comes out (``councilbook press``): (project, key) -> PressText;
    # raises InputError when the key has none (no such report, a draft)
    press_release: Callable[[Project, str], PressText] | None = None

    def is_public(self, key: str, params: Parameters, as_of: date) -> bool:
        day = self.public_from(key, params)
        return day is not None and day <= as_of


class UnknownKind(InputProblem, KeyError):
    def __init__(self, kind: str, known: Iterable[str]) -> None:
        super().__init__(kind)
        self.kind = kind
        self.known = sorted(known)

    def __str__(self) -> str:
        return f"ukendt rapporttype {self.kind!r} (de kendte typer er: {', '.join(self.known)})"


_BUILTIN = "councilbook.reports.kinds"
_registry: dict[str, ReportKind] = {}


def _kinds_of(module: ModuleType) -> list[ReportKind]:
    found = getattr(module, "KIND", None)
    if found is None:
        return []
    return list(found) if isinstance(found, list | tuple) else [found]


def register(kind: ReportKind) -> ReportKind:
    """Add a kind (a kind module's ``KIND`` is registered when the module is loaded)."""
    existing = _registry.get(kind.id)
    if existing is not None and existing is not kind and existing.build is not kind.build:
        raise ValueError(f"to rapporttyper har id'et {kind.id!r}")
    _registry[kind.id] = kind
    if kind.folder is not None:
        register_folder(kind.folder)
    return kind


def unregister(kind_id: str) -> None:
    """Forget a kind (and its parameter folder): for tests that add one."""
    kind = _registry.pop(kind_id, None)
    if kind is not None and kind.folder is not None:
        unregister_folder(kind.folder.name)


def registered() -> dict[str, ReportKind]:
    """The kinds registered so far, by id (a copy)."""
    return dict(_registry)


def load_kinds(modules: Iterable[str] = ()) -> dict[str, ReportKind]:
    """The built-in kinds and those of ``modules`` (module names), by id."""
    package = importlib.import_module(_BUILTIN)
    names = [f"{_BUILTIN}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]
    for name in [*names, *modules]:
        for kind in _kinds_of(importlib.import_module(name)):
            register(kind)
    return dict(_registry)


def get_kind(kind_id: str) -> ReportKind:
    kinds = load_kinds() if kind_id not in _registry else _registry
    if kind_id not in kinds:
        raise UnknownKind(kind_id, kinds)
    return kinds[kind_id]


def scope_report(
    kind_id: str,
    key: str | int,
    params: Parameters,
    dataset: Dataset,
    as_of: date | str | None = None,
    public: bool = True,
) -> Scope:
    """The scope of one report of kind ``kind_id``. A public scope (the book's, by default) holds only the
    public view of its meetings (:func:`councilbook.publication.scope.public_meeting`): no report, page or
    search entry built from it can see a confidential item's texts, nor a decision before its minutes are
    approved."""
    embargo = date.fromisoformat(as_of) if isinstance(as_of, str) and as_of else (as_of or None)
    assert embargo is None or isinstance(embargo, date)
    return get_kind(kind_id).scope(str(key), params, dataset, embargo, public)
