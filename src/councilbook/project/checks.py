"""The parameters checked against each other and against the data: what loading a project finds beyond what each
file says on its own (:mod:`councilbook.parameters.checks` checks the files, :mod:`councilbook.data.ingest` the
figures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councilbook.core.errors import ComputeError, Problem, display_path
from councilbook.core.formats import format_date, format_month, join_and
from councilbook.core.periods import Freq, Span, month, parse_month, period_code, periods_within
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Goal, LevelTarget, Measure, Parameters, share_weight
from councilbook.project.cutoff import meeting_cutoff


def _goal_sources(params: Parameters) -> list[tuple[str, int, int, Goal]]:
    """(file shown, contract year, goal index, goal) for every goal."""
    return [
        (display_path(params.root / "contracts" / f"{year}.yml"), year, index, goal)
        for year, contract in params.contracts.items()
        for index, goal in enumerate(contract.goals)
    ]


def check_measures_present(params: Parameters, dataset: Dataset, data_path: Path) -> list[Problem]:
    """Every measure a goal uses is in the data, with monthly or quarterly figures (one frequency per goal)."""
    problems = []
    have = dataset.measures
    for shown, _year, index, goal in _goal_sources(params):
        freqs: dict[str, str] = {}
        for key in ("measure", "denominator", "expected_measure"):
            measure_id = getattr(goal, key)
            if measure_id is None:
                continue
            at = f"goals[{index}].{key}"
            if measure_id not in have:
                problems.append(
                    Problem(
                        shown, at, f"nøgletallet {measure_id!r} findes ikke i datamappen ({display_path(data_path)})"
                    )
                )
                continue
            found = dataset.frequencies(measure_id)
            if {"M", "Q"} <= found:
                problems.append(
                    Problem(
                        shown,
                        at,
                        f"nøgletallet {measure_id!r} har både tal for måneder og for kvartaler i data; "
                        "giv det med én hyppighed (eller som to nøgletal)",
                    )
                )
            elif not found & {"M", "Q"}:
                problems.append(
                    Problem(
                        shown,
                        at,
                        f"nøgletallet {measure_id!r} har kun årstal i data; et mål skal have tal for måneder eller "
                        "kvartaler",
                    )
                )
            else:
                freqs[key] = "M" if "M" in found else "Q"
        if len(set(freqs.values())) > 1:
            listed = join_and([f"{k} {'månedlig' if f == 'M' else 'kvartalsvis'}" for k, f in freqs.items()])
            problems.append(
                Problem(shown, f"goals[{index}]", f"målets nøgletal kommer med forskellig hyppighed ({listed})")
            )
        if freqs.get("measure") == "Q":
            problems.extend(_check_quarterly_goal(shown, index, goal))
    return problems


def _check_quarterly_goal(shown: str, index: int, goal: Goal) -> list[Problem]:
    """A quarterly goal's baseline holds whole quarters, and a level target's month ends a quarter."""
    problems = []
    if not len(periods_within(goal.baseline_span, "Q")):
        problems.append(
            Problem(
                shown,
                f"goals[{index}].baseline",
                f"{goal.baseline!r} rummer ikke et helt kvartal, og {goal.measure!r} har tal for kvartaler "
                "(brug et kvartal som 2012Q4, eller et år)",
            )
        )
    if isinstance(goal.target, LevelTarget) and goal.aggregation == "end_of_period":
        target_month = parse_month(goal.target.month)
        if target_month.month % 3:
            problems.append(
                Problem(
                    shown,
                    f"goals[{index}].target.month",
                    f"{goal.target.month!r} er ikke et kvartals sidste måned, og {goal.measure!r} har tal for "
                    f"kvartaler (brug {target_month.year}M{(target_month.quarter * 3):02d})",
                )
            )
    return problems


def _present(dataset: Dataset, measure_id: str) -> tuple[set[tuple[str, pd.Period]], pd.Period | None, Freq]:
    """(area, period) pairs the data hold for a measure (withheld ones included), its newest period, frequency."""
    freq = dataset.frequency(measure_id)
    series = dataset.monthly if freq == "M" else dataset.quarterly
    assert series is not None
    part = series[series.index.get_level_values("measure") == measure_id].index
    level = "month" if freq == "M" else "quarter"
    pairs = set(zip(part.get_level_values("area"), part.get_level_values(level), strict=True))
    newest = max((p for _a, p in pairs), default=None)
    return pairs, newest, freq


def check_goal_windows(params: Parameters, dataset: Dataset, data_path: Path) -> list[Problem]:
    """Every period a goal needs (its baseline, and its contract year with the year before, up to the
    newest period in the data) has a figure, or a withheld mark, for every job centre; a share has its
    weights; a ratio's numerator is never above its denominator."""
    problems = []
    shown_data = display_path(data_path)
    reported: set[tuple[str, pd.Period]] = set()
    present: dict[str, tuple[set[tuple[str, pd.Period]], pd.Period | None, Freq]] = {}
    for _shown, year, _index, goal in _goal_sources(params):
        for measure_id in filter(None, (goal.measure, goal.denominator)):
            if len(dataset.frequencies(measure_id) & {"M", "Q"}) != 1:
                continue  # reported by check_measures_present
            if measure_id not in present:
                present[measure_id] = _present(dataset, measure_id)
            have, newest, freq = present[measure_id]
            if newest is None:
                continue
            first = min(goal.baseline_span.first, month(year - 1, 1))
            window = [p for p in periods_within(Span(first, month(year, 12)), freq) if p <= newest]
            for period in window:
                if (measure_id, period) in reported:
                    continue
                missing = [
                    jc.name
                    for jc in params.council.job_centres
                    if (jc.area_key, period) not in have and not all((code, period) in have for code in jc.codes)
                ]
                if missing:
                    reported.add((measure_id, period))
                    names = join_and(missing[:5] + ([f"{len(missing) - 5} andre"] if len(missing) > 5 else []))
                    problems.append(
                        Problem(
                            shown_data,
                            f"{measure_id} {period_code(period)}",
                            f"der er intet tal for {names} (målet {goal.id!r} i contracts/{year}.yml skal bruge det); "
                            "et tal skjult af diskretionshensyn skal stå i filen som .. eller tomt, ikke udelades",
                        )
                    )
            measure = params.measures.get(measure_id)
            if measure is not None and measure.kind == "share" and window:
                problems.extend(_check_weights(params, dataset, measure, window[0].year, shown_data, goal.id, year))
        if goal.aggregation == "ratio" and goal.denominator:
            problems.extend(_check_ratio(params, dataset, goal, year, shown_data))
    return problems


def _check_weights(
    params: Parameters, dataset: Dataset, measure: Measure, first_year: int, shown: str, goal_id: str, year: int
) -> list[Problem]:
    """A share's weight is in the data for every municipality (or job centre with figures of its own), at
    the share's frequency or yearly from ``first_year`` or before."""
    weight_id = share_weight(measure, params.measures)
    if weight_id is None:
        return []  # reported with measures.yml
    freqs = dataset.frequencies(weight_id)
    if dataset.frequency(measure.id) in freqs:
        return []  # same periods; gaps show as missing figures
    if "Y" not in freqs:
        return [
            Problem(
                shown,
                weight_id,
                f"{measure.id!r} er en andel vægtet med {weight_id!r}, som ikke findes i data (som årstal, eller "
                f"med andelens hyppighed); målet {goal_id!r} i contracts/{year}.yml skal bruge den",
            )
        ]
    yearly = dataset.yearly(weight_id)
    early = yearly[yearly.index <= first_year]
    frame = dataset.frame(measure.id)
    areas = [a for a in frame.columns if not a.startswith("jc:")]
    missing = [a for a in areas if early.empty or a not in early.columns or early[a].isna().all()]
    if not missing:
        return []
    return [
        Problem(
            shown,
            weight_id,
            f"der er intet årstal for {join_and(missing[:5] + (['flere'] if len(missing) > 5 else []))} i "
            f"{first_year} eller før: {weight_id!r} vægter andelen {measure.id!r} (målet {goal_id!r} i "
            f"contracts/{year}.yml)",
        )
    ]


def _check_ratio(params: Parameters, dataset: Dataset, goal: Goal, year: int, shown: str) -> list[Problem]:
    """A ratio is a share of its denominator: the numerator may not exceed it (no share above 100 %)."""
    assert goal.denominator is not None
    try:
        above = dataset.frame(goal.measure)
        below = dataset.frame(goal.denominator).reindex(index=above.index, columns=above.columns)
    except ComputeError:
        return []  # reported by check_measures_present
    over = (above > below) & above.notna() & below.notna()
    cells = [(area, period) for area in over.columns for period in over.index[over[area].to_numpy()]]
    if not cells:
        return []
    listed = join_and(
        [f"{area} {period_code(period)}" for area, period in cells[:3]]
        + ([f"{len(cells) - 3} andre"] if len(cells) > 3 else [])
    )
    return [
        Problem(
            shown,
            f"{goal.measure} / {goal.denominator}",
            f"{goal.measure!r} er større end {goal.denominator!r} for {listed}: forholdet for målet {goal.id!r} i "
            f"contracts/{year}.yml ville blive over 100 %",
        )
    ]


def check_meeting_contracts(params: Parameters) -> list[Problem]:
    """Each meeting's data cut-off falls in a year that has a contract to report on."""
    problems = []
    for meeting in params.meetings:
        if meeting.date.year not in params.contracts:
            continue  # reported where the meetings are loaded
        cutoff = meeting_cutoff(meeting, params.council)
        if cutoff.year not in params.contracts:
            shown, index = params.meeting_places.get(meeting.date, (f"meetings/{meeting.date.year}.yml", 0))
            problems.append(
                Problem(
                    shown,
                    f"meetings[{index}].date",
                    f"{format_date(meeting.date)}: tallene til dette møde går til og med {format_month(cutoff)}, "
                    f"og der er ingen kontrakt for {cutoff.year} at gøre status på "
                    f"(tilføj contracts/{cutoff.year}.yml)",
                )
            )
    return problems
