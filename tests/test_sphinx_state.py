"""Sphinx's kept state (``_build/sphinx/``): the sources mirrored by content, so that Sphinx reads again only
what changed; and the state dropped when it cannot be trusted (a removed page, other code, a failed build)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from councilbook.assembly import book
from councilbook.core.paths import BookPaths


def _tree(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_the_mirror_writes_only_what_changed(tmp_path: Path) -> None:
    source, copy = tmp_path / "book", tmp_path / "mirror"
    _tree(source, {"index.md": "# Forside", "generated/meetings/a.ipynb": "{}", "generated/meetings/b.ipynb": "{}"})
    assert book.mirror(source, copy) is False
    old = 1_000_000_000
    for path in copy.rglob("*.*"):
        os.utime(path, (old, old))
    _tree(source, {"generated/meetings/a.ipynb": '{"changed": 1}', "generated/meetings/c.ipynb": "{}"})
    assert book.mirror(source, copy) is False  # changed and added: nothing removed
    assert (copy / "generated/meetings/a.ipynb").read_text(encoding="utf-8") == '{"changed": 1}'
    assert (copy / "generated/meetings/a.ipynb").stat().st_mtime > old
    assert (copy / "index.md").stat().st_mtime == old  # unchanged: Sphinx does not read it again
    assert (copy / "generated/meetings/b.ipynb").stat().st_mtime == old
    (source / "generated/meetings/b.ipynb").unlink()
    assert book.mirror(source, copy) is True
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()) == [
        "generated/meetings/a.ipynb",
        "generated/meetings/c.ipynb",
        "index.md",
    ]


def test_a_failed_sphinx_build_drops_the_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a failed build the next one is from scratch (``--all``), and so it is with other code."""
    paths = BookPaths(tmp_path)
    _tree(paths.book, {"index.md": "# Forside"})
    commands: list[list[str]] = []

    class Done:
        def __init__(self, code: int) -> None:
            self.returncode, self.stdout, self.stderr = code, "", "WARNING: noget gik galt"

    outcome = [1]

    def fake_run(command: list[str], **_kwargs: object) -> Done:
        commands.append(command)
        out = Path(command[command.index("--path-output") + 1]) / "_build" / "html"
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text("<html></html>", encoding="utf-8")
        return Done(outcome[0])

    monkeypatch.setattr(book.subprocess, "run", fake_run)
    with pytest.raises(book.BookError, match="noget gik galt"):
        book.run_sphinx(paths, "html", tmp_path / "work1")
    assert not (paths.build / "sphinx").exists()
    outcome[0] = 0
    book.run_sphinx(paths, "html", tmp_path / "work2")
    book.run_sphinx(paths, "html", tmp_path / "work3")
    assert ["--all" in c for c in commands] == [True, True, False]  # only the third kept Sphinx's state
    assert (tmp_path / "work3/html/index.html").is_file()
    monkeypatch.setattr(book, "sphinx_stamp", lambda builder: "other code")
    book.run_sphinx(paths, "html", tmp_path / "work4")
    assert "--all" in commands[-1]
