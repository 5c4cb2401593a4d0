"""What the ``councilbook portal`` commands and ``councilbook pack --send`` / ``councilbook minutes`` call: a typed
library over the portal's Django parts. :func:`setup` first (it reads the settings from the environment)."""

from __future__ import annotations

import csv
import os
import re
import secrets
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from councilbook.core.errors import InputError, InputProblem, Problem, display_path
from councilbook.core.formats import format_date
from councilbook.parameters.records import portal_folder

if TYPE_CHECKING:
    from councilbook.portal.notices import NoticeResult

CSV_COLUMNS = ("name", "email", "role")
ROLE_WORDS = {  # the CSV may give a role in English (council.yml) or in Danish
    "chair": "chair",
    "formand": "chair",
    "vice_chair": "vice_chair",
    "næstformand": "vice_chair",
    "member": "member",
    "medlem": "member",
    "alternate": "alternate",
    "suppleant": "alternate",
}


class PortalNotReady(InputProblem):
    """The portal has not been set up in this folder (``councilbook portal init``)."""


def setup(params_dir: Path) -> Path:
    """Point Django at this council's portal and start it; the portal's folder is returned."""
    os.environ["COUNCILBOOK_PARAMS"] = str(params_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilbook.portal.settings")
    import django

    django.setup()
    return portal_folder(params_dir)


def database_ready() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def require_ready(folder: Path) -> None:
    if not (folder / "portal.sqlite3").is_file() or not database_ready():
        raise PortalNotReady(
            f"Medlemsportalen er ikke sat op i {display_path(folder)}: kør councilbook portal init "
            "(eller sæt COUNCILBOOK_PORTAL til portalens mappe)."
        )


@dataclass(frozen=True)
class Staff:
    username: str
    password: str | None  # None: the user existed, nothing changed
    totp_uri: str | None
    totp_key: str | None


def init(username: str, email: str) -> Staff:
    """Create or update the database, and the secretariat's first user with a password and a TOTP key."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        return Staff(username, None, None, None)
    return add_staff(username, email)


def add_staff(username: str, email: str) -> Staff:
    from base64 import b32encode

    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = secrets.token_urlsafe(15)
    user = get_user_model().objects.create_superuser(username=username, email=email, password=password)
    device = TOTPDevice.objects.create(user=user, name="sekretariat", confirmed=True)
    key = b32encode(device.bin_key).decode()
    return Staff(username, password, device.config_url, key)


@dataclass
class MemberImport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # no longer in council.yml: access ended
    without_address: list[str] = field(default_factory=list)  # in council.yml, not in the portal


def _read_member_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(shown, "", f"filen kan ikke læses: {exc}")]) from None
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(text.splitlines(), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(
            [Problem(shown, "række 1", f"kolonnerne skal være {', '.join(CSV_COLUMNS)}; mangler: {', '.join(missing)}")]
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        cleaned = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if any(cleaned.values()):
            rows.append((number, cleaned))
    return rows


def import_members(path: Path) -> MemberImport:
    """Read ``name,email,role`` rows, each matched by name to council.yml; every problem with its row, and
    nothing changed if there is one. Members no longer in council.yml lose their access at once."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction

    from councilbook.portal.council import council_parameters
    from councilbook.portal.models import Member

    shown = display_path(path)
    council = council_parameters().council
    by_name = {m.name: m for m in council.members}
    problems: list[Problem] = []
    seen_names: dict[str, int] = {}
    seen_addresses: dict[str, int] = {}
    wanted: list[tuple[str, str, str]] = []
    for number, row in _read_member_rows(path):
        where = f"række {number}"
        name, address, role = row.get("name", ""), row.get("email", "").lower(), row.get("role", "").lower()
        entry = by_name.get(name)
        if entry is None:
            problems.append(Problem(shown, where, f"{name!r} er ikke medlem eller suppleant i council.yml"))
            continue
        try:
            validate_email(address)
        except ValidationError:
            problems.append(Problem(shown, where, f"{address!r} er ikke en e-mailadresse"))
            continue
        if role and ROLE_WORDS.get(role) != entry.role:
            problems.append(Problem(shown, where, f"{name} har rollen {entry.role} i council.yml, ikke {role!r}"))
            continue
        if name in seen_names:
            problems.append(Problem(shown, where, f"{name} står også i række {seen_names[name]}"))
            continue
        if address in seen_addresses:
            problems.append(Problem(shown, where, f"adressen står også i række {seen_addresses[address]}"))
            continue
        seen_names[name], seen_addresses[address] = number, number
        wanted.append((name, address, entry.role))
    if problems:
        raise InputError(problems)
    result = MemberImport()
    users = get_user_model()
    with transaction.atomic():
        for name, address, role in wanted:
            entry = by_name[name]
            clash = users.objects.filter(email__iexact=address).exclude(member__name=name).first()
            if clash is not None:
                raise InputError([Problem(shown, "", f"adressen for {name} bruges allerede af {clash}")])
            member = Member.objects.filter(name=name).select_related("user").first()
            if member is None:
                user = users.objects.create_user(username=_username(name), email=address)
                user.set_unusable_password()
                user.save()
                Member.objects.create(user=user, name=name, organisation=entry.organisation or "", role=role)
                result.added.append(name)
            else:
                if member.user.email != address:
                    member.user.email = address
                    member.user.save(update_fields=["email"])
                member.role, member.organisation, member.active, member.left_on = (
                    role,
                    entry.organisation or "",
                    True,
                    None,
                )
                member.save()
                result.updated.append(name)
        sync = sync_members()
    result.left = sync.left
    result.without_address = sync.without_address
    return result


def _ascii_name(name: str) -> str:
    text = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _username(name: str) -> str:
    return f"medlem-{_ascii_name(name)}-{secrets.token_hex(3)}"


def _demo_address(name: str) -> str:
    return f"{_ascii_name(name).replace('-', '.')}@example.org"


def sync_members() -> MemberImport:
    """Members no longer in council.yml lose their access at once (their sessions end with it)."""
    from councilbook.portal.council import council_parameters
    from councilbook.portal.models import Member

    council = council_parameters().council
    names = {m.name: m for m in council.members}
    result = MemberImport()
    for member in Member.objects.filter(active=True):
        if member.name not in names:
            member.active = False
            member.left_on = date.today()
            member.save()
            result.left.append(member.name)
    present = set(Member.objects.filter(active=True).values_list("name", flat=True))
    result.without_address = [m.name for m in council.members if m.name not in present]
    return result


@dataclass(frozen=True)
class Sent:
    version: int
    told: list[str]
    before: list[str]
    failed: list[tuple[str, str]]
    paper: list[str]
    documents: int

    @classmethod
    def of(cls, version: int, result: NoticeResult, documents: int) -> Sent:
        return cls(
            version,
            [m.name for m in result.sent],
            [m.name for m in result.before],
            [(m.name, why) for m, why in result.failed],
            [m.name for m in result.paper],
            documents,
        )


def send_pack(params_dir: Path, meeting_date: date, folder: Path) -> Sent:
    """Store the meeting's latest pack in the portal and e-mail every member and alternate a link to it."""
    from councilbook.parameters.load import load_parameters
    from councilbook.portal.documents import store_pack
    from councilbook.portal.notices import notify_members

    params = load_parameters(params_dir)
    entry = params.meeting_on(meeting_date)
    sync_members()
    stored = store_pack(params, entry, folder)
    result = notify_members(stored.pack, f"Mødemateriale til rådets møde {format_date(entry.date)}", "pack")
    return Sent.of(stored.version, result, len(stored.documents))


def publish_minutes(params_dir: Path, meeting_date: date, pdf: Path) -> Sent:
    """Put the members' draft minutes in the portal, with the objection form until the deadline, and tell the
    members."""
    from councilbook.members.versions import sha256
    from councilbook.parameters.load import load_parameters
    from councilbook.portal.documents import store_file, sync_meeting
    from councilbook.portal.models import Document
    from councilbook.portal.notices import notify_members

    params = load_parameters(params_dir)
    entry = params.meeting_on(meeting_date)
    sync_members()
    meeting = sync_meeting(params, entry)
    newest = Document.objects.filter(meeting=meeting, kind="minutes").order_by("-version").first()
    if newest is not None and newest.sha256 == sha256(pdf):
        document = newest  # the same draft: stored before
    else:
        title = f"Udkast til beslutningsreferat {format_date(entry.date)}"
        document = store_file(meeting, "minutes", (newest.version if newest else 0) + 1, title, pdf)
    result = notify_members(document, f"Udkast til referat fra rådets møde {format_date(entry.date)}", "minutes")
    return Sent.of(document.version, result, 1)


def serve_command(host: str, port: int, workers: int, threads: int = 1) -> list[str]:
    """The gunicorn command line that serves the portal: ``workers`` processes of ``threads`` threads each (one:
    with 50 members arriving at once on two cores, threads made the 95th percentile worse, 1.5 s against 1.0 s)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "councilbook.portal.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]


@dataclass(frozen=True)
class Demo:
    staff: Staff | None
    members: int
    packs: int
    member: str
    link: str


def demo(packs_dir: Path) -> Demo:
    """The portal on the sample council: demo members at example.org, the packs already made, a login link."""
    import tempfile

    from councilbook.members.versions import PackHistory
    from councilbook.parameters.load import load_parameters
    from councilbook.portal.access import login_link
    from councilbook.portal.council import council_parameters
    from councilbook.portal.documents import store_pack
    from councilbook.portal.models import Member
    from councilbook.portal.record import export_record

    created = init("sekretariat", "sekretariat@example.org")
    council = council_parameters().council
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "demo.csv"
        lines = ["name,email,role"] + [
            f"{m.name},{_username(m.name)[7:-7]}@example.org,{m.role}" for m in council.members
        ]
        sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_members(sheet)
    params = load_parameters(Path(os.environ["COUNCILBOOK_PARAMS"]))
    packs = 0
    for entry in params.meetings:
        pack_folder = packs_dir / entry.date.isoformat()
        if PackHistory.read(pack_folder).latest is not None:
            store_pack(params, entry, pack_folder)
            packs += 1
    export_record()
    first = Member.objects.filter(active=True).order_by("name").first()
    if first is None:
        raise PortalNotReady("council.yml nævner ingen medlemmer; demoen har ingen at logge ind som")
    return Demo(
        created if created.password else None,
        Member.objects.filter(active=True).count(),
        packs,
        first.name,
        login_link(first),
    )
