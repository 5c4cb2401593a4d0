"""The Metode page as each council's reader sees it: the council's own values (deadlines, lags, tolerances) in
Danish, never a setting's name in a value's place, and the cut-off explained with one of the council's own meetings
(issue 28)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT
from councils import write_council
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_generated_councils import councils

from councilbook.assembly.methodpage import TEMPLATE, render_method_page
from councilbook.core.errors import InputError
from councilbook.core.formats import format_month
from councilbook.parameters.load import load_parameters
from councilbook.parameters.model import Parameters
from councilbook.project.cutoff import meeting_cutoff

COUNCILS = {"sample": ROOT / "parameters", "nord": ROOT / "tests/fixtures/nord/parameters"}
SETTINGS = ("material_ready_days", "data_publication_lag_days", "status_tolerance_pct", "status_tolerance_pp")
AS_OF = date(2030, 1, 1)  # after every meeting of the test councils


def template() -> str:
    return (ROOT / "book" / TEMPLATE).read_text(encoding="utf-8")


def danish(value: float) -> str:
    """``2.0`` → ``2``, ``1.5`` → ``1,5``: a setting's value as a reader writes it."""
    return (str(int(value)) if value == int(value) else repr(value)).replace(".", ",")


def expected_values(params: Parameters) -> dict[str, str]:
    """Each setting's value as the page must show it, from the parameters."""
    council = params.council
    dage = lambda n: f"{n} dag" if n == 1 else f"{n} dage"  # noqa: E731
    return {
        "material_ready_days": dage(council.publication.material_ready_days),
        "data_publication_lag_days": dage(council.data_publication_lag_days),
        "status_tolerance_pct": f"{danish(council.status_tolerance_pct)} % af målet",
        "status_tolerance_pp": f"{danish(council.status_tolerance_pp)} procentpoint",
    }


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def bare_setting_names(page: str, values: dict[str, str]) -> list[str]:
    """Lines that name a setting without its value beside it."""
    return [
        line.strip()
        for line in plain(page).splitlines()
        for name, value in values.items()
        if name in line and value not in line
    ]


def cutoff_month(page: str) -> str:
    found = re.search(r"Skæringsmåneden er derfor (\w+ \d{4})", page)
    assert found, "the page works the cut-off through for a meeting"
    return found.group(1)


def check_page(page: str, params: Parameters, as_of: date = AS_OF) -> None:
    values = expected_values(params)
    for value in values.values():
        assert value in plain(page)
    assert not bare_setting_names(page, values)
    assert "{{" not in page and "{%" not in page
    held = [m for m in params.meetings if m.date <= as_of]
    if params.meetings:
        # the latest meeting held by then (the book shows those), else the council's first meeting
        shown = max(held, key=lambda m: m.date) if held else min(params.meetings, key=lambda m: m.date)
        assert cutoff_month(page) == format_month(meeting_cutoff(shown, params.council))
        own = {format_month(meeting_cutoff(m, params.council)) for m in params.meetings}
        assert cutoff_month(page) in own


@pytest.mark.parametrize("council", sorted(COUNCILS))
def test_the_page_shows_the_councils_values(council: str) -> None:
    params = load_parameters(COUNCILS[council])
    page = render_method_page(template(), params, AS_OF)
    check_page(page, params)
    # the closing table names each setting beside its value, for the secretariat
    for name, value in expected_values(params).items():
        assert re.search(rf"\| {re.escape(value)} \| `[a-z_.]*{name}` \|", plain(page))


def test_a_second_council_gets_its_own_years_not_the_samples() -> None:
    sample = render_method_page(template(), load_parameters(COUNCILS["sample"]), AS_OF)
    nord = render_method_page(template(), load_parameters(COUNCILS["nord"]), AS_OF)
    assert cutoff_month(sample) != cutoff_month(nord)
    assert "2013" not in cutoff_month(nord) and "maj 2013" not in nord


def test_the_old_static_page_fails_the_check() -> None:
    """The page as it was named the settings where their values belong."""
    old = "Materialet til et møde er klar `material_ready_days` dage før mødet (pakkedatoen)."
    assert bare_setting_names(old, expected_values(load_parameters(COUNCILS["sample"])))


def test_the_at_risk_examples_agree_with_the_status_rule() -> None:
    """The page's worked limits of "I risiko" are where the status code puts them."""
    from test_methods import shown

    from councilbook.analysis.status import classify_status

    params = load_parameters(COUNCILS["nord"])
    page = plain(render_method_page(template(), params, AS_OF))
    found = re.search(
        r"højst 1\.000 er en prognose på 1\.001\s+til (\d\.\d{3}) altså i risiko, og fra (\d\.\d{3})", page
    )
    assert found
    last, first_off = (int(x.replace(".", "")) for x in found.groups())

    def status(forecast: int) -> str:
        figures = shown(float(forecast), 1000.0, float(forecast), float(forecast), "lower")
        return classify_status(figures, "lower", False, params.council.status_tolerance_pct, True)

    assert status(last) == "at_risk" and status(first_off) == "off_track"


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    ready=st.integers(0, 90),
    lag=st.integers(0, 365),
    pct=st.floats(0, 50).map(lambda x: round(x, 1)),
    pp=st.floats(0, 50).map(lambda x: round(x, 2)),
)
def test_any_valid_settings_render(ready: int, lag: int, pct: float, pp: float) -> None:
    """Every value the schema accepts renders, shown as it is, with the cut-off worked through correctly."""
    sample = load_parameters(COUNCILS["sample"])
    council = sample.council.model_copy(
        update={
            "publication": sample.council.publication.model_copy(update={"material_ready_days": ready}),
            "data_publication_lag_days": lag,
            "status_tolerance_pct": pct,
            "status_tolerance_pp": pp,
        }
    )
    params = replace(sample, council=council)
    check_page(render_method_page(template(), params, AS_OF), params)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(spec=councils())
def test_generated_councils_get_their_page(spec: dict, tmp_path_factory: pytest.TempPathFactory) -> None:
    """What validate accepts, the page renders for (the generated councils of test_generated_councils)."""
    root: Path = tmp_path_factory.mktemp("council")
    contracts = {2021: {"title": "Kontrakt 2021", "published": "2021-03-15", "goals": spec["goals"]}}
    params_dir, _data = write_council(
        root, spec["council"], spec["measures"], contracts, {2021: spec["meetings"]}, {}, []
    )
    try:
        params = load_parameters(params_dir)
    except InputError:
        event("refused by validate")
        return
    event("accepted by validate")
    check_page(render_method_page(template(), params, date(2021, 6, 30)), params, date(2021, 6, 30))


@pytest.mark.book
def test_the_built_book_shows_the_values(sample_html: Path) -> None:
    """End to end: the sample book's Metode page (at its old address) shows the council's values."""
    from bs4 import BeautifulSoup

    params = load_parameters(COUNCILS["sample"])
    page = BeautifulSoup((sample_html / "metode.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.select_one("main, article, body").get_text(" ").split())  # type: ignore[union-attr]
    for value in expected_values(params).values():
        assert value in plain(text)
    latest = max(params.meetings, key=lambda m: m.date)
    assert f"Skæringsmåneden er derfor {format_month(meeting_cutoff(latest, params.council))}" in text
    assert "status_tolerance_pct" not in text.split("Rådets indstillinger")[0]


def test_a_council_without_meetings_gets_the_rule_without_an_example() -> None:
    params = replace(load_parameters(COUNCILS["nord"]), meetings=[])
    page = render_method_page(template(), params, AS_OF)
    check_page(page, params)
    assert "Skæringsmåneden er derfor" not in page and "Et eksempel fra rådets egne møder" not in page
