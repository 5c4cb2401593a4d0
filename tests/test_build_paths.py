"""No published file names a folder of the machine that built it: the sample's site (HTML, scripts, the search
index, the reports' data files) is built in a folder with a name planted for this (conftest's
``sample_html``); the PDFs are searched by test_book_pdf and test_book."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildpaths import BUILD_FOLDER, files_naming

pytestmark = pytest.mark.book


def test_no_published_file_names_the_build_folder(sample_html: Path) -> None:
    assert BUILD_FOLDER in str(sample_html.resolve())
    assert (sample_html / "searchindex.js").is_file() and list(sample_html.rglob("*.csv"))
    assert files_naming(sample_html) == []
