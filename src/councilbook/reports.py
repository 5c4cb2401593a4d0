"""The three reports, each built by one function that calls the stages in turn:
ingest and validate (:mod:`validate`), compute (:mod:`compute`), present
(:mod:`present`, :mod:`charts`, :mod:`danish`). Notebooks call these and display.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure as PlotFigure

from . import charts, compute, present
from . import figures as fig
from .danish import (
    capitalize,
    count_noun,
    describe_target,
    format_date,
    format_month,
    format_number,
    format_percent,
    format_period,
    format_period_code,
    format_periods,
    subject,
    subject_clause,
)
from .manifest import ForEach, contract_title, meeting_title, status_line_key
from .paths import BookPaths
from .parameters import MEETING_KIND_LABELS_DA, Contract, Goal
from .periods import freq_of_index, last_month, month, period_from_code, year_periods
from .prose import escape_markdown as md_text
from .prose import labelled_markdown, plain_text, prose_list, prose_markdown
from .provenance import collect_provenance
from .scope import CLOSED_ITEM, Scope, minutes_state, scope_report
from .series import goal_series
from .validate import Project, load_prepared

CHART_FIRST_YEAR_BACK = 3  # years of history before the contract year in charts


@dataclass
class Section:
    heading: present.Markdown
    text: present.Markdown
    chart: present.Chart | None = None
    table: present.Table | None = None
    note: present.Markdown | None = None


@dataclass
class Report:
    title: str
    intro: present.Markdown
    summary: present.Table | None
    sections: list[Section]
    closing: present.Markdown
    figures: dict[str, Any] = field(default_factory=dict)
    # Plain text glued for other pages (the front page's status lines): key -> text
    glued: dict[str, str] = field(default_factory=dict)

    def show(self) -> None:
        """Display the whole report in a notebook, then record its figures."""
        from IPython.display import display

        display(self.intro)
        if self.summary is not None:
            display(self.summary)
        for section in self.sections:
            display(section.heading, section.text)
            if section.chart is not None:
                display(section.chart)
            if section.note is not None:
                display(section.note)
            if section.table is not None:
                display(section.table)
        display(self.closing)
        self.record()

    def record(self) -> None:
        """Store the report's figures in the executed notebook (hidden), for scripts and tests."""
        from myst_nb import glue

        glue("figures", json.dumps(self.figures, ensure_ascii=False, default=str), display=False)
        for key, text in self.glued.items():
            glue(key, text, display=False)


def _intro(project: Project, *paragraphs: str) -> present.Markdown:
    """A report's opening: the sample-data notice when the data are a sample, then the paragraphs."""
    notice = present.sample_notice(project.dataset.source.sample)
    return present.Markdown("\n\n".join(filter(None, paragraphs)), notice=notice)


def _scoped_project(
    params_dir: str | Path,
    data_path: str | Path,
    kind: ForEach,
    key: str | int,
    as_of: str | date | None,
    public: bool = True,
) -> tuple[Project, Scope]:
    """The project as the report may see it: only its scope (:mod:`scope`), which its run key hashes."""
    project = load_prepared(Path(params_dir), Path(data_path), BookPaths(Path.cwd()).prepared)
    scope = scope_report(kind, key, project.params, project.dataset, _as_of(as_of), public=public)
    return Project(params=scope.params, dataset=scope.dataset), scope


FIGURE_LABELS = {"sum": "Løbende sum over et år", "share": "Andel", "count": "Antal"}


def _figure_label(goal: Goal, status: compute.GoalStatus) -> str:
    """What the chart's line is: ``Løbende sum over 12 måneder``, ``Andel pr. kvartal``, ``Antal pr. måned``."""
    if goal.aggregation == "sum":
        return "Løbende sum over 4 kvartaler" if status.freq == "Q" else "Løbende sum over 12 måneder"
    per = "kvartal" if status.freq == "Q" else "måned"
    return f"{'Andel' if status.share else 'Antal'} pr. {per}"


def _history_figure(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: compute.GoalStatus
) -> tuple[PlotFigure, str]:
    data = project.dataset.until(cutoff)
    values, denominator = goal_series(project.params, data, goal)
    series = compute.monthly_figure(values, denominator, goal.aggregation)
    first_year = _chart_first_year(goal, contract_year)
    series = series[series.index >= year_periods(first_year, freq_of_index(series.index))[0]]
    measure = project.params.measures[goal.measure]
    figure = charts.plot_goal_history(
        series,
        goal,
        measure,
        contract_year,
        status.baseline,
        status.target,
        cutoff,
        figure_label=_figure_label(goal, status),
        first_year=first_year,
        target_when=compute.target_period(goal, status.freq, contract_year),
    )
    return figure, charts.describe_goal_history(goal, measure, series, status.baseline, status.target, cutoff)


def _chart_first_year(goal: Goal, contract_year: int) -> int:
    return min(goal.baseline_span.first.year, contract_year - CHART_FIRST_YEAR_BACK)


def _missing_note(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: compute.GoalStatus | None = None
) -> present.Markdown | None:
    """A note naming the figures missing in the chart's window, and for which job centres (never filled in)."""
    data = project.dataset.until(cutoff)
    values, denominator = goal_series(project.params, data, goal)
    freq = freq_of_index(values.index)
    window = [p for p in values.index if p >= year_periods(_chart_first_year(goal, contract_year), freq)[0]]
    missing = compute.missing_figures(
        project.params, data, goal, compute.missing_periods(values, denominator, pd.PeriodIndex(window, freq=freq))
    )
    estimates = (
        status is not None
        and not status.final
        and status.figures.forecast.known
        and any(m.part == "year" and not m.everywhere for m in status.missing)
    )
    return present.missing_note(missing, rolling=goal.aggregation == "sum", forecast_estimates=estimates)


def _where_we_stand(goal: Goal, status: compute.GoalStatus, project: Project, cutoff: pd.Period) -> str:
    """Where the goal's figure stands so far this year, in words that the figures support."""
    measure = project.params.measures[goal.measure]
    noun = capitalize(subject_clause(goal, measure))
    f = status.figures
    year = status.contract_year
    if not status.periods:
        if status.forecast.periods_observed == 0:
            return f"Der er endnu ikke offentliggjort tal for {year} for {subject(goal, measure)}."
        behind = compute.data_behind(project.dataset, cutoff, {m for m in (goal.measure, goal.denominator) if m})
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


# ---------------------------------------------------------------------------
# 1. Popular edition of the result contract
# ---------------------------------------------------------------------------


def _as_of(value: str | date | None) -> date | None:
    """The embargo date: nothing later than it is shown. Empty or None: no embargo."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def target_sentence(goal: Goal, status: compute.GoalStatus, project: Project, contract_year: int) -> str:
    """The target in words; a change target with the figure it comes to, from the baseline."""
    measure = project.params.measures[goal.measure]
    target = status.figures.target
    implied = None
    if goal.target.form == "change" and target.known:
        implied = f"{'højst' if goal.better == 'lower' else 'mindst'} {target.text}"
    return describe_target(goal, measure, contract_year, status.freq, implied)


def _figures_until(project: Project, cutoff: pd.Period, published: date, measures: set[str]) -> str:
    """``Tallene er opgjort til og med …``: the cut-off, or the data's last month when the data stop earlier."""
    behind = compute.data_behind(project.dataset, cutoff, measures)
    if behind is None:
        return (
            f"Tallene er opgjort til og med {format_month(cutoff)}, de seneste tal ved offentliggørelsen "
            f"{format_date(published)}."
        )
    return (
        f"De seneste tal i data er fra {format_month(behind)}. Ved offentliggørelsen {format_date(published)} "
        f"var tallene til og med {format_month(cutoff)} offentliggjort, men de er endnu ikke i data."
    )


def build_contract_report(
    params_dir: str | Path, data_path: str | Path, contract_year: int, as_of: str | date | None = None
) -> Report:
    project, scope = _scoped_project(params_dir, data_path, "contract", contract_year, as_of)
    params = project.params
    contract = params.contracts[int(contract_year)]
    council = params.council
    assert contract.published is not None  # a draft has no popular edition (scope_report refuses it)
    cutoff = compute.compute_cutoff(contract.published, council)
    # Where we stand when the contract is published: the cut-off year's figures so far.
    sections = []
    figures: dict[str, Any] = {"contract_year": contract.year, "cutoff": str(cutoff), "goals": []}
    sentences = []
    for number, goal in enumerate(contract.goals, start=1):
        measure = params.measures[goal.measure]
        latest = compute.compute_goal_status(params, project.dataset, goal, cutoff.year, cutoff)
        target_text = target_sentence(goal, latest, project, contract.year)
        sentences.append(target_text)
        stand = _where_we_stand(goal, latest, project, cutoff)
        baseline = latest.figures.baseline
        baseline_text = (
            f"Udgangspunktet er {format_period_code(goal.baseline)}, hvor {subject_clause(goal, measure)} var "
            f"{baseline.text}."
            if baseline.known
            else f"Udgangspunktet er {format_period_code(goal.baseline)}. "
            + present.describe_missing([m for m in latest.missing if m.part == "baseline"])
        )
        actions = prose_list(goal.actions)
        text = (
            f"**Målet:** {md_text(target_text)}\n\n"
            f"{labelled_markdown('Hvorfor er det vigtigt?', goal.why, bold=True)}\n\n"
            f"**Hvor står vi?** {md_text(baseline_text)} {md_text(stand)}\n\n"
            f"**Det gør rådet:**\n\n{actions}"
        )
        figure, alt = _history_figure(project, goal, contract.year, cutoff, latest)
        sections.append(
            Section(
                heading=present.Markdown(f"## Mål {number}: {md_text(goal.title)}"),
                text=present.Markdown(text),
                chart=present.Chart.from_figure(figure, alt=alt),
                note=_missing_note(project, goal, contract.year, cutoff),
            )
        )
        f = latest.figures
        figures["goals"].append(
            {
                "goal_id": goal.id,
                "target_text": target_text,
                "unit": f.actual.unit,
                **fig.json_fields("baseline", f.baseline),
                **fig.json_fields("target", f.target),
                **fig.json_fields("latest", f.actual),
                "latest_periods": list(latest.periods),
            }
        )
    sections += _plan_sections(params, contract.year, scope.as_of)
    intro = _intro(
        project,
        f"{council.name} har indgået en kontrakt med beskæftigelsesministeren om de vigtigste mål for "
        f"beskæftigelsesindsatsen i {contract.year}. Her er kontrakten fortalt kort og i almindeligt sprog."
        + (f" Kontrakten blev underskrevet {format_date(contract.signed)}." if contract.signed else ""),
        f"## Rådets mission\n\n{prose_markdown(council.mission)}",
        f"## Rådets vision\n\n{prose_markdown(council.vision)}",
        "## Rådets roller\n\n" + prose_list(council.roles),
        f"## Målene for {contract.year}\n\n"
        + "\n".join(f"{i}. {md_text(t)}" for i, t in enumerate(sentences, start=1)),
        _figures_until(project, cutoff, contract.published, set(goal_measure_ids(contract))),
    )
    provenance = collect_provenance(params, project.dataset, cutoff, scope)
    figures["provenance"] = provenance.as_dict()
    return Report(
        title=contract_title(contract.year),
        intro=intro,
        summary=None,
        sections=sections,
        closing=present.Markdown(present.provenance_markdown(provenance)),
        figures=figures,
    )


def figures_until(project: Project, cutoff: pd.Period, contract: Contract) -> pd.Period:
    """The month a report's figures run to: the cut-off, or the data's last month when the data stop earlier."""
    behind = compute.data_behind(project.dataset, cutoff, set(goal_measure_ids(contract)))
    return behind if behind is not None else cutoff


def goal_measure_ids(contract: Contract) -> list[str]:
    """The measures the contract's goals are measured on (measure and denominator)."""
    return [m for g in contract.goals for m in (g.measure, g.denominator) if m]


def _plan_sections(params, year: int, as_of: date | None) -> list[Section]:
    """The meeting plan for the year and the annual cycle as a figure. A meeting not yet held by
    ``as_of`` shows only its date and kind: its own texts are under embargo."""
    meetings = [m for m in params.meetings if m.date.year == year]
    sections = []
    if meetings:
        rows = [
            [
                format_date(m.date),
                MEETING_KIND_LABELS_DA[m.kind],
                (m.theme or "") if as_of is None or m.date <= as_of else "",
            ]
            for m in meetings
        ]
        sections.append(
            Section(
                heading=present.Markdown(f"## Rådets møder i {year}"),
                text=present.Markdown("Status på kontraktens mål drøftes ved hvert møde."),
                table=present.Table(
                    columns=["Dato", "Møde", "Tema"], rows=rows, caption=f"Mødeplan {year}", stacked=True
                ),
            )
        )
    kinds = {"contract": "contract", "seminar": "seminar"}
    events = [
        (m.date, f"{m.date.day}/{m.date.month} {MEETING_KIND_LABELS_DA[m.kind]}", kinds.get(m.kind, "meeting"))
        for m in meetings
    ]
    contract = params.contracts.get(year)
    if contract is not None and contract.signed and contract.signed.year == year:
        events.append(
            (contract.signed, f"{contract.signed.day}/{contract.signed.month} Kontrakt underskrevet", "contract")
        )
    evaluation = params.evaluations.get(year)
    if evaluation is not None:
        events.append((evaluation.date, f"{evaluation.date.day}/{evaluation.date.month} Evaluering", "evaluation"))
    merged: dict[date, tuple[date, str, str]] = {}
    for day, label, kind in sorted(events):
        if day in merged:  # one label per day: "20/3 Kontraktmøde og kontrakt underskrevet"
            first = merged[day]
            merged[day] = (day, f"{first[1]} og {label.split(' ', 1)[1].lower()}", first[2])
        else:
            merged[day] = (day, label, kind)
    events = list(merged.values())
    if events:
        figure = charts.plot_annual_cycle(year, events)
        alt = (
            f"Årshjul for {year} med "
            + "; ".join(f"{format_date(d)}: {label.split(' ', 1)[1]}" for d, label, _ in sorted(events))
            + "."
        )
        sections.append(
            Section(
                heading=present.Markdown(f"## Årshjulet {year}"),
                text=present.Markdown("Rådets møder og andre faste begivenheder i løbet af året."),
                chart=present.Chart.from_figure(figure, alt=alt),
            )
        )
    return sections


# ---------------------------------------------------------------------------
# 2. Status on the goals at a meeting
# ---------------------------------------------------------------------------


def status_line(goal: Goal, status: compute.GoalStatus) -> str:
    """A goal's status in one line of plain text: symbol and word, then the forecast against the target."""
    line = present.status_cell(status.status)
    f = status.figures
    if f.forecast.known and f.target.known:
        word = "resultatet" if status.final else "prognosen"
        line += f" – {word} for {status.contract_year} er {f.forecast.text} mod målet {present.target_cell(status)}"
    return line


def _forecast_what(goal: Goal, status: compute.GoalStatus) -> str:
    if goal.aggregation == "end_of_period":
        return f"værdien i {format_period(compute.target_period(goal, status.freq, status.contract_year))}"
    return f"hele {status.contract_year}"


def describe_forecast(status: compute.GoalStatus, goal: Goal) -> str:
    """The forecast (or the final result) in words, with its range and why figures are estimated or missing."""
    f = status.figures
    what = _forecast_what(goal, status)
    year_missing = [m for m in status.missing if m.part == "year" and not m.everywhere]
    base_missing = [m for m in status.missing if m.part == "baseline"]
    unknown_target = ""
    if not f.target.known and base_missing:
        period = format_period_code(status.baseline_period)
        if status.target_at_least is not None and status.status != "unknown":
            lower = fig.level(status.target_at_least, status.share).text
            unknown_target = (
                f" Udgangspunktet ({period}) kan ikke opgøres præcist, men de kendte tal giver mindst {lower}, og det "
                f"er nok til at afgøre status. {present.describe_missing(base_missing)}"
            )
        else:
            unknown_target = (
                f" Målet kan ikke vurderes, fordi udgangspunktet ({period}) ikke kan opgøres. "
                + present.describe_missing(base_missing)
            )
    if not f.forecast.known:
        if status.final and year_missing and status.at_least is not None:
            bound = fig.level(status.at_least, False).text
            verdict = "målet er nået" if status.status == "attained" else "målet er ikke nået"
            return (
                f"Resultatet for {what} kan ikke opgøres præcist, fordi der mangler tal, men det er mindst {bound} "
                f"(de kendte tal), så {verdict} ({present.target_cell(status)}). "
                + present.describe_missing(year_missing)
            )
        if status.final and year_missing:
            why = present.describe_missing(year_missing)
            return f"Resultatet for {what} kan ikke opgøres, fordi der mangler tal. {why}" + unknown_target
        if status.status == "no_data":
            return "Uden tal for året er der ingen prognose." + unknown_target
        last_missing = [m for m in status.missing if m.part == "last_year"]
        why = f" {present.describe_missing(last_missing)}" if last_missing else ""
        return "Der er ikke tal nok til en prognose for året." + why + unknown_target
    if status.final:
        return f"Resultatet for {what} er {f.forecast.text}." + unknown_target
    text = f"Prognosen for {what} er {f.forecast.text}"
    typical = status.forecast.typical_error
    if not math.isnan(typical):
        error = (
            f"{format_number(typical, 1)} procentpoint"
            if status.forecast.error_unit == "pp"
            else format_percent(typical)
        )
        how_far = f"prognosen har i tidligere år på dette tidspunkt typisk ligget {error} fra det faktiske resultat"
        if f.low.known and f.low.rounded != f.high.rounded:
            text += f" (mellem {f.low.text} og {f.high.text}; {how_far})"
        else:
            text += f" ({how_far})"
    text += "."
    if year_missing:
        estimated = ", ".join(format_period_code(m.period) for m in year_missing)
        text += f" Prognosen skønner {estimated} ud fra sidste års mønster, fordi tallet mangler."
    return text + unknown_target


SIGNAL_WORDS = {
    "outside": "et punkt uden for kontrolgrænserne",
    "run": "mindst 7 punkter i træk på samme side af gennemsnittet",
    "trend": "mindst 7 punkter i træk, der stiger eller falder",
}


def describe_xmr(xmr, cutoff: pd.Period) -> str:
    """Is the change real? In words, from the signals in the last 12 months."""
    if xmr is None:
        return "Serien har for få punkter til en vurdering af, om ændringen er reel (mindst 10 kræves)."
    recent = [s for s in xmr.signals if last_month(s.last) > cutoff - 12]
    if not recent:
        return (
            "**Er ændringen reel?** Det seneste år ligger inden for den variation, serien plejer at have: "
            "der er ingen signaler, så udsvingene er tilfældige."
        )
    parts = []
    for judgement, word in (("improvement", "forbedring"), ("concern", "bekymring")):
        kinds = sorted({SIGNAL_WORDS[s.kind] for s in recent if s.judgement == judgement})
        if kinds:
            parts.append(f"tegn på {word}: {', '.join(kinds)}")
    return "**Er ændringen reel?** Det seneste år viser " + "; ".join(parts) + "."


def describe_jobcentre_changes(table: pd.DataFrame, share: bool, better: str = "lower", count: int = 3) -> str:
    """The job centres with the best and the worst change against last year, in words (``table`` as from
    :func:`compute.compute_jobcentre_table`, best change first): the best among those that improved, the worst
    among those that got worse, with every job centre tied with the last one named."""

    def moved(row: Any) -> fig.Quantity:
        return fig.change(fig.level(row.actual, share), fig.level(row.last_year, share))

    def name(row: Any) -> str:
        return f"{md_text(row.jobcentre)} ({moved(row).text})"

    ranked = table.dropna(subset=["rank"])
    if len(ranked) < 2 * count:
        return ""
    good_sign = 1 if better == "higher" else -1
    improved = [r for r in ranked.itertuples() if moved(r).sign == good_sign]
    worsened = [r for r in ranked.itertuples() if moved(r).sign == -good_sign][::-1]
    parts = [
        "**Bedste udvikling mod året før:** "
        + (", ".join(name(r) for r in _with_ties(improved, count)) if improved else "ingen jobcentre er blevet bedre")
        + ".",
        "**Dårligste udvikling mod året før:** "
        + (
            ", ".join(name(r) for r in _with_ties(worsened, count))
            if worsened
            else "ingen jobcentre er blevet dårligere"
        )
        + ".",
    ]
    return "\n\n".join(parts)


def _with_ties(rows: list[Any], count: int) -> list[Any]:
    """The first ``count`` rows, and any after them with the same rank as the last of those."""
    if len(rows) <= count:
        return rows
    last = rows[count - 1].rank
    return rows[:count] + [r for r in rows[count:] if r.rank == last]


def describe_relative(ratio: float) -> str:
    """``12 % over det forventede`` (as shown, whole per cent), or ``som forventet``."""
    pct = fig.Quantity((ratio - 1) * 100, "percent", 0)
    if pct.sign == 0:
        return "som forventet"
    return f"{format_percent(abs(pct.value), 0)} {'over' if pct.sign > 0 else 'under'} det forventede"


def describe_adjusted(table: pd.DataFrame, better: str, count: int = 3) -> str:
    """The job centres with the best results and those with particular challenges, in words: among the ranked
    job centres on the good and the bad side of their expected level as shown (never one "som forventet");
    those whose expected level is not meaningful or uncertain are named apart."""

    def name(row: Any) -> str:
        return f"{md_text(row.jobcentre)} ({describe_relative(row.actual_over_expected)})"

    ranked = table.dropna(subset=["adjusted_rank"]).sort_values(["adjusted_rank", "jobcentre"])
    parts = []
    if len(ranked) >= 2 * count:
        side = [fig.Quantity((r.actual_over_expected - 1) * 100, "percent", 0).sign for r in ranked.itertuples()]
        good_sign = 1 if better == "higher" else -1
        rows = list(ranked.itertuples())
        good = [r for r, sign in zip(rows, side, strict=True) if sign == good_sign][:count]
        bad = [r for r, sign in zip(rows, side, strict=True) if sign == -good_sign][::-1][:count]
        if good:
            parts.append(f"**Gode resultater i forhold til rammevilkårene:** {', '.join(name(r) for r in good)}.")
        if bad:
            parts.append(f"**Særlige udfordringer i forhold til rammevilkårene:** {', '.join(name(r) for r in bad)}.")
    flagged = table[table["flag"] != ""]
    if len(flagged):
        names = ", ".join(f"{md_text(r.jobcentre)} ({present.FLAG_TEXTS[r.flag]})" for r in flagged.itertuples())
        parts.append(f"**Ikke rangeret**, fordi det forventede niveau ikke kan bruges: {names}.")
    return "\n\n".join(parts)


def describe_fit(fit, framework_years: tuple[int, ...] = ()) -> str:
    years = ""
    if framework_years:
        shown = str(framework_years[0]) if len(framework_years) == 1 else f"{framework_years[0]}-{framework_years[-1]}"
        years = f" Rammevilkårene er tallene for {shown}, de seneste offentliggjorte, da materialet blev lavet."
    if fit.method == "expected_measure":
        return (
            "Det forventede niveau er jobindsats.dk's eget mål for det forventede niveau givet rammevilkårene." + years
        )
    if fit.method == "none":
        return "Der er ingen rammevilkår i parametrene at beregne et forventet niveau ud fra."
    if math.isnan(fit.r2):
        return (
            f"Der er for få jobcentre med tal ({fit.n}) til at beregne et forventet niveau ud fra rammevilkårene."
            + years
        )
    weak = (
        " Rammevilkårene forklarer kun lidt af forskellene, så sammenligningen på lige vilkår er usikker."
        if fit.r2 < WEAK_FIT
        else ""
    )
    return (
        f"Det forventede niveau er beregnet ved en regression over regionens {fit.n} jobcentre på "
        f"rammevilkårene; rammevilkårene forklarer {format_percent(fit.r2 * 100, 0)} af forskellene (R²)."
        + weak
        + years
    )


WEAK_FIT = 0.2  # below this R², the report says the comparison on equal terms is uncertain


def agenda_section(meeting, members: bool, params=None, as_of: date | None = None) -> Section:
    """The agenda with decisions. In public a confidential item shows only "Lukket punkt" and its
    decision; its title, case text, recommendation and follow-up appear only for members. With an
    embargo date, decisions show once the minutes are approved (objection period passed)."""
    lines = []
    show_decisions = True
    if as_of is not None and params is not None:
        state = minutes_state(meeting, params, as_of)
        show_decisions = state.state == "approved"
        if state.state == "approved" and state.objections_end:
            lines += [
                f"Beslutningsreferatet er godkendt (indsigelsesfristen udløb {format_date(state.objections_end)}).",
                "",
            ]
        elif state.state == "draft" and state.objections_end:
            lines += [
                f"Beslutningsreferatet er et udkast; beslutningerne offentliggøres, når indsigelsesfristen "
                f"{format_date(state.objections_end)} er udløbet uden indsigelser.",
                "",
            ]
        else:
            lines += [
                "Beslutningsreferatet er endnu ikke udsendt; beslutningerne offentliggøres, når det er godkendt.",
                "",
            ]
    for number, item in enumerate(meeting.agenda, start=1):
        kind = "Til beslutning" if item.type == "decision" else "Til orientering"
        hidden = item.confidential and not members
        title = CLOSED_ITEM if hidden else item.title + (" (fortroligt)" if item.confidential else "")
        lines.append(f"**{number}. {md_text(title)}** – {kind}")
        lines.append("")
        if not hidden and item.case_text:
            lines += [prose_markdown(item.case_text), ""]
        if not hidden and item.recommendation:
            lines += [labelled_markdown("Indstilling:", item.recommendation), ""]
        if item.decision and show_decisions:
            lines += [labelled_markdown("Beslutning:", item.decision), ""]
        if not hidden and item.follow_up:
            lines += [labelled_markdown("Opfølgning:", item.follow_up), ""]
    if not lines:
        lines = ["Der er ingen punkter på dagsordenen i parametrene."]
    return Section(heading=present.Markdown("## Dagsorden og beslutninger"), text=present.Markdown("\n".join(lines)))


def build_status_report(
    params_dir: str | Path,
    data_path: str | Path,
    meeting_date: str | date,
    as_of: str | date | None = None,
    members: bool = False,
) -> Report:
    day = meeting_date if isinstance(meeting_date, date) else date.fromisoformat(str(meeting_date))
    project, scope = _scoped_project(params_dir, data_path, "meeting", day.isoformat(), as_of, public=not members)
    meeting = project.params.meeting_on(day)
    result = compute.compute_meeting_status(project.params, project.dataset, meeting)
    return status_report(project, result, scope.as_of, members, scope)


STATUS_WORDS = {
    "on_track": "✔ på rette spor",
    "at_risk": "⚠ i risiko",
    "off_track": "✖ ikke på rette spor",
    "attained": "✔ opfyldt",
    "not_attained": "✖ ikke opfyldt",
    "unknown": "? kan ikke vurderes",
    "no_data": "? ingen tal endnu",
}
OVERVIEW_WORDS = {**{k: v[2:] for k, v in STATUS_WORDS.items()}, "no_data": "uden tal endnu"}


def status_overview(statuses: list[compute.GoalStatus]) -> str:
    """``3 på rette spor, 1 i risiko, 2 uden tal endnu``: how many goals have each status."""
    counts = {key: sum(g.status == key for g in statuses) for key in STATUS_WORDS}
    return ", ".join(f"{n} {OVERVIEW_WORDS[k]}" for k, n in counts.items() if n)


def _period_words(statuses: list[compute.GoalStatus]) -> str:
    kinds = {g.freq for g in statuses}
    if kinds == {"Q"}:
        return "kvartaler"
    return "måneder (kvartaler for mål med kvartalstal)" if "Q" in kinds else "måneder"


def status_report(
    project: Project,
    result: compute.MeetingStatus,
    as_of: str | date | None = None,
    members: bool = False,
    scope: Scope | None = None,
) -> Report:
    """The status report from a meeting's computed status (for callers that have it already)."""
    params = project.params
    meeting = result.meeting
    contract: Contract = result.contract
    which = "endelig status" if result.final else "status"
    shown_until = figures_until(project, result.cutoff, contract)
    summary = present.meeting_status_table(
        result, caption=f"Kontraktens mål {contract.year}, {which} med tal til og med {format_month(shown_until)}"
    )
    previous = next((d.previous_meeting for d in result.details.values() if d.previous_meeting), None)
    shown = [STATUS_WORDS[k] for k in STATUS_WORDS if any(g.status == k for g in result.goals)]
    draft = (
        f" Kontrakten for {contract.year} er endnu et udkast og ikke offentliggjort; målene kan nå at ændre sig."
        if contract.draft
        else ""
    )
    intro = _intro(
        project,
        f"**{MEETING_KIND_LABELS_DA[meeting.kind]}** {format_date(meeting.date)}"
        + (f", {md_text(meeting.place)}" if meeting.place else "")
        + (f". Tema: {md_text(meeting.theme)}" if meeting.theme else "")
        + ".",
        f"Materialet er udarbejdet til {format_date(result.pack_date)} med tal til og med "
        f"**{format_month(shown_until)}**"
        + (
            f" (de seneste i data; tallene til og med {format_month(result.cutoff)} var offentliggjort, da "
            "materialet blev lavet, men er endnu ikke i data)"
            if shown_until < result.cutoff
            else ""
        )
        + f". Det viser {which} for kontrakten {contract.year}: {status_overview(result.goals)}.{draft}",
        "Status bygger på "
        + ("resultatet for året" if result.final else "prognosen for året")
        + " sammenholdt med målet, som de står i tabellen, og vises med symbol og ord: "
        + ", ".join(shown)
        + ". "
        + f"*Faktisk hidtil* er tallet for årets {_period_words(result.goals)} til og med "
        f"{format_month(shown_until)} og *udvikling* ændringen mod de samme perioder året før "
        "(i procentpoint for andele, i procent for antal)"
        + (
            f"; *prognose siden sidste møde* sammenligner med prognosen til mødet {format_date(previous)}."
            if previous
            else "."
        ),
        "Metoderne er beskrevet på siden *Metode*.",
    )
    sections = []
    for number, (goal, status) in enumerate(zip(contract.goals, result.goals, strict=True), start=1):
        measure = params.measures[goal.measure]
        detail = result.details[goal.id]
        caption_period = (
            format_periods(period_from_code(status.periods[0]), period_from_code(status.periods[-1]))
            if status.periods
            else format_month(result.cutoff)
        )
        if status.excluded and status.aggregation != "end_of_period" and status.periods:
            caption_period += " uden " + ", ".join(format_period_code(code) for code in status.excluded)
        text = (
            f"**Målet:** {md_text(target_sentence(goal, status, project, contract.year))}\n\n"
            f"**Status:** {present.status_cell(status.status)}. "
            f"{md_text(describe_forecast(status, goal))} "
            f"{md_text(_where_we_stand(goal, status, project, result.cutoff))}\n\n"
            f"{describe_xmr(detail.xmr, result.cutoff)}"
        )
        sections.append(
            Section(
                heading=present.Markdown(f"## Mål {number}: {md_text(goal.title)}"),
                text=present.Markdown(text),
                chart=_with_forecast(project, goal, contract.year, result.cutoff, status),
                note=_missing_note(project, goal, contract.year, result.cutoff, status),
            )
        )
        if detail.xmr is not None:
            per = "kvartal" if status.freq == "Q" else "måned"
            figure = charts.plot_xmr(
                detail.xmr.points,
                detail.xmr.centre,
                detail.xmr.lower,
                detail.xmr.upper,
                detail.xmr.signals,
                goal,
                measure,
                f"{'Andel' if status.share else 'Antal'} pr. {per}",
            )
            unit = "kvartaler" if status.freq == "Q" else "måneder"
            sections.append(
                Section(
                    heading=present.Markdown(f"### Er ændringen reel? (mål {number})"),
                    text=present.Markdown(
                        f"Kontrolgrænserne er beregnet ud fra de {detail.xmr.baseline_points} {unit} før "
                        f"{contract.year}. Punkter med ▲ eller ▼ er signaler om en reel ændring."
                    ),
                    chart=present.Chart.from_figure(figure, alt=charts.describe_xmr_chart(goal, measure, detail.xmr)),
                )
            )
        if not status.periods:  # no figures for the year yet: no job centre to compare
            sections.append(
                Section(
                    heading=present.Markdown(f"### Jobcentrene (mål {number})"),
                    text=present.Markdown(f"Der er endnu ingen tal for jobcentrene for {contract.year}."),
                )
            )
            continue
        sections.append(
            Section(
                heading=present.Markdown(f"### Jobcentrene (mål {number})"),
                text=present.Markdown(
                    "Udviklingen i hvert jobcenter over de samme perioder som regionen; placering efter "
                    "udviklingen mod året før, som den er vist (procentpoint for andele).\n\n"
                    + describe_jobcentre_changes(result.jobcentres[goal.id], status.share, goal.better)
                ),
                table=replace(
                    present.jobcentre_table(
                        result.jobcentres[goal.id], status, caption=f"{goal.title}: jobcentrene, {caption_period}"
                    ),
                    collapsed=f"Vis tabellen med alle {len(result.jobcentres[goal.id])} jobcentre (mål {number})",
                ),
            )
        )
        adjusted = detail.adjusted.table
        if adjusted["actual_over_expected"].notna().any():
            sections.append(
                Section(
                    heading=present.Markdown(f"### Jobcentrene på lige vilkår (mål {number})"),
                    text=present.Markdown(
                        f"{describe_adjusted(adjusted, goal.better)}\n\n"
                        f"{describe_fit(detail.adjusted.fit, detail.adjusted.framework_years)} Et forhold under 1 "
                        "betyder et lavere niveau end forventet."
                    ),
                    chart=present.Chart.from_figure(
                        charts.plot_adjusted(adjusted, goal), alt=charts.describe_adjusted_chart(goal, adjusted)
                    ),
                    table=replace(
                        present.adjusted_table(
                            adjusted,
                            goal,
                            status,
                            caption=f"{goal.title}: jobcentrene i forhold til rammevilkårene, {caption_period}",
                        ),
                        collapsed=f"Vis tabellen med alle {len(adjusted)} jobcentre på lige vilkår (mål {number})",
                    ),
                )
            )
        spread = detail.spread.dropna(subset=["iqr"])
        if len(spread):
            sections.append(
                Section(
                    heading=present.Markdown(f"### Spredningen, der ikke forklares af rammevilkår (mål {number})"),
                    text=present.Markdown(
                        "Rådet arbejder for at mindske spredningen mellem jobcentrenes resultater, der ikke kan "
                        "forklares med rammevilkår. " + describe_spread(spread, goal.aggregation == "end_of_period")
                    ),
                    table=present.spread_table(
                        spread, f"{goal.title}: spredning år for år", goal.aggregation == "end_of_period"
                    ),
                )
            )
    embargo = _as_of(as_of)
    if members or embargo is None or meeting.date <= embargo:
        # Right after the goals' summary: what the council dealt with and decided, before the detail.
        sections.insert(0, agenda_section(meeting, members, params, embargo))
    provenance = collect_provenance(params, project.dataset, result.cutoff, scope)
    figures = present.status_figures(result)
    figures["provenance"] = provenance.as_dict()
    return Report(
        title=meeting_title(meeting),
        intro=intro,
        summary=summary,
        sections=sections,
        closing=present.Markdown(present.provenance_markdown(provenance)),
        figures=figures,
        glued={
            status_line_key(goal): status_line(goal, status)
            for goal, status in zip(contract.goals, result.goals, strict=True)
        },
    )


def describe_spread(spread: pd.DataFrame, end_of_period: bool = False) -> str:
    """The spread's development in words, from the figures as the table shows them (3 decimals)."""
    first, last = spread.iloc[0], spread.iloc[-1]
    a = fig.Quantity(float(first["iqr"]), "ratio", present.SPREAD_DECIMALS)
    b = fig.Quantity(float(last["iqr"]), "ratio", present.SPREAD_DECIMALS)
    labels = [
        present.spread_period(int(r["year"]), int(r["periods"]), int(r["periods_in_year"]), end_of_period)
        for r in (first, last)
    ]
    first_label, last_label = labels
    if len(spread) == 1:
        return f"Målt ved interkvartilafstanden for *faktisk ÷ forventet* er den {a.text} i {first_label}."
    if a.rounded == b.rounded:
        trend = f"uændret på {a.text} fra {first_label} til {last_label}"
    else:
        word = "mindsket" if b.rounded < a.rounded else "øget"
        trend = f"{word} fra {a.text} i {first_label} til {b.text} i {last_label}"
    return f"Målt ved interkvartilafstanden for *faktisk ÷ forventet* er den {trend}."


def _with_forecast(
    project: Project, goal: Goal, contract_year: int, cutoff: pd.Period, status: compute.GoalStatus
) -> present.Chart:
    figure, alt = _history_figure(project, goal, contract_year, cutoff, status)
    measure = project.params.measures[goal.measure]
    f = status.forecast
    when = compute.target_period(goal, status.freq, contract_year)
    if not status.final and last_month(when) > cutoff and status.figures.forecast.known:
        charts.add_forecast(figure, goal, measure, f.value, f.low, f.high, when)
        alt += f" Prognosen for året er {status.figures.forecast.text}."
    return present.Chart.from_figure(figure, alt=alt)


def _evaluation_sections(result: compute.EvaluationResult, project: Project) -> list[Section]:
    params = project.params
    contract = result.contract
    goals = contract.goals
    sections = []
    attainment = result.jobcentre_attainment.pivot(index="jobcentre_id", columns="goal_id", values="attained")
    names = {jc.id: jc.name for jc in params.council.job_centres}
    rows, classes = [], []
    for jc in params.council.job_centres:
        raw = [attainment.loc[jc.id, g.id] if jc.id in attainment.index else None for g in goals]
        marks = [None if v is None or pd.isna(v) else bool(v) for v in raw]
        count = sum(m is True for m in marks)
        rows.append([names[jc.id], *(present.attained_cell(m)[:1] for m in marks), f"{count} af {len(goals)}"])
        classes.append(["", *(present.STATUS_CLASSES[m] for m in marks), ""])
    sections.append(
        Section(
            heading=present.Markdown("## Jobcentrenes målopfyldelse"),
            text=present.Markdown(
                "Hvert jobcenter er målt mod sit eget udgangspunkt: samme procentvise ændring eller andel som "
                "regionens mål, eller en forbedring for mål uden tal. ✔ opfyldt, ✖ ikke opfyldt, ? ikke opgjort. "
                "Målene er nummereret som ovenfor."
            ),
            table=present.Table(
                columns=["Jobcenter", *(f"Mål {i}" for i in range(1, len(goals) + 1)), "Opfyldt"],
                rows=rows,
                cell_classes=classes,
                numeric=(len(goals) + 1,),
                caption=f"Målopfyldelse pr. jobcenter, {contract.year}",
                compact=True,
            ),
        )
    )
    years = sorted({int(y) for frame in result.spread.values() for y in frame["year"]})
    spread_rows = []
    for year in years:
        row = [str(year)]
        for goal in goals:
            frame = result.spread[goal.id]
            match = frame[frame["year"] == year]
            row.append(format_number(float(match["iqr"].iloc[0]), present.SPREAD_DECIMALS) if len(match) else "–")
        spread_rows.append(row)
    sections.append(
        Section(
            heading=present.Markdown("## Spredningen mellem jobcentrene"),
            text=present.Markdown(
                "Interkvartilafstanden for jobcentrenes *faktisk ÷ forventet* år for år: jo mindre, jo mere ens er "
                "resultaterne, når der er taget højde for rammevilkårene (se *Metode*)."
            ),
            table=present.Table(
                columns=["År", *(f"Mål {i}" for i in range(1, len(goals) + 1))],
                rows=spread_rows,
                numeric=tuple(range(1, len(goals) + 1)),
                caption="Spredning, der ikke forklares af rammevilkår (interkvartilafstand)",
            ),
        )
    )
    meeting_rows, meeting_classes = [], []
    for record in result.meetings.to_dict(orient="records"):
        statuses = [record.get(g.id) for g in goals]
        meeting_rows.append(
            [
                format_date(record["date"]),
                MEETING_KIND_LABELS_DA[record["kind"]],
                str(record["contract_year"]),
                *(present.status_cell(st)[:1] if isinstance(st, str) else "–" for st in statuses),
            ]
        )
        meeting_classes.append(["", "", "", *(present.STATUS_CLASSES.get(st, "") for st in statuses)])
    sections.append(
        Section(
            heading=present.Markdown(f"## Status på målene ved rådets møder i {contract.year}"),
            text=present.Markdown(
                "Rådet drøfter status på kontraktens mål ved hvert møde. Tabellen viser status, som den var til hvert "
                "møde (✔ på rette spor eller opfyldt, ⚠ i risiko, ✖ ikke på rette spor eller ikke opfyldt, "
                "? kan ikke vurderes eller ingen tal endnu)."
            ),
            table=present.Table(
                columns=["Møde", "Type", "Kontrakt", *(f"Mål {i}" for i in range(1, len(goals) + 1))],
                rows=meeting_rows,
                cell_classes=meeting_classes,
                caption=f"Status ved møderne i {contract.year}",
                compact=True,
            ),
        )
    )
    decision_rows = [
        [
            format_date(r.date),
            r.title,
            plain_text(r.decision),
            plain_text(r.follow_up)
            if r.follow_up
            else ("ikke offentlig (lukket punkt)" if r.confidential else "ikke registreret"),
        ]
        for r in result.decisions
    ]
    waiting = [
        m.date
        for m in params.meetings
        if m.date.year == contract.year and any(i.type == "decision" and not i.decision for i in m.agenda)
    ]
    later = (
        " Beslutningerne fra "
        + (
            f"mødet {format_date(waiting[0])}"
            if len(waiting) == 1
            else "møderne " + ", ".join(map(format_date, waiting))
        )
        + " offentliggøres, når referatet er godkendt."
        if waiting
        else ""
    )
    sections.append(
        Section(
            heading=present.Markdown(f"## Beslutninger og opfølgning i {contract.year}"),
            text=present.Markdown("Rådets beslutninger og sekretariatets opfølgning på dem." + later),
            table=present.Table(
                columns=["Møde", "Punkt", "Beslutning", "Opfølgning"],
                rows=decision_rows,
                caption=f"Beslutninger i {contract.year}",
                stacked=True,
            ),
        )
    )
    if result.current is not None:
        current = result.current
        sections.append(
            Section(
                heading=present.Markdown(f"## Status for {current.contract.year} ved evalueringen"),
                text=present.Markdown(
                    f"Status for kontrakten {current.contract.year} med tal til og med "
                    f"{format_month(figures_until(project, current.cutoff, current.contract))}."
                ),
                table=present.goal_status_table(
                    current.contract, current.goals, caption=f"Kontraktens mål {current.contract.year} ved evalueringen"
                ),
            )
        )
    return sections


# ---------------------------------------------------------------------------
# 3. Yearly evaluation
# ---------------------------------------------------------------------------

KIND_ROWS_DA = {
    "ordinary": "Ordinære rådsmøder (inkl. temamøder)",
    "theme": "heraf med temadrøftelse",
    "contract": "Kontraktmøde",
    "seminar": "Strategiseminar",
}


def build_evaluation_report(
    params_dir: str | Path, data_path: str | Path, evaluation_year: int, as_of: str | date | None = None
) -> Report:
    project, scope = _scoped_project(params_dir, data_path, "evaluation", evaluation_year, as_of)
    params = project.params
    evaluation = params.evaluations[int(evaluation_year)]
    result = compute.compute_evaluation(params, project.dataset, evaluation)
    contract = result.contract
    attained_n = sum(a is True for a in result.attained)
    summary = present.attainment_table(
        contract,
        result.goals,
        result.attained,
        caption=f"Kontraktens mål {contract.year}: resultat for hele året",
    )
    activity_rows = []
    activity_classes = []
    for row in result.activity.itertuples():
        activity_rows.append([KIND_ROWS_DA[row.kind], str(row.expected), str(row.held), "✔ Ja" if row.met else "✖ Nej"])
        activity_classes.append(["", "", "", present.STATUS_CLASSES[bool(row.met)]])
    activity = present.Table(
        columns=["Mødetype", "Efter årshjulet", "Afholdt", "Opfyldt"],
        rows=activity_rows,
        cell_classes=activity_classes,
        numeric=(1, 2),
        caption=f"Rådets møder i {contract.year} i forhold til årshjulet",
        stacked=True,
    )
    limit = params.council.publication.minutes_within_days
    minutes_rows = []
    for row in result.minutes:
        minutes_rows.append(
            [
                format_date(row.date),
                MEETING_KIND_LABELS_DA[row.kind],
                format_date(row.minutes_sent) if row.minutes_sent else "ikke registreret",
                "–" if row.days is None else str(row.days),
                "? ukendt" if row.on_time is None else ("✔ Ja" if row.on_time else "✖ Nej"),
                "Ja" if row.press_release else "Nej",
            ]
        )
    minutes = present.Table(
        columns=["Møde", "Type", "Referat udsendt", "Dage efter mødet", f"Inden for {limit} dage", "Pressemeddelelse"],
        rows=minutes_rows,
        numeric=(3,),
        caption=f"Referater og pressemeddelelser i {contract.year}",
        stacked=True,
    )
    told = sum(a is not None for a in result.attained)
    outcome = f"{attained_n} af {len(contract.goals)} mål blev opfyldt."
    if told < len(contract.goals):
        outcome += (
            f" For {count_noun(len(contract.goals) - told, 'mål', 'mål')} kan resultatet for hele året ikke "
            "opgøres (se tabellen)."
        )
    intro = _intro(
        project,
        f"Evalueringen {format_date(evaluation.date)} ser tilbage på kontrakten for {contract.year}. {outcome} "
        f"Tallene er opgjort til og med {format_month(min(result.cutoff, month(contract.year, 12)))}.",
    )
    held = sum(1 for m in params.meetings if m.date.year == contract.year)
    cycle = params.council.annual_cycle
    sections = [
        Section(
            heading=present.Markdown(f"## Rådets møder i {contract.year}"),
            text=present.Markdown(
                f"Rådet holdt {count_noun(held, 'møde', 'møder')} i {contract.year}. Årshjulet forudsætter "
                f"{count_noun(cycle.ordinary, 'ordinært møde', 'ordinære møder')}, heraf {cycle.theme} med "
                f"temadrøftelse, {count_noun(cycle.contract, 'kontraktmøde', 'kontraktmøder')} og "
                f"{count_noun(cycle.seminar, 'strategiseminar', 'strategiseminarer')}."
            ),
            table=activity,
        ),
        Section(
            heading=present.Markdown("## Referater og pressemeddelelser"),
            text=present.Markdown(f"Referatet skal sendes til rådet senest {limit} dage efter mødet."),
            table=minutes,
        ),
    ]
    sections += _evaluation_sections(result, project)
    if evaluation.conclusions:
        sections.append(
            Section(
                heading=present.Markdown("## Rådets konklusioner"),
                text=present.Markdown(prose_list(evaluation.conclusions)),
            )
        )
    provenance = collect_provenance(params, project.dataset, result.cutoff, scope)
    figures = {
        "evaluation_year": evaluation.year,
        "covers": contract.year,
        "cutoff": str(result.cutoff),
        "goals": [
            {**present.goal_figures_json(goal, g), "attained": a}
            for goal, g, a in zip(contract.goals, result.goals, result.attained, strict=True)
        ],
        "activity": result.activity.to_dict(orient="records"),
        "jobcentre_attainment": present.plain_records(result.jobcentre_attainment),
        "spread": {goal_id: present.spread_json(frame) for goal_id, frame in result.spread.items()},
        "decisions": [{**asdict(d), "date": d.date.isoformat()} for d in result.decisions],
        "current": (
            [
                present.goal_figures_json(goal, g)
                for goal, g in zip(result.current.contract.goals, result.current.goals, strict=True)
            ]
            if result.current
            else None
        ),
        "provenance": provenance.as_dict(),
    }
    return Report(
        title=evaluation.title,
        intro=intro,
        summary=summary,
        sections=sections,
        closing=present.Markdown(present.provenance_markdown(provenance)),
        figures=figures,
    )
