"""The members' pages: login by e-mail link, the meetings with their documents, objections to draft minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from councilbook.portal.access import (
    allow,
    client_ip,
    login_link,
    member_of,
    member_or_secretariat_required,
    member_required,
    safe_next,
)
from councilbook.portal.models import Access, Document, Meeting, Member, Objection
from councilbook.portal.notices import compose, send
from councilbook.portal.record import export_record
from councilbook.portal.text import clean_text

logger = logging.getLogger(__name__)
LINK_REQUESTS_PER_HOUR = 5  # per address
LINK_REQUESTS_PER_CLIENT_HOUR = 100  # per client address: a whole council may sit behind one office network


EMAIL_ERRORS = {
    "invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.",
    "required": "Skriv din e-mailadresse.",
}


class EmailForm(forms.Form):
    email = forms.EmailField(label="Din e-mailadresse", max_length=254, error_messages=EMAIL_ERRORS)


class ObjectionForm(forms.Form):
    text = forms.CharField(label="Din indsigelse", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)


class RedirectThen(HttpResponseRedirect):
    """A redirect that does ``then`` when the server closes it, that is after the answer has gone to the browser
    (a WSGI server calls ``close()`` once it has sent the body; Django's test client does the same)."""

    def __init__(self, to: str, then: Callable[[], None] | None) -> None:
        super().__init__(to)
        self._then = then

    def close(self) -> None:
        then, self._then = self._then, None
        try:
            if then is not None:
                then()
        finally:
            super().close()


def _send_login_link(member: Member, goal: str | None) -> None:
    try:
        send(
            compose(
                member.email,
                "Dit link til medlemsportalen",
                "login",
                {"member": member, "link": login_link(member, goal)},
            )
        )
    except Exception:  # the browser has its answer; the log says what failed
        logger.exception("login link to member %s not sent", member.pk)


@require_http_methods(["GET", "POST"])
def login_request(request: HttpRequest) -> HttpResponse:
    """Ask for a login link. The answer is the same whether or not the address is known, and it comes as fast:
    the link is composed and sent after the answer has gone (a slow mail server would tell who is a member)."""
    form = EmailForm(request.POST or None)
    goal = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET" and member_of(request) is not None:
        return redirect(goal or "portal:meetings")
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"].strip().lower()
        member = None
        if allow("link", address, LINK_REQUESTS_PER_HOUR, 3600) and allow(
            "link-ip", client_ip(request), LINK_REQUESTS_PER_CLIENT_HOUR, 3600
        ):
            member = (
                Member.objects.filter(user__email__iexact=address, active=True, user__is_active=True)
                .select_related("user")
                .first()
            )
        request.session["link_for"] = address  # shown on the next page; a reload there sends nothing again
        then = None if member is None else partial(_send_login_link, member, goal)
        return RedirectThen(reverse("portal:login_sent"), then)
    return render(request, "portal/login.html", {"form": form, "next": goal})


def login_sent(request: HttpRequest) -> HttpResponse:
    address = request.session.get("link_for")
    if not address:
        return redirect("portal:login")
    return render(request, "portal/login_sent.html", {"email": address})


@require_http_methods(["GET", "POST"])
def login_with_link(request: HttpRequest) -> HttpResponse:
    """The page a login link opens: a button, so that a program that fetches the link logs no one in."""
    data = request.POST if request.method == "POST" else request.GET
    token, goal = data.get("t"), safe_next(request, data.get("next"))
    if member_of(request) is not None:  # already logged in (the link opened again): no new try, no failure
        return redirect(goal or "portal:meetings")
    if not token or len(token) > 500:
        return render(request, "portal/link_failed.html", status=400)
    if request.method == "GET":
        return render(request, "portal/link.html", {"token": token, "next": goal})
    user = authenticate(request, sesame=token)
    if user is None:
        return render(request, "portal/link_failed.html", status=400)
    login(request, user, backend="sesame.backends.ModelBackend")  # a new session id
    return redirect(goal or "portal:meetings")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "Du er logget ud.")
    return redirect("portal:login")


@member_required
def meetings(request: HttpRequest) -> HttpResponse:
    listed = Meeting.objects.filter(documents__isnull=False).order_by("-date").distinct()
    today = timezone.localdate()
    return render(
        request,
        "portal/meetings.html",
        {
            "coming": [m for m in listed if m.date >= today][::-1],
            "past": [m for m in listed if m.date < today],
        },
    )


def _meeting(day: str) -> Meeting:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Meeting, date=when)


def objections_open(meeting: Meeting) -> bool:
    return meeting.objections_end is not None and timezone.localdate() <= meeting.objections_end


@member_required
def meeting(request: HttpRequest, day: str) -> HttpResponse:
    found = _meeting(day)
    documents = list(found.documents.order_by("-version", "kind", "title"))
    versions: dict[int, list[Document]] = {}
    for document in documents:
        if document.kind != "minutes":
            versions.setdefault(document.version, []).append(document)
    minutes = [d for d in documents if d.kind == "minutes"]
    mine = Objection.objects.filter(meeting=found, member=request.member)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/meeting.html",
        {
            "meeting": found,
            "versions": sorted(versions.items(), reverse=True),
            "minutes": minutes[0] if minutes else None,
            "objections_open": objections_open(found),
            "my_objections": mine,
            "form": ObjectionForm(),
        },
    )


@member_or_secretariat_required
def document(request: HttpRequest, day: str, document_id: str) -> HttpResponse:
    """A meeting's file, after the check: an active member (logged) or the secretariat, the document of this
    meeting."""
    from councilbook.portal.documents import serve

    found = _meeting(day)
    stored = get_object_or_404(Document, id=document_id, meeting=found)
    download = request.GET.get("hent") == "1"
    if request.member is not None:  # type: ignore[attr-defined]
        Access.objects.create(
            member=request.member,  # type: ignore[attr-defined]
            document=stored,
            action="download" if download else "open",
        )
    return serve(stored, download)


@member_required
@require_POST
def object_to_minutes(request: HttpRequest, day: str) -> HttpResponse:
    found = _meeting(day)
    if not found.documents.filter(kind="minutes").exists() or not objections_open(found):
        messages.error(request, "Indsigelsesfristen for dette referat er udløbet.")
        return redirect("portal:meeting", day=day)
    form = ObjectionForm(request.POST)
    if not form.is_valid() or not clean_text(form.cleaned_data["text"]):
        messages.error(request, "Skriv din indsigelse i feltet.")
        return redirect("portal:meeting", day=day)
    Objection.objects.create(
        meeting=found,
        member=request.member,  # type: ignore[attr-defined]
        text=clean_text(form.cleaned_data["text"]),
    )
    export_record()
    messages.success(request, "Din indsigelse er modtaget. Sekretariatet har fået den, og referatet er ikke godkendt.")
    return redirect(reverse("portal:meeting", args=[day]) + "#referat")


@member_required
def calendar(request: HttpRequest) -> HttpResponse:
    feed = request.build_absolute_uri(
        reverse("portal:calendar_feed", args=[request.member.calendar_token])  # type: ignore[attr-defined]
    )
    webcal = "webcal://" + feed.split("://", 1)[1]
    return render(request, "portal/calendar.html", {"feed": feed, "webcal": webcal})
