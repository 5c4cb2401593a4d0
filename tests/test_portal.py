"""The members' portal in-process (Django's test client, pytest-django): who may see what, login links, lockout,
CSRF, cookies, members' import, calendar, the question box and its personal data, and the record it writes for the
book and the minutes. The whole journey in a browser against a real server is tests/test_portal_journey.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_query_string

from councilbook.core.errors import InputError
from councilbook.parameters.load import load_parameters
from councilbook.parameters.records import record_path
from councilbook.portal import service
from councilbook.portal.models import Access, Document, Meeting, Member, Objection, Question
from councilbook.publication.scope import minutes_state

pytestmark = pytest.mark.django_db
PARAMS = Path(settings.PARAMS_DIR)
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> **fed** [klik](javascript:alert(1))"


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()  # the rate limits
    mail.outbox.clear()
    record_path(PARAMS).unlink(missing_ok=True)


def make_member(name: str = "Lise Holm", email: str = "lise@example.org", role: str = "member") -> Member:
    user = get_user_model().objects.create_user(username=f"m-{email}", email=email)
    return Member.objects.create(user=user, name=name, role=role)


def make_meeting(day: dt.date = dt.date(2013, 5, 29), objections_end: dt.date | None = None) -> Meeting:
    return Meeting.objects.create(date=day, title="Rådsmøde", place="Roskilde", objections_end=objections_end)


def make_document(meeting: Meeting, tmp_path: Path, kind: str = "pack", body: bytes = b"%PDF-1.4 pakke") -> Document:
    from councilbook.portal.documents import store_file

    source = tmp_path / f"{kind}-{meeting.date}.pdf"
    source.write_bytes(body)
    return store_file(meeting, kind, 1, f"Mødemateriale {meeting.date}", source)


def logged_in(member: Member) -> Client:
    client = Client()
    client.force_login(member.user, backend="sesame.backends.ModelBackend")
    return client


def staff_client() -> tuple[Client, get_user_model]:  # type: ignore[valid-type]
    user = get_user_model().objects.create_superuser("sekretariat", "s@example.org", "en-lang-adgangskode-42")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, user


def link_token(member: Member) -> str:
    return get_query_string(member.user).split("t=", 1)[1]


# --- files: only for members, only by their meeting's id, never cached ---------------------------------------


def test_a_pack_is_served_only_to_a_member_by_its_own_meeting(tmp_path: Path) -> None:
    member = make_member()
    meeting, other = make_meeting(), make_meeting(dt.date(2013, 8, 28))
    document = make_document(meeting, tmp_path)
    address = f"/medlemmer/moeder/2013-05-29/filer/{document.id}/"

    anonymous = Client().get(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/log-ind/")
    assert not Access.objects.exists()

    client = logged_in(member)
    opened = client.get(address)
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == b"%PDF-1.4 pakke"
    assert opened["Cache-Control"] == "no-store"
    assert opened["Content-Type"] == "application/pdf"
    downloaded = client.get(address + "?hent=1")
    assert "attachment" in downloaded["Content-Disposition"]
    assert [a.action for a in Access.objects.order_by("at")] == ["open", "download"]

    assert client.get(f"/medlemmer/moeder/{other.date}/filer/{document.id}/").status_code == 404  # another meeting
    assert client.get("/medlemmer/moeder/2013-05-29/filer/..%2F..%2Fportal.sqlite3/").status_code == 404
    assert client.get("/medlemmer/moeder/2013-05-29/filer/../../secret_key").status_code == 404
    assert client.get(f"/medlemmer/moeder/2013-05-29/filer/{document.id.hex[:-1]}0/").status_code == 404
    # the stored file is not under any folder a web server serves
    assert document.path.is_relative_to(settings.FILES_DIR)
    assert not Client().get(f"/static/{document.id.hex}").status_code == 200

    member.active = False  # left the council: access ends at once, the session too
    member.save()
    assert client.get(address).status_code == 302
    assert client.get("/medlemmer/").status_code == 302
    assert Access.objects.count() == 2


def test_member_pages_are_never_cached_and_cookies_are_locked_down() -> None:
    member = make_member()
    client = Client()
    page = client.get(f"/log-ind/link/?t={link_token(member)}")
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    answer = client.post("/log-ind/link/", {"t": link_token(member)})
    assert answer.status_code == 302 and answer["Location"] == "/medlemmer/"
    cookie = answer.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert before is None or before.value != cookie.value  # a new session id at login
    listed = client.get("/medlemmer/")
    assert listed.status_code == 200 and listed["Cache-Control"] == "no-store"
    policy = page["Content-Security-Policy"].split("; ")
    assert {"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} <= set(policy)
    assert listed["X-Frame-Options"] == "DENY"
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST  # idle timeout
    assert not settings.DEBUG


# --- login links --------------------------------------------------------------------------------------------


def test_a_login_link_opens_a_button_and_works_once(monkeypatch: pytest.MonkeyPatch) -> None:
    member = make_member()
    token = link_token(member)
    scanner = Client().get(f"/log-ind/link/?t={token}")  # a link scanner fetching the link logs no one in
    assert scanner.status_code == 200 and b'name="t"' in scanner.content
    assert "_auth_user_id" not in Client().session

    first = Client()
    assert first.post("/log-ind/link/", {"t": token}).status_code == 302
    assert first.get("/medlemmer/").status_code == 200
    again = Client().post("/log-ind/link/", {"t": token})  # twice
    assert again.status_code == 400 and "Linket virker ikke" in again.content.decode()

    member.user.refresh_from_db()  # its last login: the next link is made after it
    late = link_token(member)
    import sesame.tokens_v2 as tokens

    now = tokens.time.time()
    monkeypatch.setattr(tokens, "time", types.SimpleNamespace(time=lambda: now + 601))  # 10 minutes and a second
    assert Client().post("/log-ind/link/", {"t": late}).status_code == 400
    monkeypatch.setattr(tokens, "time", types.SimpleNamespace(time=lambda: now + 590))
    assert Client().post("/log-ind/link/", {"t": late}).status_code == 302


def test_known_and_unknown_addresses_get_the_same_answer() -> None:
    member = make_member()
    known, unknown = Client(), Client()
    asked = known.post("/log-ind/", {"email": member.email}), unknown.post("/log-ind/", {"email": "ukendt@example.org"})
    assert [a.status_code for a in asked] == [302, 302] and asked[0]["Location"] == asked[1]["Location"]

    def page(client: Client, address: str) -> str:
        text = client.get("/log-ind/sendt/").content.decode().replace(address, "ADRESSE")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(known, member.email) == page(unknown, "ukendt@example.org")
    assert "Tjek din e-mail" in page(known, member.email)  # a reload sends nothing again
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    body = mail.outbox[0].body
    assert "/log-ind/link/?t=" in body and "10 minutter" in body
    former = make_member("Karim Hassan", "karim@example.org")
    former.active = False
    former.save()
    Client().post("/log-ind/", {"email": "karim@example.org"})
    assert len(mail.outbox) == 1  # a former member gets no link


def test_the_login_link_is_sent_after_the_answer_has_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The WSGI server has the whole answer (a redirect, the same for a known and an unknown address) before any
    link is composed or sent: the link goes at the answer's close(), which a server calls once it has sent it. A
    slow or failing mail server neither delays the answer nor tells who is a member."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    member = make_member()
    form = Client()
    page = form.get("/log-ind/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = f"{settings.CSRF_COOKIE_NAME}={form.cookies[settings.CSRF_COOKIE_NAME].value}"

    def answer(address: str) -> tuple[str, dict[str, str], object]:
        environ = (
            RequestFactory()
            .post("/log-ind/", {"email": address, "csrfmiddlewaretoken": token}, HTTP_COOKIE=cookie)
            .environ
        )
        started: list[tuple[str, dict[str, str]]] = []
        body = WSGIHandler()(environ, lambda status, headers, *_: started.append((status, dict(headers))))
        return started[0][0], started[0][1], body

    for address, links in ((member.email, 1), ("ukendt@example.org", 0)):
        mail.outbox.clear()
        status, headers, body = answer(address)
        assert status.startswith("302") and headers["Location"] == "/log-ind/sendt/"
        assert headers["Content-Length"] == "0"  # the browser knows the answer is whole without waiting for more
        assert b"".join(body) == b"" and mail.outbox == []  # the answer is sent: nothing composed or sent yet
        body.close()
        assert len(mail.outbox) == links and all(m.to == [member.email] for m in mail.outbox)

    def refused(*_: object) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("councilbook.portal.views_members.send", refused)
    status, _, body = answer(member.email)
    body.close()  # the server closes the answer: the failure is logged, never raised into the server
    assert status.startswith("302") and mail.outbox == []


def test_repeated_failures_lock_out() -> None:
    member = make_member()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/log-ind/link/", {"t": "AAAAfalsk-token"})
    locked = client.post("/log-ind/link/", {"t": link_token(member)})  # even a good link, from here
    assert locked.status_code == 429 and "For mange forsøg" in locked.content.decode()
    assert client.get("/medlemmer/").status_code == 302

    get_user_model().objects.create_superuser("chef", "c@example.org", "en-lang-adgangskode-42")
    cache.clear()
    from axes.utils import reset

    reset()
    staff = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        staff.post("/sekretariat/login/", {"username": "chef", "password": "forkert", "otp_token": "123456"})
    answer = staff.post(
        "/sekretariat/login/", {"username": "chef", "password": "en-lang-adgangskode-42", "otp_token": "1"}
    )
    assert answer.status_code == 429


def test_a_post_without_csrf_token_is_refused(tmp_path: Path) -> None:
    member = make_member()
    make_meeting(objections_end=timezone.localdate() + dt.timedelta(days=3))
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user, backend="sesame.backends.ModelBackend")
    assert client.post("/medlemmer/moeder/2013-05-29/indsigelse/", {"text": "Nej"}).status_code == 403
    assert Client(enforce_csrf_checks=True).post("/spoerg/", {"text": "x", "email": "a@example.org"}).status_code == 403
    assert Client(enforce_csrf_checks=True).post("/log-ind/", {"email": member.email}).status_code == 403
    assert not Objection.objects.exists() and not Question.objects.exists()


def test_staff_need_a_totp_code_for_the_admin() -> None:
    get_user_model().objects.create_superuser("chef", "c@example.org", "en-lang-adgangskode-42")
    client = Client()
    password_only = client.post("/sekretariat/login/", {"username": "chef", "password": "en-lang-adgangskode-42"})
    assert password_only.status_code == 200  # the form again: no code, no login
    assert client.get("/sekretariat/").status_code == 302
    client.force_login(get_user_model().objects.get(username="chef"))  # logged in, but not with a device
    assert client.get("/sekretariat/").status_code == 302
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    staff = service.add_staff("chef2", "c2@example.org")
    form = Client()
    wrong = form.post(
        "/sekretariat/login/?next=/sekretariat/",
        {"username": "chef2", "password": staff.password, "otp_token": "000000"},
    )
    assert "Koden er forkert" in wrong.content.decode()
    code = TOTP(b32decode(staff.totp_key))
    code.time = time.time()
    fields = {"username": "chef2", "password": staff.password, "otp_token": f"{code.token():06d}"}
    throttled = form.post("/sekretariat/login/?next=/sekretariat/", fields)  # at once after a wrong code: refused
    assert "For mange forkerte koder" in throttled.content.decode()
    time.sleep(1.1)  # django-otp's back-off after one failure
    code.time = time.time()
    right = form.post(
        "/sekretariat/login/?next=/sekretariat/",
        {"username": "chef2", "password": staff.password, "otp_token": f"{code.token():06d}"},
    )
    assert right.status_code == 302 and form.get("/sekretariat/").status_code == 200
    verified, _ = staff_client()
    page = verified.get("/sekretariat/")
    assert page.status_code == 200 and "Medlemsportalen – sekretariatet" in page.content.decode()
    assert "Spørgsmål til rådet" in page.content.decode()  # in Danish


# --- members, objections, the record -----------------------------------------------------------------------


def test_members_import_names_each_bad_row_and_changes_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "medlemmer.csv"
    sheet.write_text(
        "name,email,role\nHanne Kjær,hanne@example.org,chair\nUkendt Person,u@example.org,member\n"
        "Lise Holm,ikke-en-adresse,member\nOle Friis,ole@example.org,member\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        service.import_members(sheet)
    text = "\n".join(p.message for p in raised.value.problems)
    wheres = [p.where for p in raised.value.problems]
    assert wheres == ["række 3", "række 4", "række 5"]
    assert "'Ukendt Person' er ikke medlem" in text and "ikke en e-mailadresse" in text and "alternate" in text
    assert not Member.objects.exists()

    sheet.write_text("name;email;role\nHanne Kjær;hanne@example.org;formand\nOle Friis;ole@example.org;\n")
    result = service.import_members(sheet)
    assert result.added == ["Hanne Kjær", "Ole Friis"]
    assert "Lise Holm" in result.without_address
    assert Member.objects.get(name="Ole Friis").role == "alternate"


def test_an_objection_reaches_the_record_and_the_minutes(tmp_path: Path) -> None:
    member = make_member()
    meeting = make_meeting(objections_end=timezone.localdate() + dt.timedelta(days=3))
    make_document(meeting, tmp_path, kind="minutes")
    client = logged_in(member)
    page = client.get("/medlemmer/moeder/2013-05-29/")
    assert "Send indsigelse" in page.content.decode()
    client.post("/medlemmer/moeder/2013-05-29/indsigelse/", {"text": HOSTILE})
    objection = Objection.objects.get()
    assert objection.text == HOSTILE and objection.member == member
    shown = client.get("/medlemmer/moeder/2013-05-29/").content.decode()
    assert "<script>alert" not in shown and "&lt;script&gt;alert" in shown

    record = json.loads(record_path(PARAMS).read_text(encoding="utf-8"))
    assert list(record["objections"]) == ["2013-05-29"] and HOSTILE not in json.dumps(record)  # no text in it
    params = load_parameters(PARAMS)
    day = timezone.localdate()
    objected = params.meeting_on(dt.date(2013, 5, 29)).model_copy(
        update={"minutes_sent": day - dt.timedelta(days=1)}
    )  # the record's objection, within a period that runs now
    params.meetings[[m.date for m in params.meetings].index(objected.date)] = objected
    state = minutes_state(objected, params, day)
    assert state.state == "objected" and [o.member for o in state.objections] == ["Lise Holm"]
    assert state.label == "ikke godkendt (indsigelse)"

    meeting.objections_end = timezone.localdate() - dt.timedelta(days=1)  # the deadline passed
    meeting.save()
    assert client.post("/medlemmer/moeder/2013-05-29/indsigelse/", {"text": "for sent"}).status_code == 302
    assert Objection.objects.count() == 1


def test_the_calendar_feed_is_private_and_complete() -> None:
    member = make_member()
    feed = Client().get(f"/kalender/{member.calendar_token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    events = Calendar.from_ical(feed.content).walk("VEVENT")
    params = load_parameters(PARAMS)
    assert len(events) == 2 * len(params.meetings)
    meeting = params.meeting_on(dt.date(2013, 5, 29))
    found = next(e for e in events if str(e["uid"]).startswith("mode-2013-05-29"))
    assert found.decoded("dtstart").hour == int(meeting.start.split(":")[0])
    assert str(found["location"]) == meeting.place
    pack = next(e for e in events if str(e["uid"]).startswith("pakke-2013-05-29"))
    assert pack.decoded("dtstart") == dt.date(2013, 5, 22)
    assert Client().get("/kalender/gaet-et-token.ics").status_code == 404
    member.active = False
    member.save()
    assert Client().get(f"/kalender/{member.calendar_token}.ics").status_code == 404


# --- the question box ---------------------------------------------------------------------------------------


def test_a_question_is_confirmed_by_button_answered_as_text_and_published_without_the_sender(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    form = client.get("/spoerg/").content.decode()
    assert "artikel 6" in form and "12 måneder" in form  # what is stored, why, how long
    client.post("/spoerg/", {"text": HOSTILE, "name": "Borger Bent", "email": "bent@example.org"})
    question = Question.objects.get()
    assert question.state == "unconfirmed" and not question.show_name
    confirmation = mail.outbox[-1]
    assert "alert" not in confirmation.body + confirmation.alternatives[0][0]  # the text is not sent on (spam)
    link = re.search(r"http\S+/spoerg/bekraeft/\S+/", confirmation.body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    client.get("/" + path)  # fetched (a link scanner): nothing confirmed
    question.refresh_from_db()
    assert question.state == "unconfirmed"
    client.post("/" + path)
    question.refresh_from_db()
    assert question.state == "waiting"

    staff, _ = staff_client()
    listed = staff.get("/sekretariat/portal/question/").content.decode()
    changed = staff.get(f"/sekretariat/portal/question/{question.pk}/change/").content.decode()
    for page in (listed, changed):
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in changed
    empty = staff.post(f"/sekretariat/portal/question/{question.pk}/change/", {"state": "answered", "answer": ""})
    assert "Skriv svaret" in empty.content.decode()  # an answered question needs its answer
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            f"/sekretariat/portal/question/{question.pk}/change/",
            {"state": "answered", "answer": "Rådet svarer <b>her</b>.\r\nMed en ny linje.", "rejection": ""},
        )
    assert answer.status_code == 302
    sent = mail.outbox[-1]
    assert sent.to == ["bent@example.org"] and "&lt;b&gt;her" in sent.alternatives[0][0]
    record = json.loads(record_path(PARAMS).read_text(encoding="utf-8"))
    published = record["questions"]
    assert published[0]["question"] == HOSTILE and published[0]["name"] is None
    assert "bent@example.org" not in json.dumps(record) and "Bent" not in json.dumps(record)
    assert load_parameters(PARAMS).questions[0].answer == "Rådet svarer <b>her</b>.\nMed en ny linje."


def test_questions_are_rate_limited_per_address() -> None:
    client = Client()
    answers = [
        client.post("/spoerg/", {"text": f"Spørgsmål {n}", "email": "mange@example.org"}).status_code for n in range(4)
    ]
    assert answers == [302, 302, 302, 429]  # each accepted one goes on to the thank-you page
    assert Question.objects.count() == 3


def test_personal_data_is_deleted_after_the_period_and_on_request() -> None:
    old = Question.objects.create(text="Gammelt", name="A", email="a@example.org", state="answered",
                                  answer="Svar", answered=dt.date(2024, 1, 2))  # fmt: skip
    Question.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=400))
    new = Question.objects.create(text="Nyt", name="B", email="b@example.org", state="waiting")
    stale = Question.objects.create(text="Aldrig bekræftet", email="c@example.org")
    Question.objects.filter(pk=stale.pk).update(created=timezone.now() - dt.timedelta(days=8))
    done = service_purge()
    assert (done.anonymised, done.deleted) == (1, 1)
    old.refresh_from_db()
    assert old.email == "" and old.name == "" and old.personal_data_deleted and old.answer == "Svar"
    assert Question.objects.get(pk=new.pk).email == "b@example.org"
    assert not Question.objects.filter(pk=stale.pk).exists()
    from councilbook.portal.privacy import purge

    assert purge("B@example.org").anonymised == 1
    assert Question.objects.get(pk=new.pk).email == ""


def service_purge():  # type: ignore[no-untyped-def]
    from councilbook.portal.privacy import purge

    return purge()


def test_the_secretariats_pages_open(tmp_path: Path) -> None:
    member = make_member()
    meeting = make_meeting()
    document = make_document(meeting, tmp_path)
    Access.objects.create(member=member, document=document, action="open")
    Objection.objects.create(meeting=meeting, member=member, text="Punkt 2 mangler.")
    staff, _ = staff_client()
    for path in (
        "/sekretariat/portal/member/",
        f"/sekretariat/portal/member/{member.pk}/change/",
        "/sekretariat/portal/meeting/",
        f"/sekretariat/portal/document/{document.pk}/change/",
        "/sekretariat/portal/access/",
        "/sekretariat/portal/objection/",
        "/sekretariat/auth/user/",
        "/sekretariat/otp_totp/totpdevice/",
    ):
        assert staff.get(path).status_code == 200, path
    opened = staff.get(f"/medlemmer/moeder/2013-05-29/filer/{document.id}/")  # the secretariat opens a stored file
    assert opened.status_code == 200 and Access.objects.count() == 1  # not counted as a member's reading
    assert "Åbn" in staff.get(f"/sekretariat/portal/document/{document.pk}/change/").content.decode()
    page = staff.get(f"/sekretariat/portal/meeting/{meeting.pk}/change/").content.decode()
    assert (
        "Lise Holm" in page
        and "Punkt 2 mangler." in page
        and "1 af 1" in staff.get("/sekretariat/portal/meeting/").content.decode()
    )
    assert Client().get("/sekretariat/portal/member/").status_code == 302  # nobody else


def test_the_demo_prints_a_login_link(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "COUNCILBOOK_PORTAL": str(tmp_path / "portal")}
    run = subprocess.run(
        [sys.executable, "-m", "councilbook", "portal", "demo", "--params", str(PARAMS), "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert re.search(r"^http://127\.0\.0\.1:8000/log-ind/link/\?t=\S+$", run.stdout, flags=re.M)
    assert "Demo-medlemmer: 12 medlemmer" in run.stdout and "Adgangskode (vises kun nu)" in run.stdout
    again = subprocess.run(run.args, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Adgangskode" not in again.stdout  # shown once


def test_false_links_lock_out_links_but_not_the_secretariat() -> None:
    member = make_member()
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/log-ind/link/", {"t": "AAAAfalsk-token"})
    assert client.post("/log-ind/link/", {"t": link_token(member)}).status_code == 429
    staff = service.add_staff("chef3", "c3@example.org")
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    code = TOTP(b32decode(staff.totp_key))
    code.time = time.time()
    office = Client(REMOTE_ADDR="10.0.0.7")  # the same office address
    answer = office.post(
        "/sekretariat/login/?next=/sekretariat/",
        {"username": "chef3", "password": staff.password, "otp_token": f"{code.token():06d}"},
    )
    assert answer.status_code == 302 and office.get("/sekretariat/").status_code == 200


def test_after_login_the_member_lands_on_the_page_asked_for(tmp_path: Path) -> None:
    member = make_member()
    make_meeting()
    client = Client()
    asked = client.get("/medlemmer/moeder/2013-05-29/")
    assert asked["Location"] == "/log-ind/?next=/medlemmer/moeder/2013-05-29/"
    client.post("/log-ind/", {"email": member.email, "next": "/medlemmer/moeder/2013-05-29/"})
    link = re.search(r"http\S+/log-ind/link/\S+", mail.outbox[-1].body).group(0)
    assert "next=/medlemmer/moeder/2013-05-29/" in link
    landing = client.get(link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", ""))
    token = re.search(r'name="t" value="([^"]+)"', landing.content.decode()).group(1)
    answer = client.post("/log-ind/link/", {"t": token, "next": "/medlemmer/moeder/2013-05-29/"})
    assert answer["Location"] == "/medlemmer/moeder/2013-05-29/"
    assert client.get(f"/log-ind/link/?t={token}")["Location"] == "/medlemmer/"  # opened again, logged in
    elsewhere = Client().post("/log-ind/", {"email": member.email, "next": "https://ondt.example/"})
    assert elsewhere.status_code == 302 and "ondt.example" not in mail.outbox[-1].body


def test_errors_and_the_agenda_are_pages_in_danish(tmp_path: Path) -> None:
    missing = Client().get("/findes/ikke/")
    assert missing.status_code == 404 and "Siden findes ikke" in missing.content.decode()
    member = make_member()
    meeting = make_meeting()
    from councilbook.portal.documents import store_file

    source = tmp_path / "pakke.html"
    source.write_text("<!DOCTYPE html><html><head><title>P</title></head><body><h1>Dagsorden</h1></body></html>")
    agenda = store_file(meeting, "agenda", 1, "Dagsorden og sager", source)
    page = logged_in(member).get(f"/medlemmer/moeder/2013-05-29/filer/{agenda.id}/").content.decode()
    assert 'name="viewport"' in page and "Tilbage til mødet" in page and "<h1>Dagsorden</h1>" in page
