"""The analysis report, the key-figures report and the bottleneck overview: their figures against golden
files and against an independent computation from the raw data, their embargo, their deadlines, and the
labour-market balance reader's strict validation.

Regenerate the golden files after an intended change with:  GOLDEN_UPDATE=1 .venv/bin/pytest tests/test_new_kinds.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from councilbook.analysis.yearly import compute_adjusted_year, compute_yearly_levels, figure_specs
from councilbook.assembly.manifest import expand_manifest
from councilbook.core.errors import InputError
from councilbook.data.balance import BALANCE_FOLDER, generate_balance_exports, read_balance_export
from councilbook.members.calendar import compute_deadlines
from councilbook.parameters.load import collect_parameters, load_parameters
from councilbook.project.cutoff import compute_cutoff
from councilbook.project.load import load_project
from councilbook.reports.kinds.analysis import build_analysis_report
from councilbook.reports.kinds.bottlenecks import build_bottlenecks_report, compute_bottlenecks
from councilbook.reports.kinds.keyfigures import build_keyfigures_report, keyfigures

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests/golden"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
MANIFEST = ROOT / "pipelines/manifest.yml"


@pytest.fixture(scope="module")
def sample():
    return load_project(ROOT / "parameters", ROOT / "data/sample")


def check(frame: pd.DataFrame, name: str) -> None:
    path = GOLDEN / name
    frame = frame.reset_index(drop=True)
    if UPDATE:
        frame.to_csv(path, index=False, float_format="%.6f")
    golden = pd.read_csv(path, keep_default_na=True, dtype={"code": str, "previous_prospects": str})
    current = pd.read_csv(
        pd.io.common.StringIO(frame.to_csv(index=False, float_format="%.6f")),
        dtype={"code": str, "previous_prospects": str},
    )
    pd.testing.assert_frame_equal(current, golden, check_exact=False, rtol=1e-9)


# ---------------------------------------------------------------------------
# Golden backtests, one for each report
# ---------------------------------------------------------------------------


def test_analysis_levels_golden(sample) -> None:
    """The analysis report on 2012 (published 31 January 2013: figures to November 2012)."""
    cutoff = compute_cutoff(date(2013, 1, 31), sample.params.council)
    assert str(cutoff) == "2012-11"
    specs = figure_specs(sample.params, sample.params.contracts[2012])
    frame = pd.concat(
        [compute_yearly_levels(sample.params, sample.dataset, s, [2009, 2010, 2011, 2012], cutoff) for s in specs]
    )
    check(frame[frame["area_type"] != "jobcentre"], "analysis-2012-region-clusters.csv")
    check(frame[frame["area_type"] == "jobcentre"], "analysis-2012-jobcentres.csv")


def test_keyfigures_golden(sample) -> None:
    report = keyfigures(sample.params)[2012]
    cutoff = compute_cutoff(report.published, sample.params.council)
    specs = figure_specs(sample.params, sample.params.contracts[2012], report.measures)
    assert [s.id for s in specs][-1] == "measure:unge_ydelse"
    key_measure = compute_yearly_levels(sample.params, sample.dataset, specs[-1], [2010, 2011, 2012], cutoff)
    check(key_measure, "keyfigures-2012-unge-ydelse.csv")
    rows = []
    for spec in specs:
        adjusted = compute_adjusted_year(sample.params, sample.dataset, spec, 2012, cutoff)
        if adjusted is not None:
            table = adjusted.table[["jobcentre_id", "level", "expected", "actual_over_expected", "adjusted_rank"]]
            rows.append(table.assign(figure_id=spec.id))
    check(pd.concat(rows), "keyfigures-2012-adjusted.csv")


def test_bottlenecks_golden(sample) -> None:
    balances = sample.dataset.balances
    assert list(balances) == ["2012-1", "2012-2", "2013-1", "2013-2"]
    check(compute_bottlenecks(balances["2013-1"], balances["2012-2"]), "bottlenecks-2013-1.csv")


# ---------------------------------------------------------------------------
# The same figures computed independently, from the raw files
# ---------------------------------------------------------------------------


def test_analysis_region_share_by_hand(sample) -> None:
    """The region's share of young people starting an education, January-November 2012: the sum over all
    municipalities and months of the starters over the sum of the young on benefits, straight from the tidy CSV."""
    tidy = pd.read_csv(ROOT / "data/sample-tidy/jobindsats_sample.csv", dtype={"area": str})
    months = [f"2012M{m:02d}" for m in range(1, 12)]
    part = tidy[tidy["period"].isin(months)]
    expected = (
        part[part["measure"] == "unge_i_uddannelse"]["value"].sum()
        / part[part["measure"] == "unge_ydelse"]["value"].sum()
        * 100
    )
    goal_spec = next(s for s in figure_specs(sample.params, sample.params.contracts[2012]) if s.denominator)
    frame = compute_yearly_levels(sample.params, sample.dataset, goal_spec, [2011, 2012], pd.Period("2012-11", "M"))
    region = frame[(frame["area_type"] == "region") & (frame["year"] == 2012)]["value"].iloc[0]
    assert region == pytest.approx(expected, rel=1e-12)
    assert frame[(frame["area_type"] == "region")]["periods"].tolist() == [11, 11]


def test_bottlenecks_shortage_list_by_hand(sample) -> None:
    """The region's shortage occupations, read straight from the export's cells."""
    path = ROOT / "data/sample" / BALANCE_FOLDER / "balance_2013_1.xlsx"
    sheet = load_workbook(path, read_only=True)["Vurderinger"]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    expected = sorted(code for area, code, _prospects, shortage in rows if area == "Region" and shortage == "Ja")
    frame = compute_bottlenecks(sample.dataset.balances["2013-1"], sample.dataset.balances["2012-2"])
    assert sorted(frame[frame["shortage"]]["code"]) == expected and expected


def test_the_reports_show_their_figures(sample) -> None:
    analysis = build_analysis_report(ROOT / "parameters", ROOT / "data/sample", 2012)
    assert [s.id for s in analysis.sections][:2] == ["theme-1", "theme-2"]
    assert analysis.sections[-1].id == "conclusions" and analysis.closing.id == "provenance"
    assert "Hent rapportens tal" in analysis.downloads()._repr_html_()
    assert "data:text/csv" in analysis.downloads()._repr_html_()
    keyfigures = build_keyfigures_report(ROOT / "parameters", ROOT / "data/sample", "2012")
    ids = [s.id for s in keyfigures.sections]
    assert ids[0] == "overview" and ids[1:] == [f"jc-{jc.id}" for jc in sample.params.council.job_centres]
    overview = keyfigures.sections[0].table
    assert overview is not None and len(overview.rows) == len(sample.params.council.job_centres)
    bottlenecks = build_bottlenecks_report(ROOT / "parameters", ROOT / "data/sample", "2013-1")
    shortage = next(s for s in bottlenecks.sections if s.id == "shortage")
    frame = compute_bottlenecks(sample.dataset.balances["2013-1"], sample.dataset.balances["2012-2"])
    assert shortage.table is not None and [r[1] for r in shortage.table.rows] == list(frame[frame["shortage"]]["code"])
    assert bottlenecks.figures["shortage_count"] == int(frame["shortage"].sum())


# ---------------------------------------------------------------------------
# Embargo and deadlines
# ---------------------------------------------------------------------------


def _runs(as_of: date) -> set[tuple[str, str]]:
    params = load_parameters(ROOT / "parameters")
    return {(r.kind, r.key) for r in expand_manifest(MANIFEST, params, "parameters", "data/sample", as_of)}


def test_each_new_report_is_embargoed_until_its_publication_day() -> None:
    assert ("analysis", "2012") not in _runs(date(2013, 1, 30))
    assert ("analysis", "2012") in _runs(date(2013, 1, 31))
    assert ("keyfigures", "2012") not in _runs(date(2013, 2, 14))
    assert ("keyfigures", "2012") in _runs(date(2013, 2, 15))
    assert ("bottlenecks", "2013-1") not in _runs(date(2013, 3, 19))
    assert {("bottlenecks", "2013-1")} <= _runs(date(2013, 3, 20)) and ("bottlenecks", "2013-2") not in _runs(
        date(2013, 3, 20)
    )
    everything = _runs(date(2030, 1, 1))
    assert {
        ("analysis", "2012"),
        ("keyfigures", "2012"),
        ("bottlenecks", "2013-1"),
        ("bottlenecks", "2013-2"),
    } <= everything


def test_the_calendar_shows_each_publication_day() -> None:
    params = load_parameters(ROOT / "parameters")
    deadlines = {(d.day, d.what) for d in compute_deadlines(params, date(2013, 1, 1))}
    assert (date(2013, 1, 31), "Analyserapport 2012 offentliggøres") in deadlines
    assert (date(2013, 2, 15), "Nøgletal for jobcentrene 2012 offentliggøres") in deadlines
    assert (date(2013, 3, 20), "Flaskehalsoversigt, foråret 2013 offentliggøres") in deadlines


# ---------------------------------------------------------------------------
# Parameters and the balance reader: every fault named
# ---------------------------------------------------------------------------


def test_publication_parameters_are_checked(tmp_path: Path) -> None:
    import shutil

    params = tmp_path / "parameters"
    shutil.copytree(ROOT / "parameters", params)
    (params / "analyses/2012.yml").write_text("year: 2012\npublished: 2012-12-01\n", encoding="utf-8")
    (params / "keyfigures/2011.yml").write_text(
        "year: 2011\npublished: 2012-02-01\nmeasures: [nope]\n", encoding="utf-8"
    )
    (params / "bottlenecks/2013-3.yml").write_text("balance: 2013-3\npublished: 2013-10-01\n", encoding="utf-8")
    _, problems = collect_parameters(params)
    text = "\n".join(map(str, problems))
    assert (
        "analyses/2012.yml, linje 2, kolonne 12: published: 1. december 2012 er før 2012 er slut; offentliggør "
        "rapporten i 2013" in text
    )
    assert "keyfigures/2011.yml, linje 1, kolonne 7: year: der er ingen kontrakt for 2011" in text
    assert (
        "keyfigures/2011.yml, linje 3, kolonne 12: 1. nøgletal (measures[0]): nøgletallet 'nope' står ikke i "
        "measures.yml" in text
    )
    assert "bottlenecks/2013-3.yml, linje 1, kolonne 10: balance: '2013-3' har ikke den rette form: en balance " in text


def test_a_bottleneck_overview_needs_its_balance_in_the_data(tmp_path: Path) -> None:
    import shutil

    params = tmp_path / "parameters"
    shutil.copytree(ROOT / "parameters", params)
    (params / "bottlenecks/2014-1.yml").write_text("balance: 2014-1\npublished: 2014-03-01\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(params, ROOT / "data/sample")
    assert any(
        p.where == "balance" and "balancen 2014-1 findes ikke i" in p.message and "2013-2" in p.message
        for p in caught.value.problems
    )


@pytest.fixture
def export(tmp_path: Path) -> Path:
    council = load_parameters(ROOT / "parameters").council
    (path, *_rest) = generate_balance_exports(council, tmp_path, [2013])
    return path


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


def _problems(path: Path) -> list[str]:
    council = load_parameters(ROOT / "parameters").council
    with pytest.raises(InputError) as caught:
        read_balance_export(path, council)
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


def test_an_occupation_code_not_in_the_files_own_list_is_named(export: Path) -> None:
    _edit(export, "Vurderinger", "B2", "999999")
    assert _problems(export) == ["Vurderinger!B2: stillingskoden '999999' står ikke i filens ark 'Stillinger'"]


def test_the_balance_reader_names_every_fault(export: Path) -> None:
    _edit(export, "Vurderinger", "A3", "Atlantis")
    _edit(export, "Vurderinger", "C4", "Fremragende")
    _edit(export, "Vurderinger", "D5", "Måske")
    _edit(export, "Om balancen", "B1", "2013-7")
    problems = _problems(export)
    assert "Om balancen!B1: balancens id '2013-7' er hverken <år>-1 eller <år>-2" in problems
    assert "Vurderinger!A3: området 'Atlantis' er hverken en af rådets kommuner eller et af dets jobcentre" in problems
    assert (
        "Vurderinger!C4: 'Fremragende' er ikke en af 'Gode jobmuligheder', 'Jobmuligheder' eller 'Begrænsede "
        "jobmuligheder'" in problems
    )
    assert "Vurderinger!D5: 'måske' er hverken 'Ja' eller 'Nej'" in problems


def test_an_assessment_given_twice_is_an_error(export: Path) -> None:
    workbook = load_workbook(export)
    sheet = workbook["Vurderinger"]
    sheet.append([cell.value for cell in sheet[2]])
    workbook.save(export)
    (problem,) = _problems(export)
    assert "er vurderet to gange (også i række 2)" in problem


def test_a_missing_sheet_is_named(export: Path) -> None:
    workbook = load_workbook(export)
    del workbook["Stillinger"]
    workbook.save(export)
    assert _problems(export) == [": arket 'Stillinger' mangler (filen har: 'Om balancen', 'Vurderinger')"]


def test_the_sample_balances_are_generated_from_the_generator(tmp_path: Path) -> None:
    council = load_parameters(ROOT / "parameters").council
    for path in generate_balance_exports(council, tmp_path, [2012, 2013]):
        for folder in ("data/sample", "data/sample-tidy"):
            bundled = read_balance_export(ROOT / folder / BALANCE_FOLDER / path.name, council)
            again = read_balance_export(path, council)
            assert (again.id, again.published, again.occupations) == (
                bundled.id,
                bundled.published,
                bundled.occupations,
            )
            pd.testing.assert_frame_equal(again.assessments, bundled.assessments)


def test_key_figures_at_meetings_wait_for_the_meeting_and_the_contract() -> None:
    """The nord council has an edition of the key figures at each meeting of 2017: public once the meeting is
    held, but the February meeting's edition not before the 2017 contract is published (31 March)."""
    nord = ROOT / "tests/fixtures/nord"
    params = load_parameters(nord / "parameters")

    def runs(as_of: date) -> set[str]:
        planned = expand_manifest(MANIFEST, params, "p", "d", as_of)
        return {r.key for r in planned if r.kind == "keyfigures"}

    assert runs(date(2017, 3, 30)) == set()
    assert runs(date(2017, 3, 31)) == {"2017-02-22"}
    assert runs(date(2017, 6, 14)) == {"2017-02-22", "2017-06-14"}
    assert runs(date(2018, 2, 14)) == {"2017-02-22", "2017-06-14", "2017-12-06", "2017"}
    report = build_keyfigures_report(nord / "parameters", nord / "data", "2017-06-14")
    assert report.title == "Nøgletal for jobcentrene til mødet 14. juni 2017"
    assert report.figures["cutoff"] == "2017-03"  # the meeting's own cut-off
