"""Every job centre one tap away: a page of its own (split out of the key figures by the build), reached from a
picker in Danish alphabetical order that filters as one types (a plain list without JavaScript), from search,
and its table's row labels in view when the table scrolls sideways."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import chrome_driver, served
from hypothesis import given, settings
from hypothesis import strategies as st

from councilbook.analysis.yearly import FigureSpec
from councilbook.assembly import subpages
from councilbook.core import figures as fig
from councilbook.core.collation import danish_order
from councilbook.core.links import page_link
from councilbook.parameters.load import load_parameters
from councilbook.reports.model import PAGE_END, PAGE_START
from councilbook.text.yearly import development, development_ranks

ROOT = Path(__file__).resolve().parents[1]


def test_danish_alphabetical_order() -> None:
    names = ["Ørsted", "Aabenraa", "Ærø", "Ballerup", "Århus", "Zealand", "Éa", "Ea", "Køge", "Kolding"]
    assert sorted(names, key=danish_order) == [
        "Ballerup",
        "Ea",
        "Éa",
        "Kolding",
        "Køge",
        "Zealand",
        "Ærø",
        "Ørsted",
        "Aabenraa",
        "Århus",
    ]


def _display(mime: str, text: str) -> dict:
    return nbformat.v4.new_output("display_data", data={mime: text, "text/plain": ""})


def _report(path: Path, pages: dict[str, str]) -> None:
    """A tiny executed report: an intro linking its pages, then each page's section between the markers."""
    outputs = [_display("text/html", " ".join(page_link(page, title) for page, title in pages.items()))]
    for page, title in pages.items():
        outputs += [
            _display("text/html", PAGE_START.format(page=page)),
            _display("text/markdown", f"## {title}"),
            _display("text/markdown", f"Om {title}."),
            _display("text/html", PAGE_END),
        ]
    outputs.append(_display("text/markdown", "## Om tallene"))
    cell = nbformat.v4.new_code_cell("report.show()", outputs=outputs)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Nøgletal"), cell])
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_pages_move_out_of_their_report_and_links_get_their_address(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    _report(generated / "keyfigures/2013.ipynb", {"jc-roskilde": "Jobcenter Roskilde", "jc-koege": "Jobcenter Køge"})
    _report(generated / "keyfigures/2012.ipynb", {"jc-roskilde": "Jobcenter Roskilde"})
    other = generated / "meetings/2013-05-29.ipynb"
    _report(other, {})
    nb = nbformat.read(other, as_version=4)
    nb.cells[1].outputs[0]["data"]["text/html"] = page_link("jc-roskilde", "Roskilde") + page_link("jc-nowhere", "X")
    nbformat.write(nb, other)

    pages = subpages.split_all(
        generated, ["keyfigures/2013.ipynb", "keyfigures/2012.ipynb", "meetings/2013-05-29.ipynb"]
    )
    assert [(p.file, p.title) for p in pages] == [
        ("keyfigures/2013/jc-roskilde", "Jobcenter Roskilde"),
        ("keyfigures/2013/jc-koege", "Jobcenter Køge"),
        ("keyfigures/2012/jc-roskilde", "Jobcenter Roskilde"),
    ]
    page = nbformat.read(generated / "keyfigures/2013/jc-roskilde.ipynb", as_version=4)
    assert page.cells[0].source == "# Jobcenter Roskilde"
    assert [o["data"]["text/markdown"] for o in page.cells[1].outputs] == ["Om Jobcenter Roskilde."]
    report = nbformat.read(generated / "keyfigures/2013.ipynb", as_version=4)
    shown = [o["data"].get("text/markdown") or o["data"].get("text/html") for o in report.cells[1].outputs]
    assert not any("Jobcenter Køge" in s and "##" in s for s in shown) and shown[-1] == "## Om tallene"
    assert subpages.split_pages(generated / "keyfigures/2013.ipynb", generated) == []  # split once only

    # The first report in book order (the newest edition) gives a page id its address; relative links.
    subpages.resolve_page_links(generated, subpages.read_addresses(generated))
    meeting = nbformat.read(other, as_version=4).cells[1].outputs[0]["data"]["text/html"]
    assert meeting == '<a href="../keyfigures/2013/jc-roskilde.html">Roskilde</a>X'
    intro = nbformat.read(generated / "keyfigures/2012.ipynb", as_version=4).cells[1].outputs[0]["data"]["text/html"]
    assert '<a href="2013/jc-roskilde.html">Jobcenter Roskilde</a>' in intro

    toc = tmp_path / "_toc.yml"
    chapters = [{"file": "generated/keyfigures/2013"}, {"file": "generated/keyfigures/2012"}]
    toc.write_text(yaml.safe_dump({"parts": [{"caption": "Nøgletal", "chapters": chapters}]}), encoding="utf-8")
    subpages.add_to_toc(toc, pages)
    written = yaml.safe_load(toc.read_text(encoding="utf-8"))["parts"][0]["chapters"]
    assert [s["title"] for s in written[0]["sections"]] == ["Jobcenter Køge", "Jobcenter Roskilde"]
    assert [s["file"] for s in written[1]["sections"]] == ["generated/keyfigures/2012/jc-roskilde"]


# Job centres' figures two years running, drawn so that ties and order flips between shown and exact values
# happen (shares with two decimals are shown with one).
_figures = st.lists(
    st.tuples(st.floats(0, 40, allow_nan=False), st.floats(0, 40, allow_nan=False)), min_size=2, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(_figures, st.sampled_from(["higher", "lower"]), st.booleans())
def test_places_follow_the_changes_as_shown(values: list[tuple[float, float]], better: str, share: bool) -> None:
    """A job centre's place on its development is what the shown changes say: a better shown change, a better
    place; the same shown change, the same place; and "bedre" exactly when the shown change goes the goal's way."""
    rows = []
    for index, (before, now) in enumerate(values):
        rows += [
            {"area_id": f"jc{index}", "year": 2011, "value": before},
            {"area_id": f"jc{index}", "year": 2012, "value": now},
        ]
    frame = pd.DataFrame(rows)
    spec = FigureSpec("g", "Mål", "m", None, "sum", better, share)
    ids = [f"jc{i}" for i in range(len(values))]
    places = development_ranks(spec, frame, ids, 2012)
    shown = {a: development(spec, frame, a, 2012) for a in ids}
    sign = 1 if better == "higher" else -1
    for a in places:
        for b in places:
            if shown[a].text == shown[b].text:
                assert places[a] == places[b]
            elif sign * shown[a].rounded > sign * shown[b].rounded:
                assert places[a] < places[b]
        word = fig.direction(shown[a], better)
        if shown[a].sign != 0:
            better_shown = (shown[a].rounded > 0) == (better == "higher")
            assert word.endswith("bedre" if better_shown else "dårligere")
    assert min(places.values(), default=1) == 1


@pytest.fixture(scope="module")
def html_dir(sample_html: Path) -> Path:
    return sample_html


@pytest.mark.book
def test_every_job_centre_has_its_page_listed_in_alphabetical_order(html_dir: Path) -> None:
    """The front page's list works without JavaScript: a plain list of links, in Danish alphabetical order,
    each to the job centre's own page, which opens with its main points, the number first."""
    params = load_parameters(ROOT / "parameters")
    front = BeautifulSoup((html_dir / "generated/index.html").read_text(encoding="utf-8"), "html.parser")
    links = front.select("nav.cb-picker ul.cb-picker-list a")
    names = [a.get_text() for a in links]
    assert names == sorted((jc.name for jc in params.council.job_centres), key=danish_order)
    for link, jc in zip(links, sorted(params.council.job_centres, key=lambda j: danish_order(j.name)), strict=True):
        page = (html_dir / "generated" / link["href"]).resolve()
        assert page.is_file(), link["href"]
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one("article h1").get_text().strip("#¶ \n") == jc.name
        first = soup.select_one("article ul li")
        assert first is not None and re.match(r"^[\d.,]+( %)?\s", first.get_text()), jc.name
        assert first.select_one("strong") is not None
    assert "cb-page:" not in (html_dir / "generated/index.html").read_text(encoding="utf-8")
    # Every table's job-centre row links the job centre's page (a meeting's, the analysis', the overview's).
    for name in ("meetings/2013-05-29", "analyses/2012", "keyfigures/2012", "evaluations/2013", "bottlenecks/2013-1"):
        page = html_dir / f"generated/{name}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        rows = [a for a in soup.select("table.cb-table tbody th a") if "jc-" in a.get("href", "")]
        assert rows, name
        for a in rows:
            assert (page.parent / a["href"]).resolve().is_file(), (name, a["href"])
            assert a.get_text().startswith("Jobcenter"), (name, a.get_text())
    # The key figures' own page is short now: the overview and the list, not every job centre's table.
    keyfigures = (html_dir / "generated/keyfigures/2012.html").read_text(encoding="utf-8")
    assert keyfigures.count("<table") <= 2 and "cb-page:" not in keyfigures


@pytest.fixture(scope="module")
def site(html_dir: Path):
    with served(html_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chrome_driver() as driver:
        yield driver


@pytest.mark.book
@pytest.mark.needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_a_job_centre_is_two_taps_from_the_front_page(site: str, browser, width: int) -> None:
    """Typing part of its name leaves the job centre alone in the list; one tap opens its page; there its table's
    row labels stay in view when the table scrolls sideways."""
    from selenium.webdriver.common.by import By

    driver = browser
    driver.set_window_size(width, 900)
    try:
        driver.get(site + "/generated/index.html")
        field = driver.find_element(By.CSS_SELECTOR, "nav.cb-picker input[type=search]")
        assert field.is_displayed()
        field.send_keys("oskil")
        shown = [li for li in driver.find_elements(By.CSS_SELECTOR, "nav.cb-picker li") if li.is_displayed()]
        assert [li.text for li in shown] == ["Jobcenter Roskilde"]
        shown[0].find_element(By.TAG_NAME, "a").click()  # tap
        assert driver.find_element(By.CSS_SELECTOR, "article h1").text.strip("#¶ ") == "Jobcenter Roskilde"
        label_stays = """
            const wrap = document.querySelector('article .cb-table-wrap');
            const label = wrap.querySelector('tbody th[scope=row]');
            wrap.scrollLeft = wrap.scrollWidth;
            const box = wrap.getBoundingClientRect(), r = label.getBoundingClientRect();
            return [wrap.scrollWidth > wrap.clientWidth, r.left >= box.left - 1 && r.right <= box.right + 1];
        """
        scrolls, visible = driver.execute_script(label_stays)
        if width == 390:
            assert scrolls, "the table fits a phone: this test checks nothing"
        assert visible
    finally:
        driver.set_window_size(1280, 900)


@pytest.mark.book
@pytest.mark.needs_chromium
def test_search_finds_the_job_centre_page_first(site: str, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(f"{site}/search.html?q={quote('Roskilde')}")
    first = (By.CSS_SELECTOR, "#search-results li:first-child a")
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located(first))
    link = driver.find_element(*first)
    assert "jc-roskilde" in link.get_attribute("href") and "Roskilde" in link.text


@settings(max_examples=60, deadline=None)
@given(_figures.filter(lambda v: len(v) >= 6), st.sampled_from(["higher", "lower"]), st.booleans())
def test_the_best_and_worst_named_are_the_best_and_worst_shown(
    values: list[tuple[float, float]], better: str, share: bool
) -> None:
    """The meeting page's sentence on the job centres names, as best, only job centres that got better and none
    whose shown change is worse than an unnamed one's that got better (and the same for the worst), whatever the
    order of the figures: the sentence is computed from the changes the table shows."""
    from councilbook.text.sentences import describe_jobcentre_changes

    rows = []
    for index, (before, now) in enumerate(values):
        shown_now, shown_before = fig.level(now, share), fig.level(before, share)
        moved = fig.change(shown_now, shown_before)
        rows.append(
            {
                "jobcentre_id": f"jc{index}",
                "jobcentre": f"Jobcenter {chr(65 + index)}",
                "actual": shown_now.rounded,
                "last_year": shown_before.rounded,
                "change": moved.value,
            }
        )
    table = pd.DataFrame(rows)
    good = table["change"] if better == "higher" else -table["change"]
    table["rank"] = good.rank(ascending=False, method="min").astype("Int64")
    table = table.sort_values("rank", kind="stable")
    words = describe_jobcentre_changes(table, share=share, better=better)
    if not words:  # too few job centres with a change to name three of each
        assert table["rank"].notna().sum() < 6
        return
    best_line, worst_line = words.split("\n\n")
    sign = 1 if better == "higher" else -1
    for line, wanted in ((best_line, sign), (worst_line, -sign)):
        named = {r.jobcentre for r in table.itertuples() if f"{r.jobcentre} (" in line}
        moving = [r for r in table.itertuples() if np.sign(r.change) == wanted]
        assert {r.jobcentre for r in moving} >= named
        if not moving:
            assert "ingen jobcentre" in line
            continue
        for r in moving:
            if r.jobcentre in named:
                continue
            # an unnamed one is never better placed (best) or worse placed (worst) than a named one
            for n in (x for x in moving if x.jobcentre in named):
                assert (r.rank >= n.rank) if wanted == sign else (r.rank <= n.rank)


def test_a_table_links_its_rows_and_a_pack_keeps_them_as_text() -> None:
    """A table's job-centre row links the job centre's page; outside the book (a members' pack) the link is its
    text, never a ``cb-page:`` address a reader cannot open."""
    from councilbook.core.links import jobcentre_page, link_addresses
    from councilbook.text.present import Table

    table = Table(
        columns=["Jobcenter", "Tal"],
        rows=[["Jobcenter Køge & Co", "1"], ["Regionen", "2"]],
        row_pages=[jobcentre_page("koege"), ""],
    )
    shown = table._repr_html_()
    assert '<a href="cb-page:jc-koege">Jobcenter Køge &amp; Co</a>' in shown
    assert '<th scope="row">Regionen</th>' in shown
    assert link_addresses(shown, "", {}).count("cb-page:") == 0 and "Jobcenter Køge &amp; Co</th>" in link_addresses(
        shown, "", {}
    )


@pytest.mark.book
@pytest.mark.needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "page", ["index", "analyses/2012", "meetings/2013-05-29", "keyfigures/2012/jc-roskilde", "contracts/2013"]
)
def test_headings_shrink_with_their_level(site: str, browser, width: int, page: str) -> None:
    """A heading is never larger than the one it stands under: on a phone the theme's desktop sizes put a
    section's h2 (34 px) above the page's h1 (26 px); on the front page Mission and Vision stand under "Om rådet"."""
    driver = browser
    driver.set_window_size(width, 900)
    try:
        driver.get(f"{site}/generated/{page}.html")
        sizes = driver.execute_script(
            "const s = t => [...document.querySelectorAll('article ' + t)]"
            ".map(h => parseFloat(getComputedStyle(h).fontSize));"
            "return [s('h1'), s('h2'), s('h3')];"
        )
        h1, h2, h3 = sizes
        below = h2 + h3
        assert h1 and (below or page.startswith("keyfigures/")), sizes
        assert all(min(h1) >= size for size in below) and (not h2 or not h3 or max(h2) >= max(h3)), (page, sizes)
    finally:
        driver.set_window_size(1280, 900)


def test_a_report_prints_its_pages_of_their_own_in_its_annex() -> None:
    """The key figures' own PDF still holds every job centre: their pages are printed in its annex, each under
    its title, after the report's own text (the book's PDF leaves annexes out)."""
    from test_book_pdf import report_page

    from councilbook.assembly.bookpdf import ANNEX_TITLE, print_copy

    report = report_page("<p>Jobcentrene på lige vilkår.</p>", title="Nøgletal 2012")
    pages = [
        report_page("<p>Roskildes tal.</p><table><tr><th>Tal</th></tr></table>", title="Jobcenter Roskilde"),
        report_page("<p>Køges tal.</p>", title="Jobcenter Køge"),
    ]
    copy = BeautifulSoup(print_copy(report, "Nøgletal 2012", "Rådet · Nøgletal", pages), "html.parser")
    annex = copy.select_one("section.cb-annex")
    assert annex is not None and annex.find("h2").get_text() == ANNEX_TITLE
    titles = [h.get_text().strip() for h in annex.find_all("h3")]
    assert titles == ["Jobcenter Roskilde", "Jobcenter Køge"]
    assert "Roskildes tal." in annex.get_text() and annex.find("table") is not None
    assert "Navigation" not in copy.get_text() and "Næste" not in copy.get_text()
    body_text = copy.select_one("article").get_text()
    assert "Jobcenter Roskilde" not in body_text  # in the annex only
