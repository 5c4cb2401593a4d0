"""The "Metode" page with the council's own values: its tolerances, deadlines and lags, and examples from its
own meetings, rendered at build time from ``book/metode.md.jinja`` (Jinja2) into ``book/generated/metode.md``.

``book/metode.md`` is the page itself (its address stays ``metode.html``); it includes the rendered text. Every
value is written in Danish ("2 %", "7 dage"); a setting's name appears only in the closing table of settings,
beside its value, as a hint for the secretariat. The constants of the methods (the XmR factor, the run length,
the floor of a usable expected level, a weak fit's R²) are read from the code that uses them, so the page cannot
say one thing while the code does another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import pandas as pd

from councilbook.analysis import spc
from councilbook.analysis.benchmark import UNCERTAIN_BELOW_MEDIAN
from councilbook.core import figures as fig
from councilbook.core.formats import format_date, format_month, format_number
from councilbook.core.paths import BookPaths
from councilbook.core.periods import month, month_end, xmr_years_before
from councilbook.core.prose import escape_markdown
from councilbook.parameters.meetings import Meeting
from councilbook.parameters.model import Parameters, share_weight
from councilbook.project.cutoff import compute_cutoff, compute_pack_date
from councilbook.text.sentences import WEAK_FIT

TEMPLATE = "metode.md.jinja"  # in book/
OUTPUT = "metode.md"  # in book/generated/, included by book/metode.md
NBSP = "\u00a0"
MONTHS_IN_SIGNAL_WINDOW = 12  # the text names the XmR signals ending in the last 12 months (text/sentences.py)


def number(value: float) -> str:
    """``2`` → ``2``, ``1.5`` → ``1,5``, ``1234`` → ``1.234``: a setting's value with the decimals it has (at most
    six), in Danish."""
    decimals = next((d for d in range(7) if round(value, d) == value), 6)
    return format_number(value, decimals)


def percent(value: float) -> str:
    return f"{number(value)}{NBSP}%"


def points(value: float) -> str:
    return f"{number(value)} procentpoint"


def days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


@dataclass(frozen=True)
class Setting:
    """One of the council's settings as the page shows it: what it is, its value, its name in the parameters."""

    what: str
    value: str
    name: str


@dataclass(frozen=True)
class CutoffExample:
    """The cut-off worked through for one of the council's own meetings."""

    meeting: str  # "11. december 2013"
    pack_date: str  # "4. december 2013"
    cutoff: str  # "september 2013"
    cutoff_end: str  # "30. september 2013": the cut-off month's last day
    published: str  # "9. november 2013": that day plus the lag, on or before the pack date
    next_month: str  # "oktober 2013": the month after, not yet published
    next_published: str  # "10. december 2013": the day it is published, after the pack date
    months_to: str  # "september"
    year_so_far: str  # "januar-september": the months of each year a yearly report compares
    quarter: str  # "3. kvartal 2013" (or "4. kvartal 2012" before March)
    cutoff_year: int  # 2013
    year: int  # the last whole year: 2012 (the cut-off's year when it is December)
    framework_year: int  # the year whose own framework figures wait for its December: 2013


@dataclass(frozen=True)
class EarlyMeetingExample:
    """A meeting of the council whose newest figures are from an earlier year: it shows that year's final status."""

    meeting: str
    cutoff: str
    contract_year: int
    final: bool  # the figures run to December: the final status


@dataclass(frozen=True)
class ToleranceExample:
    """How far from the target a forecast may be and still be "at risk", worked through."""

    count_target: str  # "1.000"
    count_first_short: str  # "1.001": the lowest forecast that misses "at most 1.000"
    count_at_risk_to: str | None  # "1.020": the highest forecast at risk on the tolerance (None: none is)
    count_off_track_from: str  # "1.021"
    share_target: str  # "20,0 %"
    share_at_risk_from: str | None  # "19,0 %": the lowest forecast at risk against "at least 20,0 %" (None: none)
    share_just_short: str  # "19,9 %"


def example_meeting(params: Parameters, as_of: date) -> Meeting | None:
    """The council's latest meeting held by ``as_of`` (the book shows those), else its first meeting."""
    held = [m for m in params.meetings if m.date <= as_of]
    if held:
        return max(held, key=lambda m: m.date)
    return min(params.meetings, key=lambda m: m.date) if params.meetings else None


def cutoff_example(params: Parameters, meeting: Meeting) -> CutoffExample:
    council = params.council
    pack = compute_pack_date(meeting.date, council)
    cutoff = compute_cutoff(pack, council)
    lag = pd.Timedelta(days=council.data_publication_lag_days)
    after = cutoff + 1
    if cutoff.month >= 3:
        last_quarter = pd.Period(year=cutoff.year, quarter=cutoff.month // 3, freq="Q")
    else:
        last_quarter = pd.Period(year=cutoff.year - 1, quarter=4, freq="Q")
    year = cutoff.year if cutoff.month == 12 else cutoff.year - 1
    return CutoffExample(
        meeting=format_date(meeting.date),
        pack_date=format_date(pack),
        cutoff=format_month(cutoff),
        cutoff_end=format_date(month_end(cutoff)),
        published=format_date(month_end(cutoff) + lag),
        next_month=format_month(after),
        next_published=format_date(month_end(after) + lag),
        months_to=format_month(cutoff).split()[0],
        year_so_far=year_so_far(cutoff),
        quarter=f"{last_quarter.quarter}. kvartal {last_quarter.year}",
        cutoff_year=cutoff.year,
        year=year,
        framework_year=year + 1,
    )


def year_so_far(cutoff: pd.Period) -> str:
    """``januar-september``: the months of each year up to the cut-off's month (``hele året`` for December)."""
    name = lambda period: format_month(period).split()[0]  # noqa: E731
    if cutoff.month == 12:
        return "hele året"
    if cutoff.month == 1:
        return name(cutoff)
    return f"{name(month(cutoff.year, 1))}-{name(cutoff)}"


def early_meeting_example(params: Parameters, as_of: date) -> EarlyMeetingExample | None:
    """The council's latest meeting (held by ``as_of`` if any was) whose cut-off lies in an earlier year."""
    meetings = sorted(params.meetings, key=lambda m: m.date)
    held = [m for m in meetings if m.date <= as_of] or meetings
    for meeting in reversed(held):
        cutoff = compute_cutoff(compute_pack_date(meeting.date, params.council), params.council)
        if cutoff.year < meeting.date.year:
            return EarlyMeetingExample(
                format_date(meeting.date), format_month(cutoff), cutoff.year, final=cutoff.month == 12
            )
    return None


def tolerance_example(params: Parameters, count_target: int = 1000, share_target: float = 20.0) -> ToleranceExample:
    """The limits of "at risk" on the tolerance alone, for a round count target ("at most") and share target ("at
    least"), found with the code's own comparison of the figures as shown (:func:`figures.gap`)."""
    council = params.council
    target = fig.level(count_target, False)

    def at_risk(forecast: int) -> bool:
        return -fig.gap(fig.level(forecast, False), target, "lower").rounded <= council.status_tolerance_pct

    highest = math.floor(count_target * (1 + (council.status_tolerance_pct + 0.05) / 100))
    while highest > count_target and not at_risk(highest):
        highest -= 1
    while at_risk(highest + 1):
        highest += 1
    share = fig.level(share_target, True)
    step = 10**-fig.SHARE_DECIMALS
    # the lowest share as shown (one decimal) whose distance to the target is within the tolerance
    lowest = max(math.ceil(round((share_target - council.status_tolerance_pp) / step, 6)) * step, 0.0)
    return ToleranceExample(
        count_target=target.text,
        count_first_short=fig.level(count_target + 1, False).text,
        count_at_risk_to=fig.level(highest, False).text if highest > count_target else None,
        count_off_track_from=fig.level(highest + 1, False).text,
        share_target=share.text,
        share_at_risk_from=fig.level(lowest, True).text if council.status_tolerance_pp >= step else None,
        share_just_short=fig.level(share_target - step, True).text,
    )


def settings(params: Parameters) -> list[Setting]:
    """The council's settings the methods use, with their values (for the closing table)."""
    council = params.council
    return [
        Setting(
            "Materialet er klar før mødet",
            days(council.publication.material_ready_days),
            "publication.material_ready_days",
        ),
        Setting(
            "Jobindsats.dk offentliggør en måned efter dens sidste dag",
            days(council.data_publication_lag_days),
            "data_publication_lag_days",
        ),
        Setting(
            "Tolerance for »I risiko«, antal",
            f"{percent(council.status_tolerance_pct)} af målet",
            "status_tolerance_pct",
        ),
        Setting("Tolerance for »I risiko«, andele", points(council.status_tolerance_pp), "status_tolerance_pp"),
    ]


def measure_labels(params: Parameters, which: str) -> list[str]:
    """Labels of the council's measures: ``population`` (the residents 16-66), ``framework`` (the framework
    conditions a regression uses), as Markdown literals."""
    found = []
    for measure in params.measures.values():
        if which == "population" and measure.population:
            found.append(measure.label)
        if which == "framework" and measure.framework and not measure.population:
            found.append(measure.label)
    return [escape_markdown(label) for label in found]


def share_weights(params: Parameters) -> list[tuple[str, str]]:
    """Each share measure of the council with the measure that weights it when areas are combined (labels)."""
    found = []
    for measure in params.measures.values():
        if measure.kind == "share":
            weight = share_weight(measure, params.measures)
            if weight is not None and weight in params.measures:
                found.append((escape_markdown(measure.label), escape_markdown(params.measures[weight].label)))
    return found


def page_values(params: Parameters, as_of: date | None = None) -> dict[str, object]:
    """Everything the template fills in, from the council's parameters (and the meetings held by ``as_of``)."""
    as_of = as_of or date.today()
    council = params.council
    meeting = example_meeting(params, as_of)
    return {
        "material_ready": days(council.publication.material_ready_days),
        "lag": days(council.data_publication_lag_days),
        "tolerance_pct": percent(council.status_tolerance_pct),
        "tolerance_pp": points(council.status_tolerance_pp),
        "cutoff": cutoff_example(params, meeting) if meeting else None,
        "early": early_meeting_example(params, as_of),
        "tolerance": tolerance_example(params),
        "settings": settings(params),
        "population": measure_labels(params, "population"),
        "framework": measure_labels(params, "framework"),
        "weights": share_weights(params),
        "xmr_factor": number(spc.SIGMA_FACTOR),
        "xmr_run": spc.RUN,
        "xmr_points": spc.MIN_POINTS,
        "xmr_years_months": xmr_years_before("M"),
        "xmr_years_quarters": xmr_years_before("Q"),
        "signal_months": MONTHS_IN_SIGNAL_WINDOW,
        "uncertain_below": percent(UNCERTAIN_BELOW_MEDIAN * 100),
        "weak_fit": number(WEAK_FIT),
    }


def render_method_page(template: str, params: Parameters, as_of: date | None = None) -> str:
    """The page's Markdown from the template's text and the council's parameters."""
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    return environment.from_string(template).render(**page_values(params, as_of))


def write_method_page(paths: BookPaths, params: Parameters, as_of: date | None = None) -> Path | None:
    """``book/generated/metode.md`` from ``book/metode.md.jinja`` (nothing without the template)."""
    template = paths.book / TEMPLATE
    if not template.is_file():
        return None
    path = paths.generated / OUTPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_method_page(template.read_text(encoding="utf-8"), params, as_of), encoding="utf-8")
    return path
