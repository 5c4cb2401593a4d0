"""Charts readable on a phone, "Om tallene" for readers and every report's figures to take away.

Charts: each is drawn twice, wide (desktop, print) and narrow for a phone, and the narrow one has no text under
11 px at its natural size (points x dpi / 72, read from every text object matplotlib draws). The job centres'
chart shows on a phone only the best and the worst, and says so. A browser at 390 and 1280 px measures the
text as rendered: rendered width / natural width x the ``data-font-px`` of the picture it chose.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import chrome_driver, copy_project, served
from matplotlib.text import Text
from openpyxl import load_workbook
from selenium.webdriver.support.ui import WebDriverWait

from councilbook.core.formats import format_number, format_percent, format_points
from councilbook.project.load import load_project
from councilbook.text import charts, present
from councilbook.text.downloads import csv_bytes, figure_table, figure_tables, read_figure, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
MIN_PX = 11.0


def texts_px(figure) -> list[tuple[str, float]]:  # noqa: ANN001 - a matplotlib Figure
    """Every visible text of a drawn figure with its size in pixels at the figure's natural size."""
    figure.canvas.draw()
    return [
        (t.get_text(), t.get_fontsize() * figure.dpi / 72)
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]


@pytest.fixture(scope="module")
def sample():
    return load_project(ROOT / "parameters", ROOT / "data/sample")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory):
    """A meeting's status, a contract's popular edition (with the annual cycle) and an analysis report, from the
    sample, built in a copy of the project."""
    from councilbook.reports.kinds.analysis import build_analysis_report
    from councilbook.reports.kinds.contract import build_contract_report
    from councilbook.reports.kinds.status import build_status_report

    project = copy_project(tmp_path_factory.mktemp("phone") / "project")
    params, data = project / "parameters", project / "data/sample"
    return {
        "status": build_status_report(params, data, "2013-05-29"),
        "contract": build_contract_report(params, data, 2013),
        "analysis": build_analysis_report(params, data, 2012),
    }


def ranked_table(ratios: list[float], ranks: list[int] | None = None) -> pd.DataFrame:
    """A job centres' table as :func:`plot_adjusted` reads it: name, ratio and rank (1 = best)."""
    ranks = ranks or list(range(1, len(ratios) + 1))
    return pd.DataFrame(
        {
            "jobcentre": [f"Jobcenter {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(len(ratios))],
            "actual_over_expected": ratios,
            "adjusted_rank": pd.array(ranks, dtype="Int64"),
        }
    )


# --- the narrow charts ------------------------------------------------------------------------------------------


def test_every_chart_of_the_reports_has_a_narrow_variant_with_readable_text(reports) -> None:
    kinds = set()
    for name, report in reports.items():
        for section in report.sections:
            chart = section.chart
            if chart is None:
                continue
            assert chart.narrow is not None, (name, section.id)
            assert chart.narrow.width_px <= 350, (name, section.id)  # a 390 px phone's column, shown 1:1
            assert chart.narrow.font_px >= MIN_PX, (name, section.id, chart.narrow.font_px)
            assert chart.wide.width_px > chart.narrow.width_px
            kinds.add(chart.alt.split(" ", 1)[0])
            html = chart._repr_html_()
            assert '<source media="(max-width: 767px)" srcset="data:image/svg+xml;base64,' in html
            assert re.search(
                r'<img src="data:image/svg\+xml;base64,[^"]+" alt="[^"]+" '
                r'width="\d+" height="\d+" data-font-px="\d+\.\d"',
                html,
            )
    assert kinds == {"Kurve", "Kontroldiagram", "Søjlediagram", "Årshjul"}


def test_the_smallest_text_is_measured_from_every_text_object() -> None:
    figure = charts._figure(True, charts.FIGSIZE)
    ax = figure.add_subplot()
    ax.plot([1, 2], [1, 2])
    ax.text(1, 1, "lille", fontsize=5)
    assert charts.text_px(figure) == pytest.approx(5 * 100 / 72)
    charts._readable(figure)  # a narrow figure's text is raised to the minimum, tick labels too
    assert min(px for _, px in texts_px(figure)) >= MIN_PX
    assert charts.text_px(figure) == pytest.approx(charts.NARROW_MIN_PT * 100 / 72)


def test_narrow_charts_draw_no_text_under_11_px(sample) -> None:
    params = sample.params
    contract = params.contracts[2013]
    goal = contract.goals[0]
    measure = params.measures[goal.measure]
    months = pd.period_range("2010-01", "2013-04", freq="M")
    series = pd.Series([15 + (i % 7) / 3 for i in range(len(months))], index=months)
    drawn = {
        "history": charts.plot_goal_history(
            series, goal, measure, 2013, 15.3, 16.0, months[-1], "Andel pr. måned", 2010, narrow=True
        ),
        "xmr": charts.plot_xmr(series, 15.5, 13.0, 18.0, [], goal, measure, "Andel pr. måned", narrow=True),
        "adjusted": charts.plot_adjusted(ranked_table([1.3 - i / 50 for i in range(44)]), goal, narrow=True),
        "cycle": charts.plot_annual_cycle(
            2013,
            [
                (date(2013, 3, 20), "20/3 Kontrakt underskrevet og kontraktmøde med en meget lang titel", "contract"),
                (date(2013, 5, 29), "29/5 Rådsmøde med temadrøftelse", "meeting"),
                (date(2013, 9, 18), "18/9 Evaluering", "evaluation"),
            ],
            narrow=True,
        ),
    }
    charts.add_forecast(drawn["history"], goal, measure, 16.1, 15.5, 16.8, months[-1] + 8)
    for name, figure in drawn.items():
        assert figure.get_figwidth() * figure.dpi <= 350, name
        small = [(text, px) for text, px in texts_px(figure) if px < MIN_PX]
        assert not small, (name, small)
        assert charts.text_px(figure) >= MIN_PX


def test_a_narrow_title_is_broken_into_lines_that_fit() -> None:
    title = "Antallet af nye førtidspensioner i regionen skal begrænses mest muligt i hele kontraktåret"
    figure = charts._figure(True, charts.FIGSIZE)
    ax = figure.add_subplot()
    charts._title(ax, title)
    charts._readable(figure)
    figure.canvas.draw()
    box = figure.get_suptitle() and figure._suptitle.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= figure.get_figwidth() * figure.dpi  # nothing clipped at either edge
    assert figure.get_suptitle().replace("\n", " ") == title


# --- the job centres' top and bottom on a phone --------------------------------------------------------------


def test_a_phone_shows_the_five_best_and_the_five_worst() -> None:
    table = ranked_table([1.5 - i / 100 for i in range(44)]).sample(frac=1, random_state=1)  # in any order
    ends = charts.ranked_ends(table)
    assert list(ends.best["adjusted_rank"]) == [1, 2, 3, 4, 5]
    assert list(ends.worst["adjusted_rank"]) == [40, 41, 42, 43, 44]
    assert (ends.ranked, ends.shown, ends.left_out) == (44, 10, 34)
    assert charts.describe_ends(ends) == "De 5 bedste og de 5 med størst udfordring af 44 jobcentre"


def test_ties_at_the_cut_are_kept_together_and_unranked_left_out() -> None:
    ratios = [1.5 - i / 100 for i in range(20)]
    ranks = [1, 2, 3, 4, 5, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 19, 20]
    table = ranked_table(ratios, ranks)
    table.loc[len(table)] = ["Jobcenter Uden", 0.1, pd.NA]  # flagged: no rank, never shown
    ends = charts.ranked_ends(table)
    assert list(ends.best["adjusted_rank"]) == [1, 2, 3, 4, 5, 5]
    assert list(ends.worst["adjusted_rank"]) == [16, 16, 16, 19, 20]
    assert ends.ranked == 20 and ends.left_out == 9
    assert charts.describe_ends(ends) == "De 6 bedste og de 5 med størst udfordring af 20 jobcentre"


@pytest.mark.parametrize("count", [1, 7, 10])
def test_ten_or_fewer_are_all_shown(count: int) -> None:
    ends = charts.ranked_ends(ranked_table([1.0 + i / 10 for i in range(count)]))
    assert ends.shown == count and ends.left_out == 0 and ends.worst.empty


def test_ties_reaching_across_show_them_all() -> None:
    ends = charts.ranked_ends(ranked_table([1.0] * 12, [1] * 12))
    assert ends.shown == 12 and ends.left_out == 0


def test_the_phone_chart_and_its_alt_text_say_what_they_show(sample) -> None:
    goal = sample.params.contracts[2013].goals[0]
    table = ranked_table([1.3 - i / 50 for i in range(44)])
    figure = charts.plot_adjusted(table, goal, narrow=True)
    words = [text for text, _ in texts_px(figure)]
    assert "De 5 bedste og de 5 med størst udfordring af 44 jobcentre" in " ".join(words).replace("\n", " ")
    assert "… 34 andre …" in words
    shown = {w for w in words if re.fullmatch(r"[A-Z]{2}", w)}  # the job centres' names without "Jobcenter "
    assert shown == {"AA", "AB", "AC", "AD", "AE", "BN", "BO", "BP", "BQ", "BR"}
    wide = [text for text, _ in texts_px(charts.plot_adjusted(table, goal))]
    assert len({w for w in wide if re.fullmatch(r"[A-Z]{2}", w)}) == 44
    alt = charts.describe_adjusted_chart(goal, table)
    assert "44 jobcentres" in alt
    assert alt.endswith(
        "På en smal skærm viser diagrammet kun de 5 bedste og de 5 med størst udfordring af 44 jobcentre."
    )
    assert "smal skærm" not in charts.describe_adjusted_chart(goal, ranked_table([1.1, 0.9]))


# --- "Om tallene" -----------------------------------------------------------------------------------------------


def test_provenance_for_readers_first_the_technical_part_folded(reports) -> None:
    for report in reports.values():
        closing = report.closing
        assert closing.id == "provenance" and closing.heading.text == "## Om tallene"
        text = closing.text.text
        assert text.startswith("**Kilde:** Eksempeldata for Beskæftigelsesregion")
        assert "**Tallene går til og med:**" in text and "**Udarbejdet:** med de tal, der var offentliggjort" in text
        assert "SHA-256" not in text and "Kodeversion" not in text
        html = closing.details._repr_html_()
        assert html.startswith('<details class="cb-details cb-technical"><summary>Teknisk dokumentation</summary>')
        assert "Kodeversion: " in html and "SHA-256" in html and "jobindsats_sample.xlsx" in html
        assert str(ROOT) not in html and "/tmp" not in html and "/home" not in html


def test_technical_details_escape_what_they_show() -> None:
    details = present.Details("Teknisk <b>", ("a <script>", ("x & y", "<i>")))
    html = details._repr_html_()
    assert "<script>" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "x &amp; y" in html


# --- the figures to take away -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "unit", "decimals", "rest"),
    [
        ("9.024", 9024, "count", 0, ""),
        (format_percent(15.25), 15.3, "percent", 1, ""),
        (format_points(-0.7) + " ↓ bedre", -0.7, "pp", 1, "↓ bedre"),
        ("-7,5\u00a0% ↓ dårligere", -7.5, "percent", 1, "↓ dårligere"),
        ("±0,0\u00a0% → uændret", 0.0, "percent", 1, "→ uændret"),
        ("3.", 3, "count", 0, ""),
        ("0,82 ▼ dårligere", 0.82, "count", 2, "▼ dårligere"),
        (format_number(1234567), 1234567, "count", 0, ""),
    ],
)
def test_a_cell_is_read_back_to_the_figure_it_shows(cell, value, unit, decimals, rest) -> None:
    figure = read_figure(cell)
    assert figure is not None
    assert (figure.number, figure.unit, figure.decimals, figure.rest) == (value, unit, decimals, rest)


@pytest.mark.parametrize(
    "cell", ["højst 9.000", "9.024 (8.463\u2060–\u20609.585)", "15,3 % (2012)", "2013 (jan.-jun.)"]
)
def test_a_cell_that_is_not_one_figure_stays_text(cell: str) -> None:
    assert read_figure(cell) is None


def test_the_downloads_parse_back_to_the_shown_figures(reports) -> None:
    report = reports["status"]
    downloads = report.downloads()
    assert downloads.name == "status-2013-05-29"
    html = downloads._repr_html_()
    assert html.startswith('<p class="cb-downloads">Hent rapportens tal: <a download="status-2013-05-29.csv"')
    assert 'download="status-2013-05-29.xlsx"' in html
    assert downloads._repr_html_() == html  # the same bytes each time
    frame = pd.read_csv(io.BytesIO(csv_bytes(downloads.tables)), sep=";", decimal=",", encoding="utf-8-sig")
    # every figure of the job centres' table of the first goal (a share), as shown on the page
    shown = next(s.table for s in report.sections if s.id.startswith("jobcentres-") and s.table is not None)
    rows = frame[frame["Tabel"] == shown.caption].dropna(axis=1, how="all")
    assert list(rows["Jobcenter"]) == [row[0] for row in shown.rows]
    assert [format_percent(v) for v in rows["Faktisk (%)"]] == [row[1] for row in shown.rows]
    assert [format_points(v) for v in rows["Udvikling mod året før (pct.-point)"]] == [
        row[3].rsplit(" ", 2)[0] for row in shown.rows
    ]
    assert [f"{int(v)}." for v in rows["Placering"]] == [row[-1] for row in shown.rows]  # ranks as whole numbers
    lines = [line.split(";") for line in csv_bytes(downloads.tables).decode("utf-8-sig").splitlines()]
    rank = lines[0].index("Placering")
    assert all(cell.isdigit() for line in lines[1:] if line[0] == shown.caption for cell in [line[rank]])
    # the goals' overview: counts and shares in one column, each with its unit named beside it
    summary = frame[frame["Tabel"] == report.summary.caption]
    assert set(summary["Faktisk hidtil: enhed"]) == {"%", "antal"}


def test_the_workbook_opens_with_a_sheet_per_table_and_units_in_the_headers(reports) -> None:
    tables = reports["status"].downloads().tables
    book = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert len(book.worksheets) == len(tables)
    sheet = book.worksheets[1]
    assert sheet["A1"].value == tables[1].name
    headers = [c.value for c in sheet[3]]
    assert headers == tables[1].columns
    assert any(h.endswith("(%)") for h in headers)
    share = headers.index(next(h for h in headers if h.endswith("(%)"))) + 1
    cell = sheet.cell(row=4, column=share)
    assert isinstance(cell.value, float) and cell.number_format == "0.0"
    made = xlsx_bytes(tables)
    with zipfile.ZipFile(io.BytesIO(made)) as archive:  # the same bytes from run to run: no time of saving in it
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2, core
    assert made == xlsx_bytes(tables)


def test_every_report_kind_offers_its_figures(reports) -> None:
    names = {name: report.downloads().name for name, report in reports.items()}
    assert names == {"status": "status-2013-05-29", "contract": "kontrakt-2013", "analysis": "analyserapport-2012"}
    assert reports["analysis"].downloads().tables
    table = present.Table(columns=["Dato", "Møde"], rows=[["1. marts", "Rådsmøde"]])
    assert figure_table(table) is None and figure_tables([table]) == []  # no figure: nothing to take away


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(sample_html: Path) -> Iterator[str]:
    with served(sample_html) as url:
        yield url


# The chart text as rendered: the drawing the browser chose (currentSrc, the <source>'s or the <img>'s), its
# natural width (in CSS pixels: the SVG's own size) and rendered width, and the smallest text of that
# picture (data-font-px of the <source> or the <img> it came from).
MEASURE = r"""
return [...document.querySelectorAll('figure.cb-chart img')].map(img => {
  const urls = srcset => srcset.split(/,\s+/).map(c => new URL(c.trim().split(/\s+/)[0], document.baseURI).href);
  const source = [...img.parentElement.querySelectorAll('source')]
    .find(s => urls(s.getAttribute('srcset')).includes(img.currentSrc));
  const chosen = source || img;
  const box = img.getBoundingClientRect();
  return {narrow: !!source, font: parseFloat(chosen.dataset.fontPx), natural: img.naturalWidth,
          rendered: box.width, left: box.left, right: box.right, alt: img.alt.slice(0, 60)};
});
"""


@pytest.mark.book
@pytest.mark.needs_chromium
@pytest.mark.parametrize("width", [390, 700, 1280])
def test_chart_text_is_readable_as_rendered(site: str, width: int) -> None:
    pages = ["generated/meetings/2013-05-29", "generated/contracts/2013", "generated/analyses/2012"]
    with chrome_driver() as driver:
        driver.set_window_size(width, 844 if width == 390 else 900)
        for page in pages:
            driver.get(f"{site}/{page}.html")
            # Lazy images load now, wherever they are on the page; then wait until every one has.
            driver.execute_script("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
            WebDriverWait(driver, 30).until(
                lambda d: d.execute_script(
                    "return [...document.querySelectorAll('figure.cb-chart img')]"
                    ".every(i => i.complete && i.naturalWidth > 0)"
                )
            )
            viewport = driver.execute_script("return document.documentElement.clientWidth")
            found = driver.execute_script(MEASURE)
            assert found, page
            for chart in found:
                assert chart["natural"] > 0, (page, chart)
                assert chart["narrow"] == (width < 768), (page, chart)
                rendered_px = chart["rendered"] / chart["natural"] * chart["font"]
                assert rendered_px >= MIN_PX, (page, width, chart, rendered_px)
                assert chart["left"] >= -0.5 and chart["right"] <= viewport + 0.5, (page, width, chart)
