"""The CLI: help on every command, docs that match it, and `status` for scripts and people."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_ARGS, unnamed_figures
from typer.main import get_command
from typer.testing import CliRunner

from councilbook.analysis import compute
from councilbook.analysis.validate import load_project
from councilbook.cli import app

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests/fixtures/mini"
runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)
# Every command as typed, groups' subcommands included ("new meeting").
LEAVES = sorted(
    f"{name} {sub}" if sub else name
    for name, command in get_command(app).commands.items()
    for sub in (sorted(getattr(command, "commands", {})) or [""])
)


def test_commands() -> None:
    expected = ["build", "calendar", "fetch", "minutes", "new", "pack", "publish", "sample", "status", "validate"]
    assert COMMANDS == expected
    assert "new contract" in LEAVES and "new meeting" in LEAVES


@pytest.mark.parametrize("command", [*LEAVES, "new"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example: " in result.output and f"councilbook {command}" in result.output
    if command.split()[0] not in ("calendar", "new"):  # these need no data
        assert "--data" in result.output
    if command not in ("sample", "new"):
        assert "--params" in result.output


def test_readme_lists_exactly_the_cli_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = sorted(set(re.findall(r"^\| `councilbook (\w+)", readme, flags=re.M)))
    assert listed == COMMANDS


def test_readme_and_make_help_list_the_same_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = sorted(re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.M))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"^\| `make ([a-z-]+)`", readme, flags=re.M))) == targets
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert sorted(re.findall(r"make (\S+)", shown)) == targets


def test_python_dash_m() -> None:
    result = subprocess.run([sys.executable, "-m", "councilbook", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "validate" in result.stdout


def test_status_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["status", *MINI_ARGS, "--meeting", "2021-06-16", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    project = load_project(MINI / "parameters", MINI / "data")
    expected = compute.compute_meeting_status(
        project.params, project.dataset, project.params.meeting_on(__import__("datetime").date(2021, 6, 16))
    )
    assert figures["meeting"] == "2021-06-16" and figures["cutoff"] == "2021-04"
    assert [g["goal_id"] for g in figures["goals"]] == ["ledighed", "sygedagpenge"]
    for got, want in zip(figures["goals"], expected.goals, strict=True):
        # Counts: every figure named by its unit and given as shown (whole numbers, changes in %)
        assert got["unit"] == "count" and got["status"] == want.status
        for name in ("baseline", "target", "actual", "last_year", "forecast"):
            assert got[f"{name}_count"] == getattr(want.figures, name).json
        assert got["change_pct"] == want.figures.change.json and got["gap_pct"] == want.figures.gap.json
        assert not any(key in got for key in ("change_pp", "actual_pct"))
        assert len(got["jobcentres"]) == 3
    assert Path(figures["notebook"]).is_file() and Path(figures["html"]).is_file()
    goal = figures["goals"][1]
    assert set(goal["forecast"]) == {
        "typical_error_pct",
        "backtest_error_pct",
        "periods_observed",
        "periods_in_year",
        "final",
    }
    assert goal["forecast"]["periods_observed"] == 4 and goal["forecast"]["periods_in_year"] == 12
    assert goal["since_previous_meeting"]["meeting"] is None  # the previous meeting reported on 2020
    assert goal["since_previous_meeting"]["change_pct"] is None
    assert goal["xmr"]["baseline_points"] == 24 and isinstance(goal["xmr"]["signals"], list)
    assert {"centre_count", "lower_count", "upper_count"} <= set(goal["xmr"])
    assert unnamed_figures(figures) == []  # every figure's name says its unit
    assert goal["adjusted"]["fit"]["method"] == "regression" and len(goal["adjusted"]["jobcentres"]) == 3
    assert goal["adjusted"]["framework_years"] == [2020]  # 2021's yearly figures come after the year ends
    assert [row["year"] for row in goal["spread"]] == [2018, 2019, 2020, 2021]
    assert {"contribution_pp", "change_pct", "actual_count", "rank"} <= set(goal["jobcentres"][0])
    assert figures["columns"]["since_previous"] == "Prognose siden sidste møde"
    page = Path(figures["html"]).read_text(encoding="utf-8")
    assert "Jobcenter Østby-Åby" in page and "params_dir" not in page
    assert not re.search(r"<script[^>]+src=\"https?://", page)


def _html_status_rows(page: str) -> list[list[str]]:
    from bs4 import BeautifulSoup

    table = BeautifulSoup(page, "html.parser").find("table", class_="cb-stacked")
    return [
        [cell.get_text().replace("\u2060", "").strip() for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]


def test_status_terminal_table_shows_what_the_page_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point 12: the terminal shows every column of the HTML table with the same values (the change of the
    forecast since the previous meeting included), as a table where it fits and as cards where it does not."""
    monkeypatch.chdir(ROOT)
    args = ["status", *MINI_ARGS, "--meeting", "2021-11-03", "--out", str(tmp_path)]
    html_rows = None
    for columns in ("250", "80"):
        result = runner.invoke(app, args, env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if not line.startswith(("Notebook:", "HTML:"))]
        assert max(len(line) for line in lines) <= int(columns)  # paths aside, nothing wider than the terminal
        html_rows = html_rows or _html_status_rows((tmp_path / "status-2021-11-03.html").read_text(encoding="utf-8"))
        if columns == "250":
            rows = [[c.strip() for c in line.strip("│").split("│")] for line in lines if line.startswith("│")]
        else:
            cards = "\n".join(lines[2:]).strip().split("\n\n")
            rows = [[card.splitlines()[0]] + [line[30:] for line in card.splitlines()[1:]] for card in cards]
        assert rows == html_rows, columns
    assert html_rows is not None and all(row[-1] != "–" for row in html_rows)  # same contract as last meeting


def test_status_table_for_the_next_meeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(
        app,
        [
            "status",
            *MINI_ARGS,
            "--today",
            "2021-06-01",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Temamøde 16. juni 2021", "Status for kontrakten 2021 med tal til og med april 2021"]
    assert "Ledigheden skal ned" in result.stdout and "Status" in result.stdout
    assert lines[-1].startswith("HTML:") and lines[-1].endswith("status-2021-06-16.html")


def test_status_after_the_last_meeting_takes_the_latest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(
        app,
        [
            "status",
            *MINI_ARGS,
            "--today",
            "2030-01-01",
            "--json",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meeting"] == "2021-11-03"


def test_status_unknown_meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["status", *MINI_ARGS, "--meeting", "2021-06-17"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "no meeting on 2021-06-17 in the parameters (meetings: 2021-02-10, 2021-06-16, 2021-11-03); "
        "to add it: councilbook new meeting 2021-06-17 --kind ordinary"
    )


def test_status_says_when_the_data_stop_before_the_meeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A meeting whose figures run past the data: the missing months are named, with what to do."""
    params = tmp_path / "parameters"
    shutil.copytree(MINI / "parameters", params)
    monkeypatch.chdir(ROOT)
    for command in (["new", "contract", "2022"], ["new", "meeting", "2022-03-16", "--kind", "ordinary"]):
        result = runner.invoke(app, [*command, "--params", str(params)])
        assert result.exit_code == 0, result.output + result.stderr
    args = ["status", "--params", str(params), "--data", str(MINI / "data"), "--meeting", "2022-03-16"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == (
        "Note: the data end in december 2021, but this meeting's figures run to januar 2022, so those months "
        "show as missing. Add them (councilbook fetch, or new jobindsats.dk exports in tests/fixtures/mini/data), "
        "then run this again."
    )
