"""A member's private calendar feed (.ics): the meetings with time and place, and the day the pack is out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from icalendar import Calendar, Event

from councilbook.core.formats import format_date
from councilbook.parameters.model import Parameters
from councilbook.portal.council import council_parameters
from councilbook.portal.models import Member
from councilbook.project.cutoff import compute_pack_date

ZONE = ZoneInfo("Europe/Copenhagen")


def _clock(text: str | None, default: time) -> time:
    if not text:
        return default
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def member_calendar(params: Parameters) -> bytes:
    council = params.council
    calendar = Calendar()
    calendar.add("prodid", "-//councilbook//medlemsportal//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", council.short_name)
    host = settings.PORTAL_URL.split("//", 1)[-1]
    for meeting in params.meetings:
        event = Event()
        event.add("uid", f"mode-{meeting.date.isoformat()}@{host}")
        if meeting.start:
            start = datetime.combine(meeting.date, _clock(meeting.start, time(9)), ZONE)
            end = (
                datetime.combine(meeting.date, _clock(meeting.end, time(9)), ZONE)
                if meeting.end
                else start + timedelta(hours=2)
            )
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", meeting.date)
        event.add("summary", f"{council.short_name}: {meeting.title}")
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", f"{settings.PORTAL_URL}/medlemmer/moeder/{meeting.date.isoformat()}/")
        calendar.add_component(event)
        pack = Event()
        pack.add("uid", f"pakke-{meeting.date.isoformat()}@{host}")
        pack.add("dtstart", compute_pack_date(meeting.date, council))
        pack.add("summary", f"{council.short_name}: mødemateriale ud til mødet {format_date(meeting.date)}")
        calendar.add_component(pack)
    stamp = datetime.now(UTC)
    for component in calendar.walk("VEVENT"):
        component.add("dtstamp", stamp)
    calendar.add_missing_timezones()  # VTIMEZONE for Europe/Copenhagen (Outlook needs it)
    return calendar.to_ical()


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    member = Member.objects.filter(calendar_token=token, active=True, user__is_active=True).first()
    if member is None:
        raise Http404
    response = HttpResponse(member_calendar(council_parameters()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="raadsmoeder.ics"'
    return response
