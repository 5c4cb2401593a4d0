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

from councilbook.build.manifest import Run
from councilbook.core.code import code_digest
from councilbook.publication.scope import Scope


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
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
