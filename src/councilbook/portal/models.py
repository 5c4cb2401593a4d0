"""The portal's records: members, meetings and their documents, who opened what, objections, questions."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from councilbook.core.formats import format_date
from councilbook.parameters.meetings import time_span

ROLES = [
    ("chair", "formand"),
    ("vice_chair", "næstformand"),
    ("member", "medlem"),
    ("alternate", "suppleant"),
]


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Member(models.Model):
    """A member or alternate of the council: name and role from council.yml, the e-mail address only here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    name = models.CharField("navn", max_length=200, unique=True)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    role = models.CharField("rolle", max_length=20, choices=ROLES)
    wants_paper = models.BooleanField("ønsker papir", default=False, help_text="Sekretariatet sender pakken på papir.")
    active = models.BooleanField("aktiv", default=True, help_text="Fjernes fluebenet, ophører adgangen straks.")
    left_on = models.DateField("udtrådt", null=True, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = "medlem"
        verbose_name_plural = "medlemmer og suppleanter"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        return self.user.email

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().save(*args, **kwargs)
        if self.user.is_active != self.active:  # access ends at once: the session's user is checked each request
            self.user.is_active = self.active
            self.user.save(update_fields=["is_active"])


class Meeting(models.Model):
    date = models.DateField("dato", unique=True)
    title = models.CharField("titel", max_length=300)
    place = models.CharField("sted", max_length=300, blank=True)
    start = models.CharField("start", max_length=5, blank=True)
    end = models.CharField("slut", max_length=5, blank=True)
    pack_due = models.DateField("materialet ud", null=True, blank=True)
    objections_end = models.DateField("indsigelsesfrist", null=True, blank=True)

    class Meta:
        verbose_name = "møde"
        verbose_name_plural = "møder"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} {self.when}"

    @property
    def when(self) -> str:
        """The day as Danes write it: 29. maj 2013."""
        return format_date(self.date)

    @property
    def objections_when(self) -> str:
        return format_date(self.objections_end) if self.objections_end else ""

    @property
    def time_span(self) -> str:
        return time_span(self.start, self.end)

    @property
    def held(self) -> bool:
        return self.date < timezone.localdate()


DOCUMENT_KINDS = [
    ("pack", "mødemateriale (PDF)"),
    ("workbook", "tal (Excel)"),
    ("agenda", "dagsorden (til skærm)"),
    ("attachment", "bilag"),
    ("minutes", "udkast til beslutningsreferat"),
]


class Document(models.Model):
    """A stored file of a meeting. Its id is random (never guessable); the file lies in the portal's folder under
    that id, never in a public folder, and is served only after a permission check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name="møde")
    kind = models.CharField("slags", max_length=20, choices=DOCUMENT_KINDS)
    version = models.PositiveIntegerField("version", default=1)
    title = models.CharField("titel", max_length=300)
    filename = models.CharField("filnavn", max_length=200)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("størrelse")
    changes = models.TextField("rettet", blank=True)
    stored = models.DateTimeField("lagt ind", default=timezone.now)

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        ordering = ["meeting", "-version", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "version", "filename"], name="one_file_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def path(self):  # type: ignore[no-untyped-def]
        return settings.FILES_DIR / self.id.hex[:2] / self.id.hex


class Notice(models.Model):
    """An e-mail that told a member about a document: sent once per member and document."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notices")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notices")
    sent = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "document"], name="one_notice")]


ACTIONS = [("open", "åbnet"), ("download", "hentet")]


class Access(models.Model):
    """Who opened or downloaded which document, and when."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="accesses", verbose_name="medlem")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses", verbose_name="dokument")
    action = models.CharField("handling", max_length=10, choices=ACTIONS)
    at = models.DateTimeField("tidspunkt", default=timezone.now)

    class Meta:
        verbose_name = "læsning"
        verbose_name_plural = "læsninger"
        ordering = ["-at"]


class Objection(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="objections", verbose_name="møde")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="objections", verbose_name="medlem")
    text = models.TextField("indsigelse")
    received = models.DateTimeField("modtaget", default=timezone.now)

    class Meta:
        verbose_name = "indsigelse mod referat"
        verbose_name_plural = "indsigelser mod referater"
        ordering = ["-received"]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}"


QUESTION_STATES = [
    ("unconfirmed", "afventer bekræftelse af e-mail"),
    ("waiting", "til behandling"),
    ("answered", "besvaret og offentliggjort"),
    ("rejected", "afvist"),
]
REJECTION_REASONS = [
    ("attack", "er et personangreb"),
    ("private", "handler om en privatperson"),
    ("case", "handler om en enkeltsag"),
    ("other", "ligger uden for rådets opgaver"),
]


class Question(models.Model):
    """A question, suggestion or comment from the public ("Spørg rådet")."""

    text = models.TextField("spørgsmål")
    name = models.CharField("navn", max_length=200, blank=True)
    show_name = models.BooleanField("navnet må vises", default=False)
    email = models.EmailField("e-mail", blank=True)
    created = models.DateTimeField("modtaget", default=timezone.now)
    confirm_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    confirmed = models.DateTimeField("bekræftet", null=True, blank=True)
    state = models.CharField("tilstand", max_length=20, choices=QUESTION_STATES, default="unconfirmed")
    answer = models.TextField("svar", blank=True)
    answered = models.DateField("besvaret", null=True, blank=True)
    rejection = models.CharField("afvist, fordi", max_length=20, choices=REJECTION_REASONS, blank=True)
    personal_data_deleted = models.DateTimeField("personoplysninger slettet", null=True, blank=True)

    class Meta:
        verbose_name = "spørgsmål til rådet"
        verbose_name_plural = "spørgsmål til rådet"
        ordering = ["-created"]

    def __str__(self) -> str:
        short = " ".join(self.text.split())
        return short[:60] + ("…" if len(short) > 60 else "")
