"""The run key: everything a report run depends on, hashed.

A run's key is the SHA-256 of the notebook, the parameters papermill gives it (with
the embargo date normalised, see :mod:`scope`), its page title, the parameter
entries and the data slice in its scope, and the version of the code: the
councilbook package's source and the versions of the libraries that shape its
output. A run whose key is unchanged is not executed again: its executed
notebook is taken from the cache.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .manifest import Run
from .scope import Scope

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


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the councilbook package's source files, the Python version and the output libraries' versions."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    h.update(sys.version.encode())
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name}={_version(name)}\n".encode())
    return h.hexdigest()


def run_key(run: Run, scope: Scope) -> str:
    """The key of one run; ``run.parameters`` must already hold the normalised embargo date."""
    payload = {
        "report": run.report,
        "kind": run.kind,
        "key": run.key,
        "output": run.output,
        "title": run.title,
        "nav_title": run.nav_title,
        "notebook_sha256": hashlib.sha256(run.notebook.read_bytes()).hexdigest(),
        "parameters": run.parameters,
        "parameter_entries": scope.parameter_entries(),
        "data_sha256": scope.data_sha256(),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
