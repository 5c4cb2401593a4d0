"""Where every figure comes from: data files, parameter files, code version, cut-off.

Files are named as they are within the data folder and the parameters folder (``figures.csv``,
``contracts/2013.yml``), never by a path on the machine that built the report: the names are published.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from councilbook.core.periods import month_code
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Parameters, sha256_file
from councilbook.publication.scope import Scope


def code_version() -> str:
    """The git commit of the code (with ``-dirty`` for local changes), else the package version."""
    package_dir = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(package_dir), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(package_dir), "status", "--porcelain", "--untracked-files=no", "--", "."],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return f"git {commit}{'-dirty' if dirty else ''}"
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return f"councilbook {version('councilbook')}"
    except PackageNotFoundError:
        return "councilbook (unknown version)"


@dataclass(frozen=True)
class Provenance:
    data_files: list[dict[str, str]]
    parameter_files: list[dict[str, str]]
    code: str
    cutoff: str | None
    snapshot_sha256: str = ""
    scope_sha256: str = ""  # the figures the report may read (its measures, up to its cut-off)
    source_title: str = ""  # the data source's title (datasource.yml), e.g. "Jobindsats"
    source: str = ""  # where the data come from, e.g. "jobindsats.dk"
    sample: bool = False  # the data are a generated sample
    # measure label -> where `councilbook fetch` got its figures (table, measure, selection, update_latest, fetched)
    fetched: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "fetched": self.fetched,
            "source_title": self.source_title,
            "source": self.source,
            "sample": self.sample,
            "snapshot_sha256": self.snapshot_sha256,
            "scope_sha256": self.scope_sha256,
            "data_files": self.data_files,
            "parameter_files": self.parameter_files,
            "code": self.code,
            "cutoff": self.cutoff,
        }


def scoped_parameter_files(scope: Scope) -> list[dict[str, str]]:
    """The parameter files a report's scope draws on: per file, the entries used and one hash of them."""
    files: dict[str, dict[str, str]] = {}
    for name, digest in scope.parameter_entries().items():
        path, _, entry = name.partition("#")
        files.setdefault(path, {})[entry] = digest
    shown = []
    for path, entries in files.items():
        digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
        named = ", ".join(e for e in entries if e)
        shown.append({"path": path, "entries": named, "sha256": digest})
    return shown


def describe_periods(first: str, last: str) -> str:
    """A file's periods in Danish: ``januar 2012-december 2017``, ``1. kvartal 2012-4. kvartal 2017``, ``2012-2017``."""
    if not first:
        return "ingen perioder"
    from councilbook.core.formats import format_period_code

    return f"{format_period_code(first)}-{format_period_code(last)}"


def collect_provenance(
    params: Parameters, dataset: Dataset, cutoff: pd.Period | None, scope: Scope | None = None
) -> Provenance:
    """Where a report's figures come from. With ``scope``, the parameter entries it used (not whole files)
    and the hash of its data slice: what its run key is made of."""
    return Provenance(
        data_files=[
            {
                "path": f.path.name,
                "sha256": f.sha256,
                "periods": describe_periods(f.first_period, f.last_period),
                "rows": str(f.rows),
            }
            for f in dataset.files
        ],
        parameter_files=(
            scoped_parameter_files(scope)
            if scope is not None
            else [
                {"path": path.relative_to(params.root).as_posix(), "sha256": sha256_file(path)} for path in params.files
            ]
        ),
        code=code_version(),
        cutoff=month_code(cutoff) if cutoff is not None else None,
        snapshot_sha256=dataset.snapshot_sha256,
        scope_sha256=scope.data_sha256() if scope is not None else "",
        source_title=dataset.source.title,
        source=dataset.source.source,
        sample=dataset.source.sample,
        fetched={
            params.measures[m].label: origin
            for m, origin in sorted(dataset.source.fetched.items())
            if m in params.measures and m in dataset.measures
        },
    )
