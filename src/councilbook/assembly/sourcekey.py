"""The key of everything a build reads, so that a build with nothing changed answers from one key.

A build reads the parameters, the data, the project's reports (``pipelines/``: the manifest, the notebooks, and
the project's own kind modules the manifest names), the book's own pages and settings (``book/`` but what builds
write there, ``_config.yml``), the code (:func:`~councilbook.core.code.code_digest`), whether it makes the PDF,
and the day it is made as of (what is public, the date on the cover). :func:`inputs_key` hashes all of it;
the published book records the key it was built from (and the notes that build gave), and a build whose key
equals it stops there, before it loads anything (:func:`published_unchanged`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from datetime import date
from pathlib import Path

import yaml

from councilbook.assembly.outcome import BuildResult
from councilbook.core.code import code_digest
from councilbook.core.paths import BookPaths
from councilbook.parameters.records import record_path

INPUTS = "inputs"  # the published record's field: the inputs key the published book was built from
NOTES = "notes"  # and the notes that build gave (pages held back), one per line


def inputs_digest(paths: BookPaths, params_dir: Path, data_path: Path, as_of: date | None) -> str:
    """SHA-256 of everything the book built now would be made from, but whether it has its PDF."""
    h = hashlib.sha256(code_digest().encode())
    h.update(f"as_of={(as_of or date.today()).isoformat()}\0".encode())
    files: list[tuple[str, Path]] = []
    for label, top in (("params", params_dir), ("data", data_path), ("pipelines", paths.pipelines)):
        files += [(label, path) for path in _files(top)]
    files += [("book", path) for path in _files(paths.book) if not path.is_relative_to(paths.generated)]
    files += [("config", paths.config)] if paths.config.is_file() else []
    record = record_path(params_dir)  # the members' portal's record: objections, answered questions
    files += [("record", record)] if record.is_file() else []
    files += [("module", path) for path in _project_modules(paths)]
    for label, path in files:
        h.update(f"{label}\0{path.as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def inputs_key(digest: str, pdf: bool) -> str:
    """The key of a build from inputs with this :func:`inputs_digest`, with or without its PDF."""
    return hashlib.sha256(f"{digest}\0pdf={pdf}".encode()).hexdigest()


def _files(top: Path) -> list[Path]:
    if top.is_file():
        return [top]
    return sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _project_modules(paths: BookPaths) -> list[Path]:
    """The files of the kind modules the manifest names (``modules:``), found as the build imports them: from the
    project folder first. Nothing is imported."""
    try:
        data = yaml.safe_load(paths.manifest.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        return []
    found: list[Path] = []
    project = str(paths.project.resolve())
    sys.path.insert(0, project)
    try:
        for name in modules:
            try:
                spec = importlib.util.find_spec(str(name))
            except (ImportError, ValueError):
                spec = None
            origin = Path(spec.origin) if spec is not None and spec.origin else None
            if origin is None or not origin.is_file():
                continue  # the build says what is wrong with it
            found += _files(origin.parent) if origin.name == "__init__.py" else [origin]
    finally:
        sys.path.remove(project)
    return found


def published_unchanged(paths: BookPaths, digest: str, pdf: bool) -> list[str] | None:
    """The notes of the published book if it was built from the inputs of this :func:`inputs_digest` and is all
    there (its PDF too, if asked for); else None. A book built with its PDF also serves a build without."""
    recorded = _published(paths)
    keys = {inputs_key(digest, pdf), inputs_key(digest, True)}
    if recorded.get(INPUTS) not in keys or not (paths.html / "index.html").is_file():
        return None
    if pdf and not paths.pdf.is_file():
        return None
    notes = recorded.get(NOTES, "")
    return [line for line in notes.splitlines() if line] if isinstance(notes, str) else []


def unchanged_build(paths: BookPaths, digest: str, pdf: bool) -> BuildResult | None:
    """The published book as a build's result, if it was made from these inputs (:func:`published_unchanged`)."""
    notes = published_unchanged(paths, digest, pdf)
    if notes is None:
        return None
    return BuildResult([], paths.html, paths.pdf if pdf else None, unchanged=True, notes=tuple(notes))


def record_inputs(paths: BookPaths, key: str, notes: tuple[str, ...] | list[str]) -> None:
    """Add the inputs key and the build's notes to the published book's record (in its version folder)."""
    target = paths.published_key.resolve()
    recorded = _published(paths)
    if not recorded or not target.is_file():
        return
    recorded[INPUTS] = key
    recorded[NOTES] = "\n".join(notes)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    os.replace(temporary, target)


def _published(paths: BookPaths) -> dict[str, str]:
    try:
        recorded = json.loads(paths.published_key.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}
