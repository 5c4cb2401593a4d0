"""The secretariat's side: Django's admin in Danish, behind password and TOTP (django-otp).

Members (e-mail addresses live only here), meetings with who has opened their pack, documents and the access
log (read only), objections to the minutes, and the question box's moderation queue.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilbook.portal.models import Access, Document, Meeting, Member, Objection, Question
from councilbook.portal.notices import compose, send
from councilbook.portal.record import export_record


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
    site_header = "Medlemsportalen – sekretariatet"
    site_title = "Sekretariatet"
    index_title = "Portalens indhold"


site = SecretariatSite(name="admin")
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


@admin.register(Meeting, site=site)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "pack_due", "opened"]
    readonly_fields = ["date", "title", "place", "pack_due", "objections_end", "readers", "objections"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="pakken åbnet af")
    def opened(self, meeting: Meeting) -> str:
        readers = Access.objects.filter(document__meeting=meeting, document__kind="pack").values("member").distinct()
        active = Member.objects.filter(active=True).count()
        return f"{readers.count()} af {active}"

    @admin.display(description="hvem har åbnet pakken")
    def readers(self, meeting: Meeting) -> str:
        rows = []
        for member in Member.objects.filter(active=True).order_by("name"):
            first = (
                Access.objects.filter(member=member, document__meeting=meeting, document__kind="pack")
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
    readonly_fields = [f.name for f in Document._meta.fields]

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


@admin.register(Question, site=site)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["created", "short", "state", "answered"]
    list_filter = ["state"]
    search_fields = ["text"]
    fields = ["text", "name", "show_name", "created", "confirmed", "state", "answer", "rejection", "rules"]
    readonly_fields = ["text", "name", "show_name", "created", "confirmed", "rules"]
    actions = ["delete_personal_data"]

    @admin.display(description="spørgsmål")
    def short(self, question: Question) -> str:
        return str(question)

    @admin.display(description="regler")
    def rules(self, question: Question) -> str:
        return (
            "Svar, og sæt tilstanden til 'besvaret og offentliggjort': spørgsmålet og svaret kommer i bogen ved "
            "næste bygning, uden navn, medmindre afsenderen har sagt ja. Afvis med en grund efter reglerne: "
            "personangreb, en privatperson eller en enkeltsag."
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).exclude(state="unconfirmed")

    def save_model(self, request: HttpRequest, obj: Question, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        before = Question.objects.filter(pk=obj.pk).values_list("state", flat=True).first()
        if obj.state == "answered" and not obj.answer.strip():
            messages.error(request, "Et spørgsmål kan ikke være besvaret uden et svar; det er ikke offentliggjort.")
            obj.state = before or "waiting"
        if obj.state == "rejected" and not obj.rejection:
            messages.error(request, "Vælg grunden til afvisningen efter reglerne.")
            obj.state = before or "waiting"
        if obj.state == "answered" and obj.answered is None:
            obj.answered = timezone.localdate()
        super().save_model(request, obj, form, change)
        if obj.state != before and obj.state in ("answered", "rejected") and obj.email:
            try:
                send(
                    compose(
                        obj.email,
                        "Svar på dit spørgsmål til rådet" if obj.state == "answered" else "Dit spørgsmål til rådet",
                        "answer" if obj.state == "answered" else "rejected",
                        {"question": obj, "reason": obj.get_rejection_display()},
                    )
                )
            except OSError:
                messages.warning(request, "E-mailen til afsenderen kunne ikke sendes.")
        export_record()

    @admin.action(description="Slet personoplysninger (navn og e-mail) i de valgte")
    def delete_personal_data(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = queryset.update(email="", name="", show_name=False, personal_data_deleted=timezone.now())
        export_record()
        messages.success(request, f"Personoplysningerne er slettet i {count} spørgsmål.")
