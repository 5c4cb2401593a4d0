"""The members' pack: PDF, workbook (opened by LibreOffice), manifest; and the calendar."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import MINI_ARGS, require_tool
from openpyxl import load_workbook
from typer.testing import CliRunner

from councilbook.analysis.meeting import compute_meeting_status
from councilbook.cli import app
from councilbook.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests/fixtures/mini"
runner = CliRunner()


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("chromium", "chromium-browser")
    out = tmp_path_factory.mktemp("packs")
    result = runner.invoke(
        app, ["--project", str(ROOT), "pack", *MINI_ARGS, "--meeting", "2021-06-16", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    return out / "2021-06-16"


@pytest.mark.book  # prints with Chromium
def test_pack_folder(pack_dir: Path) -> None:
    assert sorted(p.name for p in pack_dir.iterdir()) == [
        "manifest.json",
        "pakke-2021-06-16.pdf",
        "pakke.html",
        "status-2021-06-16.xlsx",
    ]
    manifest = json.loads((pack_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["meeting"] == "2021-06-16" and manifest["pack_due"] == "2021-06-06"
    assert set(manifest["contents"]) == {"pakke-2021-06-16.pdf", "status-2021-06-16.xlsx", "pakke.html"}
    assert manifest["provenance"]["cutoff"] == "2021M04"
    assert any(f["path"].endswith("council.yml") for f in manifest["provenance"]["parameter_files"])


@pytest.mark.book  # prints with Chromium
def test_pack_pdf(pack_dir: Path) -> None:
    require_tool("pdftotext")
    pdf = pack_dir / "pakke-2021-06-16.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    cover = text.split("\f")[0]
    assert "Fortroligt indtil mødet er afholdt" in cover and "Testrådet for Beskæftigelse i Fjordregionen" in cover
    assert "Rådsmøde med temadrøftelse 16. juni 2021" in " ".join(cover.split())
    for phrase in (
        "Målene på én side",
        "Dagsorden",
        "Til beslutning",
        "Indstilling: Det indstilles at støtte jobcentret.",
        "Fortrolig sag.",
        "Bilag A: Status på kontraktens mål",
        "Opfølgning på rådets beslutninger",
        "Tabellen med alle 3 rækker er i regnearket",  # the job centres' tables are in the workbook
    ):
        assert phrase in text, phrase
    assert "Vis tabellen" not in text
    # Said only of tables that are in the workbook: a row per job centre (the test council has three).
    assert set(re.findall(r"Tabellen med alle (\d+) rækker er i regnearket", " ".join(text.split()))) == {"3"}
    assert "Spredningen, der ikke forklares af rammevilkår" not in text or "Interkvartilafstand" in text
    second = text.split("\f")[1]
    assert "Testrådet · Rådsmøde med temadrøftelse · 16. juni 2021" in second  # running header
    assert f"Side 2 af {pages}" in second  # footer: page N of M
    assert b"/Outlines" in pdf.read_bytes()


@pytest.mark.book  # prints with Chromium
def test_pack_workbook(pack_dir: Path) -> None:
    path = pack_dir / "status-2021-06-16.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Overblik", "Mål 1", "Mål 2", "Om data"]
    overview = wb["Overblik"]
    assert [c.value for c in overview[1]][:4] == [
        "Mål",
        "Enhed",
        "Målsætning for året (antal eller %)",
        "Faktisk hidtil (antal eller %)",
    ]
    numeric = [c.column for c in overview[2] if isinstance(c.value, (int, float))]
    assert all("(" in overview.cell(row=1, column=c).value for c in numeric)  # every figure's header has its unit
    assert overview.freeze_panes == "A2" and overview.auto_filter.ref == "A1:L3"
    assert overview["L2"].value.startswith(("højst ", "mindst ", "bedre end "))  # the target as the pack says it
    assert overview["J2"].value.endswith(("På rette spor", "I risiko", "Ikke på rette spor"))
    assert overview["J2"].fill.fgColor.rgb.endswith(("E3F1E8", "FDF1D6", "F8E0DC"))
    assert overview.column_dimensions["A"].width >= 20
    # Counts as whole numbers, changes in % with their sign: the figures as the pack shows them.
    assert overview["B2"].value == "antal" and overview["D2"].number_format == "#,##0"
    assert overview["F2"].number_format == '+0.0" %";-0.0" %";"±"0.0" %"'
    sheet = wb["Mål 1"]
    assert sheet["A5"].value in {"Jobcenter Nordby", "Jobcenter Sydby", "Jobcenter Østby-Åby"}
    assert [c.value for c in sheet[4]][2:6] == [
        "Faktisk (antal)",
        "Året før (antal)",
        "Udvikling mod året før (%)",
        "Bidrag til regionens udvikling (pct.-point)",
    ]


@pytest.mark.book  # prints with Chromium
def test_workbook_opens_in_libreoffice(pack_dir: Path, tmp_path: Path) -> None:
    office = require_tool("libreoffice", "soffice")
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false",
            "--outdir",
            str(tmp_path),
            str(pack_dir / "status-2021-06-16.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((tmp_path / "status-2021-06-16.csv").read_text(encoding="utf-8").splitlines()))
    project = load_project(MINI / "parameters", MINI / "data")
    status = compute_meeting_status(
        project.params, project.dataset, project.params.meeting_on(date(2021, 6, 16)), with_details=False
    )
    assert rows[0][:4] == ["Mål", "Enhed", "Målsætning for året (antal eller %)", "Faktisk hidtil (antal eller %)"]
    for row, goal in zip(rows[1:], status.goals, strict=True):
        assert row[0] == goal.title
        assert float(row[3]) == goal.figures.actual.json  # the figure as the pack shows it
        assert float(row[5]) == goal.figures.change.json
        assert float(row[6]) == goal.figures.forecast.json
        assert row[9].endswith(("På rette spor", "I risiko", "Ikke på rette spor"))


def test_calendar_on_fixed_dates() -> None:
    result = runner.invoke(
        app, ["calendar", "--params", str(ROOT / "parameters"), "--as-of", "2013-05-01", "--count", "5"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Frister pr. 1. maj 2013:",
        "  22.05.2013  kommende     Materiale til medlemmerne: Rådsmøde med temadrøftelse 29. maj 2013",
        "  29.05.2013  kommende     Møde: Rådsmøde med temadrøftelse 29. maj 2013",
        "  05.06.2013  kommende     Beslutningsreferat sendes: Rådsmøde med temadrøftelse 29. maj 2013",
        "  11.06.2013  kommende     Frist for indsigelser mod referatet: Rådsmøde med temadrøftelse 29. maj 2013",
        "  12.06.2013  kommende     Referatet godkendt og offentliggjort (uden indsigelser): "
        "Rådsmøde med temadrøftelse 29. maj 2013",
    ]


def test_calendar_shows_overdue_minutes_first() -> None:
    result = runner.invoke(app, ["calendar", "--params", str(ROOT / "parameters"), "--as-of", "2014-01-15", "--json"])
    deadlines = json.loads(result.stdout)
    assert deadlines[0]["state"] == "overdue" and deadlines[0]["what"].startswith("Handling: Tilbyde jobcentret")
    assert deadlines[1] == {
        "date": "2013-12-18",
        "what": "Beslutningsreferat sendes: Rådsmøde med temadrøftelse 11. december 2013",
        "meeting": "2013-12-11",
        "state": "overdue",
    }


@pytest.mark.book  # prints with Chromium
def test_minutes_draft_then_approved_and_press_release(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("pdftotext")
    args = [
        "minutes",
        *MINI_ARGS,
        "--meeting",
        "2021-06-16",
        "--out",
        str(tmp_path),
    ]
    draft = runner.invoke(app, [*args, "--as-of", "2021-07-01"])  # sent 28 June, objections until 5 July
    assert draft.exit_code == 0, draft.stderr
    assert draft.stdout.splitlines()[0].startswith("Beslutningsreferat (udkast): ")
    approved = runner.invoke(app, [*args, "--as-of", "2021-07-06"])
    assert approved.stdout.splitlines()[0].startswith("Beslutningsreferat (godkendt): ")
    folder = tmp_path / "2021-06-16"
    minutes = subprocess.run(
        ["pdftotext", str(folder / "referat-2021-06-16.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Godkendt" in minutes and "Beslutning: Rådet støttede jobcentret." in minutes
    press = folder / "pressemeddelelse-2021-06-16.pdf"
    info = subprocess.run(["pdfinfo", str(press)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info  # within a page
    text = subprocess.run(["pdftotext", str(press), "-"], capture_output=True, text=True, check=True).stdout
    assert "Udkast til pressemeddelelse" in text and "Sådan går det med målene for 2021" in text
    assert "Lukket punkt om en virksomhed" not in text and "støttede jobcentret" not in text  # confidential


def test_public_decisions_wait_for_approved_minutes() -> None:
    from councilbook.parameters.load import load_parameters
    from councilbook.reports.kinds.status import agenda_section

    params = load_parameters(MINI / "parameters")
    meeting = params.meeting_on(date(2021, 6, 16))
    before = agenda_section(meeting, members=False, params=params, as_of=date(2021, 7, 1)).text.text
    after = agenda_section(meeting, members=False, params=params, as_of=date(2021, 7, 6)).text.text
    assert "Rådet støttede jobcentret." not in before and "udkast" in before
    assert "*Beslutning:* Rådet støttede jobcentret." in after and "Lukket punkt" in after
    assert "Fortrolig sag." not in after


@pytest.mark.book  # prints with Chromium
def test_workbook_prints_legibly_in_libreoffice(pack_dir: Path, tmp_path: Path) -> None:
    """Printed from LibreOffice, every sheet is A4 with type a person can read: no sheet scaled down to
    tiny type to fit its columns on the page, no figure shown as ###."""
    from pypdf import PdfReader

    office = require_tool("libreoffice", "soffice")
    require_tool("pdftotext")
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(pack_dir / "status-2021-06-16.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "status-2021-06-16.pdf"
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * (abs(tm[3] * cm[3]) or 1.0))

    reader = PdfReader(pdf)
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 8, min(sizes)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "###" not in text and "Side 1 af" in text
