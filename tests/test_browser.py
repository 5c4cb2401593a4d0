"""The published book in a real browser: the system Chromium (Debian `chromium`, driven through
`chromedriver`, never a downloaded browser) against the sample book served on localhost."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from typer.testing import CliRunner

from conftest import copy_project, require_tool, served
from councilbook.cli import app
from councilbook.danish import format_date
from councilbook.parameters import load_parameters
from councilbook.pdf import chromium_flags

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample book, built without PDF and served on localhost."""
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(app, ["build", "--no-pdf"])
        assert result.exit_code == 0, result.output + result.stderr
    finally:
        os.chdir(cwd)
    with served(project / "_build/html") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = require_tool("chromium", "chromium-browser")
    driver_path = require_tool("chromedriver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never try to download a browser or driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="councilbook-selenium-")
    for flag in [*chromium_flags(profile), "--window-size=1280,900"]:  # the flags the PDF step uses
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _requests(driver) -> list[str]:
    """Every URL the browser asked for since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _images_loaded(driver) -> bool:
    return driver.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")


def test_pages_in_the_browser(site: str, browser) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(site + "/generated/index.html")
    lines = driver.find_elements(By.CSS_SELECTOR, "#malene-lige-nu li")
    assert len(lines) == 4 and all(any(s in li.text for s in ("✔", "⚠", "✖")) for li in lines)

    # The navigation reaches every meeting page of the sample.
    links = {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "nav.bd-links a")}
    params = load_parameters(ROOT / "parameters")
    for meeting in params.meetings:
        href = f"{site}/generated/meetings/{meeting.date.isoformat()}.html"
        assert href in links, href
        driver.get(href)
        heading = driver.find_element(By.CSS_SELECTOR, "article h1").text
        assert format_date(meeting.date) in heading and "status på målene" in heading, heading
        assert format_date(meeting.date) in driver.title
        assert _images_loaded(driver), href
    for page in ("contracts/2013", "evaluations/2013", "index"):
        driver.get(f"{site}/generated/{page}.html")
        assert _images_loaded(driver), page

    errors = _console_errors(driver)
    assert errors == [], "\n".join(errors)
    hosts = {urlparse(u).netloc for u in _requests(driver) if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {urlparse(site).netloc}, hosts  # no request leaves the site


def test_search_finds_a_goal_title_offline(site: str, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(f"{site}/search.html?q={quote('førtidspension')}")
    # Sphinx lists the results one by one; the 2013 popular edition has the goal in its title.
    found = (By.CSS_SELECTOR, "#search-results li a[href*='contracts/2013']")
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located(found))
    assert "Resultatkontrakt 2013" in driver.find_element(*found).text


@pytest.mark.parametrize("page", ["index", "meetings/2013-12-11", "contracts/2013", "evaluations/2013"])
def test_no_sideways_scroll_on_a_phone(site: str, browser, page: str) -> None:
    driver = browser
    driver.set_window_size(390, 844)
    try:
        driver.get(f"{site}/generated/{page}.html")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        viewport = driver.execute_script("return window.innerWidth")
        assert width <= viewport, f"{page}: {width} px wide in a {viewport} px window"
    finally:
        driver.set_window_size(1280, 900)
