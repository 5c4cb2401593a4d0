"""The key of a build's inputs (:mod:`councilbook.assembly.sourcekey`): every input changes it, what builds write
does not; the published book answers a build with the same key (with or without its PDF as it has it)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from councilbook.assembly import sourcekey
from councilbook.core.paths import BookPaths


def _project(root: Path) -> BookPaths:
    for name, text in {
        "_config.yml": "title: Bogen\n",
        "parameters/council.yml": "name: Rådet\n",
        "data/tal.csv": "a;b\n1;2\n",
        "pipelines/manifest.yml": "modules: [mine_kinds]\nreports: []\n",
        "pipelines/status.ipynb": "{}",
        "book/om.md": "# Om bogen\n",
        "book/_static/councilbook.css": "body {}\n",
        "mine_kinds.py": "KIND = 1\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return BookPaths(root)


@pytest.mark.parametrize(
    "changed",
    [
        "parameters/council.yml",
        "data/tal.csv",
        "pipelines/manifest.yml",
        "pipelines/status.ipynb",
        "book/om.md",
        "book/_static/councilbook.css",
        "_config.yml",
        "mine_kinds.py",
        "parameters/meetings/2013.yml",  # a new file
        "portal/export/record.json",  # the members' portal's record: objections, answered questions
    ],
)
def test_every_input_changes_the_key(tmp_path: Path, changed: str) -> None:
    paths = _project(tmp_path)
    before = sourcekey.inputs_digest(paths, tmp_path / "parameters", tmp_path / "data", date(2013, 6, 1))
    path = tmp_path / changed
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + "# ændret\n", encoding="utf-8")
    assert sourcekey.inputs_digest(paths, tmp_path / "parameters", tmp_path / "data", date(2013, 6, 1)) != before


def test_what_builds_write_and_the_day_made_as_of(tmp_path: Path) -> None:
    paths = _project(tmp_path)
    params, data = tmp_path / "parameters", tmp_path / "data"
    before = sourcekey.inputs_digest(paths, params, data, date(2013, 6, 1))
    for written in (
        "book/generated/index.md",
        "_build/html/index.html",
        "packs/2013-05-29/pakke.pdf",
        "portal/portal.sqlite3",  # the portal's database and files: only its record is read by a build
        "portal/files/ab/abcdef",
    ):
        (tmp_path / written).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / written).write_text("bygget", encoding="utf-8")
    assert sourcekey.inputs_digest(paths, params, data, date(2013, 6, 1)) == before
    assert sourcekey.inputs_digest(paths, params, data, date(2013, 6, 2)) != before
    assert sourcekey.inputs_digest(paths, params, data, None) != before  # today


def test_the_published_book_answers_the_same_inputs(tmp_path: Path) -> None:
    paths = _project(tmp_path)
    digest = sourcekey.inputs_digest(paths, tmp_path / "parameters", tmp_path / "data", date(2013, 6, 1))
    assert sourcekey.published_unchanged(paths, digest, pdf=False) is None  # nothing published
    version = tmp_path / "_build/versions/v1"
    (version / "html").mkdir(parents=True)
    (version / "html/index.html").write_text("<html></html>", encoding="utf-8")
    (version / "published.json").write_text(json.dumps({"html": "k"}), encoding="utf-8")
    (tmp_path / "_build/html").symlink_to(version / "html")
    (tmp_path / "_build/published.json").symlink_to(version / "published.json")
    assert sourcekey.published_unchanged(paths, digest, pdf=False) is None  # built before keys were recorded
    sourcekey.record_inputs(paths, sourcekey.inputs_key(digest, True), ("Mødet 11. december 2013 er holdt tilbage",))
    assert json.loads((version / "published.json").read_text(encoding="utf-8"))["html"] == "k"
    # HTML built with its PDF serves a build without; a build with PDF needs the PDF there.
    assert sourcekey.published_unchanged(paths, digest, pdf=False) == ["Mødet 11. december 2013 er holdt tilbage"]
    assert sourcekey.published_unchanged(paths, digest, pdf=True) is None
    sourcekey.record_inputs(paths, sourcekey.inputs_key(digest, False), ())
    assert sourcekey.published_unchanged(paths, digest, pdf=False) == []
    (tmp_path / "_build/pdf").mkdir()
    (tmp_path / "_build/pdf/book.pdf").write_bytes(b"%PDF-")
    assert sourcekey.published_unchanged(paths, digest, pdf=True) is None  # that HTML was built without it
