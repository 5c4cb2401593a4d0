"""The prepared project: validated once per build, and kept under the digest of its inputs for the build's
reports (and `councilbook status`), which read it instead of validating again."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from councilbook.project.load import Project, load_project


def project_digest(params_dir: Path | str, data_path: Path | str) -> str:
    """SHA-256 of every file under the parameters and the data, and of the code that reads them."""
    from councilbook.core.code import code_digest
    from councilbook.parameters.folders import report_folders
    from councilbook.parameters.records import record_path

    h = hashlib.sha256(code_digest().encode())
    # The kinds' parameter folders read (a project's own kind adds one)
    h.update(repr([(f.name, f.model.__module__, f.model.__qualname__) for f in report_folders()]).encode())
    for top in (Path(params_dir), Path(data_path), record_path(params_dir)):
        if not top.exists():
            continue  # no portal record
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            h.update(str(path.resolve()).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def save_prepared(project: Project, params_dir: Path | str, data_path: Path | str, folder: Path) -> Path:
    """Store a validated project under the digest of its inputs, for the reports of the same build."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{project_digest(params_dir, data_path)}.pickle"
    if path.is_file():
        return path  # the same inputs validated before: the same project
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        temporary.write_bytes(pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a full disk leaves nothing half-written
        raise
    return path


def load_prepared(params_dir: Path | str, data_path: Path | str, folder: Path) -> Project:
    """The project as validated earlier from exactly these files (see :func:`save_prepared`), else loaded now."""
    path = folder / f"{project_digest(params_dir, data_path)}.pickle"
    if path.is_file():
        try:
            project = pickle.loads(path.read_bytes())
            if isinstance(project, Project):
                return project
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated file: validate again
    return load_project(params_dir, data_path)
