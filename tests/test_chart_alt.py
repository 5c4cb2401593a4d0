"""A chart's alt text counts what the chart marks: the words and the marks come from the same figures."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from councilbook.analysis.spc import Signal, XmR
from councilbook.parameters.load import load_parameters
from councilbook.text import charts

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def goal_and_measure():
    params = load_parameters(ROOT / "parameters")
    goal = next(g for g in params.contracts[2013].goals if g.id == "langtidsledighed")  # a count, lower is better
    return goal, params.measures[goal.measure]


def _drawn_marks(figure) -> dict[str, int]:  # noqa: ANN001 - a matplotlib Figure
    return {line.get_label(): len(line.get_xdata()) for line in figure.axes[0].get_lines()}


def _said(alt: str, word: str) -> tuple[int, int]:
    """(points, signals) an alt text says are marked as signals about ``word``; (0, 0) for "ingen"."""
    if f"ingen signaler om {word}" in alt:
        return 0, 0
    found = re.search(rf"(\d+) punkt(?:er)? i (\d+) signal(?:er)? om {word}", alt)
    assert found, alt
    return int(found[1]), int(found[2])


def test_the_control_charts_alt_text_counts_the_points_it_marks(goal_and_measure) -> None:
    goal, measure = goal_and_measure
    months = pd.period_range("2011-01", "2013-04", freq="M")
    points = pd.Series([400.0 + (i % 5) for i in range(len(months))], index=months)
    m = months
    signals = [
        Signal("run", m[2], m[9], "improvement"),  # 8 points
        Signal("outside", m[5], m[5], "improvement"),  # inside the run: no more points marked
        Signal("trend", m[14], m[19], "improvement"),  # 6 points
        Signal("outside", m[24], m[24], "concern"),
    ]
    xmr = XmR(points, 402.0, 396.0, 408.0, 12, signals)
    figure = charts.plot_xmr(points, xmr.centre, xmr.lower, xmr.upper, signals, goal, measure, "Antal")
    marks = _drawn_marks(figure)
    alt = charts.describe_xmr_chart(goal, measure, xmr)
    assert _said(alt, "forbedring") == (marks["Signal: forbedring"], 3) == (14, 3)
    assert _said(alt, "bekymring") == (marks["Signal: bekymring"], 1) == (1, 1)
    quiet = XmR(points, 402.0, 396.0, 408.0, 12, [])
    drawn = _drawn_marks(charts.plot_xmr(points, 402.0, 396.0, 408.0, [], goal, measure, "Antal"))
    assert "Signal: forbedring" not in drawn and _said(
        charts.describe_xmr_chart(goal, measure, quiet), "forbedring"
    ) == (
        0,
        0,
    )


def test_the_job_centres_alt_text_counts_the_bars_by_colour(goal_and_measure) -> None:
    goal, _ = goal_and_measure  # lower is better: under 1 is better than expected
    ratios = [0.8, 0.9, 0.994, 1.004, 1.0, 1.2, 1.1, 0.8]  # 0,994 and 1,004 show as 0,99 and 1,00
    table = pd.DataFrame(
        {
            "jobcentre": [f"Jobcenter {c}" for c in "HGFEDCBA"],
            "actual_over_expected": ratios,
            "adjusted_rank": pd.array([1, 3, 4, 5, 5, 8, 7, 1], dtype="Int64"),
        }
    )
    figure = charts.plot_adjusted(table, goal)
    colours = [mcolors.to_hex(bar.get_facecolor()).upper() for bar in figure.axes[0].patches]
    drawn = {name: colours.count(colour.upper()) for name, colour in charts.VERDICT_COLOURS.items()}
    alt = charts.describe_adjusted_chart(goal, table)
    said = {
        name: int(found[1]) if (found := re.search(rf"(\d+) {charts.VERDICT_LABELS[name].lower()}", alt)) else 0
        for name in charts.VERDICT_COLOURS
    }
    assert said == drawn == {"better": 4, "worse": 2, "as_expected": 2}
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[-1] == "A" and "Bedst: Jobcenter A (0,80)" in alt  # the top bar: rank 1 shared, A before H
    assert labels[0] == "C" and "Størst udfordring: Jobcenter C (1,20)" in alt


def test_the_job_centres_legend_names_only_the_colours_drawn(goal_and_measure) -> None:  # noqa: ANN001
    """No bar "som forventet" (1,00 as shown): no grey in the legend; one: it is there, in both variants."""
    goal, _ = goal_and_measure

    def legend(ratios: list[float], narrow: bool) -> list[str]:
        table = pd.DataFrame(
            {
                "jobcentre": [f"Jobcenter {i}" for i in range(len(ratios))],
                "actual_over_expected": ratios,
                "adjusted_rank": pd.Series(ratios).rank(method="min").astype("Int64"),
            }
        )
        figure = charts.plot_adjusted(table, goal, narrow=narrow)
        return [" ".join(t.get_text().split()) for t in figure.legends[0].get_texts()]

    for narrow in (False, True):
        assert legend([0.8, 0.9, 1.1, 1.2], narrow) == ["Bedre end forventet", "Dårligere end forventet"]
        assert legend([0.8, 1.004, 1.2], narrow) == ["Bedre end forventet", "Dårligere end forventet", "Som forventet"]
        assert legend([0.8, 0.9], narrow) == ["Bedre end forventet"]
