"""The members' portal's public record: objections to the minutes and the public's answered questions.

The portal (``councilbook portal``) keeps members, packs and questions in its own database. What the book,
the packs and the minutes need of it, it writes to one file, ``<portal>/export/record.json``, whenever that
changes: who objected to which minutes and when (never the objection's text), and the questions answered
for publication (never the sender's address, their name only if they agreed). The parameters are read with
this record, so every stage that decides whether minutes are approved or what the book shows reads the same.

The portal folder is ``COUNCILBOOK_PORTAL``, else ``portal/`` beside the parameters folder. A record written
for another council (a portal set in the environment, a test council built beside the sample) is left out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pydantic import ValidationError

from councilbook.core.errors import Problem, display_path
from councilbook.parameters.messages import validation_problems
from councilbook.parameters.types import StrictModel, Text

PORTAL_ENV = "COUNCILBOOK_PORTAL"
RECORD_NAME = "record.json"
RECORD_VERSION = 1


class RecordedObjection(StrictModel):
    """An objection to a meeting's minutes: who made it and when it was received (its text stays in the portal)."""

    member: Text
    received: dt.datetime


class AnsweredQuestion(StrictModel):
    """A question from the public, answered and published by the secretariat."""

    id: int
    asked: dt.date
    question: Text
    answer: Text
    answered: dt.date
    name: str | None = None  # only when the sender agreed to be named


class Record(StrictModel):
    version: int = RECORD_VERSION
    council: Text
    objections: dict[dt.date, list[RecordedObjection]] = {}
    questions: list[AnsweredQuestion] = []


def portal_folder(params_dir: Path | str) -> Path:
    """The portal's folder: ``COUNCILBOOK_PORTAL``, else ``portal/`` beside the parameters folder."""
    configured = os.environ.get(PORTAL_ENV)
    if configured:
        return Path(configured)
    return Path(params_dir).parent / "portal"


def record_path(params_dir: Path | str) -> Path:
    return portal_folder(params_dir) / "export" / RECORD_NAME


def read_record(params_dir: Path | str, council_name: str, problems: list[Problem]) -> Record | None:
    """The portal's record for this council, None without one (or one for another council); a damaged record
    is a problem at its file."""
    path = record_path(params_dir)
    if not path.is_file():
        return None
    shown = display_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(shown, "", f"portalens optegnelse kan ikke læses: {exc}"))
        return None
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, shown, model=Record))
        return None
    return record if record.council == council_name else None


def write_record(path: Path, record: Record) -> None:
    """Write the record in one step (a build never reads half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
