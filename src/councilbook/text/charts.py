"""Charts for print and screen: Danish labels, colour-blind-safe colours (Okabe-Ito).

Figures are built with :class:`matplotlib.figure.Figure` directly, not pyplot,
so nothing is shown twice in a notebook and no global state leaks between charts.
"""

from __future__ import annotations

import math
from datetime import date

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from matplotlib.ticker import FuncFormatter

from councilbook.core.formats import format_number, format_percent, format_period, format_period_code, round_half_up
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


def _value_formatter(share: bool, ticks: list[float] | None = None) -> FuncFormatter:
    """Tick labels in Danish; a share with one decimal where whole per cents would repeat (15 %, 15 %)."""
    steps = [b - a for a, b in zip(ticks[:-1], ticks[1:], strict=True)] if ticks and len(ticks) > 1 else []
    fractional = any(abs(t - round(t)) > 1e-9 for t in ticks or [])  # ticks at 2,5: "2,5 %", not "3 %"
    decimals = 1 if (steps and min(steps) < 1) or fractional else 0
    if share:
        return FuncFormatter(lambda v, _pos: format_percent(v, decimals))
    return FuncFormatter(lambda v, _pos: format_number(v, decimals))


def _format_values(ax, share: bool) -> None:  # noqa: ANN001 - a matplotlib Axes
    ax.yaxis.set_major_formatter(_value_formatter(share, list(ax.get_yticks())))


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
) -> Figure:
    """The goal's figure period by period up to the cut-off, with baseline and target marked
    (``target_when``: the period of a level target)."""
    share = is_share(goal, measure)
    series = _until(figure_values, cutoff)
    if first_year is not None:
        series = series[series.index >= year_periods(first_year, freq_of_index(series.index))[0]]
    # Missing periods stay NaN so the line breaks there instead of bridging the gap.
    known = series.dropna()
    if len(known):
        series = series[(series.index >= known.index[0]) & (series.index <= known.index[-1])]
    fig = Figure(figsize=FIGSIZE, dpi=110, layout="constrained")
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
    ax.set_title(goal.title, loc="left", fontsize=11, wrap=True)
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9, frameon=False)
    return fig


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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9, frameon=False)


def plot_xmr(
    points: pd.Series,
    centre: float,
    lower: float,
    upper: float,
    signals: list,
    goal: Goal,
    measure: Measure,
    value_label: str,
) -> Figure:
    """An XmR chart: the points (months or quarters), centre line, limits, and signals by symbol and colour."""
    share = is_share(goal, measure)
    freq = freq_of_index(points.index)
    fig = Figure(figsize=(8.0, 4.2), dpi=110, layout="constrained")
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
        months = sorted(
            {
                m
                for s in signals
                if s.judgement == judgement
                for m in pd.period_range(s.first, s.last, freq=freq)
                if m in points.index
            }
        )
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
    ax.set_title(f"Er ændringen reel? {goal.title}", loc="left", fontsize=11, wrap=True)
    ax.set_ylabel(measure.unit if not share else "Procent")
    ax.set_xlabel("Kvartal" if freq == "Q" else "Måned")
    _format_values(ax, share)
    if freq == "Q":
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8.5, frameon=False)
    return fig


def plot_adjusted(table: pd.DataFrame, goal: Goal) -> Figure:
    """Actual ÷ expected per ranked job centre (flagged ones left out), best at the top, 1,0 marked."""
    data = table.dropna(subset=["adjusted_rank"]).sort_values("adjusted_rank", ascending=False)
    height = max(3.0, 0.22 * len(data) + 1.2)
    fig = Figure(figsize=(8.0, height), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ratios = data["actual_over_expected"].to_numpy()
    shown = [round_half_up(r, 2) for r in ratios]  # as the table shows them: 1,00 is "som forventet"
    colours = [GREY if v == 1 else BLUE if (v < 1) == (goal.better == "lower") else ORANGE for v in shown]
    ax.barh(data["jobcentre"].str.replace("Jobcenter ", "", regex=False), ratios - 1, left=1, color=colours, height=0.7)
    ax.axvline(1, color="#222222", linewidth=1)
    ax.set_title(f"Faktisk i forhold til forventet: {goal.title}", loc="left", fontsize=11, wrap=True)
    ax.set_xlabel("Faktisk ÷ forventet niveau (1,0 = som forventet ud fra rammevilkårene)")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, 2)))
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=BLUE, label="Bedre end forventet"),
            Patch(color=ORANGE, label="Dårligere end forventet"),
            Patch(color=GREY, label="Som forventet"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.09 - 1.2 / height),  # below the axis label, never over a bar
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return fig


def describe_xmr_chart(goal: Goal, measure: Measure, xmr) -> str:
    """Danish alt text for an XmR chart."""
    share = is_share(goal, measure)
    improvements = sum(s.judgement == "improvement" for s in xmr.signals)
    concerns = sum(s.judgement == "concern" for s in xmr.signals)
    unit = "kvartaler" if freq_of_index(xmr.points.index) == "Q" else "måneder"
    decimals = 1 if share else 0
    signals = lambda n: f"{n} signal" if n == 1 else f"{n} signaler"  # noqa: E731
    return (
        f"Kontroldiagram for målet »{goal.title}«: {subject(goal, measure)} i {len(xmr.points)} {unit} "
        f"med gennemsnit {_fmt(xmr.centre, share, decimals)} og kontrolgrænser {_fmt(xmr.lower, share, decimals)} "
        f"og {_fmt(xmr.upper, share, decimals)}. {signals(improvements)} om forbedring og {signals(concerns)} om "
        "bekymring."
    )


def describe_adjusted_chart(goal: Goal, table: pd.DataFrame) -> str:
    """Danish alt text for the job centres' actual ÷ expected chart."""
    ranked = table.dropna(subset=["adjusted_rank"]).sort_values("adjusted_rank")
    if ranked.empty:
        return f"Søjlediagram for målet »{goal.title}« uden tal."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return (
        f"Søjlediagram for målet »{goal.title}«: {len(ranked)} jobcentres faktiske niveau i forhold til det "
        f"forventede givet rammevilkårene (1,00 = som forventet). "
        f"Bedst: {best['jobcentre']} ({format_number(best['actual_over_expected'], 2)}). "
        f"Størst udfordring: {worst['jobcentre']} ({format_number(worst['actual_over_expected'], 2)})."
    )


MONTHS_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def plot_annual_cycle(year: int, events: list[tuple[date, str, str]]) -> Figure:
    """The year as a wheel: months around the circle and the council's events (date, label, kind) on it."""
    import numpy as np

    fig = Figure(figsize=(8.0, 8.0), dpi=100, layout="constrained")
    ax: PolarAxes = fig.add_subplot(projection="polar")  # type: ignore[assignment]
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_xticks([2 * np.pi * (m + 0.5) / 12 for m in range(12)])
    ax.set_xticklabels(MONTHS_DA, fontsize=11)
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
            markersize=10,
            linestyle="none",
            label=None if legend in used else legend,
        )
        used.add(legend)
        ax.annotate(label, (angle, radius), textcoords="offset points", xytext=(8, 4), fontsize=8)
    ax.set_title(f"Årshjulet {year}", fontsize=13, pad=20)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=4, fontsize=9, frameon=False)
    return fig


def plot_yearly_levels(frame: pd.DataFrame, title: str, share: bool, periods: str) -> Figure:
    """The figure for the region and each cluster, a group of bars per year (the comparable periods)."""
    areas = frame[frame["area_type"].isin(["region", "cluster"])]
    years = sorted(int(y) for y in areas["year"].unique())
    names = list(dict.fromkeys(areas["area"]))
    fig = Figure(figsize=FIGSIZE, dpi=110, layout="constrained")
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
    ax.set_xticklabels([n.split(":")[0] for n in names], fontsize=9)
    ax.set_title(f"{title}, {periods}", loc="left", fontsize=11, wrap=True)
    ax.set_ylabel("Andel" if share else "Antal")
    _format_values(ax, share)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title="År", fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(years))
    return fig


def describe_yearly_levels_chart(frame: pd.DataFrame, title: str, share: bool, periods: str) -> str:
    """Danish alt text for :func:`plot_yearly_levels`: what is plotted and the region's figure each year."""
    region = frame[frame["area_type"] == "region"].sort_values("year")
    values = "; ".join(f"{int(r.year)}: {_fmt(r.value, share)}" for r in region.itertuples(index=False))
    return f"Søjlediagram over »{title}« for regionen og klyngerne, {periods} i hvert år. Regionen: {values}."
