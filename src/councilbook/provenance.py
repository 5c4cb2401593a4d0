"""Where every figure comes from: data files, parameter files, code version, cut-off."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from .errors import display_path
from .ingest import Dataset
from .parameters import Parameters
from .periods import month_code


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

    def as_dict(self) -> dict[str, object]:
        return {
            "snapshot_sha256": self.snapshot_sha256,
            "data_files": self.data_files,
            "parameter_files": self.parameter_files,
            "code": self.code,
            "cutoff": self.cutoff,
        }


def collect_provenance(params: Parameters, dataset: Dataset, cutoff: pd.Period | None) -> Provenance:
    return Provenance(
        data_files=[
            {
                "path": display_path(f.path),
                "sha256": f.sha256,
                "periods": f"{f.first_period}-{f.last_period}",
                "rows": str(f.rows),
            }
            for f in dataset.files
        ],
        parameter_files=[{"path": path, "sha256": digest} for path, digest in params.file_hashes().items()],
        code=code_version(),
        cutoff=month_code(cutoff) if cutoff is not None else None,
        snapshot_sha256=dataset.snapshot_sha256,
    )
