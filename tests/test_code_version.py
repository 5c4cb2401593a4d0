"""The code version that keys reports, the prepared project and the book: every file of the package that shapes
output counts, the templates and stylesheets as much as the code."""

from __future__ import annotations

import shutil
from pathlib import Path

import councilbook
from councilbook.core import code


def test_a_template_or_stylesheet_changed_is_another_code_version(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "councilbook"
    shutil.copytree(Path(councilbook.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(code, "__file__", str(package / "core" / "code.py"))

    def digest() -> str:
        code.code_digest.cache_clear()
        return code.code_digest()

    try:
        first = digest()
        assert digest() == first
        for changed in ("templates/blocks.html.j2", "templates/pack.css", "text/charts.py"):
            path = package / changed
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            assert digest() != first, changed
            first = digest()
        (package / "notes.txt").write_text("not part of the output", encoding="utf-8")
        assert digest() == first
        for portal in ("portal/views_members.py", "portal/static/portal/portal.css"):  # makes no report
            path = package / portal
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            assert digest() == first, portal
    finally:
        code.code_digest.cache_clear()
