"""The secretariat's side: Django's admin in Danish, behind password and TOTP (django-otp).

Members (e-mail addresses live only here), meetings with who has opened their pack, documents and the access
log (read only), objections to the minutes, and the question box's moderation queue.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilbook.portal.models import QUESTION_STATES, Access, Document, Meeting, Member, Objection, Question
from councilbook.portal.notices import compose, send
from councilbook.portal.record import export_record
from councilbook.portal.text import clean_text

logger = logging.getLogger(__name__)


class SecretariatLoginForm(OTPAdminAuthenticationForm):
    """Username, password and the code from the authenticator app (the staff user's TOTP key), in Danish."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Skriv koden fra din godkendelses-app.",
        "invalid_token": "Koden er forkert eller udløbet. Prøv igen med den nye kode.",
        "device_required": "Brugeren har ingen godkendelses-app; sæt den op med councilbook portal init.",
        "verification_not_allowed": "For mange forkerte koder. Vent lidt, og prøv igen.",
        "n_failed_attempts": "For mange forkerte koder (%(failure_count)d). Vent lidt, og prøv igen.",
    }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = "Kode fra godkendelses-appen"
        self.fields["otp_token"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
        self.fields["otp_device"].widget = self.fields["otp_device"].hidden_widget()

    def _chosen_device(self, user):  # type: ignore[no-untyped-def]
        """The user's own confirmed TOTP device (the one the authenticator app holds)."""
        return super()._chosen_device(user) or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class SecretariatSite(OTPAdminSite):
    login_form = SecretariatLoginForm
    login_template = "portal/admin_login.html"
    site_header = "Medlemsportalen – sekretariatet"
    site_title = "Sekretariatet"
    index_title = "Portalens indhold"


site = SecretariatSite(name="admin")
MATERIAL = ("pack", "agenda")  # what counts as having opened a meeting's material
# The secretariat's own users and their authenticator apps (a new staff user needs a TOTP device).
site.register(User, UserAdmin)
site.register(Group, GroupAdmin)
site.register(TOTPDevice, TOTPDeviceAdmin)


@admin.register(Member, site=site)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "address", "wants_paper", "active"]
    list_filter = ["role", "wants_paper", "active"]
    search_fields = ["name", "user__email"]
    fields = ["name", "organisation", "role", "wants_paper", "active", "left_on"]
    readonly_fields = ["name", "organisation", "role"]

    @admin.display(description="e-mail")
    def address(self, member: Member) -> str:
        return member.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members come from council.yml: councilbook portal members --import

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # untick "aktiv" instead: who read what stays on record


@admin.register(Meeting, site=site)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "pack_due", "opened"]
    readonly_fields = ["date", "title", "place", "pack_due", "objections_end", "readers", "objections"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the meetings come from the parameters

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="materialet åbnet af")
    def opened(self, meeting: Meeting) -> str:
        readers = Access.objects.filter(document__meeting=meeting, document__kind__in=MATERIAL).values("member")
        active = Member.objects.filter(active=True).count()
        return f"{readers.distinct().count()} af {active}"

    @admin.display(description="hvem har åbnet materialet (pakken eller dagsordenen)")
    def readers(self, meeting: Meeting) -> str:
        rows = []
        for member in Member.objects.filter(active=True).order_by("name"):
            first = (
                Access.objects.filter(member=member, document__meeting=meeting, document__kind__in=MATERIAL)
                .order_by("at")
                .first()
            )
            when = timezone.localtime(first.at).strftime("%d.%m.%Y kl. %H.%M") if first else "ikke åbnet"
            rows.append((member.name, when))
        return format_html(
            "<table class='readers'><tr><th>Medlem</th><th>Første gang åbnet</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="indsigelser mod referatet")
    def objections(self, meeting: Meeting) -> str:
        found = [
            (o.member.name, timezone.localtime(o.received).strftime("%d.%m.%Y kl. %H.%M"), o.text)
            for o in meeting.objections.select_related("member")
        ]
        if not found:
            return "ingen"
        return format_html_join("", "<p><strong>{}</strong>, {}:<br>{}</p>", found)


@admin.register(Document, site=site)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "version", "title", "stored"]
    list_filter = ["kind", "meeting"]
    fields = readonly_fields = [
        "meeting", "kind", "version", "title", "filename", "shown_size", "changes", "stored", "open_link"
    ]  # fmt: skip

    @admin.display(description="fil")
    def open_link(self, document: Document) -> str:
        address = reverse("portal:document", args=[document.meeting.date.isoformat(), document.id])
        return format_html("<a href='{}'>Åbn</a> · <a href='{}?hent=1'>Hent</a>", address, address)

    @admin.display(description="størrelse")
    def shown_size(self, document: Document) -> str:
        return filesizeformat(document.size)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a stored version is never removed: members and the access log refer to it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Access, site=site)
class AccessAdmin(admin.ModelAdmin):
    list_display = ["at", "member", "document", "action"]
    list_filter = ["action", "document__meeting", "member"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Objection, site=site)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "received"]
    readonly_fields = ["meeting", "member", "text", "received"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # an objection is part of the minutes' record


class QuestionForm(forms.ModelForm):
    state = forms.ChoiceField(label="tilstand", choices=[c for c in QUESTION_STATES if c[0] != "unconfirmed"])

    class Meta:
        model = Question
        fields = ["state", "answer", "rejection"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["answer"] = clean_text(data.get("answer") or "")
        if data.get("state") == "answered" and not data["answer"]:
            self.add_error("answer", "Skriv svaret: et besvaret spørgsmål offentliggøres med sit svar.")
        if data.get("state") == "rejected" and not data.get("rejection"):
            self.add_error("rejection", "Vælg grunden til afvisningen efter reglerne.")
        return data


@admin.register(Question, site=site)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["created", "short", "state", "answered"]
    list_filter = ["state"]
    search_fields = ["text"]
    fields = ["question", "name", "show_name", "created", "confirmed", "state", "answer", "rejection", "rules"]
    readonly_fields = ["question", "name", "show_name", "created", "confirmed", "rules"]
    actions = ["delete_personal_data"]

    class Media:
        css = {"all": ["portal/admin.css"]}

    @admin.display(description="spørgsmål")
    def short(self, question: Question) -> str:
        return str(question)

    @admin.display(description="spørgsmål")
    def question(self, question: Question) -> str:
        return format_html("<div class='question-text'>{}</div>", linebreaksbr(question.text))

    @admin.display(description="regler")
    def rules(self, question: Question) -> str:
        return (
            "Svar, og sæt tilstanden til 'besvaret og offentliggjort': spørgsmålet og svaret kommer på bogens side "
            "\u201dSpørgsmål og svar\u201d, næste gang bogen bygges, uden navn, medmindre afsenderen har sagt ja. "
            "Afvis med en grund efter reglerne: et personangreb, en privatperson, en enkeltsag eller uden for rådets "
            "opgaver. Afsenderen får svaret eller afvisningen på e-mail."
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).exclude(state="unconfirmed")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # questions come from the public form

    def save_model(self, request: HttpRequest, obj: Question, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        before = Question.objects.filter(pk=obj.pk).values_list("state", flat=True).first()
        if obj.state == "answered" and obj.answered is None:
            obj.answered = timezone.localdate()
        super().save_model(request, obj, form, change)
        export_record()
        if obj.state != before and obj.state in ("answered", "rejected") and obj.email:
            message = compose(
                obj.email,
                "Svar på dit spørgsmål til rådet" if obj.state == "answered" else "Dit spørgsmål til rådet",
                "answer" if obj.state == "answered" else "rejected",
                {"question": obj, "reason": obj.get_rejection_display()},
            )

            def tell() -> None:  # only once the answer is saved: a failed save sends nothing
                try:
                    send(message)
                except OSError:
                    logger.exception("answer to question %s not sent", obj.pk)

            transaction.on_commit(tell)

    @admin.action(description="Slet personoplysninger (navn og e-mail) i de valgte")
    def delete_personal_data(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = queryset.update(email="", name="", show_name=False, personal_data_deleted=timezone.now())
        export_record()
        messages.success(request, f"Personoplysningerne er slettet i {count} spørgsmål.")
