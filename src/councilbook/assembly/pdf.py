"""HTML to PDF with headless Chromium (Debian package ``chromium``).

Chromium prints the page with scripts off and no network (:data:`PRINT_POLICY`, :data:`OFFLINE_FLAGS`): a text
that slipped through as HTML could neither run nor fetch anything. It prints the page faithfully, makes PDF
bookmarks from the headings (``--generate-pdf-document-outline``) and honours the print stylesheet (A4, margins,
page numbers). It exits 0 even when it writes nothing, so the result is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

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


def with_print_policy(page: str) -> str:
    """The page with :data:`PRINT_POLICY` as the first element of its head."""
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


def print_to_pdf(html_file: Path, pdf_file: Path, timeout: int = 180) -> Path:
    """Print a local HTML file to PDF; raise PdfError if no PDF came out."""
    if not html_file.is_file():
        raise PdfError(f"{html_file} findes ikke")
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    if pdf_file.exists():
        pdf_file.unlink()
    browser = find_chromium()
    # The printed copy sits beside the page, so that its own files (styles, images) are found as before.
    printed = html_file.with_name(f".{html_file.stem}.print.html")
    printed.write_text(with_print_policy(html_file.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="councilbook-chromium-") as profile:
            command = ending_with_parent(
                [
                    browser,
                    *chromium_flags(profile),
                    *OFFLINE_FLAGS,
                    "--no-pdf-header-footer",
                    "--generate-pdf-document-outline",
                    "--run-all-compositor-stages-before-draw",
                    f"--print-to-pdf={pdf_file}",
                    printed.resolve().as_uri(),
                ]
            )
            try:
                completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise PdfError(
                    f"Chromium blev ikke færdig med at udskrive {html_file} inden for {timeout} sek."
                ) from exc
    finally:
        printed.unlink(missing_ok=True)
    if not pdf_file.is_file() or pdf_file.stat().st_size < 1000 or pdf_file.read_bytes()[:5] != b"%PDF-":
        raise PdfError(
            f"Chromium skrev ingen PDF for {html_file} (afslutningskode {completed.returncode}): "
            + (completed.stderr.strip().splitlines() or ["ingen besked"])[-1]
        )
    return pdf_file
