"""The published book in a real browser: the system Chromium (Debian `chromium`, driven through
`chromedriver`, never a downloaded browser) against the sample book served on localhost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from conftest import chrome_driver, served

from councilbook.core.formats import format_date
from councilbook.parameters.load import load_parameters

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]


@pytest.fixture(scope="module")
def html_dir(sample_html: Path) -> Path:
    """The sample book's HTML, built without PDF (once for the run: conftest's ``sample_html``)."""
    return sample_html


@pytest.fixture(scope="module")
def site(html_dir: Path) -> Iterator[str]:
    """The sample book served on localhost."""
    with served(html_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chrome_driver(browser_log=True) as driver:
        yield driver


# Elements reaching past the window's edges that are not inside a box scrolling sideways.
CLIPPED = """
const width = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll('article *, .prev-next-area *')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
  let box = el.parentElement;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
  if (!box) out.push(el.tagName + ' ' + (el.innerText || '').slice(0, 60));
}
return out;
"""


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
    """Every image on the page loads (images load lazily: each is brought into view first)."""
    import time

    driver.execute_script("for (const i of document.images) { i.loading = 'eager'; }")
    deadline = time.monotonic() + 10
    script = "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    while not driver.execute_script(script) and time.monotonic() < deadline:
        time.sleep(0.1)
    return driver.execute_script(script)


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
        assert driver.execute_script(CLIPPED) == [], href  # nothing cut off at 1280 px either
    for page in ("contracts/2013", "evaluations/2013", "index"):
        driver.get(f"{site}/generated/{page}.html")
        assert _images_loaded(driver), page

    errors = _console_errors(driver)
    assert errors == [], "\n".join(errors)
    hosts = {urlparse(u).netloc for u in _requests(driver) if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {urlparse(site).netloc}, hosts  # no request leaves the site


@pytest.mark.parametrize(
    ("query", "page", "title"),
    [
        ("førtidspension", "contracts/2013", "Resultatkontrakt 2013"),  # a goal's title
        ("Køge", "meetings/2013-12-11", "11. december 2013"),  # a job centre's name, in its tables
        ("arbejdskraftoplande", "meetings/2013-12-11", "11. december 2013"),  # a meeting's theme
    ],
)
def test_search_finds_it_offline(site: str, browser, query: str, page: str, title: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(f"{site}/search.html?q={quote(query)}")
    # Sphinx lists the results one by one, with the Danish stemmer.
    found = (By.CSS_SELECTOR, f"#search-results li a[href*='{page}']")
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located(found))
    assert title in driver.find_element(*found).text


def _pages(html_dir: Path) -> list[Path]:
    """Every page of the book a reader can open (not Sphinx's index and search pages)."""
    return [
        p
        for p in sorted(html_dir.rglob("*.html"))
        if p.name not in ("genindex.html", "search.html")
        and p.relative_to(html_dir).as_posix() != "index.html"  # the redirect to generated/index.html
        and not p.relative_to(html_dir).as_posix().startswith("_static/")
    ]


def test_headings_in_order_on_every_page(html_dir: Path) -> None:
    from bs4 import BeautifulSoup

    pages = 0
    for page in _pages(html_dir):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article")
        assert article is not None, page
        pages += 1
        levels = [int(h.name[1]) for h in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[:1] == [1] and levels.count(1) == 1, f"{page}: one h1 first, got {levels}"
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not jumps, f"{page}: heading levels skip {jumps}"
    # front page, 2 contracts, 12 meetings, 1 evaluation, 1 analysis, 1 key figures and a page for each of its
    # job centres, 2 bottleneck overviews, method, about
    assert pages == 22 + len(load_parameters(ROOT / "parameters").council.job_centres)


def test_every_figure_says_in_danish_what_it_shows(html_dir: Path) -> None:
    """Alt text names the kind of chart and the goal (or the year, for the annual cycle)."""
    from bs4 import BeautifulSoup

    params = load_parameters(ROOT / "parameters")
    goals = {g.title for c in params.contracts.values() for g in c.goals}
    seen = 0
    for page in _pages(html_dir):
        for image in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("article img"):
            alt = image.get("alt", "")
            seen += 1
            kind = alt.split(" ", 1)[0]
            assert kind in ("Kurve", "Kontroldiagram", "Søjlediagram", "Årshjul"), f"{page}: {alt!r}"
            assert kind == "Årshjul" or any(f"»{goal}«" in alt for goal in goals), f"{page}: {alt!r}"
            assert len(alt.split()) >= 12, f"{page}: {alt!r}"
    assert seen > 100


def test_status_is_never_colour_alone(html_dir: Path) -> None:
    """A coloured cell also carries a symbol and a word."""
    from bs4 import BeautifulSoup

    coloured = 0
    for page in _pages(html_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select(".cb-good, .cb-warn, .cb-bad, .cb-none"):
            coloured += 1
            text = cell.get_text(" ", strip=True)
            assert any(s in text for s in ("✔", "⚠", "✖", "▲", "▼", "–")), f"{page}: {text!r}"
    assert coloured > 100


@pytest.mark.parametrize(
    "page",
    [
        "generated/index",
        "generated/meetings/2013-12-11",
        "generated/contracts/2013",
        "generated/evaluations/2013",
        "metode",
        "om",
    ],
)
def test_no_sideways_scroll_on_a_phone(site: str, browser, page: str) -> None:
    driver = browser
    driver.set_window_size(390, 844)
    try:
        driver.get(f"{site}/{page}.html")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        viewport = driver.execute_script("return window.innerWidth")
        assert width <= viewport, f"{page}: {width} px wide in a {viewport} px window"
        # Nor is anything cut off at the edge, unless it is inside a box that scrolls.
        assert driver.execute_script(CLIPPED) == [], page
        # Summary tables (the goals' status, the evaluation's results) are stacked into cards: every
        # cell is on screen, none scrolled away in its box.
        rights = driver.execute_script(
            "return [...document.querySelectorAll('table.cb-stacked td')].map(c => c.getBoundingClientRect())"
            ".filter(r => r.width > 0).map(r => r.right)"  # empty cells are hidden
        )
        if any(part in page for part in ("meetings/", "evaluations/", "contracts/")):
            assert rights, f"{page}: no stacked table"
        assert all(0 < right <= viewport for right in rights), (page, max(rights))
    finally:
        driver.set_window_size(1280, 900)
