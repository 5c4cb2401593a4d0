"""Every kind of parameter error, with its exact message, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from councilbook.analysis.validate import load_project
from councilbook.cli import app
from councilbook.core.errors import InputError
from councilbook.parameters.model import load_parameters

runner = CliRunner()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(mini: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(mini / "parameters", mini / "data")
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def here(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(mini)
    return mini


def test_the_test_council_is_valid(here: Path) -> None:
    project = load_project("parameters", "data")
    assert [jc.id for jc in project.params.council.job_centres] == ["nordby", "sydby", "oestby-aaby"]
    assert project.params.council.publication.material_ready_days == 10
    assert project.params.council.publication.minutes_within_days == 7  # default
    assert sorted(project.params.contracts) == [2020, 2021]


def test_unknown_key(here: Path) -> None:
    edit(here / "parameters/council.yml", "short_name:", "colour: red\nshort_name:")
    assert problems_of(here) == [
        "parameters/council.yml: colour: unknown key (check the spelling; see the README for the allowed keys)"
    ]


def test_impossible_date(here: Path) -> None:
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    assert problems_of(here) == [
        "parameters/meetings/2021.yml: meetings[0].date: '2021-02-30' is not a valid date (write it as YYYY-MM-DD)"
    ]


def test_wrong_type(here: Path) -> None:
    edit(here / "parameters/council.yml", "material_ready_days: 10", "material_ready_days: ten")
    assert problems_of(here) == ["parameters/council.yml: publication.material_ready_days: 'ten' is not a whole number"]


def test_wrong_choice_and_target_form(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "better: lower", "better: smaller")
    edit(here / "parameters/contracts/2021.yml", "{form: change, percent: -5}", "{form: percent, percent: -5}")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml: goals[0].better: 'smaller' is not one of: 'lower' or 'higher'",
        "parameters/contracts/2021.yml: goals[1].target: 'percent' is not a target form "
        "(use one of: level, change, share, direction)",
    ]


def test_meeting_in_a_year_without_contract(here: Path) -> None:
    (here / "parameters/meetings/2022.yml").write_text(
        "year: 2022\nmeetings:\n  - date: 2022-05-04\n    kind: ordinary\n    title: Rådsmøde\n",
        encoding="utf-8",
    )
    assert problems_of(here) == [
        "parameters/meetings/2022.yml: meetings[0].date: 2022-05-04: there is no contract for 2022 "
        "(add contracts/2022.yml)",
    ]


def test_meeting_whose_data_end_in_a_year_without_contract(here: Path) -> None:
    # Material ready 10 days before, data published 30 days after a month ends: a meeting on
    # 2020-01-20 sees data up to November 2019, and there is no 2019 contract to report on.
    (here / "parameters/meetings/2020.yml").write_text(
        "year: 2020\nmeetings:\n  - date: 2020-01-20\n    kind: ordinary\n    title: Rådsmøde\n",
        encoding="utf-8",
    )
    assert problems_of(here) == [
        "parameters/meetings/2020.yml: meetings[0].date: 2020-01-20: the data available for this meeting "
        "end in 2019M11, and there is no contract for 2019 to report on (add contracts/2019.yml)",
    ]


def test_measure_not_in_data(here: Path) -> None:
    edit(
        here / "parameters/measures.yml",
        "measures:\n",
        "measures:\n  - id: ukendt\n    label: Ukendt\n    unit: Personer\n    noun: ukendte\n",
    )
    edit(here / "parameters/contracts/2021.yml", "measure: sygedagpenge_lange", "measure: ukendt")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml: goals[1].measure: measure 'ukendt' is not in the data (data)"
    ]


def test_measure_not_in_measures_file(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "measure: sygedagpenge_lange", "measure: ukendt")
    problems = problems_of(here)
    assert "parameters/contracts/2021.yml: goals[1].measure: measure 'ukendt' is not in measures.yml" in problems


def test_duplicate_ids(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "id: sygedagpenge", "id: ledighed")
    edit(here / "parameters/council.yml", "id: sydby", "id: nordby")
    edit(here / "parameters/meetings/2021.yml", "2021-11-03", "2021-06-16")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml: goals[1].id: duplicate goal id 'ledighed'",
        "parameters/council.yml: job_centres[1].id: duplicate job centre id 'nordby'",
        "parameters/meetings/2021.yml: meetings[2].date: another meeting is already on 2021-06-16 "
        "(parameters/meetings/2021.yml meetings[1])",
    ]


def test_municipality_served_twice(here: Path) -> None:
    edit(here / "parameters/council.yml", "municipalities: {802: Sydby}", "municipalities: {801: Sydby}")
    problems = problems_of(here)
    assert (
        "parameters/council.yml: job_centres[1].municipalities: municipality 801 is already served by "
        "job centre 'nordby'" in problems
    )


def test_all_errors_at_once(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "title: Kontrakt 2021", "title: Kontrakt 2021\ncolour: red")
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    edit(here / "parameters/contracts/2020.yml", 'baseline: "2019"', 'baseline: "2019X"')
    edit(here / "data/figures.csv", "ledige,801,Nordby,2018M01,", "ledige,801,Nordby,2018M13,")
    problems = problems_of(here)
    assert len(problems) == 4, problems
    assert any(
        p.startswith("parameters/contracts/2020.yml: goals[0].baseline: '2019X' is not a period code") for p in problems
    )
    assert any(p.startswith("data/figures.csv: row 2: '2018M13' is not a period code") for p in problems)
    assert (
        "parameters/contracts/2021.yml: colour: unknown key (check the spelling; see the README for the "
        "allowed keys)" in problems
    )


def test_yaml_syntax_and_duplicate_key(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "title: Kontrakt 2021", "title: Kontrakt 2021\ntitle: Igen")
    (here / "parameters/evaluations/2021.yml").write_text("year: [2021\n", encoding="utf-8")
    problems = problems_of(here)
    assert "parameters/contracts/2021.yml: line 3: key 'title' appears twice" in problems
    assert any(p.startswith("parameters/evaluations/2021.yml: line 2: is not valid YAML") for p in problems)


def test_file_name_must_match_year(here: Path) -> None:
    edit(here / "parameters/evaluations/2021.yml", "year: 2021", "year: 2020")
    assert (
        "parameters/evaluations/2021.yml: year: 2020 does not match the file name "
        "(expected 2021.yml to hold year 2021)" in problems_of(here)
    )


def test_validate_command_lists_problems_and_exits_2(here: Path) -> None:
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    edit(here / "parameters/council.yml", "material_ready_days: 10", "material_ready_days: ten")
    result = runner.invoke(app, ["validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "2 problem(s) in the input; nothing was run:",
        "  parameters/council.yml: publication.material_ready_days: 'ten' is not a whole number",
        "  parameters/meetings/2021.yml: meetings[0].date: '2021-02-30' is not a valid date (write it as YYYY-MM-DD)",
        "Correct each one where it says, then run the command again.",
    ]


def test_validate_command_ok(here: Path) -> None:
    result = runner.invoke(app, ["validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "OK: parameters (2 contracts, 3 meetings, 1 evaluation, 3 job centres) and data (432 figures).\n"
    )


def test_build_runs_nothing_on_bad_input(project_copy: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(mini / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    monkeypatch.chdir(project_copy)
    result = runner.invoke(app, ["build", "--params", str(mini / "parameters"), "--data", str(mini / "data")])
    assert result.exit_code == 2
    assert "is not a valid date" in result.stderr
    assert not (project_copy / "book" / "generated").exists()
    assert not (project_copy / "_build").exists()


def test_missing_parameters_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_parameters(tmp_path / "nowhere")
    assert "parameters directory not found" in str(caught.value)
