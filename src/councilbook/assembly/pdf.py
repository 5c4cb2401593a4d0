"""HTML to PDF with headless Chromium (Debian package ``chromium``).

Chromium prints the page with scripts off and no network (:data:`PRINT_POLICY`, :data:`OFFLINE_FLAGS`): a text
that slipped through as HTML could neither run nor fetch anything. It prints the page faithfully, makes PDF
bookmarks from the headings and honours the print stylesheet (A4, margins, page numbers). One Chromium prints
many pages (:class:`Browser`, :func:`printing`): starting it is about half of a short page's print. What it
writes is checked.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from councilbook.core.errors import MAINTAINER_ADVICE, StepFailed
from councilbook.core.release import ending_with_parent

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class PdfError(StepFailed):
    """The PDF could not be made."""

    advice = MAINTAINER_ADVICE


def find_chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "Chromium findes ikke. Installér det (Debian: sudo apt-get install chromium), eller kør make system-deps "
        "som root."
    )


# What a printed page may reach: its own files (file:// and data: URLs), nothing on a network. Every
# http(s)/ws(s) request goes to a proxy on a closed port (loopback included: "<-loopback>" removes
# Chromium's implicit bypass), and host names resolve to nothing.
OFFLINE_FLAGS = (
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--disable-remote-fonts",
)


# Scripts do not run in a printed page: a Content-Security-Policy is put into the copy that is printed
# (Chromium's --blink-settings=scriptEnabled=false stops --print-to-pdf from writing anything).
PRINT_POLICY = "default-src 'none'; img-src file: data:; style-src file: 'unsafe-inline'; font-src file: data:"
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)

# The site's images load lazily (postprocess), and a lazy image does not hold back the page's load event: a print
# taken at "load" could come before the image was there (a blank chart, about one print in three of a page that
# is one chart). In the printed copy every image loads at once and is decoded before it is painted.
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_AT_ONCE = {"loading": "eager", "decoding": "sync"}
_DEFERRING = re.compile(
    r"""\b(?P<name>loading|decoding)=(?P<quote>["']?)(?P<value>lazy|async)(?P=quote)""", re.IGNORECASE
)


def _at_once(tag: re.Match[str]) -> str:
    return _DEFERRING.sub(lambda found: f'{found["name"].lower()}="{_AT_ONCE[found["name"].lower()]}"', tag.group(0))


def printable(page: str) -> str:
    """The page as it is printed: :data:`PRINT_POLICY` as the first element of its head, and every image
    loaded and decoded before the page counts as loaded."""
    page = _IMG_TAG.sub(_at_once, page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{PRINT_POLICY}">'
    found = _HEAD.search(page)
    if found is None:
        return meta + page
    return page[: found.end()] + meta + page[found.end() :]


def chromium_flags(user_data_dir: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-extensions",
        "--hide-scrollbars",
        "--mute-audio",
        f"--user-data-dir={user_data_dir}",
    ]


class Browser:
    """One headless Chromium that prints many pages: driven over the DevTools protocol on a pipe
    (``--remote-debugging-pipe``: no port is opened), each page in a tab of its own that is closed after its
    print. Printing is Chromium's own ``--print-to-pdf`` (the same settings: background, the page's CSS size,
    no header or footer, bookmarks from the headings, a tagged PDF), without starting Chromium for every page.
    It ends with the process that started it (:func:`ending_with_parent`)."""

    def __init__(self) -> None:
        browser = find_chromium()
        self._owner = os.getpid()  # a forked child never closes its parent's Chromium
        self._profile = tempfile.mkdtemp(prefix="councilbook-chromium-")
        to_chromium, self._pipe_in = os.pipe()  # Chromium reads commands on its fd 3 ...
        self._pipe_out, from_chromium = os.pipe()  # ... and answers on its fd 4
        inherited = os.dup(to_chromium), os.dup(from_chromium)  # above 4, so that dup2 below moves them

        def pipes_at_3_and_4() -> None:
            os.dup2(inherited[0], 3)
            os.dup2(inherited[1], 4)

        command = ending_with_parent(
            [
                browser,
                *chromium_flags(self._profile),
                *OFFLINE_FLAGS,
                "--run-all-compositor-stages-before-draw",
                "--remote-debugging-pipe",
                "about:blank",
            ]
        )
        self._process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes_at_3_and_4,  # noqa: PLW1509 - before exec, nothing else runs in the child
            close_fds=False,
        )
        for fd in (to_chromium, from_chromium, *inherited):
            os.close(fd)
        self._buffer = bytearray()
        self._sent = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Ended, or (in a process forked after it started) not this process's to use."""
        return os.getpid() != self._owner or self._process.poll() is not None

    def close(self) -> None:
        """Chromium asked to close, else killed; its profile removed (only by the process that started it)."""
        if os.getpid() != self._owner:
            return
        if self._process.poll() is None:
            try:
                self._command("Browser.close", timeout=5)
            except PdfError:
                pass
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for fd in (self._pipe_in, self._pipe_out):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def print(self, html_file: Path, pdf_file: Path, timeout: float = 180) -> None:
        """``html_file`` printed to ``pdf_file`` in a new tab, within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        target = self._command("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
        try:
            session = self._command("Target.attachToTarget", {"targetId": target, "flatten": True}, deadline=deadline)
            tab = session["sessionId"]
            self._command("Page.enable", session=tab, deadline=deadline)
            self._command("Page.setLifecycleEventsEnabled", {"enabled": True}, session=tab, deadline=deadline)
            opened = self._command(
                "Page.navigate", {"url": html_file.resolve().as_uri()}, session=tab, deadline=deadline
            )
            if opened.get("errorText"):
                raise PdfError(f"Chromium kunne ikke åbne {html_file}: {opened['errorText']}")
            # The page's own load, by its navigation's loader: the new tab's about:blank fires a load too, and its
            # event can come after the navigation began (a print then took the blank page).
            self._event(tab, deadline, "load", opened.get("loaderId"))
            printed = self._command(
                "Page.printToPDF",
                {
                    "printBackground": True,
                    "preferCSSPageSize": True,
                    "displayHeaderFooter": False,
                    "generateDocumentOutline": True,
                    "generateTaggedPDF": True,
                },
                session=tab,
                deadline=deadline,
            )
            pdf_file.write_bytes(base64.b64decode(printed["data"]))
        finally:
            self._events.clear()
            if self._process.poll() is None:
                try:
                    self._command("Target.closeTarget", {"targetId": target}, deadline=time.monotonic() + 10)
                except PdfError:
                    pass  # the print's own error (or none) is what counts

    def _command(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        deadline: float | None = None,
        timeout: float = 180,
    ) -> dict[str, Any]:
        self._sent += 1
        message: dict[str, Any] = {"id": self._sent, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._pipe_in, json.dumps(message).encode("utf-8") + b"\0")
        except OSError as exc:
            raise PdfError(f"Chromium svarer ikke ({method}): {exc}") from exc
        deadline = deadline if deadline is not None else time.monotonic() + timeout
        while True:
            answer = self._read(deadline, method)
            if answer.get("id") == self._sent:
                if "error" in answer:
                    raise PdfError(f"Chromium: {method} fejlede: {answer['error'].get('message', answer['error'])}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _event(self, session: str, deadline: float, name: str, loader: str | None) -> dict[str, Any]:
        """The tab's lifecycle event ``name`` of the navigation ``loader``."""

        def wanted(event: dict[str, Any]) -> bool:
            params = event.get("params", {})
            return (
                event.get("method") == "Page.lifecycleEvent"
                and event.get("sessionId") == session
                and params.get("name") == name
                and (loader is None or params.get("loaderId") == loader)
            )

        while True:
            for n, event in enumerate(self._events):
                if wanted(event):
                    return self._events.pop(n)
            self._events.append(self._read(deadline, f"Page.lifecycleEvent {name}"))

    def _read(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        """The next message from Chromium (messages end with a NUL byte)."""
        while (end := self._buffer.find(b"\0")) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._pipe_out], [], [], left)[0]:
                self._process.kill()
                raise PdfError(f"Chromium blev ikke færdig inden for tiden ({waiting_for})")
            chunk = os.read(self._pipe_out, 1 << 20)
            if not chunk:
                raise PdfError(f"Chromium stoppede uventet ({waiting_for}, afslutningskode {self._process.poll()})")
            self._buffer += chunk
        message = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return json.loads(message)


# The process's one Chromium (inside :func:`printing`, or a worker after :func:`print_in_one_browser`), started
# at its first print; None outside, where each print starts a Chromium of its own.
_shared: list[Browser | None] = []


@contextmanager
def printing() -> Iterator[None]:
    """Within it, every :func:`print_to_pdf` of this process prints in one Chromium (:class:`Browser`), started
    at the first print and closed at the end (nested: the outer one closes it)."""
    if _shared:
        yield
        return
    _shared.append(None)
    try:
        yield
    finally:
        browser = _shared.pop()
        if browser is not None:
            browser.close()


def print_in_one_browser() -> None:
    """In a worker process: every print of it in one Chromium, closed when the worker ends (a pool's
    initializer; multiprocessing runs its finalizers when a worker ends)."""
    from multiprocessing.util import Finalize

    _shared.clear()  # a Chromium of the parent (forked with it) is not this worker's
    _shared.append(None)
    Finalize(None, _close_shared, exitpriority=10)


def _close_shared() -> None:
    browser = _shared.pop() if _shared else None
    if browser is not None:
        browser.close()


def _print(html_file: Path, pdf_file: Path, timeout: float) -> None:
    if not _shared:
        with Browser() as browser:
            browser.print(html_file, pdf_file, timeout)
        return
    current = _shared[-1]
    browser = current if current is not None and not current.closed else Browser()
    _shared[-1] = browser
    try:
        browser.print(html_file, pdf_file, timeout)
    except PdfError:
        browser.close()  # a Chromium that failed is not used again
        _shared[-1] = None
        raise


def print_to_pdf(html_file: Path, pdf_file: Path, timeout: int = 180) -> Path:
    """Print a local HTML file to PDF; raise PdfError if no PDF came out. Inside :func:`printing` (or in a worker
    after :func:`print_in_one_browser`) in the process's one Chromium, else in a Chromium of its own."""
    if not html_file.is_file():
        raise PdfError(f"{html_file} findes ikke")
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    if pdf_file.exists():
        pdf_file.unlink()
    # The printed copy sits beside the page, so that its own files (styles, images) are found as before.
    printed = html_file.with_name(f".{html_file.stem}.print.html")
    printed.write_text(printable(html_file.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        _print(printed, pdf_file, timeout)
    except PdfError as exc:
        raise PdfError(f"Chromium skrev ingen PDF for {html_file}: {exc}") from exc
    finally:
        printed.unlink(missing_ok=True)
    if not pdf_file.is_file() or pdf_file.stat().st_size < 1000 or pdf_file.read_bytes()[:5] != b"%PDF-":
        raise PdfError(f"Chromium skrev ingen PDF for {html_file}")
    return pdf_file
