"""Personal data of the question box: how long it is kept, and deleting it (``councilbook portal purge``).

A question's sender gives an address (and perhaps a name) so that the council can confirm the question and
send the answer. Both are deleted ``question_retention_months`` after the question was asked (council.yml,
default 12), or at once on request; questions never confirmed are deleted whole after a week. The question and
its published answer stay, without the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from councilbook.portal.council import council_parameters
from councilbook.portal.models import Question
from councilbook.portal.record import export_record

UNCONFIRMED_DAYS = 7


def retention_months() -> int:
    return council_parameters().council.publication.question_retention_months


@dataclass(frozen=True)
class Purged:
    anonymised: int
    deleted: int


def _months_ago(months: int):  # type: ignore[no-untyped-def]
    return timezone.now() - timedelta(days=round(months * 30.44))


def purge(email: str | None = None) -> Purged:
    """Delete the personal data kept longer than the parameters allow, or (``email``) all of one person's."""
    now = timezone.now()
    with transaction.atomic():
        if email is not None:
            kept = Question.objects.filter(email__iexact=email.strip(), personal_data_deleted=None)
            unconfirmed = kept.filter(state="unconfirmed")
        else:
            kept = Question.objects.filter(created__lt=_months_ago(retention_months()), personal_data_deleted=None)
            unconfirmed = Question.objects.filter(
                state="unconfirmed", created__lt=now - timedelta(days=UNCONFIRMED_DAYS)
            )
        deleted, _ = unconfirmed.delete()
        anonymised = kept.update(email="", name="", show_name=False, personal_data_deleted=now)
    export_record()
    return Purged(anonymised, deleted)
