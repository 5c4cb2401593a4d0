"""What was sent stays as sent: a pack's versions in ``packs/<date>/manifest.json``.

A pack is *frozen* once it has been sent (``councilbook pack --send``) or its material date has passed
(the members had it by then). A frozen pack is never written again: ``pack --due`` leaves it, and
``pack --meeting`` refuses unless it is given a correction, which becomes a new numbered version beside
the old one (``pakke-<date>-v2.pdf``) with what changed. The manifest keeps every version's files with
their SHA-256, when it was made and sent, and what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from councilbook.core.errors import InputProblem
from councilbook.core.formats import format_date

MANIFEST = "manifest.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def version_suffix(number: int) -> str:
    """The file names' mark of a version: none for the first, ``-v2`` for the second."""
    return "" if number == 1 else f"-v{number}"


@dataclass(frozen=True)
class PackHistory:
    """A pack folder's manifest as read (or empty when there is none yet)."""

    folder: Path
    data: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> PackHistory:
        path = folder / MANIFEST
        if not path.is_file():
            return cls(folder, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PackFolderError(
                f"{path}: manifestet kan ikke læses ({exc}); pakkemappen røres ikke. "
                "Ret eller flyt filen, og prøv igen."
            ) from None
        if not isinstance(data, dict):
            raise PackFolderError(f"{path}: manifestet er ikke et JSON-objekt; pakkemappen røres ikke.")
        return cls(folder, data)

    @property
    def versions(self) -> list[dict[str, Any]]:
        versions = self.data.get("versions")
        if isinstance(versions, list):
            return versions
        if self.data:  # a manifest from before versions: its files are version 1
            return [{"version": 1, "created": self.data.get("created"), "sent": None, "files": {}, "changes": []}]
        return []

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.versions[-1] if self.versions else None

    def sent_on(self) -> date | None:
        latest = self.latest
        if latest and latest.get("sent"):
            return date.fromisoformat(str(latest["sent"]))
        return None

    def frozen(self, pack_due: date, as_of: date) -> str | None:
        """Why the latest version may not be rewritten on ``as_of`` (in Danish), or None."""
        if self.latest is None:
            return None
        sent = self.sent_on()
        if sent is not None and sent <= as_of:
            return f"den blev sendt til medlemmerne {format_date(sent)}"
        if as_of > pack_due:
            return f"materialedatoen {format_date(pack_due)} er passeret, så medlemmerne har den"
        return None


class PackFolderError(InputProblem):
    """A pack folder councilbook cannot safely write to."""

    def lines(self, action: str) -> list[str]:
        return [str(self)]


def next_version(history: PackHistory, frozen: bool) -> int:
    """The number the pack gets: a new one after a frozen version, else the latest's (rewritten)."""
    latest = history.latest
    if latest is None:
        return 1
    number = int(latest.get("version", len(history.versions)))
    return number + 1 if frozen else number


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What differs between two versions' records, in Danish: figures' month, statuses, agenda items."""
    if before is None:
        return []
    changes = []
    if before.get("cutoff") != after.get("cutoff"):
        changes.append(f"Tallene går nu til og med {after.get('cutoff')} (før {before.get('cutoff')}).")
    old_status, new_status = before.get("statuses") or {}, after.get("statuses") or {}
    for goal, status in new_status.items():
        if goal in old_status and old_status[goal] != status:
            changes.append(f"Status for målet {goal}: {status} (før {old_status[goal]}).")
    old_items, new_items = before.get("agenda") or {}, after.get("agenda") or {}
    for number, digest in new_items.items():
        if number not in old_items:
            changes.append(f"Punkt {number} er nyt på dagsordenen.")
        elif old_items[number] != digest:
            changes.append(f"Punkt {number} er ændret.")
    for number in old_items:
        if number not in new_items:
            changes.append(f"Punkt {number} er taget af dagsordenen.")
    return changes


def write_manifest(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    temporary = folder / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
    return path


def mark_sent(folder: Path, day: date) -> dict[str, Any]:
    """Record that the latest version was sent on ``day``; the version record, as changed."""
    history = PackHistory.read(folder)
    if history.latest is None:
        raise PackFolderError(f"{folder}: der er ingen pakke at markere som sendt; lav den først med councilbook pack")
    versions = history.versions
    versions[-1] = {**versions[-1], "sent": day.isoformat()}
    write_manifest(folder, {**history.data, "versions": versions})
    return versions[-1]
