"""Readers: hand-made files that look like real jobindsats downloads, read to exact tidy values;
and every data problem named with its file, row or cell, and value."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.core.errors import InputError, Problem, display_path
from councilbook.data.areas import AreaIndex, is_aggregate
from councilbook.data.ingest import DataSource, Figure, ReadContext, check_figures, parse_export_value, read_data_file
from councilbook.parameters.load import load_parameters
from councilbook.parameters.model import Measure
from councilbook.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "tests/fixtures/exports"
MINI = ROOT / "tests/fixtures/mini"
runner = CliRunner()


@pytest.fixture(scope="module")
def params():
    return load_parameters(MINI / "parameters")


def read(path: Path, params, **source) -> tuple[list[tuple], list[str]]:
    problems: list[Problem] = []
    context = ReadContext(AreaIndex.from_council(params.council), params.measures, DataSource(**source), problems)
    figures = read_data_file(path, context)
    return [(f.measure, f.area, f.period, f.value) for f in figures], [str(p) for p in problems]


def test_excel_with_periods_as_columns(params) -> None:
    figures, problems = read(EXPORTS / "ledige_perioder_som_kolonner.xlsx", params)
    assert problems == []
    assert figures == [
        ("ledige", "801", "2021M01", 1234.0),
        ("ledige", "801", "2021M02", 1201.0),
        ("ledige", "801", "2021M03", 1198.0),
        ("ledige", "802", "2021M01", 812.0),
        ("ledige", "802", "2021M02", None),
        ("ledige", "802", "2021M03", 790.0),
        ("ledige", "803", "2021M01", None),
        ("ledige", "803", "2021M02", 305.0),
        ("ledige", "803", "2021M03", None),
        ("ledige", "804", "2021M01", 210.0),
        ("ledige", "804", "2021M02", 207.0),
        ("ledige", "804", "2021M03", 199.0),
    ]


def test_excel_with_periods_as_rows_codes_and_a_job_centre(params) -> None:
    figures, problems = read(EXPORTS / "sygedagpenge_perioder_som_raekker.xlsx", params)
    assert problems == []
    assert figures == [
        ("sygedagpenge_lange", "801", "2021Q1", 12.0),
        ("sygedagpenge_lange", "802", "2021Q1", 9.0),
        ("sygedagpenge_lange", "jc:oestby-aaby", "2021Q1", 7.0),
        ("sygedagpenge_lange", "801", "2021Q2", 11.5),
        ("sygedagpenge_lange", "802", "2021Q2", 8.5),
        ("sygedagpenge_lange", "jc:oestby-aaby", "2021Q2", None),
    ]


CSV_FIGURES = [
    ("ledige", "801", "2021M04", 1190.0),
    ("ledige", "801", "2021M05", 1185.5),
    ("ledige", "801", "2021M06", None),
    ("ledige", "802", "2021M04", 780.0),
    ("ledige", "802", "2021M05", 775.0),
    ("ledige", "802", "2021M06", 770.0),
    ("ledige", "803", "2021M04", 300.0),
    ("ledige", "803", "2021M05", None),
    ("ledige", "803", "2021M06", 296.0),
    ("ledige", "804", "2021M04", 195.0),
    ("ledige", "804", "2021M05", 194.0),
    ("ledige", "804", "2021M06", 193.0),
]


@pytest.mark.parametrize("name", ["ledige_utf8_bom.csv", "ledige_utf8.csv", "ledige_windows1252.csv"])
def test_csv_exports_in_every_encoding(params, name: str) -> None:
    figures, problems = read(EXPORTS / name, params)
    assert problems == []
    assert figures == CSV_FIGURES


def test_tidy_csv_by_code_and_name(tmp_path: Path, params) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(
        "measure,area,period,value\n"
        "ledige,801,2021M01,10\n"
        "ledige,Sydby Kommune,2021M01,\n"
        "ledige,Jobcenter Østby-Åby,2021M01,3.5\n",
        encoding="utf-8",
    )
    figures, problems = read(path, params)
    assert problems == []
    assert figures == [
        ("ledige", "801", "2021M01", 10.0),
        ("ledige", "802", "2021M01", None),
        ("ledige", "jc:oestby-aaby", "2021M01", 3.5),
    ]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (1234, 1234.0),
        (12.5, 12.5),
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        (" 7 ", 7.0),
        ("-3", -3.0),
        ("..", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_export_values(raw, value) -> None:
    assert parse_export_value(raw) == value


@pytest.mark.parametrize("raw", ["12a", "1,234.5", "1.23", "abc"])
def test_export_values_that_are_not_numbers(raw) -> None:
    with pytest.raises(ValueError):
        parse_export_value(raw)


@pytest.mark.parametrize(
    "label",
    [
        "Hele landet",
        "Region Hovedstaden",
        "I alt",
        "Landsdel Østsjælland",
        "Beskæftigelsesregion Hovedstaden & Sjælland",
        "RAR Sjælland",
    ],
)
def test_aggregates(label: str) -> None:
    assert is_aggregate(label)


def test_area_matching(params) -> None:
    index = AreaIndex.from_council(params.council)
    assert index.match("801") == "801"
    assert index.match("0801") == "801"
    assert index.match("801 Nordby") == "801"
    assert index.match("NORDBY KOMMUNE") == "801"
    assert index.match("Jobcenter Nordby") == "801"  # a job centre of one municipality
    assert index.match("jobcenter østby-åby") == "jc:oestby-aaby"
    assert index.match("Oestby") is None  # æøå are kept as they are
    assert index.match("999") is None


def test_unknown_area_names_it_and_its_close_matches(tmp_path: Path, params) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text("measure,area,period,value\nledige,Nordbyy,2021M01,1\n", encoding="utf-8")
    _, problems = read(path, params)
    assert problems == [
        f"{path}: række 2: området 'Nordbyy' er hverken en af rådets kommuner eller et af dets jobcentre; mente du "
        "Nordby?"
    ]
    figures, problems = read(path, params, ignore_unknown_areas=True)
    assert figures == [] and problems == []


def test_bad_cells_are_named(tmp_path: Path, params) -> None:
    text = (
        (EXPORTS / "ledige_utf8.csv").read_text(encoding="utf-8").replace("780;", "78o;").replace("2021M06", "2021M13")
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    _, problems = read(path, params)
    assert problems == [
        f"{path}: række 5, kolonne 4: '2021M13' er ikke en periode (skriv et år som 2013, en måned som 2013M01 "
        "eller et kvartal som 2013Q1)",
        f"{path}: række 8, kolonne 2: '78o' er ikke et tal (og heller ikke et tegn for diskretion som ..)",
    ]


def test_unrecognised_table(tmp_path: Path, params) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Tabel: Noget andet (Z99Z99)\n\nOmråde;2021M01\nNordby;1\n", encoding="utf-8")
    _, problems = read(path, params)
    assert problems == [
        f"{path}: arket 'other': det kan ikke ses, hvilket nøgletal tabellen har (titel: 'Tabel: Noget andet "
        "(Z99Z99)'); giv et nøgletal i measures.yml `jobindsats: {table: Z99Z99}`, eller giv arket nøgletallets navn"
    ]


def test_check_figures() -> None:
    measures = {
        "antal": Measure(id="antal", label="Antal", unit="Personer", noun="antallet"),
        "andel": Measure(id="andel", label="Andel", unit="Procent", noun="andelen", kind="share"),
    }
    figures = [
        Figure("antal", "801", "2021M01", 5.0, "a.csv", "række 2"),
        Figure("antal", "801", "2021M01", 5.0, "a.csv", "række 3"),  # duplicate in one file
        Figure("antal", "801", "2021M01", 6.0, "b.csv", "række 2"),  # another file disagrees
        Figure("antal", "801", "2021M02", 5.0, "b.csv", "række 3"),
        Figure("antal", "801", "2021M02", 5.0, "c.csv", "række 2"),  # another file agrees: fine
        Figure("antal", "802", "2021M01", -1.0, "a.csv", "række 4"),
        Figure("andel", "801", "2021M01", 100.5, "a.csv", "række 5"),
        Figure("andel", "802", "2021M01", None, "a.csv", "række 6"),  # withheld: fine
    ]
    assert [str(p) for p in check_figures(figures, measures)] == [
        "a.csv: række 3: tallet for antal / 801 / 2021M01 står to gange (også i række 2)",
        "b.csv: række 2: antal / 801 / 2021M01 er 6 her, men 5 i a.csv (række 2)",
        "a.csv: række 4: antal er et antal og kan ikke være negativt: -1",
        "a.csv: række 5: andel er en andel og skal være mellem 0 og 100: 100,5",
    ]


@pytest.fixture
def here(mini: Path) -> Path:
    """The test council's folder: its problems are read as a user in that folder reads them (:func:`as_given`)."""
    return mini


def as_given(text: str, mini: Path) -> str:
    """``text`` with the council's folder left out of the paths it shows."""
    return text.replace(f"{display_path(mini)}/", "")


def problems_of(mini: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(mini / "parameters", mini / "data")
    return [as_given(str(p), mini) for p in caught.value.problems]


def drop_line(path: Path, prefix: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(prefix)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def test_month_missing_inside_a_goal_window(here: Path) -> None:
    drop_line(here / "data/figures.csv", "ledige,802,Sydby,2020M07,")
    assert problems_of(here) == [
        "data: ledige 2020M07: der er intet tal for Jobcenter Sydby (målet 'ledighed' i contracts/2020.yml skal "
        "bruge det); et tal skjult af diskretionshensyn skal stå i filen som .. eller tomt, ikke udelades"
    ]


def test_withheld_month_is_allowed_and_stays_missing(here: Path) -> None:
    path = here / "data/figures.csv"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("ledige,802,Sydby,2019M07,"))
    path.write_text(text.replace(line, "ledige,802,Sydby,2019M07,"), encoding="utf-8")
    project = load_project(here / "parameters", here / "data")
    import pandas as pd

    assert math.isnan(project.dataset.monthly[("ledige", "802", pd.Period("2019-07", freq="M"))])


def test_two_files_that_disagree(here: Path) -> None:
    shutil.copy(here / "data/figures.csv", here / "data/figures2.csv")
    path = here / "data/figures2.csv"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("ledige,801,Nordby,2021M03,"))
    path.write_text(text.replace(line, "ledige,801,Nordby,2021M03,1"), encoding="utf-8")
    problems = problems_of(here)
    assert len(problems) == 1
    assert (
        problems[0].startswith("data/figures2.csv: række ") and " ledige / 801 / 2021M03 er 1 her, men " in problems[0]
    )
    assert problems[0].endswith(" i data/figures.csv (række " + problems[0].split("række ")[1].split(":")[0] + ")")


def test_many_data_problems_at_once_and_nothing_built(project_copy: Path, mini: Path) -> None:
    path = mini / "data/figures.csv"
    text = path.read_text(encoding="utf-8")
    first = next(x for x in text.splitlines() if x.startswith("ledige,801,Nordby,2021M01,"))
    second = next(x for x in text.splitlines() if x.startswith("sygedagpenge_lange,803,Østby,2021M02,"))
    text = text.replace(first, "ledige,801,Nordby,2021M01,-5").replace(
        second, "sygedagpenge_lange,Østbyy,Østby,2021M02,3"
    )
    text += "ledige,801,Nordby,2021M1,3\nledige,804,Åby,2021M01,abc\n"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app,
        ["--project", str(project_copy), "build", "--params", str(mini / "parameters"), "--data", str(mini / "data")],
    )
    assert result.exit_code == 2
    stderr = result.stderr
    assert "ledige er et antal og kan ikke være negativt: -5" in stderr
    assert (
        "området 'Østbyy' er hverken en af rådets kommuner eller et af dets jobcentre; mente du Østby eller "
        "Jobcenter Østby-Åby?" in stderr
    )
    assert "'2021M1' er ikke en periode" in stderr
    assert "value: 'abc' er ikke et tal" in stderr
    assert not (project_copy / "book" / "generated").exists()
    assert not (project_copy / "_build").exists()


def _replace_figure(text: str, prefix: str, new_value: str) -> str:
    line = next(x for x in text.splitlines() if x.startswith(prefix))
    return text.replace(line, prefix + new_value)


DATA_ERRORS = {
    "duplicate": (
        lambda t: t + "ledige,801,Nordby,2021M03,5\n",
        "tallet for ledige / 801 / 2021M03 står to gange (også i række ",
    ),
    "negative count": (
        lambda t: _replace_figure(t, "ledige,802,Sydby,2021M02,", "-4"),
        "data/figures.csv: række 87: ledige er et antal og kan ikke være negativt: -4",
    ),
    "share outside 0-100": (
        lambda t: _replace_figure(t, "rv_ufaglaerte_pct,801,Nordby,2020,", "104.5"),
        "rv_ufaglaerte_pct er en andel og skal være mellem 0 og 100: 104,5",
    ),
    "missing month": (
        lambda t: "".join(
            x + "\n" for x in t.splitlines() if not x.startswith("sygedagpenge_lange,801,Nordby,2020M05,")
        ),
        "data: sygedagpenge_lange 2020M05: der er intet tal for Jobcenter Nordby (målet 'sygedagpenge' i "
        "contracts/2020.yml skal bruge det)",
    ),
    "measure no file has": (
        lambda t: "".join(x + "\n" for x in t.splitlines() if not x.startswith("sygedagpenge_lange,")),
        "2. mål (goals[1].measure): nøgletallet 'sygedagpenge_lange' findes ikke i datamappen (data)",
    ),
    "period that is not a period": (
        lambda t: t + "ledige,801,Nordby,2021-03,5\n",
        "'2021-03' er ikke en periode (skriv et år som 2013, en måned som 2013M01 eller et kvartal som 2013Q1)",
    ),
    "not a number": (
        lambda t: _replace_figure(t, "ledige,803,Østby,2021M01,", "1.2.3"),
        "value: '1.2.3' er ikke et tal",
    ),
}


@pytest.mark.parametrize("kind", sorted(DATA_ERRORS))
def test_each_data_error_is_named_and_nothing_is_built(kind: str, project_copy: Path, mini: Path) -> None:
    change, message = DATA_ERRORS[kind]
    path = mini / "data/figures.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(app, ["--project", str(mini), "validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 2
    assert message in as_given(result.stderr, mini), result.stderr
    result = runner.invoke(
        app,
        ["--project", str(project_copy), "build", "--params", str(mini / "parameters"), "--data", str(mini / "data")],
    )
    assert result.exit_code == 2
    assert not (project_copy / "book" / "generated").exists() and not (project_copy / "_build").exists()


def test_two_files_disagree_via_the_command(mini: Path) -> None:
    text = (mini / "data/figures.csv").read_text(encoding="utf-8")
    (mini / "data/more.csv").write_text(_replace_figure(text, "ledige,804,Åby,2021M04,", "1"), encoding="utf-8")
    result = runner.invoke(app, ["--project", str(mini), "validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 2
    assert (
        "data/more.csv: række " in as_given(result.stderr, mini)
        and ": ledige / 804 / 2021M04 er 1 her, men " in result.stderr
    )
