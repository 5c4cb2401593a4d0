"""Shared fixtures: the project root, a writable copy of the small test council, tool checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
MINI_ARGS = ["--params", str(MINI / "parameters"), "--data", str(MINI / "data")]  # the test council, for the CLI


def require_tool(*names: str) -> str:
    """The first of ``names`` on PATH; skip without it, but fail when CI=true (CI must run it)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"needs {' or '.join(names)} (Debian: make system-deps)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " - CI=true, so this test may not skip")
    pytest.skip(message)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small test council: tmp/parameters and tmp/data."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project folder (code stays installed from the repo) for building books."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("_config.yml", "book", "pipelines", "parameters", "data"):
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("generated", "_build", "processed", "raw")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target
