"""The members' pack for a meeting: a PDF, an Excel workbook and a manifest, in packs/<date>/.

The PDF leads with what a member reads first and keeps the detail at the back:

1. a cover: council, meeting, date, time and place, the month the figures run to, when the material
   was sent, and "Fortroligt indtil mødet er afholdt";
2. the goals at a glance on one page: status in symbol, word and colour, forecast against target;
3. the agenda: each item's number, title, presenter, time and page, then who is on the council and
   who sent apologies;
4. the items: case text, recommendation and attachments ("Bilag 2.1"), each attachment merged in after
   its item (members/assemble.py); the standard item on the previous minutes gets those minutes
   attached while they are still a draft;
5. follow-up: the open and overdue actions and the previous meeting's decisions;
6. an annex with the status on the goals (the job centres' full tables are in the workbook);
7. "Om tallene".

Confidential case texts and attachments are in the pack: it is for members only. Every page has a
running header (council, meeting, date) and "Side N af M" counting the attachments' pages; A4, body text
never under 9 pt. A pack once sent, or past its material date, is never rewritten: a correction is a new
numbered version beside it (members/versions.py).
"""

from __future__ import annotations

import hashlib
import html
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from markdown_it import MarkdownIt

from councilbook.analysis.actions import ACTION_STATE_LABELS_DA, pending_actions
from councilbook.assembly.pdf import print_to_pdf
from councilbook.core.errors import InputError, Problem
from councilbook.core.formats import STATUS_LABELS, format_date, format_month
from councilbook.core.links import link_addresses
from councilbook.core.paths import BookPaths
from councilbook.core.prose import inline_html, prose_html, safe_markdown
from councilbook.members.assemble import (
    Insert,
    assemble_pack,
    attachment_as_pdf,
    heading_texts,
    plan_pages,
    read_bookmarks,
)
from councilbook.members.minutes import facts_html, meeting_facts, minutes_html
from councilbook.members.versions import (
    PackHistory,
    describe_changes,
    mark_sent,
    next_version,
    sha256,
    version_suffix,
    write_manifest,
)
from councilbook.members.workbook import write_status_workbook
from councilbook.parameters.meetings import MEMBER_ROLE_LABELS_DA, attachment_path
from councilbook.parameters.model import MEETING_KIND_LABELS_DA, AgendaItem, Meeting, Parameters
from councilbook.project.load import load_project
from councilbook.publication.scope import minutes_state
from councilbook.reports.kinds.status import status_report
from councilbook.reports.model import Report
from councilbook.text import present

# The reports' Markdown, already made safe (prose.safe_markdown), rendered with raw HTML off all the same.
_markdown = MarkdownIt("commonmark", {"html": False})

# Sections of the status report whose long tables stay in the workbook: the pack keeps their text.
DETAIL_SECTIONS = ("jobcentres-", "adjusted-", "spread-")


@dataclass(frozen=True)
class Pack:
    folder: Path
    pdf: Path
    workbook: Path
    manifest: Path
    cutoff: pd.Period | None = None  # the last month the pack's figures may use
    data_end: pd.Period | None = None  # the data's last month, when it comes before the cut-off
    version: int = 1
    pages: int = 0
    changes: tuple[str, ...] = ()


class PackFrozen(Exception):
    """The pack was sent (or its material date has passed) and may not be rewritten."""


@dataclass(frozen=True)
class PackAttachment:
    """An attachment as the pack shows it: its label ("Bilag 2.1"), title and PDF."""

    label: str
    title: str
    pdf: Path
    item: int  # the agenda item's number


Attachments = dict[int, list[PackAttachment]]  # by the item's number


@dataclass
class PagePlan:
    """The merged PDF's page numbers (from 1), once known: of each item and of each attachment."""

    items: dict[int, int] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)
    total: int = 0


def _md(markdown: present.Markdown | str) -> str:
    if isinstance(markdown, str):
        markdown = present.Markdown(markdown)
    return markdown.notice + _markdown.render(safe_markdown(markdown.text))


def item_heading(number: int, item: AgendaItem) -> str:
    return f"{number}. {item.title}"


def _page(plan: PagePlan | None, page: int | None) -> str:
    return str(page) if plan is not None and page is not None else "00"


def agenda_list_html(meeting: Meeting, attachments: Attachments, plan: PagePlan | None) -> str:
    """The agenda at a glance: number, item, what the council is asked, presenter, time and page."""
    if not meeting.agenda:
        return "<p>Der er ingen punkter på dagsordenen endnu.</p>"
    with_presenter = any(i.presenter for i in meeting.agenda)
    with_time = any(i.time for i in meeting.agenda)
    head = ["Nr.", "Punkt", "Til"] + (["Oplæg"] if with_presenter else []) + (["Kl."] if with_time else []) + ["Side"]
    rows = []
    for number, item in enumerate(meeting.agenda, start=1):
        kind = "beslutning" if item.type == "decision" else "orientering"
        secret = ' <span class="cb-secret">Fortroligt</span>' if item.confidential else ""
        cells = [
            f"{number}.",
            f'<a href="#punkt-{number}">{html.escape(item.title)}</a>{secret}'
            + "".join(
                f'<br><span class="cb-attached">{html.escape(a.label)}: {html.escape(a.title)}, side '
                f"{_page(plan, plan.attachments.get(a.label) if plan else None)}</span>"
                for a in attachments.get(number, [])
            ),
            kind,
        ]
        if with_presenter:
            cells.append(html.escape(item.presenter or ""))
        if with_time:
            cells.append(html.escape((item.time or "").replace(":", ".")))
        cells.append(_page(plan, plan.items.get(number) if plan else None))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (
        '<table class="cb-agenda"><caption>Dagsordenens punkter med sidetal i dette materiale</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def attendance_html(params: Parameters, meeting: Meeting) -> str:
    """Who is on the council, who sent apologies and which alternates come."""
    members = params.council.members
    if not members:
        return ""
    regular = [m for m in members if m.role != "alternate"]
    lines = [
        f"{html.escape(m.name)} ({html.escape(m.organisation)}"
        + (f", {MEMBER_ROLE_LABELS_DA[m.role]}" if m.role in ("chair", "vice_chair") else "")
        + ")"
        + (" – <strong>afbud</strong>" if m.name in meeting.absent else "")
        for m in regular
    ]
    parts = ['<h2 id="deltagere">Rådets medlemmer</h2>', '<ul class="cb-members">']
    parts += [f"<li>{line}</li>" for line in lines]
    parts.append("</ul>")
    if meeting.absent:
        parts.append(f"<p><strong>Afbud:</strong> {html.escape(', '.join(meeting.absent))}.</p>")
    else:
        parts.append("<p><strong>Afbud:</strong> ingen er meldt.</p>")
    if meeting.alternates:
        parts.append(
            f"<p><strong>Suppleanter, der deltager:</strong> {html.escape(', '.join(meeting.alternates))}.</p>"
        )
    return "\n".join(parts)


def items_html(meeting: Meeting, attachments: Attachments, notes: dict[int, str]) -> str:
    """Each item in full: what the council is asked, presenter and time, case text, recommendation and the
    attachments that follow it."""
    parts = []
    for number, item in enumerate(meeting.agenda, start=1):
        attached = attachments.get(number, [])
        kind = "Til beslutning" if item.type == "decision" else "Til orientering"
        secret = ' <span class="cb-secret">Fortroligt</span>' if item.confidential else ""
        classes = "cb-item" + (" cb-ends-page" if attached else "")
        parts.append(f'<section class="{classes}">')
        parts.append(f'<h2 id="punkt-{number}">{html.escape(item_heading(number, item))}</h2>')
        meta = [f"<strong>{kind}</strong>{secret}"]
        if item.presenter:
            meta.append(f"Oplæg ved {html.escape(item.presenter)}")
        if item.time:
            meta.append(f"kl. {html.escape(item.time.replace(':', '.'))}")
        parts.append(f'<p class="cb-kind">{" · ".join(meta)}</p>')
        if item.case_text:
            parts.append(prose_html(item.case_text))
        if number in notes:
            parts.append(f"<p>{notes[number]}</p>")
        if item.type == "decision" and item.recommendation:
            parts.append(
                f'<div class="cb-recommendation"><strong>Indstilling:</strong> {inline_html(item.recommendation)}</div>'
            )
        if attached:
            parts.append(
                '<p class="cb-attachments"><strong>Bilag:</strong></p><ul>'
                + "".join(f"<li>{html.escape(a.label)}: {html.escape(a.title)}</li>" for a in attached)
                + "</ul>"
            )
        parts.append("</section>")
    if not parts:
        parts.append("<p>Der er ingen punkter på dagsordenen endnu.</p>")
    return "\n".join(parts)


def actions_html(params: Parameters, meeting: Meeting, as_of: date) -> str:
    """The open and overdue actions decided before the meeting (the action log)."""
    pending = pending_actions(params, meeting.date, as_of)
    if not pending:
        return "<p>Der er ingen åbne handlinger fra tidligere møder.</p>"
    overdue = sum(a.state(as_of) == "overdue" for a in pending)
    intro = (
        f"<p>{len(pending)} handling{'er' if len(pending) != 1 else ''} fra rådets beslutninger er ikke udført pr. "
        f"{format_date(as_of)}" + (f"; {overdue} har overskredet fristen" if overdue else "") + ".</p>"
    )
    rows = [
        [
            a.what,
            a.owner,
            format_date(a.deadline),
            ("✖ " if a.state(as_of) == "overdue" else "") + ACTION_STATE_LABELS_DA[a.state(as_of)],
            f"{format_date(a.meeting)}, punkt {a.item_number}",
        ]
        for a in pending
    ]
    table = present.Table(
        columns=["Handling", "Ansvarlig", "Frist", "Status", "Besluttet"],
        rows=rows,
        caption="Åbne handlinger fra rådets beslutninger",
    )
    return intro + table._repr_html_()


def previous_decisions_html(params: Parameters, meeting: Meeting) -> str:
    before = params.previous_meeting(meeting)
    if before is None:
        return "<p>Der er intet tidligere møde i parametrene.</p>"
    rows = [
        [
            item.title + (" (fortroligt)" if item.confidential else ""),
            item.decision or "",
            item.follow_up or "ikke registreret",
        ]
        for item in before.agenda
        if item.decision
    ]
    intro = (
        f"<p>Beslutninger fra {MEETING_KIND_LABELS_DA[before.kind].lower()} {format_date(before.date)} "
        "og sekretariatets opfølgning.</p>"
    )
    if not rows:
        return intro + "<p>Der blev ikke truffet beslutninger.</p>"
    table = present.Table(
        columns=["Punkt", "Beslutning", "Opfølgning"],
        rows=rows,
        caption=f"Opfølgning på mødet {format_date(before.date)}",
    )
    return intro + table._repr_html_()


def report_html(report: Report) -> str:
    """The status report's content as HTML, headings one level down, for the annex: the agenda is in its
    own part, and the job centres' long tables stay in the workbook (their text stays)."""
    parts = [_md(report.intro)]
    for section in report.sections:
        if section.id == "agenda":
            continue
        detail = section.id.startswith(DETAIL_SECTIONS)
        parts.append(_md(section.heading))
        parts.append(_md(section.text))
        if section.chart is not None and not detail:
            parts.append(section.chart._repr_html_())
        if section.note is not None:
            parts.append(_md(section.note))
        if section.table is not None and not detail:
            parts.append(section.table._repr_html_())
        elif section.table is not None:
            parts.append(
                f'<p class="cb-in-workbook">Tabellen med alle {len(section.table.rows)} rækker er i regnearket, '
                "der følger med materialet.</p>"
            )
    return "\n".join(parts)


def pack_css(base_css: str, header: str) -> str:
    header_css = header.replace("\\", "\\\\").replace('"', '\\"')
    return (
        base_css
        + f"""
@page {{ size: A4; margin: 20mm 14mm 18mm 14mm;
  @top-left {{ content: "{header_css}"; font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #444; }}
  @bottom-right {{ content: none; }} }}
@page :first {{ @top-left {{ content: none; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #222; margin: 0;
  overflow-wrap: break-word; }}
p, li, dd, code {{ overflow-wrap: anywhere; }}  /* hashes and paths break rather than widen the page */
h1 {{ font-size: 17pt; break-before: page; margin: 0 0 8pt; }}
h2 {{ font-size: 13pt; margin: 14pt 0 6pt; break-after: avoid; }}
h3 {{ font-size: 11pt; break-after: avoid; }}
.cb-cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: center; }}
.cb-cover .cb-council {{ font-size: 14pt; color: #0072B2; }}
.cb-cover h1 {{ break-before: avoid; font-size: 26pt; }}
.cb-cover h1 {{ max-width: 150mm; }} .cb-nowrap {{ white-space: nowrap; }}
.cb-cover dl {{ display: grid; grid-template-columns: max-content auto; gap: 3pt 12pt; font-size: 12pt; }}
.cb-cover dt {{ font-weight: bold; }} .cb-cover dd {{ margin: 0; }}
.cb-cover .cb-confidential {{ margin-top: 24pt; font-size: 14pt; font-weight: bold; color: #D55E00;
  border: 2px solid #D55E00; padding: 6pt 10pt; display: inline-block; align-self: flex-start; }}
.cb-cover .cb-version {{ margin-top: 12pt; font-size: 11pt; }}
.cb-secret {{ color: #D55E00; font-weight: bold; margin-left: 6pt; }}
.cb-recommendation {{ border-left: 4px solid #0072B2; background: #eef5fb; padding: 4pt 8pt; margin: 6pt 0; }}
.cb-ends-page {{ break-after: page; }}
.cb-item {{ margin-bottom: 10pt; }}
.cb-attached {{ font-size: 9.5pt; color: #444; }}
table.cb-agenda {{ border-collapse: collapse; width: 100%; font-size: 10pt; }}
table.cb-agenda caption {{ text-align: left; font-weight: bold; margin-bottom: 4pt; }}
table.cb-agenda th, table.cb-agenda td {{ border-bottom: 1px solid #ccc; padding: 3pt 5pt; vertical-align: top;
  text-align: left; }}
table.cb-agenda td:last-child, table.cb-agenda th:last-child {{ text-align: right; }}
table.cb-agenda a {{ color: inherit; text-decoration: none; }}
.cb-table-wrap {{ overflow: visible; }}
table.cb-table, table.cb-table td, table.cb-table th {{ font-size: 9pt; }}
table.cb-table td, table.cb-table th {{ padding: 2pt 3pt; }}
.cb-table-note, .cb-notice, figcaption, caption {{ font-size: 9.5pt; }}
table.cb-table tr, figure.cb-chart {{ break-inside: avoid; }}
figure.cb-chart img {{ max-width: 100%; height: auto; }}
.cb-downloads {{ display: none; }}
"""
    )


def build_pack_html(
    params: Parameters,
    meeting: Meeting,
    report: Report,
    summary: present.Table,
    pack_date: date,
    base_css: str,
    attachments: Attachments,
    notes: dict[int, str],
    plan: PagePlan | None,
    cutoff: pd.Period,
    version: int = 1,
    correction: str | None = None,
) -> str:
    council = params.council
    kind = MEETING_KIND_LABELS_DA[meeting.kind]
    header = f"{council.short_name} · {kind} · {format_date(meeting.date)}"
    agenda = agenda_list_html(meeting, attachments, plan) + attendance_html(params, meeting)
    chapters = [
        ("overblik", "Målene på én side", summary._repr_html_()),
        ("dagsorden", "Dagsorden", agenda),
        ("punkter", "Dagsordenens punkter", items_html(meeting, attachments, notes)),
        (
            "opfoelgning",
            "Opfølgning på rådets beslutninger",
            '<h2 id="handlinger">Åbne handlinger</h2>'
            + actions_html(params, meeting, pack_date)
            + '<h2 id="sidste-moede">Beslutninger fra sidste møde</h2>'
            + previous_decisions_html(params, meeting),
        ),
        ("status", "Bilag A: Status på kontraktens mål", report_html(report)),
        (
            "om-tallene",
            "Om tallene",
            "".join(
                _md(p) if isinstance(p, present.Markdown) else p._repr_html_()
                for p in report.closing.display_parts()[1:]
            ),
        ),
    ]
    body = "".join(f'<h1 id="{anchor}">{html.escape(title)}</h1>\n{content}' for anchor, title, content in chapters)
    facts = meeting_facts(meeting)
    facts.append(("Tallene går til og med", format_month(cutoff)))
    facts.append(("Materialet er udsendt", format_date(pack_date)))
    cover = (
        '<section class="cb-cover">'
        f'<div class="cb-council">{html.escape(council.name)}</div>'
        f'<h1 id="forside">{html.escape(kind)} '
        f'<span class="cb-nowrap">{html.escape(format_date(meeting.date))}</span></h1>'
        f"<p>{html.escape(meeting.title)}</p>"
        + facts_html(facts)
        + '<div class="cb-confidential">Fortroligt indtil mødet er afholdt</div>'
        + (
            f'<p class="cb-version"><strong>Version {version}, rettelse:</strong> {html.escape(correction or "")}</p>'
            if version > 1
            else ""
        )
        + "</section>"
    )
    # Links to the book's pages (a job centre's row) stay text: the pack is a document of its own.
    body = link_addresses(body, "", {})
    return (
        f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{html.escape(header)}</title>'
        f"<style>{pack_css(base_css, header)}</style></head><body>{cover}{body}</body></html>"
    )


def _collect_attachments(
    params: Parameters, meeting: Meeting, pack_date: date, workdir: Path
) -> tuple[Attachments, dict[int, str]]:
    """Each item's attachments as PDF, numbered "Bilag <item>.<n>", and notes for the items: the standard
    item on the previous minutes gets those minutes attached while they are a draft, or says where they are."""
    from councilbook.members.assemble import AttachmentError

    attachments: Attachments = {}
    notes: dict[int, str] = {}
    file, index = params.meeting_places.get(meeting.date, ("", 0))
    for number, item in enumerate(meeting.agenda, start=1):
        found: list[PackAttachment] = []
        for attachment in item.attachments:
            label = f"Bilag {number}.{len(found) + 1}"
            try:
                pdf = attachment_as_pdf(attachment_path(params.root, attachment), workdir / label.replace(" ", "-"))
            except AttachmentError as exc:
                where = f"meetings[{index}].agenda[{number - 1}].attachments"
                raise InputError([Problem(file, where, str(exc))]) from None
            found.append(PackAttachment(label, attachment.title, pdf, number))
        if item.standard == "minutes":
            previous = params.previous_meeting(meeting)
            if previous is None:
                notes[number] = "Der er intet tidligere møde i parametrene."
            else:
                state = minutes_state(previous, params, pack_date)
                when = format_date(previous.date)
                if state.state == "draft":
                    label = f"Bilag {number}.{len(found) + 1}"
                    page = workdir / f"referat-{previous.date.isoformat()}.html"
                    page.write_text(minutes_html(params, previous, state, members=True), encoding="utf-8")
                    pdf = print_to_pdf(page, page.with_suffix(".pdf"))
                    found.append(PackAttachment(label, f"Udkast til beslutningsreferat fra mødet {when}", pdf, number))
                elif state.state == "approved" and state.objections_end:
                    notes[number] = (
                        f"Referatet fra mødet {when} er godkendt: indsigelsesfristen udløb "
                        f"{format_date(state.objections_end)} uden indsigelser."
                    )
                else:
                    notes[number] = f"Referatet fra mødet {when} er endnu ikke sendt ud."
        if found:
            attachments[number] = found
    return attachments, notes


AFTER_ITEMS = "Opfølgning på rådets beslutninger"


def _inserts(meeting: Meeting, attachments: Attachments) -> list[Insert]:
    headings = [item_heading(n, item) for n, item in enumerate(meeting.agenda, start=1)]
    inserts = []
    for number, found in sorted(attachments.items()):
        following = headings[number] if number < len(headings) else AFTER_ITEMS
        for a in found:
            inserts.append(Insert(headings[number - 1], following, a.label, f"{a.label}: {a.title}", a.pdf))
    return inserts


def _agenda_digests(meeting: Meeting) -> dict[str, str]:
    return {
        str(number): hashlib.sha256(item.model_dump_json().encode("utf-8")).hexdigest()[:16]
        for number, item in enumerate(meeting.agenda, start=1)
    }


def build_pack(
    params_dir: Path,
    data_path: Path,
    meeting_date: date,
    root: Path,
    out_dir: Path | None = None,
    as_of: date | None = None,
    correction: str | None = None,
) -> Pack:
    """Write the pack for one meeting into packs/<date>/ (or ``out_dir``).

    A pack that was sent, or whose material date has passed on ``as_of`` (default today), is not rewritten:
    without a ``correction`` this raises :class:`PackFrozen`; with one, the pack is written as the next
    version beside the old, and the manifest records what changed."""
    from pypdf import PdfReader

    from councilbook.analysis.compute import compute_meeting_status, data_behind
    from councilbook.publication.provenance import collect_provenance

    today = as_of or date.today()
    project = load_project(params_dir, data_path)
    params = project.params
    meeting = params.meeting_on(meeting_date)
    folder = (out_dir or BookPaths(root).packs) / meeting.date.isoformat()
    status = compute_meeting_status(params, project.dataset, meeting)
    pack_date = status.pack_date
    history = PackHistory.read(folder)
    frozen = history.frozen(pack_date, today)
    if frozen and not (correction and correction.strip()):
        latest = history.latest or {}
        raise PackFrozen(
            f"Pakken til mødet {format_date(meeting.date)} (version {latest.get('version', 1)}) skrives ikke om: "
            f"{frozen}. En rettelse bliver en ny version ved siden af den gamle: "
            f'councilbook pack --meeting {meeting.date.isoformat()} --correction "hvad der er rettet"'
        )
    version = next_version(history, frozen is not None)
    suffix = version_suffix(version)
    folder.mkdir(parents=True, exist_ok=True)
    report = status_report(project, status, members=True)
    summary = present.meeting_status_table(
        status, f"Målene i kontrakten for {status.contract.year} med tal til og med {format_month(status.cutoff)}"
    )
    base_css = BookPaths(root).styles()
    html_path = folder / f"pakke{suffix}.html"
    pdf_path = folder / f"pakke-{meeting.date.isoformat()}{suffix}.pdf"
    with tempfile.TemporaryDirectory(prefix="councilbook-pack-") as temporary:
        work = Path(temporary)
        attachments, notes = _collect_attachments(params, meeting, pack_date, work)
        inserts = _inserts(meeting, attachments)
        plan: PagePlan | None = None
        printed = work / "printed.pdf"
        for _ in range(3):  # the page numbers change nothing in the layout; a third pass is a safeguard
            page = build_pack_html(
                params,
                meeting,
                report,
                summary,
                pack_date,
                base_css,
                attachments,
                notes,
                plan,
                status.cutoff,
                version,
                correction,
            )
            html_path.write_text(page, encoding="utf-8")
            print_to_pdf(html_path, printed)
            titles = heading_texts(page)
            headings, starts, total = plan_pages(
                read_bookmarks(printed, titles), inserts, len(PdfReader(printed).pages)
            )
            new_plan = PagePlan(
                items={
                    n: headings[" ".join(item_heading(n, i).split())] for n, i in enumerate(meeting.agenda, start=1)
                },
                attachments=starts,
                total=total,
            )
            if plan == new_plan:
                break
            plan = new_plan
        assemble_pack(printed, inserts, pdf_path, titles)
    provenance = collect_provenance(params, project.dataset, status.cutoff)
    workbook = write_status_workbook(
        params, status, provenance, folder / f"status-{meeting.date.isoformat()}{suffix}.xlsx"
    )
    record: dict[str, Any] = {
        "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sent": None,
        "cutoff": format_month(status.cutoff),
        "statuses": {g.goal_id: STATUS_LABELS[g.status][1] for g in status.goals},
        "agenda": _agenda_digests(meeting),
        "attachments": {a.label: a.title for found in attachments.values() for a in found},
        "pages": plan.total if plan else 0,
        "files": {p.name: sha256(p) for p in (pdf_path, workbook, html_path)},
    }
    versions = [v for v in history.versions if int(v.get("version", 0)) != version]
    before = versions[-1] if versions else None
    changes = describe_changes(before, record) if version > 1 else []
    record["changes"] = ([correction.strip()] if correction and version > 1 else []) + changes
    manifest = write_manifest(
        folder,
        {
            "meeting": meeting.date.isoformat(),
            "kind": meeting.kind,
            "pack_due": pack_date.isoformat(),
            "current": version,
            "cutoff": format_month(status.cutoff),
            "contents": {
                pdf_path.name: "Mødemateriale: målene, dagsorden, punkter med bilag, opfølgning, status (PDF)",
                workbook.name: "Status på målene med tal for region og jobcentre (Excel)",
                html_path.name: "Mødematerialet som HTML (uden bilag)",
            },
            "statuses": record["statuses"],
            "provenance": provenance.as_dict(),
            "versions": [*versions, record],
        },
    )
    return Pack(
        folder,
        pdf_path,
        workbook,
        manifest,
        status.cutoff,
        data_behind(project.dataset, status.cutoff),
        version,
        plan.total if plan else 0,
        tuple(record["changes"]),
    )


def send_pack(
    params_dir: Path, meeting_date: date, root: Path, out_dir: Path | None = None, day: date | None = None
) -> dict[str, Any]:
    """Mark the latest version of a meeting's pack as sent to the members on ``day`` (default today)."""
    from councilbook.parameters.model import load_parameters

    meeting = load_parameters(params_dir).meeting_on(meeting_date)
    folder = (out_dir or BookPaths(root).packs) / meeting.date.isoformat()
    return mark_sent(folder, day or date.today())


def pack_frozen(params: Parameters, meeting: Meeting, out_dir: Path, as_of: date) -> str | None:
    """Why a meeting's pack in ``out_dir`` is frozen on ``as_of``, or None (also when there is none)."""
    from councilbook.analysis.compute import compute_pack_date

    history = PackHistory.read(out_dir / meeting.date.isoformat())
    return history.frozen(compute_pack_date(meeting.date, params.council), as_of)


def due_meetings(params: Parameters, today: date) -> list[Meeting]:
    """Meetings whose pack is due today or was due before."""
    from councilbook.analysis.compute import compute_pack_date

    return [m for m in params.meetings if compute_pack_date(m.date, params.council) <= today]
