"""The portal's record for the book and the minutes (:mod:`councilbook.parameters.records`): who objected to
which minutes and when, and the questions answered for publication. Written after every change to either."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from councilbook.parameters.records import AnsweredQuestion, Record, RecordedObjection, record_path, write_record
from councilbook.portal.council import council_parameters
from councilbook.portal.models import Objection, Question


def export_record() -> Record:
    objections: dict = {}
    for objection in Objection.objects.select_related("member", "meeting").order_by("received"):
        objections.setdefault(objection.meeting.date, []).append(
            RecordedObjection(member=objection.member.name, received=timezone.localtime(objection.received))
        )
    questions = [
        AnsweredQuestion(
            id=q.id,
            asked=timezone.localdate(q.created),
            question=q.text,
            answer=q.answer,
            answered=q.answered,
            name=q.name if q.show_name and q.name else None,
        )
        for q in Question.objects.filter(state="answered").exclude(answered=None).order_by("-answered", "-id")
    ]
    record = Record(council=council_parameters().council.name, objections=objections, questions=questions)
    write_record(record_path(settings.PARAMS_DIR), record)
    return record
