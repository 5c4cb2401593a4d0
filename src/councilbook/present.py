"""Stage 3: display objects for the notebooks: Danish tables and text.

Tables are HTML (status shown as symbol and word, with colour only as a third
cue) wrapped in a box that scrolls sideways on a narrow screen; their plain-text
form is what a terminal shows.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .compute import GoalStatus, MeetingStatus
from .danish import (
    MISSING,
    STATUS_LABELS,
    direction_arrow,
    format_change,
    format_goal_value,
    format_month,
    format_number,
    format_percent,
    format_span,
)
from .parameters import Contract, Measure
from .provenance import Provenance

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    from matplotlib.figure import Figure

STATUS_CLASSES = {
    "on_track": "cb-good",
    "at_risk": "cb-warn",
    "off_track": "cb-bad",
    "no_data": "cb-none",
    True: "cb-good",
    False: "cb-bad",
    None: "cb-none",
}


@dataclass(frozen=True)
class Table:
    """A table of display strings, with an optional CSS class per cell."""

    columns: list[str]
    rows: list[list[str]]
    cell_classes: list[list[str]] | None = None
    caption: str = ""
    numeric: Sequence[int] = ()
    # On a phone, show each row as a card (label: value) instead of a table scrolled sideways.
    # For short tables a reader must see whole, such as the goals' status.
    stacked: bool = False
    # If given, the table is folded away on screen behind this line (printed in full).
    collapsed: str = ""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    def _repr_html_(self) -> str:
        head = "\n".join(f'<th scope="col"{self._align(i)}>{html.escape(c)}</th>' for i, c in enumerate(self.columns))
        body = []
        for r, row in enumerate(self.rows):
            cells = []
            for i, value in enumerate(row):
                css = self.cell_classes[r][i] if self.cell_classes else ""
                attrs = self._align(i, css)
                if self.stacked:
                    attrs += f' data-label="{html.escape(self.columns[i])}"'
                tag = 'th scope="row"' if i == 0 else "td"
                close = "th" if i == 0 else "td"
                cells.append(f"<{tag}{attrs}>{html.escape(value)}</{close}>")
            # Whitespace between cells keeps them separate words for the book's search.
            body.append("<tr>" + "\n".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        table = (
            f'<div class="cb-table-wrap"><table class="cb-table{" cb-stacked" if self.stacked else ""}">'
            f"{caption}<thead><tr>{head}</tr></thead><tbody>{chr(10).join(body)}</tbody></table></div>"
        )
        if self.collapsed:
            return f'<details class="cb-details"><summary>{html.escape(self.collapsed)}</summary>{table}</details>'
        return table

    def _align(self, index: int, css: str = "") -> str:
        classes = [c for c in (css, "cb-num" if index in self.numeric else "") if c]
        return f' class="{" ".join(classes)}"' if classes else ""

    def __repr__(self) -> str:
        return self.to_frame().to_string(index=False)


@dataclass(frozen=True)
class Chart:
    """A chart as an embedded PNG with Danish alt text, so it travels with the page."""

    png: bytes
    alt: str
    width_px: int

    @classmethod
    def from_figure(cls, figure: Figure, alt: str) -> Chart:
        buffer = io.BytesIO()
        # No creation metadata: the same figure gives the same bytes.
        figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
        return cls(png=buffer.getvalue(), alt=alt, width_px=int(figure.get_figwidth() * figure.dpi))

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="cb-chart"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt)}" width="{self.width_px}" /></figure>'
        )

    def __repr__(self) -> str:
        return f"[Figur: {self.alt}]"


@dataclass(frozen=True)
class Markdown:
    """Markdown text that displays as such in a notebook."""

    text: str

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def status_cell(status: str) -> str:
    symbol, word = STATUS_LABELS[status]
    return f"{symbol} {word}"


def attained_cell(attained: bool | None) -> str:
    if attained is None:
        return "? Ikke opgjort"
    return "✔ Opfyldt" if attained else "✖ Ikke opfyldt"


def goal_status_table(
    contract: Contract,
    statuses: list[GoalStatus],
    measures: dict[str, Measure],
    caption: str,
    since_previous: list[float] | None = None,
) -> Table:
    """The overview: target, actual so far with its development, the year's forecast, status."""
    rows, classes = [], []
    since = since_previous or [math.nan] * len(statuses)
    for goal, status, moved in zip(contract.goals, statuses, since, strict=True):
        measure = measures[goal.measure]
        rows.append(
            [
                goal.title,
                _target_cell(status, goal, measure),
                format_goal_value(status.actual, goal, measure),
                _change_cell(status.change_pct, status.actual - status.last_year, goal, measure),
                forecast_cell(status, goal, measure),
                status_cell(status.status),
                MISSING
                if math.isnan(moved)
                else f"{format_percent(moved, signed=True)} {direction_arrow(moved, goal.better)}",
            ]
        )
        classes.append([""] * 5 + [STATUS_CLASSES[status.status], ""])
    return Table(
        columns=[
            "Mål",
            "Målsætning",
            "Faktisk hidtil",
            "Udvikling mod året før",
            "Prognose for året",
            "Status",
            "Prognose siden sidste møde",
        ],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(1, 2, 3, 4, 6),
        stacked=True,
    )


def forecast_cell(status: GoalStatus, goal, measure: Measure) -> str:
    """``9.024 (8.463-9.585)``: the forecast and its range."""
    f = status.forecast
    if math.isnan(f.value):
        return MISSING
    if math.isnan(f.low) or f.low == f.high:
        return format_goal_value(f.value, goal, measure)
    return (
        f"{format_goal_value(f.value, goal, measure)} "
        # en dash held to its numbers by word joiners, so the range never breaks inside
        f"({format_goal_value(f.low, goal, measure)}\u2060–\u2060{format_goal_value(f.high, goal, measure)})"
    )


def _change_cell(change_pct: float, difference: float, goal, measure: Measure) -> str:
    """``-7,5 % ↓ bedre``: the change with its direction of travel in words."""
    change = format_change(change_pct, difference, goal, measure)
    if change == MISSING:
        return MISSING
    return f"{change} {direction_arrow(change_pct, goal.better)}"


def _target_cell(status: GoalStatus, goal, measure: Measure) -> str:
    bound = "højst" if goal.better == "lower" else "mindst"
    if status.target is None:
        return "bedre end basis"
    return f"{bound} {format_goal_value(status.target, goal, measure)}"


def jobcentre_table(table: pd.DataFrame, goal, measure: Measure, caption: str) -> Table:
    rows = []
    for record in table.itertuples():
        share = record.share_of_region_change_pct
        rows.append(
            [
                record.jobcentre,
                format_goal_value(record.actual, goal, measure),
                format_goal_value(record.last_year, goal, measure),
                _change_cell(record.change_pct, record.actual - record.last_year, goal, measure),
                MISSING if pd.isna(share) else format_percent(share),
                MISSING if pd.isna(record.rank) else f"{int(record.rank)}.",
            ]
        )
    return Table(
        columns=[
            "Jobcenter",
            "Faktisk",
            "Året før",
            "Udvikling mod året før",
            "Andel af regionens ændring",
            "Placering",
        ],
        rows=rows,
        caption=caption,
        numeric=(1, 2, 3, 4, 5),
    )


def adjusted_table(table: pd.DataFrame, goal, measure: Measure, caption: str) -> Table:
    """Job centres on equal terms: level, expected level, actual ÷ expected and rank, and the cluster."""
    is_share = goal.aggregation == "ratio" or measure.kind == "share"
    level = (lambda v: format_percent(v)) if is_share else (lambda v: format_number(v, 1))
    rows, classes = [], []
    for record in table.sort_values(["adjusted_rank", "jobcentre"], na_position="last").itertuples():
        ratio = record.actual_over_expected
        good = None if pd.isna(ratio) else (ratio < 1 if goal.better == "lower" else ratio > 1)
        rows.append(
            [
                record.jobcentre,
                record.cluster,
                level(record.level),
                level(record.expected),
                MISSING if pd.isna(ratio) else f"{format_number(ratio, 2)} {'▲ bedre' if good else '▼ dårligere'}",
                MISSING if pd.isna(record.adjusted_rank) else f"{int(record.adjusted_rank)}.",
                MISSING if pd.isna(record.vs_cluster) else format_number(record.vs_cluster, 2),
            ]
        )
        classes.append([""] * 4 + [STATUS_CLASSES[good] if good is not None else "", "", ""])
    unit = "Andel" if is_share else "Pr. 1.000 16-66-årige"
    return Table(
        columns=[
            "Jobcenter",
            "Klynge",
            unit,
            "Forventet",
            "Faktisk ÷ forventet",
            "Placering",
            "I forhold til klyngens gennemsnit",
        ],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(2, 3, 4, 5, 6),
    )


def spread_table(spread: pd.DataFrame, caption: str) -> Table:
    rows = []
    for record in spread.itertuples():
        period = str(record.year) if record.months == 12 else f"{record.year} (jan.-{_month_abbr(record.months)})"
        rows.append(
            [
                period,
                format_number(record.iqr, 3),
                format_number(record.sd, 3),
                MISSING if pd.isna(record.r2) else format_number(record.r2, 2),
            ]
        )
    return Table(
        columns=["År", "Interkvartilafstand", "Standardafvigelse", "Forklaringsgrad (R²)"],
        rows=rows,
        caption=caption,
        numeric=(1, 2, 3),
    )


def _month_abbr(number: int) -> str:
    return ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."][number - 1]


def attainment_table(
    contract: Contract,
    statuses: list[GoalStatus],
    attained: list[bool | None],
    measures: dict[str, Measure],
    caption: str,
) -> Table:
    rows, classes = [], []
    for goal, status, ok in zip(contract.goals, statuses, attained, strict=True):
        measure = measures[goal.measure]
        gap = MISSING if math.isnan(status.gap_pct) else format_percent(status.gap_pct, signed=True)
        rows.append(
            [
                goal.title,
                f"{format_goal_value(status.baseline, goal, measure)} ({format_span(goal.baseline_span)})",
                _target_cell(status, goal, measure),
                format_goal_value(status.actual, goal, measure),
                gap,
                attained_cell(ok),
            ]
        )
        classes.append([""] * 5 + [STATUS_CLASSES[ok]])
    return Table(
        columns=["Mål", "Basis", "Målsætning", f"Resultat {contract.year}", "Afstand til målet", "Opfyldt"],
        rows=rows,
        cell_classes=classes,
        caption=caption,
        numeric=(1, 2, 3, 4),
        stacked=True,
    )


def missing_note(months: list[pd.Period], rolling: bool = False) -> Markdown | None:
    """A note naming the months whose figures are missing: never filled in, so shown as gaps."""
    if not months:
        return None
    listed = ", ".join(format_month(m) for m in months[:12]) + (" m.fl." if len(months) > 12 else "")
    effect = "Kurven har et hul dér."
    if rolling:
        effect = "Den løbende 12-måneders sum kan ikke beregnes for de 12 måneder, der omfatter dem. " + effect
    return Markdown(
        f"*Bemærk:* Tallene for {listed} mangler for en eller flere kommuner (holdt tilbage af "
        f"diskretionshensyn eller ikke indberettet). De er ikke udfyldt eller skønnet. {effect}"
    )


def provenance_markdown(provenance: Provenance) -> str:
    lines = ["## Om tallene", ""]
    if provenance.cutoff:
        lines.append(f"Data til og med: **{provenance.cutoff}**. Kodeversion: `{provenance.code}`.")
    else:
        lines.append(f"Kodeversion: `{provenance.code}`.")
    if provenance.snapshot_sha256:
        lines += [
            "",
            f"Det normaliserede datasæt (alle tal efter indlæsning) har SHA-256 `{provenance.snapshot_sha256[:16]}…`.",
        ]
    if provenance.scope_sha256:
        lines += [
            "",
            "De tal, rapporten bygger på (dens mål og rammevilkår til og med "
            f"{provenance.cutoff}), har SHA-256 `{provenance.scope_sha256[:16]}…`.",
        ]
    lines += ["", "Datafiler, da rapporten blev kørt:", ""]
    for f in provenance.data_files:
        rows = format_number(int(f["rows"]))
        lines.append(f"- `{f['path']}` (perioder {f['periods']}, {rows} rækker), SHA-256 `{f['sha256'][:16]}…`")
    lines += ["", "Parametre:" if provenance.scope_sha256 else "Parameterfiler:", ""]
    for f in provenance.parameter_files:
        used = f" ({f['entries']})" if f.get("entries") else ""
        lines.append(f"- `{f['path']}`{used}, SHA-256 `{f['sha256'][:16]}…`")
    return "\n".join(lines)


SAMPLE_NOTICE = (
    '<div class="admonition warning cb-sample"><p class="admonition-title">Eksempeldata</p>'
    "<p>Tallene i denne rapport er <strong>eksempeldata</strong>, dannet af en generator til "
    "afprøvning af værktøjet. De viser ikke de faktiske forhold.</p></div>"
)


def sample_notice(is_sample: bool) -> str:
    return SAMPLE_NOTICE if is_sample else ""


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dictionaries of plain values."""
    return [{k: plain_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def status_figures(result: MeetingStatus) -> dict[str, Any]:
    """The status figures as plain data (the JSON of ``councilbook status --json``)."""
    goals = []
    for status in result.goals:
        detail = result.details.get(status.goal_id)
        entry: dict[str, Any] = {**status.as_dict(), "jobcentres": plain_records(result.jobcentres[status.goal_id])}
        if detail is not None:
            adjusted = detail.adjusted.table.merge(
                result.jobcentres[status.goal_id][["jobcentre_id"]], on="jobcentre_id", how="right"
            )
            entry["since_previous_meeting"] = {
                "meeting": detail.previous_meeting.isoformat() if detail.previous_meeting else None,
                "previous_forecast": plain_value(detail.previous_forecast),
                "change_pct": plain_value(detail.since_previous_pct(status.forecast.value)),
            }
            entry["xmr"] = detail.xmr.as_dict() if detail.xmr else None
            entry["adjusted"] = {"fit": detail.adjusted.fit.as_dict(), "jobcentres": plain_records(adjusted)}
            entry["spread"] = plain_records(detail.spread)
        goals.append(entry)
    return {
        "meeting": result.meeting.date.isoformat(),
        "meeting_kind": result.meeting.kind,
        "pack_date": result.pack_date.isoformat(),
        "cutoff": str(result.cutoff),
        "contract_year": result.contract.year,
        "final": result.final,
        "goals": goals,
    }


def plain_value(value: Any) -> Any:
    """A value as JSON can hold it: numpy scalars as Python numbers, NaN and NA as None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if value is not None and type(value).__name__ == "NAType":
        return None
    return value
