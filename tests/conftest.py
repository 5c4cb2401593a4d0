"""Shared fixtures: the project root, a writable copy of the small test council, tool checks."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from buildpaths import BUILD_FOLDER

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"

# The members' portal (Django) reads its settings from the environment once, when first imported. The tests'
# portal works on a copy of the sample council's parameters in a folder of its own, so that what it writes (its
# database, files, cache and record: portal/ beside those parameters) never lands beside the real ones, nor is
# read by another test's build. Django is set up here, before pytest-django looks (tests/test_portal*.py).
_PORTAL_HOME = Path(tempfile.mkdtemp(prefix="councilbook-portal-tests-"))
shutil.copytree(ROOT / "parameters", _PORTAL_HOME / "parameters")
atexit.register(shutil.rmtree, _PORTAL_HOME, True)
os.environ.pop("COUNCILBOOK_PORTAL", None)
os.environ["COUNCILBOOK_PARAMS"] = str(_PORTAL_HOME / "parameters")
os.environ["COUNCILBOOK_SECRET_KEY"] = "only-for-the-tests-" + "x" * 40
os.environ["DJANGO_SETTINGS_MODULE"] = "councilbook.portal.settings"
import django  # noqa: E402

django.setup()
# Read once: not handed down to the xdist workers (each makes its own folder) nor to the commands tests run.
for _name in ("COUNCILBOOK_PARAMS", "COUNCILBOOK_SECRET_KEY", "DJANGO_SETTINGS_MODULE"):
    del os.environ[_name]
MINI_ARGS = ["--params", str(MINI / "parameters"), "--data", str(MINI / "data")]  # the test council, for the CLI


# What takes longest in `make test` (a minute or more on two cores), longest first: a test ("file::name", each
# of its parameters alone) or a whole module ("file", for a module fixture that builds a book). They are sent to
# the workers first, so that the rest fills in around them rather than one starting last (measure with
# `make test PYTEST_ARGS=--durations=40`).
LONGEST = (
    "test_guide.py::test_follow_the_guide_from_a_fresh_clone",
    "test_book.py::test_sample_council_book",  # the first to ask for the shared sample_book: it builds it
    "test_book.py::test_second_test_council_end_to_end",
    "test_faults.py::test_a_build_killed_at_any_phase_leaves_the_book_whole",  # and the shared mini_book
    "test_rebuild.py::test_rebuild_runs_only_what_changed",
    "test_hostile_text.py",
    "test_embargo.py::test_public_book_leaks_nothing",
    "test_kinds.py::test_a_project_adds_a_kind_in_one_module",
    "test_fetch_v3.py::test_a_book_built_on_fetched_figures_says_where_they_come_from",
    "test_faults.py::test_two_builds_at_once",
    "test_portal_journey.py::test_the_whole_journey",
    "test_publish.py::test_publish_puts_the_site_with_its_pdf_in_place",
    "test_rebuild.py::test_failing_report_is_contained_and_the_book_stays",
    "test_faults.py::test_a_build_folder_that_cannot_be_written",
    # Modules of many tests that take a while together (packs printed, reports run, a browser).
    "test_meetings.py",
    "test_any_council.py",
    "test_pack.py",
    "test_site.py",
    "test_browser.py",
    "test_phone_charts.py",
    "test_generated_councils.py",
    "test_cli.py",
    "test_jobcentre_pages.py",
    "test_fetch_v3.py",
    "test_bad_inputs.py",
    "test_danish_cli.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The LONGEST first, in their order; the rest as collected. A test of LONGEST is a unit of its own for
    ``--dist loadgroup`` (make test); every other test is grouped with its module (one worker runs a module, so
    its module fixtures are made once)."""
    rank = {name: place for place, name in enumerate(LONGEST)}

    def unit(item: pytest.Item) -> tuple[str, bool]:
        module = item.path.name
        test = f"{module}::{getattr(item, 'originalname', item.name)}"  # its parameters left out
        return (test, True) if test in rank else (module, module in rank)

    items.sort(key=lambda item: rank.get(unit(item)[0], len(rank)))
    for item in items:
        name, alone = unit(item)
        if not (alone and "::" in name):
            item.add_marker(pytest.mark.xdist_group(name.removesuffix(".py")))


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


@pytest.fixture(autouse=True)
def _kinds_as_they_were() -> Iterator[None]:
    """A report kind or parameter folder a test registers (a project's own kind, a test kind) is gone after the
    test, and one it removed is back: both registries as they were, the built-in kinds and folders loaded."""
    from councilbook.parameters import folders
    from councilbook.reports import registry

    registry.load_kinds()
    kinds, known = registry.registered(), {folder.name: folder for folder in folders.report_folders()}
    yield
    for kind_id, kind in registry.registered().items():
        if kinds.get(kind_id) is not kind:
            registry.unregister(kind_id)
    for folder in folders.report_folders():
        if known.get(folder.name) is not folder:
            folders.unregister_folder(folder.name)
    for kind in kinds.values():
        registry.register(kind)
    for folder in known.values():
        folders.register_folder(folder)


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


def shared_folder(name: str, make: Callable[[Path], None], factory: pytest.TempPathFactory) -> Path:
    """A folder made by ``make(folder)`` once for the whole test run and shared by the xdist workers (the first
    to ask makes it, under a lock; the others wait for it): read it, never change it (:func:`copy_built` for a
    copy to change). Made once even when it fails: who asks after a failure fails at once with its error."""
    import fcntl

    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one run's folder, not older runs'
    target, failed = root / f"shared-{name}", root / f"shared-{name}.failed"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.is_file():
            pytest.fail(f"the shared {name} could not be made (by another test):\n{failed.read_text()}")
        if not (target / "done").is_file():
            shutil.rmtree(target, ignore_errors=True)
            try:
                make(target)
            except Exception as exc:  # not a skip (no Chromium): the next to ask skips likewise
                failed.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
                raise
            (target / "done").touch()
    return target


def copy_built(project: Path, target: Path) -> Path:
    """A copy of a built project folder (its _build with the published book's links and the reports' cache) to
    change; the copy builds as the original would, reusing its reports when the council is inside the project."""
    shutil.copytree(project, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project folder of the sample council's book, built (``councilbook --project PROJECT build``, as of
    today: after every meeting, minutes, evaluation and contract) once for the whole test run and shared by the
    xdist workers, with a marker planted in every non-public text (leaks.py), in a folder whose name no output
    may show: read it, never change it. With PDF where Chromium is (``_build/pdf/book.pdf``), else HTML only."""
    from leaks import plant_markers
    from typer.testing import CliRunner

    from councilbook.cli import app

    def make(target: Path) -> None:
        project = copy_project(target / BUILD_FOLDER / "project")
        assert plant_markers(project / "parameters")
        pdf = [] if shutil.which("chromium") or shutil.which("chromium-browser") else ["--no-pdf"]
        result = CliRunner().invoke(app, ["--project", str(project), "build", *pdf])
        assert result.exit_code == 0, result.output + result.stderr

    return shared_folder("sample-book", make, tmp_path_factory) / BUILD_FOLDER / "project"


@pytest.fixture(scope="session")
def sample_html(sample_book: Path) -> Path:
    """The sample book's HTML (``sample_book``'s, built once for the run): read it, never change it."""
    return sample_book / "_build/html"


# The small test council inside a project folder, where it is given as relative paths: its reports' keys then
# name no temporary folder, so a copy of the built project reuses them (copy_built).
COUNCIL = "council"
COUNCIL_ARGS = ["--params", f"{COUNCIL}/parameters", "--data", f"{COUNCIL}/data"]  # with --project PROJECT


@pytest.fixture(scope="session")
def mini_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with the small test council in ``council/`` (a marker planted in every non-public
    text: leaks.py), its book built with PDF once for the whole test run and shared by the xdist workers: read
    it, never change it (``mini_book_copy`` to change it). Built as ``councilbook --project PROJECT build
    --params council/parameters --data council/data``."""
    from leaks import plant_markers
    from typer.testing import CliRunner

    from councilbook.cli import app

    def make(target: Path) -> None:
        require_tool("chromium", "chromium-browser")
        project = copy_project(target / BUILD_FOLDER / "project")
        shutil.copytree(MINI, project / COUNCIL)
        assert plant_markers(project / COUNCIL / "parameters")
        result = CliRunner().invoke(app, ["--project", str(project), "build", *COUNCIL_ARGS])
        assert result.exit_code == 0, result.output + result.stderr

    return shared_folder("mini-book", make, tmp_path_factory) / BUILD_FOLDER / "project"


@pytest.fixture
def mini_book_copy(mini_book: Path, tmp_path: Path) -> Path:
    """A copy of ``mini_book``'s project folder, its book built (HTML and PDF) and its reports in the cache."""
    return copy_built(mini_book, tmp_path / BUILD_FOLDER / "project")


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
UNITLESS_UNDER = {
    "activity": {"expected", "held"},  # the evaluation's meetings: expected and held, counted
    "decisions": {"item"},  # a decision's item: its number on the meeting's agenda
}
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
