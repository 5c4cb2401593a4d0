"""The public site as its readers meet it, on a phone (390 x 844) and a desktop (1280 x 900), in the system
Chromium: the front page answers "how is the council doing?" on the first screen, nothing is wider than the
window, no English word of the theme is left, a wide table says that it scrolls, prev/next walks the meetings
in date order, and a search for a job centre counts its hits in Danish and opens on the job centre's row.
One build of the sample (without PDF, test_browser's fixtures) serves the whole module."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from test_browser import browser, html_dir, site

from councilbook.parameters.load import load_parameters

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]
FIXTURES = (browser, html_dir, site)  # test_browser's: the sample built once for this module, served, a browser

SCREENS = {"phone": (390, 844), "desktop": (1280, 900)}
PAGES = [
    "generated/index",
    "generated/meetings/2013-12-11",
    "generated/evaluations/2013",
    "generated/contracts/2013",
    "generated/keyfigures/2012",
    "generated/analyses/2012",
    "generated/bottlenecks/2013-2",
    "metode",
    "search",
]
# The theme's English words (and Sphinx's Danish "kategorier" of a search without hits).
ENGLISH = [
    "Back to top",
    "Skip to main content",
    "Search",
    "Toggle",
    "Contents",
    "Next",
    "Previous",
    "next page",
    "previous page",
    "categories",
    "kategorier",
    "Hide",
    "Show",
    "By",
    "Copyright",
    "Last updated",
    "On this page",
    "Color mode",
    "Light",
    "Dark",
    "System Settings",
    "Site navigation",
    "Section Navigation",
    "Link to this heading",
    "Click to",
    "Please activate",
    "Main",
    "Version warning",
]
SEARCH_DONE = "return /^Søgningen/.test(document.querySelector('#search-results .search-summary')?.textContent)"
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def screen(driver, name: str) -> None:
    """The window's inner size exactly as the screen's (a phone: a touch screen)."""
    width, height = SCREENS[name]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": name == "phone"},
    )


def wait_for(driver, script: str, timeout: float = 60) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


@pytest.mark.parametrize("name", SCREENS)
def test_front_page_first_screen_holds_every_goals_status(site: str, browser, name: str) -> None:
    driver = browser
    screen(driver, name)
    driver.get(f"{site}/generated/index.html")
    params = load_parameters(ROOT / "parameters")
    contract = params.contracts[max(params.contracts)]
    found = driver.execute_script(
        """return [...document.querySelectorAll('ul.cb-front-goals li')].map(li => {
             const status = li.querySelector('.cb-front-status'), r = status.getBoundingClientRect();
             return [li.querySelector('.cb-front-goal').textContent, status.textContent, status.className,
                     r.bottom, getComputedStyle(status).backgroundColor];
           })"""
    )
    height = SCREENS[name][1]
    assert [title for title, *_ in found] == [goal.title for goal in contract.goals]
    for title, status, classes, bottom, colour in found:
        assert re.match(r"^[✔⚠✖?] \w", status), (title, status)  # symbol and word
        assert re.search(r"cb-(good|warn|bad|none)", classes) and colour != "rgba(0, 0, 0, 0)", title
        assert 0 < bottom <= height, f"{title}: its status ends at {bottom:.0f} px, below the first screen"
    # the month of the figures and the next meeting are on the first screen too
    for selector in ("p.cb-front-meta", "p.cb-front-next"):
        bottom = driver.execute_script(f"return document.querySelector('{selector}').getBoundingClientRect().bottom")
        assert bottom <= height, (selector, bottom)
    meta = driver.find_element("css selector", "p.cb-front-meta").text
    assert re.search(r"tal til og med \w+ \d{4}", meta), meta
    # mission and vision come after the answer
    order = driver.execute_script(
        "return ['malene-lige-nu', 'mission'].map(id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert order[0] < order[1]


@pytest.mark.parametrize("name", SCREENS)
def test_no_element_wider_than_the_window(site: str, browser, name: str) -> None:
    from test_browser import CLIPPED

    driver = browser
    screen(driver, name)
    for page in PAGES:
        driver.get(f"{site}/{page}.html")
        wide = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{page}: {wide[0]} px wide in a {wide[1]} px window"
        clipped = driver.execute_script(CLIPPED)
        assert clipped == [], (page, name, clipped)


def _visible_words(driver) -> list[str]:
    """The page's visible text and the labels a reader's tools read out or show on hover."""
    return driver.execute_script(
        """const out = [document.body.innerText, document.title];
           for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [data-bs-title], [alt]'))
             for (const a of ['aria-label', 'title', 'placeholder', 'data-bs-title', 'data-bs-original-title', 'alt'])
               if (el.getAttribute(a)) out.push(el.getAttribute(a));
           return out;"""
    )


def test_no_english_ui_string_on_any_page(html_dir: Path, site: str, browser) -> None:
    from bs4 import BeautifulSoup

    pages = [p for p in sorted(html_dir.rglob("*.html")) if "_static" not in p.parts]
    assert len(pages) > 20
    for page in pages:  # every page as served: text and attributes
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        texts = [soup.get_text(" ")] + [
            str(el.get(a))
            for el in soup.find_all(True)
            for a in ("aria-label", "title", "placeholder", "data-bs-title", "alt")
            if el.get(a)
        ]
        hits = sorted({m.group(0) for text in texts for m in ENGLISH_RE.finditer(text)})
        assert hits == [], f"{page.relative_to(html_dir)}: {hits}"
    # what the scripts write: the search page's messages (with and without hits), a page's tooltips and hints
    driver = browser
    screen(driver, "phone")
    for url in (f"{site}/search.html?q=xyzzyqq", f"{site}/search.html?q=K%C3%B8ge"):
        driver.get(url)
        wait_for(
            driver, "return /^Søgningen/.test(document.querySelector('#search-results .search-summary')?.textContent)"
        )
        words = _visible_words(driver)
        hits = sorted({m.group(0) for text in words for m in ENGLISH_RE.finditer(text)})
        assert hits == [], (url, hits)
    assert "Søgningen fandt ingen sider" not in " ".join(words)
    for page in ("generated/index", "generated/meetings/2013-12-11"):
        driver.get(f"{site}/{page}.html")
        words = _visible_words(driver)
        hits = sorted({m.group(0) for text in words for m in ENGLISH_RE.finditer(text)})
        assert hits == [], (page, hits)
    footer = driver.find_element("css selector", "p.cb-footer").text
    params = load_parameters(ROOT / "parameters")
    assert footer.startswith(f"Udgivet af {params.council.name} · seneste rapport offentlig "), footer
    assert driver.title.count(params.council.name) == 1
    driver.get(f"{site}/generated/index.html")
    assert driver.title == params.council.name  # the front page: the name once


def test_search_counts_hits_in_danish_and_opens_the_job_centres_row(site: str, browser) -> None:
    driver = browser
    screen(driver, "phone")
    driver.get(f"{site}/search.html?q={quote('Køge')}")
    wait_for(driver, SEARCH_DONE)
    summary = driver.find_element("css selector", "#search-results .search-summary").text
    count = int(re.fullmatch(r"Søgningen fandt (\d+) sider?\.", summary).group(1))
    assert count == len(driver.find_elements("css selector", "#search-results li")) > 0
    link = next(
        a
        for a in driver.find_elements("css selector", "#search-results li a")
        if "meetings/2013-12-11" in (a.get_attribute("href") or "")
    )
    link.click()
    # the job centre's row is inside a folded table: opened, marked and scrolled to
    row = wait_for(
        driver,
        """const mark = [...document.querySelectorAll('article span.highlighted')].find(m => m.closest('tr'));
           if (!mark || !mark.closest('details.cb-details')?.open) return null;
           const r = mark.getBoundingClientRect();
           return r.top >= 0 && r.bottom <= window.innerHeight ? mark.closest('tr').innerText : null;""",
        timeout=20,
    )
    assert "Køge" in row


@pytest.mark.parametrize("page", ["generated/meetings/2013-12-11", "generated/evaluations/2013"])
def test_every_table_that_scrolls_says_so(site: str, browser, page: str) -> None:
    driver = browser
    screen(driver, "phone")
    driver.get(f"{site}/{page}.html")
    driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    tables = wait_for(
        driver,
        """const wraps = [...document.querySelectorAll('.cb-table-wrap')].filter(w => w.clientWidth > 0);
           const wide = wraps.filter(w => w.scrollWidth > w.clientWidth + 1);
           if (!wide.length) return null;
           return wide.map(w => {
             const hint = w.parentElement.querySelector(':scope > .cb-scroll-hint');
             return [w.querySelector('caption')?.textContent || '', hint && !hint.hidden ? hint.innerText : '',
                     hint ? hint.getBoundingClientRect().height : 0,
                     w.parentElement.classList.contains('cb-more-right')];
           });""",
        timeout=10,
    )
    for caption, hint, height, shaded in tables:
        assert hint.endswith("sidelæns for at se hele tabellen →") and height > 0, caption
        assert shaded, caption  # the edge where more of the table lies is shaded
    if "meetings" in page:  # the spread tables too
        assert any("spredning" in caption for caption, *_ in tables), [c for c, *_ in tables]


def test_next_walks_the_meetings_back_in_time(html_dir: Path) -> None:
    """From the newest meeting, "Næste" goes to the one before it, through every year, never to the oldest."""
    from bs4 import BeautifulSoup

    params = load_parameters(ROOT / "parameters")
    newest_first = sorted((m.date for m in params.meetings), reverse=True)
    walked: list[date] = []
    page = html_dir / f"generated/meetings/{newest_first[0].isoformat()}.html"
    while page.parent.name == "meetings":
        walked.append(date.fromisoformat(page.stem))
        link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("a.right-next")
        assert link is not None and "Næste" in link.get_text(), page
        page = (page.parent / link["href"]).resolve()
    assert walked == newest_first


# ---------------------------------------------------------------------------------------------------------
# Light pages: the theme's CSS/JS a page loads, and the theme's controls and icons without fontawesome.js
# ---------------------------------------------------------------------------------------------------------

PAGE_BUDGET = 500_000  # bytes of CSS and JS a page loads, before images
_ASSET = re.compile(r"<(script|link)\b[^>]*>", re.IGNORECASE)


def local_assets(page: Path) -> dict[Path, int]:
    """The site's own CSS and JS files a page loads (scripts, stylesheets, preloads), with their sizes."""
    from urllib.parse import unquote, urlsplit

    found: dict[Path, int] = {}
    for tag in _ASSET.finditer(page.read_text(encoding="utf-8")):
        text = tag.group(0)
        if tag.group(1).lower() == "link" and not re.search(r'rel="(stylesheet|preload|modulepreload)"', text):
            continue
        address = re.search(r'(?:src|href)="([^"]+)"', text)
        if address is None or urlsplit(address.group(1)).scheme or address.group(1).startswith("//"):
            continue
        file = (page.parent / unquote(urlsplit(address.group(1)).path)).resolve()
        if file.suffix in (".css", ".js") and file.is_file():
            found[file] = file.stat().st_size
    return found


def test_every_page_loads_at_most_500_kb_of_css_and_js(html_dir: Path) -> None:
    """Every page of the site loads its CSS and JS (the theme's, ours, the search index) in under 500 kB."""
    weights = {p.relative_to(html_dir).as_posix(): sum(local_assets(p).values()) for p in html_dir.rglob("*.html")}
    assert len(weights) > 20
    heavy = {page: weight for page, weight in weights.items() if weight > PAGE_BUDGET}
    assert heavy == {}, heavy
    assert not list(html_dir.rglob("fontawesome.js"))


ICONS_SHOWN = """
return [...document.querySelectorAll('.fa-solid, .fa-regular')].filter(i => i.offsetParent !== null).map(i => {
  const before = getComputedStyle(i, '::before');
  return [i.className, i.getBoundingClientRect().width, before.content, before.fontFamily];
});
"""


SIDEBAR_SHOWN = """const s = document.querySelector('.bd-sidebar-primary'); const r = s.getBoundingClientRect();
return (r.width > 0 && r.right > 0 && r.left < window.innerWidth && getComputedStyle(s).visibility !== 'hidden');"""


@pytest.mark.parametrize("name", SCREENS)
def test_theme_controls_and_icons_work_without_the_icon_script(site: str, browser, name: str) -> None:
    """On a phone and a desktop: every icon the theme shows is drawn (Font Awesome's web font, its 1.5 MB
    script gone), the search opens, the sidebar toggles and the theme switch work, and the console is quiet."""
    driver = browser
    screen(driver, name)
    driver.get_log("browser")  # what earlier tests left
    driver.get(f"{site}/generated/contracts/2013.html")
    assert driver.execute_async_script("document.fonts.ready.then(() => arguments[0](true))")
    icons = driver.execute_script(ICONS_SHOWN)
    assert icons, "no icon shown"
    for icon, width, content, font in icons:
        assert width > 4 and content not in ("none", "normal", '""') and "Font Awesome" in font, icon
    assert driver.execute_script("return document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    # The search: its button opens the dialog.
    button = next(b for b in driver.find_elements("css selector", "button.search-button__button") if b.is_displayed())
    button.click()
    wait_for(driver, "return document.querySelector('#pst-search-dialog')?.open", timeout=10)
    driver.execute_script("document.querySelector('#pst-search-dialog').close()")
    # The table of contents: shown or hidden by its toggle.
    before = driver.execute_script(SIDEBAR_SHOWN)
    toggle = next(b for b in driver.find_elements("css selector", "button.primary-toggle") if b.is_displayed())
    toggle.click()
    wait_for(driver, SIDEBAR_SHOWN.replace("return (", "return !(" if before else "return ("), timeout=10)
    driver.execute_script("const m = document.querySelector('#pst-primary-sidebar-modal'); if (m?.open) m.close();")
    # The theme switch: its mode changes.
    mode = driver.execute_script("return document.documentElement.dataset.mode")
    switch = next(b for b in driver.find_elements("css selector", "button.theme-switch-button") if b.is_displayed())
    switch.click()
    assert driver.execute_script("return document.documentElement.dataset.mode") != mode
    switch.click()
    switch.click()  # light, dark, auto: back to where it was
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors
