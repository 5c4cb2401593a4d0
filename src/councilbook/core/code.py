"""The version of the code: the councilbook package's source and the libraries that shape its output."""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# Libraries whose version can change a report's output.
OUTPUT_LIBRARIES = (
    "pandas",
    "numpy",
    "matplotlib",
    "babel",
    "papermill",
    "nbformat",
    "nbclient",
    "myst-nb",
    "ipykernel",
)


# The package's files that make its output: its code, and the templates and stylesheets the render layer uses.
SOURCE_SUFFIXES = (".py", ".j2", ".css")
# Subpackages that make no report, book or pack: the members' portal sits above every stage that does (the layers
# in pyproject.toml keep it so), so a change to it runs no report again.
NOT_OUTPUT = ("portal",)


def library_version(name: str) -> str:
    """An installed library's version, ``-`` where it is not installed."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the councilbook package's files (its source and its templates and stylesheets, which shape a
    report's HTML as much), the Python version and the output libraries' versions."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    files = [
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in SOURCE_SUFFIXES and p.relative_to(package).parts[0] not in NOT_OUTPUT
    ]
    for path in sorted(files):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    h.update(sys.version.encode())
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name}={library_version(name)}\n".encode())
    return h.hexdigest()
