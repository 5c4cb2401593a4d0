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
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from councilbook.analysis.actions import (
    ACTION_STATE_LABELS_DA,
    actions_of,
    collect_actions,
    describe_follow_up,
    pending_actions,
)
from councilbook.assembly.pdf import print_to_pdf, printing
from councilbook.core.errors import InputError, InputProblem, Problem
from councilbook.core.formats import STATUS_LABELS, format_date, format_month, join_and
from councilbook.core.paths import BookPaths
from councilbook.members.assemble import (
    Insert,
    assemble_pack,
    attachment_as_pdf,
    heading_texts,
    plan_pages,
    read_bookmarks,
)
from councilbook.members.minutes import meeting_facts, minutes_html
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
from councilbook.parameters.meetings import (
    MEETING_KIND_LABELS_DA,
    MEMBER_ROLE_LABELS_DA,
    AgendaItem,
    Meeting,
    attachment_path,
)
from councilbook.parameters.model import Parameters
from councilbook.project.load import load_project
from councilbook.publication.scope import minutes_state
from councilbook.reports.model import Report
from councilbook.reports.registry import get_kind
from councilbook.text import present, render

PACK_PAGE = "pack.html.j2"  # the pack's page (councilbook/templates/)
PACK_CSS = "pack.css"  # its own stylesheet, after the book's
RUNNING_HEADER = "councilbook:running-header"  # where pack.css takes the meeting's running header


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


class PackFrozen(InputProblem):
    """The pack was sent (or its material date has passed) and may not be rewritten."""

    def lines(self, action: str) -> list[str]:
        return [str(self)]


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


def item_heading(number: int, item: AgendaItem) -> str:
    return f"{number}. {item.title}"


def _page(plan: PagePlan | None, page: int | None) -> str:
    return str(page) if plan is not None and page is not None else "00"


def _agenda_rows(meeting: Meeting, attachments: Attachments, notes: dict[int, str], plan: PagePlan | None) -> list:
    """Each agenda item with what the pack shows of it: its attachments (with their pages), its note, its page."""
    return [
        {
            "number": number,
            "item": item,
            "heading": item_heading(number, item),
            "attachments": attachments.get(number, []),
            "attached_pages": [
                (a, _page(plan, plan.attachments.get(a.label) if plan else None)) for a in attachments.get(number, [])
            ],
            "note": notes.get(number),
            "page": _page(plan, plan.items.get(number) if plan else None),
        }
        for number, item in enumerate(meeting.agenda, start=1)
    ]


def _members(params: Parameters) -> list[dict[str, str]]:
    """The council's members (not the alternates), the chair and vice-chair named as such."""
    return [
        {
            "name": m.name,
            "organisation": m.organisation,
            "role_label": MEMBER_ROLE_LABELS_DA[m.role] if m.role in ("chair", "vice_chair") else "",
        }
        for m in params.council.members
        if m.role != "alternate"
    ]


def _actions_table(pending: list, as_of: date) -> present.Table:
    """The open and overdue actions decided before the meeting (the action log)."""
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
    return present.Table(
        columns=["Handling", "Ansvarlig", "Frist", "Status", "Besluttet"],
        rows=rows,
        caption="Åbne handlinger fra rådets beslutninger",
    )


def _decisions_table(before: Meeting, params: Parameters, as_of: date) -> present.Table | None:
    """The previous meeting's decisions and their follow-up: as written, else what their actions had come to on
    ``as_of`` (None: it took none)."""
    actions = collect_actions(params)
    rows = [
        [
            item.title + (" (fortroligt)" if item.confidential else ""),
            item.decision or "",
            item.follow_up or describe_follow_up(actions_of(actions, before.date, number), as_of) or "ikke registreret",
        ]
        for number, item in enumerate(before.agenda, start=1)
        if item.decision
    ]
    if not rows:
        return None
    return present.Table(
        columns=["Punkt", "Beslutning", "Opfølgning"],
        rows=rows,
        caption=f"Opfølgning på mødet {format_date(before.date)}",
    )


def pack_css(base_css: str, header: str) -> str:
    """The book's stylesheets, then the pack's own (``templates/pack.css``) with the meeting's running header."""
    own = render.stylesheet(PACK_CSS).replace(f'"{RUNNING_HEADER}"', css_string(header))
    return base_css + "\n" + own


def css_string(text: str) -> str:
    """A text as a CSS string literal (for ``content:``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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
    """The pack's page before printing (``templates/pack.html.j2``), its page numbers from ``plan`` ("00" until
    the first print has placed them)."""
    council = params.council
    kind = MEETING_KIND_LABELS_DA[meeting.kind]
    header = f"{council.short_name} · {kind} · {format_date(meeting.date)}"
    facts = meeting_facts(meeting)
    facts.append(("Tallene går til og med", format_month(cutoff)))
    facts.append(("Materialet er udsendt", format_date(pack_date)))
    pending = pending_actions(params, meeting.date, pack_date)
    before = params.previous_meeting(meeting)
    return render.render(
        PACK_PAGE,
        header=header,
        css=Markup(pack_css(base_css, header)),
        council=council,
        kind=kind,
        date=format_date(meeting.date),
        meeting=meeting,
        cover_facts=facts,
        version=version,
        correction=correction,
        summary=summary,
        agenda=_agenda_rows(meeting, attachments, notes, plan),
        with_presenter=any(i.presenter for i in meeting.agenda),
        with_time=any(i.time for i in meeting.agenda),
        members=_members(params),
        pending=len(pending),
        overdue=sum(a.state(pack_date) == "overdue" for a in pending),
        as_of=format_date(pack_date),
        actions_table=_actions_table(pending, pack_date) if pending else None,
        before=(
            {"kind": MEETING_KIND_LABELS_DA[before.kind].lower(), "date": format_date(before.date)} if before else None
        ),
        decisions_table=_decisions_table(before, params, pack_date) if before else None,
        report=report,
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
                if state.state == "objected":
                    notes[number] = (
                        f"Der er gjort indsigelse mod referatet fra mødet {when} "
                        f"({join_and([f'{o.member}, modtaget {format_date(o.received)}' for o in state.objections])}). "
                        "Referatet er ikke godkendt; rådet tager stilling til det og indsigelsen under dette punkt."
                    )
                if state.state in ("draft", "objected"):
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


@printing()  # its prints in one Chromium
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

    from councilbook.analysis.meeting import compute_meeting_status
    from councilbook.analysis.status import data_behind
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
    # The status report for the members, from the status computed above, by the kind that makes it.
    report = get_kind("status").build(params_dir, data_path, meeting.date, members=True, computed=(project, status))
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
    from councilbook.parameters.load import load_parameters

    meeting = load_parameters(params_dir).meeting_on(meeting_date)
    folder = (out_dir or BookPaths(root).packs) / meeting.date.isoformat()
    return mark_sent(folder, day or date.today())


def pack_frozen(params: Parameters, meeting: Meeting, out_dir: Path, as_of: date) -> str | None:
    """Why a meeting's pack in ``out_dir`` is frozen on ``as_of``, or None (also when there is none)."""
    from councilbook.project.cutoff import compute_pack_date

    history = PackHistory.read(out_dir / meeting.date.isoformat())
    return history.frozen(compute_pack_date(meeting.date, params.council), as_of)


def due_meetings(params: Parameters, today: date) -> list[Meeting]:
    """Meetings whose pack is due today or was due before."""
    from councilbook.project.cutoff import compute_pack_date

    return [m for m in params.meetings if compute_pack_date(m.date, params.council) <= today]
