"""What a data reader is given and what it gives back: the :class:`ReadContext` (the council's areas,
the measures, the data folder's options and where problems go), :class:`Figure` (one figure as read,
with its file and cell), and :class:`Reader` (a kind of data file: whether it claims a file, and
reading it). The readers themselves are the modules of :mod:`councilbook.data.readers`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from councilbook.core.errors import Problem
from councilbook.data.areas import AreaIndex, unknown_area_message
from councilbook.parameters.model import Measure

ORIGIN_KEYS = ("table", "table_name", "measure", "measure_id", "selection", "period", "update_latest", "fetched")


@dataclass(frozen=True)
class DataSource:
    title: str = "Data"
    source: str = "jobindsats.dk"
    sample: bool = False
    ignore_unknown_areas: bool = False
    # measure id -> where `councilbook fetch` got it (ORIGIN_KEYS: table, measure, selection, update_latest, ...)
    fetched: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One figure as read, with where it came from. ``value`` None means withheld."""

    measure: str
    area: str  # a municipality code or jc:<job centre id>
    period: str
    value: float | None
    file: str
    where: str


@dataclass
class ReadContext:
    """What readers need: the area index, the measures, the options, and where problems go."""

    index: AreaIndex
    measures: dict[str, Measure]
    source: DataSource
    problems: list[Problem]

    def area(self, label: Any, file: str, where: str) -> str | None:
        text = "" if label is None else str(label).strip()
        if not text:
            self.problems.append(Problem(file, where, "området er tomt"))
            return None
        key = self.index.match(text)
        if key is None and not self.source.ignore_unknown_areas:
            self.problems.append(Problem(file, where, unknown_area_message(text, self.index)))
        return key


@dataclass(frozen=True)
class Reader:
    """A kind of data file: its name, what messages call it (in Danish), the file suffixes it reads
    (lower case, with the dot: a data folder's listing takes these in), and how to read one.

    :meth:`recognises` says cheaply whether a file is of this kind: its suffix, and if the reader
    gives a ``sniff``, a look at its head. ``read(path, context)`` reads the file into figures,
    adding every problem to ``context.problems`` (an OSError is reported by the caller). A
    ``fallback`` reader claims a file only when no other reader does (the jobindsats CSV export takes
    every CSV file that is not tidy CSV), so a project can add a reader of its own CSV format."""

    name: str  # an identifier, as the module's name: "tidy_csv"
    label: str  # what the format is called in messages, in Danish
    suffixes: tuple[str, ...]
    read: Callable[[Path, ReadContext], list[Figure]]
    sniff: Callable[[Path], bool] | None = None  # the file's head says it is of this kind
    fallback: bool = False

    def recognises(self, path: Path) -> bool:
        return path.suffix.lower() in self.suffixes and (self.sniff is None or self.sniff(path))
