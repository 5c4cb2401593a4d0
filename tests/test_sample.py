"""The sample generator is deterministic and the bundled files are what it makes."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd

from councilbook.data.ingest import load_dataset
from councilbook.data.sample import generate_rows, load_spec, render_csv, write_excel_export
from councilbook.parameters.model import load_parameters

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
