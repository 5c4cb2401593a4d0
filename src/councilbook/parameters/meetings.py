"""The council's meetings as the parameters give them: members, agenda templates, meetings, items,
attachments and actions.

``council.yml`` names the members (``members``) and the standard items of each meeting kind
(``agenda_templates``); ``meetings/<year>.yml`` holds the meetings, each with its time, place,
absences (``absent``) and agenda. An agenda item may list attachments (files in the parameters
folder) and the actions its decision set going (owner, deadline, and the day it was done).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from councilbook.core.errors import Problem, display_path
from councilbook.parameters.types import IsoDate, StrictModel, Text

MemberRole = Literal["chair", "vice_chair", "member", "alternate"]
MEMBER_ROLE_LABELS_DA: dict[str, str] = {
    "chair": "formand",
    "vice_chair": "næstformand",
    "member": "medlem",
    "alternate": "suppleant",
}


class Member(StrictModel):
    name: Text
    organisation: Text
    role: MemberRole = "member"


_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _clock(value: Any) -> Any:
    """A time of day written ``15:00`` (or ``15.00``, as Danes often write it), kept as ``HH:MM``.
    YAML reads an unquoted 15:00 as a number of minutes in base 60 only in YAML 1.1 for ints; the
    loader keeps it as text, so both arrive here as text."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    text = value.strip() if isinstance(value, str) else ""
    match = _CLOCK.match(text)
    if match is None:
        raise PydanticCustomError("clock", "a time of day is written as HH:MM, e.g. 15:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


Clock = Annotated[str, BeforeValidator(_clock)]

AgendaType = Literal["decision", "orientation"]
# The standard items of a council's agenda; an item may say which it is, so that the pack can add
# what belongs to it (the previous minutes, when they are still a draft).
StandardItem = Literal["agenda", "minutes", "announcements", "other_business"]


class Attachment(StrictModel):
    """A file in the parameters folder (PDF, or .docx/.xlsx/.odt/.ods converted with LibreOffice)
    merged into the members' pack after its item."""

    file: Text
    title: Text
    # A confidential attachment is in the members' pack only; a public one is linked from the book.
    confidential: bool = True


class Action(StrictModel):
    """Something a decision set going, tracked across meetings until it is done."""

    what: Text
    owner: Text
    deadline: IsoDate
    done: IsoDate | None = None
    cancelled: bool = False


class AgendaItem(StrictModel):
    title: Text
    type: AgendaType
    case_text: str = ""
    recommendation: str | None = None
    decision: str | None = None
    follow_up: str | None = None
    confidential: bool = False
    standard: StandardItem | None = None
    presenter: str | None = None
    time: Clock | None = None
    attachments: list[Attachment] = []
    actions: list[Action] = []


class AgendaTemplate(StrictModel):
    """The standard items of a meeting kind: those before the meeting's own items and those after."""

    before: list[AgendaItem] = []
    after: list[AgendaItem] = []


MeetingKind = Literal["ordinary", "theme", "contract", "seminar", "extraordinary"]
MEETING_KIND_LABELS_DA: dict[str, str] = {
    "ordinary": "Ordinært rådsmøde",
    "theme": "Rådsmøde med temadrøftelse",
    "contract": "Kontraktmøde",
    "seminar": "Strategiseminar",
    "extraordinary": "Ekstraordinært rådsmøde",
}


class MinutesObjection(StrictModel):
    """An objection to a meeting's minutes: the member who made it and the day (or time) it was received."""

    member: Text
    received: IsoDate


class Meeting(StrictModel):
    date: IsoDate
    kind: MeetingKind
    title: Text
    theme: str | None = None
    place: str | None = None
    start: Clock | None = None
    end: Clock | None = None
    # Members who sent their apologies (afbud), and the alternates who came in their place.
    absent: list[Text] = []
    alternates: list[Text] = []
    agenda: list[AgendaItem] = []
    minutes_sent: IsoDate | None = None
    # Objections to the minutes received in writing within the objection period: by letter, written here, or
    # through the members' portal (merged in from its record, :mod:`councilbook.parameters.records`).
    minutes_objections: list[MinutesObjection] = []
    press_release: bool = False
    # What the chair says in the press release, and who answers the press.
    quote: str | None = None
    contact: str | None = None

    @property
    def slug(self) -> str:
        return self.date.isoformat()

    @property
    def time_span(self) -> str:
        return time_span(self.start, self.end)


def time_span(start: str | None, end: str | None) -> str:
    """``kl. 15.00–17.30`` as Danes write it, or ``kl. 15.00``, or empty (no start)."""
    if not start:
        return ""
    return "kl. " + start.replace(":", ".") + ("–" + end.replace(":", ".") if end else "")


def attendance(members: list[Member], meeting: Meeting) -> tuple[list[str], list[str]]:
    """Who was at a meeting (the members not absent, then the alternates who came) and who sent apologies,
    each with their organisation (and role, for the chair, vice-chair and alternates); empty lists when
    council.yml names no members."""
    by_name = {m.name: m for m in members}

    def named(name: str) -> str:
        member = by_name.get(name)
        if member is None:
            return name
        role = MEMBER_ROLE_LABELS_DA[member.role]
        return f"{name} ({member.organisation}" + (f", {role}" if member.role != "member" else "") + ")"

    there = [named(m.name) for m in members if m.role != "alternate" and m.name not in meeting.absent]
    there += [named(name) for name in meeting.alternates]
    return there, [named(name) for name in meeting.absent]


class MeetingsFile(StrictModel):
    year: int = Field(ge=1900, le=2200)
    meetings: list[Meeting] = []


# ---------------------------------------------------------------------------
# Checks across council.yml, the meetings and the files they name
# ---------------------------------------------------------------------------

ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".doc", ".xls")
MAX_ATTACHMENT_BYTES = 50_000_000


def attachment_path(root: Path, attachment: Attachment) -> Path:
    return root / attachment.file


def check_attachment(root: Path, attachment: Attachment) -> str | None:
    """What is wrong with an attachment's file, in Danish, or None."""
    relative = Path(attachment.file)
    if relative.is_absolute() or ".." in relative.parts:
        return f"{attachment.file}: skriv stien i forhold til parametermappen (fx bilag/notat.pdf)"
    path = root / relative
    if not path.is_file():
        return f"filen {attachment.file} findes ikke i parametermappen"
    if path.suffix.lower() not in ATTACHMENT_SUFFIXES:
        return f"{attachment.file}: et bilag skal være PDF, Word (.docx), Excel (.xlsx) eller OpenDocument"
    size = path.stat().st_size
    if size == 0:
        return f"filen {attachment.file} er tom"
    if size > MAX_ATTACHMENT_BYTES:
        return f"filen {attachment.file} fylder {size / 1e6:.0f} MB; et bilag må fylde højst 50 MB"
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                return f"{attachment.file} er beskyttet med adgangskode; gem en udgave uden"
            if len(reader.pages) == 0:
                return f"{attachment.file} har ingen sider"
        except (PdfReadError, OSError, ValueError) as exc:
            return f"{attachment.file} kan ikke læses som PDF ({exc})"
    elif path.suffix.lower() in (".docx", ".xlsx", ".odt", ".ods") and not zipfile.is_zipfile(path):
        return f"{attachment.file} kan ikke læses: filen er ikke et Office-dokument, som navnet siger"
    return None


def check_meeting_people_and_files(root: Path, council: Any, sources: list[tuple[Path, int, Meeting]]) -> list[Problem]:
    """Members named in the meetings are in council.yml; times run forwards; attachments can be read;
    actions have sensible days."""
    problems: list[Problem] = []
    names = [m.name for m in council.members]
    regular = {m.name for m in council.members if m.role != "alternate"}
    alternates = {m.name for m in council.members if m.role == "alternate"}
    council_file = display_path(root / "council.yml")
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            problems.append(Problem(council_file, f"members[{index}].name", f"{name} står der to gange"))
        seen.add(name)
    chairs = [m.name for m in council.members if m.role == "chair"]
    if len(chairs) > 1:
        problems.append(Problem(council_file, "members", f"rådet har én formand, ikke {len(chairs)}"))
    for path, index, meeting in sources:
        shown = display_path(path)
        at = f"meetings[{index}]"
        for field, people, allowed, what in (
            ("absent", meeting.absent, regular, "medlem"),
            ("alternates", meeting.alternates, alternates, "suppleant"),
        ):
            for number, name in enumerate(people):
                if not council.members:
                    problems.append(
                        Problem(
                            shown,
                            f"{at}.{field}[{number}]",
                            f"{name}: council.yml har ingen medlemmer (members); skriv dem der først",
                        )
                    )
                elif name not in allowed:
                    problems.append(
                        Problem(
                            shown,
                            f"{at}.{field}[{number}]",
                            f"{name} er ikke {what} i council.yml (members); " + _nearest_hint(name, sorted(allowed)),
                        )
                    )
        if meeting.start and meeting.end and meeting.end <= meeting.start:
            problems.append(
                Problem(shown, f"{at}.end", f"mødet slutter {meeting.end}, før det begynder ({meeting.start})")
            )
        for item_index, item in enumerate(meeting.agenda):
            item_at = f"{at}.agenda[{item_index}]"
            for number, attachment in enumerate(item.attachments):
                wrong = check_attachment(root, attachment)
                if wrong:
                    problems.append(
                        Problem(shown, f"{item_at}.attachments[{number}].file", f"punktet «{item.title}»: {wrong}")
                    )
            for number, action in enumerate(item.actions):
                if action.deadline < meeting.date:
                    problems.append(
                        Problem(
                            shown,
                            f"{item_at}.actions[{number}].deadline",
                            f"{action.deadline.isoformat()} er før mødet, der besluttede handlingen",
                        )
                    )
                if action.done is not None and action.done < meeting.date:
                    problems.append(
                        Problem(
                            shown,
                            f"{item_at}.actions[{number}].done",
                            f"{action.done.isoformat()} er før mødet, der besluttede handlingen",
                        )
                    )
                if action.done is not None and action.cancelled:
                    problems.append(
                        Problem(
                            shown,
                            f"{item_at}.actions[{number}]",
                            "en handling er enten udført (done) eller aflyst (cancelled), ikke begge",
                        )
                    )
    return problems


def _nearest_hint(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"mente du {close[0]}?"
    return "skriv navnet, som det står i members" if allowed else "council.yml har ingen at vælge imellem"
