"""Every kind of parameter error, with its exact message (in Danish, at its line and column), all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.core.errors import InputError, display_path
from councilbook.parameters.load import load_parameters
from councilbook.project.load import load_project

runner = CliRunner()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def as_given(text: str, mini: Path) -> str:
    """``text`` with the council's folder left out of the paths it shows: as a user in that folder reads it."""
    return text.replace(f"{display_path(mini)}/", "")


def problems_of(mini: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(mini / "parameters", mini / "data")
    return [as_given(str(p), mini) for p in caught.value.problems]


@pytest.fixture
def here(mini: Path) -> Path:
    """A copy of the test council (its files named in messages as from its folder: :func:`as_given`)."""
    return mini


def test_the_test_council_is_valid(here: Path) -> None:
    project = load_project(here / "parameters", here / "data")
    assert [jc.id for jc in project.params.council.job_centres] == ["nordby", "sydby", "oestby-aaby"]
    assert project.params.council.publication.material_ready_days == 10
    assert project.params.council.publication.minutes_within_days == 7  # default
    assert sorted(project.params.contracts) == [2020, 2021]


def test_unknown_key(here: Path) -> None:
    edit(here / "parameters/council.yml", "short_name:", "colour: red\nshort_name:")
    assert problems_of(here) == [
        "parameters/council.yml, linje 2, kolonne 1: colour: ukendt nøgle 'colour'; tilladte nøgler her: name, "
        "short_name, region, mission, vision, roles, website, job_centres, publication, annual_cycle, "
        "data_publication_lag_days, status_tolerance_pct, status_tolerance_pp, members, agenda_templates"
    ]


def test_unknown_key_names_the_nearest_allowed_one(here: Path) -> None:
    """A misspelt key: the nearest key the model allows at that place (an agenda item's, not the meeting's)."""
    edit(here / "parameters/meetings/2021.yml", "        recommendation: Det", "        reccomendation: Det")
    edit(here / "parameters/contracts/2021.yml", "better: lower", "beter: lower")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml, linje 5, kolonne 5: 1. mål (goals[0].better): nøglen mangler; den skal "
        "udfyldes",
        "parameters/contracts/2021.yml, linje 11, kolonne 5: 1. mål (goals[0].beter): ukendt nøgle 'beter'; "
        "mente du 'better'?",
        "parameters/meetings/2021.yml, linje 20, kolonne 9: 2. møde, 1. punkt (meetings[1].agenda[0].reccomendation): "
        "ukendt nøgle 'reccomendation'; mente du 'recommendation'?",
    ]


def test_impossible_date(here: Path) -> None:
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    assert problems_of(here) == [
        "parameters/meetings/2021.yml, linje 3, kolonne 11: 1. møde (meetings[0].date): '2021-02-30' er ikke en "
        "gyldig dato (skriv den som ÅÅÅÅ-MM-DD, fx 2013-03-20)"
    ]


def test_wrong_type(here: Path) -> None:
    edit(here / "parameters/council.yml", "material_ready_days: 10", "material_ready_days: ten")
    assert problems_of(here) == [
        "parameters/council.yml, linje 22, kolonne 24: publication.material_ready_days: 'ten' er ikke et helt tal"
    ]


def test_wrong_choice_and_target_form(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "better: lower", "better: smaller")
    edit(here / "parameters/contracts/2021.yml", "{form: change, percent: -5}", "{form: percent, percent: -5}")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml, linje 11, kolonne 13: 1. mål (goals[0].better): 'smaller' er ikke en af de "
        "tilladte værdier: lower eller higher",
        "parameters/contracts/2021.yml, linje 22, kolonne 13: 2. mål (goals[1].target): 'percent' er ikke en form "
        "for målsætning (brug en af: level, change, share eller direction)",
    ]


def test_meeting_in_a_year_without_contract(here: Path) -> None:
    (here / "parameters/meetings/2022.yml").write_text(
        "year: 2022\nmeetings:\n  - date: 2022-05-04\n    kind: ordinary\n    title: Rådsmøde\n",
        encoding="utf-8",
    )
    assert problems_of(here) == [
        "parameters/meetings/2022.yml, linje 3, kolonne 11: 1. møde (meetings[0].date): 4. maj 2022: der er ingen "
        "kontrakt for 2022 (tilføj contracts/2022.yml, fx med councilbook new contract 2022)",
    ]


def test_meeting_whose_data_end_in_a_year_without_contract(here: Path) -> None:
    # Material ready 10 days before, data published 30 days after a month ends: a meeting on
    # 2020-01-20 sees data up to November 2019, and there is no 2019 contract to report on.
    (here / "parameters/meetings/2020.yml").write_text(
        "year: 2020\nmeetings:\n  - date: 2020-01-20\n    kind: ordinary\n    title: Rådsmøde\n",
        encoding="utf-8",
    )
    assert problems_of(here) == [
        "parameters/meetings/2020.yml, linje 3, kolonne 11: 1. møde (meetings[0].date): 20. januar 2020: tallene til "
        "dette møde går til og med november 2019, og der er ingen kontrakt for 2019 at gøre status på (tilføj "
        "contracts/2019.yml)",
    ]


def test_measure_not_in_data(here: Path) -> None:
    edit(
        here / "parameters/measures.yml",
        "measures:\n",
        "measures:\n  - id: ukendt\n    label: Ukendt\n    unit: Personer\n    noun: ukendte\n",
    )
    edit(here / "parameters/contracts/2021.yml", "measure: sygedagpenge_lange", "measure: ukendt")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml, linje 18, kolonne 14: 2. mål (goals[1].measure): nøgletallet 'ukendt' findes "
        "ikke i datamappen (data)"
    ]


def test_measure_not_in_measures_file(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "measure: sygedagpenge_lange", "measure: ukendt")
    problems = problems_of(here)
    assert (
        "parameters/contracts/2021.yml, linje 18, kolonne 14: 2. mål (goals[1].measure): nøgletallet 'ukendt' står "
        "ikke i measures.yml" in problems
    )


def test_duplicate_ids(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "id: sygedagpenge", "id: ledighed")
    edit(here / "parameters/council.yml", "id: sydby", "id: nordby")
    edit(here / "parameters/meetings/2021.yml", "2021-11-03", "2021-06-16")
    assert problems_of(here) == [
        "parameters/contracts/2021.yml, linje 14, kolonne 9: 2. mål (goals[1].id): målet 'ledighed' står der "
        "allerede; et id må kun bruges én gang",
        "parameters/council.yml, linje 13, kolonne 9: 2. jobcenter (job_centres[1].id): jobcenteret 'nordby' står "
        "der allerede; et id må kun bruges én gang",
        "parameters/meetings/2021.yml, linje 24, kolonne 11: 3. møde (meetings[2].date): der er allerede et møde den "
        "16. juni 2021 (parameters/meetings/2021.yml: 2. møde (meetings[1]))",
    ]


def test_municipality_served_twice(here: Path) -> None:
    edit(here / "parameters/council.yml", "municipalities: {802: Sydby}", "municipalities: {801: Sydby}")
    problems = problems_of(here)
    assert (
        "parameters/council.yml, linje 15, kolonne 21: 2. jobcenter (job_centres[1].municipalities): kommune 801 "
        "hører allerede til jobcenteret 'nordby'" in problems
    )


def test_all_errors_at_once(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "title: Kontrakt 2021", "title: Kontrakt 2021\ncolour: red")
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    edit(here / "parameters/contracts/2020.yml", 'baseline: "2019"', 'baseline: "2019X"')
    edit(here / "data/figures.csv", "ledige,801,Nordby,2018M01,", "ledige,801,Nordby,2018M13,")
    problems = problems_of(here)
    assert len(problems) == 4, problems
    assert any(
        p.startswith(
            "parameters/contracts/2020.yml, linje 12, kolonne 15: 1. mål (goals[0].baseline): '2019X' er "
            "ikke en periode"
        )
        for p in problems
    )
    assert any(p.startswith("data/figures.csv: række 2: '2018M13' er ikke en periode") for p in problems)
    assert any(
        p.startswith("parameters/contracts/2021.yml, linje 3, kolonne 1: colour: ukendt nøgle 'colour'; ")
        for p in problems
    )


def test_yaml_syntax_and_duplicate_key(here: Path) -> None:
    edit(here / "parameters/contracts/2021.yml", "title: Kontrakt 2021", "title: Kontrakt 2021\ntitle: Igen")
    (here / "parameters/evaluations/2021.yml").write_text("year: [2021\n", encoding="utf-8")
    problems = problems_of(here)
    assert "parameters/contracts/2021.yml, linje 3, kolonne 1: nøglen 'title' står to gange; slet den ene" in problems
    assert (
        "parameters/evaluations/2021.yml, linje 2, kolonne 1: listen, der begynder med [ i linje 1, lukkes ikke med ]; "
        "skriv ] til sidst (eller sæt teksten i anførselstegn, hvis den selv har et komma eller et kolon)" in problems
    )


def test_file_name_must_match_year(here: Path) -> None:
    edit(here / "parameters/evaluations/2021.yml", "year: 2021", "year: 2020")
    assert (
        "parameters/evaluations/2021.yml, linje 1, kolonne 7: year: 2020 passer ikke til filens navn (2021.yml skal "
        "have year: 2021)" in problems_of(here)
    )


def test_validate_command_lists_problems_and_exits_2(here: Path) -> None:
    edit(here / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    edit(here / "parameters/council.yml", "material_ready_days: 10", "material_ready_days: ten")
    result = runner.invoke(app, ["--project", str(here), "validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 2
    assert as_given(result.stderr, here).splitlines() == [
        "2 problemer at rette; intet er kørt:",
        "  parameters/council.yml, linje 22, kolonne 24: publication.material_ready_days: 'ten' er ikke et helt tal",
        "  parameters/meetings/2021.yml, linje 3, kolonne 11: 1. møde (meetings[0].date): '2021-02-30' er ikke en "
        "gyldig dato (skriv den som ÅÅÅÅ-MM-DD, fx 2013-03-20)",
        "Ret hvert problem, der hvor det står, og kør så kommandoen igen.",
    ]


def test_validate_command_ok(here: Path) -> None:
    result = runner.invoke(app, ["--project", str(here), "validate", "--params", "parameters", "--data", "data"])
    assert result.exit_code == 0, result.output
    assert (
        as_given(result.stdout, here)
        == "OK: parameters (2 kontrakter, 3 møder, 1 evaluering, 3 jobcentre) og data (432 tal).\n"
    )


def test_build_runs_nothing_on_bad_input(project_copy: Path, mini: Path) -> None:
    edit(mini / "parameters/meetings/2021.yml", "2021-02-10", "2021-02-30")
    result = runner.invoke(
        app,
        ["--project", str(project_copy), "build", "--params", str(mini / "parameters"), "--data", str(mini / "data")],
    )
    assert result.exit_code == 2
    assert "er ikke en gyldig dato" in result.stderr
    assert not (project_copy / "book" / "generated").exists()
    assert not (project_copy / "_build").exists()


def test_missing_parameters_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_parameters(tmp_path / "nowhere")
    assert str(caught.value).endswith(
        "nowhere: parametermappen findes ikke; angiv den rigtige mappe med --params (standard: parameters)"
    )


def test_time_of_day(here: Path) -> None:
    edit(here / "parameters/meetings/2021.yml", "    kind: ordinary", '    kind: ordinary\n    start: "25:99"')
    assert problems_of(here) == [
        "parameters/meetings/2021.yml, linje 5, kolonne 12: 1. møde (meetings[0].start): '25:99' er ikke et "
        "klokkeslæt; skriv det som TT:MM, fx 15:00"
    ]
