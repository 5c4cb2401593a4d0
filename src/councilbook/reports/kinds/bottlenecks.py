"""The bottleneck overview (flaskehalsoversigt): occupations short of labour and with good job prospects.

One overview per labour-market balance (``bottlenecks/<year>-<1|2>.yml`` names the balance and the day it is
published): the region's shortage occupations and good-prospect occupations with the change since the
balance before, the changes counted, and each job centre's count. The balance is read from the data folder's
``arbejdsmarkedsbalancen/`` (:mod:`councilbook.data.balance`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from councilbook.core.errors import Problem, display_path
from councilbook.core.formats import count_noun, format_date, format_number, join_and
from councilbook.core.links import jobcentre_page
from councilbook.core.prose import escape_markdown as md_text
from councilbook.core.prose import prose_markdown
from councilbook.data.balance import (
    BALANCE_FOLDER,
    CHANGE_LABELS_DA,
    PROSPECT_LABELS_DA,
    REGION,
    Balance,
    compare_balances,
)
from councilbook.data.ingest import Dataset
from councilbook.parameters.folders import DataContext, ReportFolder
from councilbook.parameters.model import Parameters
from councilbook.parameters.types import IsoDate, StrictModel, Text
from councilbook.publication.provenance import collect_provenance
from councilbook.publication.scope import Scope, evaluation_cutoff, finish_scope, only
from councilbook.reports.common import provenance_section, report_intro, scoped_project
from councilbook.reports.model import Report, Section
from councilbook.reports.registry import Deadline, Item, ReportKind
from councilbook.text import present


class Bottlenecks(StrictModel):
    """A bottleneck overview (flaskehalsoversigt) from one labour-market balance (``<year>-1`` or ``-2``):
    ``bottlenecks/<balance>.yml``."""

    balance: str = Field(pattern=r"^\d{4}-[12]$")
    published: IsoDate
    comment: Text | None = None


def check_balance(path: Path, edition: Bottlenecks, data: DataContext) -> list[Problem]:
    """The overview's balance is in the data, published by the overview's date."""
    balance = data.balances.get(edition.balance)
    if balance is None:
        known = join_and(list(data.balances)) or "ingen"
        where = display_path(data.folder / BALANCE_FOLDER)
        return [
            Problem(
                display_path(path), "balance", f"balancen {edition.balance} findes ikke i {where} (der er: {known})"
            )
        ]
    if edition.published < balance.published:
        return [
            Problem(
                display_path(path),
                "published",
                f"{format_date(edition.published)} er før selve balancen blev offentliggjort "
                f"({format_date(balance.published)}, {balance.file})",
            )
        ]
    return []


FOLDER = ReportFolder("bottlenecks", Bottlenecks, "flaskehalsoversigten", key_field="balance", data_check=check_balance)


def bottlenecks(params: Parameters) -> dict[str, Bottlenecks]:
    """The parameters' bottleneck overviews by balance id."""
    return params.of(FOLDER.name)


def previous_balance(dataset: Dataset, key: str) -> str | None:
    """The id of the balance before ``key`` in the data, if any."""
    earlier = [other for other in sorted(dataset.balances) if other < key]
    return earlier[-1] if earlier else None


def bottlenecks_scope(
    key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool
) -> Scope:
    """The bottleneck overview of balance ``key``: its parameters, that balance and the one before it."""
    edition = bottlenecks(params)[str(key)]
    before = previous_balance(dataset, str(key))
    cutoff = evaluation_cutoff(edition.published, params)
    scoped = only(params, reports={FOLDER.name: {str(key): edition}})
    balances = (str(key),) if before is None else (before, str(key))
    return finish_scope(
        "bottlenecks", str(key), params, dataset, scoped, [], cutoff, [edition.published], embargo, public, {}, balances
    )


HALVES_DA = {"1": "forår", "2": "efterår"}


def balance_name(key: str) -> str:
    """``2013-1`` -> ``foråret 2013``."""
    year, half = key.split("-")
    return f"{HALVES_DA[half]}et {year}"


def bottlenecks_title(key: str) -> str:
    return f"Flaskehalsoversigt, {balance_name(key)}"


def compute_bottlenecks(balance: Balance, before: Balance | None) -> pd.DataFrame:
    """The region's occupations in ``balance`` with the change since ``before`` (:func:`compare_balances`),
    shortage occupations first, then good prospects, each by title."""
    frame = compare_balances(balance, before, REGION)
    frame = frame.assign(
        _order=[0 if s else 1 if p == "good" else 2 for s, p in zip(frame["shortage"], frame["prospects"], strict=True)]
    )
    return frame.sort_values(["_order", "occupation", "code"]).drop(columns="_order").reset_index(drop=True)


def _change_text(row: Any, has_before: bool) -> str:
    if not has_before:
        return "–"
    return CHANGE_LABELS_DA[row.change]


def _occupation_table(frame: pd.DataFrame, has_before: bool, caption: str) -> present.Table | None:
    if frame.empty:
        return None
    return present.Table(
        columns=["Stilling", "Disco-kode", "Jobmuligheder", "Mangel", "Ændring"],
        rows=[
            [
                r.occupation,
                r.code,
                PROSPECT_LABELS_DA[r.prospects],
                "Ja" if r.shortage else "Nej",
                _change_text(r, has_before),
            ]
            for r in frame.itertuples(index=False)
        ],
        caption=caption,
        stacked=True,
    )


def build_bottlenecks_report(
    params_dir: str | Path, data_path: str | Path, balance_id: str, as_of: str | date | None = None
) -> Report:
    key = str(balance_id)
    project, scope = scoped_project(params_dir, data_path, "bottlenecks", key, as_of)
    params = project.params
    edition = bottlenecks(params)[key]
    balance = project.dataset.balances[key]
    before_key = previous_balance(project.dataset, key)
    before = project.dataset.balances.get(before_key) if before_key else None
    frame = compute_bottlenecks(balance, before)
    has_before = before is not None
    shortage = frame[frame["shortage"]]
    good = frame[(frame["prospects"] == "good") & ~frame["shortage"]]
    since = f" siden balancen for {balance_name(before_key)}" if before_key else ""
    counts = frame["change"].value_counts()
    new = int(counts.get("new_shortage", 0))
    sections = [
        Section(
            heading=present.Markdown("## Mangel på arbejdskraft"),
            text=present.Markdown(
                f"I {balance_name(key)} er der mangel på arbejdskraft i "
                f"{count_noun(len(shortage), 'stilling', 'stillinger')} i regionen."
                + (
                    f" {format_number(new)} {'er ny' if new == 1 else 'er nye'}{since}, og "
                    f"{format_number(int(counts.get('shortage_ended', 0)))} har ikke længere mangel."
                    if has_before
                    else " Det er den første balance i data, så der er ingen ændringer at vise."
                )
            ),
            table=_occupation_table(
                shortage, has_before, f"Stillinger med mangel på arbejdskraft, {balance_name(key)}"
            ),
            id="shortage",
        ),
        Section(
            heading=present.Markdown("## Gode jobmuligheder"),
            text=present.Markdown(
                f"Yderligere {count_noun(len(good), 'stilling', 'stillinger')} har gode jobmuligheder uden mangel "
                "på arbejdskraft."
            ),
            table=_occupation_table(good, has_before, f"Stillinger med gode jobmuligheder, {balance_name(key)}"),
            id="good-prospects",
        ),
    ]
    if has_before:
        changed = frame[frame["change"] != "unchanged"]
        sections.append(
            Section(
                heading=present.Markdown(f"## Ændringer{since}"),
                text=present.Markdown(
                    "; ".join(
                        f"{label}: {format_number(int(counts.get(change, 0)))}"
                        for change, label in CHANGE_LABELS_DA.items()
                    )
                    + "."
                ),
                table=_occupation_table(changed, True, f"Stillinger med ændrede vurderinger{since}")
                if len(changed)
                else None,
                id="changes",
            )
        )
    rows = []
    for jc in params.council.job_centres:
        area = jc.area_key if len(jc.codes) > 1 else jc.codes[0]
        own = balance.for_area(area)
        rows.append(
            [
                jc.name,
                format_number(int(own["shortage"].sum())) if len(own) else "–",
                format_number(int((own["prospects"] == "good").sum())) if len(own) else "–",
                format_number(int((own["prospects"] == "limited").sum())) if len(own) else "–",
            ]
        )
    sections.append(
        Section(
            heading=present.Markdown("## Jobcentrene"),
            text=present.Markdown(
                "Antal stillinger med mangel på arbejdskraft, gode og begrænsede jobmuligheder i hvert jobcenters "
                "område (– : balancen vurderer ikke området for sig)."
            ),
            table=present.Table(
                columns=["Jobcenter", "Mangel", "Gode jobmuligheder", "Begrænsede jobmuligheder"],
                rows=rows,
                numeric=(1, 2, 3),
                caption=f"Stillinger pr. jobcenter, {balance_name(key)}",
                row_pages=[jobcentre_page(jc.id) for jc in params.council.job_centres],
            ),
            id="jobcentres",
        )
    )
    if edition.comment:
        sections.insert(
            0,
            Section(
                heading=present.Markdown("## Sekretariatets bemærkninger"),
                text=present.Markdown(prose_markdown(edition.comment)),
                id="comment",
            ),
        )
    # Where the balance comes from, for readers; sample data say so in the report's notice, not in a file's words.
    source = "" if project.dataset.source.sample or not balance.source else f" (kilde: {md_text(balance.source)})"
    intro = report_intro(
        project,
        f"Flaskehalsoversigten bygger på arbejdsmarkedsbalancen for {balance_name(key)}, offentliggjort "
        f"{format_date(balance.published)}{source}. Den viser de stillinger, hvor "
        "virksomhederne i regionen mangler arbejdskraft, og dem med gode jobmuligheder for ledige"
        + (f", med ændringen{since}." if has_before else "."),
        f"Balancen vurderer {count_noun(len(frame), 'stilling', 'stillinger')} for regionen.",
    )
    provenance = collect_provenance(params, project.dataset, scope.cutoff, scope)
    figures = {
        "balance": key,
        "previous_balance": before_key,
        "published": balance.published.isoformat(),
        "occupations": present.plain_records(frame),
        "shortage_count": int(len(shortage)),
        "good_prospects_count": int(len(good)),
        "provenance": provenance.as_dict(),
    }
    closing = provenance_section(
        provenance,
        lead=f"Arbejdsmarkedsbalancen for {balance_name(key)}, offentliggjort {format_date(balance.published)}"
        + (f"; sammenlignet med balancen for {balance_name(before_key)}" if before_key else "")
        + ".",
        made=edition.published,
    )
    return Report(
        title=bottlenecks_title(key),
        intro=intro,
        summary=None,
        sections=sections,
        closing=closing,
        figures=figures,
        name=f"flaskehalse-{key}",
    )


def bottlenecks_items(params: Parameters) -> list[Item]:
    return [
        Item(
            key=key,
            value=key,
            title=bottlenecks_title(key),
            nav_title=f"Flaskehalse, {balance_name(key)}",
            year=int(key[:4]),
            part="Flaskehalsoversigter",
            rank=(-int(key[:4]), -int(key[-1])),
            fields={"balance": key},
        )
        for key in sorted(bottlenecks(params), reverse=True)
    ]


def bottlenecks_deadlines(params: Parameters) -> list[Deadline]:
    return [Deadline(b.published, f"{bottlenecks_title(key)} offentliggøres") for key, b in bottlenecks(params).items()]


KIND = ReportKind(
    id="bottlenecks",
    made_for="period",
    parameter="balance_id",
    items=bottlenecks_items,
    scope=bottlenecks_scope,
    folder=FOLDER,
    public_from=lambda key, params: bottlenecks(params)[key].published if key in bottlenecks(params) else None,
    build=build_bottlenecks_report,
    latest_label="Seneste flaskehalsoversigt",
    order=5,
    deadlines=bottlenecks_deadlines,
)
