"""Load on the members' portal: 50 members at once log in by their e-mail link, open the meeting and its agenda,
and download a 30-page pack, against `councilbook portal serve` (gunicorn) on 127.0.0.1.

    .venv/bin/python benchmarks/portal_load.py [--members 50] [--workers 5]

Everything happens in a temporary folder: a copy of the sample council's parameters with 50 members and
alternates, the portal's database and files, a real SMTP server (aiosmtpd) on 127.0.0.1 that receives the login
links, and the pack of the meeting of 29 May 2013 made by `councilbook pack` (Chromium), stored as version 2 with
its pages repeated to 30 pages. Prints the median and 95th percentile of every answer's time, by step and in all,
the errors, the machine (CPUs, load before and after) and the commit. Exit 1 on any error. Not a test: the aim
(p95 under 1 s on two cores) is read, never asserted.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
MEETING = "2013-05-29"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Links:
    """The SMTP server's handler: the login link in each e-mail, by address."""

    def __init__(self) -> None:
        self.by_address: dict[str, str] = {}
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        found = re.search(r"http\S+/log-ind/link/\?t=\S+", text)
        if found:
            with self.arrived:
                self.by_address[str(message["To"])] = found.group(0)
                self.arrived.notify_all()
        return "250 OK"

    def wait(self, address: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while address not in self.by_address:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no login link for {address}")
                self.arrived.wait(left)
            return self.by_address.pop(address)


class Browser:
    """One member's visits: cookies kept by hand (the portal's cookies are Secure; on http://127.0.0.1 a browser
    sends them, httpx's cookie jar would not), each answer timed."""

    def __init__(self, site: str, timings: dict[str, list[float]], errors: list[str]) -> None:
        self.site, self.timings, self.errors = site, timings, errors
        self.cookies: dict[str, str] = {}
        self.client = httpx.Client(base_url=site, timeout=60, follow_redirects=False)

    def request(self, step: str, method: str, path: str, expect: int, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": self.site + "/"}
        started = time.perf_counter()
        response = self.client.request(method, path, headers=headers, **kwargs)
        body = response.read()
        self.timings[step].append(time.perf_counter() - started)
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status_code != expect:
            self.errors.append(f"{step}: {method} {path} answered {response.status_code}, not {expect}")
        response._content = body
        return response

    def csrf(self, response: httpx.Response) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return found.group(1) if found else ""


def visit(site: str, address: str, links: Links, timings, errors, start: threading.Barrier) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(site, timings, errors)
    try:
        start.wait()
        page = browser.request("login page", "GET", "/log-ind/", 200)
        browser.request("ask for link", "POST", "/log-ind/", 302,
                        data={"email": address, "csrfmiddlewaretoken": browser.csrf(page)})  # fmt: skip
        browser.request("check your e-mail", "GET", "/log-ind/sendt/", 200)
        link = links.wait(address)
        landing = browser.request("link page", "GET", link.split(site, 1)[1], 200)
        token = re.search(r'name="t" value="([^"]+)"', landing.text).group(1)  # type: ignore[union-attr]
        browser.request(
            "log in", "POST", "/log-ind/link/", 302, data={"t": token, "csrfmiddlewaretoken": browser.csrf(landing)}
        )
        browser.request("meetings", "GET", "/medlemmer/", 200)
        meeting = browser.request("meeting", "GET", f"/medlemmer/moeder/{MEETING}/", 200)
        agenda = re.search(r'href="([^"]+)">Dagsorden og sager', meeting.text)
        pack = re.search(r'href="([^"]+\?hent=1)"', meeting.text)
        if agenda is None or pack is None:
            errors.append(f"{address}: the meeting page has no agenda or pack")
            return
        browser.request("agenda", "GET", agenda.group(1), 200)
        download = browser.request("pack (30 pages)", "GET", pack.group(1).replace("&amp;", "&"), 200)
        if not download.content.startswith(b"%PDF"):
            errors.append(f"{address}: the download is not a PDF")
    except Exception as exc:  # an error is counted, never hidden
        errors.append(f"{address}: {type(exc).__name__}: {exc}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    work = Path(tempfile.mkdtemp(prefix="councilbook-portal-load-"))
    links = Links()
    smtp_port, port = free_port(), free_port()
    smtp = Controller(links, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COUNCILBOOK_PORTAL": str(work / "portal"),
        "COUNCILBOOK_PORTAL_URL": site,
        "COUNCILBOOK_SMTP": f"127.0.0.1:{smtp_port}",
        "COUNCILBOOK_MAIL_FROM": "sekretariat@raadet.example",
    }
    server = None
    try:
        params = work / "parameters"
        shutil.copytree(ROOT / "parameters", params)
        council = yaml.safe_load((params / "council.yml").read_text(encoding="utf-8"))
        extra = [{"name": f"Medlem {n}", "organisation": "Testorganisation", "role": "member" if n % 2 else "alternate"}
                 for n in range(len(council["members"]) + 1, args.members + 1)]  # fmt: skip
        council["members"] = council["members"][: args.members] + extra
        (params / "council.yml").write_text(yaml.safe_dump(council, allow_unicode=True, sort_keys=False), "utf-8")
        names = [m["name"] for m in council["members"]]
        addresses = [f"medlem{n}@raadet.example" for n in range(len(names))]
        sheet = work / "medlemmer.csv"
        rows = "".join(f"{name},{address},\n" for name, address in zip(names, addresses, strict=True))
        sheet.write_text("name,email,role\n" + rows, "utf-8")

        def councilbook(*command: str) -> str:
            run = subprocess.run([sys.executable, "-m", "councilbook", *command], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=900)  # fmt: skip
            if run.returncode:
                raise SystemExit(f"councilbook {' '.join(command)} failed:\n{run.stdout}{run.stderr}")
            return run.stdout

        given = ["--params", str(params)]
        councilbook("portal", "init", *given)
        councilbook("portal", "members", "--import", str(sheet), *given)
        packs = work / "packs"
        councilbook("pack", "--meeting", MEETING, "--as-of", "2013-05-21", "--out", str(packs), *given,
                    "--data", str(ROOT / "data/sample"))  # fmt: skip
        councilbook("pack", "--meeting", MEETING, "--send", "--as-of", "2013-05-22", "--out", str(packs), *given)
        store_thirty_pages(params, packs / MEETING, env)

        server = subprocess.Popen(
            [sys.executable, "-m", "councilbook", "portal", "serve", *given, "--port", str(port),
             "--workers", str(args.workers)],  # fmt: skip
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(150):
            try:
                if httpx.get(f"{site}/log-ind/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        timings: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        start = threading.Barrier(len(addresses))
        load_before = os.getloadavg()[0]
        began = time.perf_counter()
        threads = [threading.Thread(target=visit, args=(site, a, links, timings, errors, start)) for a in addresses]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - began
        report(timings, errors, took, len(addresses), args.workers, load_before)
        return 1 if errors else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers
            server.wait(timeout=30)
        smtp.stop()
        shutil.rmtree(work, ignore_errors=True)


def store_thirty_pages(params: Path, folder: Path, env: dict[str, str]) -> None:
    """The pack's pages repeated to 30, stored as the meeting's version 2 (what a correction would store)."""
    script = f"""
import os, sys
from pathlib import Path
from pypdf import PdfReader, PdfWriter
from councilbook.portal.service import setup
setup(Path({str(params)!r}))
from councilbook.portal.documents import store_file
from councilbook.portal.models import Meeting
source = next(Path({str(folder)!r}).glob("pakke-*.pdf"))
pages = PdfReader(source).pages
writer = PdfWriter()
for n in range(30):
    writer.add_page(pages[n % len(pages)])
target = Path({str(folder)!r}) / "pakke-30-sider.pdf"
with target.open("wb") as out:
    writer.write(out)
meeting = Meeting.objects.get(date={MEETING!r})
store_file(meeting, "pack", 2, "Mødemateriale (30 sider)", target, "30 sider til belastningsprøven")
"""
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if run.returncode:
        raise SystemExit(f"the 30-page pack was not stored:\n{run.stderr}")


def report(timings, errors, took: float, members: int, workers: int, load_before: float) -> None:  # type: ignore[no-untyped-def]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(f"{members} members at once against councilbook portal serve (gunicorn, {workers} workers) on 127.0.0.1")
    print(f"machine: {os.cpu_count()} CPUs, load {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; "
          f"commit {commit.strip()}; {time.strftime('%Y-%m-%d %H:%M')}")  # fmt: skip
    print(f"{'step':<18} {'answers':>7} {'median':>9} {'p95':>9} {'max':>9}")
    everything: list[float] = []
    for step, values in timings.items():
        everything += values
        print(f"{step:<18} {len(values):>7} {statistics.median(values):>8.3f}s {percentile(values, 0.95):>8.3f}s "
              f"{max(values):>8.3f}s")  # fmt: skip
    if everything:
        print(f"{'all answers':<18} {len(everything):>7} {statistics.median(everything):>8.3f}s "
              f"{percentile(everything, 0.95):>8.3f}s {max(everything):>8.3f}s")  # fmt: skip
    print(f"all members done in {took:.1f} s; errors: {len(errors)}")
    for error in errors[:20]:
        print("  " + error)


if __name__ == "__main__":
    sys.exit(main())
