"""Generated Danish sentences about computed findings: forecasts, signals, job centres, spreads."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from councilbook.analysis.status import GoalStatus, target_period
from councilbook.core import figures as fig
from councilbook.core.formats import (
    format_number,
    format_percent,
    format_period,
    format_period_code,
)
from councilbook.core.periods import last_month
from councilbook.core.prose import escape_markdown as md_text
from councilbook.parameters.model import Goal
from councilbook.text import present


def status_line(goal: Goal, status: GoalStatus) -> str:
    """A goal's status in one line of plain text: symbol and word, then the forecast against the target."""
    line = present.status_cell(status.status)
    f = status.figures
    if f.forecast.known and f.target.known:
        word = "resultatet" if status.final else "prognosen"
        line += f" – {word} for {status.contract_year} er {f.forecast.text} mod målet {present.target_cell(status)}"
    return line


def main_point(goal: Goal, status: GoalStatus) -> str:
    """A goal's main point (Markdown), the number first: ``**16,1 %** prognose for 2013 – Flere unge …: ✔ På
    rette spor (målet: mindst 16,0 %).``"""
    f = status.figures
    title = md_text(goal.title)
    verdict = present.status_cell(status.status)
    if not f.forecast.known:
        return f"{title}: {verdict}."
    word = "resultatet" if status.final else "prognosen"
    target = f" (målet: {md_text(present.target_cell(status))})" if f.target.known else ""
    return f"**{f.forecast.text}** er {word} for {status.contract_year} – {title}: {verdict}{target}."


def _forecast_what(goal: Goal, status: GoalStatus) -> str:
    if goal.aggregation == "end_of_period":
        return f"værdien i {format_period(target_period(goal, status.freq, status.contract_year))}"
    return f"hele {status.contract_year}"


def describe_forecast(status: GoalStatus, goal: Goal) -> str:
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
    :func:`detail.compute_jobcentre_table`, best change first): the best among those that improved, the worst
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


def _with_ties(rows: list[Any], count: int, rank: str = "rank") -> list[Any]:
    """The first ``count`` rows, and any after them with the same rank (field ``rank``) as the last of those."""
    if len(rows) <= count:
        return rows
    last = getattr(rows[count - 1], rank)
    return rows[:count] + [r for r in rows[count:] if getattr(r, rank) == last]


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
        good = [r for r, sign in zip(rows, side, strict=True) if sign == good_sign]
        bad = sorted(  # the worst first; tied ones by name, as on the good side
            (r for r, sign in zip(rows, side, strict=True) if sign == -good_sign),
            key=lambda r: (-r.adjusted_rank, r.jobcentre),
        )
        good, bad = _with_ties(good, count, "adjusted_rank"), _with_ties(bad, count, "adjusted_rank")
        if good:
            parts.append(f"**Gode resultater i forhold til rammevilkårene:** {', '.join(name(r) for r in good)}.")
        if bad:
            parts.append(f"**Særlige udfordringer i forhold til rammevilkårene:** {', '.join(name(r) for r in bad)}.")
    flagged = table[table["flag"] != ""]
    if len(flagged):
        names = ", ".join(f"{md_text(r.jobcentre)} ({present.FLAG_REASONS[r.flag]})" for r in flagged.itertuples())
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


def status_overview(statuses: list[GoalStatus]) -> str:
    """``3 på rette spor, 1 i risiko, 2 uden tal endnu``: how many goals have each status."""
    counts = {key: sum(g.status == key for g in statuses) for key in STATUS_WORDS}
    return ", ".join(f"{n} {OVERVIEW_WORDS[k]}" for k, n in counts.items() if n)


def period_words(statuses: list[GoalStatus]) -> str:
    kinds = {g.freq for g in statuses}
    if kinds == {"Q"}:
        return "kvartaler"
    return "måneder (kvartaler for mål med kvartalstal)" if "Q" in kinds else "måneder"


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
        return f"Målt ved interkvartilafstanden for *faktisk/forventet niveau* er den {a.text} i {first_label}."
    if a.rounded == b.rounded:
        trend = f"uændret på {a.text} fra {first_label} til {last_label}"
    else:
        word = "mindsket" if b.rounded < a.rounded else "øget"
        trend = f"{word} fra {a.text} i {first_label} til {b.text} i {last_label}"
    return f"Målt ved interkvartilafstanden for *faktisk/forventet niveau* er den {trend}."
