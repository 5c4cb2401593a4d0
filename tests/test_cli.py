"""The CLI: help on every command (in Danish, the commands in the order of the work), docs that match it, and
`status` for scripts and people."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_ARGS, copy_project, unnamed_figures
from typer.main import get_command
from typer.testing import CliRunner

from councilbook.analysis.meeting import compute_meeting_goals, compute_meeting_status
from councilbook.cli import app
from councilbook.project.load import load_project

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
    expected = [
        "build", "calendar", "fetch", "minutes", "new", "pack", "portal", "press", "publish", "sample", "status",
        "tables", "validate",
    ]  # fmt: skip
    assert COMMANDS == expected
    assert "new contract" in LEAVES and "new meeting" in LEAVES


MAIN_HELP = """\
Brug: councilbook [TILVALG] KOMMANDO [ARGUMENTER]...

  Rapporter til et regionalt beskæftigelsesråd: resultatkontrakten, status på
  målene til hvert møde, evalueringen og andre rapporter, samlet i én bog i
  HTML og PDF.

Tilvalg:
  --project MAPPE  Projektmappen (standard: den aktuelle mappe). Relative
                   stier i --params, --data, --out og de andre stier regnes da
                   fra projektmappen.
  --help           Vis denne hjælp og afslut.

Kommandoer:
  validate  Kontrollér parametre og data, og vis hvert problem.
  new       Tilføj et møde eller et kontraktår til parametrene.
  build     Kør rapporterne, og byg den offentlige bog.
  status    Status på kontraktens mål til et møde.
  pack      Lav mødepakken til medlemmerne.
  minutes   Beslutningsreferat og pressemeddelelse efter et møde.
  press     Pressemeddelelse om en milepæl: kontrakten eller analyserapporten.
  publish   Byg bogen, og læg den i webmappen.
  portal    Medlemsportalen: mødemateriale kun for medlemmer og suppleanter,
            besked på e-mail, indsigelser mod referatet, kalender og Spørg
            rådet.
  calendar  De kommende frister, de overskredne først.
  tables    Tabellerne på jobindsats.dk, eller én tabels mål og opdelinger.
  fetch     Hent tallene fra jobindsats.dk's API (version 3).
  sample    Lav eksempeldata igen ud fra specifikationen.
"""


def test_main_help_exactly() -> None:
    """The commands in the order of the work, each summary whole (never cut off with "...")."""
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.output == MAIN_HELP
    narrow = runner.invoke(app, ["--help"], env={"COLUMNS": "50"}).output
    assert "..." not in narrow.replace("[ARGUMENTER]...", "")
    assert " ".join(narrow.split()).count("Beslutningsreferat og pressemeddelelse efter et møde.") == 1


def test_no_arguments_shows_the_help() -> None:
    result = runner.invoke(app, [], env={"COLUMNS": "80"})
    assert result.exit_code == 2 and result.stderr == MAIN_HELP


NEW_MEETING_HELP = """\
Brug: councilbook new meeting [TILVALG] DATO

  Tilføj et møde til meetings/<år>.yml, med en dagsorden at udfylde.

  Filen laves, hvis mødet er årets første. Parametrene kontrolleres bagefter;
  er de ikke i orden, er filen, som den var.

  Eksempel:
    councilbook new meeting 2014-03-19 --kind theme --theme "Unge i uddannelse"

Argumenter:
  DATO  Mødets dato, ÅÅÅÅ-MM-DD.  [skal angives]

Tilvalg:
  --kind TYPE     Mødets type: ordinary, theme, contract, seminar eller
                  extraordinary.  [standard: ordinary]
  --title TEKST   Mødets titel (standard: efter typen).
  --theme TEKST   Emnet for temadrøftelsen (et temamøde skal have et).
  --params MAPPE  Parametermappen (council.yml, contracts/, meetings/, ...).
                  [standard: parameters]
  --help          Vis denne hjælp og afslut.
"""


def test_a_command_help_exactly() -> None:
    result = runner.invoke(app, ["new", "meeting", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and result.output == NEW_MEETING_HELP


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_examples_in_help_are_never_wrapped(columns: str) -> None:
    """Each example is one line as written, whatever the width, so it can be copied and pasted."""
    for command in [*LEAVES, "new"]:
        output = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": columns}).output
        lines = output.splitlines()
        start = next(i for i, line in enumerate(lines) if line in ("  Eksempel:", "  Eksempler:"))
        end = lines.index("", start)
        examples = lines[start + 1 : end]
        assert examples and all(line.startswith(("    councilbook ", "    JOBINDSATS_API_KEY")) for line in examples), (
            command,
            examples,
        )
        assert not any(line.rstrip().endswith("--as-") for line in lines)  # no option broken at its hyphen


@pytest.mark.parametrize("command", ["status", "pack"])
def test_today_is_an_old_name_for_as_of(command: str, tmp_path: Path) -> None:
    """--as-of on every command; --today still works on status and pack (hidden), with a note."""
    assert "--today" not in runner.invoke(app, ["--project", str(ROOT), command, "--help"]).output
    assert "--as-of DATO" in runner.invoke(app, ["--project", str(ROOT), command, "--help"]).output
    args = [command, *MINI_ARGS, "--today", "not-a-date", "--out", str(tmp_path)]
    if command == "pack":
        args.append("--due")
    result = runner.invoke(app, ["--project", str(ROOT), *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Bemærk: --today hedder nu --as-of; skriv --as-of ÅÅÅÅ-MM-DD (--today virker stadig, men forsvinder).",
        "--today: 'not-a-date' er ikke en gyldig dato (skriv den som ÅÅÅÅ-MM-DD, fx 2013-05-29)",
    ]


def test_every_command_that_acts_as_of_a_day_calls_it_as_of() -> None:
    for name, command in get_command(app).commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--today" not in {o for p in command.params if not p.hidden for o in getattr(p, "opts", [])}, name
        if name in ("build", "publish", "status", "pack", "minutes", "calendar"):
            assert "--as-of" in options, name


@pytest.mark.parametrize("command", [*LEAVES, "new"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert re.search(r"^  Eksemp(el|ler):$", result.output, flags=re.M) and f"councilbook {command}" in result.output
    if command.split()[0] not in ("calendar", "new", "tables", "portal"):  # these need no data
        assert "--data" in result.output
    if command not in ("sample", "new", "tables"):  # tables reads the API only
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


@pytest.mark.slow
def test_project_is_given_from_another_working_folder(tmp_path: Path) -> None:
    """``councilbook --project MAPPE``: the project is that folder wherever the command runs from. Relative
    --params, --data and --out are taken from it, what the command keeps (the validated project, the status
    notebook and page) lands in it, and the report's kernel works in it; nothing is written where it ran."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(MINI, project / "council")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    councilbook = [sys.executable, "-m", "councilbook", "--project", "../project"]  # relative to the working folder
    council = ["--params", "council/parameters", "--data", "council/data"]
    done = subprocess.run([*councilbook, "validate", *council], cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"OK: {project.resolve()}/council/parameters (2 kontrakter, 3 møder")
    assert list((project / "_build/cache/projects").glob("*.pickle"))  # kept in the project for what follows
    done = subprocess.run(
        [*councilbook, "status", *council, "--meeting", "2021-06-16", "--json", "--out", "status"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["notebook"] == f"{project.resolve()}/status/status-2021-06-16.ipynb"
    assert (project / "status/status-2021-06-16.html").is_file()
    assert list(elsewhere.iterdir()) == []
    # Without --project, the working folder is the project: here it is none, and the command says so.
    done = subprocess.run(
        [sys.executable, "-m", "councilbook", "status", "--params", "../project/council/parameters"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "er ikke en projektmappe til councilbook" in done.stderr, done.stderr


def test_project_that_is_no_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--project", str(tmp_path / "nowhere"), "validate", *MINI_ARGS])
    assert result.exit_code == 2
    assert result.stderr.endswith("nowhere er ikke en mappe; angiv mappen, hvor _config.yml ligger.\n")
    assert "--project MAPPE" in runner.invoke(app, ["--help"]).output


@pytest.mark.slow
def test_status_json(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--project", str(ROOT), "status", *MINI_ARGS, "--meeting", "2021-06-16", "--json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    project = load_project(MINI / "parameters", MINI / "data")
    expected = compute_meeting_status(
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


def _rows_in_blocks(lines: list[str]) -> list[list[str]]:
    """The rows of a table printed in blocks (table_in_blocks): a title line, then the cells in the columns the
    rule under the headers marks, each cell's wrapped lines joined again."""
    rule = next(line for line in lines if line.startswith("─"))
    spans = [(m.start(), m.end()) for m in re.finditer("─+", rule)]
    body = "\n".join(lines[lines.index(rule) + 1 :]).strip().split("\n\n")
    rows = []
    for block in body:
        title, *cells = block.splitlines()
        rows.append([title] + [" ".join(c[a:b].strip() for c in cells if c[a:b].strip()) for a, b in spans])
    return rows


@pytest.mark.slow
def test_status_terminal_table_shows_what_the_page_shows(tmp_path: Path) -> None:
    """Point 12: the terminal shows every column of the HTML table with the same values (the change of the
    forecast since the previous meeting included): as a table a row a line where it fits, in an 80-column
    terminal as a table in blocks (a goal's title over its figures), and as cards where even that does not fit."""
    args = ["status", *MINI_ARGS, "--meeting", "2021-11-03", "--out", str(tmp_path)]
    html_rows = None
    for columns in ("250", "80", "40"):
        result = runner.invoke(app, ["--project", str(ROOT), *args], env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        lines = [line for line in result.stdout.splitlines()[2:] if not line.startswith(("Notesbog:", "HTML:"))]
        if columns != "40":  # paths aside, nothing wider than the terminal (cards are the last resort)
            assert max(len(line) for line in lines) <= int(columns)
        html_rows = html_rows or _html_status_rows((tmp_path / "status-2021-11-03.html").read_text(encoding="utf-8"))
        if columns == "250":
            rows = [[c.strip() for c in line.strip("│").split("│")] for line in lines if line.startswith("│")]
        elif columns == "80":
            assert not any(line.startswith("│") for line in lines)
            rows = _rows_in_blocks(lines)
        else:
            cards = "\n".join(lines).strip().split("\n\n")
            rows = [[card.splitlines()[0]] + [line[30:] for line in card.splitlines()[1:]] for card in cards]
        assert rows == html_rows, columns
    assert html_rows is not None and all(row[-1] != "–" for row in html_rows)  # same contract as last meeting


def test_the_sample_status_table_fits_80_columns_as_a_table() -> None:
    """The sample council's four goals at a rich Console of 80 columns: blocks, not cards."""
    import io
    from datetime import date

    from rich.console import Console

    from councilbook.table_layout import table_in_blocks
    from councilbook.text import present

    project = load_project(ROOT / "parameters", ROOT / "data/sample")
    status = compute_meeting_status(project.params, project.dataset, project.params.meeting_on(date(2013, 5, 29)))
    table = present.meeting_status_table(status, "")
    console = Console(file=io.StringIO(), width=80)
    lines = table_in_blocks(table, console.width)
    assert lines is not None and max(len(line) for line in lines) <= 80
    assert _rows_in_blocks(lines) == [[cell.replace("\u2060", "") for cell in row] for row in table.rows]


@pytest.mark.slow
def test_status_table_for_the_next_meeting(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--project",
            str(ROOT),
            "status",
            *MINI_ARGS,
            "--as-of",
            "2021-06-01",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Temamøde 16. juni 2021", "Status for kontrakten 2021 med tal til og med april 2021"]
    assert "Ledigheden skal ned" in result.stdout and "Status" in result.stdout
    assert lines[-2].startswith("Notesbog:") and lines[-2].endswith("status-2021-06-16.ipynb")
    assert lines[-1].startswith("HTML:") and lines[-1].endswith("status-2021-06-16.html")


@pytest.mark.slow
def test_status_after_the_last_meeting_takes_the_latest(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--project",
            str(ROOT),
            "status",
            *MINI_ARGS,
            "--as-of",
            "2030-01-01",
            "--json",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meeting"] == "2021-11-03"


def test_status_unknown_meeting() -> None:
    result = runner.invoke(app, ["--project", str(ROOT), "status", *MINI_ARGS, "--meeting", "2021-06-17"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Der er intet møde den 17. juni 2021 i parametrene (møderne er 2021: 10. februar, 16. juni og 3. november); "
        "tilføj det med: councilbook new meeting 2021-06-17 --kind ordinary"
    )


@pytest.mark.slow
def test_status_says_when_the_data_stop_before_the_meeting(tmp_path: Path) -> None:
    """A meeting whose figures run past the data: the missing months are named, with what to do."""
    params = tmp_path / "parameters"
    shutil.copytree(MINI / "parameters", params)
    for command in (["new", "contract", "2022"], ["new", "meeting", "2022-03-16", "--kind", "ordinary"]):
        result = runner.invoke(app, ["--project", str(ROOT), *command, "--params", str(params)])
        assert result.exit_code == 0, result.output + result.stderr
    args = ["status", "--params", str(params), "--data", str(MINI / "data"), "--meeting", "2022-03-16"]
    result = runner.invoke(app, ["--project", str(ROOT), *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == (
        "Bemærk: tallene slutter i december 2021, men tallene til dette møde går til og med januar 2022, så de "
        "måneder vises som manglende. Tilføj dem (councilbook fetch, eller nye eksporter fra jobindsats.dk i "
        "tests/fixtures/mini/data), og kør så kommandoen igen."
    )


@pytest.mark.parametrize(
    ("council", "day"),
    [("mini", "2021-06-16"), ("mini", "2021-11-03"), ("sample", "2013-05-29"), ("sample", "2013-02-20")],
)
def test_the_first_answer_is_the_table_the_report_shows(council: str, day: str) -> None:
    """`status` prints its table from compute_meeting_goals (the goals and the previous forecasts only, a fraction
    of the time): the same rows as from the whole status the report is made of."""
    from datetime import date

    from councilbook.text import present

    params, data = (
        (MINI / "parameters", MINI / "data") if council == "mini" else (ROOT / "parameters", ROOT / "data/sample")
    )
    project = load_project(params, data)
    meeting = project.params.meeting_on(date.fromisoformat(day))
    whole = compute_meeting_status(project.params, project.dataset, meeting)
    quick = compute_meeting_goals(project.params, project.dataset, meeting)
    assert present.meeting_status_table(quick, "") == present.meeting_status_table(whole, "")


def test_readme_layout_names_every_module() -> None:
    """The README's layout table names every module of every stage (so the map does not drift from the code)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)/` \| (.*)\|$", readme, flags=re.M))
    package = ROOT / "src/councilbook"
    stages = [d for d in sorted(package.iterdir()) if d.is_dir() and (d / "__init__.py").is_file()]
    missing = [
        f"{stage.name}/{module.stem}"
        for stage in stages
        for module in sorted(stage.glob("*.py"))
        if module.stem != "__init__" and f"`{module.stem}`" not in rows.get(stage.name, "")
    ]
    assert not missing, missing
