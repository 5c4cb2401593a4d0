"""Report building blocks as a reader meets them: tables on a phone and in search, job-centre words."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from councilbook.parameters.load import load_parameters
from councilbook.text.present import Table
from councilbook.text.sentences import describe_adjusted, describe_jobcentre_changes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return load_parameters(ROOT / "parameters")


def _table(**options) -> Table:
    return Table(
        columns=["Jobcenter", "Faktisk", "Status"],
        rows=[["Jobcenter Køge", "1.234", "✔ På rette spor"], ["Jobcenter Solrød", "987", "⚠ I risiko"]],
        caption="Eksempel",
        numeric=(1,),
        **options,
    )


def test_cells_are_separate_words_for_the_search() -> None:
    """Sphinx indexes a table's text; cells run together ("køge1234") would hide a job centre's name."""
    text = BeautifulSoup(_table()._repr_html_(), "html.parser").get_text()
    assert "Køge" in text.split() and "1.234" in text.split() and "Faktisk" in text.split()


def test_a_stacked_table_labels_every_cell_with_its_column() -> None:
    soup = BeautifulSoup(_table(stacked=True)._repr_html_(), "html.parser")
    assert soup.table["class"] == ["cb-table", "cb-stacked"]
    first_row = soup.tbody.find("tr")
    assert [c.get("data-label") for c in first_row.find_all(["th", "td"])] == ["Jobcenter", "Faktisk", "Status"]
    plain = BeautifulSoup(_table()._repr_html_(), "html.parser")
    assert plain.table["class"] == ["cb-table"] and plain.find(attrs={"data-label": True}) is None


def test_a_collapsed_table_sits_behind_its_summary_line() -> None:
    soup = BeautifulSoup(_table(collapsed="Vis tabellen med alle 2 jobcentre")._repr_html_(), "html.parser")
    details = soup.find("details", class_="cb-details")
    assert details is not None and not details.has_attr("open")
    assert details.summary.get_text() == "Vis tabellen med alle 2 jobcentre"
    assert details.find("table") is not None
    assert BeautifulSoup(_table()._repr_html_(), "html.parser").find("details") is None


def _jobcentres(changes: list[float], last_year: float = 10_000.0, points: bool = False) -> pd.DataFrame:
    """A job-centre table as compute_jobcentre_table gives it (best change first, lower is better); ``points``:
    the changes are percentage points of a share."""
    table = pd.DataFrame(
        {
            "jobcentre": [f"Jobcenter {chr(65 + i)}" for i in range(len(changes))],
            "actual": [
                math.nan if math.isnan(c) else (last_year + c if points else last_year * (1 + c / 100)) for c in changes
            ],
            "last_year": last_year,
            "change": changes,
        }
    )
    table["rank"] = (-table["change"]).rank(ascending=False, method="min").astype("Int64")
    return table.sort_values(["rank", "jobcentre"], na_position="last").reset_index(drop=True)


def test_job_centres_with_the_best_and_worst_change_in_words() -> None:
    # new disability pensions: a count, lower is better; changes shown to one decimal, rounded half up
    table = _jobcentres([-12.0, 4.0, -3.0, 8.5, -7.25, 1.0, math.nan])
    assert describe_jobcentre_changes(table, share=False, better="lower") == (
        "**Bedste udvikling mod året før:** Jobcenter A (-12,0\u00a0%), Jobcenter E (-7,3\u00a0%), "
        "Jobcenter C (-3,0\u00a0%).\n\n"
        "**Dårligste udvikling mod året før:** Jobcenter D (+8,5\u00a0%), Jobcenter B (+4,0\u00a0%), "
        "Jobcenter F (+1,0\u00a0%)."
    )
    # Too few job centres with a figure to name three of each: no sentence.
    assert describe_jobcentre_changes(table.head(5), share=False, better="lower") == ""


def test_job_centres_change_in_percentage_points_for_a_share() -> None:
    table = _jobcentres([10.0, -5.0, 2.0, -1.0, 0.5, 3.0], last_year=40.0, points=True)
    table["rank"] = table["change"].rank(ascending=False, method="min").astype("Int64")  # higher is better
    table = table.sort_values("rank").reset_index(drop=True)
    words = describe_jobcentre_changes(table, share=True, better="higher")
    assert words.startswith("**Bedste udvikling mod året før:** Jobcenter A (+10,0 pct.-point)")
    # Only those that got worse are among the worst: Jobcenter E (+0,5) improved.
    assert words.endswith(
        "**Dårligste udvikling mod året før:** Jobcenter B (-5,0 pct.-point), Jobcenter D (-1,0 pct.-point)."
    )


def test_job_centres_tied_with_the_last_named_are_named_too() -> None:
    table = _jobcentres([-5.0, -5.0, -5.0, -5.0, -1.0, -2.0])  # lower is better: everyone improved
    words = describe_jobcentre_changes(table, share=False, better="lower")
    assert words.startswith("**Bedste udvikling mod året før:** Jobcenter A (-5,0\u00a0%), Jobcenter B")
    assert "Jobcenter D (-5,0\u00a0%)." in words  # four share first place: all four named
    assert words.endswith("**Dårligste udvikling mod året før:** ingen jobcentre er blevet dårligere.")


def test_job_centres_on_equal_terms_in_words() -> None:
    ratios = [1.29, 0.73, 1.05, 0.9, 1.12, math.nan, 0.8, 3.1]
    table = pd.DataFrame(
        {"jobcentre": [f"Jobcenter {chr(65 + i)}" for i in range(len(ratios))], "actual_over_expected": ratios}
    )
    table["flag"] = ["", "", "", "", "", "not_meaningful", "", "uncertain"]
    table["adjusted_rank"] = table["actual_over_expected"].where(table["flag"] == "").rank(ascending=False)
    assert describe_adjusted(table, "higher") == (
        "**Gode resultater i forhold til rammevilkårene:** Jobcenter A (29\u00a0% over det forventede), "
        "Jobcenter E (12\u00a0% over det forventede), Jobcenter C (5\u00a0% over det forventede).\n\n"
        "**Særlige udfordringer i forhold til rammevilkårene:** Jobcenter B (27\u00a0% under det forventede), "
        "Jobcenter G (20\u00a0% under det forventede), Jobcenter D (10\u00a0% under det forventede).\n\n"
        "**Ikke rangeret**, fordi det forventede niveau ikke kan bruges: Jobcenter F (ikke meningsfuldt: "
        "forventet niveau ≤ 0), Jobcenter H (usikkert: meget lavt forventet niveau)."
    )
    # four ranked: too few to name three of each; the flagged ones are still named
    assert describe_adjusted(table.head(5), "higher").startswith("") and "Gode" not in describe_adjusted(
        table.head(5), "higher"
    )


def test_job_centres_on_equal_terms_tied_with_the_last_named_are_named_too() -> None:
    """Ranks are of the ratios as shown: a job centre with the same shown ratio (and so the same rank) as the
    third named is named too, on either side."""
    ratios = [1.30, 1.20, 1.19, 1.19, 1.02, 0.70, 0.80, 0.90, 0.90]
    table = pd.DataFrame(
        {"jobcentre": [f"Jobcenter {chr(65 + i)}" for i in range(len(ratios))], "actual_over_expected": ratios}
    )
    table["flag"] = ""
    table["adjusted_rank"] = table["actual_over_expected"].rank(ascending=False, method="min").astype("Int64")
    words = describe_adjusted(table, "higher")
    good, bad = words.split("\n\n")
    assert good.endswith("Jobcenter C (19\u00a0% over det forventede), Jobcenter D (19\u00a0% over det forventede).")
    assert bad.endswith("Jobcenter H (10\u00a0% under det forventede), Jobcenter I (10\u00a0% under det forventede).")


def test_a_contribution_that_is_not_zero_is_never_shown_as_zero() -> None:
    """Vallensbæk-Ishøj's −4 of the region's 10.383 a year earlier is −0,04 percentage points, not 0,0: the
    rule for changes (more decimals rather than 0,0) covers contributions too, in the table, JSON and workbook."""
    from councilbook.core import figures as fig

    shown = fig.contribution(-4 / 10383 * 100)
    assert shown.text == "-0,04 pct.-point" and shown.json == -0.04
    assert fig.contribution(1.25).text == "+1,3 pct.-point" and fig.contribution(0.0).json == 0.0
    assert not fig.contribution(float("nan")).known
