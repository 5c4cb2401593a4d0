"""The public book shows nothing before its time and nothing confidential at all."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import require_tool
from typer.testing import CliRunner

from councilbook.cli import app

runner = CliRunner()
MARKER = "ZQXLEAK7731"
pytestmark = pytest.mark.book


def plant_markers(mini: Path) -> None:
    """A unique marker in every confidential field and in every text of the future meeting and evaluation."""
    path = mini / "parameters/meetings/2021.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for meeting in data["meetings"]:
        future = str(meeting["date"]) == "2021-11-03"
        if future:
            meeting["title"] = f"Rådsmøde {MARKER} titel"
            meeting["theme"] = f"Tema {MARKER}"
            meeting["place"] = f"Sted {MARKER}"
            meeting["agenda"] = [
                {
                    "title": f"Punkt {MARKER}",
                    "type": "decision",
                    "case_text": f"Sag {MARKER}",
                    "recommendation": f"Indstilling {MARKER}",
                    "decision": f"Beslutning {MARKER}",
                }
            ]
        for item in meeting.get("agenda", []):
            if item.get("confidential"):
                item["title"] = f"Fortrolig titel {MARKER}"
                item["case_text"] = f"Fortrolig sag {MARKER}"
                item["recommendation"] = f"Fortrolig indstilling {MARKER}"
                item["follow_up"] = f"Fortrolig opfølgning {MARKER}"
                item["decision"] = "Rådet støttede jobcentret."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    evaluation = mini / "parameters/evaluations/2021.yml"
    text = evaluation.read_text(encoding="utf-8").replace("Rådet har fulgt målene.", f"Konklusion {MARKER}")
    evaluation.write_text(text.replace("title: Evaluering 2021", f"title: Evaluering 2021 {MARKER}"), encoding="utf-8")


def files_with_marker(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and MARKER.encode() in path.read_bytes():
            found.append(str(path.relative_to(folder)))
    return sorted(found)


def test_public_book_leaks_nothing(project_copy: Path, mini: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("pdftotext")
    plant_markers(mini)
    here = ["--project", str(project_copy)]
    result = runner.invoke(
        app,
        [*here, "build", "--params", str(mini / "parameters"), "--data", str(mini / "data"), "--as-of", "2021-07-10"],
    )
    assert result.exit_code == 0, result.output + result.stderr
    html = project_copy / "_build/html"
    meetings = sorted(p.name for p in (html / "generated/meetings").glob("*.html"))
    assert meetings == ["2021-02-10.html", "2021-06-16.html"]  # the November meeting does not exist yet
    assert not (html / "generated/evaluations").exists()  # nor the September evaluation
    assert "2021-11-03" not in (html / "searchindex.js").read_text(encoding="utf-8")
    assert files_with_marker(html) == []  # pages, search index, sources, images' alt text
    assert not list(html.rglob("*.ipynb")) and not (html / "_sources").exists()
    pdf_text = subprocess.run(
        ["pdftotext", str(project_copy / "_build/pdf/book.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert MARKER not in pdf_text
    # The confidential item is there in public as "Lukket punkt" with its decision.
    page = (html / "generated/meetings/2021-06-16.html").read_text(encoding="utf-8")
    assert "Lukket punkt" in page and "Rådet støttede jobcentret." in page
    # ... and in full in the members' pack, where the markers must be.
    result = runner.invoke(
        app,
        [
            *here,
            "pack",
            "--params",
            str(mini / "parameters"),
            "--data",
            str(mini / "data"),
            "--meeting",
            "2021-06-16",
            "--out",
            str(project_copy / "packs"),
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    pack_text = subprocess.run(
        ["pdftotext", str(project_copy / "packs/2021-06-16/pakke-2021-06-16.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for field in ("Fortrolig titel", "Fortrolig sag", "Fortrolig indstilling"):
        assert f"{field} {MARKER}" in pack_text
