"""Charts sharp on a phone's 2x and 3x screen: each drawing saved at several pixel densities for the browser to
choose from (``srcset``), every one a file in the published site, each exactly ``scale`` times the CSS size."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import require_tool
from PIL import Image

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


def _candidates(srcset: str) -> dict[str, str]:
    """``{"2x": url, "3x": url}`` from a srcset."""
    found = {}
    for candidate in re.split(r",\s+", srcset.strip()):
        url, descriptor = candidate.split()
        found[descriptor] = url
    return found


def test_each_drawing_is_offered_at_the_densities_of_the_screens_that_show_it(tmp_path: Path) -> None:
    chart = _chart()
    page = tmp_path / "generated/meetings/side.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body>{chart._repr_html_()}</body></html>", encoding="utf-8")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    source, image = soup.find("source"), soup.find("img")
    assert source["media"] == "(max-width: 767px)"
    assert set(_candidates(source["srcset"])) == {"2x", "3x"}  # a phone
    assert set(_candidates(image["srcset"])) == {"2x"} and image["src"].startswith("data:image/png;base64,")
    # the sizes stay CSS pixels: what the page lays out and what data-font-px is measured in
    assert (int(source["width"]), int(source["height"])) == (chart.narrow.width_px, chart.narrow.height_px)
    assert int(source["width"]) == 340 and float(source["data-font-px"]) >= 11
    assert (int(image["width"]), int(image["height"])) == (chart.wide.width_px, chart.wide.height_px)

    extract_embedded(tmp_path)

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "data:" not in str(soup)
    source, image = soup.find("source"), soup.find("img")
    pictures = [(source, url, descriptor) for descriptor, url in _candidates(source["srcset"]).items()]
    pictures += [(image, url, descriptor) for descriptor, url in _candidates(image["srcset"]).items()]
    pictures.append((image, image["src"], "1x"))
    files = set()
    for element, url, descriptor in pictures:
        assert url.startswith("../../_files/") and url.endswith(".png"), url
        file = (page.parent / url).resolve()
        assert file.is_file(), url
        files.add(file)
        scale = int(descriptor.rstrip("x"))
        with Image.open(io.BytesIO(file.read_bytes())) as picture:
            assert picture.size == (int(element["width"]) * scale, int(element["height"]) * scale), descriptor
    assert len(files) == 4  # wide 1x and 2x, narrow 2x and 3x: every candidate its own file


def test_the_scales_are_one_picture_laid_out_once() -> None:
    """The 3x picture is the 1x picture with three times the pixels, not another layout of the chart."""
    params = load_parameters(ROOT / "parameters")
    goal = params.contracts[2013].goals[0]
    measure = params.measures[goal.measure]
    months = pd.period_range("2011-01", "2013-04", freq="M")
    series = pd.Series([15 + (i % 7) / 3 for i in range(len(months))], index=months)
    figure = charts.plot_goal_history(series, goal, measure, 2013, 15.3, 16.0, months[-1], "Andel", 2010, narrow=True)
    image = present.ChartImage.from_figure(figure, (1, 3))
    with Image.open(io.BytesIO(image.pngs[0])) as one, Image.open(io.BytesIO(image.pngs[1])) as three:
        assert three.size == (one.size[0] * 3, one.size[1] * 3)
        small = three.convert("L").resize(one.size, Image.Resampling.BOX)
        ink = [p < 128 for p in one.convert("L").tobytes()]
        shrunk = [p < 128 for p in small.tobytes()]
        agree = sum(a == b for a, b in zip(ink, shrunk, strict=True)) / len(ink)
        assert agree > 0.95  # the same picture: dark where the 1x picture is dark


@pytest.mark.book
@pytest.mark.needs_chromium
@pytest.mark.needs_poppler
def test_the_print_takes_the_1x_picture(tmp_path: Path) -> None:
    """The PDF is printed at 1x: the wide picture's 1x file goes into it, never a 2x or 3x one (its size)."""
    require_tool("chromium", "chromium-browser")
    pdfimages = require_tool("pdfimages")
    chart = _chart()
    page = tmp_path / "side.html"
    page.write_text(f"<html><body>{chart._repr_html_()}</body></html>", encoding="utf-8")
    extract_embedded(tmp_path)
    print_to_pdf(page, tmp_path / "side.pdf")
    listed = subprocess.run(
        [pdfimages, "-list", str(tmp_path / "side.pdf")], capture_output=True, text=True, check=True
    )
    sizes = {(int(line.split()[3]), int(line.split()[4])) for line in listed.stdout.splitlines()[2:]}
    assert (chart.wide.width_px, chart.wide.height_px) in sizes
    assert all(width <= chart.wide.width_px for width, _ in sizes), sizes
