"""Papermill runs of each report notebook into a temp dir, with assertions on the output notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from councilbook.assembly.execute import execute_run, recorded_figures
from councilbook.assembly.manifest import expand_manifest
from councilbook.core.formats import format_number, round_half_up
from councilbook.parameters.load import load_parameters

ROOT = Path(__file__).resolve().parents[1]


def read_figures(notebook: Path) -> dict:
    figures = recorded_figures(nbformat.read(notebook, as_version=4))
    assert figures, f"no recorded figures in {notebook}"
    return figures


def region_month(frame: pd.DataFrame, measure: str, period: str) -> float:
    return float(frame[(frame["measure"] == measure) & (frame["period"] == period)]["value"].sum())


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    """Execute every report of the test council once (module scope: ~8 notebooks)."""
    from shutil import copytree

    base = tmp_path_factory.mktemp("nb")
    mini = base / "mini"
    copytree(ROOT / "tests/fixtures/mini", mini)
    params = load_parameters(mini / "parameters")
    planned = expand_manifest(ROOT / "pipelines/manifest.yml", params, str(mini / "parameters"), str(mini / "data"))
    results = {}
    for run in planned:
        result = execute_run(run, base / "out" / run.output, ROOT)
        assert result.ok, result.error
        results[(run.kind, run.key)] = result.output
    return results, pd.read_csv(mini / "data/figures.csv", dtype={"area": str})


def test_manifest_expands_over_the_parameters(runs) -> None:
    results, _ = runs
    assert sorted(results) == [
        ("analysis", "2020"),
        ("bottlenecks", "2021-1"),
        ("contract", "2020"),
        ("contract", "2021"),
        ("evaluation", "2021"),
        ("keyfigures", "2021"),
        ("status", "2021-02-10"),
        ("status", "2021-06-16"),
        ("status", "2021-11-03"),
    ]


def test_status_notebook_figures_match_an_independent_computation(runs) -> None:
    results, frame = runs
    figures = read_figures(results[("status", "2021-06-16")])
    assert figures["cutoff"] == "2021-04" and figures["contract_year"] == 2021
    ledighed, syge = figures["goals"]
    # end_of_period: the region's April 2021 against April 2020 (counts, shown as whole numbers)
    assert ledighed["actual_count"] == region_month(frame, "ledige", "2021M04")
    assert ledighed["last_year_count"] == region_month(frame, "ledige", "2020M04")
    assert ledighed["target_count"] == 2500
    # sum of January-April against the same months of 2020
    months = [f"2021M{m:02d}" for m in range(1, 5)]
    actual = sum(region_month(frame, "sygedagpenge_lange", p) for p in months)
    before = sum(region_month(frame, "sygedagpenge_lange", p.replace("2021", "2020")) for p in months)
    assert syge["actual_count"] == actual and syge["last_year_count"] == before
    assert syge["change_pct"] == round_half_up((actual - before) / before * 100, 1)
    baseline = sum(region_month(frame, "sygedagpenge_lange", f"2020M{m:02d}") for m in range(1, 13))
    assert syge["target_count"] == round_half_up(baseline * 0.95)
    # job centres: Østby-Åby sums municipalities 803 and 804
    oestby = next(j for j in syge["jobcentres"] if j["jobcentre_id"] == "oestby-aaby")
    part = frame[
        (frame["measure"] == "sygedagpenge_lange") & frame["area"].isin(["803", "804"]) & frame["period"].isin(months)
    ]
    assert oestby["actual_count"] == part["value"].sum()
    assert {j["rank"] for j in syge["jobcentres"]} <= {1, 2, 3}


def test_status_notebook_is_ready_for_the_book(runs) -> None:
    results, _ = runs
    nb = nbformat.read(results[("status", "2021-06-16")], as_version=4)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source == "# Rådsmøde med temadrøftelse 16. juni 2021: status på målene"
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata["tags"]
    assert nb.metadata["councilbook"]["key"] == "2021-06-16"
    provenance = nb.metadata["councilbook"]["provenance"]
    assert provenance["cutoff"] == "2021M04" and len(provenance["snapshot_sha256"]) == 64
    assert [f["path"].rsplit("/", 1)[-1] for f in provenance["data_files"]] == ["figures.csv"]
    assert provenance["data_files"][0]["periods"] == "januar 2018-december 2021"
    assert any(f["path"].endswith("council.yml") for f in provenance["parameter_files"])
    assert provenance["code"].startswith(("git ", "councilbook "))
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert html.count('<figure class="cb-chart">') == 4  # per goal: history with forecast, and XmR
    assert 'alt="Kurve for målet »Ledigheden skal ned' in html
    assert "Jobcenter Østby-Åby" in html
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_early_meeting_reports_last_years_contract_as_final(runs) -> None:
    results, _ = runs
    figures = read_figures(results[("status", "2021-02-10")])
    assert figures["cutoff"] == "2020-12" and figures["contract_year"] == 2020 and figures["final"] is True


def test_contract_notebook(runs) -> None:
    results, frame = runs
    figures = read_figures(results[("contract", "2021")])
    targets = {g["goal_id"]: g["target_text"] for g in figures["goals"]}
    assert targets["ledighed"] == "Antallet af ledige skal højst være 2.500 i december 2021."
    baseline = sum(region_month(frame, "sygedagpenge_lange", f"2020M{m:02d}") for m in range(1, 13))
    assert targets["sygedagpenge"] == (
        "Antallet af lange sygedagpengeforløb skal falde med mindst 5,0\u00a0% i 2021 i forhold til 2020, "
        f"dvs. til højst {format_number(baseline * 0.95)}."
    )
    ledighed = figures["goals"][0]
    assert ledighed["baseline_count"] == region_month(frame, "ledige", "2020M12")
    assert figures["provenance"]["data_files"][0]["path"].endswith("figures.csv")


def test_evaluation_notebook(runs) -> None:
    results, frame = runs
    figures = read_figures(results[("evaluation", "2021")])
    assert figures["covers"] == 2020
    ledighed = figures["goals"][0]
    avg = lambda year: sum(region_month(frame, "ledige", f"{year}M{m:02d}") for m in range(1, 13)) / 12  # noqa: E731
    assert ledighed["actual_count"] == round_half_up(avg(2020))
    assert ledighed["target_count"] == round_half_up(avg(2019) * 0.98)
    # attained when the result as shown is at or below the target as shown
    assert ledighed["attained"] == (round_half_up(avg(2020)) <= round_half_up(avg(2019) * 0.98))
    activity = {a["kind"]: a for a in figures["activity"]}
    assert activity["ordinary"]["held"] == 0  # the test council held no meetings in 2020
