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
from pathlib import Path

from councilbook.assembly.manifest import Run
from councilbook.core.code import code_digest
from councilbook.publication.scope import Scope
from councilbook.reports.registry import get_kind


def kind_module_digest(kind_id: str) -> str:
    """SHA-256 of the source of the module that defines the kind (a project's own kind module is not in
    :func:`code_digest`)."""
    module = sys.modules.get(get_kind(kind_id).build.__module__)
    source = Path(module.__file__) if module is not None and module.__file__ else None
    return hashlib.sha256(source.read_bytes()).hexdigest() if source is not None and source.is_file() else ""


def run_key(run: Run, scope: Scope) -> str:
    """The key of one run; ``run.parameters`` must already hold the normalised embargo date."""
    payload = {
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
        "kind_module": kind_module_digest(run.kind),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
