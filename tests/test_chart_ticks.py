"""Every chart, wide and narrow, as a reader sees it drawn: tick labels that say the value where the tick
stands, x labels that do not run into each other, nothing cut off at the edge of the picture or of the plot.

Unit level: each chart function is drawn with data that make the tick steps fractional (shares from 13 to
21 %, counts from 2 to 9), the drawn figure is read back (tick positions, their rendered labels, every
text's and marker's extent in pixels).
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.projections.polar import PolarAxes
from matplotlib.text import Text

from councilbook.analysis.spc import Signal
from councilbook.parameters.load import load_parameters
from councilbook.text import charts

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"^[+\-−±]?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?:\u00a0%)?$")


@pytest.fixture(scope="module")
def params():
    return load_parameters(ROOT / "parameters")


def _goals(params):
    """A share goal and a count goal (measured at the end of the period, with a level target) of the sample."""
    goals = {g.id: g for g in params.contracts[2013].goals}
    share, count = goals["unge-uddannelse"], goals["langtidsledighed"]
    return (share, params.measures[share.measure]), (count, params.measures[count.measure])


def _series(low: float, high: float, freq: str = "M", first: str = "2010-01", last: str = "2013-04") -> pd.Series:
    periods = pd.period_range(first, last, freq=freq)
    n = len(periods)
    return pd.Series([low + (high - low) * ((i * 7) % n) / (n - 1) for i in range(n)], index=periods)


def _yearly(low: float, high: float) -> pd.DataFrame:
    rows = []
    for a, area in enumerate(["Regionen", *(f"Klynge {k}: lange navne på klyngens kendetegn" for k in range(1, 6))]):
        for y, year in enumerate(range(2009, 2013)):
            value = low + (high - low) * ((a * 4 + y) * 5 % 24) / 23
            rows.append({"area": area, "area_type": "region" if a == 0 else "cluster", "year": year, "value": value})
    return pd.DataFrame(rows)


def _ranked(count: int) -> pd.DataFrame:
    ratios = [1.18 - 0.3 * i / (count - 1) for i in range(count)]
    return pd.DataFrame(
        {
            "jobcentre": [f"Jobcenter {name}" for name in _names(count)],
            "actual_over_expected": ratios,
            "adjusted_rank": pd.array(range(1, count + 1), dtype="Int64"),
        }
    )


def _names(count: int) -> list[str]:
    base = ["Høje-Taastrup", "Lyngby-Taarbæk", "Vallensbæk-Ishøj", "Frederikssund", "Guldborgsund", "Albertslund"]
    return [f"{base[i % len(base)]} {i}" for i in range(count)]


def _charts(params) -> dict[str, Figure]:
    """Each chart kind, wide and narrow, with fractional tick steps (``name-wide``, ``name-narrow``)."""
    (share, share_m), (count, count_m) = _goals(params)
    drawn: dict[str, Figure] = {}
    for narrow in (False, True):
        w = "narrow" if narrow else "wide"
        months = _series(13.2, 21.4)
        cutoff = months.index[-1]
        drawn[f"history-share-{w}"] = charts.plot_goal_history(
            months, share, share_m, 2013, 15.3, 16.0, cutoff, "Andel pr. måned", 2010, narrow=narrow
        )
        charts.add_forecast(drawn[f"history-share-{w}"], share, share_m, 16.1, 14.6, 17.9, pd.Period("2013-12", "M"))
        counts = _series(2.2, 8.9)
        drawn[f"history-count-{w}"] = charts.plot_goal_history(
            counts,
            count,
            count_m,
            2013,
            6.0,
            5.0,
            cutoff,
            "Antal pr. måned",
            2010,
            target_when=pd.Period("2013-12", "M"),
            narrow=narrow,
        )
        # the forecast's range reaches above every figure so far: the plot makes room for it
        charts.add_forecast(drawn[f"history-count-{w}"], count, count_m, 8.1, 6.6, 10.4, pd.Period("2013-12", "M"))
        signals = [
            Signal("run", months.index[3], months.index[10], "improvement"),
            Signal("outside", months.index[20], months.index[20], "concern"),
        ]
        drawn[f"xmr-share-{w}"] = charts.plot_xmr(months, 16.9, 13.6, 20.2, signals, share, share_m, "Andel", narrow)
        quarters = _series(2.2, 8.9, "Q", "2008Q1", "2013Q1")
        drawn[f"xmr-count-{w}"] = charts.plot_xmr(quarters, 5.5, 1.9, 9.1, [], count, count_m, "Antal", narrow)
        drawn[f"adjusted-{w}"] = charts.plot_adjusted(_ranked(44), share, narrow=narrow)
        drawn[f"adjusted-few-{w}"] = charts.plot_adjusted(_ranked(7), count, narrow=narrow)
        events = [
            (date(2013, 1, 30), "30. januar: analyserapporten", "meeting"),
            (date(2013, 2, 20), "20. februar: rådsmøde", "meeting"),
            (date(2013, 3, 20), "20. marts: kontrakten underskrevet", "contract"),
            (date(2013, 9, 18), "18. september: strategiseminar", "seminar"),
            (date(2013, 12, 11), "11. december: evaluering", "evaluation"),
        ]
        drawn[f"cycle-{w}"] = charts.plot_annual_cycle(2013, events, narrow=narrow)
        drawn[f"yearly-share-{w}"] = charts.plot_yearly_levels(
            _yearly(13.2, 21.4), "Unge i uddannelse", True, "januar-november", narrow=narrow
        )
        drawn[f"yearly-count-{w}"] = charts.plot_yearly_levels(
            _yearly(2.2, 8.9), "Nye førtidspensioner", False, "januar-november", narrow=narrow
        )
    for figure in drawn.values():
        figure.canvas.draw()
    return drawn


@pytest.fixture(scope="module")
def drawn(params) -> dict[str, Figure]:
    return _charts(params)


def danish_number(text: str) -> float | None:
    """A tick label read as a Danish number (``12,5 %``, ``1.234``, ``0,80``); None if it is none."""
    text = text.strip()
    if not NUMBER.match(text):
        return None
    plain = text.replace("\u00a0%", "").replace(".", "").replace(",", ".").replace("−", "-").replace("±", "")
    return float(plain)


def _visible_ticks(axis, low: float, high: float) -> list[tuple[float, Text]]:  # noqa: ANN001 - an Axis
    """The ticks the axis draws (those in view) with their labels, as drawn."""
    return [
        (float(tick.get_loc()), tick.label1)
        for tick in axis._update_ticks()
        if tick.label1.get_visible() and tick.label1.get_text().strip()
    ]


def tick_problems(figure: Figure) -> list[str]:
    """Every value axis's tick labels against the ticks' positions: each label read as a number equals its
    tick's value, no two labels alike."""
    problems = []
    numeric_axes = 0
    for ax in figure.axes:
        if isinstance(ax, PolarAxes) or not ax.axison:
            continue
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            ticks = _visible_ticks(axis, *limits)
            if isinstance(axis.get_major_formatter(), (mdates.DateFormatter, mdates.AutoDateFormatter)):
                for loc, label in ticks:  # a date axis: the label says the tick's year (or month and year)
                    day = mdates.num2date(loc)
                    if str(day.year) not in label.get_text() or re.search(r"\d/\d", label.get_text()):
                        problems.append(f"{label.get_text()!r} stands at {day:%Y-%m-%d}")  # in Danish: "jan. 2011"
                continue
            values = [(loc, danish_number(label.get_text()), label.get_text()) for loc, label in ticks]
            if not values or any(v is None for _, v, _ in values):
                continue  # a category axis (names)
            numeric_axes += 1
            texts = [t for _, _, t in values]
            if len(set(texts)) != len(texts):
                problems.append(f"labels repeat: {texts}")
            for loc, value, text in values:
                assert value is not None
                if not math.isclose(value, loc, rel_tol=1e-9, abs_tol=1e-9):
                    problems.append(f"{text!r} labels a tick at {loc:g}")
    if not numeric_axes and not any(isinstance(ax, PolarAxes) for ax in figure.axes):
        problems.append("no value axis found")
    return problems


def _boxes(texts: list[Text], renderer) -> list:  # noqa: ANN001
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text().strip()]


def overlaps(figure: Figure) -> list[str]:
    """Tick labels of one axis that run into each other (their drawn extents meet)."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    found = []
    for ax in figure.axes:
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            limits = ax.get_xlim() if axis is ax.xaxis else ax.get_ylim()
            labels = [label for _, label in _visible_ticks(axis, *limits)]
            boxes = _boxes(labels, renderer)
            for i, a in enumerate(boxes):
                for j in range(i + 1, len(boxes)):
                    b = boxes[j]
                    if a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5:
                        found.append(f"{labels[i].get_text()!r} and {labels[j].get_text()!r}")
    return found


def clipped(figure: Figure) -> list[str]:
    """What is cut off: a text or legend outside the figure, a marker (its whole symbol) outside its axes."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = figure.bbox.width, figure.bbox.height
    found = []
    hidden = {label for ax in figure.axes for label in _out_of_view_labels(ax)}
    for artist in figure.findobj(lambda a: isinstance(a, (Text, Legend))):
        if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text().strip()):
            continue
        if artist in hidden:
            continue
        box = artist.get_window_extent(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            found.append(f"{type(artist).__name__} {getattr(artist, 'get_text', lambda: '')()!r} at {box.bounds}")
    for ax in figure.axes:
        frame = ax.get_window_extent(renderer)
        for line in ax.get_lines():
            marker = line.get_marker()
            if not line.get_visible() or marker in (None, "", "None", " ") or not line.get_clip_on():
                continue
            radius = (line.get_markersize() + line.get_markeredgewidth()) / 2 * figure.dpi / 72
            for x, y in line.get_xydata():
                if not (math.isfinite(x) and math.isfinite(y)):
                    continue
                px, py = ax.transData.transform((x, y))
                if (
                    px - radius < frame.x0 - 0.5
                    or px + radius > frame.x1 + 0.5
                    or py - radius < frame.y0 - 0.5
                    or py + radius > frame.y1 + 0.5
                ):
                    found.append(f"marker {marker!r} of {line.get_label()!r} at ({px:.0f}, {py:.0f}) px")
    return found


def _out_of_view_labels(ax) -> set[Text]:  # noqa: ANN001
    """Tick labels that are not drawn (their ticks out of view, or spare ticks the axis keeps)."""
    hidden: set[Text] = set()
    for axis in (ax.xaxis, ax.yaxis):
        drawn = {id(tick.label1) for tick in axis._update_ticks()} if ax.axison else set()
        for tick in [*axis.majorTicks, *axis.minorTicks]:
            hidden |= {tick.label2} | ({tick.label1} if id(tick.label1) not in drawn else set())
    return hidden


NAMES = [
    f"{kind}-{w}"
    for kind in (
        "history-share",
        "history-count",
        "xmr-share",
        "xmr-count",
        "adjusted",
        "adjusted-few",
        "cycle",
        "yearly-share",
        "yearly-count",
    )
    for w in ("wide", "narrow")
]


@pytest.mark.parametrize("name", NAMES)
def test_tick_labels_say_the_value_where_the_tick_stands(drawn, name: str) -> None:
    assert tick_problems(drawn[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_tick_labels_do_not_run_into_each_other(drawn, name: str) -> None:
    assert overlaps(drawn[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_cut_off(drawn, name: str) -> None:
    assert clipped(drawn[name]) == []


def test_a_fraction_is_labelled_with_its_decimals() -> None:
    """Ticks at 2,5-steps say 2,5 and 7,5: never 3 and 8."""
    figure = charts._figure(True, charts.FIGSIZE)
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 20])
    charts._format_values(ax, True)
    ax.set_yticks([0, 2.5, 5, 7.5, 10])
    figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "0,0\u00a0%",
        "2,5\u00a0%",
        "5,0\u00a0%",
        "7,5\u00a0%",
        "10,0\u00a0%",
    ]
