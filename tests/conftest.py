"""Shared fixtures: the project root, a writable copy of the small test council, tool checks."""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from buildpaths import BUILD_FOLDER

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


def build_html(project: Path) -> Path:
    """``councilbook build --no-pdf`` in ``project``; its HTML folder."""
    from typer.testing import CliRunner

    from councilbook.cli import app

    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(app, ["build", "--no-pdf"])
        assert result.exit_code == 0, result.output + result.stderr
    finally:
        os.chdir(cwd)
    return project / "_build/html"


@pytest.fixture(scope="session")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book's HTML (``build --no-pdf``), built once for the whole test run and shared by the xdist
    workers (the first to ask builds it, under a lock): read it, never change it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one run's folder, not older runs'
    target = root / "shared-sample-html"
    with (root / "shared-sample-html.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "done").is_file():
            shutil.rmtree(target, ignore_errors=True)
            build_html(copy_project(target / BUILD_FOLDER / "project"))  # a folder name no output may show
            (target / "done").touch()
    return target / BUILD_FOLDER / "project/_build/html"


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project folder for building books, in a folder whose name no output may show."""
    return copy_project(tmp_path / BUILD_FOLDER / "project")


class QuietServer(ThreadingHTTPServer):
    """A local test server that takes a client leaving early (as some tests' clients do on purpose) calmly."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    """``server`` answering on its own thread while the block runs; yields its address (``http://127.0.0.1:PORT``)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on localhost, as a web server would publish the book."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as url:
        yield url


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Numbers in the JSON that are not figures with a unit: counts of things, years, ranks (whole numbers, all).
UNITLESS = {
    "year",
    "n",
    "rank",
    "adjusted_rank",
    "periods",
    "points",
    "baseline_points",
    "periods_observed",
    "periods_in_year",
    "decimals",
    "contract_year",
    "evaluation_year",
    "analysis_year",
    "covers",
}
UNITLESS_UNDER = {"activity": {"expected", "held"}}  # the evaluation's meetings: expected and held, counted
# Each unit's suffix and the decimals its figures are shown with (a share's change that would show as "±0,0"
# is shown with more: figures.change); "_ratio" is shown with 2 decimals, a spread's with 3.
UNIT_DECIMALS = {"_count": 0, "_pct": 1, "_pp": 1, "_ratio": 3, "_per_1000": 1}
UNIT_SUFFIXES = tuple(UNIT_DECIMALS)
# The fit's coefficients are the model, not figures a report shows: kept as computed, to recompute with.
NOT_SHOWN = ("coefficients", "provenance")


def unnamed_figures(value: object, path: str = "") -> list[str]:
    """Paths of numbers in a report's JSON not named or rounded as shown: a key that does not say the unit
    (``backtest_error_pct``'s years are keys of a %), a count or a number of things that is not an integer, a
    figure with more decimals than its unit is shown with."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                if path.endswith(NOT_SHOWN):
                    continue
                suffix = next((s for s in UNIT_SUFFIXES if str(key).endswith(s) or path.endswith(s)), None)
                parent = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
                if key in UNITLESS or key in UNITLESS_UNDER.get(parent, ()):
                    if not isinstance(item, int):
                        found.append(f"{where}: {item!r} is not a whole number")
                elif suffix is None:
                    found.append(where)
                elif not _as_shown(item, UNIT_DECIMALS[suffix]):
                    found.append(f"{where}: {item!r} is not as shown ({UNIT_DECIMALS[suffix]} decimals)")
            else:
                found += unnamed_figures(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unnamed_figures(item, f"{path}[{index}]")
    return found


def _as_shown(value: float, decimals: int) -> bool:
    """An integer for a figure without decimals; else no more decimals than shown, but more for a figure that
    would show as 0 with them (``+0,03 %``, never ``±0,0 %``)."""
    if decimals == 0:
        return isinstance(value, int)
    places = -Decimal(repr(float(value))).normalize().as_tuple().exponent
    return places <= decimals or abs(value) <= 0.5 * 10**-decimals  # 0,05: an exact 0,0496 shown as 0,05


@contextmanager
def chrome_driver(browser_log: bool = False) -> Iterator[Any]:
    """The system Chromium driven by Selenium through Debian's chromedriver (never a downloaded browser), with
    the flags the PDF step uses, at 1280 x 900; ``browser_log``: the console and network logs kept."""
    chromium = require_tool("chromium", "chromium-browser")
    driver_path = require_tool("chromedriver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never try to download a browser or driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from councilbook.assembly.pdf import chromium_flags

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="councilbook-selenium-")
    for flag in [*chromium_flags(profile), "--window-size=1280,900"]:
        options.add_argument(flag)
    if browser_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
