"""No fault leaves the book half-done: a build killed at any phase, two builds at once, a read-only or a
full build folder. The published book is byte for byte the old one or wholly the new one, never a mix,
and a killed build takes its report workers, Sphinx and Chromium with it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import COUNCIL_ARGS, require_tool, served
from test_rebuild import digest, fetch
from typer.testing import CliRunner

from councilbook.assembly.website import INCOMING_MARKER, MARKER, SiteError, publish_site
from councilbook.cli import app
from councilbook.core.release import KILL_ENV

runner = CliRunner()
pytestmark = pytest.mark.book
COUNCILBOOK = str(Path(sys.executable).parent / "councilbook")


def _args(mini: Path) -> list[str]:
    return ["--params", str(mini / "parameters"), "--data", str(mini / "data")]


def _start(project: Path, council: list[str], *extra: str, kill_at: str = "") -> subprocess.Popen[bytes]:
    """``councilbook --project PROJECT build COUNCIL EXTRA`` as a process of its own (its working folder the
    project's, as its children's: _left_behind finds them by it); with ``kill_at``, it kills itself there."""
    env = {**os.environ, KILL_ENV: kill_at} if kill_at else dict(os.environ)
    return subprocess.Popen(
        [COUNCILBOOK, "--project", str(project), "build", *extra, *council],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 180
    while not _looks_ready(ready):
        assert process.poll() is None, f"the build ended before {what}: {process.stderr.read().decode()[-2000:]}"  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"the build never reached {what}"
        time.sleep(0.05)


def _looks_ready(ready: Callable[[], bool]) -> bool:
    """``ready()``, where a folder the build removes while the check walks the tree means "not yet"."""
    try:
        return ready()
    except FileNotFoundError:
        return False


def _left_behind(project: Path) -> list[str]:
    """Processes still at work for the project: their working folder or command line is in it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd == str(project) or cwd.startswith(f"{project}/") or str(project) in command:
            found.append(f"{entry.name}: {command[:120]}")
    return found


def _ends_alone(project: Path, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while _left_behind(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _left_behind(project)


def _state(project: Path) -> tuple[str, str, dict[str, str]]:
    """What is published: the version folder every published path resolves to (one, never a mix), the
    digest of its HTML and the keys it records."""
    build = project / "_build"
    folders = {(build / name).resolve().parent for name in ("html", "pdf", "published.json")}
    assert len(folders) == 1, folders  # the HTML, the PDF and their record come from one build
    keys = json.loads((build / "published.json").read_text(encoding="utf-8"))
    return folders.pop().name, digest(build / "html"), keys


def test_a_build_killed_at_any_phase_leaves_the_book_whole(mini_book_copy: Path) -> None:
    """Builds of conftest's ``mini_book`` (copied, its book published) killed at each phase: while the reports
    run (all run again: --force), and, with a page of the book changed (the reports from the cache), in Sphinx,
    in Chromium, and at each step of the flip."""
    require_tool("chromium", "chromium-browser")
    project = mini_book_copy
    before = _state(project)
    build = project / "_build"
    versions = build / "versions"
    page = project / "book/om.md"
    text = page.read_text(encoding="utf-8")
    with served(build / "html") as url:
        index = fetch(url + "/generated/index.html")
        phases: list[tuple[str, Callable[[], bool] | None, str, tuple[str, ...]]] = [
            ("reports", lambda: any((build / "cache/.running").glob("*.ipynb")), "", ("--no-pdf", "--force")),
            ("Sphinx", lambda: any(versions.glob("*/work/html/**/*.html")), "", ("--no-pdf",)),
            ("Chromium", lambda: any(versions.glob("*/work/html/**/*.cb-print.html")), "", ()),
            ("built", None, "built", ("--no-pdf",)),
            ("complete", None, "complete", ("--no-pdf",)),
        ]
        for number, (phase, ready, kill_at, extra) in enumerate(phases):
            page.write_text(f"{text}\nÆndring {number}.\n", encoding="utf-8")  # a book to build anew
            process = _start(project, COUNCIL_ARGS, *extra, kill_at=kill_at)
            if ready is not None:
                _wait_for(ready, process, phase)
                os.kill(process.pid, signal.SIGKILL)  # the build alone: its children must end by themselves
            assert process.wait(timeout=180) == -signal.SIGKILL, phase
            assert _ends_alone(project) == [], phase
            assert _state(project) == before, phase
            assert fetch(url + "/generated/index.html") == index, phase
        # Killed once the new book is published, before the old one is cleared away: wholly the new one.
        process = _start(project, COUNCIL_ARGS, "--no-pdf", kill_at="published")
        assert process.wait(timeout=180) == -signal.SIGKILL
        folder, _, keys = _state(project)
        assert folder != before[0] and keys["html"] != before[2]["html"]  # HTML only: the new front page
        assert keys["pdf"] == before[2]["pdf"] and (build / "pdf/book.pdf").is_file()  # the PDF kept
        assert (build / "html/generated/index.html").is_file() and not (build / "current/work").exists()
    # The next build clears what the killed ones left, and publishes.
    result = runner.invoke(app, ["--project", str(project), "build", *COUNCIL_ARGS])
    assert result.exit_code == 0, result.output + result.stderr
    folder, _, keys = _state(project)
    assert keys["html"] == keys["pdf"] and folder != before[0]
    assert len(list(versions.iterdir())) <= 2 and not (build / "cache/.running").exists()


def test_two_builds_at_once(project_copy: Path, mini: Path) -> None:
    first = _start(project_copy, _args(mini), "--no-pdf", "--force")
    lock = project_copy / "_build/.lock"
    _wait_for(lambda: lock.is_file() and f"pid {first.pid}," in lock.read_text(), first, "its lock")
    second = runner.invoke(app, ["--project", str(project_copy), "build", "--no-pdf", *_args(mini)])
    assert second.exit_code == 1
    assert (
        f"Bygningen fejlede; den offentliggjorte bog er, som den var: en anden bygning af dette projekt kører "
        f"(pid {first.pid}, startet "
    ) in second.stderr
    assert "); vent, til den er færdig, og kør så kommandoen igen.\n" in second.stderr
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()  # type: ignore[union-attr]
    folder, _, keys = _state(project_copy)
    assert (project_copy / "_build/html/generated/index.html").is_file() and keys["html"]


def _namespace_ok() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _namespace_ok(), reason="needs root and a private mount namespace (unshare -m)")
@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_build_folder_that_cannot_be_written(mini_book_copy: Path, tmp_path: Path, fault: str) -> None:
    """A build of conftest's ``mini_book`` (copied, its book published) into a build folder that is read-only
    or full."""
    project = mini_book_copy
    # The validated project kept under its place (a build here keeps it so): the copy's, as a build here before.
    validated = runner.invoke(app, ["--project", str(project), "validate", *COUNCIL_ARGS])
    assert validated.exit_code == 0, validated.output + validated.stderr
    build = project / "_build"
    before = _book_and_files(build)
    # A changed page: the reports come from the cache, the book itself must be built again.
    page = project / "book/om.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny linje.\n", encoding="utf-8")
    saved = tmp_path / "saved"
    shutil.copytree(build, saved, symlinks=True)
    used = sum(-(-p.stat().st_size // 4096) * 4096 for p in saved.rglob("*") if p.is_file() and not p.is_symlink())
    if fault == "read-only":
        mount = f"mount --bind {build} {build} && mount -o remount,bind,ro {build}"
    else:  # room for what is there and 1 MB more: the new version folder does not fit
        mount = f"mount -t tmpfs -o size={used // 1024 + 1024}k tmpfs {build} && cp -a {saved}/. {build}/"
    script = (
        f"set -e; {mount}; set +e; {COUNCILBOOK} --project {project} build --no-pdf {' '.join(COUNCIL_ARGS)} "
        f"2>{tmp_path}/err; "
        f"echo $? > {tmp_path}/code; cp -a {build}/. {tmp_path}/after/"
    )
    (tmp_path / "after").mkdir()
    subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=project, check=True, stdout=subprocess.DEVNULL)
    error = (tmp_path / "err").read_text(encoding="utf-8")
    assert (tmp_path / "code").read_text().strip() == "1", error
    reason = "den ligger på et skrivebeskyttet filsystem" if fault == "read-only" else "disken er fuld"
    assert (
        f"Bygningen fejlede; den offentliggjorte bog er, som den var: der kan ikke skrives i byggemappen {build}: "
        f"{reason}" in error
    )
    assert "Skaf plads, eller gør mappen skrivbar, og kør så kommandoen igen." in error
    assert "Traceback" not in error
    after = tmp_path / "after"
    assert _book_and_files(after) == before  # the book as it was, and nothing left behind
    assert _ends_alone(project) == []


def _book_and_files(folder: Path) -> tuple[str, list[str]]:
    """The published book's digest (HTML, PDF and their record, through the links) and every path in the build
    folder but the lock and Sphinx's kept state (a changed cache file is fine; a file left behind, or one gone, is
    not). A failed build drops Sphinx's state, so that the next one starts from scratch (test_sphinx_state)."""
    book = digest(folder / "html") + digest(folder / "pdf") + (folder / "published.json").read_text(encoding="utf-8")
    kept = [p for p in folder.rglob("*") if p.name != ".lock" and p.relative_to(folder).parts[0] != "sphinx"]
    return book, sorted(str(p.relative_to(folder)) for p in kept)


def test_publish_removes_only_its_own_unfinished_copy(tmp_path: Path) -> None:
    source = tmp_path / "_build/html"
    source.mkdir(parents=True)
    (source / "index.html").write_text("<p>bogen</p>", encoding="utf-8")
    site = tmp_path / "www/site"
    site.parent.mkdir()
    stranger = site.with_name(".site.incoming")
    stranger.mkdir()
    (stranger / "theirs.txt").write_text("someone else's", encoding="utf-8")
    with pytest.raises(SiteError, match=r"\.site\.incoming står i vejen, og den er ikke lavet af councilbook"):
        publish_site(source, site, tmp_path / "_build", "key")
    assert (stranger / "theirs.txt").read_text(encoding="utf-8") == "someone else's" and not site.exists()
    shutil.rmtree(stranger)
    stranger.mkdir()
    (stranger / INCOMING_MARKER).touch()  # an interrupted publication of ours
    (stranger / "half.html").write_text("half", encoding="utf-8")
    publish_site(source, site, tmp_path / "_build", "key")
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "index.html"] and not stranger.exists()
