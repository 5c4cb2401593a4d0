"""What the reports share: the scoped project, the intro, the history chart, where a goal stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from councilbook.analysis.series import goal_series
from councilbook.analysis.status import (
    GoalStatus,
    data_behind,
    missing_figures,
    missing_periods,
    monthly_figure,
    target_period,
)
from councilbook.core import figures as fig
from councilbook.core.formats import (
    capitalize,
    format_date,
    format_month,
    format_periods,
)
from councilbook.core.paths import BookPaths
from councilbook.core.periods import freq_of_index, last_month, period_from_code, year_periods
from councilbook.parameters.model import Contract, Goal
from councilbook.project.cache import load_prepared
from councilbook.project.load import Project
from councilbook.publication.provenance import Provenance
from councilbook.publication.scope import Scope
from councilbook.reports.model import Section
from councilbook.text import present
from councilbook.text.danish import describe_target, subject, subject_clause

if TYPE_CHECKING:
    from matplotlib.figure import Figure as PlotFigure

CHART_FIRST_YEAR_BACK = 3  # years of history before the contract year in charts


def report_intro(project: Project, *paragraphs: str) -> present.Markdown:
    """A report's opening: the sample-data notice when the data are a sample, then the paragraphs."""
    notice = present.sample_notice(project.dataset.source.sample)
    return present.Markdown("\n\n".join(filter(None, paragraphs)), notice=notice)


def scoped_project(
    params_dir: str | Path,
    data_path: str | Path,
    kind: str,
    key: str | int,
    as_of: str | date | None,
    public: bool = True,
) -> tuple[Project, Scope]:
    """The project as the report may see it: only its scope (:mod:`scope`), which its run key hashes."""
    from councilbook.reports.registry import scope_report  # the registry loads the kinds, which import this module

    project = load_prepared(Path(params_dir), Path(data_path), BookPaths(Path.cwd()).prepared)
    scope = scope_report(kind, key, project.params, project.dataset, parse_as_of(as_of), public=public)
    return Project(params=scope.params, dataset=scope.dataset), scope


FIGURE_LABELS = {"sum": "Løbende sum over et år", "share": "Andel", "count": "Antal"}


def _figure_label(goal: Goal, status: GoalStatus) -> str:
    """What the chart's line is: ``Løbende sum over 12 måneder``, ``Andel pr. kvartal``, ``Antal pr. måned``."""
    if goal.aggregation == "sum":
        return "Løbende sum over 4 kvartaler" if status.freq == "Q" else "Løbende sum over 12 måneder"
    per = "kvartal" if status.freq == "Q" else "måned"
    return f"{'Andel' if status.share else 'Antal'} pr. {per}"


def history_drawing(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: GoalStatus
) -> tuple[Callable[..., PlotFigure], str]:
    """What draws the goal's history chart (``draw(narrow=…)``, narrow for a phone) and its alt text."""
    from councilbook.text import charts  # matplotlib only where a chart is drawn

    data = project.dataset.until(cutoff)
    values, denominator = goal_series(project.params, data, goal)
    series = monthly_figure(values, denominator, goal.aggregation)
    first_year = _chart_first_year(goal, contract_year)
    series = series[series.index >= year_periods(first_year, freq_of_index(series.index))[0]]
    measure = project.params.measures[goal.measure]

    def draw(*, narrow: bool) -> PlotFigure:
        return charts.plot_goal_history(
            series,
            goal,
            measure,
            contract_year,
            status.baseline,
            status.target,
            cutoff,
            figure_label=_figure_label(goal, status),
            first_year=first_year,
            target_when=target_period(goal, status.freq, contract_year),
            narrow=narrow,
        )

    return draw, charts.describe_goal_history(goal, measure, series, status.baseline, status.target, cutoff)


def _chart_first_year(goal: Goal, contract_year: int) -> int:
    return min(goal.baseline_span.first.year, contract_year - CHART_FIRST_YEAR_BACK)


def missing_note(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: GoalStatus | None = None
) -> present.Markdown | None:
    """A note naming the figures missing in the chart's window, and for which job centres (never filled in)."""
    data = project.dataset.until(cutoff)
    values, denominator = goal_series(project.params, data, goal)
    freq = freq_of_index(values.index)
    window = [p for p in values.index if p >= year_periods(_chart_first_year(goal, contract_year), freq)[0]]
    missing = missing_figures(
        project.params, data, goal, missing_periods(values, denominator, pd.PeriodIndex(window, freq=freq))
    )
    estimates = (
        status is not None
        and not status.final
        and status.figures.forecast.known
        and any(m.part == "year" and not m.everywhere for m in status.missing)
    )
    return present.missing_note(missing, rolling=goal.aggregation == "sum", forecast_estimates=estimates)


def where_we_stand(goal: Goal, status: GoalStatus, project: Project, cutoff: pd.Period) -> str:
    """Where the goal's figure stands so far this year, in words that the figures support."""
    measure = project.params.measures[goal.measure]
    noun = capitalize(subject_clause(goal, measure))
    f = status.figures
    year = status.contract_year
    if not status.periods:
        if status.forecast.periods_observed == 0:
            return f"Der er endnu ikke offentliggjort tal for {year} for {subject(goal, measure)}."
        behind = data_behind(project.dataset, cutoff, {m for m in (goal.measure, goal.denominator) if m})
        if behind is not None:
            return (
                f"Der er endnu ingen tal for {year} i data for {subject(goal, measure)}: data slutter i "
                f"{format_month(behind)}."
            )
        return f"Tallene for {year} hidtil mangler for {subject(goal, measure)}. " + present.describe_missing(
            [m for m in status.missing if m.part == "year"]
        )
    period = format_periods(period_from_code(status.periods[0]), period_from_code(status.periods[-1]))
    text = f"{noun} var {f.actual.text} i {period}, {fig.describe_change(f.change, goal.better)}."
    if status.excluded:
        text += " " + capitalize(present.describe_partial(status, with_reason=False))
    return text


def parse_as_of(value: str | date | None) -> date | None:
    """The embargo date: nothing later than it is shown. Empty or None: no embargo."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def target_sentence(goal: Goal, status: GoalStatus, project: Project, contract_year: int) -> str:
    """The target in words; a change target with the figure it comes to, from the baseline."""
    measure = project.params.measures[goal.measure]
    target = status.figures.target
    implied = None
    if goal.target.form == "change" and target.known:
        implied = f"{'højst' if goal.better == 'lower' else 'mindst'} {target.text}"
    return describe_target(goal, measure, contract_year, status.freq, implied)


def figures_until_text(project: Project, cutoff: pd.Period, published: date, measures: set[str]) -> str:
    """``Tallene er opgjort til og med …``: the cut-off, or the data's last month when the data stop earlier."""
    behind = data_behind(project.dataset, cutoff, measures)
    if behind is None:
        return (
            f"Tallene er opgjort til og med {format_month(cutoff)}, de seneste tal ved offentliggørelsen "
            f"{format_date(published)}."
        )
    return (
        f"De seneste tal i data er fra {format_month(behind)}. Ved offentliggørelsen {format_date(published)} "
        f"var tallene til og med {format_month(cutoff)} offentliggjort, men de er endnu ikke i data."
    )


def figures_until(project: Project, cutoff: pd.Period, contract: Contract) -> pd.Period:
    """The month a report's figures run to: the cut-off, or the data's last month when the data stop earlier."""
    behind = data_behind(project.dataset, cutoff, set(goal_measure_ids(contract)))
    return behind if behind is not None else cutoff


def goal_measure_ids(contract: Contract) -> list[str]:
    """The measures the contract's goals are measured on (measure and denominator)."""
    return [m for g in contract.goals for m in (g.measure, g.denominator) if m]


def history_chart(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: GoalStatus
) -> present.Chart:
    """The goal's history chart, wide and for a phone."""
    draw, alt = history_drawing(project, goal, contract_year, cutoff, status)
    return present.Chart.drawn(draw, alt=alt)


def forecast_chart(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: GoalStatus
) -> present.Chart:
    """The goal's history chart with the year's forecast marked, wide and for a phone."""
    from councilbook.text import charts  # matplotlib only where a chart is drawn

    history, alt = history_drawing(project, goal, contract_year, cutoff, status)
    measure = project.params.measures[goal.measure]
    f = status.forecast
    when = target_period(goal, status.freq, contract_year)
    if status.final or last_month(when) <= cutoff or not status.figures.forecast.known:
        return present.Chart.drawn(history, alt=alt)

    def draw(*, narrow: bool) -> PlotFigure:
        figure = history(narrow=narrow)
        charts.add_forecast(figure, goal, measure, f.value, f.low, f.high, when)
        return figure

    return present.Chart.drawn(draw, alt=alt + f" Prognosen for året er {status.figures.forecast.text}.")


def provenance_section(provenance: Provenance, lead: str = "", made: date | None = None) -> Section:
    """A report's closing "Om tallene" (id ``provenance``): for readers where its figures come from, the month
    they run to and (``made``) the day whose published figures it uses, then folded away the technical
    documentation; ``lead`` is a paragraph before it on sources of the report's own (Markdown)."""
    return Section(
        heading=present.Markdown(present.PROVENANCE_HEADING),
        text=present.Markdown("\n\n".join(filter(None, [lead, present.provenance_markdown(provenance, made)]))),
        details=present.provenance_details(provenance),
        id="provenance",
    )
