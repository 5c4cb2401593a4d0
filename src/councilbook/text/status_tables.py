"""The goals' status and the job centres as cells and tables: one row per goal, the same cells in every output
(the book, the pack, the terminal and the JSON of ``councilbook status --json``), every figure formatted from the
one figure model (:mod:`councilbook.core.figures`); the missing figures in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from councilbook.analysis.benchmark import FLAG_NOT_MEANINGFUL, FLAG_UNCERTAIN
from councilbook.analysis.detail import GoalDetail, forecast_change
from councilbook.analysis.meeting import MeetingStatus
from councilbook.analysis.status import GoalStatus, MissingFigure
from councilbook.core import figures as fig
from councilbook.core.formats import (
    MISSING,
    STATUS_LABELS,
    format_number,
    format_period_code,
    format_periods,
)
from councilbook.core.links import jobcentre_page
from councilbook.core.periods import period_from_code
from councilbook.core.prose import escape_markdown
from councilbook.parameters.model import Contract, Goal
from councilbook.text.blocks import Markdown, Table

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    pass


STATUS_CLASSES = {
    "on_track": "cb-good",
    "attained": "cb-good",
    "at_risk": "cb-warn",
    "off_track": "cb-bad",
    "not_attained": "cb-bad",
    "unknown": "cb-none",
    "no_data": "cb-none",
    True: "cb-good",
    False: "cb-bad",
    None: "cb-none",
}


def status_cell(status: str) -> str:
    symbol, word = STATUS_LABELS[status]
    return f"{symbol} {word}"


def attained_cell(attained: bool | None) -> str:
    if attained is None:
        return "? Ikke opgjort"
    return "✔ Opfyldt" if attained else "✖ Ikke opfyldt"


# ---------------------------------------------------------------------------
# The goals' status: one row per goal, the same cells in every output
# ---------------------------------------------------------------------------

STATUS_COLUMNS: dict[str, str] = {
    "goal": "Mål",
    "target": "Målsætning",
    "actual": "Faktisk hidtil",
    "change": "Udvikling mod året før",
    "forecast": "Prognose for året",
    "status": "Status",
    "since_previous": "Prognose siden sidste møde",
}
PARTIAL_MARK = "¹"


def target_cell(status: GoalStatus) -> str:
    """``højst 9.000``, ``mindst 16,0 %``; for a direction-only goal its baseline: ``bedre end 22,9 % (2012)``;
    with a baseline figure missing, what can be said: ``bedre end 2016 (mindst 3.442)``."""
    target = status.figures.target
    period = format_period_code(status.baseline_period)
    lower = None if status.target_at_least is None else fig.level(status.target_at_least, status.share).text
    known = f" (mindst {lower})" if lower else " (kan ikke opgøres)"
    if status.target_form == "direction":
        return f"bedre end {target.text} ({period})" if target.known else f"bedre end {period}{known}"
    bound = "højst" if status.better == "lower" else "mindst"
    if target.known:
        return f"{bound} {target.text}"
    if status.target_form == "change" and status.change_percent is not None:
        share_of_base = format_number(100 + status.change_percent, 1 if status.change_percent % 1 else 0)
        return f"{bound} {share_of_base} % af {period}{known}"
    return MISSING


def change_cell(status: GoalStatus) -> str:
    """``-7,5 % ↓ bedre``: the change with its direction of travel in words."""
    moved = status.figures.change
    if not moved.known:
        return MISSING
    return f"{moved.text} {fig.direction(moved, status.better)}"


def forecast_cell(status: GoalStatus) -> str:
    """``9.024 (8.463-9.585)``: the forecast and its range; the result alone once the year is final."""
    f = status.figures
    if not f.forecast.known:
        return f"mindst {fig.level(status.at_least, False).text}" if status.at_least is not None else MISSING
    if status.final or not f.low.known or f.low.rounded == f.high.rounded:
        return f.forecast.text
    # en dash held to its numbers by word joiners, so the range never breaks inside
    return f"{f.forecast.text} ({f.low.text}\u2060–\u2060{f.high.text})"


def since_cell(status: GoalStatus, since: fig.Quantity | None) -> str:
    if since is None or not since.known:
        return MISSING
    return f"{since.text} {fig.direction(since, status.better)}"


def actual_cell(status: GoalStatus) -> str:
    text = status.figures.actual.text
    return text + PARTIAL_MARK if status.excluded and status.figures.actual.known else text


def result_cell(status: GoalStatus) -> str:
    """A finished year's result: the year's figure (the final forecast), "mindst …" when a figure is missing but
    the known ones settle it, else the figure for the periods that have one, marked."""
    if status.final and status.figures.forecast.known:
        return status.figures.forecast.text
    return forecast_cell(status) if status.at_least is not None else actual_cell(status)


def status_row(goal: Goal, status: GoalStatus, since: fig.Quantity | None) -> dict[str, str]:
    """A goal's status as the cells every output shows, keyed as :data:`STATUS_COLUMNS`."""
    return {
        "goal": goal.title,
        "target": target_cell(status),
        "actual": actual_cell(status),
        "change": change_cell(status),
        "forecast": forecast_cell(status),
        "status": status_cell(status.status),
        "since_previous": since_cell(status, since),
    }


def since_previous(result: MeetingStatus, status: GoalStatus) -> fig.Quantity | None:
    detail: GoalDetail | None = result.details.get(status.goal_id)
    if detail is not None:
        return detail.since_previous(status)
    if result.overview:  # compute_meeting_goals: the previous forecasts without the details
        before = result.previous.get(status.goal_id)
        return forecast_change(status, before[1] if before else None)
    return None


def partial_notes(statuses: Sequence[GoalStatus]) -> tuple[str, ...]:
    """The note a partial "actual" figure is marked with: which periods it leaves out, and why."""
    notes = []
    for status in statuses:
        if status.excluded and status.figures.actual.known:
            notes.append(f"{PARTIAL_MARK} {status.title}: {describe_partial(status)}")
    return tuple(notes)


def goal_status_table(
    contract: Contract,
    statuses: list[GoalStatus],
    caption: str,
    since: Sequence[fig.Quantity | None] | None = None,
) -> Table:
    """The overview: target, actual so far with its development, the year's forecast, status, and (given
    ``since``: at a meeting) the forecast's change since the previous meeting."""
    rows, classes = [], []
    moved = list(since) if since is not None else [None] * len(statuses)
    width = len(STATUS_COLUMNS) if since is not None else len(STATUS_COLUMNS) - 1
    for goal, status, change in zip(contract.goals, statuses, moved, strict=True):
        rows.append(list(status_row(goal, status, change).values())[:width])
        classes.append(([""] * 5 + [STATUS_CLASSES[status.status], ""])[:width])
    return Table(
        columns=list(STATUS_COLUMNS.values())[:width],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(1, 2, 3, 4, 6)[: 5 if since is not None else 4],
        stacked=True,
        notes=partial_notes(statuses),
    )


def meeting_status_table(result: MeetingStatus, caption: str) -> Table:
    """The goals' status at a meeting, with the change since the previous meeting: what the report, the pack
    and the terminal show."""
    since = [since_previous(result, status) for status in result.goals]
    return goal_status_table(result.contract, result.goals, caption, since)


# ---------------------------------------------------------------------------
# Missing figures in words
# ---------------------------------------------------------------------------


def _joined(names: Sequence[str]) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " og " + names[-1] if len(names) > 1 else (names[0] if names else "regionen")


def describe_missing(missing: Sequence[MissingFigure]) -> str:
    """``Tallet for marts 2016 mangler for Læsø (Jobcenter Frederikshavn): det er holdt tilbage af
    diskretionshensyn.``: one sentence per period, naming where and why."""
    parts = []
    for m in missing:
        when = format_period_code(m.period)
        if m.everywhere:
            parts.append(f"Tallet for {when} er endnu ikke i data.")
            continue
        where = _joined(m.areas or m.jobcentres)
        several = len(m.areas or m.jobcentres) > 1
        why = ("de er" if several else "det er") + (
            " holdt tilbage af diskretionshensyn" if m.withheld else " ikke indberettet"
        )
        parts.append(f"Tall{'ene' if several else 'et'} for {when} mangler for {where}: {why}.")
    return " ".join(parts)


def describe_partial(status: GoalStatus, with_reason: bool = True) -> str:
    """Which periods the actual figure covers and leaves out (and, ``with_reason``, why)."""
    covered = (
        format_periods(period_from_code(status.periods[0]), period_from_code(status.periods[-1]))
        if status.periods
        else ""
    )
    left_out = ", ".join(format_period_code(code) for code in status.excluded)
    if status.aggregation == "end_of_period":
        why = describe_missing([m for m in status.missing if m.part == "year"]) if with_reason else ""
        return f"seneste tal er for {covered}; {left_out} mangler. {why}".strip()
    why = describe_missing([m for m in status.missing if m.part in ("year", "last_year")]) if with_reason else ""
    return (
        f"opgjort for {covered} uden {left_out}, hvor der mangler tal, og sammenlignet med de samme perioder året "
        f"før. {why}"
    ).strip()


def missing_note(
    missing: Sequence[MissingFigure], rolling: bool = False, forecast_estimates: bool = False
) -> Markdown | None:
    """A note naming the figures missing and where: never filled in, so the curve has gaps; only the year's
    forecast (``forecast_estimates``) estimates those of the year so far."""
    shown = [m for m in missing if not m.everywhere]
    if not shown:
        return None
    several = len(shown) > 1 or any(len(m.areas or m.jobcentres) > 1 for m in shown)
    them = "De" if several else "Det"
    effect = f"{them} er ikke udfyldt eller skønnet i tallene og kurven, der har et hul dér."
    if rolling:
        effect += " Den løbende sum over et år kan ikke beregnes for de perioder, der omfatter dem."
    if forecast_estimates:
        effect += " Kun prognosen for året skønner årets manglende tal ud fra sidste års mønster."
    listed = describe_missing(shown[:12]) + (" Der mangler flere." if len(shown) > 12 else "")
    return Markdown(f"*Bemærk:* {escape_markdown(listed)} {escape_markdown(effect)}")


# ---------------------------------------------------------------------------
# Job centres
# ---------------------------------------------------------------------------


def jobcentre_table(table: pd.DataFrame, status: GoalStatus, caption: str) -> Table:
    """Per job centre: the figure, a year earlier, the change as shown and its rank; for a count the
    contribution to the region's change."""
    rows = []
    for record in table.itertuples():
        actual, before = fig.level(record.actual, status.share), fig.level(record.last_year, status.share)
        moved = fig.change(actual, before)
        row = [
            record.jobcentre,
            actual.text,
            before.text,
            f"{moved.text} {fig.direction(moved, status.better)}" if moved.known else MISSING,
        ]
        if not status.share:
            row.append(fig.contribution(record.contribution_pp).text)
        row.append(MISSING if pd.isna(record.rank) else f"{int(record.rank)}.")
        rows.append(row)
    columns = ["Jobcenter", "Faktisk", "Året før", "Udvikling mod året før"]
    if not status.share:
        columns.append("Bidrag til regionens udvikling")
    columns.append("Placering")
    return Table(
        columns=columns,
        rows=rows,
        caption=caption,
        numeric=tuple(range(1, len(columns))),
        row_pages=[jobcentre_page(record.jobcentre_id) for record in table.itertuples()],
    )


FLAG_WORDS = {
    FLAG_NOT_MEANINGFUL: ("ikke meningsfuldt", "forventet niveau ≤ 0"),
    FLAG_UNCERTAIN: ("usikkert", "meget lavt forventet niveau"),
}
FLAG_TEXTS = {flag: f"{word} ({why})" for flag, (word, why) in FLAG_WORDS.items()}  # in a table's cell
FLAG_REASONS = {flag: f"{word}: {why}" for flag, (word, why) in FLAG_WORDS.items()}  # in brackets in a sentence


def adjusted_level(value: float, share: bool) -> fig.Quantity:
    """The level compared on equal terms: a share in %, a count per 1.000 residents with one decimal."""
    return fig.level(value, True) if share else fig.per_1000(value)


def ratio_cell(ratio: float, flag: str, better: str) -> tuple[str, str]:
    """``0,82 ▼ dårligere`` and its CSS class; a flagged ratio says why it is not ranked."""
    if flag == FLAG_NOT_MEANINGFUL or pd.isna(ratio):
        return (FLAG_TEXTS[flag] if flag else MISSING), ""
    shown = fig.ratio(ratio)
    if flag == FLAG_UNCERTAIN:
        return f"{shown.text} – {FLAG_TEXTS[flag]}", ""
    good = shown.rounded < 1 if better == "lower" else shown.rounded > 1
    if shown.rounded == 1:
        return f"{shown.text} som forventet", ""
    return f"{shown.text} {'▲ bedre' if good else '▼ dårligere'}", STATUS_CLASSES[good]


def adjusted_table(table: pd.DataFrame, goal: Goal, status: GoalStatus, caption: str) -> Table:
    """Job centres on equal terms: level, expected level, actual ÷ expected and rank, and the cluster."""
    rows, classes, pages = [], [], []
    for record in table.sort_values(["adjusted_rank", "jobcentre"], na_position="last").itertuples():
        text, css = ratio_cell(record.actual_over_expected, record.flag, goal.better)
        pages.append(jobcentre_page(record.jobcentre_id))
        rows.append(
            [
                record.jobcentre,
                record.cluster,
                adjusted_level(record.level, status.share).text,
                adjusted_level(record.expected, status.share).text,
                text,
                MISSING if pd.isna(record.adjusted_rank) else f"{int(record.adjusted_rank)}.",
                fig.ratio(record.vs_cluster).text,
            ]
        )
        classes.append([""] * 4 + [css, "", ""])
    unit = "Andel" if status.share else "Pr. 1.000 16-66-årige"
    return Table(
        columns=[
            "Jobcenter",
            "Klynge",
            unit,
            "Forventet",
            "Faktisk/forventet",
            "Placering",
            "I forhold til klyngens gennemsnit",
        ],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(2, 3, 4, 5, 6),
        row_pages=pages,
    )


MONTH_ABBREVIATIONS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]


def spread_period(year: int, periods: int, per_year: int, end_of_period: bool = False) -> str:
    """``2013``, ``2013 (jan.-jun.)`` or ``2013 (1.-2. kvt.)``: the part of the year a spread covers; for a goal
    measured at the end of the period, the period itself: ``2013 (jun.)``, ``2013 (2. kvt.)``."""
    if periods == per_year:
        return str(year)
    if per_year == 4:
        if end_of_period or periods == 1:
            return f"{year} ({periods}. kvt.)"
        return f"{year} (1.-{periods}. kvt.)"
    if end_of_period or periods == 1:
        return f"{year} ({MONTH_ABBREVIATIONS[periods - 1]})"
    return f"{year} (jan.-{MONTH_ABBREVIATIONS[periods - 1]})"


SPREAD_DECIMALS = 3


def spread_table(spread: pd.DataFrame, caption: str, end_of_period: bool = False) -> Table:
    rows = []
    for record in spread.itertuples():
        rows.append(
            [
                spread_period(int(record.year), int(record.periods), int(record.periods_in_year), end_of_period),
                format_number(record.iqr, SPREAD_DECIMALS),
                format_number(record.sd, SPREAD_DECIMALS),
                MISSING if pd.isna(record.r2) else format_number(record.r2, 2),
            ]
        )
    return Table(
        columns=["År", "Interkvartilafstand", "Standardafvigelse", "Forklaringsgrad (R²)"],
        rows=rows,
        caption=caption,
        numeric=(1, 2, 3),
    )


def attainment_table(
    contract: Contract, statuses: list[GoalStatus], attained: list[bool | None], caption: str
) -> Table:
    marked = [s for s in statuses if result_cell(s).endswith(PARTIAL_MARK)]
    rows, classes = [], []
    for goal, status, ok in zip(contract.goals, statuses, attained, strict=True):
        f = status.figures
        rows.append(
            [
                goal.title,
                f"{f.baseline.text} ({format_period_code(status.baseline_period)})",
                target_cell(status),
                result_cell(status),
                f.gap.text,
                attained_cell(ok),
            ]
        )
        classes.append([""] * 5 + [STATUS_CLASSES[ok]])
    return Table(
        columns=["Mål", "Basis", "Målsætning", f"Resultat {contract.year}", "Afstand til målet (+ = bedre)", "Opfyldt"],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(1, 2, 3, 4),
        stacked=True,
        notes=partial_notes(marked),
    )
