"""Assemble the book: Sphinx builds, PDF, publishing (the front page, contents and config: :mod:`frontpage`).

The book's sources are ``book/`` (static pages and ``_static/``) plus ``book/generated/`` (git-ignored): the
executed report notebooks, the front page, ``_toc.yml`` and ``_config.yml``, all made anew by each build. A book
key hashes all of them; when it equals the key the published book was built from, nothing is rebuilt. Otherwise
Sphinx builds the HTML (reading again only the pages that changed, :func:`run_sphinx`), copied into the build's
own version folder, and the PDFs are printed from its pages (each report's print cached, :mod:`bookpdf`); only
when HTML and PDF both succeeded is that folder published, HTML, PDF and their keys together in one atomic step
(:mod:`release`), so a failed or killed build leaves the last good book where it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from councilbook.assembly.bookpdf import BookCover, PrintPage, make_pdfs
from councilbook.assembly.postprocess import extract_embedded
from councilbook.core import release
from councilbook.core.errors import MAINTAINER_ADVICE, StepFailed, display_path
from councilbook.core.paths import PDF_NAME, BookPaths


class BookError(StepFailed):
    """Sphinx or the PDF step failed."""

    advice = MAINTAINER_ADVICE


def jupyter_book_command() -> list[str]:
    script = Path(sys.executable).parent / "jupyter-book"
    if script.exists():
        return [str(script)]
    found = shutil.which("jupyter-book")
    if found:
        return [found]
    raise BookError("jupyter-book er ikke installeret i dette miljø (kør make install)")


def sphinx_command(source: Path, builder: str, out: Path, fresh: bool = True) -> list[str]:
    """``jupyter-book build`` of the book's sources in ``source`` (``book/`` or its mirror) with the generated
    config and contents into ``out``; ``fresh``: from scratch (``--all``)."""
    return [
        *jupyter_book_command(),
        "build",
        str(source),
        "--config",
        str(source / "generated" / "_config.yml"),
        "--toc",
        str(source / "generated" / "_toc.yml"),
        "--path-output",
        str(out),
        "--builder",
        builder,
        *(["--all"] if fresh else []),
    ]


# Libraries whose version changes what Sphinx makes of the same sources (besides the code's own, code_digest).
SPHINX_LIBRARIES = ("sphinx", "jupyter-book", "sphinx-book-theme", "pydata-sphinx-theme", "myst-parser", "myst-nb")


def sphinx_stamp(builder: str) -> str:
    """What Sphinx's kept state was made with: the builder, the code and the Sphinx libraries' versions."""
    from councilbook.core.code import code_digest, library_version

    return json.dumps([builder, code_digest(), *(library_version(name) for name in SPHINX_LIBRARIES)])


def mirror(source: Path, target: Path) -> bool:
    """Make ``target`` a copy of the folder ``source``, writing only the files whose bytes differ: an unchanged
    file keeps its time, by which Sphinx knows it need not read it again. Whether a file was removed."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    removed = False
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                path.unlink()
                removed = True
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for relative in sorted(wanted):
        origin, copy = source / relative, target / relative
        data = origin.read_bytes()
        if copy.is_file() and copy.read_bytes() == data:
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
    return removed


def run_sphinx(paths: BookPaths, builder: str, work: Path, fresh: bool = False) -> Path:
    """One Jupyter Book build with warnings as errors; returns its output, copied into the build's own work
    folder.

    Sphinx keeps its state between builds in ``_build/sphinx/``: a mirror of ``book/`` written by content
    (:func:`mirror`), so that it reads again only the pages whose sources changed, and its environment. It writes
    every page at every build (:mod:`sphinx_offline`: a new page changes every page's navigation) into an empty
    folder, so the result is the same as a build from scratch. The state is dropped, and the build is from
    scratch, with ``fresh`` (``--force``), when a source was removed, when the code or the Sphinx libraries
    changed (:func:`sphinx_stamp`) and after a failed build."""
    state = paths.build / "sphinx"
    source, out, stamp = state / "source", state / "out", state / "stamp"
    expected = sphinx_stamp(builder)
    kept = not fresh and stamp.is_file() and stamp.read_text(encoding="utf-8") == expected
    if not kept:
        shutil.rmtree(state, ignore_errors=True)
    # Written again only when this build succeeds: a build that fails or is stopped anywhere from here leaves
    # no stamp, and the next one starts from scratch.
    stamp.unlink(missing_ok=True)
    if mirror(paths.book, source) and kept:
        shutil.rmtree(out, ignore_errors=True)  # a removed page's output would stay behind
        kept = False
    # Its environment is kept, its output not: a page is written as onto an empty folder (Sphinx's links to
    # stylesheets carry a checksum only of those already there when the page is written).
    shutil.rmtree(out / "_build" / builder, ignore_errors=True)
    log = work / f"{builder}.log"
    command = release.ending_with_parent([*sphinx_command(source, builder, out, fresh=not kept), "-W", "--keep-going"])
    completed = subprocess.run(command, capture_output=True, text=True, cwd=paths.project)
    if completed.returncode != 0:
        shutil.rmtree(state, ignore_errors=True)  # the next build starts from scratch
        for code in sorted(release.FOLDER_ERRNOS):  # Sphinx could not write (a full disk …): say so
            if f"[Errno {code}]" in completed.stdout + completed.stderr:
                raise OSError(code, os.strerror(code), str(out))
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + "\n" + completed.stderr, encoding="utf-8")
    if completed.returncode != 0:
        warnings = [
            line
            for line in _strip_ansi(completed.stdout + completed.stderr).splitlines()
            if "WARNING" in line or "ERROR" in line
        ]
        detail = "\n".join(warnings[:20]) or "se loggen"
        raise BookError(f"bygningen med {builder} fejlede (log: {display_path(log)}):\n{detail}")
    stamp.write_text(expected, encoding="utf-8")
    built = work / builder
    shutil.copytree(out / "_build" / builder, built)
    return built


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def book_key(paths: BookPaths) -> str:
    """SHA-256 of everything the book is built from: the pages in ``book/`` (static and generated,
    notebooks included) and the councilbook code. The HTML and the PDF each record the key they were
    built from (:func:`is_published`)."""
    from councilbook.core.code import code_digest

    h = hashlib.sha256(code_digest().encode())
    for path in sorted(p for p in paths.book.rglob("*") if p.is_file()):
        h.update(path.relative_to(paths.book).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def published_keys(paths: BookPaths) -> dict[str, str]:
    try:
        return json.loads(paths.published_key.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_published(paths: BookPaths, key: str, pdf: bool) -> bool:
    """True when the published book (and PDF, if asked for) was built from exactly these sources."""
    keys = published_keys(paths)
    html_ok = keys.get("html") == key and (paths.html / "index.html").is_file()
    return html_ok and (not pdf or (keys.get("pdf") == key and paths.pdf.is_file()))


def build_and_publish(
    paths: BookPaths,
    key: str,
    pdf: bool,
    jobs: Sequence[PrintPage] = (),
    cover: BookCover | None = None,
    force: bool = False,
) -> tuple[Path, Path | None]:
    """Build the HTML (and the PDFs) into a new version folder, then publish it whole (:mod:`release`).

    Sphinx builds the HTML; its embedded files become files (:mod:`postprocess`); with ``pdf``, every report
    page in ``jobs`` is printed (or taken from the print cache, unless ``force``) into its own PDF beside it,
    and the book's PDF is assembled from them (:mod:`bookpdf`). Nothing is published unless every step
    succeeded; then one atomic step publishes the HTML, the PDF and the record of their keys together. Run
    under the build lock.
    """
    release.prune(paths.build)  # what failed or killed builds left
    version = release.new_version(paths.build)
    published = False
    printed: Path | None = None
    try:
        work = version / "work"
        built_html = run_sphinx(paths, "html", work, fresh=force)
        extract_embedded(built_html)
        if pdf:
            if cover is None:
                raise BookError("bogens PDF mangler sin forside")
            printed, _fresh = make_pdfs(
                built_html, jobs, cover, paths.print_cache, work / "pdf" / PDF_NAME, work / "pdf-parts", force=force
            )
        release.checkpoint("built")
        html_dir, pdf_dir = version / "html", version / "pdf"
        built_html.rename(html_dir)
        pdf_dir.mkdir()
        keys = {"html": key}
        last_pdf_key = published_keys(paths).get("pdf")
        if printed is not None:
            printed.rename(pdf_dir / PDF_NAME)
            shutil.copyfile(pdf_dir / PDF_NAME, html_dir / PDF_NAME)  # the site carries its PDF
            keys["pdf"] = key
        elif paths.pdf.is_file() and last_pdf_key:  # an HTML-only build keeps the last PDF
            _link_or_copy(paths.pdf, pdf_dir / PDF_NAME)
            keys["pdf"] = last_pdf_key
        shutil.rmtree(work)
        release.write_keys(version, keys)
        release.checkpoint("complete")
        release.flip(paths.build, version)
        published = True
        release.checkpoint("published")
    finally:
        if not published:
            shutil.rmtree(version, ignore_errors=True)
    release.prune(paths.build)
    return paths.html, paths.pdf if printed is not None else None


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def publish(staged: Path, target: Path) -> None:
    """Put a staged folder in place of ``target``. Where the system allows, the two are exchanged in one
    atomic step, so a reader (or a web server) finds either the old folder or the new one, never none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and release.exchange(staged, target):
        shutil.rmtree(staged)  # now the old folder
        return
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staged.rename(target)
    if old.exists():
        shutil.rmtree(old)
