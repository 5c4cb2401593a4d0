"""The portal's e-mails: login links, a pack or draft minutes ready, a question to confirm, its answer.

Every e-mail is plain text with an HTML part made from the same autoescaped template context: what a citizen
or member wrote is shown as text in both. A pack is never attached: the e-mail links to the meeting's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from councilbook.portal.council import council_parameters
from councilbook.portal.models import Document, Member, Notice


def compose(to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """An e-mail from ``portal/mail/<template>.txt`` and ``.html`` (the HTML part autoescaped), from the council's
    secretariat by name."""
    council = council_parameters().council
    context = {**context, "portal_url": settings.PORTAL_URL, "council_name": council.name}
    text = render_to_string(f"portal/mail/{template}.txt", context)
    html = render_to_string(
        "portal/mail/page.html", {**context, "body": render_to_string(f"portal/mail/{template}.html", context)}
    )
    sender = formataddr((council.short_name, settings.DEFAULT_FROM_EMAIL))
    domain = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    message = EmailMultiAlternatives(subject, text, sender, [to], headers={"Message-ID": make_msgid(domain=domain)})
    message.attach_alternative(html, "text/html")
    return message


def send(message: EmailMultiAlternatives) -> None:
    message.send(fail_silently=False)


@dataclass
class NoticeResult:
    sent: list[Member] = field(default_factory=list)
    before: list[Member] = field(default_factory=list)  # told earlier about this document
    failed: list[tuple[Member, str]] = field(default_factory=list)
    paper: list[Member] = field(default_factory=list)


def notify_members(document: Document, subject: str, template: str) -> NoticeResult:
    """E-mail every active member and alternate a link to the document's meeting, once per document; a member
    not reached is reported and told on the next run."""
    result = NoticeResult()
    meeting = document.meeting
    link = settings.PORTAL_URL + reverse("portal:meeting", args=[meeting.date.isoformat()])
    connection = get_connection()
    try:
        for member in Member.objects.filter(active=True).select_related("user").order_by("name"):
            if member.wants_paper:
                result.paper.append(member)
            if Notice.objects.filter(member=member, document=document).exists():
                result.before.append(member)
                continue
            if not member.email:
                result.failed.append((member, "ingen e-mailadresse"))
                continue
            message = compose(
                member.email,
                subject,
                template,
                {"member": member, "meeting": meeting, "document": document, "link": link},
            )
            message.connection = connection
            try:
                message.send(fail_silently=False)
            except OSError as exc:
                result.failed.append((member, str(exc) or type(exc).__name__))
                continue
            Notice.objects.create(member=member, document=document)
            result.sent.append(member)
    finally:
        connection.close()
    return result
