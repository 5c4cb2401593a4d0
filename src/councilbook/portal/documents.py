"""Storing a meeting's files in the portal, and serving them after the permission check.

A stored file is a copy under the portal's folder, named by the document's random id; the database says which
meeting and version it belongs to. A pack version, once stored, is never replaced: a correction is a new
version beside it, with what changed.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.urls import reverse

from councilbook.core.errors import InputProblem
from councilbook.core.formats import format_date
from councilbook.members.versions import MANIFEST, PackHistory, sha256
from councilbook.parameters.meetings import Meeting as MeetingEntry
from councilbook.parameters.meetings import attachment_path
from councilbook.parameters.model import Parameters
from councilbook.portal.models import Document, Meeting

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
}


class PortalStoreError(InputProblem):
    """A pack or file that cannot be stored (not made yet, damaged)."""


def sync_meeting(params: Parameters, entry: MeetingEntry, pack_due: date | None = None) -> Meeting:
    """The portal's meeting for a meeting of the parameters, its facts brought up to date."""
    rules = params.council.publication
    objections_end = entry.minutes_sent + timedelta(days=rules.objections_within_days) if entry.minutes_sent else None
    meeting, _ = Meeting.objects.update_or_create(
        date=entry.date,
        defaults={
            "title": entry.title,
            "place": entry.place or "",
            "start": entry.start or "",
            "end": entry.end or "",
            "objections_end": objections_end,
            **({"pack_due": pack_due} if pack_due else {}),
        },
    )
    return meeting


def store_file(meeting: Meeting, kind: str, version: int, title: str, source: Path, changes: str = "") -> Document:
    """Store a copy of ``source`` as a document of the meeting (the same version and name once only)."""
    existing = Document.objects.filter(meeting=meeting, kind=kind, version=version, filename=source.name).first()
    if existing is not None:
        return existing
    document = Document(
        meeting=meeting,
        kind=kind,
        version=version,
        title=title,
        filename=source.name,
        content_type=CONTENT_TYPES.get(source.suffix.lower())
        or mimetypes.guess_type(source.name)[0]
        or "application/octet-stream",
        sha256=sha256(source),
        size=source.stat().st_size,
        changes=changes,
    )
    target = document.path
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    document.save()
    return document


@dataclass(frozen=True)
class StoredPack:
    meeting: Meeting
    version: int
    pack: Document
    documents: list[Document]


def store_pack(params: Parameters, entry: MeetingEntry, folder: Path) -> StoredPack:
    """Store the latest version of the meeting's pack in ``folder`` (packs/<date>/): its PDF, workbook, the
    agenda pages and the items' attachments."""
    history = PackHistory.read(folder)
    latest = history.latest
    if latest is None:
        raise PortalStoreError(f"{folder}: der er ingen pakke til mødet; lav den først med councilbook pack")
    version, files = int(latest["version"]), dict(latest.get("files") or {})
    for name, digest in files.items():
        path = folder / name
        if not path.is_file() or sha256(path) != digest:
            raise PortalStoreError(f"{path}: filen mangler eller er ændret, siden pakken blev lavet; lav den igen")
    changes = "\n".join(str(c) for c in latest.get("changes", []))
    pack_due = date.fromisoformat(history.data["pack_due"]) if history.data.get("pack_due") else None
    when = format_date(entry.date)
    with transaction.atomic():
        meeting = sync_meeting(params, entry, pack_due)
        stored: list[Document] = []
        pack = None
        for name in files:
            path = folder / name
            if path.suffix == ".pdf":
                pack = store_file(meeting, "pack", version, f"Mødemateriale {when}", path, changes)
                stored.append(pack)
            elif path.suffix == ".xlsx":
                stored.append(store_file(meeting, "workbook", version, f"Status på målene {when} (Excel)", path))
            elif path.suffix == ".html":
                stored.append(store_file(meeting, "agenda", version, f"Dagsorden og sager {when}", path))
        if pack is None:
            raise PortalStoreError(f"{folder / MANIFEST}: pakken har ingen PDF")
        for number, item in enumerate(entry.agenda, start=1):
            for index, attachment in enumerate(item.attachments, start=1):
                source = attachment_path(params.root, attachment)
                title = f"Bilag {number}.{index}: {attachment.title}"
                stored.append(store_file(meeting, "attachment", version, title, source))
    return StoredPack(meeting, version, pack, stored)


# The pack's pages are laid out for A4; on a screen (a tablet, a phone) they get the screen's width, a readable
# text size and a way back to the meeting.
SCREEN_HEAD = (
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<style>@media screen { body { max-width: 52rem; margin: 0 auto; padding: 0 1rem 2rem; font-size: 1.05rem; }"
    " .cb-cover { height: auto; padding: 1rem 0 2rem; } .cb-table-wrap { overflow-x: auto; }"
    " img, svg { max-width: 100%; height: auto; } .cb-portal-back { padding: .75rem 0; margin: 0; }"
    " .cb-portal-back a { display: inline-block; padding: .5rem 0; } }</style>"
)


def screen_page(document: Document) -> HttpResponse:
    """The agenda's pages for the screen: the stored HTML with a viewport, screen styles and a link back."""
    page = document.path.read_text(encoding="utf-8")
    back = reverse("portal:meeting", args=[document.meeting.date.isoformat()])
    page = page.replace("<head>", "<head>" + SCREEN_HEAD, 1)
    page = page.replace("<body>", f'<body><p class="cb-portal-back"><a href="{back}">← Tilbage til mødet</a></p>', 1)
    return HttpResponse(page, content_type="text/html; charset=utf-8")


def serve(document: Document, download: bool) -> HttpResponse:
    """The file of a document: shown in the browser, or as a download; never cached."""
    if document.kind == "agenda" and not download:
        response: HttpResponse = screen_page(document)
    else:
        response = FileResponse(
            document.path.open("rb"),
            as_attachment=download,
            filename=document.filename,
            content_type=document.content_type,
        )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if document.kind == "agenda":  # our own page: styles inline, pictures as data, no script
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'"
        )
    return response
