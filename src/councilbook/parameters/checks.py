"""The rules that span fields or files of a parameters directory, which pydantic cannot check: ids used once,
a municipality in one job centre, a goal's measures in ``measures.yml`` and its baseline and target in the
contract's year, a meeting in its file's year and in a contract year, an evaluation of a contract year. Each
check returns the problems it found, naming the file and the key (:mod:`councilbook.parameters.load` adds the
line and column).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Set
from pathlib import Path
from typing import Any

from councilbook.core.errors import Problem, describe_where, display_path
from councilbook.core.formats import format_date, join_and
from councilbook.core.periods import PeriodCodeError, parse_month
from councilbook.parameters.meetings import Meeting
from councilbook.parameters.model import Contract, Council, Evaluation, LevelTarget, Measure, ShareTarget


def check_yearly_report(path: Path, year: int, published: dt.date, contracts: Set[int]) -> list[Problem]:
    """A yearly report on ``year``: the year has a contract (its goals are the report's measures) and the
    report is published after the year has ended."""
    shown = display_path(path)
    problems = []
    if year not in contracts:
        problems.append(Problem(shown, "year", f"der er ingen kontrakt for {year} (contracts/{year}.yml)"))
    if published.year <= year:
        problems.append(
            Problem(
                shown,
                "published",
                f"{format_date(published)} er før {year} er slut; offentliggør rapporten i {year + 1}",
            )
        )
    return problems


def duplicates(values: list[Any]) -> list[tuple[int, Any]]:
    counts = Counter(values)
    seen: set[Any] = set()
    found = []
    for index, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            found.append((index, value))
        seen.add(value)
    return found


def check_council(council: Council, path: Path) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, jc_id in duplicates([jc.id for jc in council.job_centres]):
        problems.append(
            Problem(
                shown,
                f"job_centres[{index}].id",
                f"jobcenteret {jc_id!r} står der allerede; et id må kun bruges én gang",
            )
        )
    served: dict[str, str] = {}
    for index, jc in enumerate(council.job_centres):
        for code in jc.codes:
            if code in served:
                problems.append(
                    Problem(
                        shown,
                        f"job_centres[{index}].municipalities",
                        f"kommune {code} hører allerede til jobcenteret {served[code]!r}",
                    )
                )
            served.setdefault(code, jc.id)
    return problems


def check_contract(contract: Contract, path: Path, measures: dict[str, Measure]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, goal_id in duplicates([g.id for g in contract.goals]):
        problems.append(
            Problem(shown, f"goals[{index}].id", f"målet {goal_id!r} står der allerede; et id må kun bruges én gang")
        )
    if contract.published is not None and contract.published.year not in (contract.year - 1, contract.year):
        problems.append(
            Problem(
                shown,
                "published",
                f"{format_date(contract.published)} ligger hverken i {contract.year - 1} eller {contract.year}",
            )
        )
    for index, goal in enumerate(contract.goals):
        at = f"goals[{index}]"
        for key in ("measure", "denominator"):
            measure_id = getattr(goal, key)
            if measure_id is not None and measures and measure_id not in measures:
                problems.append(Problem(shown, f"{at}.{key}", f"nøgletallet {measure_id!r} står ikke i measures.yml"))
        if goal.aggregation == "ratio" and goal.denominator is None:
            problems.append(Problem(shown, f"{at}.denominator", "skal udfyldes, når aggregation er 'ratio'"))
        if goal.aggregation != "ratio" and goal.denominator is not None:
            problems.append(
                Problem(
                    shown,
                    f"{at}.denominator",
                    "bruges kun, når aggregation er 'ratio'; slet den, eller ret aggregation",
                )
            )
        try:
            baseline = goal.baseline_span
        except PeriodCodeError as exc:
            problems.append(Problem(shown, f"{at}.baseline", str(exc)))
        else:
            if baseline.last.year >= contract.year:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.baseline",
                        f"{goal.baseline!r} skal slutte før kontraktåret {contract.year}",
                    )
                )
        target = goal.target
        if isinstance(target, LevelTarget):
            try:
                target_month = parse_month(target.month)
            except PeriodCodeError as exc:
                problems.append(Problem(shown, f"{at}.target.month", str(exc)))
            else:
                if target_month.year != contract.year:
                    problems.append(
                        Problem(
                            shown,
                            f"{at}.target.month",
                            f"{target.month!r} ligger ikke i kontraktåret {contract.year}",
                        )
                    )
        if isinstance(target, LevelTarget) and goal.aggregation != "end_of_period":
            december = f"{contract.year}M12"
            if target.month.strip() != december:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.target.month",
                        f"{target.month!r}: med aggregation {goal.aggregation!r} gælder målsætningen hele året; "
                        f"skriv month: {december} (et niveau i en bestemt måned kræver aggregation 'end_of_period')",
                    )
                )
        measure = measures.get(goal.measure)
        if isinstance(target, ShareTarget):
            if goal.aggregation != "ratio" and (measure is None or measure.kind != "share"):
                problems.append(
                    Problem(
                        shown,
                        f"{at}.target",
                        "en målsætning som andel kræver aggregation 'ratio' eller et nøgletal med kind 'share'",
                    )
                )
        if measure is not None and measure.kind == "share" and goal.aggregation in ("sum", "ratio"):
            problems.append(
                Problem(
                    shown,
                    f"{at}.aggregation",
                    f"{goal.aggregation!r}: {goal.measure!r} er en andel, og en andel lægges aldrig sammen "
                    "(brug 'average' eller 'end_of_period')",
                )
            )
        if goal.denominator is not None:
            below = measures.get(goal.denominator)
            if below is not None and below.kind == "share":
                problems.append(
                    Problem(
                        shown,
                        f"{at}.denominator",
                        f"{goal.denominator!r} er en andel; et forhold (ratio) er et antal delt med et antal",
                    )
                )
    return problems


def check_measures(measures: dict[str, Measure], path: Path) -> list[Problem]:
    shown = display_path(path)
    problems = []
    populations = [m.id for m in measures.values() if m.population]
    if len(populations) > 1:
        problems.append(
            Problem(
                shown,
                "measures",
                f"kun ét nøgletal kan være befolkningen (population: true); her er {len(populations)}: "
                f"{join_and(populations)}",
            )
        )
    for index, measure in enumerate(measures.values()):
        at = f"measures[{index}]"
        if measure.weight is not None:
            weight = measures.get(measure.weight)
            if measure.kind != "share":
                problems.append(Problem(shown, f"{at}.weight", "kun en andel har en vægt (weight)"))
            elif weight is None:
                problems.append(
                    Problem(shown, f"{at}.weight", f"nøgletallet {measure.weight!r} står ikke i measures.yml")
                )
            elif weight.kind != "count":
                problems.append(Problem(shown, f"{at}.weight", f"{measure.weight!r} er en andel; en vægt er et antal"))
        elif measure.kind == "share" and not populations:
            problems.append(
                Problem(
                    shown,
                    f"{at}.weight",
                    "en andel skal have en vægt for at lægge kommuner sammen (det nøgletal, den er en andel af, "
                    "eller et nøgletal med population: true)",
                )
            )
        if measure.kind == "share" and measure.population:
            problems.append(Problem(shown, f"{at}.population", "befolkningen er et antal, ikke en andel"))
    return problems


def check_meetings(sources: list[tuple[Path, int, Meeting]], contracts: set[int]) -> list[Problem]:
    problems = []
    dates: dict[dt.date, str] = {}
    for path, index, meeting in sources:
        shown = display_path(path)
        at = f"meetings[{index}]"
        year = int(path.stem)
        if meeting.date.year != year:
            problems.append(Problem(shown, f"{at}.date", f"{format_date(meeting.date)} ligger ikke i {year}"))
        elif meeting.date.year not in contracts:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"{format_date(meeting.date)}: der er ingen kontrakt for {meeting.date.year} "
                    f"(tilføj contracts/{meeting.date.year}.yml, fx med councilbook new contract {meeting.date.year})",
                )
            )
        if meeting.date in dates:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"der er allerede et møde den {format_date(meeting.date)} ({dates[meeting.date]})",
                )
            )
        dates.setdefault(meeting.date, f"{shown}: {describe_where(at)}")
        if meeting.kind == "theme" and not meeting.theme:
            problems.append(Problem(shown, f"{at}.theme", "et møde med temadrøftelse skal have et tema (theme)"))
        if meeting.minutes_sent is not None and meeting.minutes_sent < meeting.date:
            problems.append(Problem(shown, f"{at}.minutes_sent", f"{format_date(meeting.minutes_sent)} er før mødet"))
        for item_index, item in enumerate(meeting.agenda):
            if item.type == "decision" and not item.recommendation:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.agenda[{item_index}].recommendation",
                        "et punkt til beslutning skal have en indstilling (recommendation)",
                    )
                )
            if meeting.minutes_sent is not None and not item.decision:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.agenda[{item_index}].decision",
                        f"referatet blev sendt {format_date(meeting.minutes_sent)}, så hvert punkt skal have "
                        "beslutningen, som den blev truffet (ved et orienteringspunkt fx 'Rådet tog orienteringen til "
                        "efterretning.')",
                    )
                )
    return problems


def check_evaluation(evaluation: Evaluation, path: Path, contracts: set[int]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    if evaluation.date.year != evaluation.year:
        problems.append(Problem(shown, "date", f"{format_date(evaluation.date)} ligger ikke i {evaluation.year}"))
    if evaluation.covers not in contracts:
        problems.append(Problem(shown, "covers", f"der er ingen kontrakt for {evaluation.covers}"))
    if evaluation.covers >= evaluation.year:
        problems.append(
            Problem(shown, "covers", f"{evaluation.covers} skal være et år før evalueringsåret {evaluation.year}")
        )
    return problems
