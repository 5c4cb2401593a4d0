"""Problems found in the user's files, collected and reported together, and where they are.

Every check in councilbook appends :class:`Problem` objects instead of raising at
the first one, so that a user sees everything that is wrong in one run.

Messages are in Danish, for the secretariat; code, comments and YAML keys stay English. The same thing
has the same Danish word in every message (the glossary below); a new message uses these words.

Glossary
--------

=========================  ==========================================================================
English (code)             Danish (every message)
=========================  ==========================================================================
parameters folder          parametermappen (``--params``)
data folder, data file     datamappen (``--data``), datafilen
figure (one value)         tal (``17.250 tal``); withheld: skjult af diskretionshensyn
measure                    nøgletal (``nøgletallet 'ledige'``)
key (YAML), value          nøgle, værdi; unknown key: ukendt nøgle
line, column, row, cell    linje, kolonne, række, celle; sheet: ark
report, book               rapport, bog (the public book: den offentlige bog)
reused (from the cache)    genbrugt (never "cache"; ``_build/cache`` is only named as a path)
run, failed                kørt, fejlet
build (verb, noun)         bygge, bygning; the build folder: byggemappen (``_build``)
web folder (publish)       webmappen (``--to``)
notebook                   notesbog
contract, goal, target     kontrakt, mål, målsætning (``target``)
draft                      udkast
meeting, agenda item       møde, punkt (dagsordenspunkt)
members' pack              mødepakke
decision minutes           beslutningsreferat; press release: pressemeddelelse
evaluation, job centre     evaluering, jobcenter
option, command            tilvalg (``--as-of``), kommando
as of (a date)             pr. (``--as-of``: the day taken as today)
=========================  ==========================================================================

Places
------

A problem names its file, and where there: ``linje L, kolonne C`` (counted from 1, as an editor shows
them), a row or cell of a data file (``række 12``, ``Ark1!B7``), and for a YAML file the key's path.
A path's list positions are shown as people count, with the path itself for finding the key
(:func:`describe_where`): ``meetings[3].agenda[0].title`` reads ``4. møde, 1. punkt
(meetings[3].agenda[0].title)``. ``Problem.where`` keeps the path as written, so that the loader can
find its line and column (:func:`parse_path`).
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

# A list key's item in Danish, for a position counted from 1 ("4. møde"); keys not named here read "nr. 4".
LIST_ITEM_NOUNS: dict[str, str] = {
    "meetings": "møde",
    "agenda": "punkt",
    "before": "punkt",
    "after": "punkt",
    "goals": "mål",
    "job_centres": "jobcenter",
    "measures": "nøgletal",
    "members": "medlem",
    "absent": "afbud",
    "alternates": "suppleant",
    "attachments": "bilag",
    "actions": "handling",
    "themes": "tema",
    "conclusions": "konklusion",
    "roles": "rolle",
    "reports": "rapport",
    "modules": "modul",
}
# A goal's actions are its efforts, an agenda item's the actions its decision set going.
_GOAL_ACTION = "indsats"

_PATH = re.compile(r"^[A-Za-z_][\w-]*(\[\d+\])*(\.[\w-]+(\[\d+\])*)*$")
_PART = re.compile(r"([\w-]+)|\[(\d+)\]")
_YAML_SUFFIXES = (".yml", ".yaml")


def parse_path(where: str) -> tuple[str | int, ...] | None:
    """``meetings[3].agenda[0]`` → ``("meetings", 3, "agenda", 0)``; None for a text that is not a key path
    (``række 12``, ``Ark1!B7``)."""
    if not _PATH.match(where):
        return None
    return tuple(int(index) if index else key for key, index in _PART.findall(where))


def describe_where(where: str) -> str:
    """A key path with its list positions counted from 1, the path beside it: ``meetings[3].agenda[0]`` →
    ``4. møde, 1. punkt (meetings[3].agenda[0])``. A path without positions, or any other place, as it is."""
    path = parse_path(where)
    if path is None or not any(isinstance(part, int) for part in path):
        return where
    positions = []
    previous: str | int = ""
    for part in path:
        if isinstance(part, int):
            key = str(previous)
            noun = _GOAL_ACTION if key == "actions" and "goals" in path else LIST_ITEM_NOUNS.get(key)
            positions.append(f"{part + 1}. {noun}" if noun else f"{key} nr. {part + 1}")
        previous = part
    return f"{', '.join(positions)} ({where})"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: ``file, linje L, kolonne C: where: message``. ``where`` is a key path in a
    YAML file (shown with its positions counted from 1, :func:`describe_where`), or a row or cell of a data
    file; ``line`` and ``column`` (from 1) where the file's reader knows them."""

    file: str
    where: str
    message: str
    line: int | None = field(default=None, compare=False)
    column: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f", linje {self.line}" + (f", kolonne {self.column}" if self.column is not None else "")
        where = describe_where(self.where) if self.file.endswith(_YAML_SUFFIXES) else self.where
        return ": ".join(part for part in (place, where, self.message) if part)


MAINTAINER_ADVICE = (
    "Siger beskeden ikke, hvad der skal rettes, så kør kommandoen igen; fejler den igen, så send",
    "beskeden til den, der vedligeholder councilbook (docs/vejledning.md, afsnit 8).",
)


class CouncilbookError(Exception):
    """The base of every error councilbook raises for its user to act on; the command line maps them in one
    place (:func:`councilbook.cli.user_errors`).

    ``exit_code``: 2 the input is wrong (the parameters, the data, the command line; nothing was run), 1 a step
    that failed (a report, Sphinx, the PDF, the API, the build folder). :meth:`lines` are the Danish lines the
    user reads, after what the command was doing (``action``)."""

    exit_code: ClassVar[int] = 1
    # Lines after the message, for errors the message alone may not explain (ask the maintainer)
    advice: ClassVar[tuple[str, ...]] = ()

    def lines(self, action: str) -> list[str]:
        return [f"{action}: {self}", *self.advice]


class InputProblem(CouncilbookError):
    """Wrong input (exit 2): the base of the errors about what the user gave."""

    exit_code = 2


class StepFailed(CouncilbookError):
    """A step that failed (exit 1): the base of the errors of running, building, printing and fetching."""

    exit_code = 1


class UnknownMeeting(InputProblem, KeyError):
    """A meeting date that is not in the parameters (or no meeting at all)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def lines(self, action: str) -> list[str]:
        return [str(self)]


class InputError(InputProblem):
    """Raised with every problem found in the parameters or the data."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self, action: str) -> list[str]:
        count = len(self.problems)
        return [
            f"{count} {'problem' if count == 1 else 'problemer'} at rette; intet er kørt:",
            *(f"  {problem}" for problem in self.problems),
            "Ret hvert problem, der hvor det står, og kør så kommandoen igen.",
        ]


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """``række 9`` before ``række 10``."""
    return tuple((0, int(piece)) if piece.isdigit() else (1, piece) for piece in re.split(r"(\d+)", text) if piece)


def _sort_key(problem: Problem) -> tuple[str, int, int, tuple[tuple[int, int | str], ...], str]:
    """By file, then as the file reads: line and column, else the row or key path."""
    return (problem.file, problem.line or 0, problem.column or 0, _natural(problem.where), problem.message)


def display_path(path: Path) -> str:
    """A path as the user gave it: relative to the working directory when inside it (links are not followed:
    the published book is ``_build/html``, whichever version folder that leads to)."""
    absolute, cwd = Path(os.path.abspath(path)), Path(os.getcwd())
    for base in (cwd, cwd.resolve()):
        try:
            return str(absolute.relative_to(base))
        except ValueError:
            continue
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def os_reason(exc: OSError) -> str:
    """Why a file cannot be read or written, in Danish."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


_OS_REASONS: dict[int, str] = {
    errno.ENOENT: "filen findes ikke",
    errno.EACCES: "der er ikke adgang til den",
    errno.EPERM: "der er ikke adgang til den",
    errno.EISDIR: "det er en mappe",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.EIO: "disken kunne ikke læses (I/O-fejl)",
}


class ComputeError(StepFailed):
    """The figures asked for cannot be computed from the parameters and data given."""

    advice = MAINTAINER_ADVICE
