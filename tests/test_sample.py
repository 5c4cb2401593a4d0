"""The sample generator is deterministic and the bundled files are what it makes."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd

from councilbook.data.ingest import load_dataset
from councilbook.data.sample import generate_rows, load_spec, render_csv, write_excel_export
from councilbook.parameters.load import load_parameters
from councilbook.reports.kinds.analysis import analyses

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_sample_is_generated_from_its_spec() -> None:
    spec = load_spec(ROOT / "data/sample-spec.yml")
    assert render_csv(generate_rows(spec)) == (ROOT / "data/sample-tidy/jobindsats_sample.csv").read_text(
        encoding="utf-8"
    )


def test_excel_export_gives_the_same_figures_as_the_tidy_csv() -> None:
    """`make book` reads the Excel export; it must give exactly the tidy CSV's figures."""
    params = load_parameters(ROOT / "parameters")
    from_excel = load_dataset(ROOT / "data/sample", params)
    from_tidy = load_dataset(ROOT / "data/sample-tidy", params)
    assert [f.path.suffix for f in from_excel.files] == [".xlsx"]
    pd.testing.assert_series_equal(from_excel.monthly, from_tidy.monthly)
    pd.testing.assert_series_equal(from_excel.annual, from_tidy.annual)
    assert from_excel.snapshot_sha256 == from_tidy.snapshot_sha256
    # the withheld figure stays missing, never zero
    assert math.isnan(from_excel.monthly[("fp_tilkendelser", "155", pd.Period("2009-03", freq="M"))])


def test_excel_export_is_rewritten_identically(tmp_path: Path) -> None:
    spec = load_spec(ROOT / "data/sample-spec.yml")
    write_excel_export(generate_rows(spec), spec, tmp_path / "a.xlsx")
    params = load_parameters(ROOT / "parameters")
    shutil.copytree(ROOT / "data/sample/arbejdsmarkedsbalancen", tmp_path / "arbejdsmarkedsbalancen")
    again = load_dataset(tmp_path / "a.xlsx", params)
    bundled = load_dataset(ROOT / "data/sample", params)
    assert again.snapshot_sha256 == bundled.snapshot_sha256


def test_test_council_data_is_generated_from_its_spec() -> None:
    folder = ROOT / "tests/fixtures/mini/data"
    assert render_csv(generate_rows(load_spec(folder / "sample-spec.yml"))) == (folder / "figures.csv").read_text(
        encoding="utf-8"
    )


def test_sample_covers_the_region_and_has_realistic_magnitudes() -> None:
    frame = pd.read_csv(ROOT / "data/sample-tidy/jobindsats_sample.csv", dtype={"area": str})
    assert frame["area"].nunique() == 46
    months = frame[frame["period"].str.contains("M")]
    assert months["period"].min() == "2009M01" and months["period"].max() == "2013M12"
    region = months[months["measure"] == "langtidsledige"].groupby("period")["value"].sum()
    assert 5_000 < region["2012M12"] < 15_000
    copenhagen = months[(months["measure"] == "langtidsledige") & (months["area"] == "101")]["value"].mean()
    dragoer = months[(months["measure"] == "langtidsledige") & (months["area"] == "155")]["value"].mean()
    assert copenhagen > 10 * dragoer  # scaled by population
    framework = frame[frame["measure"].str.startswith("rv_")]
    assert set(framework["period"]) == {"2009", "2010", "2011", "2012", "2013"}


def test_withheld_month_is_shown_as_missing_with_a_note() -> None:
    from councilbook.reports.kinds.contract import build_contract_report

    report = build_contract_report(ROOT / "parameters", ROOT / "data/sample", 2012)
    notes = {s.heading.text: s.note.text if s.note else None for s in report.sections}
    assert notes["## Mål 2: Antallet af nye førtidspensioner skal begrænses mest muligt"].startswith(
        "*Bemærk:* Tallet for marts 2009 mangler for Dragør (Jobcenter Tårnby-Dragør): det er holdt tilbage af "
        "diskretionshensyn."
    )
    assert notes["## Mål 3: Langtidsledigheden skal begrænses"] is None


def test_the_sample_analysis_themes_say_what_its_figures_show() -> None:
    """The sample is what a new user judges the product by: the secretariat's theme texts in
    parameters/analyses/2012.yml must agree with the tables printed under them (the shown figures)."""
    from councilbook.reports.kinds.analysis import build_analysis_report

    report = build_analysis_report(ROOT / "parameters", ROOT / "data/sample", 2012)
    analysis = analyses(load_parameters(ROOT / "parameters"))[2012]
    levels = {f["figure_id"]: pd.DataFrame(f["levels"]) for f in report.figures["figures"]}

    def shown(figure: str, area_type: str, column: str) -> pd.Series:
        frame = levels[figure][levels[figure]["area_type"] == area_type].set_index(["area_id", "year"])[column]
        return frame.unstack("year")

    # "Unge uden uddannelse": up in all five clusters; most in the clusters with (very) good conditions, least in
    # those with difficult and very difficult ones (the changes in percentage points as the table shows them).
    assert "i alle fem klynger" in analysis.themes[1].text
    clusters = shown("unge-uddannelse", "cluster", "value_pct")
    change = (clusters[2012] - clusters[2011]).round(1)
    assert len(change) == 5 and (change > 0).all()
    order = list(change.sort_values(ascending=False).index)
    assert set(order[:2]) == {"Klynge 1: meget gode rammevilkår", "Klynge 2: gode rammevilkår"}, change
    assert set(order[-2:]) == {"Klynge 4: vanskelige rammevilkår", "Klynge 5: meget vanskelige rammevilkår"}, change

    # "Langtidsledigheden faldt i 2012, men den er fortsat langt højere end i 2009".
    region = shown("langtidsledighed", "region", "value_count").iloc[0]
    assert region[2012] < region[2011] and region[2012] > 1.2 * region[2009], region

    # Each job centres' table says what its change is measured in: points for a share, per cent for a count.
    said = {s.id: s.text.text for s in report.sections if s.id.endswith("-jobcentres")}
    units = {f"figure-{n}-jobcentres": f["unit"] for n, f in enumerate(report.figures["figures"], start=1)}
    assert set(units.values()) == {"percent", "count"} and set(said) == set(units)
    assert all(said[i].endswith("(i procentpoint)." if units[i] == "percent" else "(i procent).") for i in said)
