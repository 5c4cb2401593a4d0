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

from councilbook.assembly.book import PDF_NAME, publish
from councilbook.core.errors import StepFailed, os_reason

MARKER = ".councilbook-site"
INCOMING_MARKER = ".councilbook-incoming"  # in the copy being made, until it is swapped in


class SiteError(StepFailed):
    """The site cannot be published; the target folder was left as it was."""


def check_target(target: Path, build_dir: Path) -> None:
    """Refuse a target that is not ours to replace, before anything is built or copied."""
    resolved, build = target.resolve(), build_dir.resolve()
    if resolved == build or build in resolved.parents or resolved in build.parents:
        raise SiteError(f"{target} overlapper bogens byggemappe {build_dir}; vælg en mappe uden for den")
    if resolved.exists() and not resolved.is_dir():
        raise SiteError(f"{target} er en fil, ikke en mappe")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).is_file():
        raise SiteError(
            f"{target} har filer, som councilbook ikke har lagt der, så de bliver ikke erstattet; "
            "angiv en ny eller tom mappe (første gang), eller den mappe, bogen blev lagt i sidst"
        )


def publish_site(source: Path, target: Path, build_dir: Path, key: str) -> Path:
    """Copy the built book (``source``, inside ``build_dir``) to ``target`` and swap it in; return the
    target. ``key`` (the book's key) is recorded in the marker file with the time, so one can tell which
    build the site shows."""
    check_target(target, build_dir)
    if not (source / "index.html").is_file():
        raise SiteError(f"der er ingen bygget bog i {source}; byg den først (councilbook build)")
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    if incoming.exists() or incoming.is_symlink():
        if not (incoming.is_dir() and not incoming.is_symlink() and (incoming / INCOMING_MARKER).is_file()):
            raise SiteError(
                f"{incoming} står i vejen, og den er ikke lavet af councilbook, så den bliver ikke slettet; "
                "flyt den væk, og offentliggør så igen"
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
        raise SiteError(f"bogen kunne ikke kopieres til {target} ({os_reason(exc)}); mappen er, som den var") from exc
    return target
