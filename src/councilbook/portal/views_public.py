"""The public pages: the portal's front page and "Spørg rådet" (questions, suggestions and comments)."""

from __future__ import annotations

import logging

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from councilbook.portal.access import allow, client_ip
from councilbook.portal.models import Question
from councilbook.portal.notices import compose, send
from councilbook.portal.privacy import retention_months
from councilbook.portal.text import clean_text
from councilbook.portal.views_members import EMAIL_ERRORS

logger = logging.getLogger(__name__)
QUESTIONS_PER_DAY = 3  # per address and per client


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Dit spørgsmål, forslag eller din kommentar", widget=forms.Textarea(attrs={"rows": 8}), max_length=3000
    )
    name = forms.CharField(label="Dit navn (frivilligt)", max_length=200, required=False)
    show_name = forms.BooleanField(label="Mit navn må stå ved spørgsmålet, når det offentliggøres", required=False)
    email = forms.EmailField(label="Din e-mailadresse", max_length=254, error_messages=EMAIL_ERRORS)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    context = {"form": form, "retention_months": retention_months()}
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"].strip().lower()
        text = clean_text(form.cleaned_data["text"])
        if not text:
            form.add_error("text", "Skriv dit spørgsmål.")
            return render(request, "portal/ask.html", context)
        if not (
            allow("ask", address, QUESTIONS_PER_DAY, 86400)
            and allow("ask-ip", client_ip(request), 3 * QUESTIONS_PER_DAY, 86400)
        ):
            form.add_error(None, "Du har sendt mange spørgsmål i dag. Prøv igen i morgen.")
            return render(request, "portal/ask.html", context, status=429)
        question = Question.objects.create(
            text=text,
            name=clean_text(form.cleaned_data["name"]),
            show_name=bool(form.cleaned_data["show_name"] and form.cleaned_data["name"].strip()),
            email=address,
        )
        link = request.build_absolute_uri(reverse("portal:confirm", args=[question.confirm_token]))
        try:
            send(compose(address, "Bekræft dit spørgsmål til rådet", "confirm", {"question": question, "link": link}))
        except OSError:
            logger.exception("confirmation of question %s not sent", question.pk)
        request.session["asked_from"] = address  # shown on the next page; a reload there sends nothing again
        return redirect("portal:asked")
    return render(request, "portal/ask.html", context)


def asked(request: HttpRequest) -> HttpResponse:
    address = request.session.get("asked_from")
    if not address:
        return redirect("portal:ask")
    return render(request, "portal/ask_sent.html", {"email": address})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the address by the e-mail's link (a button: a program that fetches the link confirms nothing)."""
    question = Question.objects.filter(confirm_token=token, personal_data_deleted=None).first()
    if question is None:
        return render(request, "portal/confirm_failed.html", status=404)
    if request.method == "POST" and question.state == "unconfirmed":
        question.state = "waiting"
        question.confirmed = timezone.now()
        question.save(update_fields=["state", "confirmed"])
    done = question.state != "unconfirmed"
    return render(request, "portal/confirm.html", {"question": question, "done": done})
