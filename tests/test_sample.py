"""The sample generator is deterministic and the bundled files are what it makes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councilbook.sample import generate_rows, load_spec, render_csv

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_sample_is_generated_from_its_spec() -> None:
    spec = load_spec(ROOT / "data/sample/sample-spec.yml")
    assert render_csv(generate_rows(spec)) == (ROOT / "data/sample/jobindsats_sample.csv").read_text(encoding="utf-8")


def test_test_council_data_is_generated_from_its_spec() -> None:
    folder = ROOT / "tests/fixtures/mini/data"
    assert render_csv(generate_rows(load_spec(folder / "sample-spec.yml"))) == (folder / "figures.csv").read_text(
        encoding="utf-8"
    )


def test_sample_covers_the_region_and_has_realistic_magnitudes() -> None:
    frame = pd.read_csv(ROOT / "data/sample/jobindsats_sample.csv", dtype={"area": str})
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
