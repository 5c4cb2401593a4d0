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

# An attribute that may hold data: URIs: src="data:image/png;base64,…", href="data:text/csv;…", and srcset, which
# holds one or more candidates, each a URL and its descriptor: srcset="data:… 2x, data:… 3x".
_ATTRIBUTE = re.compile(r'\b(?P<attr>src|srcset|href)="(?P<value>[^"]*)"')
_DATA_URI = re.compile(r"^data:(?P<mime>[\w.+/-]+)(?P<params>(?:;[\w.=-]+)*),(?P<data>.*)$", re.DOTALL)
_CANDIDATE = re.compile(r"(?:^|(?<=,))(?P<space>\s*)(?P<url>data:\S+?)(?P<end>,?(?:\s|$))")
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

        def to_file(uri: str, page: Path = page) -> str:
            """The file a data: URI becomes, relative to the page (the URI as it was if it is none of ours)."""
            match = _DATA_URI.match(uri)
            extension = EXTENSIONS.get(match["mime"].lower()) if match else None
            if match is None or extension is None:
                return uri  # left in the page: nothing of ours
            content = decode(match["params"], match["data"])
            name = f"{hashlib.sha256(content).hexdigest()[:24]}.{extension}"
            if name not in written:
                files_dir.mkdir(exist_ok=True)
                target = files_dir / name
                if not target.is_file():
                    target.write_bytes(content)
                written.add(name)
            return Path(os.path.relpath(files_dir / name, page.parent)).as_posix()

        def attribute(match: re.Match[str]) -> str:
            value = match["value"]
            if "data:" not in value:
                return match.group(0)
            if match["attr"] == "srcset":  # every candidate: "URL descriptor", separated by commas
                value = _CANDIDATE.sub(lambda c: c["space"] + to_file(c["url"]) + c["end"], value)
            elif value.startswith("data:"):
                value = to_file(value)
            return f'{match["attr"]}="{value}"'

        changed = _IMG.sub('<img loading="lazy" decoding="async"', _ATTRIBUTE.sub(attribute, text))
        if changed != text:
            page.write_text(changed, encoding="utf-8")
            pages += 1
            saved += len(text.encode()) - len(changed.encode())
    return Extracted(pages=pages, files=len(written), bytes_saved=saved)
