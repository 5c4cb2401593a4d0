"""Publish the built book to the folder the council's web server serves.

The built site (``_build/html``, with the book's PDF beside its pages) is copied next to the
target folder and then swapped in with one atomic step (:func:`book.publish`), so readers see the
old site or the new one, never a half-copied one. A folder councilbook has published carries a
marker file; a folder with other files in it is never replaced, and the copy beside it is removed only
when it carries councilbook's own marker.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from councilbook.build.book import PDF_NAME, publish

MARKER = ".councilbook-site"
INCOMING_MARKER = ".councilbook-incoming"  # in the copy being made, until it is swapped in


class SiteError(Exception):
    """The site cannot be published; the target folder was left as it was."""


def check_target(target: Path, build_dir: Path) -> None:
    """Refuse a target that is not ours to replace, before anything is built or copied."""
    resolved, build = target.resolve(), build_dir.resolve()
    if resolved == build or build in resolved.parents or resolved in build.parents:
        raise SiteError(f"{target} overlaps the book's build folder {build_dir}; choose a folder outside it")
    if resolved.exists() and not resolved.is_dir():
        raise SiteError(f"{target} is a file, not a folder")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).is_file():
        raise SiteError(
            f"{target} holds files that councilbook did not publish, so it will not replace them; "
            "give a new or empty folder (the first publication), or the folder published before"
        )


def publish_site(source: Path, target: Path, build_dir: Path, key: str) -> Path:
    """Copy the built book (``source``, inside ``build_dir``) to ``target`` and swap it in; return the
    target. ``key`` (the book's key) is recorded in the marker file with the time, so one can tell which
    build the site shows."""
    check_target(target, build_dir)
    if not (source / "index.html").is_file():
        raise SiteError(f"there is no built book in {source}; build it first (councilbook build)")
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    if incoming.exists() or incoming.is_symlink():
        if not (incoming.is_dir() and not incoming.is_symlink() and (incoming / INCOMING_MARKER).is_file()):
            raise SiteError(
                f"{incoming} is in the way and was not made by councilbook, so it will not remove it; "
                "move it away, then publish again"
            )
        shutil.rmtree(incoming)  # left by an interrupted publication of ours
    try:
        incoming.mkdir()
        (incoming / INCOMING_MARKER).touch()  # ours, should this publication be interrupted
        shutil.copytree(source, incoming, ignore=shutil.ignore_patterns(".buildinfo"), dirs_exist_ok=True)
        (incoming / INCOMING_MARKER).unlink()
        (incoming / MARKER).write_text(
            json.dumps(
                {
                    "book_key": key,
                    "published": datetime.now(UTC).isoformat(timespec="seconds"),
                    "pdf": (incoming / PDF_NAME).is_file(),
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        publish(incoming, target)
    except OSError as exc:
        shutil.rmtree(incoming, ignore_errors=True)
        raise SiteError(f"could not copy the book to {target}: {exc}; the folder was left as it was") from exc
    return target
