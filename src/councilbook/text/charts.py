"""Charts for print and screen: Danish labels, colour-blind-safe colours (Okabe-Ito).

Figures are built with :class:`matplotlib.figure.Figure` directly, not pyplot,
so nothing is shown twice in a notebook and no global state leaks between charts.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Literal

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from matplotlib.text import Text
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator

from councilbook.core.formats import (
    count_noun,
    format_number,
    format_percent,
    format_period,
    format_period_code,
    round_half_up,
)
from councilbook.core.periods import freq_of_index, last_month, month, year_periods
from councilbook.parameters.model import Goal, LevelTarget, Measure, is_share
from councilbook.text.danish import subject

# Titles and labels carry the council's texts (a goal's title, job centres' names): "$" is a dollar sign, not
# the start of mathematical notation (which also fails on a single "$").
matplotlib.rcParams["text.parse_math"] = False

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREY = "#555555"
FIGSIZE = (8.0, 4.6)

# The narrow variant of a chart, for a phone: drawn 340 px wide (a 390 px screen's content column, shown at
# its natural size) with no text under 8,5 pt, i.e. 11,8 px at 100 dpi (a reader's phone needs 11 px at least).
NARROW_WIDTH_IN = 3.4
NARROW_DPI = 100
NARROW_MIN_PT = 8.5
NARROW_TITLE_PT = 9.5
NARROW_PLOT_IN = 2.9  # a narrow chart's axes with their tick labels; title and legend come on top of it
# The wide variant (desktop and print) is shown at up to about 800 px of its 880: 9 pt is 13,75 px at 110 dpi.
WIDE_MIN_PT = 9.0
# On a phone the job centres' chart shows only the best and the worst ones, this many of each.
PHONE_EACH_END = 5


def text_px(figure: Figure) -> float:
    """The smallest text in ``figure`` in pixels at its natural size (points x dpi / 72): every visible text
    object with words, tick labels included (they exist once the figure is drawn)."""
    figure.draw_without_rendering()  # lays it out and makes the tick labels, without painting a pixel
    return smallest_text_px(figure)


def smallest_text_px(figure: Figure) -> float:
    """:func:`text_px` of a figure already drawn (saved): its texts as they were drawn."""
    sizes = [float(t.get_fontsize()) for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) * figure.dpi / 72 if sizes else math.inf


def is_narrow(figure: Figure) -> bool:
    return figure.get_figwidth() <= NARROW_WIDTH_IN + 1e-3  # (ChartImage rounds a size to whole pixels)


def fit_lines(text: str, size_pt: float, width_pt: float) -> str:
    """``text`` broken between words into lines no wider than ``width_pt`` at ``size_pt`` (measured with the
    font the chart is drawn in); a single word wider than that stays whole on its line."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure, font = TextToPath(), FontProperties(size=size_pt)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if line and measure.get_text_width_height_descent(trial, font, ismath=False)[0] > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def _narrow_width_pt(margin_pt: float = 14) -> float:
    return NARROW_WIDTH_IN * 72 - margin_pt


def _figure(narrow: bool, wide: tuple[float, float], narrow_height: float = NARROW_PLOT_IN, dpi: int = 110) -> Figure:
    """A figure on an Agg canvas (which measures text as it is drawn), wide or narrow."""
    if narrow:
        figure = Figure(figsize=(NARROW_WIDTH_IN, narrow_height), dpi=NARROW_DPI, layout="constrained")
    else:
        figure = Figure(figsize=wide, dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _title(ax, title: str, wide_size: float = 11) -> None:  # noqa: ANN001 - a matplotlib Axes
    """The chart's title, left; narrow: over the whole width, in lines measured to fit (never clipped)."""
    if is_narrow(ax.figure):
        ax.figure.suptitle(
            fit_lines(title, NARROW_TITLE_PT, _narrow_width_pt()), x=0.02, ha="left", fontsize=NARROW_TITLE_PT
        )
    else:
        ax.set_title(title, loc="left", fontsize=wide_size, wrap=True)


def _legend(ax, wide_ncol: int, wide_size: float, **kwargs) -> None:  # noqa: ANN001 - a matplotlib Axes
    """The legend under the figure, in room the layout makes for it (never cut off, never over a label): wide in
    ``wide_ncol`` columns, narrow one entry a line. Drawn again, it replaces the one before."""
    figure = ax.figure
    for old in list(figure.legends):
        old.remove()
    handles, labels = (kwargs.pop("handles"), None) if "handles" in kwargs else ax.get_legend_handles_labels()
    if labels is None:
        labels = [h.get_label() for h in handles]
    if is_narrow(figure):
        labels = [fit_lines(label, NARROW_MIN_PT, _narrow_width_pt(40)) for label in labels]
        figure.legend(handles, labels, loc="outside lower left", ncol=1, fontsize=NARROW_MIN_PT, frameon=False)
    else:
        figure.legend(
            handles, labels, loc="outside lower center", ncol=wide_ncol, fontsize=wide_size, frameon=False, **kwargs
        )


def _readable(figure: Figure, plot_in: float | None = NARROW_PLOT_IN) -> Figure:
    """A figure's every text at least :data:`WIDE_MIN_PT`, a narrow one's :data:`NARROW_MIN_PT` (tick labels
    included), and (``plot_in``) a narrow figure as tall as its axes' ``plot_in`` inches and the title and
    legend above and below them."""
    if not is_narrow(figure):
        _at_least(figure, WIDE_MIN_PT)
    if is_narrow(figure):
        for ax in figure.axes:
            ax.tick_params(labelsize=NARROW_MIN_PT)
        _at_least(figure, NARROW_MIN_PT)
        if plot_in is not None:
            renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined] # an Agg canvas (_figure)
            title = figure.get_suptitle() and figure._suptitle  # type: ignore[attr-defined]
            around = [*figure.legends, *([title] if title else [])]
            extra = sum(item.get_window_extent(renderer).height for item in around) / figure.dpi
            figure.set_figheight(plot_in + extra + 0.1 * len(around))
    _settle(figure)
    return figure


def whole_pixels(figure: Figure) -> tuple[int, int]:
    """The figure sized in whole CSS pixels (the size a page gives its drawing), which it returns; a figure
    already so sized is left as it is (and, laid out, stays laid out)."""
    dpi = figure.dpi
    width, height = (round(x * dpi) for x in figure.get_size_inches())
    size = ((width + 1e-3) / dpi, (height + 1e-3) / dpi)
    if tuple(figure.get_size_inches()) != size:
        figure.set_size_inches(size)
    return width, height


def _settle(figure: Figure, rounds: int = 3) -> None:
    """The figure, at its size in whole pixels, laid out, then x tick labels that would run into each other
    turned (45°, then 90°) and the plot widened where a marker at its edge would be cut in half; laid out again
    until nothing changes. The last layout is the one it is saved with (:meth:`ChartImage.from_figure`)."""
    whole_pixels(figure)
    for _ in range(rounds):
        figure.draw_without_rendering()
        changed = False
        for ax in figure.axes:
            if isinstance(ax, PolarAxes) or not ax.axison:
                continue
            changed |= _turn_crowded_labels(ax)
            changed |= _room_for_marks(ax)
        if not changed:
            return


def _drawn_labels(axis, limits: tuple[float, float]) -> list[Text]:  # noqa: ANN001 - a matplotlib Axis
    """The tick labels an axis draws: those of its ticks in view, with text."""
    low, high = min(limits), max(limits)
    slack = 1e-9 * (high - low)
    locs = axis.get_majorticklocs()
    return [
        tick.label1
        for loc, tick in zip(locs, axis.get_major_ticks(len(locs)), strict=True)
        if low - slack <= loc <= high + slack and tick.label1.get_visible() and tick.label1.get_text().strip()
    ]


LABEL_GAP_PX = 2.0


def _turn_crowded_labels(ax) -> bool:  # noqa: ANN001 - a matplotlib Axes
    """Turn the x tick labels a step (0° → 45° → 90°) when two of them would touch; whether it did."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in _drawn_labels(ax.xaxis, ax.get_xlim())]
    boxes.sort(key=lambda b: b.x0)
    crowded = any(
        a.x1 + LABEL_GAP_PX > b.x0 and a.y0 < b.y1 and b.y0 < a.y1 for a, b in zip(boxes, boxes[1:], strict=False)
    )
    turned = float(ax.xaxis.get_major_ticks()[0].label1.get_rotation()) if boxes else 0.0
    if not crowded or turned >= 90:
        return False
    ax.tick_params(axis="x", labelrotation=45 if turned < 45 else 90, labelrotation_mode="xtick")
    return True


def _room_for_marks(ax) -> bool:  # noqa: ANN001 - a matplotlib Axes
    """Widen the axes' limits so that every marker (a point, the forecast, a target's diamond, an error bar's
    caps) is drawn whole inside the plot; whether it did."""
    frame = ax.get_window_extent()
    dpi = ax.figure.dpi
    need = {"left": 0.0, "right": 0.0, "bottom": 0.0, "top": 0.0}
    for line in ax.get_lines():
        if not line.get_visible() or line.get_marker() in (None, "", "None", " ", "none"):
            continue
        radius = (line.get_markersize() + line.get_markeredgewidth()) / 2 * dpi / 72 + 1
        for x, y in ax.transData.transform(line.get_xydata()):
            # a marker in view (its centre in the plot): one out of view is meant to be
            inside = frame.x0 - 1 <= x <= frame.x1 + 1 and frame.y0 - 1 <= y <= frame.y1 + 1
            if math.isfinite(x) and math.isfinite(y) and inside:
                need["left"] = max(need["left"], frame.x0 + radius - x)
                need["right"] = max(need["right"], x + radius - frame.x1)
                need["bottom"] = max(need["bottom"], frame.y0 + radius - y)
                need["top"] = max(need["top"], y + radius - frame.y1)
    changed = False
    for low, high, length, limits, setter in (
        (need["left"], need["right"], frame.width, ax.get_xlim(), ax.set_xlim),
        (need["bottom"], need["top"], frame.height, ax.get_ylim(), ax.set_ylim),
    ):
        if low <= 0.5 and high <= 0.5:
            continue
        low, high = max(low, 0.0), max(high, 0.0)
        per_px = (limits[1] - limits[0]) / max(length - low - high, 1.0)
        setter(limits[0] - low * per_px, limits[1] + high * per_px)
        changed = True
    return changed


def _at_least(figure: Figure, size_pt: float) -> None:
    # Tick labels are made as the figure is drawn: their size is set on the axis (no drawing needed here).
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks()
            if ticks and float(ticks[0].label1.get_fontsize()) < size_pt:
                axis.set_tick_params(which="both", labelsize=size_pt)
    for text in figure.findobj(Text):
        if float(text.get_fontsize()) < size_pt:
            text.set_fontsize(size_pt)


MAX_TICK_DECIMALS = 4


def tick_decimals(values: list[float], at_least: int = 0) -> int:
    """The fewest decimals (from ``at_least``) that show every tick value exactly: ticks at 2,5-steps get
    one ("2,5", "5,0"), never "3" and "5"."""
    for decimals in range(at_least, MAX_TICK_DECIMALS + 1):
        if all(abs(v - round(v, decimals)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return MAX_TICK_DECIMALS


class DanishTicks(Formatter):
    """Tick labels in Danish that say the value where each tick stands: the decimals are chosen when the
    figure is drawn, from the ticks drawn then (a figure laid out again gets its labels again)."""

    def __init__(self, share: bool = False, at_least: int = 0) -> None:
        self.share = share
        self.at_least = at_least
        self.decimals: int | None = None  # those of the ticks last labelled

    def format_ticks(self, values: list[float]) -> list[str]:
        self.decimals = tick_decimals(list(values), self.at_least)
        return [self._text(v, self.decimals) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._text(x, self.decimals if self.decimals is not None else tick_decimals([x], self.at_least))

    def _text(self, x: float, decimals: int) -> str:
        value = 0.0 if abs(x) < 1e-12 else x  # never "-0"
        return format_percent(value, decimals) if self.share else format_number(value, decimals)


def _value_locator(integer: bool, nbins: int | Literal["auto"] = "auto") -> MaxNLocator:
    """Ticks at 1-, 2- or 5-steps (no 2,5-steps, whose labels need a decimal more); with ``integer`` (a
    count) at whole numbers where there are enough of them."""
    return MaxNLocator(nbins=nbins, steps=[1, 2, 5, 10], integer=integer, min_n_ticks=3)


def _format_values(ax, share: bool) -> None:  # noqa: ANN001 - a matplotlib Axes
    """The value axis (y): Danish labels that say the ticks' values."""
    ax.yaxis.set_major_locator(_value_locator(integer=not share))
    ax.yaxis.set_major_formatter(DanishTicks(share))


def _until(series: pd.Series, cutoff: pd.Period) -> pd.Series:
    """The periods (months or quarters) whose last month is at or before the cut-off month."""
    return series[[last_month(p) <= cutoff for p in series.index]] if len(series) else series


def per_period(series: pd.Series) -> str:
    """``måned for måned`` or ``kvartal for kvartal``."""
    return "kvartal for kvartal" if freq_of_index(series.index) == "Q" else "måned for måned"


def plot_goal_history(
    figure_values: pd.Series,
    goal: Goal,
    measure: Measure,
    contract_year: int,
    baseline: float,
    target: float | None,
    cutoff: pd.Period,
    figure_label: str,
    first_year: int | None = None,
    target_when: pd.Period | None = None,
    narrow: bool = False,
) -> Figure:
    """The goal's figure period by period up to the cut-off, with baseline and target marked
    (``target_when``: the period of a level target); ``narrow``: drawn for a phone."""
    share = is_share(goal, measure)
    series = _until(figure_values, cutoff)
    if first_year is not None:
        series = series[series.index >= year_periods(first_year, freq_of_index(series.index))[0]]
    # Missing periods stay NaN so the line breaks there instead of bridging the gap.
    known = series.dropna()
    if len(known):
        series = series[(series.index >= known.index[0]) & (series.index <= known.index[-1])]
    fig = _figure(narrow, FIGSIZE)
    ax = fig.add_subplot()
    x = series.index.to_timestamp()
    ax.plot(x, series.to_numpy(), color=BLUE, linewidth=2, label=figure_label)
    if len(known):
        ax.plot([known.index[-1].to_timestamp()], [known.iloc[-1]], "o", color=BLUE)
    if not math.isnan(baseline):
        ax.axhline(
            baseline,
            color=GREY,
            linestyle=":",
            linewidth=1.5,
            label=f"Basis {format_period_code(goal.baseline)}: {_fmt(baseline, share)}",
        )
    year_start = month(contract_year, 1).to_timestamp()
    year_end = month(contract_year, 12).to_timestamp(how="end")
    ax.axvspan(year_start, year_end, color=ORANGE, alpha=0.10, linewidth=0, label=f"Kontraktår {contract_year}")
    if target is not None and not math.isnan(target):
        if isinstance(goal.target, LevelTarget) and goal.aggregation == "end_of_period" and target_when is not None:
            ax.plot(
                [target_when.to_timestamp()],
                [target],
                marker="D",
                markersize=9,
                color=VERMILLION,
                linestyle="none",
                label=f"Mål {format_period(target_when)}: {_bound(goal)} {_fmt(target, share)}",
            )
        else:
            ax.hlines(
                target,
                year_start,
                year_end,
                colors=VERMILLION,
                linestyles="--",
                linewidth=2,
                label=f"Mål {contract_year}: {_bound(goal)} {_fmt(target, share)}",
            )
    _title(ax, goal.title)
    ax.set_ylabel(measure.unit if not share else "Procent")
    left = (
        month(first_year, 1)
        if first_year is not None
        else (month(known.index[0].year, 1) if len(known) else month(contract_year, 1))
    )
    ax.set_xlim(left.to_timestamp(), year_end)
    ax.set_xlabel("År")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    _format_values(ax, share)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    _history_legend(ax)
    return _readable(fig)


def _history_legend(ax) -> None:  # noqa: ANN001 - a matplotlib Axes
    _legend(ax, 2, 9)


def _fmt(value: float, share: bool, decimals: int | None = None) -> str:
    if share:
        return format_percent(value) if decimals is None else format_percent(value, decimals)
    return format_number(value) if decimals is None else format_number(value, decimals)


def _bound(goal: Goal) -> str:
    return "højst" if goal.better == "lower" else "mindst"


def describe_goal_history(
    goal: Goal, measure: Measure, series: pd.Series, baseline: float, target: float | None, cutoff: pd.Period
) -> str:
    """Danish alt text saying what the chart shows."""
    share = is_share(goal, measure)
    shown = _until(series.dropna(), cutoff)
    running = " (løbende sum over et år)" if goal.aggregation == "sum" else ""
    what = f"Kurve for målet »{goal.title}«: {subject(goal, measure)}{running} {per_period(series)}"
    if len(shown):
        what += (
            f" fra {format_period(shown.index[0])} til {format_period(shown.index[-1])}; "
            f"seneste værdi {_fmt(float(shown.iloc[-1]), share)}"
        )
    parts = [what]
    if not math.isnan(baseline):
        parts.append(f"basis {format_period_code(goal.baseline)} er {_fmt(baseline, share)}")
    if target is not None and not math.isnan(target):
        parts.append(f"målet er {_bound(goal)} {_fmt(target, share)}")
    return ". ".join(p[:1].upper() + p[1:] for p in parts) + "."


def add_forecast(
    fig: Figure, goal: Goal, measure: Measure, value: float, low: float, high: float, when: pd.Period
) -> None:
    """Mark the year's forecast with its range on a history chart (``when``: the period it is for)."""
    if math.isnan(value):
        return
    share = is_share(goal, measure)
    ax = fig.axes[0]
    ax.set_autoscaley_on(True)  # the forecast's range in view, whatever room the markers were given before
    x = when.to_timestamp()
    if not (math.isnan(low) or math.isnan(high)):
        ax.errorbar(
            [x], [value], yerr=[[value - low], [high - value]], fmt="none", ecolor=BLUE, capsize=5, linewidth=1.5
        )
    ax.plot(
        [x],
        [value],
        marker="o",
        markersize=8,
        markerfacecolor="white",
        markeredgecolor=BLUE,
        markeredgewidth=2,
        linestyle="none",
        label=f"Prognose: {_fmt(value, share)}",
    )
    _history_legend(ax)
    _readable(fig)


def plot_xmr(
    points: pd.Series,
    centre: float,
    lower: float,
    upper: float,
    signals: list,
    goal: Goal,
    measure: Measure,
    value_label: str,
    narrow: bool = False,
) -> Figure:
    """An XmR chart: the points (months or quarters), centre line, limits, and signals by symbol and colour;
    ``narrow``: drawn for a phone (a tick a year)."""
    share = is_share(goal, measure)
    freq = freq_of_index(points.index)
    fig = _figure(narrow, (8.0, 4.2))
    ax = fig.add_subplot()
    x = points.index.to_timestamp()
    ax.plot(x, points.to_numpy(), color=GREY, linewidth=1.2, marker="o", markersize=3.5, label=value_label)
    ax.axhline(centre, color="#222222", linewidth=1.2, label=f"Gennemsnit: {_fmt(centre, share)}")
    ax.axhline(upper, color=GREY, linestyle="--", linewidth=1, label="Kontrolgrænser")
    ax.axhline(lower, color=GREY, linestyle="--", linewidth=1)
    for judgement, colour, marker, label in (
        ("improvement", BLUE, "^", "Signal: forbedring"),
        ("concern", VERMILLION, "v", "Signal: bekymring"),
    ):
        months = signal_points(points, signals, judgement)
        if months:
            ax.plot(
                [m.to_timestamp() for m in months],
                points.loc[months].to_numpy(),
                linestyle="none",
                marker=marker,
                markersize=8,
                color=colour,
                label=label,
            )
    _title(ax, f"Er ændringen reel? {goal.title}")
    ax.set_ylabel(measure.unit if not share else "Procent")
    ax.set_xlabel("Kvartal" if freq == "Q" else "Måned")
    _format_values(ax, share)
    if freq == "Q" or narrow:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(FuncFormatter(_month_label))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax, 3, 8.5)
    return _readable(fig)


@dataclass(frozen=True)
class Ends:
    """The job centres a phone's chart shows: the best and the worst by rank, ties at a cut kept together;
    ``worst`` empty when every ranked one is shown (no more than twice :data:`PHONE_EACH_END`)."""

    best: pd.DataFrame
    worst: pd.DataFrame
    ranked: int

    @property
    def shown(self) -> int:
        return len(self.best) + len(self.worst)

    @property
    def left_out(self) -> int:
        return self.ranked - self.shown


def ranked_ends(table: pd.DataFrame, each: int = PHONE_EACH_END) -> Ends:
    """The ``each`` best and ``each`` worst ranked job centres (flagged ones have no rank), in rank order; a
    job centre tied with the last one taken is taken too; all of them when that leaves none out."""
    ranked = table.dropna(subset=["adjusted_rank"]).sort_values(["adjusted_rank", "jobcentre"])
    every = Ends(ranked, ranked.iloc[0:0], len(ranked))
    if len(ranked) <= 2 * each:
        return every
    ranks = ranked["adjusted_rank"]
    best = ranked[ranks <= ranks.iloc[each - 1]]
    worst = ranked[ranks >= ranks.iloc[-each]]
    return every if len(best) + len(worst) >= len(ranked) else Ends(best, worst, len(ranked))


def describe_ends(ends: Ends) -> str:
    """``De 5 bedste og de 5 med størst udfordring af 44 jobcentre``: what a phone's chart shows."""
    return f"De {len(ends.best)} bedste og de {len(ends.worst)} med størst udfordring af {ends.ranked} jobcentre"


def plot_adjusted(table: pd.DataFrame, goal: Goal, narrow: bool = False) -> Figure:
    """Actual ÷ expected per ranked job centre (flagged ones left out), best at the top, 1,0 marked; ``narrow``:
    for a phone, with more than 2 x :data:`PHONE_EACH_END` ranked, only the best and the worst, so named."""
    ends = ranked_ends(table) if narrow else Ends(table.dropna(subset=["adjusted_rank"]), table.iloc[0:0], 0)
    # Bars from the bottom up: the worst first, a gap row naming those left out, then the best.
    rows: list[pd.Series | None] = [r for _, r in ends.worst.iloc[::-1].iterrows()]
    if ends.left_out > 0:
        rows.append(None)
    rows += [r for _, r in ends.best.sort_values(["adjusted_rank", "jobcentre"], ascending=[False, False]).iterrows()]
    shown = [r for r in rows if r is not None]
    if narrow:
        fig = _figure(True, FIGSIZE)
    else:
        height = max(3.0, 0.22 * len(shown) + 1.2)
        fig = _figure(False, (8.0, height), height)
    ax = fig.add_subplot()
    positions = [i for i, r in enumerate(rows) if r is not None]
    ratios = [float(r["actual_over_expected"]) for r in shown]
    verdicts = [adjusted_verdict(v, goal.better) for v in ratios]
    ax.barh(positions, [v - 1 for v in ratios], left=1, color=[VERDICT_COLOURS[v] for v in verdicts], height=0.7)
    labels = [MISSING_ROW.format(n=ends.left_out) if r is None else _jobcentre(r["jobcentre"]) for r in rows]
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axvline(1, color="#222222", linewidth=1)
    title = f"Faktisk i forhold til forventet: {goal.title}"
    if ends.left_out > 0:
        title += f"\n{describe_ends(ends)}"
    _title(ax, title)
    if narrow:
        ax.set_xlabel("Faktisk/forventet niveau\n(1,0 = som forventet)")
    else:
        ax.set_xlabel("Faktisk/forventet niveau (1,0 = som forventet ud fra rammevilkårene)")
    ax.xaxis.set_major_locator(_value_locator(integer=False, nbins=4 if narrow else "auto"))
    ax.xaxis.set_major_formatter(DanishTicks(at_least=2))
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    # The colours the bars have, and no other (a legend naming a colour no bar has would mislead).
    handles = [Patch(color=VERDICT_COLOURS[v], label=VERDICT_LABELS[v]) for v in VERDICT_LABELS if v in verdicts]
    if handles:
        _legend(ax, len(handles), 8, handles=handles)
    return _readable(fig, plot_in=0.27 * len(rows) + 0.9)


MISSING_ROW = "… {n} andre …"
VERDICT_COLOURS = {"better": BLUE, "worse": ORANGE, "as_expected": GREY}
VERDICT_LABELS = {"better": "Bedre end forventet", "worse": "Dårligere end forventet", "as_expected": "Som forventet"}


def adjusted_verdict(ratio: float, better: str) -> str:
    """``better``, ``worse`` or ``as_expected``: a job centre's actual ÷ expected as the table shows it (two
    decimals: 1,00 is "som forventet"), what its bar's colour says."""
    shown = round_half_up(ratio, 2)
    if shown == 1:
        return "as_expected"
    return "better" if (shown < 1) == (better == "lower") else "worse"


def _jobcentre(name: str) -> str:
    return name.replace("Jobcenter ", "")


def signal_points(points: pd.Series, signals: list, judgement: str) -> list[pd.Period]:
    """The points an XmR chart marks as signals of ``judgement`` ("improvement" or "concern"): every point
    of every such signal, each once (signals may share points)."""
    freq = freq_of_index(points.index)
    return sorted(
        {
            m
            for s in signals
            if s.judgement == judgement
            for m in pd.period_range(s.first, s.last, freq=freq)
            if m in points.index
        }
    )


def _signals_marked(points: pd.Series, signals: list, judgement: str, word: str) -> str:
    """``10 punkter i 4 signaler om forbedring``: the points the chart marks and the signals they make up."""
    marked = signal_points(points, signals, judgement)
    shown = [s for s in signals if s.judgement == judgement and signal_points(points, [s], judgement)]
    if not shown:
        return f"ingen signaler om {word}"
    return f"{count_noun(len(marked), 'punkt', 'punkter')} i {count_noun(len(shown), 'signal', 'signaler')} om {word}"


def describe_xmr_chart(goal: Goal, measure: Measure, xmr) -> str:
    """Danish alt text for an XmR chart: the points it marks as signals, counted from what it draws."""
    share = is_share(goal, measure)
    unit = "kvartaler" if freq_of_index(xmr.points.index) == "Q" else "måneder"
    decimals = 1 if share else 0
    improvements = _signals_marked(xmr.points, xmr.signals, "improvement", "forbedring")
    concerns = _signals_marked(xmr.points, xmr.signals, "concern", "bekymring")
    return (
        f"Kontroldiagram for målet »{goal.title}«: {subject(goal, measure)} i {len(xmr.points)} {unit} "
        f"med gennemsnit {_fmt(xmr.centre, share, decimals)} og kontrolgrænser {_fmt(xmr.lower, share, decimals)} "
        f"og {_fmt(xmr.upper, share, decimals)}. Markeret: {improvements} og {concerns}."
    )


def describe_adjusted_chart(goal: Goal, table: pd.DataFrame) -> str:
    """Danish alt text for the job centres' actual ÷ expected chart: the bars it draws and their colours,
    counted from the same figures, and the first and the last bar."""
    ranked = table.dropna(subset=["adjusted_rank"]).sort_values(["adjusted_rank", "jobcentre"])
    if ranked.empty:
        return f"Søjlediagram for målet »{goal.title}« uden tal."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    verdicts = [adjusted_verdict(float(v), goal.better) for v in ranked["actual_over_expected"]]
    counts = ", ".join(
        f"{verdicts.count(v)} {VERDICT_LABELS[v].lower()}" for v in ("better", "worse", "as_expected") if v in verdicts
    )
    ends = ranked_ends(table)
    phone = f" På en smal skærm viser diagrammet kun {describe_ends(ends).lower()}." if ends.left_out else ""
    return (
        f"Søjlediagram for målet »{goal.title}«: {len(ranked)} jobcentres faktiske niveau i forhold til det "
        f"forventede givet rammevilkårene (1,00 = som forventet): {counts}. "
        f"Bedst: {best['jobcentre']} ({format_number(best['actual_over_expected'], 2)}). "
        f"Størst udfordring: {worst['jobcentre']} ({format_number(worst['actual_over_expected'], 2)}).{phone}"
    )


MONTHS_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _month_label(x: float, _pos: int | None = None) -> str:
    """``jan. 2011``: a month on a date axis, in Danish (never ``01/2011``)."""
    day = mdates.num2date(x)
    name = MONTHS_DA[day.month - 1]
    return f"{name}{'' if name == 'maj' else '.'} {day.year}"


def plot_annual_cycle(year: int, events: list[tuple[date, str, str]], narrow: bool = False) -> Figure:
    """The year as a wheel: months around the circle and the council's events (date, label, kind) on it;
    ``narrow``: for a phone, the events numbered on the wheel and listed under it."""
    import numpy as np

    listed = [
        textwrap.fill(f"{n}. {label}", 40, subsequent_indent="    ")
        for n, (_, label, _) in enumerate(sorted(events), start=1)
    ]
    lines = sum(text.count("\n") + 1 for text in listed)
    fig = _figure(narrow, (8.0, 8.0), NARROW_WIDTH_IN + 0.6 + 0.17 * lines, dpi=100)
    if narrow:
        grid = fig.add_gridspec(2, 1, height_ratios=[NARROW_WIDTH_IN, 0.17 * lines + 0.3])
        ax: PolarAxes = fig.add_subplot(grid[0], projection="polar")  # type: ignore[assignment]
        notes = fig.add_subplot(grid[1])
        notes.axis("off")
        notes.text(0, 1, "\n".join(listed), va="top", ha="left", fontsize=NARROW_MIN_PT, linespacing=1.35)
    else:
        ax = fig.add_subplot(projection="polar")  # type: ignore[assignment]
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_xticks([2 * np.pi * (m + 0.5) / 12 for m in range(12)])
    ax.set_xticklabels(MONTHS_DA, fontsize=NARROW_MIN_PT if narrow else 11)
    ax.set_xticks([2 * np.pi * m / 12 for m in range(12)], minor=True)
    ax.grid(which="minor", color="#bbbbbb")
    ax.grid(which="major", visible=False)
    ax.set_yticks([])
    ax.set_ylim(0, 1.25)
    styles = {
        "meeting": (BLUE, "o", "Rådsmøde"),
        "contract": (VERMILLION, "D", "Kontrakt"),
        "seminar": (ORANGE, "s", "Strategiseminar"),
        "evaluation": ("#009E73", "^", "Evaluering"),
    }
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    used: set[str] = set()
    for index, (day, label, kind) in enumerate(sorted(events)):
        colour, marker, legend = styles.get(kind, styles["meeting"])
        angle = 2 * np.pi * (day - start).days / days
        radius = 0.55 + 0.18 * (index % 3)
        ax.plot(
            [angle],
            [radius],
            marker=marker,
            color=colour,
            markersize=7 if narrow else 10,
            linestyle="none",
            label=None if legend in used else legend,
        )
        used.add(legend)
        shown = str(index + 1) if narrow else label
        ax.annotate(shown, (angle, radius), textcoords="offset points", xytext=(5 if narrow else 8, 4), fontsize=8)
    ax.set_title(f"Årshjulet {year}", fontsize=NARROW_TITLE_PT if narrow else 13, pad=12 if narrow else 20)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.04),
        ncol=2 if narrow else 4,
        fontsize=NARROW_MIN_PT if narrow else 9,
        frameon=False,
    )
    return _readable(fig, plot_in=None)


def plot_yearly_levels(frame: pd.DataFrame, title: str, share: bool, periods: str, narrow: bool = False) -> Figure:
    """The figure for the region and each cluster, a group of bars per year (the comparable periods);
    ``narrow``: for a phone."""
    areas = frame[frame["area_type"].isin(["region", "cluster"])]
    years = sorted(int(y) for y in areas["year"].unique())
    names = list(dict.fromkeys(areas["area"]))
    fig = _figure(narrow, FIGSIZE)
    ax = fig.add_subplot()
    colours = [BLUE, ORANGE, VERMILLION, GREY, "#009E73", "#56B4E9", "#CC79A7", "#F0E442"]
    width = 0.8 / max(1, len(years))
    for i, year in enumerate(years):
        values = [
            float(areas[(areas["area"] == n) & (areas["year"] == year)]["value"].iloc[0])
            if len(areas[(areas["area"] == n) & (areas["year"] == year)])
            else math.nan
            for n in names
        ]
        ax.bar(
            [k + (i - (len(years) - 1) / 2) * width for k in range(len(names))],
            values,
            width=width,
            color=colours[i % len(colours)],
            label=str(year),
        )
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n.split(":")[0] for n in names], fontsize=9)  # turned where they would meet (_settle)
    _title(ax, f"{title}, {periods}")
    ax.set_ylabel("Andel" if share else "Antal")
    _format_values(ax, share)
    ax.spines[["top", "right"]].set_visible(False)
    if narrow:
        fig.legend(fontsize=NARROW_MIN_PT, frameon=False, loc="outside lower center", ncol=len(years))
    else:
        ax.legend(
            title="År", fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(years)
        )
    return _readable(fig)


def describe_yearly_levels_chart(frame: pd.DataFrame, title: str, share: bool, periods: str) -> str:
    """Danish alt text for :func:`plot_yearly_levels`: what is plotted and the region's figure each year."""
    region = frame[frame["area_type"] == "region"].sort_values("year")
    values = "; ".join(f"{int(r.year)}: {_fmt(r.value, share)}" for r in region.itertuples(index=False))
    return f"Søjlediagram over »{title}« for regionen og klyngerne, {periods} i hvert år. Regionen: {values}."
