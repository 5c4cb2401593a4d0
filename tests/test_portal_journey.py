"""The members' portal as its users meet it: the commands the secretariat runs, `councilbook portal serve`
(gunicorn) on 127.0.0.1 with its clock on the meeting's day (faketime: the sample council met in 2013), a real
SMTP server (aiosmtpd) on 127.0.0.1 that receives every e-mail, and the system Chromium through Selenium.

One journey: the secretariat imports the members and sends a pack; a member receives the e-mail, logs in through
its link, reads the agenda, downloads the pack and objects to the draft minutes; a citizen asks a question and
confirms it; the secretariat (password and TOTP) sees who opened the pack and the objection and answers the
question; `councilbook minutes` shows the minutes as not approved, and the next `councilbook build` shows the
answered question.
"""

from __future__ import annotations

import calendar
import email
import email.policy
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from base64 import b32decode
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from conftest import chrome_driver, copy_built, require_tool

pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]

MEETING = "2013-05-29"  # its minutes were sent 2013-06-04: objections until 2013-06-11
SERVER_DAY = "2013-06-05 10:00:00"  # the portal's clock (UTC) during the journey
MEMBER = ("Lise Holm", "lise.holm@raadet.example")
OBJECTION = "Punkt 4 er ikke gengivet rigtigt. <script>alert('indsigelse')</script>"
QUESTION = "Hvad gør rådet for unge ledige?\n<script>alert('spørgsmål')</script> **ikke fed**"
ANSWER = "Rådet har et mål for unges uddannelse; se status på målene."


class Mailbox:
    """What the SMTP server on 127.0.0.1 received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.changed:
            self.messages.append(message)  # type: ignore[arg-type]
            self.changed.notify_all()
        return "250 OK"

    def wait_for(self, to: str, subject: str, count: int = 1, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [m for m in self.messages if m["To"] == to and subject in str(m["Subject"])]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                assert left > 0, f"no e-mail to {to} about {subject!r}: {[str(m['Subject']) for m in self.messages]}"
                self.changed.wait(left)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def totp(key: str, now: float) -> str:
    from django_otp.oath import TOTP

    token = TOTP(b32decode(key))
    token.time = now
    return f"{token.token():06d}"


def test_the_whole_journey(sample_book: Path, tmp_path: Path, mailbox: tuple[Mailbox, int]) -> None:
    require_tool("faketime")
    box, smtp_port = mailbox
    project = copy_built(sample_book, tmp_path / "project")
    portal, port = tmp_path / "portal", free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COUNCILBOOK_PORTAL": str(portal),
        "COUNCILBOOK_PORTAL_URL": site,
        "COUNCILBOOK_SMTP": f"127.0.0.1:{smtp_port}",
        "COUNCILBOOK_MAIL_FROM": "sekretariat@raadet.example",
        "TZ": "UTC",
    }

    def councilbook(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        run = subprocess.run(
            [sys.executable, "-m", "councilbook", "--project", str(project), *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if ok:
            assert run.returncode == 0, run.stdout + run.stderr
        return run

    # The secretariat sets the portal up and imports the members (their addresses never in the project).
    made = councilbook("portal", "init", "--staff", "sekretariat", "--email", "sekretariat@raadet.example").stdout
    password = re.search(r"Adgangskode \(vises kun nu\): (\S+)", made).group(1)
    key = re.search(r"eller ved at skrive nøglen: (\S+)", made).group(1)
    from councilbook.parameters.load import load_parameters

    params = load_parameters(project / "parameters")
    addresses = {m.name: f"medlem{n}@raadet.example" for n, m in enumerate(params.council.members)}
    addresses[MEMBER[0]] = MEMBER[1]
    sheet = tmp_path / "medlemmer.csv"
    sheet.write_text(
        "name,email,role\n" + "".join(f"{m.name},{addresses[m.name]},{m.role}\n" for m in params.council.members),
        encoding="utf-8",
    )
    imported = councilbook("portal", "members", "--import", str(sheet)).stdout
    assert f"{len(params.council.members)} medlemmer med adgang til portalen." in imported
    project_files = [p for p in project.rglob("*") if p.is_file() and p.suffix in (".yml", ".md", ".csv", ".json")]
    assert not [p for p in project_files if "@raadet.example" in p.read_text(encoding="utf-8", errors="replace")]

    # A pack is made and sent: stored in the portal, every member told by e-mail with a link, never the PDF.
    councilbook("pack", "--meeting", MEETING, "--as-of", "2013-05-21")
    sent = councilbook("pack", "--meeting", MEETING, "--send", "--as-of", "2013-05-22").stdout
    assert "ligger i medlemsportalen" in sent
    assert f"sendt til {len(params.council.members)} medlemmer" in sent
    notice = box.wait_for(MEMBER[1], "Mødemateriale")[0]
    assert f"{site}/medlemmer/moeder/{MEETING}/" in text_of(notice)
    assert not [p for p in notice.iter_attachments()], "the pack is never attached"
    # The draft minutes (sent 4 June) go in with their objection form.
    drafted = councilbook("minutes", "--meeting", MEETING, "--as-of", "2013-06-05").stdout
    assert "Beslutningsreferat (udkast)" in drafted
    box.wait_for(MEMBER[1], "Udkast til referat")

    server = subprocess.Popen(
        [
            "faketime",
            SERVER_DAY,
            sys.executable,
            "-m",
            "councilbook",
            "--project",
            str(project),
            "portal",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],  # fmt: skip
        cwd=project,
        env={**env, "FAKETIME_DONT_RESET": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # faketime does not pass a signal on: the server is stopped by its process group
    )
    started = time.time()
    fake_start = calendar.timegm(time.strptime(SERVER_DAY, "%Y-%m-%d %H:%M:%S"))
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{site}/log-ind/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            server.kill()
            pytest.fail("the portal did not start: " + (server.communicate()[1] or "")[-2000:])
        with chrome_driver() as driver:
            journey(driver, site, box, project, password, key, lambda: fake_start + time.time() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # The minutes follow the record: an objection in time, so not approved.
    after = councilbook("minutes", "--meeting", MEETING, "--as-of", "2013-06-20").stdout
    assert "Beslutningsreferat (ikke godkendt (indsigelse))" in after
    assert "Indsigelse fra Lise Holm, modtaget 5. juni 2013" in after
    record = (portal / "export" / "record.json").read_text(encoding="utf-8")
    assert "@" not in record and "Punkt 4" not in record and "Borger Bent" not in record

    # The next build shows the answered question, as text, without the sender.
    councilbook("build", "--no-pdf")
    page = project / "_build/html/generated/spoergsmaal.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup
    shown = article.get_text()
    assert "<script>alert('spørgsmål')</script> **ikke fed**" in shown and ANSWER in shown
    assert not [s for s in soup.find_all("script") if "alert" in s.text]
    assert "Borger Bent" not in shown and "bent@" not in page.read_text(encoding="utf-8")


def journey(driver, site: str, box: Mailbox, project: Path, password: str, key: str, server_now) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text() -> str:
        for _ in range(20):  # a page still loading after a click: read the new one
            try:
                return driver.find_element(By.TAG_NAME, "body").text
            except StaleElementReferenceException:
                time.sleep(0.1)
        return driver.find_element(By.TAG_NAME, "body").text

    def shows(words: str) -> str:
        """Wait for the page to show ``words`` (after a click the browser loads the next page); its text."""
        try:
            WebDriverWait(driver, 15).until(lambda d: words in text())
        except Exception:
            pytest.fail(f"{driver.current_url} does not show {words!r}:\n{text()}")
        return text()

    # A member asks for a login link; the e-mail's link opens a page with a button.
    driver.get(f"{site}/medlemmer/")
    assert "/log-ind/" in driver.current_url
    driver.find_element(By.NAME, "email").send_keys(MEMBER[1])
    driver.find_element(By.CSS_SELECTOR, "form.form button").click()
    shows("Tjek din e-mail")
    link = re.search(r"http\S+/log-ind/link/\?t=\S+", text_of(box.wait_for(MEMBER[1], "Dit link")[0])).group(0)
    driver.get(link)
    driver.find_element(By.ID, "log-ind").click()
    shows("Afholdte møder")
    assert driver.current_url == f"{site}/medlemmer/"
    driver.find_element(By.PARTIAL_LINK_TEXT, "29. maj 2013").click()
    assert "Udkast til beslutningsreferat" in shows("Mødemateriale")

    # The agenda as pages, on the screen.
    meeting_page = driver.current_url
    driver.find_element(By.PARTIAL_LINK_TEXT, "Dagsorden og sager").click()
    shows("Godkendelse af referat fra sidste møde")
    driver.get(meeting_page)

    # The pack downloaded, as stored: the PDF the pack command made.
    download = driver.find_element(
        By.XPATH, "//a[contains(., 'Mødemateriale')]/following-sibling::a[@class='download']"
    )
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    got = httpx.get(download.get_attribute("href"), cookies=cookies, timeout=30)
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"
    assert "attachment" in got.headers["content-disposition"]
    made = next((project / "packs" / MEETING).glob("pakke-*.pdf"))
    assert hashlib.sha256(got.content).digest() == hashlib.sha256(made.read_bytes()).digest()
    assert httpx.get(download.get_attribute("href"), timeout=30).status_code == 302  # without the session: none
    driver.find_element(By.XPATH, "//a[contains(., 'Mødemateriale')]").click()  # opened in the browser too
    driver.get(meeting_page)

    # An objection to the draft minutes.
    driver.find_element(By.NAME, "text").send_keys(OBJECTION)
    driver.find_element(By.XPATH, "//button[contains(., 'Send indsigelse')]").click()
    assert OBJECTION in shows("Din indsigelse er modtaget")
    driver.find_element(By.XPATH, "//button[contains(., 'Log ud')]").click()

    # A citizen asks a question and confirms the address by the e-mail's link (a button).
    driver.delete_all_cookies()
    driver.get(f"{site}/spoerg/")
    assert "Det gemmer vi" in text()
    driver.find_element(By.NAME, "text").send_keys(QUESTION)
    driver.find_element(By.NAME, "name").send_keys("Borger Bent")
    driver.find_element(By.NAME, "email").send_keys("bent@borger.example")
    driver.find_element(By.CSS_SELECTOR, "form.form button").click()
    shows("bekræft nu dit spørgsmål")
    confirmation = box.wait_for("bent@borger.example", "Bekræft")[0]
    assert "alert" not in html_of(confirmation) + text_of(confirmation)  # the text is not sent on
    driver.get(re.search(r"http\S+/spoerg/bekraeft/\S+/", text_of(confirmation)).group(0))
    driver.find_element(By.ID, "bekraeft").click()
    shows("dit spørgsmål er bekræftet")

    # The secretariat: password and TOTP, sees who opened the pack and the objection, answers the question.
    driver.delete_all_cookies()
    driver.get(f"{site}/sekretariat/")
    driver.find_element(By.NAME, "username").send_keys("sekretariat")
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.NAME, "otp_token").send_keys(totp(key, server_now()))
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    shows("Portalens indhold")
    driver.get(f"{site}/sekretariat/portal/meeting/")
    shows("1 af 12")  # opened by one member of twelve
    driver.find_element(By.PARTIAL_LINK_TEXT, "29. maj 2013").click()
    readers = shows("Hvem har åbnet materialet")
    assert re.search(r"Lise Holm 05\.06\.2013 kl\. \d\d\.\d\d", readers), readers
    assert "Hanne Kjær ikke åbnet" in readers and OBJECTION in readers
    assert not driver.find_elements(By.XPATH, "//script[contains(., 'indsigelse')]")
    driver.get(f"{site}/sekretariat/portal/question/")
    driver.find_element(By.CSS_SELECTOR, "th.field-created a").click()
    shows("<script>alert('spørgsmål')</script>")
    assert not driver.find_elements(By.XPATH, "//script[contains(., 'spørgsmål')]")
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.NAME, "state")).select_by_value("answered")
    driver.find_element(By.NAME, "answer").send_keys(ANSWER)
    driver.find_element(By.NAME, "_save").click()
    shows("besvaret og offentliggjort")
    answered = box.wait_for("bent@borger.example", "Svar på dit spørgsmål")[0]
    assert ANSWER in text_of(answered)
