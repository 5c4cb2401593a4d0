"""Charts as SVG: each drawing saved once, its text as text, sharp at any pixel density on screen and in print;
the narrow drawing for a phone, the wide one for the rest and for print; every one a file in the published site."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import require_tool

from councilbook.assembly.pdf import print_to_pdf
from councilbook.assembly.postprocess import extract_embedded
from councilbook.parameters.load import load_parameters
from councilbook.text import charts, present

ROOT = Path(__file__).resolve().parents[1]


def _chart() -> present.Chart:
    params = load_parameters(ROOT / "parameters")
    goal = params.contracts[2013].goals[0]
    measure = params.measures[goal.measure]
    months = pd.period_range("2011-01", "2013-04", freq="M")
    points = pd.Series([15 + (i % 7) / 3 for i in range(len(months))], index=months)
    return present.Chart.drawn(
        charts.plot_xmr, points, 16.0, 14.0, 18.0, [], goal, measure, "Andel", alt="Kontroldiagram for et mål"
    )


def _texts(svg: bytes) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg.decode("utf-8"))


def test_each_drawing_is_one_svg_with_its_text_as_text(tmp_path: Path) -> None:
    chart = _chart()
    for image in (chart.wide, chart.narrow):
        assert image is not None
        svg = image.svg.decode("utf-8")
        # Its natural size is the CSS pixels the page gives it (what data-font-px is measured in).
        assert re.search(rf'<svg\b[^>]*\swidth="{image.width_px}" height="{image.height_px}" viewBox=', svg)
        assert "<image" not in svg and "<script" not in svg.lower()  # no picture inside it, nothing to run
        texts = _texts(image.svg)
        assert {"Måned", "Procent", "16,0\xa0%", "Kontrolgrænser"} <= set(texts), texts  # Danish, as text
    assert "jan. 2013" in _texts(chart.wide.svg) and "2013" in _texts(chart.narrow.svg)
    assert chart.narrow is not None and chart.narrow.width_px == 340 and chart.narrow.font_px >= 11
    assert _chart().wide.svg == chart.wide.svg  # the same figure gives the same bytes (no date, no random ids)

    page = tmp_path / "generated/meetings/side.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body>{chart._repr_html_()}</body></html>", encoding="utf-8")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    source, image = soup.find("source"), soup.find("img")
    assert source["media"] == "(max-width: 767px)" and source["type"] == "image/svg+xml"
    assert source["srcset"].startswith("data:image/svg+xml;base64,") and image["src"].startswith("data:image/svg+xml")
    assert (int(source["width"]), int(source["height"])) == (chart.narrow.width_px, chart.narrow.height_px)
    assert (int(image["width"]), int(image["height"])) == (chart.wide.width_px, chart.wide.height_px)
    assert image["alt"] == "Kontroldiagram for et mål"

    extract_embedded(tmp_path)

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "data:" not in str(soup)
    files = {soup.find("source")["srcset"], soup.find("img")["src"]}
    assert len(files) == 2
    for url in files:
        assert url.startswith("../../_files/") and url.endswith(".svg"), url
        assert (page.parent / url).resolve().read_bytes() in (chart.wide.svg, chart.narrow.svg)


def test_a_chart_text_is_escaped() -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2), dpi=110, layout="constrained")
    figure.add_subplot().set_title("<script>alert(1)</script> & Ærø")
    svg = present.ChartImage.from_figure(figure).svg.decode("utf-8")
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Ærø" in svg


@pytest.mark.book
@pytest.mark.needs_chromium
@pytest.mark.needs_poppler
def test_the_print_takes_the_wide_drawing_as_vectors_and_text(tmp_path: Path) -> None:
    """The PDF holds the wide drawing as lines and text: no picture in it, the chart's labels findable text."""
    require_tool("chromium", "chromium-browser")
    pdfimages, pdftotext = require_tool("pdfimages"), require_tool("pdftotext")
    chart = _chart()
    page = tmp_path / "side.html"
    page.write_text(f"<html><body>{chart._repr_html_()}</body></html>", encoding="utf-8")
    extract_embedded(tmp_path)
    print_to_pdf(page, tmp_path / "side.pdf")
    listed = subprocess.run([pdfimages, "-list", str(tmp_path / "side.pdf")], capture_output=True, text=True)
    assert listed.returncode == 0 and listed.stdout.splitlines()[2:] == []
    text = subprocess.run(
        [pdftotext, str(tmp_path / "side.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    for label in ("jan. 2011", "jul. 2012", "Måned", "Procent", "Kontrolgrænser"):  # the wide drawing's labels
        assert label in words, (label, words[:300])


def test_a_chart_is_saved_with_its_last_layout_and_a_changed_one_laid_out_again(monkeypatch) -> None:  # noqa: ANN001
    """A chart of :mod:`charts` is laid out by its own settling at its size in whole pixels and saved with that
    layout (no second layout); a figure changed after its layout is laid out again before it is saved."""
    from matplotlib.figure import Figure

    from councilbook.text.blocks import ChartImage

    params = load_parameters(ROOT / "parameters")
    goal = params.contracts[2013].goals[0]
    measure = params.measures[goal.measure]
    months = pd.period_range("2011-01", "2013-04", freq="M")
    points = pd.Series([15 + (i % 7) / 3 for i in range(len(months))], index=months)

    def drawn() -> Figure:
        return charts.plot_xmr(points, 16.0, 14.0, 18.0, [], goal, measure, "Andel", narrow=False)

    layouts: list[Figure] = []
    real = Figure.draw_without_rendering

    def counted(self: Figure) -> None:
        layouts.append(self)
        real(self)

    monkeypatch.setattr(Figure, "draw_without_rendering", counted)
    settled = drawn()
    assert layouts, "the chart was not laid out by its settling"
    layouts.clear()
    ChartImage.from_figure(settled)
    assert layouts == [], "a settled chart was laid out again before it was saved"

    changed = drawn()
    title = "En ny titel, sat efter layoutet"
    changed.axes[0].set_title(title, loc="left")
    layouts.clear()
    image = ChartImage.from_figure(changed)
    assert layouts == [changed], "a figure changed after its layout was saved with the old layout"
    assert title in _texts(image.svg)
