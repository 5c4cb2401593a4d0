"""The published book as one unit: a version folder per build, one link flipped, one build at a time.

Each build writes into a folder of its own, ``_build/versions/<id>/`` (``html/``, ``pdf/`` and
``published.json``, the keys they were built from). Only when all of it is complete does the link
``_build/current`` change, in one atomic step (a new symbolic link renamed over the old one), to
point at the new folder. ``_build/html``, ``_build/pdf`` and ``_build/published.json`` are fixed links
through ``current``, so a reader or a web server serving ``_build/html`` finds the old book or the
new one, each file from the same build, never a mix. A build that fails or is killed leaves its
folder behind unpublished; the next build removes it.

A lock on ``_build/.lock`` (``flock``, released by the system when its holder ends, however it ends)
lets one build run at a time; a second one is refused with a message naming the first.

Child processes (report workers, Sphinx, Chromium) get a parent-death signal
(:func:`die_with_parent`): killed with ``kill -9``, a build takes them with it, and as each build has
its own folder, none of them can write into the next build's.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from councilbook.core.errors import StepFailed

LOCK_NAME = ".lock"
VERSIONS = "versions"
CURRENT = "current"
# The fixed links through `current`: name in _build -> name in a version folder.
LINKS = {"html": "html", "pdf": "pdf", "published.json": "published.json"}
# What builds before the versioned layout left in _build (removed once the links stand).
LEGACY = (".staging", "html.old", "pdf.old", "published.json.tmp")
PUBLISHED_MARK = ".published"  # in a version folder that was published once
KILL_ENV = "COUNCILBOOK_KILL_AT"  # tests: a build kills itself (SIGKILL) at this checkpoint


# Errors that mean the build folder cannot take what the build writes, each with the reason a user is told.
_FOLDER_REASONS = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er brugt op",
    errno.EROFS: "den ligger på et skrivebeskyttet filsystem",
    errno.EACCES: "der er ikke adgang til at skrive der",
    errno.EPERM: "der er ikke adgang til at skrive der",
}
FOLDER_ERRNOS = frozenset(_FOLDER_REASONS)


class BuildBusy(StepFailed):
    """Another build of the same project is running."""

    def lines(self, action: str) -> list[str]:
        return [f"{action}: {self}."]


class BuildFolderError(StepFailed):
    """The build folder cannot be written (read-only, full, no permission)."""

    def lines(self, action: str) -> list[str]:
        return [f"{action}: {self}."]


@contextmanager
def build_lock(build: Path) -> Iterator[None]:
    """Hold the project's build lock, or raise :class:`BuildBusy` naming the build that holds it."""
    try:
        build.mkdir(parents=True, exist_ok=True)
        handle = open(build / LOCK_NAME, "a+", encoding="utf-8")  # noqa: SIM115 (held for the build)
    except OSError as exc:
        raise folder_error(build, exc) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "en anden proces"
            raise BuildBusy(
                f"en anden bygning af dette projekt kører ({holder}); vent, til den er færdig, og kør så kommandoen "
                "igen"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            from councilbook.core.formats import format_date  # only here: this module is imported early

            now = datetime.now()
            handle.write(f"pid {os.getpid()}, startet {format_date(now.date())} kl. {now:%H.%M.%S}")
            handle.flush()
        except OSError:
            pass  # a full disk: the lock holds all the same, only its note is missing
        yield
    finally:
        handle.close()


def folder_error(build: Path, exc: OSError) -> BuildFolderError:
    """A clear message for a build folder that cannot be written."""
    reason = _FOLDER_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    where = f" ({exc.filename})" if exc.filename else ""
    return BuildFolderError(
        f"der kan ikke skrives i byggemappen {build}: {reason}{where}. Skaf plads, eller gør mappen skrivbar, "
        "og kør så kommandoen igen"
    )


def checkpoint(name: str) -> None:
    """A point where a test may have the build killed (``COUNCILBOOK_KILL_AT=name``)."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def new_version(build: Path) -> Path:
    """A new, empty version folder for this build."""
    folder = build / VERSIONS / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    return folder


def current(build: Path) -> Path | None:
    """The published version folder, if any."""
    link = build / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def flip(build: Path, version: Path) -> None:
    """Publish ``version``: point ``current`` at it in one atomic step, and make the fixed links stand."""
    (version / PUBLISHED_MARK).touch()
    temporary = build / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(Path(VERSIONS) / version.name, temporary)
    os.replace(temporary, build / CURRENT)
    _fsync_dir(build)
    for name, inside in LINKS.items():
        _link(build / name, Path(CURRENT) / inside)


def _link(path: Path, target: Path) -> None:
    """Make ``path`` the symbolic link ``target`` (relative), replacing what an older layout left there
    (a folder is exchanged with the new link in one step where the system allows it)."""
    if path.is_symlink() and Path(os.readlink(path)) == target:
        return
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    os.symlink(target, temporary)
    if path.is_dir() and not path.is_symlink():
        if exchange(temporary, path):
            shutil.rmtree(temporary)  # now the old folder
            return
        shutil.rmtree(path)
    os.replace(temporary, path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(build: Path, keep: Path | None = None) -> None:
    """Remove what no reader needs: every version folder but the published one, the one before it (a web
    server may still be sending its files) and ``keep``; and what older layouts left. Run under the lock."""
    published = current(build)
    versions = build / VERSIONS
    folders = sorted(versions.iterdir()) if versions.is_dir() else []
    previous = [f for f in folders if f != published and (f / PUBLISHED_MARK).is_file()][-1:]
    for folder in folders:
        if folder not in (published, keep, *previous):
            shutil.rmtree(folder, ignore_errors=True)
    for name in LEGACY:
        path = build / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink(missing_ok=True)
    for stray in build.glob(f".{CURRENT}.*"):
        stray.unlink(missing_ok=True)


def write_keys(version: Path, keys: dict[str, str]) -> None:
    (version / LINKS["published.json"]).write_text(json.dumps(keys, indent=1), encoding="utf-8")


_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def ending_with_parent(command: list[str]) -> list[str]:
    """``command`` run so that it is killed when the process that started it ends (``setpriv --pdeathsig``,
    util-linux; where it is missing, the command as it is)."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *command] if setpriv else command


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """In a child process: be killed when the process that started it ends (Linux; elsewhere nothing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
