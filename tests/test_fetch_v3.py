"""`councilbook fetch` and `councilbook tables` on version 3 of the jobindsats.dk API, end to end against a
local server that answers as version 3 does (tests/jobindsats_v3.py), and the answers' reading on its own:
real and constructed answers (tests/fixtures/api), and generated ones (hypothesis)."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import MINI, ROOT, copy_project
from councils import write_figures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jobindsats_v3 import KEY, read_tidy_figures, serve, universe_for
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.core.errors import Problem
from councilbook.core.periods import PeriodCodeError, normalise_code, parse_api_period, parse_period, period_code
from councilbook.data.areas import AreaIndex
from councilbook.data.jobindsats_answer import read_answer, read_figures
from councilbook.data.jobindsats_spec import SpecMismatch, read_catalogue, read_spec, resolve
from councilbook.parameters.load import load_parameters
from councilbook.parameters.model import Council, JobindsatsSource, Measure

FIXTURES = ROOT / "tests/fixtures/api"
SAMPLE_FIGURES = ROOT / "data/sample-tidy/jobindsats_sample.csv"
NORD = ROOT / "tests/fixtures/nord"
runner = CliRunner()


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fetch(url: str, params: Path, data: Path, raw: Path, *options: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("JOBINDSATS_API_KEY", KEY)
    monkeypatch.setenv("JOBINDSATS_API_URL", url)
    return runner.invoke(app, ["fetch", "--params", str(params), "--data", str(data), "--raw", str(raw), *options])


def fetched_figures(folder: Path) -> dict[tuple[str, str, str], float | None]:
    """Every figure of the tidy files `councilbook fetch` wrote in ``folder``."""
    found: dict[tuple[str, str, str], float | None] = {}
    for path in folder.glob("jobindsats-*.csv"):
        found.update(read_tidy_figures(path))
    return found


def data_requests(universe: Any) -> list[dict[str, Any]]:
    return [r for r in universe.requests if r["path"].startswith("/v3/data/")]


# ---------------------------------------------------------------------------
# The sample council end to end: fetch, then validate and status on what was fetched
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_fetch_the_sample_then_validate_and_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tidy CSV holds exactly the figures served (withheld ones missing; no totals, aggregates, duplicates
    or other measures), though the server shuffles, repeats and pads its answers; every request is one the
    real server takes; where the figures come from is recorded; validate and status run on the result."""
    params = load_parameters(ROOT / "parameters")
    figures = read_tidy_figures(SAMPLE_FIGURES)
    universe = universe_for(params, figures, noisy=True)
    data, raw = tmp_path / "data", tmp_path / "raw"
    with serve(universe) as url:
        result = fetch(url, ROOT / "parameters", data, raw, "--from-year", "2009", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output + result.stderr
    fetched = fetched_figures(data)
    assert fetched == figures
    withheld = sum(v is None for v in figures.values())
    assert withheld > 0 and f"{withheld} skjult af diskretionshensyn" in result.output
    assert "langtidsledige: tabel y25i09 (Antal langtidsledige personer), hentet januar 2009 til december 2013: " in (
        result.output
    )
    # The requests: lower-case ids, the key as Bearer, format=json, at most 24 periods, every breakdown named.
    for request in universe.requests:
        assert request["auth"] == f"Bearer {KEY}" and request["query"]["format"] == "json"
        assert request["path"] == request["path"].lower()
    for request in data_requests(universe):
        table = universe.tables[request["path"].rsplit("/", 1)[1]]
        periods = next(v for k, v in request["query"].items() if k.startswith("period."))
        assert len(periods.split(",")) <= 24
        named = {k.partition(".")[2] for k in request["query"] if k.startswith("hierarchy.")}
        assert named == {"_nykom"} | {b.id for b in table.breakdowns}
        assert request["query"]["hierarchy._nykom"] != "*"
    assert sum(1 for r in universe.requests if r["path"].startswith("/v3/table/")) == len(universe.tables)
    # Where each measure comes from.
    source = yaml.safe_load((data / "datasource.yml").read_text(encoding="utf-8"))
    origin = source["fetched"]["unge_ydelse"]
    assert origin["table"] == "y30a02" and origin["measure"] == "Antal personer"
    assert origin["selection"] == "Alder30: Under 30 år; Uddannelse: Uden erhvervskompetencegivende uddannelse"
    assert origin["update_latest"] == "2026-07-21" and origin["fetched"][:4] >= "2026"
    # Every raw answer is kept as it came, and none holds the key.
    kept = list(raw.rglob("*.json"))
    assert len(kept) == len(universe.requests)
    assert not any(KEY in p.read_text(encoding="utf-8") for p in [*kept, *data.iterdir()] if p.is_file())
    # validate and status run on the fetched figures (and the labour-market balances beside them).
    shutil.copytree(ROOT / "data/sample-tidy/arbejdsmarkedsbalancen", data / "arbejdsmarkedsbalancen")
    result = runner.invoke(app, ["validate", "--params", str(ROOT / "parameters"), "--data", str(data)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "(17.250 tal)" in result.output
    status = ["status", "--as-of", "2013-06-10", "--json", "--out", str(tmp_path / "status"), "--data"]
    as_fetched = runner.invoke(app, [*status, str(data)])
    as_bundled = runner.invoke(app, [*status, str(ROOT / "data/sample-tidy")])
    assert as_fetched.exit_code == 0, as_fetched.output + as_fetched.stderr
    assert json.loads(as_fetched.stdout)["goals"] == json.loads(as_bundled.stdout)["goals"]


def test_a_later_fetch_asks_only_for_what_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is asked for while the catalogue says a table has not been updated; after an update, only the
    new periods and the newest one fetched before; --all asks for everything again."""
    params = load_parameters(MINI / "parameters")
    figures = read_tidy_figures(MINI / "data/figures.csv")
    early = {k: v for k, v in figures.items() if k[2] < "2020M07"}
    universe = universe_for(params, early)
    data, raw = tmp_path / "data", tmp_path / "raw"
    with serve(universe) as url:
        assert fetch(url, MINI / "parameters", data, raw, "--from-year", "2019", monkeypatch=monkeypatch).exit_code == 0
        first = len(universe.requests)
        again = fetch(url, MINI / "parameters", data, raw, "--from-year", "2019", monkeypatch=monkeypatch)
        assert again.exit_code == 0, again.stderr
        assert "ingen nye tal (tabellen er opdateret 21. juli 2026, som sidst)" in again.output
        assert [r["path"] for r in universe.requests[first:]] == ["/v3/tables"]  # not even the specs
        # An earlier first year, the tables not updated: only the year not held (the default: 2018).
        earlier = fetch(url, MINI / "parameters", data, raw, monkeypatch=monkeypatch)
        assert earlier.exit_code == 0, earlier.stderr
        asked = [r["query"]["period.M"].split(",") for r in data_requests(universe)[-2:]]
        assert asked == [[f"2018M{m:02d}" for m in range(1, 13)]] * 2
        # The tables are updated with July 2020 onwards.
        later = universe_for(params, figures)
        later.requests = universe.requests
        for table in later.tables.values():
            table.update_latest = "2026-08-24"
        universe.tables, universe.figures = later.tables, later.figures
        before = len(universe.requests)
        result = fetch(url, MINI / "parameters", data, raw, monkeypatch=monkeypatch)
        assert result.exit_code == 0, result.stderr
        asked = [r["query"]["period.M"].split(",") for r in data_requests(universe)[-2:]]
        assert all(periods[0] == "2020M06" for periods in asked)  # the newest one held, then the new ones
        assert sum(1 for r in universe.requests[before:] if r["path"].startswith("/v3/table/")) == 2
        everything = fetch(url, MINI / "parameters", data, raw, "--all", monkeypatch=monkeypatch)
        assert everything.exit_code == 0
    fetched = fetched_figures(data)
    fetched_measures = {m.id for m in params.measures.values() if m.jobindsats}
    assert fetched == {k: v for k, v in figures.items() if k[0] in fetched_measures}


def test_fetch_the_second_council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quarters (2016Q01 ids), shares, two values summed, withheld figures: the nord council's fetched
    figures are those it holds, and with its other files beside them it validates."""
    from councilbook.data.ingest import load_dataset

    params = load_parameters(NORD / "parameters")
    dataset = load_dataset(NORD / "data", params)
    names = {jc.area_key: jc.name for jc in params.council.job_centres}
    held: dict[tuple[str, str, str], float | None] = {}
    by_jobcentre = []  # figures the data give for a job centre as a whole: the API has none, a file adds them
    for series in (dataset.monthly, dataset.quarterly, dataset.annual):
        for (measure, area, period), value in series.items():
            code = str(period) if isinstance(period, (int, np.integer)) else period_code(period)
            number = None if value != value else float(value)
            if params.measures[measure].jobindsats is None:
                continue
            if area.startswith("jc:"):
                by_jobcentre.append((measure, names[area], code, number))
            else:
                held[(measure, area, code)] = number
    universe = universe_for(params, held, noisy=True)
    data, raw = tmp_path / "data", tmp_path / "raw"
    data.mkdir()
    for name in ("rammevilkaar_tidy.csv", "unge_tidy.csv", "datasource.yml"):
        shutil.copy2(NORD / "data" / name, data / name)
    shutil.copytree(NORD / "data/arbejdsmarkedsbalancen", data / "arbejdsmarkedsbalancen")
    write_figures(data / "jobcentre.csv", by_jobcentre)
    with serve(universe) as url:
        result = fetch(url, NORD / "parameters", data, raw, "--from-year", "2012", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output + result.stderr
    fetched = fetched_figures(data)
    assert fetched == held
    assert any(k[2].endswith("Q1") for k in fetched) and any(v is None for v in fetched.values())
    flex = next(r for r in data_requests(universe) if "y60f01" in r["path"])
    assert flex["query"]["period.Q"].startswith("20") and "Q0" in flex["query"]["period.Q"]
    assert flex["query"]["hierarchy._alder"].count(",") == 1  # two values, summed
    source = yaml.safe_load((data / "datasource.yml").read_text(encoding="utf-8"))
    assert source["title"] == "Testdata for Nordjylland (opdigtede tal)" and source["sample"] is True  # kept
    result = runner.invoke(app, ["validate", "--params", str(NORD / "parameters"), "--data", str(data)])
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.book
def test_a_book_built_on_fetched_figures_says_where_they_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mini council fetched, then built: "Om tallene" names each fetched measure's table, measure,
    selection, the table's update and the day fetched."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "parameters")
    shutil.copytree(MINI / "parameters", project / "parameters")
    params = load_parameters(project / "parameters")
    figures = read_tidy_figures(MINI / "data/figures.csv")
    universe = universe_for(params, figures)
    data = project / "data" / "fetched"
    data.mkdir()
    fetched_measures = {m.id for m in params.measures.values() if m.jobindsats}
    with (MINI / "data/figures.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle)]
    with (data / "rammevilkaar.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            [rows[0], *[r for r in rows[1:] if r[0] not in fetched_measures]]
        )
    shutil.copytree(MINI / "data/arbejdsmarkedsbalancen", data / "arbejdsmarkedsbalancen")
    with serve(universe) as url:
        result = fetch(url, project / "parameters", data, tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output + result.stderr
    result = runner.invoke(
        app, ["--project", str(project), "build", "--no-pdf", "--data", "data/fetched", "--as-of", "2021-12-31"]
    )
    assert result.exit_code == 0, result.output + result.stderr
    pages = list((project / "_build/html/generated").rglob("*.html"))
    status_pages = [p for p in pages if "meetings" in p.parts]
    assert status_pages
    text = status_pages[0].read_text(encoding="utf-8")
    assert "Hentet fra jobindsats.dk’s API (version 3)" in text or "Hentet fra jobindsats.dk's API (version 3)" in text
    assert "tabel y07a02" in text and "målet »Antal personer«" in text and "tabellen opdateret 21. juli 2026" in text


# ---------------------------------------------------------------------------
# What measures.yml asks for that the table does not hold, and what the server refuses
# ---------------------------------------------------------------------------


def mini_copy(tmp_path: Path, **entries: dict[str, Any]) -> Path:
    """A copy of the mini council's parameters with other jobindsats entries (measure id -> entry)."""
    target = tmp_path / "parameters"
    shutil.copytree(MINI / "parameters", target)
    measures = yaml.safe_load((target / "measures.yml").read_text(encoding="utf-8"))
    for measure in measures["measures"]:
        if measure["id"] in entries:
            measure["jobindsats"] = entries[measure["id"]]
    (target / "measures.yml").write_text(yaml.safe_dump(measures, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def mini_universe() -> Any:
    params = load_parameters(MINI / "parameters")
    return universe_for(params, read_tidy_figures(MINI / "data/figures.csv"))


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        (
            {"table": "y07a02", "measure": "Antal personer", "select": {"_kon": "Kvinderr"}},
            "jobindsats.select._kon",
            "_kon i tabellen y07a02 har ingen værdi 'Kvinderr'; den har 'Køn i alt', 'Mænd', 'Kvinder'; mente du "
            "'Kvinder'?",
        ),
        (
            {"table": "y07a02", "measure": "Antal persooner"},
            "jobindsats.measure",
            "tabellen y07a02 har intet mål 'Antal persooner' (navn eller id); den har 'Antal fuldtidspersoner', "
            "'Antal personer'; mente du 'Antal personer'?",
        ),
        (
            {"table": "y07a02", "measure": "Antal personer", "select": {"_koen": "Kvinder"}},
            "jobindsats.select._koen",
            "tabellen y07a02 har ingen opdeling '_koen'; den har '_kon'; mente du '_kon'?",
        ),
        (
            {"table": "y07a02", "measure": "Antal personer", "period": "Q"},
            "jobindsats.period",
            "tabellen y07a02 har ingen perioder af typen Q; den har M (måneder)",
        ),
        (
            {"table": "y07a02"},
            "jobindsats.measure",
            "skriv i measure:, hvilket mål i tabellen y07a02 der er nøgletallet; tabellen har "
            "'Antal fuldtidspersoner', 'Antal personer'",
        ),
        (
            {"table": "y99x99", "measure": "Antal personer"},
            "jobindsats.table",
            "tabellen y99x99 findes ikke i jobindsats.dk's katalog (version 3; nogle tabeller fra version 2 findes "
            "ikke længere): se tabellerne med `councilbook tables`",
        ),
    ],
)
def test_a_name_the_table_does_not_hold_is_an_error_naming_what_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any, entry: dict, where: str, message: str
) -> None:
    params = mini_copy(tmp_path, ledige=entry)
    with serve(mini_universe) as url:
        result = fetch(url, params, tmp_path / "data", tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and where in result.stderr, result.stderr
    assert not data_requests(mini_universe)
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").glob("*.csv"))


def _without_municipalities(table: Any) -> None:
    table.nykom = False


def _without_aaby(table: Any) -> None:
    table.municipalities = [m for m in table.municipalities if m[1] != "Åby"]


def _rolling_years_only(table: Any) -> None:
    table.periods = {"QMAT": ["2020QMAT01", "2020QMAT02"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _without_municipalities,
            "tabellen y07a02 har ikke tal for kommuner (hierarkiet _nykom i _omrade); dens områder er _region: vælg "
            "en tabel med kommuner (councilbook tables)",
        ),
        (_without_aaby, "kommunerne i tabellen y07a02 (_nykom) har ikke 804 Åby fra council.yml"),
        (
            _rolling_years_only,
            "tabellen y07a02 har kun QMAT (rullende år); councilbook læser måneder, kvartaler og år, ikke rullende "
            "år: vælg en anden tabel (councilbook tables)",
        ),
    ],
    ids=["no _nykom", "a municipality missing", "rolling years only"],
)
def test_a_table_the_council_cannot_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any, change: Any, message: str
) -> None:
    change(mini_universe.tables["y07a02"])
    with serve(mini_universe) as url:
        result = fetch(url, MINI / "parameters", tmp_path / "data", tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not data_requests(mini_universe)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"table": "Y07A02", "variable": "Antal personer"},
            "`variable` er fra version 2 af jobindsats.dk's API, som er lukket; skriv målets navn som `measure:`",
        ),
        (
            {"table": "Y07A02", "filters": {"_kon": ["Kvinder"]}},
            "`filters` er fra version 2 af jobindsats.dk's API, som er lukket; skriv udvalget som `select:`",
        ),
    ],
)
def test_a_version_2_entry_says_what_to_write_instead(tmp_path: Path, entry: dict, message: str) -> None:
    params = mini_copy(tmp_path, ledige=entry)
    result = runner.invoke(app, ["validate", "--params", str(params), "--data", str(MINI / "data")])
    assert result.exit_code == 2
    assert message in result.stderr and "jobindsats" in result.stderr


def test_a_changed_measure_name_fails_clearly_not_with_the_last_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any
) -> None:
    """The server answers with the measure under another label (as v2 -> v3 renamed them): an error naming the
    columns, never the figures of another column."""
    table = mini_universe.tables["y07a02"]
    original = mini_universe.data

    def renamed(fake: Any, query: dict[str, str]) -> tuple[int, Any]:
        status, body = original(fake, query)
        if status == 200:
            body["columns"] = [c.replace("Antal personer", "Antal personer ") for c in body["columns"]]
        return status, body

    mini_universe.data = renamed  # type: ignore[method-assign]
    with serve(mini_universe) as url:
        result = fetch(url, MINI / "parameters", tmp_path / "data", tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "svaret for tabellen y07a02 har ingen kolonne 'Antal personer' (målet i tabellens beskrivelse)" in (
        result.stderr
    )
    assert table.id == "y07a02" and not (tmp_path / "data").exists()


def test_the_front_door_page_once_then_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any
) -> None:
    mini_universe.failures["/v3/tables"] = 1
    with serve(mini_universe) as url:
        result = fetch(url, MINI / "parameters", tmp_path / "data", tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert [r["path"] for r in mini_universe.requests[:2]] == ["/v3/tables", "/v3/tables"]


def test_a_wrong_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any) -> None:
    with serve(mini_universe) as url:
        monkeypatch.setenv("JOBINDSATS_API_KEY", "forkert-noegle")
        monkeypatch.setenv("JOBINDSATS_API_URL", url)
        arguments = ["--params", str(MINI / "parameters"), "--data", str(tmp_path / "d"), "--raw", str(tmp_path / "r")]
        result = runner.invoke(app, ["fetch", *arguments])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Hentningen fejlede: jobindsats.dk afviste API-nøglen (HTTP 401): nøglen i JOBINDSATS_API_KEY er forkert "
        "eller udløbet. Tjek, at den er skrevet rigtigt (uden »Bearer« foran"
    )
    assert "forkert-noegle" not in result.stderr + result.output


def test_tables_lists_the_catalogue_and_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any
) -> None:
    monkeypatch.setenv("JOBINDSATS_API_KEY", KEY)
    raw = ["--raw", str(tmp_path / "raw")]
    with serve(mini_universe) as url:
        monkeypatch.setenv("JOBINDSATS_API_URL", url)
        listing = runner.invoke(app, ["tables", *raw])
        one = runner.invoke(app, ["tables", "Y07A02", *raw])
        none = runner.invoke(app, ["tables", "--search", "ingen-tabel-hedder-sådan", *raw])
        missing = runner.invoke(app, ["tables", "y07a20", *raw])
    assert listing.exit_code == 0, listing.stderr
    assert listing.stdout.splitlines()[:4] == [
        "2 tabeller på jobindsats.dk (version 3):",
        "",
        "Ydelser",
        "  y07a02       Tabel med ledige",
    ]
    assert "måneder til december 2021; opdateret 21. juli 2026, næste gang 24. august 2026" in listing.stdout
    assert one.exit_code == 0, one.stderr
    for line in (
        "Tabel y07a02: Tabel med ledige",
        "  Antal personer  (id measy07a02_1)",
        "  M: måneder, januar 2018 til december 2021, 48 perioder",
        "  _nykom Kommuner: 4 områder  <- kommunerne: dem henter councilbook",
        "  _kon Køn (i alt: Køn i alt)",
        "      Mænd, Kvinder",
        "    table: y07a02",
    ):
        assert line in one.stdout.splitlines(), (line, one.stdout)
    assert none.stdout.strip() == "Ingen tabel i kataloget har 'ingen-tabel-hedder-sådan' i navnet eller emnet."
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        "Tabellerne kunne ikke hentes: tabellen y07a20 findes ikke i jobindsats.dk's katalog (version 3; nogle "
        "tabeller fra version 2 findes ikke længere): se tabellerne med `councilbook tables`; mente du 'y07a02'?"
    )


def test_the_catalogue_as_recorded() -> None:
    catalogue = read_catalogue(fixture("catalogue_shape.json"))
    assert catalogue["y28a15"].update_next == "2026-12-16" and catalogue["y28a15"].period_types == {"Y": "2025Y01"}
    assert catalogue["smt02"].subject == "Indsatser"


# ---------------------------------------------------------------------------
# Real and constructed answers, read on their own
# ---------------------------------------------------------------------------

SPEC_MUNICIPALITIES = {
    "710": "Favrskov",
    "707": "Norddjurs",
    "730": "Randers",
    "706": "Syddjurs",
    "825": "Læsø",
    "741": "Samsø",
}


def y25i01_council() -> Council:
    return Council(
        name="Rådet",
        short_name="Rådet",
        region="Midt",
        mission="m",
        vision="v",
        roles=["r"],
        job_centres=[
            {"id": f"jc{code}", "name": f"Jobcenter {name}", "municipalities": {code: name}, "cluster": "A"}
            for code, name in SPEC_MUNICIPALITIES.items()
        ],
    )


def measure(kind: str = "count") -> Measure:
    return Measure(id="ledige", label="Ledige", unit="Personer", noun="antallet af ledige", kind=kind)


def y25i01_plan(**entry: Any) -> Any:
    source = JobindsatsSource(table="y25i01", **entry)
    return resolve(read_spec("y25i01", fixture("table_y25i01.json")), source, measure(), y25i01_council())


def test_the_constructed_spec_resolves_to_a_request_with_every_breakdown_named() -> None:
    plan = y25i01_plan(measure="Antal ledige personer", select={"_ygrpi09": "Kontanthjælp"})
    query = plan.params("2026M05,2026M06")
    assert query == {
        "mgroup.mgrpi01_1": "measi01_1",
        "period.M": "2026M05,2026M06",
        "hierarchy._nykom": "/710/,/707/,/730/,/706/,/825/,/741/",
        "hierarchy._ygrpi09": "/3/",
        "hierarchy._akassebl": "/",
        "hierarchy._kon": "/",
        "hierarchy._aldera": "/",
        "hierarchy._oprinda": "/",
    }
    assert plan.selection_text() == "Ydelsesgrupper: Kontanthjælp"
    assert y25i01_plan(measure="measi01_2").measure.name == "Antal ledige fuldtidspersoner"  # by its id


def test_the_constructed_answer_reads_as_served() -> None:
    """Kontanthjælp from the answer of all three benefit groups: the subtotal rows and Hele landet left out,
    Læsø's and Samsø's null withheld (missing, never 0)."""
    plan = y25i01_plan(measure="Antal ledige personer", select={"_ygrpi09": "Kontanthjælp"})
    answer = read_answer("y25i01", fixture("data_y25i01.json"))
    problems: list[Problem] = []
    index = AreaIndex.from_council(y25i01_council())
    plan = plan.__class__(**{**plan.__dict__, "periods": ["2026M05", "2026M06", "2026M07"]})
    reading = read_figures([(answer, "svar.json")], plan, "ledige", index, problems)
    assert problems == []
    got = {(f.area, f.period): f.value for f in reading.figures}
    assert len(got) == 18
    assert got[("710", "2026M05")] == 99 and got[("730", "2026M07")] == 476
    assert got[("825", "2026M05")] is None and got[("741", "2026M07")] is None
    assert reading.left_out == {"hele landet, regioner og uoplyst område": 9, "andre opdelinger og subtotaler": 36}


def test_period_ids_of_the_real_answers() -> None:
    real = ("real_unemployment_total.json", "real_sanctions_total.json", "real_longterm_akasser.json")
    answers = {name: read_answer("t", fixture(name)) for name in real}  # the real shapes are read
    rows = answers["real_longterm_akasser.json"].rows
    assert {r[3] for r in rows} > {"I alt", "Ingen a-kasse"}  # `*` brings the total with the values
    seen = {row[0] for answer in answers.values() for row in answer.rows}
    assert "2025Q04" in seen and "2026M05" in seen
    for code in seen:
        kind, span = parse_api_period(code)
        assert parse_period(normalise_code(code)) == span and kind in ("M", "Q")
    assert normalise_code("2025Q04") == "2025Q4" and normalise_code("2025Y01") == "2025"
    assert parse_api_period("2025QMAT01")[1].first == parse_period("2024M04").first
    with pytest.raises(PeriodCodeError, match="rullende år"):
        parse_period("2025QMAT01")


def test_the_spec_of_a_wrong_shape_names_where() -> None:
    broken = fixture("table_y25i01.json")
    del broken["dimensions"][1]["hierarchies"][0]["levels"][1]["values"][0]["value_name"]
    with pytest.raises(Exception, match=r"dimensions\[1\]\.hierarchies\[0\]\.levels\[1\]\.values\[0\]\.value_name"):
        read_spec("y25i01", broken)


def test_several_values_are_not_summed_for_a_share() -> None:
    source = JobindsatsSource(
        table="y25i01", measure="Antal ledige personer", select={"_ygrpi09": ["A-dagpenge", "Kontanthjælp"]}
    )
    spec = read_spec("y25i01", fixture("table_y25i01.json"))
    with pytest.raises(SpecMismatch, match="kan kun lægges sammen for et antal"):
        resolve(spec, source, measure("share"), y25i01_council())


# ---------------------------------------------------------------------------
# Generated answers: shuffled, duplicated, nulls, subtotals (hypothesis)
# ---------------------------------------------------------------------------

CELL = st.one_of(st.none(), st.integers(min_value=0, max_value=100_000))
PERIODS = ["2026M05", "2026M06", "2026M07"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.dictionaries(
        st.tuples(
            st.sampled_from(sorted(SPEC_MUNICIPALITIES)), st.sampled_from(PERIODS), st.sampled_from(["/2/", "/3/"])
        ),
        CELL,
        min_size=1,
    ),
    both=st.booleans(),
    seed=st.integers(0, 10_000),
    copies=st.integers(0, 4),
)
def test_generated_answers_read_as_the_figures_put_in(parts: dict, both: bool, seed: int, copies: int) -> None:
    names = {"/2/": "A-dagpenge", "/3/": "Kontanthjælp"}
    chosen = ["/2/", "/3/"] if both else ["/3/"]
    plan = y25i01_plan(measure="Antal ledige personer", select={"_ygrpi09": [names[c] for c in chosen]})
    plan = plan.__class__(**{**plan.__dict__, "periods": PERIODS})
    chance = random.Random(seed)
    measure_first = chance.random() < 0.5
    rows = []

    def row(period: str, area: str, group: str, akasse: str, value: Any) -> list[Any]:
        other = chance.randint(0, 9)
        values = [value, other] if measure_first else [other, value]
        return [period, area, group, akasse, *values]

    for (code, period, group), value in parts.items():
        rows.append(row(period, SPEC_MUNICIPALITIES[code], names[group], "I alt", value))
        rows.append(row(period, SPEC_MUNICIPALITIES[code], "Ydelsesgrupper i alt", "I alt", chance.randint(0, 9)))
        rows.append(row(period, SPEC_MUNICIPALITIES[code], names[group], "Ingen a-kasse", chance.randint(0, 9)))
        rows.append(
            row(
                period, chance.choice(["Hele landet", "Region Midtjylland", "Uoplyst område"]), names[group], "I alt", 7
            )
        )
    rows += [list(r) for r in chance.sample(rows, k=min(copies, len(rows)))]
    chance.shuffle(rows)
    columns = ["Periode", "Område", "Ydelsesgrupper", "A-kasse"]
    columns += (
        ["Antal ledige personer", "Antal ledige fuldtidspersoner"]
        if measure_first
        else [
            "Antal ledige fuldtidspersoner",
            "Antal ledige personer",
        ]
    )
    answer = read_answer("y25i01", {"columns": columns, "rows": rows})
    problems: list[Problem] = []
    reading = read_figures([(answer, "svar.json")], plan, "ledige", AreaIndex.from_council(y25i01_council()), problems)
    assert problems == []
    expected: dict[tuple[str, str], float | None] = {}
    for code in SPEC_MUNICIPALITIES:
        for period in PERIODS:
            present = [(code, period, g) in parts for g in chosen]
            if not all(present):
                continue
            values = [parts[(code, period, g)] for g in chosen]
            expected[(code, period)] = None if any(v is None for v in values) else float(sum(values))
    assert {(f.area, f.period): f.value for f in reading.figures} == expected


def test_an_unknown_area_and_a_figure_given_twice_are_problems_naming_the_row() -> None:
    plan = y25i01_plan(measure="Antal ledige personer")
    plan = plan.__class__(**{**plan.__dict__, "periods": PERIODS})
    answer = read_answer(
        "y25i01",
        {
            "columns": ["Periode", "Område", "Antal ledige personer"],
            "rows": [
                ["2026M05", "Randers", 1898],
                ["2026M05", "Randers", 1898],  # the same row twice: once
                ["2026M05", "Favrskov", 652],
                ["2026M06", "Favrskov", 653],
                ["2026M06", "Favrskov", 624],  # the same cell with another figure
                ["2026M05", "Aarhus", 7000],  # not one of the council's municipalities
            ],
        },
    )
    problems: list[Problem] = []
    reading = read_figures([(answer, "svar.json")], plan, "ledige", AreaIndex.from_council(y25i01_council()), problems)
    assert problems == [
        Problem(
            "svar.json",
            "rows[4]",
            "Favrskov 2026M06 står også i svar.json (rows[3]) med et andet tal (653 og 624)",
        ),
        Problem("svar.json", "rows[5]", "området 'Aarhus' er hverken en af rådets kommuner eller et af dets jobcentre"),
    ]
    assert reading.left_out == {"ens rækker": 1}


def test_two_measures_of_one_table_ask_for_its_spec_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_universe: Any
) -> None:
    """Even where the catalogue gives no update day (so no spec kept from before can be trusted)."""
    params = mini_copy(tmp_path, sygedagpenge_lange={"table": "y07a02", "measure": "Antal fuldtidspersoner"})
    mini_universe.tables["y07a02"].update_latest = ""
    with serve(mini_universe) as url:
        result = fetch(url, params, tmp_path / "data", tmp_path / "raw", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert [r["path"] for r in mini_universe.requests].count("/v3/table/y07a02") == 1
    assert len(data_requests(mini_universe)) == 4  # two measures, 48 months each in two chunks
