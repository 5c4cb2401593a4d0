"""Storing a meeting's files in the portal, and serving them after the permission check.

A stored file is a copy under the portal's folder, named by the document's random id; the database says which
meeting and version it belongs to. A pack version, once stored, is never replaced: a correction is a new
version beside it, with what changed.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.http import FileResponse, HttpResponse

from councilbook.core.errors import InputProblem
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


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        sha256=file_digest(source),
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
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        latest = manifest["versions"][-1]
        version = int(latest["version"])
        files: dict[str, str] = latest["files"]
    except FileNotFoundError:
        raise PortalStoreError(
            f"{manifest_path}: der er ingen pakke til mødet; lav den først med councilbook pack"
        ) from None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise PortalStoreError(f"{manifest_path}: manifestet kan ikke læses ({exc})") from None
    for name, digest in files.items():
        path = folder / name
        if not path.is_file() or file_digest(path) != digest:
            raise PortalStoreError(f"{path}: filen mangler eller er ændret, siden pakken blev lavet; lav den igen")
    changes = "\n".join(str(c) for c in latest.get("changes", []))
    pack_due = date.fromisoformat(manifest["pack_due"]) if manifest.get("pack_due") else None
    when = entry.date.strftime("%d.%m.%Y")
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
            raise PortalStoreError(f"{manifest_path}: pakken har ingen PDF")
        for number, item in enumerate(entry.agenda, start=1):
            for index, attachment in enumerate(item.attachments, start=1):
                source = attachment_path(params.root, attachment)
                title = f"Bilag {number}.{index}: {attachment.title}"
                stored.append(store_file(meeting, "attachment", version, title, source))
    return StoredPack(meeting, version, pack, stored)


def serve(document: Document, download: bool) -> HttpResponse:
    """The file of a document: shown in the browser, or as a download; never cached."""
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
