"""The built HTML made light for a phone: embedded files become files, images load lazily.

A report's notebook carries its charts and downloads as ``data:`` URIs, so that it travels whole; in the
published site each of them becomes a file in ``_files/`` named by its content (a chart in two reports is
one file, a browser caches it), and the page links it. Images that are files load only when they come
into view (``loading="lazy"``). Sphinx's own output is left as it is otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

FILES = "_files"  # the site's folder of files taken out of the pages

EXTENSIONS = {
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/jpeg": "jpg",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/pdf": "pdf",
    "application/json": "json",
}

# A data: URI as an attribute value: src="data:image/png;base64,…", srcset="data:… 2x", href="data:text/csv;…".
_DATA_URI = re.compile(
    r'(?P<attr>\b(?:src|srcset|href))="data:(?P<mime>[\w.+/-]+)(?P<params>(?:;[\w.=-]+)*),(?P<data>[^"\s]*)'
)
_IMG = re.compile(r"<img\b(?![^>]*\bloading=)", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    pages: int  # pages changed
    files: int  # files written (each content once)
    bytes_saved: int  # bytes the pages lost


def decode(params: str, data: str) -> bytes:
    if ";base64" in params:
        return base64.b64decode(data)
    return unquote_to_bytes(data)


def extract_embedded(html_dir: Path) -> Extracted:
    """Write every ``data:`` URI of the pages under ``html_dir`` to ``_files/`` and link it instead; make
    every image load lazily."""
    files_dir = html_dir / FILES
    written: set[str] = set()
    pages = saved = 0
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data:" not in text and "<img" not in text:
            continue

        def to_file(match: re.Match[str], page: Path = page) -> str:
            mime = match["mime"].lower()
            extension = EXTENSIONS.get(mime)
            if extension is None:
                return match.group(0)  # left in the page: nothing of ours
            content = decode(match["params"], match["data"])
            name = f"{hashlib.sha256(content).hexdigest()[:24]}.{extension}"
            if name not in written:
                files_dir.mkdir(exist_ok=True)
                target = files_dir / name
                if not target.is_file():
                    target.write_bytes(content)
                written.add(name)
            relative = Path(os.path.relpath(files_dir / name, page.parent)).as_posix()
            return f'{match["attr"]}="{relative}'

        changed = _IMG.sub('<img loading="lazy" decoding="async"', _DATA_URI.sub(to_file, text))
        if changed != text:
            page.write_text(changed, encoding="utf-8")
            pages += 1
            saved += len(text.encode()) - len(changed.encode())
    return Extracted(pages=pages, files=len(written), bytes_saved=saved)
