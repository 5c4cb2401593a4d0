"""Nothing internal on public pages: texts written for readers (no file paths, no generator's notes) and dates in
Danish forms ("20. feb.", "20. februar"), never "20/2"."""

from __future__ import annotations

import re
from pathlib import Path

from councilbook.reports.kinds.bottlenecks import build_bottlenecks_report
from councilbook.reports.kinds.contract import build_contract_report

ROOT = Path(__file__).resolve().parents[1]
SLASH_DATE = re.compile(r"\b\d{1,2}/\d{1,4}\b")


def _texts(report) -> list[str]:  # noqa: ANN001 - a Report
    parts = [report.intro.text, report.intro.notice, report.closing.text.text]
    for section in report.sections:
        parts += [section.heading.text, section.text.text]
        if section.chart is not None:
            parts.append(section.chart.alt)
    return parts


def test_the_bottleneck_page_names_no_file_and_no_generator() -> None:
    report = build_bottlenecks_report(ROOT / "parameters", ROOT / "data/sample", "2013-1")
    text = "\n".join(_texts(report))
    assert ".xlsx" not in text and "data/sample" not in text and "councilbook" not in text, text
    assert "Arbejdsmarkedsbalancen for foråret 2013, offentliggjort 1. marts 2013" in text


def test_the_annual_cycle_says_its_days_in_danish() -> None:
    from councilbook.text import charts

    report = build_contract_report(ROOT / "parameters", ROOT / "data/sample", 2013)
    wheel = next(s for s in report.sections if s.heading.text.startswith("## Årshjulet"))
    assert wheel.chart is not None and not SLASH_DATE.search(wheel.chart.alt)
    assert "20. februar 2013: Ordinært rådsmøde" in wheel.chart.alt
    # The labels drawn on the wheel: what the chart function is given.
    drawn = []
    original = charts.plot_annual_cycle

    def spy(year, events, narrow=False):  # noqa: ANN001, ANN202
        drawn.extend(label for _day, label, _kind in events)
        return original(year, events, narrow=narrow)

    charts.plot_annual_cycle = spy
    try:
        build_contract_report(ROOT / "parameters", ROOT / "data/sample", 2013)
    finally:
        charts.plot_annual_cycle = original
    assert drawn and not any(SLASH_DATE.search(label) for label in drawn), drawn
    assert "20. feb. Ordinært rådsmøde" in drawn


def test_report_pages_open_with_main_points_that_are_the_tables_figures() -> None:
    """A meeting page opens with its main points, the number first (the forecast as the summary table shows it,
    the status in symbol and word as the table says it), then a contents list that links every top-level section
    to an anchor the page has."""
    from councilbook.reports.kinds.status import build_status_report
    from councilbook.reports.model import section_anchor

    report = build_status_report(ROOT / "parameters", ROOT / "data/sample", "2013-05-29")
    assert report.summary is not None
    columns = report.summary.columns
    forecast, status = columns.index("Prognose for året"), columns.index("Status")
    assert len(report.main_points) == len(report.summary.rows)
    for point, row in zip(report.main_points, report.summary.rows, strict=True):
        shown = row[forecast].split(" (")[0].replace(" ", "\xa0")
        assert point.startswith(f"**{shown}**"), (point, row)
        assert row[status] in point, (point, row)
        assert row[0] in point
    contents = report.contents()
    ids = re.findall(r'href="#([^"]+)"', contents)
    top = [s for s in [*report.sections, report.closing] if s.heading.text.startswith("## ")]
    assert ids == [section_anchor(s.id) for s in top] and len(ids) >= 3
    for section in top:
        heading = section.display_parts(anchor=True)[0]
        assert f'<a id="{section_anchor(section.id)}"></a>' in heading._repr_markdown_()


def test_a_meeting_page_opens_with_its_main_points_and_contents(monkeypatch) -> None:  # noqa: ANN001
    """What a reader meets first (the notebook's outputs in order): the sample-data notice, the main points, the
    contents list, and only then the report's introduction and its tables."""
    import IPython.display

    from councilbook.reports.kinds.status import build_status_report

    shown: list[str] = []

    def capture(*objects, **_kwargs) -> None:  # noqa: ANN002, ANN003
        for item in objects:
            text = getattr(item, "_repr_markdown_", None) or getattr(item, "_repr_html_", None)
            shown.append(text() if text else getattr(item, "data", "") or "")

    monkeypatch.setattr(IPython.display, "display", capture)
    monkeypatch.setattr("myst_nb.glue", lambda *a, **k: None, raising=False)
    report = build_status_report(ROOT / "parameters", ROOT / "data/sample", "2013-05-29")
    report.show()
    first = [i for i, text in enumerate(shown) if text]
    order = [
        next(i for i in first if "cb-sample" in shown[i]),
        next(i for i in first if shown[i].startswith("**Hovedpunkter**")),
        next(i for i in first if 'class="cb-contents"' in shown[i]),
        next(i for i in first if "Materialet er udarbejdet" in shown[i]),
        next(i for i in first if "cb-table" in shown[i]),
    ]
    assert order == sorted(order), order
    assert "Materialet er udarbejdet" not in shown[order[0]]  # the notice alone, before the main points
