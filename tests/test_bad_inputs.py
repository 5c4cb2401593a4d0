"""Hostile and broken inputs: each one is named (file, and line, field or cell) with what to do, the
command exits 2, and nothing is run. Every case plants one fault in a copy of the sample project and
runs `councilbook validate` and `councilbook build` as a user would (in-process, as test_cli does)."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI
from typer.testing import CliRunner, Result

from councilbook.cli import app
from councilbook.core.errors import Problem, display_path
from councilbook.data.areas import AreaIndex
from councilbook.data.ingest import DataSource, ReadContext, read_data_file
from councilbook.parameters.load import load_parameters
from councilbook.parameters.yaml_reading import MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_DEPTH, read_yaml
from councilbook.project.load import check_parameters

runner = CliRunner()
ARGS = ["--params", "parameters", "--data", "data/sample"]
SAVE_AS_UTF8 = "gem den som CSV UTF-8 (i Excel: Gem som, »CSV UTF-8«)"
SAVE_OR_EXPORT = f"{SAVE_AS_UTF8}, eller hent den fra jobindsats.dk igen"
NOT_FINITE = "er ikke et endeligt tal; skriv et almindeligt tal (fx 9500 eller 12.5)"
SAVE_YAML_AS_UTF8 = "gem den som UTF-8 (i editorens »Gem som« eller dens indstilling for tegnsæt)"
NOT_A_DATE = "er ikke en dato; en dato skrives ÅÅÅÅ-MM-DD, fx 2013-03-20"
TOO_LARGE = "er for stort til at være et tal (højst 1.000.000.000.000.000); tjek tallet"
TOO_DEEP = "lister og nøgler ligger mere end 50 niveauer inde i hinanden; tjek parenteserne og indrykningen"


@pytest.fixture
def project(project_copy: Path) -> Path:
    """A copy of the project (sample parameters and data), given to the commands as --project."""
    return project_copy


def run(project: Path, command: str) -> Result:
    """``councilbook --project PROJECT COMMAND --params parameters --data data/sample``; its output shows the
    files as from the project folder (:func:`as_given`)."""
    return runner.invoke(app, ["--project", str(project), command, *ARGS])


def as_given(text: str, project: Path) -> str:
    """``text`` with the project folder left out of the paths it shows: as a user in that folder reads it."""
    return text.replace(f"{display_path(project)}/", "")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_shown(stderr: str) -> list[str]:
    """The problems as the CLI lists them, between its first and last line."""
    lines = stderr.splitlines()
    count = len(lines) - 2
    assert lines[0] == f"{count} {'problem' if count == 1 else 'problemer'} at rette; intet er kørt:", stderr
    assert lines[-1] == "Ret hvert problem, der hvor det står, og kør så kommandoen igen.", stderr
    return [line.strip() for line in lines[1:-1]]


def assert_refused(project: Path, *expected: str, exact: bool = True) -> None:
    """`validate` and `build` exit 2 listing the ``expected`` problems (``exact``: and nothing that
    follows from them), with no traceback, and build makes nothing."""
    result = run(project, "validate")
    assert result.exit_code == 2, (result.exception, result.output)
    assert "Traceback" not in result.output
    shown = problems_shown(as_given(result.stderr, project))  # by file, then by line and column
    assert sorted(shown) == sorted(expected) if exact else set(expected) <= set(shown), "\n".join(shown)
    result = run(project, "build")
    assert result.exit_code == 2, (result.exception, result.output)
    assert "Traceback" not in result.output
    assert problems_shown(as_given(result.stderr, project).split(" ...\n", 1)[-1]) == shown  # after the stage line
    for output in ("_build", "book/generated", "data/processed"):
        assert not (project / output).exists(), f"{output} was made"


# ---------------------------------------------------------------------------
# YAML: limits on size, nesting and aliases
# ---------------------------------------------------------------------------

EVALUATION = "parameters/evaluations/2013.yml"


def _alias_bomb() -> str:
    """Nine levels of nine aliases each: 9^9 (387 million) strings when expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def _plant_in_evaluation(project: Path, text: str) -> int:
    """Put ``text`` under a new key `extra` at the end of the evaluation; the line it starts on."""
    path = project / EVALUATION
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "extra:\n" + "".join(f"  {line}\n" for line in text.splitlines()), encoding="utf-8")
    return len(before.splitlines()) + 2


def test_alias_bomb_is_refused_fast(project: Path) -> None:
    first = _plant_in_evaluation(project, _alias_bomb())
    started = time.perf_counter()
    assert_refused(
        project,
        f"{EVALUATION}, linje {first + 4}, kolonne 10: filens aliasser (*d og andre) gentager mere end 10.000 "
        "værdier; skriv værdierne ud i stedet for at lægge aliasser i hinanden",
    )
    assert time.perf_counter() - started < 20  # validate and build, each reading the sample's data


YAML_LIMITS: dict[str, tuple[str, Callable[[int], str]]] = {
    "10,000 nested [": (
        "[" * 10_000,
        lambda line: f"{EVALUATION}, linje {line}, kolonne {MAX_YAML_DEPTH + 3}: {TOO_DEEP}",
    ),
    "deep block nesting": (
        "- " * 5_000 + "x",
        lambda line: f"{EVALUATION}, linje {line}, kolonne {2 * MAX_YAML_DEPTH + 1}: {TOO_DEEP}",
    ),
    "nesting deep through an alias": (
        "a: &a " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 20 + "*a" + "]" * 20,
        lambda line: f"{EVALUATION}, linje {line + 1}, kolonne 26: {TOO_DEEP}",
    ),
    "too many aliases": (
        "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_YAML_ALIASES + 1)) + "]",
        lambda line: (
            f"{EVALUATION}, linje {line + 1}, kolonne {6 + 4 * MAX_YAML_ALIASES + 1}: filen bruger mere end "
            f"{MAX_YAML_ALIASES} aliasser (*a og andre); skriv værdierne ud i stedet"
        ),
    ),
    "an alias inside what it repeats": (
        "a: &a [1, *a]",
        lambda line: (
            f"{EVALUATION}, linje {line}, kolonne 13: aliasset *a står inde i den værdi, det gentager, så det ender "
            "aldrig; skriv værdierne ud i stedet"
        ),
    ),
    "a list as a key": (
        "? [a, b]\n: 1",
        lambda line: (
            f"{EVALUATION}, linje {line}, kolonne 5: en nøgle er en liste eller en samling nøgler; en nøgle skal være "
            "et navn"
        ),
    ),
    "a number of 5,000 digits": (
        "a: " + "1" * 5_000,
        lambda line: (
            f"{EVALUATION}, linje {line}, kolonne 6: tallet 111111111111... har 5.000 cifre; skriv et tal af "
            "almindelig størrelse"
        ),
    ),
}


@pytest.mark.parametrize("kind", sorted(YAML_LIMITS))
def test_yaml_past_a_limit_is_refused(kind: str, project: Path) -> None:
    text, message = YAML_LIMITS[kind]
    started = time.perf_counter()
    line = _plant_in_evaluation(project, text)
    assert_refused(project, message(line))
    assert time.perf_counter() - started < 20


def test_parameter_file_larger_than_the_limit(project: Path) -> None:
    path = project / "parameters/meetings/2013.yml"
    with path.open("a", encoding="utf-8") as stream:
        stream.write(("# " + "x" * 98 + "\n") * (MAX_YAML_BYTES // 100 + 1))
    assert_refused(
        project,
        f"parameters/meetings/2013.yml: filen fylder {path.stat().st_size:,} bytes".replace(",", ".")
        + ", og councilbook læser YAML-filer på højst 1.000.000 bytes; er det den rigtige fil?",
    )


def test_read_yaml_limits_without_the_command(tmp_path: Path) -> None:
    """The reader itself: fast on the worst a 1 MB file can hold, and fine just under the limits."""
    cases = {
        "brackets.yml": "[" * (MAX_YAML_BYTES - 1),
        "braces.yml": "{" * (MAX_YAML_BYTES - 1),
        "bomb.yml": _alias_bomb(),
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        problems: list[Problem] = []
        started = time.perf_counter()
        tracemalloc.start()
        try:
            assert read_yaml(tmp_path / name, problems) is None
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert time.perf_counter() - started < 2 and len(problems) == 1, (name, problems)
        assert peak < 50_000_000, (name, peak)  # the bomb expanded would be gigabytes
    (tmp_path / "fine.yml").write_text(
        "a: &a [1, 2]\nb: [*a, *a]\nc: " + "[" * (MAX_YAML_DEPTH - 1) + "]" * (MAX_YAML_DEPTH - 1), encoding="utf-8"
    )
    problems = []
    data = read_yaml(tmp_path / "fine.yml", problems)
    assert problems == [] and data["b"] == [[1, 2], [1, 2]]


# ---------------------------------------------------------------------------
# YAML syntax errors: what to do, at the line and column
# ---------------------------------------------------------------------------

INDENT_KEYS = "ret indrykningen, så nøglerne i samme afsnit står lige under hinanden"
YAML_SYNTAX: dict[str, tuple[str, str, str]] = {
    # (text in the evaluation, the text that breaks it, the message)
    "a colon and a space in an unquoted text": (
        "title: Evaluering 2013 af",
        "title: Evaluering 2013: om",
        f"{EVALUATION}, linje 4, kolonne 23: teksten indeholder et kolon med mellemrum efter (»: «), og uden "
        'anførselstegn læses det som en ny nøgle; sæt teksten i anførselstegn (skriv title: "Evaluering 2013: om '
        'rådets arbejde og kontrakten for 2012")',
    ),
    "a tab for indentation": (
        "  - Rådet har holdt",
        "\t- Rådet har holdt",
        f"{EVALUATION}, linje 7, kolonne 1: der står en tabulator (tab) her; YAML rykker kun ind med mellemrum: "
        "erstat tabulatoren med mellemrum",
    ),
    "a quote never closed": (
        "title: Evaluering 2013 af rådets arbejde og kontrakten for 2012",
        'title: "Evaluering 2013 af rådets arbejde og kontrakten for 2012',
        f'{EVALUATION}, linje 4, kolonne 8: anførselstegnet " her lukkes aldrig; skriv det afsluttende " i '
        "slutningen af teksten",
    ),
    "a key indented further than the one above": (
        "covers: 2012",
        "  covers: 2012",
        f"{EVALUATION}, linje 5, kolonne 3: linjen er rykket længere ind end linjerne over den, så nøglen læses som "
        f"en del af teksten i linjen før; {INDENT_KEYS}",
    ),
    "a list line indented less than the one above": (
        "  - Rådet vil fortsat",
        " - Rådet vil fortsat",
        f"{EVALUATION}, linje 8, kolonne 2: listelinjen er rykket anderledes ind end de andre linjer i samme liste; "
        "ret indrykningen (kun mellemrum), så bindestregerne (-) står lige under hinanden",
    ),
    "a key line indented less than the one above": (
        "conclusions:\n  - Rådet har",
        "conclusions:\n  - Rådet har holdt\n  title: x\n - Rådet har",
        f"{EVALUATION}, linje 8, kolonne 3: indrykningen passer ikke: linjen er rykket anderledes ind end linjerne i "
        "samme afsnit over den; ret indrykningen (kun mellemrum), så nøglerne i samme afsnit står lige under hinanden",
    ),
}


@pytest.mark.parametrize("kind", sorted(YAML_SYNTAX))
def test_yaml_syntax_error_says_what_to_do_where(kind: str, project: Path) -> None:
    """A real file with the fault: `validate` and `build` name its line and column and what to change."""
    old, new, message = YAML_SYNTAX[kind]
    edit(project / EVALUATION, old, new)
    assert_refused(project, message)


# ---------------------------------------------------------------------------
# Parameter files that hold nothing, years written twice, dates and numbers
# ---------------------------------------------------------------------------


def _dates_not_iso(project: Path) -> None:
    """A number of seconds (signed: 0 would be 1 January 1970), as YAML or as text, a time, a number."""
    contract = project / "parameters/contracts/2013.yml"
    edit(contract, "signed: 2013-03-20", "signed: 0")
    edit(contract, "published: 2013-03-27", 'published: "1364342400"')
    edit(project / EVALUATION, "date: 2013-09-18", "date: 2013-09-18T00:00:00")
    edit(project / "parameters/meetings/2013.yml", "date: 2013-02-20", "date: 20130220")


def _other_numbers_not_finite(project: Path) -> None:
    edit(project / "parameters/contracts/2013.yml", "percent: -10}", "percent: -.inf}")
    council = project / "parameters/council.yml"
    edit(council, "status_tolerance_pct: 2.0", "status_tolerance_pct: .nan")
    edit(council, "data_publication_lag_days: 40", "data_publication_lag_days: .inf")


PARAMETER_FAULTS: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "meetings file with only a comment": (
        lambda p: (p / "parameters/meetings/2013.yml").write_text("# the meetings come later\n", encoding="utf-8"),
        [
            "parameters/meetings/2013.yml: filen har kun kommentarer (eller ~), så intet i den bliver læst; skriv "
            "året (year) og møderne (meetings) i den, eller slet filen"
        ],
    ),
    "evaluation that is ~": (
        lambda p: (p / EVALUATION).write_text("~\n", encoding="utf-8"),
        [
            f"{EVALUATION}: filen har kun kommentarer (eller ~), så intet i den bliver læst; skriv evalueringen i den, "
            "eller slet filen"
        ],
    ),
    "measures.yml with only comments": (
        lambda p: (p / "parameters/measures.yml").write_text("# measures:\n#  - id: x\n", encoding="utf-8"),
        [
            "parameters/measures.yml: filen har kun kommentarer (eller ~), så intet i den bliver læst; skriv dens "
            "nøgler (se eksemplerne i parameters/)"
        ],
    ),
    "measures.yml with no measures": (
        lambda p: (p / "parameters/measures.yml").write_text("measures: []\n", encoding="utf-8"),
        ["parameters/measures.yml, linje 1, kolonne 11: measures: må ikke være tom"],
    ),
    "contract as .yml and .yaml": (
        lambda p: (p / "parameters/contracts/2013.yaml").write_bytes(
            (p / "parameters/contracts/2013.yml").read_bytes()
        ),
        [
            "parameters/contracts/2013.yaml: parameters/contracts/2013.yml findes også, og et år har én fil: behold "
            "den ene af de to, og slet den anden"
        ],
    ),
    "dates that are not YYYY-MM-DD (signed: 0)": (
        _dates_not_iso,
        [
            f"parameters/contracts/2013.yml, linje 7, kolonne 9: signed: 0 {NOT_A_DATE}",
            f"parameters/contracts/2013.yml, linje 8, kolonne 12: published: '1364342400' {NOT_A_DATE}",
            f"{EVALUATION}, linje 3, kolonne 7: date: '2013-09-18T00:00:00' {NOT_A_DATE}",
            f"parameters/meetings/2013.yml, linje 10, kolonne 11: 1. møde (meetings[0].date): 20130220 {NOT_A_DATE}",
        ],
    ),
    "level target .inf": (
        lambda p: edit(p / "parameters/contracts/2013.yml", "value: 9000,", "value: .inf,"),
        [f"parameters/contracts/2013.yml, linje 51, kolonne 34: 3. mål (goals[2].target.value): .inf {NOT_FINITE}"],
    ),
    "level target .nan": (
        lambda p: edit(p / "parameters/contracts/2013.yml", "value: 9000,", "value: .nan,"),
        [f"parameters/contracts/2013.yml, linje 51, kolonne 34: 3. mål (goals[2].target.value): .nan {NOT_FINITE}"],
    ),
    "level target past the largest figure": (
        lambda p: edit(p / "parameters/contracts/2013.yml", "value: 9000,", "value: 1.0e+300,"),
        [
            "parameters/contracts/2013.yml, linje 51, kolonne 34: 3. mål (goals[2].target.value): 1e+300 er for stort: "
            "skal være højst 1.000.000.000.000.000"
        ],
    ),
    "-.inf and .nan in other numbers": (
        _other_numbers_not_finite,
        [
            "parameters/contracts/2013.yml, linje 38, kolonne 37: 2. mål (goals[1].target.percent): "
            f"-.inf {NOT_FINITE}",
            f"parameters/council.yml, linje 73, kolonne 23: status_tolerance_pct: .nan {NOT_FINITE}",
            f"parameters/council.yml, linje 72, kolonne 28: data_publication_lag_days: .inf {NOT_FINITE}",
        ],
    ),
    "parameter file that is not UTF-8": (
        lambda p: (p / EVALUATION).write_bytes(
            (p / EVALUATION).read_bytes().replace("Rådet".encode(), "Rådet".encode("cp1252"), 1)
        ),
        [f"{EVALUATION}, linje 7: filen er ikke UTF-8-tekst (byte nr. 212 kan ikke læses); {SAVE_YAML_AS_UTF8}"],
    ),
}


# Without measures the Excel sheets cannot be matched to measures either, and that is said too.
FOLLOWED_BY_DATA_PROBLEMS = {"measures.yml with only comments", "measures.yml with no measures"}


@pytest.mark.parametrize("kind", sorted(PARAMETER_FAULTS))
def test_parameter_fault_is_named(kind: str, project: Path) -> None:
    plant, expected = PARAMETER_FAULTS[kind]
    plant(project)
    assert_refused(project, *expected, exact=kind not in FOLLOWED_BY_DATA_PROBLEMS)


@pytest.mark.parametrize("text", ["", "\n\n", "# a comment\n", "~\n", "null\n", "--- # a document of nothing\n"])
def test_a_file_of_a_year_that_holds_nothing_is_never_silently_left_out(text: str, project: Path) -> None:
    """Without the message the year's meetings would just be missing from the book (the parameters
    alone: `validate` checks them first, as test_parameter_fault_is_named shows)."""
    (project / "parameters/meetings/2013.yml").write_text(text, encoding="utf-8")
    _params, problems = check_parameters(project / "parameters")
    what = "skriv året (year) og møderne (meetings) i den, eller slet filen"
    assert [as_given(str(p), project) for p in problems] == [
        f"parameters/meetings/2013.yml: filen er tom; {what}"
        if not text.strip()
        else f"parameters/meetings/2013.yml: filen har kun kommentarer (eller ~), så intet i den bliver læst; {what}"
    ]


def test_dates_as_python_dates_still_work() -> None:
    """Code that builds a meeting from a date (scope, compute) is not hit by the YYYY-MM-DD rule."""
    from datetime import date

    from councilbook.parameters.meetings import Meeting

    assert Meeting(date=date(2013, 5, 29), kind="ordinary", title="Møde").date == date(2013, 5, 29)
    assert Meeting.model_validate({"date": " 2013-05-29 ", "kind": "ordinary", "title": "M"}).slug == "2013-05-29"


# ---------------------------------------------------------------------------
# Data files
# ---------------------------------------------------------------------------

DATA = "data/sample"
TIDY_HEADER = "measure,area,area_name,period,value\n"
EXPORT_HEAD = "Jobindsats.dk\nTabel: Langtidsledige (Y25I09)\n\nOmråde;2013M01\n"


def _set_excel_cell(project: Path, cell: str, value: object) -> None:
    from openpyxl import load_workbook

    path = project / DATA / "jobindsats_sample.xlsx"
    workbook = load_workbook(path)
    workbook["Y25I09"][cell] = value
    workbook.save(path)


def _datasource_not_utf8(project: Path) -> None:
    (project / DATA / "datasource.yml").write_bytes("title: Tal for Øresund\n".encode("cp1252"))


DATA_FAULTS: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "CSV in UTF-16 with BOM": (
        lambda p: (p / DATA / "extra.csv").write_text(TIDY_HEADER + "langtidsledige,101,,2013M01,5\n", "utf-16"),
        [f"{DATA}/extra.csv: filen er UTF-16-tekst, ikke UTF-8 eller Windows-1252; {SAVE_OR_EXPORT}"],
    ),
    "CSV in UTF-16 without BOM": (
        lambda p: (p / DATA / "extra.csv").write_text(EXPORT_HEAD, "utf-16-le"),
        [
            f"{DATA}/extra.csv, linje 1: filen har NUL-tegn, så den er ikke CSV-tekst (UTF-16 uden BOM, eller slet "
            f"ikke tekst); {SAVE_OR_EXPORT}"
        ],
    ),
    "CSV export neither UTF-8 nor Windows-1252": (
        lambda p: (p / DATA / "extra.csv").write_bytes(EXPORT_HEAD.encode("cp1252") + b"K\xf8benhavn;1\x81\n"),
        [
            f"{DATA}/extra.csv, linje 5: filen er hverken UTF-8- eller Windows-1252-tekst (byte nr. 73, 0x81, findes "
            f"i ingen af dem); {SAVE_OR_EXPORT}"
        ],
    ),
    "tidy CSV not UTF-8": (
        lambda p: (p / DATA / "extra.csv").write_bytes(
            TIDY_HEADER.encode() + b"langtidsledige,101,K\xf8benhavn,2013M01,5\n"
        ),
        [f"{DATA}/extra.csv, linje 2: filen er ikke UTF-8-tekst (byte nr. 57 kan ikke læses); {SAVE_AS_UTF8}"],
    ),
    "CSV with a quote never closed": (
        lambda p: (p / DATA / "extra.csv").write_text(
            EXPORT_HEAD + 'København;"12\n' + "x" * 140_000 + "\n", encoding="utf-8"
        ),
        [f'{DATA}/extra.csv, linje 6: filen kan ikke læses som CSV her; tjek, om et anførselstegn (") ikke er lukket'],
    ),
    "folder named extra.csv": (
        lambda p: (p / DATA / "extra.csv").mkdir(),
        [f"{DATA}/extra.csv: det er en mappe, ikke en datafil; omdøb den, eller flyt den ud af datamappen"],
    ),
    "datasource.yml that is a list": (
        lambda p: (p / DATA / "datasource.yml").write_text("- title: Data\n- sample: true\n", encoding="utf-8"),
        [
            f"{DATA}/datasource.yml: skal være nøgler med værdier (fetched:, ignore_unknown_areas:, sample:, source:, "
            "title:), ikke en liste"
        ],
    ),
    "datasource.yml not UTF-8": (
        _datasource_not_utf8,
        [
            f"{DATA}/datasource.yml, linje 1: filen er ikke UTF-8-tekst (byte nr. 16 kan ikke læses); "
            + SAVE_YAML_AS_UTF8
        ],
    ),
    "datasource.yml alias bomb": (
        lambda p: (p / DATA / "datasource.yml").write_text(_alias_bomb(), encoding="utf-8"),
        [
            f"{DATA}/datasource.yml, linje 5, kolonne 8: filens aliasser (*d og andre) gentager mere end 10.000 "
            "værdier; skriv værdierne ud i stedet for at lægge aliasser i hinanden"
        ],
    ),
    "datasource.yml title a list": (
        lambda p: (p / DATA / "datasource.yml").write_text("title: [a, b]\n", encoding="utf-8"),
        [f"{DATA}/datasource.yml, linje 1, kolonne 8: title: ['a', 'b'] skal være en tekst"],
    ),
    "Excel formula without a saved value": (
        lambda p: _set_excel_cell(p, "C8", "=B8+1"),
        [
            f"{DATA}/jobindsats_sample.xlsx: Y25I09!C8: cellen har en formel uden gemt værdi: åbn filen i Excel, og "
            "gem den, eller hent den igen"
        ],
    ),
    "Excel number past the largest figure": (
        lambda p: _set_excel_cell(p, "C8", 1e300),
        [f"{DATA}/jobindsats_sample.xlsx: Y25I09!C8: '1e+300' {TOO_LARGE}"],
    ),
    "tidy CSV number read as infinity": (
        lambda p: (p / DATA / "extra.csv").write_text(
            TIDY_HEADER + "langtidsledige,101,,2013M01," + "9" * 400 + "\n", encoding="utf-8"
        ),
        [f"{DATA}/extra.csv: række 2: value: '999999999999999999999999999999... (400 tegn)' {TOO_LARGE}"],
    ),
    "CSV export number too large": (
        lambda p: (p / DATA / "extra.csv").write_text(
            EXPORT_HEAD + "København;1.000.000.000.000.000.000\n", encoding="utf-8"
        ),
        [f"{DATA}/extra.csv: række 5, kolonne 2: '1.000.000.000.000.000.000' {TOO_LARGE}"],
    ),
}


@pytest.mark.parametrize("kind", sorted(DATA_FAULTS))
def test_data_fault_is_named(kind: str, project: Path) -> None:
    plant, expected = DATA_FAULTS[kind]
    plant(project)
    assert_refused(project, *expected)


def test_empty_excel_cells_keep_their_column(tmp_path: Path) -> None:
    """An empty cell inside a row (absent from the file, as Excel writes it) does not move the cells
    after it one column left, onto the wrong period."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ledige"
    sheet.append(["Ledige"])
    sheet.append([])
    sheet.append(["Område", "2021M01", "2021M02", "2021M03"])
    sheet["A4"], sheet["B4"], sheet["D4"] = "Nordby", 10, 30  # C4 is left out of the file
    path = tmp_path / "ledige.xlsx"
    workbook.save(path)
    params = load_parameters(MINI / "parameters")
    problems: list[Problem] = []
    context = ReadContext(AreaIndex.from_council(params.council), params.measures, DataSource(), problems)
    figures = read_data_file(path, context)
    assert problems == []
    assert [(f.period, f.value, f.where) for f in figures] == [
        ("2021M01", 10.0, "ledige!B4"),
        ("2021M02", None, "ledige!C4"),
        ("2021M03", 30.0, "ledige!D4"),
    ]


def test_the_sample_still_validates(project: Path) -> None:
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert as_given(result.stdout, project).startswith(
        "OK: parameters (2 kontrakter, 12 møder, 1 evaluering, 44 jobcentre)"
    )
