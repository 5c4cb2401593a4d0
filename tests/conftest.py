"""Shared fixtures: the project root, a writable copy of the small test council, tool checks."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


def copy_project(target: Path) -> Path:
    """A copy of the project folder at ``target`` (code stays installed from the repo), without generated output."""
    target.mkdir(parents=True)
    for name in ("_config.yml", "book", "pipelines", "parameters", "data"):
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("generated", "_build", "processed", "raw")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project folder for building books."""
    return copy_project(tmp_path / "project")


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on localhost, as a web server would publish the book."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Numbers in the JSON that are not figures with a unit: counts of things, years, ranks.
UNITLESS = {
    "year",
    "n",
    "rank",
    "periods",
    "points",
    "baseline_points",
    "periods_observed",
    "periods_in_year",
    "decimals",
    "contract_year",
    "evaluation_year",
    "covers",
}
UNIT_SUFFIXES = ("_count", "_pct", "_pp", "_ratio")


def unnamed_figures(value: object, path: str = "") -> list[str]:
    """Paths of numbers whose key does not say their unit (``backtest_error_pct``'s years are keys of a %)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                if key not in UNITLESS and not key.endswith(UNIT_SUFFIXES) and not path.endswith(UNIT_SUFFIXES):
                    if not path.endswith(("coefficients", "provenance")):
                        found.append(where)
            else:
                found += unnamed_figures(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unnamed_figures(item, f"{path}[{index}]")
    return found
