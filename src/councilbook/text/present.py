"""Stage 3: display objects for the notebooks: Danish tables and text.

Tables are HTML (status shown as symbol and word, with colour only as a third
cue) wrapped in a box that scrolls sideways on a narrow screen; their plain-text
form is what a terminal shows. Every figure in them is formatted from the one
figure model (:mod:`figures`), so the book, the pack, the terminal and the JSON of
``councilbook status --json`` read the same.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from councilbook.analysis.benchmark import FLAG_NOT_MEANINGFUL, FLAG_UNCERTAIN
from councilbook.analysis.compute import GoalDetail, GoalStatus, MeetingStatus, MissingFigure, forecast_change
from councilbook.core import figures as fig
from councilbook.core.formats import (
    MISSING,
    STATUS_LABELS,
    format_date,
    format_iso_day,
    format_number,
    format_period_code,
    format_periods,
)
from councilbook.core.links import jobcentre_page, page_link
from councilbook.core.periods import period_from_code
from councilbook.core.prose import escape_markdown, safe_markdown
from councilbook.parameters.model import Contract, Goal
from councilbook.publication.provenance import Provenance

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    from matplotlib.figure import Figure

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
    # Notes printed under the table (what a marked cell means).
    notes: tuple[str, ...] = ()
    # Cells hold symbols (✔, ✖), not words: no minimum width for status cells, so many columns fit a page.
    compact: bool = False
    # The page each row's label links to (a job centre's own page, :func:`councilbook.core.links.jobcentre_page`);
    # "" for a row without one. Empty: no links.
    row_pages: Sequence[str] = ()

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
                if i == 0 and r < len(self.row_pages) and self.row_pages[r]:
                    content = page_link(self.row_pages[r], value)
                else:
                    content = _unbroken_figures(html.escape(value))
                if self.stacked and i > 0:  # one flex item beside its label on a phone, however many figures
                    content = f'<span class="cb-cell">{content}</span>'
                cells.append(f"<{tag}{attrs}>{content}</{close}>")
            # Whitespace between cells keeps them separate words for the book's search.
            body.append("<tr>" + "\n".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        notes = "".join(f'<p class="cb-table-note">{html.escape(n)}</p>' for n in self.notes)
        kinds = "".join(c for c, on in ((" cb-stacked", self.stacked), (" cb-compact", self.compact)) if on)
        table = (
            f'<div class="cb-table-wrap"><table class="cb-table{kinds}">'
            f"{caption}<thead><tr>{head}</tr></thead><tbody>{chr(10).join(body)}</tbody></table></div>{notes}"
        )
        if self.collapsed:
            return f'<details class="cb-details"><summary>{html.escape(self.collapsed)}</summary>{table}</details>'
        return table

    def _align(self, index: int, css: str = "") -> str:
        classes = [c for c in (css, "cb-num" if index in self.numeric else "") if c]
        return f' class="{" ".join(classes)}"' if classes else ""

    def __repr__(self) -> str:
        text = self.to_frame().to_string(index=False)
        return "\n".join([text, *self.notes])


_FIGURE = re.compile(r"[+\-±]?\d[\d.,]*(?:\u00a0%| pct\.-point)")


def _unbroken_figures(text: str) -> str:
    """Each figure with its unit kept on one line: "+0,7 pct.-point" never breaks at its hyphen."""
    return _FIGURE.sub(lambda m: f'<span class="cb-figure">{m.group(0)}</span>', text)


# The screens that get a chart's narrow variant: phones and small tablets. Up to here the book's column is
# narrower than a wide chart by so much that its text would be drawn under 11 px (10,2 px at 700 px).
PHONE_MEDIA = "(max-width: 767px)"
# The pixel densities each drawing is saved at: the wide one for desktops (1x, and print) and tablets or
# high-density laptops (2x); the narrow one for phones, whose screens have 2 or 3 device pixels to a CSS pixel.
# The print copy takes the 1x picture (Chromium prints at 1x), never the 3x one.
WIDE_SCALES = (1, 2)
NARROW_SCALES = (2, 3)


@dataclass(frozen=True)
class ChartImage:
    """One drawing of a chart, saved as PNG at each of ``scales`` (device pixels to a CSS pixel): its natural
    size in CSS pixels and its smallest text there (px)."""

    pngs: tuple[bytes, ...]  # one for each scale, in the order of ``scales``
    scales: tuple[int, ...]
    width_px: int
    height_px: int
    font_px: float

    @classmethod
    def from_figure(cls, figure: Figure, scales: Sequence[int] = (1,)) -> ChartImage:
        """The figure laid out once and saved at every scale (sharp text, not an image scaled up): the layout
        is kept between the saves, so each is the same picture with ``scale`` times the pixels."""
        from councilbook.text.charts import smallest_text_px

        dpi = figure.dpi
        # Whole CSS pixels, so that each scale's picture is exactly ``scale`` times as many device pixels.
        width, height = (round(x * dpi) for x in figure.get_size_inches())
        figure.set_size_inches((width + 1e-3) / dpi, (height + 1e-3) / dpi)
        figure.draw_without_rendering()  # the layout, at the figure's own size
        engine = figure.get_layout_engine()
        figure.set_layout_engine("none")  # kept as it is for every save
        pngs = []
        try:
            for scale in scales:
                buffer = io.BytesIO()
                # No creation metadata: the same figure gives the same bytes.
                figure.savefig(buffer, format="png", dpi=dpi * scale, metadata={"Software": None})
                pngs.append(buffer.getvalue())
        finally:
            figure.set_layout_engine(engine)
        return cls(
            pngs=tuple(pngs),
            scales=tuple(scales),
            width_px=width,
            height_px=height,
            font_px=smallest_text_px(figure),
        )

    @property
    def png(self) -> bytes:
        """The picture at the lowest scale saved."""
        return self.pngs[0]

    def attributes(self) -> str:
        """Its size in CSS pixels and smallest text (rounded down, so a test reading it never overstates it)."""
        font = math.floor(self.font_px * 10) / 10
        return f'width="{self.width_px}" height="{self.height_px}" data-font-px="{font:.1f}"'

    def data_uri(self, scale: int | None = None) -> str:
        png = self.pngs[self.scales.index(scale)] if scale is not None else self.png
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    def srcset(self, skip: int | None = None) -> str:
        """``data:… 2x, data:… 3x``: every scale but ``skip`` (the one an ``<img>``'s ``src`` holds)."""
        return ", ".join(f"{self.data_uri(scale)} {scale}x" for scale in self.scales if scale != skip)


@dataclass(frozen=True)
class Chart:
    """A chart as embedded PNGs with Danish alt text, so it travels with the page: drawn wide (desktop and
    print) and, given ``narrow``, drawn again for a phone's width, which screens up to :data:`PHONE_MEDIA`
    show; each saved at several pixel densities (:data:`WIDE_SCALES`, :data:`NARROW_SCALES`) for the browser
    to choose from. ``alt`` is true of both drawings."""

    wide: ChartImage
    alt: str
    narrow: ChartImage | None = None

    @classmethod
    def from_figure(cls, figure: Figure, alt: str, narrow: Figure | None = None) -> Chart:
        return cls(
            wide=ChartImage.from_figure(figure, WIDE_SCALES),
            alt=alt,
            narrow=ChartImage.from_figure(narrow, NARROW_SCALES) if narrow is not None else None,
        )

    @classmethod
    def drawn(cls, draw: Callable[..., Figure], *args: Any, alt: str) -> Chart:
        """The chart ``draw(*args, narrow=…)`` draws, wide and narrow."""
        return cls.from_figure(draw(*args, narrow=False), alt, narrow=draw(*args, narrow=True))

    def _repr_html_(self) -> str:
        source = (
            f'<source media="{PHONE_MEDIA}" srcset="{self.narrow.srcset()}" {self.narrow.attributes()} />'
            if self.narrow is not None
            else ""
        )
        # The <img>'s src is its 1x picture (what the print copy and an old browser take); srcset the others.
        wide = self.wide
        src = wide.data_uri(1 if 1 in wide.scales else None)
        more = f' srcset="{wide.srcset(skip=1)}"' if set(wide.scales) - {1} else ""
        image = f'<img src="{src}"{more} alt="{html.escape(self.alt)}" {wide.attributes()} />'
        return f'<figure class="cb-chart"><picture>{source}{image}</picture></figure>'

    def __repr__(self) -> str:
        return f"[Figur: {self.alt}]"


@dataclass(frozen=True)
class Markdown:
    """A report's text, displayed in a notebook as Markdown that can hold no raw HTML, directive or role:
    whatever was put into ``text`` (a council's name, a case text …) is shown as text (:mod:`prose`).
    ``notice`` is HTML of councilbook's own (the sample-data notice), shown above the text."""

    text: str
    notice: str = ""

    def _repr_markdown_(self) -> str:
        return "\n\n".join(filter(None, [self.notice, safe_markdown(self.text)]))

    def __repr__(self) -> str:
        return self.text


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


FLAG_TEXTS = {
    FLAG_NOT_MEANINGFUL: "ikke meningsfuldt (forventet niveau ≤ 0)",
    FLAG_UNCERTAIN: "usikkert (meget lavt forventet niveau)",
}


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
            "Faktisk ÷ forventet",
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


PROVENANCE_HEADING = "## Om tallene"
TECHNICAL_SUMMARY = "Teknisk dokumentation"


@dataclass(frozen=True)
class Details:
    """A part folded away on screen behind ``summary`` (printed unfolded: class ``cb-details``), of councilbook's
    own making: paragraphs and lists of plain text, every one escaped here, so nothing in them is markup."""

    summary: str
    blocks: tuple[str | tuple[str, ...], ...]  # a paragraph, or a list's items

    def _repr_html_(self) -> str:
        parts = []
        for block in self.blocks:
            if isinstance(block, str):
                parts.append(f"<p>{html.escape(block)}</p>")
            else:
                parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in block) + "</ul>")
        return (
            f'<details class="cb-details cb-technical"><summary>{html.escape(self.summary)}</summary>'
            + "".join(parts)
            + "</details>"
        )

    def __repr__(self) -> str:
        lines = [self.summary]
        for block in self.blocks:
            lines += [block] if isinstance(block, str) else [f"- {item}" for item in block]
        return "\n".join(lines)


def provenance_markdown(provenance: Provenance, made: date | None = None) -> str:
    """The body of a report's "Om tallene" (:data:`PROVENANCE_HEADING`) for readers: the source, the month the
    figures run to and (``made``) the day whose published figures the report uses. The hashes, files and code
    version are in :func:`provenance_details`."""
    lines: list[str] = []
    title = escape_markdown(provenance.source_title or "Data")
    if provenance.sample:
        lines.append(
            f"**Kilde:** {title}. Det er eksempeldata, dannet af en generator til afprøvning af værktøjet: de "
            "viser ikke de faktiske forhold."
        )
    elif provenance.source:
        lines.append(f"**Kilde:** {title} fra {escape_markdown(provenance.source)}.")
    else:
        lines.append(f"**Kilde:** {title}.")
    if provenance.fetched:
        lines.append("**Hentet fra jobindsats.dk's API (version 3):**")
        lines.append("\n".join(f"- {fetched_origin(label, origin)}" for label, origin in provenance.fetched.items()))
    if provenance.cutoff:
        lines.append(f"**Tallene går til og med:** {format_period_code(provenance.cutoff)}.")
    if made is not None:
        lines.append(f"**Udarbejdet:** med de tal, der var offentliggjort {format_date(made)}.")
    lines.append(
        "Hvilke filer og hvilken version af programmet tallene er lavet med, står under "
        f"*{TECHNICAL_SUMMARY}*, så enhver kan genskabe dem."
    )
    return "\n\n".join(lines)


def fetched_origin(label: str, origin: dict[str, str]) -> str:
    """One measure's origin on the API, in Danish: table, measure, selection, updated, fetched (Markdown)."""
    parts = [f"tabel {origin.get('table', '?')}" + (f" ({origin['table_name']})" if origin.get("table_name") else "")]
    if origin.get("measure"):
        parts.append(f"målet »{origin['measure']}«")
    if origin.get("selection"):
        parts.append(f"udvalg: {origin['selection']}")
    if origin.get("update_latest"):
        parts.append(f"tabellen opdateret {format_iso_day(origin['update_latest'])}")
    if origin.get("fetched"):
        parts.append(f"hentet {format_iso_day(origin['fetched'])}")
    return escape_markdown(f"{label}: " + ", ".join(parts) + ".")


def provenance_details(provenance: Provenance) -> Details:
    """The technical part of "Om tallene": code version, hashes, data and parameter files (named within the
    project's folders, never by a path on the machine that built the report)."""
    blocks: list[str | tuple[str, ...]] = [f"Kodeversion: {provenance.code}."]
    if provenance.snapshot_sha256:
        blocks.append(
            f"Det normaliserede datasæt (alle tal efter indlæsning) har SHA-256 {provenance.snapshot_sha256[:16]}…"
        )
    if provenance.scope_sha256:
        blocks.append(
            "De tal, rapporten bygger på (dens mål og rammevilkår til og med "
            f"{format_period_code(provenance.cutoff or '')}), har SHA-256 {provenance.scope_sha256[:16]}…"
        )
    blocks.append("Datafiler, da rapporten blev kørt:")
    blocks.append(
        tuple(
            f"{f['path']} ({f['periods']}, {format_number(int(f['rows']))} tal), SHA-256 {f['sha256'][:16]}…"
            for f in provenance.data_files
        )
    )
    blocks.append(
        "Parametre (SHA-256 af de poster, rapporten bruger):" if provenance.scope_sha256 else "Parameterfiler:"
    )
    blocks.append(tuple(f"{f['path']}{_entries(f)}, SHA-256 {f['sha256'][:16]}…" for f in provenance.parameter_files))
    return Details(TECHNICAL_SUMMARY, tuple(blocks))


def _entries(file: dict[str, str]) -> str:
    return f" ({file['entries']})" if file.get("entries") else ""


SAMPLE_NOTICE = (
    '<div class="admonition warning cb-sample"><p class="admonition-title">Eksempeldata</p>'
    "<p>Tallene i denne rapport er <strong>eksempeldata</strong>, dannet af en generator til "
    "afprøvning af værktøjet. De viser ikke de faktiske forhold.</p></div>"
)


def sample_notice(is_sample: bool) -> str:
    return SAMPLE_NOTICE if is_sample else ""


# ---------------------------------------------------------------------------
# Plain data for JSON: every figure under a name that says its unit
# ---------------------------------------------------------------------------


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dictionaries of plain values."""
    return [{k: plain_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def goal_figures_json(goal: Goal, status: GoalStatus, since: fig.Quantity | None = None) -> dict[str, Any]:
    """A goal's status as JSON: the figures as shown, each named by its unit (``actual_pct``, ``change_pp``,
    ``actual_count``, ``gap_pct``, ...), and the text of each cell of the status table."""
    f = status.figures
    entry: dict[str, Any] = {
        "goal_id": status.goal_id,
        "title": status.title,
        "status": status.status,
        "unit": f.actual.unit,
        "decimals": f.actual.decimals,
        "better": status.better,
        "aggregation": status.aggregation,
        "target_form": status.target_form,
        "frequency": {"M": "month", "Q": "quarter"}[status.freq],
        "baseline_period": status.baseline_period,
        "periods": list(status.periods),
        "excluded_periods": list(status.excluded),
        "missing": [
            {"period": m.period, "part": m.part, "jobcentres": list(m.jobcentres), "everywhere": m.everywhere}
            for m in status.missing
        ],
        "final": status.final,
        "draft_contract": status.draft,
    }
    for name in ("baseline", "target", "actual", "last_year", "change", "forecast", "gap", "comparable_target"):
        entry |= fig.json_fields(name, getattr(f, name))
    entry |= fig.json_fields("forecast_low", f.low) | fig.json_fields("forecast_high", f.high)
    if status.at_least is not None:  # a final count with a figure missing: at least this much
        entry |= fig.json_fields("at_least", fig.level(status.at_least, False))
    if status.target_at_least is not None:  # a target from a baseline with a figure missing: at least this
        entry |= fig.json_fields("target_at_least", fig.level(status.target_at_least, False))
    entry["forecast"] = forecast_json(status)
    entry["text"] = status_row(goal, status, since)
    return entry


FORECAST_ERROR_DECIMALS = 1  # as the forecast's sentence shows its typical error (sentences.describe_forecast)


def forecast_json(status: GoalStatus) -> dict[str, Any]:
    """The forecast's record: its typical error and its errors in earlier years (in percentage points for a
    share, in % for a count) rounded as the typical error is shown."""
    record = status.forecast.as_dict()
    unit: fig.Unit = "pp" if status.forecast.error_unit == "pp" else "percent"

    def shown(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: shown(item) for key, item in value.items()}
        return fig.Quantity(math.nan if value is None else value, unit, FORECAST_ERROR_DECIMALS).json

    return {
        key: shown(value) if key.startswith(("typical_error_", "backtest_error_")) else value
        for key, value in record.items()
    }


def jobcentres_json(table: pd.DataFrame, status: GoalStatus) -> list[dict[str, Any]]:
    rows = []
    for record in table.itertuples():
        actual, before = fig.level(record.actual, status.share), fig.level(record.last_year, status.share)
        row: dict[str, Any] = {
            "jobcentre_id": record.jobcentre_id,
            "jobcentre": record.jobcentre,
            "cluster": record.cluster,
        }
        row |= fig.json_fields("actual", actual) | fig.json_fields("last_year", before)
        row |= fig.json_fields("change", fig.change(actual, before))
        if not status.share:
            row |= fig.json_fields("contribution", fig.contribution(record.contribution_pp))
        row["rank"] = whole(record.rank)
        rows.append(row)
    return rows


def adjusted_json(table: pd.DataFrame, status: GoalStatus) -> list[dict[str, Any]]:
    rows = []
    for record in table.itertuples():
        row: dict[str, Any] = {
            "jobcentre_id": record.jobcentre_id,
            "jobcentre": record.jobcentre,
            "cluster": record.cluster,
        }
        row |= fig.json_fields("level", adjusted_level(record.level, status.share))
        row |= fig.json_fields("expected", adjusted_level(record.expected, status.share))
        shown = fig.ratio(math.nan if record.flag == FLAG_NOT_MEANINGFUL else record.actual_over_expected)
        row |= fig.json_fields("actual_over_expected", shown) | fig.json_fields(
            "vs_cluster", fig.ratio(record.vs_cluster)
        )
        row["flag"] = record.flag or None
        row["rank"] = whole(record.adjusted_rank)
        rows.append(row)
    return rows


def xmr_json(detail: GoalDetail, status: GoalStatus) -> dict[str, Any] | None:
    """The XmR view with its centre line and limits as the chart shows them (in the goal's unit and rounding)."""
    if detail.xmr is None:
        return None
    xmr = detail.xmr
    lines = {name: fig.level(getattr(xmr, name), status.share) for name in ("centre", "lower", "upper")}
    return {
        **{key: value for name, q in lines.items() for key, value in fig.json_fields(name, q).items()},
        "baseline_points": xmr.baseline_points,
        "points": len(xmr.points),
        "signals": [s.as_dict() for s in xmr.signals],
    }


def spread_json(spread: pd.DataFrame) -> list[dict[str, Any]]:
    """The spread year by year: interquartile range and standard deviation of actual ÷ expected (ratios)."""
    rows = []
    for record in spread.itertuples():
        row: dict[str, Any] = {"year": int(record.year), "periods": int(record.periods), "n": whole(record.n)}
        for name in ("iqr", "sd"):
            row |= fig.json_fields(name, fig.ratio(getattr(record, name), SPREAD_DECIMALS))
        row |= fig.json_fields("r2", fig.ratio(record.r2, 2))
        rows.append(row)
    return rows


def status_figures(result: MeetingStatus) -> dict[str, Any]:
    """The status figures as plain data (the JSON of ``councilbook status --json``)."""
    goals = []
    for goal, status in zip(result.contract.goals, result.goals, strict=True):
        detail = result.details.get(status.goal_id)
        since = since_previous(result, status)
        entry = goal_figures_json(goal, status, since)
        entry["jobcentres"] = jobcentres_json(result.jobcentres[status.goal_id], status)
        if detail is not None:
            previous = fig.level(
                math.nan if detail.previous_forecast is None else detail.previous_forecast, status.share
            )
            entry["since_previous_meeting"] = {
                "meeting": detail.previous_meeting.isoformat() if detail.previous_meeting else None,
                **fig.json_fields("previous_forecast", previous),
                **fig.json_fields("change", since if since is not None else fig.change(previous, previous)),
            }
            entry["xmr"] = xmr_json(detail, status)
            entry["adjusted"] = {
                "fit": detail.adjusted.fit.as_dict(),
                "framework_years": list(detail.adjusted.framework_years),
                "jobcentres": adjusted_json(detail.adjusted.table, status),
            }
            entry["spread"] = spread_json(detail.spread)
        goals.append(entry)
    return {
        "meeting": result.meeting.date.isoformat(),
        "meeting_kind": result.meeting.kind,
        "pack_date": result.pack_date.isoformat(),
        "cutoff": str(result.cutoff),
        "contract_year": result.contract.year,
        "final": result.final,
        "columns": STATUS_COLUMNS,
        "goals": goals,
    }


def whole(value: Any) -> int | None:
    """A rank or a number of things as an integer (None when there is none)."""
    plain = plain_value(value)
    return None if plain is None else int(plain)


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
