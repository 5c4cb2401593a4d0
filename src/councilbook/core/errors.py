"""Problems found in the user's files, collected and reported together.

Every check in councilbook appends :class:`Problem` objects instead of raising at
the first one, so that a user sees everything that is wrong in one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: ``file: where: message``."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        if self.where:
            return f"{self.file}: {self.where}: {self.message}"
        return f"{self.file}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in the parameters or the data."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.file, problem.where, problem.message)


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


class ComputeError(Exception):
    """The figures asked for cannot be computed from the parameters and data given."""
