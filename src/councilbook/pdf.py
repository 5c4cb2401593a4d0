"""HTML to PDF with headless Chromium (Debian package ``chromium``).

Chromium prints the page faithfully, makes PDF bookmarks from the headings
(``--generate-pdf-document-outline``) and honours the print stylesheet (A4,
margins, page numbers). It exits 0 even when it writes nothing, so the result
is checked.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class PdfError(Exception):
    """The PDF could not be made."""


def find_chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "Chromium was not found. Install it (Debian: sudo apt-get install chromium) or run `make system-deps` as root."
    )


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
        raise PdfError(f"{html_file} does not exist")
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    if pdf_file.exists():
        pdf_file.unlink()
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="councilbook-chromium-") as profile:
        command = [
            browser,
            *chromium_flags(profile),
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf_file}",
            html_file.resolve().as_uri(),
        ]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"Chromium did not finish printing {html_file} within {timeout} s") from exc
    if not pdf_file.is_file() or pdf_file.stat().st_size < 1000 or pdf_file.read_bytes()[:5] != b"%PDF-":
        raise PdfError(
            f"Chromium wrote no PDF for {html_file} (exit {completed.returncode}): "
            + (completed.stderr.strip().splitlines() or ["no message"])[-1]
        )
    return pdf_file
