"""The jobindsats.dk API client (version 3) against recorded answers served from a local HTTP server (no
network), and against a local server that misbehaves: answers that trickle, stall or never end, come slowly,
fail for a while, are turned away at the front door, or come in the wrong shape."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
import yaml
from conftest import QuietServer, running
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.core.errors import Problem, display_path
from councilbook.data.areas import AreaIndex
from councilbook.data.ingest import load_dataset
from councilbook.data.jobindsats_answer import DataAnswer, read_answer, read_figures
from councilbook.data.jobindsats_api import ApiError, JobindsatsClient, fetch_figures, periods_from
from councilbook.data.jobindsats_http import Session
from councilbook.data.jobindsats_spec import Plan, read_spec, resolve
from councilbook.parameters.load import load_parameters
from councilbook.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests/fixtures/api"
MINI = ROOT / "tests/fixtures/mini"
GOOD_KEY = "test-key-123"
BEARER = f"Bearer {GOOD_KEY}"
runner = CliRunner()

# What the mini council's measure `ledige` (y07a02, "Antal personer") asks for from 2021 on.
LEDIGE_QUERY = {
    "mgroup.mgrpa02_2": "measa02_2",
    "period.M": "2021M01,2021M02",
    "hierarchy._nykom": "/801/,/802/,/803/,/804/",
    "hierarchy._kon": "/",
}
KEY_REFUSED = (
    "jobindsats.dk afviste API-nøglen (HTTP 401): nøglen i JOBINDSATS_API_KEY er forkert eller udløbet. Tjek, at den "
    "er skrevet rigtigt (uden »Bearer« foran: councilbook sender den som »Bearer <nøgle>«), eller bed STAR om en ny"
)
FRONT_DOOR = (RECORDED / "error_403_front_door.txt").read_bytes()
UNKNOWN_PERIOD = (RECORDED / "error_422_unknown_period_type.json").read_bytes()  # a real 422 body


def version_2(url: str) -> str:
    return (
        f"JOBINDSATS_API_URL ({url}) peger på version 2 af jobindsats.dk's API, som blev lukket efter 30. september "
        "2026; sæt JOBINDSATS_API_URL til https://api.jobindsats.dk/v3 (eller fjern den, så bruges den)"
    )


def send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str = "application/json", **headers: str
) -> None:
    """A whole answer (a client that left early is no error of the server's)."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


def recorded(path: str) -> Path | None:
    """The recorded answer to a version-3 path (``/v3/tables``, ``/v3/table/<id>``, ``/v3/data/<id>``)."""
    found = re.fullmatch(r"/v3/(tables|(?:table|data)/[a-z0-9_]+)", path)
    file = RECORDED / (found.group(1).replace("/", "_") + ".json") if found else None
    return file if file is not None and file.exists() else None


class RecordedApi(BaseHTTPRequestHandler):
    """Answers like api.jobindsats.dk (version 3) from the recorded files, and as strictly: only with
    ``Authorization: Bearer <key>`` (else 401 with an empty body), only for ``format=json``, and only for
    lower-case table ids (an upper-case id is not found)."""

    requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        RecordedApi.requests.append({"path": parts.path, "query": query, "auth": self.headers.get("Authorization")})
        if self.headers.get("Authorization") != BEARER:
            return send(self, 401, b"", "text/plain")
        if query.get("format") != "json":
            return send(self, 400, b'{"code":400,"cause":"format must be json"}')
        file = recorded(parts.path)
        if file is None:
            return send(self, 404, json.dumps({"code": 404, "cause": f"Not found: {parts.path}"}).encode())
        send(self, 200, file.read_bytes())


def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    with running(QuietServer(("127.0.0.1", 0), handler)) as root:
        yield root


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The recorded API's address: http://127.0.0.1:PORT/v3."""
    for root in serve(RecordedApi):
        yield f"{root}/v3"


_clients: list[JobindsatsClient] = []


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    RecordedApi.requests.clear()
    OddApi.hits.clear()
    OddApi.requests.clear()
    yield
    while _clients:
        _clients.pop().close()


def client(url: str, tmp_path: Path, key: str = GOOD_KEY, **settings: Any) -> JobindsatsClient:
    api = JobindsatsClient(Session(key, url, **settings), tmp_path / "raw")
    _clients.append(api)
    return api


def failure(call: Callable[..., Any], *args: Any) -> tuple[str, float]:
    """The ApiError's message (any other exception fails the test) and the seconds the call took."""
    start = time.monotonic()
    with pytest.raises(ApiError) as caught:
        call(*args)
    return str(caught.value), time.monotonic() - start


def caught_error(call: Callable[..., Any], *args: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(*args)
    return caught.value


def raw_files(tmp_path: Path) -> list[str]:
    """The raw answers kept, as folder/kind (the name's stamp and digest left out)."""
    found = []
    for path in (tmp_path / "raw").rglob("*.json"):
        named = re.fullmatch(r"\d{8}T\d{12}Z-([a-z]+)-[0-9a-f]{12}\.json", path.name)
        assert named is not None, path.name
        found.append(f"{path.parent.name}/{named.group(1)}")
    return sorted(found)


def by_mode(*cases: Any) -> list[Any]:
    """Parameters (mode, expected) named by their mode."""
    return [pytest.param(*case, id=case[0]) if type(case) is tuple else case for case in cases]


def ledige_plan(periods: list[str] | None = None) -> Plan:
    """The mini council's `ledige` resolved against the recorded spec of y07a02 (``periods``: the period ids
    its spec lists instead)."""
    params = load_parameters(MINI / "parameters")
    measure = params.measures["ledige"]
    answer = json.loads((RECORDED / "table_y07a02.json").read_text(encoding="utf-8"))
    if periods is not None:
        answer["periods"][0]["values"] = [{"period_id": p} for p in periods]
    assert measure.jobindsats is not None
    return resolve(read_spec("y07a02", answer), measure.jobindsats, measure, params.council)


# ---------------------------------------------------------------------------
# The recorded API
# ---------------------------------------------------------------------------


def test_reads_the_catalogue_and_the_spec_and_fetches_data_with_the_key(server: str, tmp_path: Path) -> None:
    api = client(server, tmp_path)
    catalogue = api.catalogue()
    assert sorted(catalogue) == ["y07a02", "y25c01"]
    listed = catalogue["y07a02"]
    assert (listed.name, listed.subject, listed.update_latest, listed.update_next) == (
        "Ledige",
        "Ledighed",
        "2021-03-22",
        "2021-04-19",
    )
    assert listed.period_types == {"M": "2021M02"}
    assert catalogue["y25c01"].subject == "Ydelser"

    spec = api.table_spec("y07a02", "2021-03-22")
    assert (spec.table, spec.name) == ("y07a02", "Ledige")
    assert spec.periods == {"M": ["2020M11", "2020M12", "2021M01", "2021M02"]}
    assert [(m.group, m.id, m.name) for m in spec.measures] == [
        ("mgrpa02_1", "measa02_1", "Antal fuldtidspersoner"),
        ("mgrpa02_2", "measa02_2", "Antal personer"),
    ]
    assert [(h.id, h.dimension) for h in spec.hierarchies] == [
        ("_nykom", "_omrade"),
        ("_region", "_omrade"),
        ("_kon", "_kon"),
    ]
    assert ledige_plan().params("2021M01,2021M02") == LEDIGE_QUERY

    answer, source = api.data("y07a02", LEDIGE_QUERY)
    assert answer.columns == ["Periode", "Område", "Køn", "Antal personer"]
    assert answer.rows[:2] == [
        ["2021M02", "Nordby", "Køn i alt", 1201],
        ["2021M01", "Hele landet", "Køn i alt", 101234],
    ]
    assert answer.rows[4] == ["2021M02", "Sydby", "Køn i alt", None]

    # GET, with format=json and the key as Bearer, every time.
    assert RecordedApi.requests == [
        {"path": "/v3/tables", "query": {"format": "json"}, "auth": BEARER},
        {"path": "/v3/table/y07a02", "query": {"format": "json"}, "auth": BEARER},
        {"path": "/v3/data/y07a02", "query": {**LEDIGE_QUERY, "format": "json"}, "auth": BEARER},
    ]
    # Every answer is kept as it came, with its request and the time, never the key.
    assert raw_files(tmp_path) == ["_katalog/katalog", "y07a02/data", "y07a02/tabel"]
    assert [p.relative_to(tmp_path / "raw").parts[0] for p in api.fetched] == ["_katalog", "y07a02", "y07a02"]
    assert source == api.fetched[2].as_posix()
    records = [json.loads(p.read_text(encoding="utf-8")) for p in api.fetched]
    assert list(records[0]) == ["request", "fetched", "response"]
    assert list(records[1]) == ["request", "fetched", "update_latest", "response"]
    assert list(records[2]) == ["request", "fetched", "response"]
    assert records[0]["request"] == {"url": f"{server}/tables", "params": {}}
    assert records[1]["request"] == {"url": f"{server}/table/y07a02", "params": {}}
    assert records[1]["update_latest"] == "2021-03-22"
    assert records[2]["request"] == {"url": f"{server}/data/y07a02", "params": LEDIGE_QUERY}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", records[2]["fetched"])
    for record, name in zip(records, ["tables.json", "table_y07a02.json", "data_y07a02.json"], strict=True):
        assert record["response"] == json.loads((RECORDED / name).read_text(encoding="utf-8"))
    for path in api.fetched:
        assert GOOD_KEY not in path.read_text(encoding="utf-8")  # the key is never written down


def test_a_spec_is_reused_while_the_table_is_not_updated(server: str, tmp_path: Path) -> None:
    api = client(server, tmp_path)
    first = api.table_spec("y07a02", "2021-03-22")
    assert api.table_spec("y07a02", "2021-03-22") == first  # kept from the first time: not asked for again
    assert len(RecordedApi.requests) == 1
    assert client(server, tmp_path).table_spec("y07a02", "2021-03-22") == first  # also by a later run
    assert len(RecordedApi.requests) == 1
    api.table_spec("y07a02", "2021-04-19")  # the table was updated since: asked for anew
    api.table_spec("y07a02")  # no day of update known: asked for anew
    assert [r["path"] for r in RecordedApi.requests] == ["/v3/table/y07a02"] * 3
    assert raw_files(tmp_path) == ["y07a02/tabel"] * 3


def test_table_ids_are_sent_in_lower_case(server: str, tmp_path: Path) -> None:
    api = client(server, tmp_path)
    spec = api.table_spec("Y25I01")
    assert (spec.table, spec.name) == ("y25i01", "Ledighed: Faktiske antal ledige og fuldtidsledige")
    assert spec.measure("Antal ledige fuldtidspersoner") is not None
    assert [h.id for h in spec.areas] == ["_nykom", "_region"]
    answer, _ = api.data("Y25I01", {"mgroup.*": "*", "period.M": "latest:3", "hierarchy._nykom": "*"})
    assert answer.columns[:2] == ["Periode", "Område"]
    assert answer.columns[-2:] == [
        "Ledige fuldtidspersoner i pct. af arbejdsstyrken 16-66 år",
        "Ledige fuldtidspersoner i pct. af befolkningen 16-66 år",
    ]
    assert [r["path"] for r in RecordedApi.requests] == ["/v3/table/y25i01", "/v3/data/y25i01"]
    assert RecordedApi.requests[1]["query"] == {
        "mgroup.*": "*",
        "period.M": "latest:3",
        "hierarchy._nykom": "*",
        "format": "json",
    }
    assert raw_files(tmp_path) == ["y25i01/data", "y25i01/tabel"]


@pytest.mark.parametrize(
    "written",
    ["Bearer test-key-123", "bearer test-key-123", "  Bearer   test-key-123 \n"],
    ids=["Bearer", "bearer", "spaces"],
)
def test_a_key_written_with_bearer_is_sent_with_bearer_once(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    monkeypatch.setenv("JOBINDSATS_API_KEY", written)
    monkeypatch.setenv("JOBINDSATS_API_URL", server)
    api = JobindsatsClient.from_env(tmp_path / "raw", timeout=5)
    _clients.append(api)
    assert sorted(api.catalogue()) == ["y07a02", "y25c01"]
    assert [r["auth"] for r in RecordedApi.requests] == ["Bearer test-key-123"]


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.catalogue(),
        lambda api: api.table_spec("y07a02"),
        lambda api: api.data("y07a02", LEDIGE_QUERY),
    ],
    ids=["catalogue", "spec", "data"],
)
def test_a_wrong_key_is_explained_and_never_shown(server: str, tmp_path: Path, call: Any) -> None:
    api = client(server, tmp_path, key="wrong-key-987")
    error = caught_error(call, api)
    assert str(error) == KEY_REFUSED
    assert (error.status, error.cause, error.request_id) == (401, "", "")
    assert "wrong-key-987" not in str(error) + repr(error.args) + error.url
    assert len(RecordedApi.requests) == 1  # a refused key is not tried again
    assert RecordedApi.requests[0]["auth"] == "Bearer wrong-key-987"
    assert api.fetched == []
    assert not (tmp_path / "raw").exists()


def test_fetch_figures_asks_for_listed_periods_in_chunks_of_24(server: str, tmp_path: Path) -> None:
    months = [f"{year}M{month:02d}" for year in (2020, 2021, 2022) for month in range(1, 13)]
    plan = ledige_plan(months)
    answers = fetch_figures(client(server, tmp_path), plan, months[2:32], 2020, date(2026, 8, 1))
    assert len(answers) == 2
    assert [r["query"]["period.M"] for r in RecordedApi.requests] == [
        ",".join(months[2:26]),
        ",".join(months[26:32]),
    ]
    assert all(isinstance(answer, DataAnswer) for answer, _ in answers)
    assert raw_files(tmp_path) == ["y07a02/data", "y07a02/data"]


def test_periods_from_takes_the_periods_since_the_first_year_in_time_order() -> None:
    ids = ["2021M02", "2020M12", "2021M01", "soon", "2021M13", "20x1M01", ""]
    assert periods_from(ids, 2021) == ["2021M01", "2021M02"]
    assert periods_from(["2021Q04", "2020Q04", "2021Q01"], 2021) == ["2021Q01", "2021Q04"]
    assert periods_from(["2022Y01", "2020Y01", "2021Y01"], 2021) == ["2021Y01", "2022Y01"]
    assert periods_from([], 2021) == []


# ---------------------------------------------------------------------------
# An API that misbehaves: deadlines, size limits, retries, refusals, wrong shapes
# ---------------------------------------------------------------------------

DEADLINE = 1.0  # the clients' deadline in these tests
MARGIN = 0.5  # what a request may take past it
LIMIT = 4096  # the clients' size limit in these tests
TWO_GB = 2 * 1024**3
C3 = ["Periode", "Område", "Antal personer"]


def spec_body(**changes: Any) -> bytes:
    """A table spec with one of each part, changed as given (a key given as ... is left out)."""
    spec: dict[str, Any] = {
        "table_id": "t1",
        "periods": [{"periodtype_id": "M", "values": [{"period_id": "2021M01"}]}],
        "dimensions": [
            {
                "dimension_id": "_omrade",
                "hierarchies": [
                    {
                        "hierarchy_id": "_nykom",
                        "levels": [{"level_id": "nykom", "values": [{"value_id": "/801/", "value_name": "Nordby"}]}],
                    }
                ],
            }
        ],
        "mgroups": [{"mgroup_id": "g1", "measures": [{"measure_id": "m1", "measure_name": "Antal personer"}]}],
    }
    spec.update(changes)
    return json.dumps({k: v for k, v in spec.items() if v is not ...}, ensure_ascii=False).encode()


def one_dimension(**hierarchy: Any) -> list[dict[str, Any]]:
    base = {
        "hierarchy_id": "_nykom",
        "levels": [{"level_id": "nykom", "values": [{"value_id": "/8/", "value_name": "N"}]}],
    }
    base.update(hierarchy)
    return [{"dimension_id": "_omrade", "hierarchies": [{k: v for k, v in base.items() if v is not ...}]}]


def data_body(answer: Any) -> bytes:
    return json.dumps(answer, ensure_ascii=False).encode()


# Answers of the wrong shape: mode -> (the kind of request that gets it, its body); other requests get the
# recorded answer.
SHAPES: dict[str, tuple[str, bytes]] = {
    # not JSON
    "cut-json": ("tables", b'[{"subject_name": "Ydelser"'),
    "deep-json": ("tables", b"[" * 100_000),
    "nan-json": ("tables", b'[{"table_id": NaN}]'),
    "huge-number": ("tables", b"[" + b"9" * 5000 + b"]"),
    "html": ("tables", (RECORDED / "not_json.html").read_bytes()),
    # a catalogue without tables
    "catalogue-object": ("tables", b'{"Message": "An error has occurred."}'),
    "catalogue-empty": ("tables", b"[]"),
    "catalogue-null-id": (
        "tables",
        b'[{"subject_name": "Ydelser", "table_groups": [{"tables": [{"table_id": null, "table_name": "Ledige"}]}]}]',
    ),
    "bom": ("tables", b"\xef\xbb\xbf" + (RECORDED / "tables.json").read_bytes()),
    # specs of the wrong shape
    "spec-list": ("table", b'[{"periods": []}]'),
    "spec-null": ("table", b"null"),
    "spec-no-periods": ("table", spec_body(periods=...)),
    "spec-periods-object": ("table", spec_body(periods={"M": ["2021M01"]})),
    "spec-periods-long": ("table", spec_body(periods="x" * 100)),
    "spec-period-no-type": ("table", spec_body(periods=[{"values": []}])),
    "spec-period-type-empty": ("table", spec_body(periods=[{"periodtype_id": " ", "values": []}])),
    "spec-period-id-bool": ("table", spec_body(periods=[{"periodtype_id": "M", "values": [{"period_id": True}]}])),
    "spec-period-id-text": ("table", spec_body(periods=[{"periodtype_id": "M", "values": ["2021M01"]}])),
    "spec-no-dimensions": ("table", spec_body(dimensions=...)),
    "spec-dimension-no-id": ("table", spec_body(dimensions=[{"hierarchies": []}])),
    "spec-hierarchies-text": ("table", spec_body(dimensions=[{"dimension_id": "_omrade", "hierarchies": "_nykom"}])),
    "spec-hierarchy-text": ("table", spec_body(dimensions=[{"dimension_id": "_omrade", "hierarchies": ["_nykom"]}])),
    "spec-hierarchy-no-id": ("table", spec_body(dimensions=one_dimension(hierarchy_id=...))),
    "spec-no-levels": ("table", spec_body(dimensions=one_dimension(levels=...))),
    "spec-level-text": ("table", spec_body(dimensions=one_dimension(levels=["nykom"]))),
    "spec-values-object": (
        "table",
        spec_body(dimensions=one_dimension(levels=[{"level_id": "nykom", "values": {"/801/": "Nordby"}}])),
    ),
    "spec-value-no-name": (
        "table",
        spec_body(dimensions=one_dimension(levels=[{"level_id": "nykom", "values": [{"value_id": "/801/"}]}])),
    ),
    "spec-no-mgroups": ("table", spec_body(mgroups=...)),
    "spec-mgroup-no-id": ("table", spec_body(mgroups=[{"measures": []}])),
    "spec-no-measures": ("table", spec_body(mgroups=[{"mgroup_id": "g1"}])),
    "spec-measure-name-list": (
        "table",
        spec_body(mgroups=[{"mgroup_id": "g1", "measures": [{"measure_id": "m1", "measure_name": ["Antal"]}]}]),
    ),
    # data answers of the wrong shape
    "data-list": ("data", b"[]"),
    "data-null": ("data", b"null"),
    "data-empty-object": ("data", b"{}"),
    "no-columns": ("data", data_body({"rows": []})),
    "no-rows": ("data", data_body({"columns": C3})),
    "columns-text": ("data", data_body({"columns": "Periode", "rows": []})),
    "two-columns": ("data", data_body({"columns": ["Periode", "Område"], "rows": []})),
    "column-number": ("data", data_body({"columns": ["Periode", "Område", 5], "rows": []})),
    "rows-object": ("data", data_body({"columns": C3, "rows": {"n": 1}})),
    "row-object": ("data", data_body({"columns": C3, "rows": [{"Periode": "2021M01"}]})),
    "row-short": ("data", data_body({"columns": C3, "rows": [["2021M01", "Nordby"]]})),
    "row-long": ("data", data_body({"columns": C3, "rows": [["2021M01", "Nordby", 1], ["2021M01", "Sydby", 2, 3]]})),
    "cell-list": ("data", data_body({"columns": C3, "rows": [["2021M01", "Nordby", [1]]]})),
    "cell-bool": ("data", data_body({"columns": C3, "rows": [["2021M01", "Nordby", True]]})),
    "cell-object": ("data", data_body({"columns": C3, "rows": [["2021M01", "Nordby", {"n": 1}]]})),
}


class OddApi(BaseHTTPRequestHandler):
    """Misbehaves as the path's first part says (http://host:port/<mode>/v3/...): trickles, stalls, is slow, sends
    too much, fails (then works), is turned away at the front door, or answers in the wrong shape. Every loop
    stops by itself."""

    hits: ClassVar[Counter[str]] = Counter()  # path (without the query) -> requests
    requests: ClassVar[list[dict[str, Any]]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()
    retry_after: ClassVar[str] = "120"  # what mode "busy" sends as Retry-After

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        segments = parts.path.strip("/").split("/")  # <mode>/v3/tables or <mode>/v3/<table|data>/<id>
        mode, self.kind = segments[0], segments[2]
        self.table = segments[3] if len(segments) > 3 else ""
        self.recorded_path = "/" + "/".join(segments[1:])
        self.query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with OddApi.lock:
            OddApi.hits[parts.path] += 1
            self.hit = OddApi.hits[parts.path]
            OddApi.requests.append({"path": parts.path, "query": self.query, "auth": self.headers.get("Authorization")})
        if mode in SHAPES:
            shaped_kind, body = SHAPES[mode]
            if self.kind != shaped_kind:
                return self._recorded()
            return send(self, 200, body)
        getattr(self, "_" + mode.replace("-", "_"))()

    def _recorded(self) -> None:
        file = recorded(self.recorded_path)
        if file is None:
            return send(self, 404, b'{"code": 404, "cause": "Not found"}')
        send(self, 200, file.read_bytes())

    def _start(self, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.flush()

    def _drip(self, pieces: Any, pause: float = 0.5) -> None:
        """Send the pieces one at a time, ``pause`` seconds apart, until the client leaves."""
        for piece in pieces:
            try:
                self.wfile.write(piece)
                self.wfile.flush()
            except OSError:
                return
            time.sleep(pause)

    # -- deadlines ----------------------------------------------------------------------------------------

    def _trickle_headers(self) -> None:  # the status line itself, a byte at a time
        self._drip([bytes([b]) for b in b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[]"])

    def _trickle(self) -> None:  # no length: the body ends when the connection does
        self._start()
        self._drip([b"["] + [b" "] * 40)

    def _trickle_length(self) -> None:
        self._start(Content_Length="1000")
        self._drip([b"["] + [b" "] * 40)

    def _trickle_chunked(self) -> None:
        self.protocol_version = "HTTP/1.1"
        self._start(Transfer_Encoding="chunked")
        self._drip([b"1\r\n[\r\n"] + [b"1\r\n \r\n"] * 40)
        self.close_connection = True

    def _stall(self) -> None:  # a start, then silence
        self._start()
        self._drip([b"[", b" "], pause=2)

    def _slow(self) -> None:  # nothing for 1.5 s, then the whole answer
        time.sleep(1.5)
        self._recorded()

    # -- size ---------------------------------------------------------------------------------------------

    def _huge_length(self) -> None:
        self._start(Content_Length=str(TWO_GB))
        self._drip([b"[" + b" " * 1000], pause=0)

    def _huge_stream(self) -> None:
        self._start()
        self._drip((b" " * 65536 for _ in range(TWO_GB // 65536)), pause=0)

    def _huge_chunked(self) -> None:
        self.protocol_version = "HTTP/1.1"
        self._start(Transfer_Encoding="chunked")
        self._drip((b"10000\r\n" + b" " * 65536 + b"\r\n" for _ in range(TWO_GB // 65536)), pause=0)
        self.close_connection = True

    def _huge_error(self) -> None:  # a 2 GB error page: only its start is read
        self.send_response(500)
        self.end_headers()
        self._drip((b"Internal error " + b"x" * 65536 for _ in range(TWO_GB // 65536)), pause=0)

    # -- statuses -----------------------------------------------------------------------------------------

    def _flaky(self) -> None:  # 503 at first, then the recorded answer
        if self.hit == 1:
            return send(self, 503, b"Service Unavailable", "text/plain", Retry_After="0")
        self._recorded()

    def _down(self) -> None:
        send(self, 500, b"Internal error", "text/plain")

    def _busy(self) -> None:
        send(self, 429, b"Too many requests", "text/plain", Retry_After=OddApi.retry_after)

    def _front_door_once(self) -> None:  # the front door's 403 page once, then the recorded answer
        if self.hit == 1:
            return send(self, 403, FRONT_DOOR, "text/html")
        self._recorded()

    def _front_door(self) -> None:
        send(self, 403, FRONT_DOOR, "text/html")

    def _forbidden(self) -> None:  # a 403 of the API's own
        send(self, 403, b'{"code":403,"cause":"Forbidden","request_id":"0b1d4a9e-6f43-4a4e-9d2c-3f1c2f6e7a10"}')

    def _v2_key(self) -> None:  # what version 2 answered to a bad key
        send(self, 200, (RECORDED / "v2_bad_key.json").read_bytes())

    def _unknown_period(self) -> None:
        send(self, 422, UNKNOWN_PERIOD)

    def _only_29(self) -> None:  # a table with 29 periods that lists none in its spec
        asked = self.query.get("period.M", "")
        if self.kind == "data" and asked.startswith("latest:") and int(asked[7:]) > 29:
            cause = f"Requested {asked} for type M, but only 29 periods are available."
            body = {"code": 422, "cause": cause, "request_id": "acad05e4-6a09-40fa-86f5-887a657e0b77"}
            return send(self, 422, json.dumps(body).encode())
        self._recorded()

    def _gone(self) -> None:
        body = {
            "code": 404,
            "cause": f"Table not found: {self.table}",
            "request_id": "5d9f0c1e-2b7a-4c3d-8e6f-1a2b3c4d5e6f",
        }
        send(self, 404, json.dumps(body).encode())

    def _gone_without_id(self) -> None:  # as tests/jobindsats_v3.py answers an unknown table
        send(self, 404, json.dumps({"code": 404, "cause": f"Table not found: {self.table}"}).encode())

    def _missing(self) -> None:
        send(self, 404, b"Not Found", "text/html")

    def _renamed(self) -> None:  # y25c01's measure renamed since measures.yml was written
        if self.kind == "table" and self.table == "y25c01":
            spec = json.loads((RECORDED / "table_y25c01.json").read_text(encoding="utf-8"))
            spec["mgroups"][0]["measures"][1]["measure_name"] = "Antal forløb over 26 ugers varighed"
            return send(self, 200, json.dumps(spec, ensure_ascii=False).encode())
        self._recorded()

    def _unlisted(self) -> None:  # y25c01 is neither in the catalogue nor found
        if self.kind == "tables":
            catalogue = json.loads((RECORDED / "tables.json").read_text(encoding="utf-8"))
            return send(self, 200, json.dumps(catalogue[1:], ensure_ascii=False).encode())
        if self.table == "y25c01":
            return self._gone_without_id()
        self._recorded()


@pytest.fixture(scope="module")
def odd_server() -> Iterator[str]:
    yield from serve(OddApi)


def odd_client(root: str, mode: str, tmp_path: Path, **settings: Any) -> JobindsatsClient:
    """A client of the misbehaving API with small limits: a deadline of 1 s, 4 KB, tiny pauses between tries."""
    chosen: dict[str, Any] = dict(timeout=DEADLINE, max_bytes=LIMIT, retries=2, backoff=0.01, max_wait=0.05)
    chosen.update(settings)
    return client(f"{root}/{mode}/v3", tmp_path, **chosen)


@pytest.mark.parametrize("mode", ["trickle", "trickle-length", "trickle-chunked", "stall"])
def test_an_answer_that_trickles_or_stalls_ends_at_the_deadline(odd_server: str, tmp_path: Path, mode: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, elapsed = failure(api.catalogue)
    url = f"{odd_server}/{mode}/v3/tables?format=json"
    assert re.fullmatch(
        re.escape(f"svaret fra {url} var ikke færdigt inden for 1 sek. (") + r"\d byte nåede frem\); prøv igen senere",
        message,
    ), message
    assert DEADLINE - 0.1 < elapsed < DEADLINE + MARGIN
    assert OddApi.hits[f"/{mode}/v3/tables"] == 1  # a late answer is not tried again
    assert api.fetched == []


def test_headers_that_trickle_end_at_the_deadline(odd_server: str, tmp_path: Path) -> None:
    message, elapsed = failure(odd_client(odd_server, "trickle-headers", tmp_path).table_spec, "t1")
    assert message == (
        f"intet svar fra {odd_server}/trickle-headers/v3/table/t1?format=json inden for 1 sek.; prøv igen senere"
    )
    assert DEADLINE - 0.1 < elapsed < DEADLINE + MARGIN
    assert OddApi.hits["/trickle-headers/v3/table/t1"] == 1


def test_a_slow_answer_comes_through_within_a_longer_deadline(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "slow", tmp_path, timeout=3)
    start = time.monotonic()
    assert sorted(api.catalogue()) == ["y07a02", "y25c01"]
    assert 1.5 <= time.monotonic() - start < 3
    assert raw_files(tmp_path) == ["_katalog/katalog"]


def test_a_slow_answer_ends_at_a_shorter_deadline(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "slow", tmp_path, timeout=0.8)
    message, elapsed = failure(api.data, "y07a02", {"period.M": "2021M01"})
    assert message == (
        f"intet svar fra {odd_server}/slow/v3/data/y07a02?period.M=2021M01&format=json inden for 0,8 sek.; "
        "prøv igen senere"
    )
    assert 0.7 < elapsed < 0.8 + MARGIN
    assert OddApi.hits["/slow/v3/data/y07a02"] == 1
    assert api.fetched == []


def test_a_huge_content_length_is_refused_at_once(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "huge-length", tmp_path)
    message, elapsed = failure(api.data, "t1", {"period.M": "2021M01"})
    assert message == (
        f"svaret fra {odd_server}/huge-length/v3/data/t1?period.M=2021M01&format=json er på 2.147.483.648 byte (dets "
        "Content-Length), mere end grænsen på 4.096 byte; hent færre perioder ad gangen (--from-year)"
    )
    assert elapsed < MARGIN
    assert api.fetched == []


@pytest.mark.parametrize("mode", ["huge-stream", "huge-chunked"])
def test_a_huge_body_is_refused_once_it_passes_the_limit(odd_server: str, tmp_path: Path, mode: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, elapsed = failure(api.data, "t1", {"period.M": "2021M01"})
    assert message == (
        f"svaret fra {odd_server}/{mode}/v3/data/t1?period.M=2021M01&format=json nåede grænsen på 4.096 byte, før "
        "det sluttede; hent færre perioder ad gangen (--from-year)"
    )
    assert elapsed < MARGIN
    assert api.fetched == []


def test_a_huge_error_page_is_read_only_in_part(odd_server: str, tmp_path: Path) -> None:
    message, elapsed = failure(odd_client(odd_server, "huge-error", tmp_path, retries=0).table_spec, "t1")
    assert message == (
        f"GET {odd_server}/huge-error/v3/table/t1?format=json svarede HTTP 500: '{'Internal error ' + 'x' * 185}'; "
        "jobindsats.dk er nede eller har travlt: prøv igen senere"
    )
    assert elapsed < MARGIN


def test_a_503_is_tried_again_and_then_succeeds(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "flaky", tmp_path, sleep=time.sleep)
    assert sorted(api.catalogue()) == ["y07a02", "y25c01"]
    assert api.table_spec("Y07A02").name == "Ledige"
    answer, _ = api.data("Y07A02", LEDIGE_QUERY)
    assert answer.columns == ["Periode", "Område", "Køn", "Antal personer"]
    assert OddApi.hits == {"/flaky/v3/tables": 2, "/flaky/v3/table/y07a02": 2, "/flaky/v3/data/y07a02": 2}
    # Every try, the retries too, with format=json and the key as Bearer.
    assert [r["query"] for r in OddApi.requests] == [{"format": "json"}] * 4 + [{**LEDIGE_QUERY, "format": "json"}] * 2
    assert {r["auth"] for r in OddApi.requests} == {BEARER}
    assert raw_files(tmp_path) == ["_katalog/katalog", "y07a02/data", "y07a02/tabel"]  # only the answers that came


def test_a_persistent_500_fails_after_the_retries(odd_server: str, tmp_path: Path) -> None:
    pauses: list[float] = []
    api = odd_client(odd_server, "down", tmp_path, sleep=pauses.append)
    error = caught_error(api.data, "t1", {"period.M": "2021M01"})
    assert str(error) == (
        f"GET {odd_server}/down/v3/data/t1?period.M=2021M01&format=json svarede HTTP 500 alle 3 gange: "
        "'Internal error'; jobindsats.dk er nede eller har travlt: prøv igen senere"
    )
    assert (error.status, error.url) == (500, f"{odd_server}/down/v3/data/t1?period.M=2021M01&format=json")
    assert OddApi.hits["/down/v3/data/t1"] == 3
    assert pauses == [0.01, 0.02]  # the backoff doubles
    assert api.fetched == []


@pytest.mark.parametrize(
    ("retry_after", "pauses"),
    [
        ("120", [0.05, 0.05]),  # longer than the cap: the cap
        ("0", [0.0, 0.0]),
        ("Wed, 21 Oct 2015 07:28:00 GMT", [0.0, 0.0]),  # a date gone by
        ("soon", [0.01, 0.02]),  # not a Retry-After: the backoff
    ],
)
def test_a_persistent_429_fails_after_the_retries_respecting_retry_after(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retry_after: str, pauses: list[float]
) -> None:
    waited: list[float] = []
    monkeypatch.setattr(OddApi, "retry_after", retry_after)
    message, _ = failure(odd_client(odd_server, "busy", tmp_path, sleep=waited.append).catalogue)
    assert message == (
        f"GET {odd_server}/busy/v3/tables?format=json svarede HTTP 429 alle 3 gange: 'Too many requests'; "
        "jobindsats.dk beder om færre forespørgsler: vent et stykke tid, og prøv så igen"
    )
    assert waited == pauses
    assert OddApi.hits["/busy/v3/tables"] == 3


def test_the_front_doors_403_page_once_is_tried_again(odd_server: str, tmp_path: Path) -> None:
    pauses: list[float] = []
    api = odd_client(odd_server, "front-door-once", tmp_path, sleep=pauses.append)
    assert sorted(api.catalogue()) == ["y07a02", "y25c01"]
    assert OddApi.hits == {"/front-door-once/v3/tables": 2}
    assert pauses == [0.01]
    assert raw_files(tmp_path) == ["_katalog/katalog"]


@pytest.mark.parametrize("retries", [2, 5])
def test_the_front_doors_403_page_twice_fails(odd_server: str, tmp_path: Path, retries: int) -> None:
    api = odd_client(odd_server, "front-door", tmp_path, retries=retries, sleep=lambda _: None)
    error = caught_error(api.table_spec, "t1")
    assert str(error) == (
        f"GET {odd_server}/front-door/v3/table/t1?format=json blev afvist af jobindsats.dk's adgangsside (HTTP 403 "
        "alle 2 gange: 'You do not have permission to view this directory or page.'); den er set at forsvinde af "
        "sig selv: prøv igen om en times tid"
    )
    assert error.status == 403
    assert OddApi.hits == {"/front-door/v3/table/t1": 2}  # tried once more, however many retries are allowed
    assert api.fetched == []


def test_a_403_of_the_api_itself_is_not_tried_again(odd_server: str, tmp_path: Path) -> None:
    message, _ = failure(odd_client(odd_server, "forbidden", tmp_path).catalogue)
    assert message == (
        f"GET {odd_server}/forbidden/v3/tables?format=json svarede HTTP 403: Forbidden "
        "(request_id 0b1d4a9e-6f43-4a4e-9d2c-3f1c2f6e7a10)"
    )
    assert OddApi.hits["/forbidden/v3/tables"] == 1


def test_version_2s_answer_to_a_bad_key_is_explained(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "v2-key", tmp_path)
    message, _ = failure(api.catalogue)
    assert message == (
        "jobindsats.dk afviste API-nøglen (»Forkert nøgle eller nøglen er udløbet.«): nøglen i JOBINDSATS_API_KEY "
        "er forkert eller udløbet; tjek den, eller bed STAR om en ny"
    )
    assert OddApi.hits["/v2-key/v3/tables"] == 1
    assert api.fetched == []


def test_a_422_shows_the_apis_cause_and_request_id(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "unknown-period", tmp_path)
    error = caught_error(api.data, "t1", {"period.M": "latest:3"})
    url = f"{odd_server}/unknown-period/v3/data/t1?period.M=latest%3A3&format=json"
    assert str(error) == (
        f"GET {url} svarede HTTP 422: Unknown period type: M (request_id ebab4e76-aa65-478d-a44e-fea3ad21d823)"
    )
    assert (error.status, error.cause, error.request_id, error.url) == (
        422,
        "Unknown period type: M",
        "ebab4e76-aa65-478d-a44e-fea3ad21d823",
        url,
    )
    assert OddApi.hits["/unknown-period/v3/data/t1"] == 1  # a 422 is not tried again
    assert api.fetched == []


def test_fetch_figures_asks_for_the_latest_periods_and_then_for_as_many_as_there_are(
    odd_server: str, tmp_path: Path
) -> None:
    plan = ledige_plan(periods=[])  # a spec that lists no period ids
    assert plan.periods == []
    api = odd_client(odd_server, "only-29", tmp_path)
    answers = fetch_figures(api, plan, [], 2024, date(2026, 8, 1))  # 2024-2026: 36 months
    assert [r["query"]["period.M"] for r in OddApi.requests] == ["latest:36", "latest:29"]
    assert OddApi.requests[1]["query"] == {**LEDIGE_QUERY, "period.M": "latest:29", "format": "json"}
    assert OddApi.hits == {"/only-29/v3/data/y07a02": 2}
    assert len(answers) == 1
    answer, source = answers[0]
    assert answer.columns == ["Periode", "Område", "Køn", "Antal personer"]
    assert raw_files(tmp_path) == ["y07a02/data"]  # only the answer that came
    assert source == api.fetched[0].as_posix()


def test_fetch_figures_asks_for_fewer_only_as_many_as_the_api_says(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "only-29", tmp_path)
    fetch_figures(api, ledige_plan(periods=[]), [], 2025, date(2026, 8, 1))  # 24 months: there are enough
    assert [r["query"]["period.M"] for r in OddApi.requests] == ["latest:24"]


def test_fetch_figures_does_not_ask_again_after_another_422(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "unknown-period", tmp_path)
    error = caught_error(fetch_figures, api, ledige_plan(periods=[]), [], 2024, date(2026, 8, 1))
    assert error.cause == "Unknown period type: M"
    assert [r["query"]["period.M"] for r in OddApi.requests] == ["latest:36"]


def test_a_client_error_is_not_tried_again(odd_server: str, tmp_path: Path) -> None:
    message, _ = failure(odd_client(odd_server, "gone", tmp_path).table_spec, "t1")
    assert message == (
        f"GET {odd_server}/gone/v3/table/t1?format=json svarede HTTP 404: Table not found: t1 "
        "(request_id 5d9f0c1e-2b7a-4c3d-8e6f-1a2b3c4d5e6f)"
    )
    assert OddApi.hits["/gone/v3/table/t1"] == 1
    message, _ = failure(odd_client(odd_server, "missing", tmp_path).table_spec, "t1")
    assert message == f"GET {odd_server}/missing/v3/table/t1?format=json svarede HTTP 404: 'Not Found'"
    assert OddApi.hits["/missing/v3/table/t1"] == 1


def test_an_error_with_a_cause_but_no_request_id(odd_server: str, tmp_path: Path) -> None:
    message, _ = failure(odd_client(odd_server, "gone-without-id", tmp_path).table_spec, "t1")
    assert message.startswith(f"GET {odd_server}/gone-without-id/v3/table/t1?format=json svarede HTTP 404: ")
    assert "Table not found: t1" in message
    assert "request_id" not in message


def test_a_server_that_is_not_there(tmp_path: Path) -> None:
    with socket.socket() as spare:  # a port nobody listens on
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    message, elapsed = failure(odd_client(f"http://127.0.0.1:{port}", "none", tmp_path).catalogue)
    assert message == (
        f"http://127.0.0.1:{port}/none/v3/tables?format=json kan ikke nås (forbindelsen blev afvist); tjek "
        "netforbindelsen, og prøv igen senere"
    )
    assert elapsed < MARGIN


@pytest.mark.parametrize("path", ["/v2", "/v2/", "/proxy/v2", "/v2/tables"])
def test_a_version_2_address_is_refused_before_any_request(server: str, tmp_path: Path, path: str) -> None:
    root = server.removesuffix("/v3")
    with pytest.raises(ApiError) as caught:
        client(root + path, tmp_path)
    assert str(caught.value) == version_2((root + path).rstrip("/"))
    assert RecordedApi.requests == []


@pytest.mark.parametrize("url", ["api.jobindsats.dk/v3", "ftp://api.jobindsats.dk/v3", ""])
def test_an_address_that_is_no_address(tmp_path: Path, url: str) -> None:
    with pytest.raises(ApiError) as caught:
        client(url, tmp_path)
    assert str(caught.value) == f"JOBINDSATS_API_URL={url!r} er ikke en adresse; skriv fx https://api.jobindsats.dk/v3"


NOT_JSON = "svaret fra {url} er ikke JSON: "


@pytest.mark.parametrize(
    ("mode", "expected"),
    by_mode(
        ("cut-json", NOT_JSON + '\'[{"subject_name": "Ydelser"\''),
        ("deep-json", "svaret fra {url} ligger for mange niveauer inde i sig selv til at læses: '" + "[" * 120 + "'"),
        ("nan-json", NOT_JSON + "'[{\"table_id\": NaN}]'"),
        ("huge-number", NOT_JSON + "'[" + "9" * 119 + "'"),
        (
            "html",
            NOT_JSON
            + "'<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>\\n'",
        ),
    ),
)
def test_an_answer_that_is_not_json(odd_server: str, tmp_path: Path, mode: str, expected: str) -> None:
    api = odd_client(odd_server, mode, tmp_path, max_bytes=1_000_000)  # room for the deep and the long answers
    message, _ = failure(api.catalogue)
    assert message == expected.replace("{url}", f"{odd_server}/{mode}/v3/tables?format=json")
    assert api.fetched == []


CATALOGUE = "jobindsats.dk's katalog over tabeller ser ikke ud som ventet: der er ingen table_id i "


@pytest.mark.parametrize(
    ("mode", "expected"),
    by_mode(
        ("catalogue-object", CATALOGUE + '{"Message": "An error has occurred."}'),
        ("catalogue-empty", CATALOGUE + "[]"),
        (
            "catalogue-null-id",
            CATALOGUE + '[{"subject_name": "Ydelser", "table_groups": [{"tables": [{"table_id": null, "ta',
        ),
    ),
)
def test_a_catalogue_without_any_table(odd_server: str, tmp_path: Path, mode: str, expected: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, _ = failure(api.catalogue)
    assert message == expected
    assert raw_files(tmp_path) == ["_katalog/katalog"]  # the raw answer is kept, to see what came
    assert json.loads(api.fetched[0].read_text(encoding="utf-8"))["response"] == json.loads(SHAPES[mode][1])


def test_a_catalogue_with_a_byte_order_mark_is_read(odd_server: str, tmp_path: Path) -> None:
    assert sorted(odd_client(odd_server, "bom", tmp_path).catalogue()) == ["y07a02", "y25c01"]


SPEC = "tabellens beskrivelse for t1 ser ikke ud som ventet: "
LEVEL = "dimensions[0].hierarchies[0].levels[0]."


@pytest.mark.parametrize(
    ("mode", "expected"),
    by_mode(
        ("spec-list", 'svaret skulle være et objekt med periods, dimensions og mgroups, men er [{"periods": []}]'),
        ("spec-null", "svaret skulle være et objekt med periods, dimensions og mgroups, men er null"),
        ("spec-no-periods", "periods skulle være en liste, men er null"),
        ("spec-periods-object", 'periods skulle være en liste, men er {"M": ["2021M01"]}'),
        ("spec-periods-long", 'periods skulle være en liste, men er "' + "x" * 76 + "..."),
        ("spec-period-no-type", "periods[0].periodtype_id skulle være en tekst, men er null"),
        ("spec-period-type-empty", 'periods[0].periodtype_id skulle være en tekst, men er " "'),
        ("spec-period-id-bool", "periods[0].values[0].period_id skulle være en tekst, men er true"),
        ("spec-period-id-text", 'periods[0].values[0] skulle være et objekt med period_id, men er "2021M01"'),
        ("spec-no-dimensions", "dimensions skulle være en liste, men er null"),
        ("spec-dimension-no-id", "dimensions[0].dimension_id skulle være en tekst, men er null"),
        ("spec-hierarchies-text", 'dimensions[0].hierarchies skulle være en liste, men er "_nykom"'),
        (
            "spec-hierarchy-text",
            'dimensions[0].hierarchies[0] skulle være et objekt med hierarchy_id, men er "_nykom"',
        ),
        ("spec-hierarchy-no-id", "dimensions[0].hierarchies[0].hierarchy_id skulle være en tekst, men er null"),
        ("spec-no-levels", "dimensions[0].hierarchies[0].levels skulle være en liste, men er null"),
        ("spec-level-text", 'dimensions[0].hierarchies[0].levels[0] skulle være et objekt med values, men er "nykom"'),
        ("spec-values-object", LEVEL + 'values skulle være en liste, men er {"/801/": "Nordby"}'),
        ("spec-value-no-name", LEVEL + "values[0].value_name skulle være en tekst, men er null"),
        ("spec-no-mgroups", "mgroups skulle være en liste, men er null"),
        ("spec-mgroup-no-id", "mgroups[0].mgroup_id skulle være en tekst, men er null"),
        ("spec-no-measures", "mgroups[0].measures skulle være en liste, men er null"),
        ("spec-measure-name-list", 'mgroups[0].measures[0].measure_name skulle være en tekst, men er ["Antal"]'),
    ),
)
def test_a_spec_of_the_wrong_shape(odd_server: str, tmp_path: Path, mode: str, expected: str | None) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, _ = failure(api.table_spec, "T1")
    if expected is None:  # no message decided yet: at least an ApiError about the spec
        assert message.startswith(SPEC + "dimensions[0].hierarchies[0]"), message
    else:
        assert message == SPEC + expected
    assert raw_files(tmp_path) == ["t1/tabel"]  # the raw answer is kept, to see what came
    assert json.loads(api.fetched[0].read_text(encoding="utf-8"))["response"] == json.loads(SHAPES[mode][1])


DATA = "svaret for tabellen t1 ser ikke ud som ventet: "
ANSWER = "svaret skulle være et objekt med columns og rows, men "
COLUMNS = "columns skulle være en liste med mindst 3 kolonnenavne (periode, område, tal), men det er "
ROW = "skulle være en række med 3 værdier, én for hver kolonne, men "
CELL = "rows[0][2] skulle være tekst, et tal eller null, men det er "


@pytest.mark.parametrize(
    ("mode", "expected"),
    by_mode(
        ("data-list", ANSWER + "det er en tom liste ([])"),
        ("data-null", ANSWER + "det er null (null)"),
        ("data-empty-object", ANSWER + "det har ingen columns (det har intet)"),
        ("no-columns", ANSWER + "det har ingen columns (det har rows)"),
        ("no-rows", ANSWER + "det har ingen rows (det har columns)"),
        ("columns-text", COLUMNS + 'tekst ("Periode")'),
        ("two-columns", COLUMNS + 'en liste (["Periode", "Område"])'),
        ("column-number", COLUMNS + 'en liste (["Periode", "Område", 5])'),
        ("rows-object", 'rows skulle være en liste af rækker, men det er et objekt ({"n": 1})'),
        ("row-object", "rows[0] " + ROW + 'det er et objekt ({"Periode": "2021M01"})'),
        ("row-short", "rows[0] " + ROW + 'den har 2 (["2021M01", "Nordby"])'),
        ("row-long", "rows[1] " + ROW + 'den har 4 (["2021M01", "Sydby", 2, 3])'),
        ("cell-list", CELL + "en liste ([1])"),
        ("cell-bool", CELL + "true/false (true)"),
        ("cell-object", CELL + 'et objekt ({"n": 1})'),
    ),
)
def test_a_data_answer_of_the_wrong_shape(odd_server: str, tmp_path: Path, mode: str, expected: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, _ = failure(api.data, "t1", {"period.M": "2021M01"})
    assert message == DATA + expected
    assert OddApi.hits == {f"/{mode}/v3/data/t1": 1}
    assert raw_files(tmp_path) == ["t1/data"]  # the raw answer is kept, to see what came
    assert json.loads(api.fetched[0].read_text(encoding="utf-8"))["response"] == json.loads(SHAPES[mode][1])


def test_figures_from_an_answer_without_the_measures_column() -> None:
    params = load_parameters(MINI / "parameters")
    answer = read_answer("y07a02", {"columns": ["Periode", "Område", "Antal"], "rows": []})
    with pytest.raises(ApiError) as caught:
        read_figures([(answer, "x")], ledige_plan(), "ledige", AreaIndex.from_council(params.council), [])
    assert str(caught.value) == (
        "svaret for tabellen y07a02 har ingen kolonne 'Antal personer' (målet i tabellens beskrivelse); kolonnerne "
        "er 'Periode', 'Område', 'Antal'"
    )


def test_a_row_whose_period_is_not_a_period_is_a_problem() -> None:
    params = load_parameters(MINI / "parameters")
    answer = read_answer(
        "y07a02",
        {
            "columns": ["Periode", "Område", "Antal personer"],
            "rows": [["2021M13", "Nordby", 5], [7, "Nordby", 5], ["2021M01", "Nordby", 5]],
        },
    )
    problems: list[Problem] = []
    reading = read_figures(
        [(answer, "raw.json")], ledige_plan(), "ledige", AreaIndex.from_council(params.council), problems
    )
    assert [(f.area, f.period, f.value) for f in reading.figures] == [("801", "2021M01", 5.0)]
    assert problems == [
        Problem("raw.json", "rows[0]", "'2021M13' er ikke en periode som 2025M05 eller 2025Q04"),
        Problem("raw.json", "rows[1]", "7 er ikke en periode som 2025M05 eller 2025Q04"),
    ]


# ---------------------------------------------------------------------------
# `councilbook fetch`
# ---------------------------------------------------------------------------


def fetch_command(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str, key: str = GOOD_KEY) -> Any:
    monkeypatch.setenv("JOBINDSATS_API_KEY", key)
    monkeypatch.setenv("JOBINDSATS_API_URL", url)
    arguments = ["fetch", "--params", str(MINI / "parameters"), "--data", str(tmp_path / "fetched")]
    return runner.invoke(app, [*arguments, "--raw", str(tmp_path / "raw"), "--from-year", "2021", *options])


def written(tmp_path: Path) -> str:
    """Every file the command wrote, as text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.rglob("*")) if p.is_file())


SYGEDAGPENGE_QUERY = {
    "mgroup.mgrpc01_1": "measc01_2",
    "period.M": "2021M01,2021M02",
    "hierarchy._nykom": "/801/,/802/,/803/,/804/",
}
MEASURES_YML = display_path(MINI / "parameters" / "measures.yml")


def test_fetch_command_writes_tidy_files_the_pipeline_reads(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = fetch_command(server, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output + result.stderr
    out = tmp_path / "fetched"
    assert result.stdout.splitlines() == [
        "ledige: tabel y07a02 (Antal personer), hentet januar 2021 til februar 2021: 8 tal, 1 skjult af "
        f"diskretionshensyn -> {display_path(out / 'jobindsats-ledige.csv')}",
        "sygedagpenge_lange: tabel y25c01 (Antal forløb over 26 uger), hentet januar 2021 til februar 2021: 8 tal, "
        f"1 skjult af diskretionshensyn -> {display_path(out / 'jobindsats-sygedagpenge_lange.csv')}",
        f"Rå svar: {display_path(tmp_path / 'raw')}",
    ]
    assert (out / "jobindsats-ledige.csv").read_text(encoding="utf-8") == (
        "measure,area,area_name,period,value\n"
        "ledige,801,Nordby,2021M01,1234\n"
        "ledige,801,Nordby,2021M02,1201\n"
        "ledige,802,Sydby,2021M01,812\n"
        "ledige,802,Sydby,2021M02,\n"
        "ledige,803,Østby,2021M01,300\n"
        "ledige,803,Østby,2021M02,305\n"
        "ledige,804,Åby,2021M01,210\n"
        "ledige,804,Åby,2021M02,207.5\n"
    )
    # The measure's own column, found by its name, though it is not the last.
    sygedagpenge = (out / "jobindsats-sygedagpenge_lange.csv").read_text(encoding="utf-8")
    assert sygedagpenge.splitlines()[1:4] == [
        "sygedagpenge_lange,801,Nordby,2021M01,12",
        "sygedagpenge_lange,801,Nordby,2021M02,11",
        "sygedagpenge_lange,802,Sydby,2021M01,9",
    ]
    assert sygedagpenge.endswith("sygedagpenge_lange,804,Åby,2021M01,3\nsygedagpenge_lange,804,Åby,2021M02,\n")
    origins = yaml.safe_load((out / "datasource.yml").read_text(encoding="utf-8"))
    assert origins["source"] == "jobindsats.dk (API version 3)"
    keys = ("table", "table_name", "measure", "measure_id", "selection", "period", "update_latest")
    assert {measure: {k: entry[k] for k in keys} for measure, entry in origins["fetched"].items()} == {
        "ledige": {
            "table": "y07a02",
            "table_name": "Ledige",
            "measure": "Antal personer",
            "measure_id": "measa02_2",
            "selection": "ingen (alle opdelinger i alt)",
            "period": "M",
            "update_latest": "2021-03-22",
        },
        "sygedagpenge_lange": {
            "table": "y25c01",
            "table_name": "Sygedagpengeforløb",
            "measure": "Antal forløb over 26 uger",
            "measure_id": "measc01_2",
            "selection": "ingen (alle opdelinger i alt)",
            "period": "M",
            "update_latest": "2021-03-22",
        },
    }
    # GET, format=json and the key as Bearer on every request; the key in no file.
    assert RecordedApi.requests == [
        {"path": "/v3/tables", "query": {"format": "json"}, "auth": BEARER},
        {"path": "/v3/table/y07a02", "query": {"format": "json"}, "auth": BEARER},
        {"path": "/v3/table/y25c01", "query": {"format": "json"}, "auth": BEARER},
        {"path": "/v3/data/y07a02", "query": {**LEDIGE_QUERY, "format": "json"}, "auth": BEARER},
        {"path": "/v3/data/y25c01", "query": {**SYGEDAGPENGE_QUERY, "format": "json"}, "auth": BEARER},
    ]
    assert raw_files(tmp_path) == ["_katalog/katalog", "y07a02/data", "y07a02/tabel", "y25c01/data", "y25c01/tabel"]
    assert GOOD_KEY not in written(tmp_path)
    # The fetched files are read by the same readers as everything else.
    shutil.copytree(MINI / "data/arbejdsmarkedsbalancen", out / "arbejdsmarkedsbalancen")
    dataset = load_dataset(out, load_parameters(MINI / "parameters"))
    assert dataset.monthly[("ledige", "801", pd.Period("2021-02", "M"))] == 1201
    assert dataset.monthly[("ledige", "804", pd.Period("2021-02", "M"))] == 207.5
    assert dataset.monthly[("sygedagpenge_lange", "803", pd.Period("2021-01", "M"))] == 4
    assert ("sygedagpenge_lange", "804", pd.Period("2021-02", "M")) not in dataset.monthly.dropna().index


def test_a_second_fetch_asks_only_for_the_catalogue(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fetch_command(server, tmp_path, monkeypatch).exit_code == 0
    out = tmp_path / "fetched"
    before = written(out)
    RecordedApi.requests.clear()
    result = fetch_command(server, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[:2] == [
        "ledige: tabel y07a02 (Antal personer): ingen nye tal (tabellen er opdateret 22. marts 2021, som sidst); "
        f"8 tal i {display_path(out / 'jobindsats-ledige.csv')}",
        "sygedagpenge_lange: tabel y25c01 (Antal forløb over 26 uger): ingen nye tal (tabellen er opdateret 22. "
        f"marts 2021, som sidst); 8 tal i {display_path(out / 'jobindsats-sygedagpenge_lange.csv')}",
    ]
    assert RecordedApi.requests == [{"path": "/v3/tables", "query": {"format": "json"}, "auth": BEARER}]
    assert raw_files(tmp_path).count("_katalog/katalog") == 2  # the specs kept are used again
    assert written(out).split("fetched:")[0] == before.split("fetched:")[0]


def test_fetch_command_names_a_measure_the_table_no_longer_has(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = fetch_command(f"{odd_server}/renamed/v3", tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output + result.stderr
    assert result.stderr.splitlines() == [
        "1 problem at rette; intet er kørt:",
        f"  {MEASURES_YML}, linje 8, kolonne 42: 2. nøgletal (measures[1].jobindsats.measure): tabellen y25c01 har "
        "intet mål 'Antal forløb over 26 uger' (navn eller id); den har 'Antal forløb i alt', 'Antal forløb over 26 "
        "ugers varighed'; mente du 'Antal forløb over 26 ugers varighed'?",
        "Ret hvert problem, der hvor det står, og kør så kommandoen igen.",
    ]
    # Every measure is resolved before any figure is asked for; with a problem, none is, and nothing is written.
    assert OddApi.hits == {"/renamed/v3/tables": 1, "/renamed/v3/table/y07a02": 1, "/renamed/v3/table/y25c01": 1}
    assert not (tmp_path / "fetched").exists()


def test_fetch_command_names_a_table_the_catalogue_does_not_have(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = fetch_command(f"{odd_server}/unlisted/v3", tmp_path, monkeypatch, "--measure", "sygedagpenge_lange")
    assert result.exit_code == 2, result.output + result.stderr
    assert result.stderr.splitlines() == [
        "1 problem at rette; intet er kørt:",
        f"  {MEASURES_YML}, linje 8, kolonne 25: 2. nøgletal (measures[1].jobindsats.table): tabellen y25c01 findes "
        "ikke i jobindsats.dk's katalog (version 3; nogle tabeller fra version 2 findes ikke længere): se tabellerne "
        "med `councilbook tables`",
        "Ret hvert problem, der hvor det står, og kør så kommandoen igen.",
    ]
    assert OddApi.hits == {"/unlisted/v3/tables": 1, "/unlisted/v3/table/y25c01": 1}


def test_fetch_without_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    result = runner.invoke(app, ["fetch", "--params", str(MINI / "parameters"), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Hentningen fejlede: sæt miljøvariablen JOBINDSATS_API_KEY til organisationens API-nøgle til jobindsats.dk "
        "(STAR udsteder den), fx JOBINDSATS_API_KEY=... councilbook fetch"
    )


def test_fetch_with_a_wrong_key(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = fetch_command(server, tmp_path, monkeypatch, key="wrong-key-987")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"Hentningen fejlede: {KEY_REFUSED}"
    assert "wrong-key-987" not in result.output + result.stderr
    assert len(RecordedApi.requests) == 1
    assert not (tmp_path / "raw").exists()
    assert not (tmp_path / "fetched").exists()


def test_fetch_with_a_key_written_with_bearer(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = fetch_command(server, tmp_path, monkeypatch, "--measure", "ledige", key=f"Bearer {GOOD_KEY}")
    assert result.exit_code == 0, result.output + result.stderr
    assert [r["auth"] for r in RecordedApi.requests] == [BEARER] * 3
    assert GOOD_KEY not in written(tmp_path)


@pytest.mark.parametrize("path", ["/v2", "/v2/"])
def test_fetch_from_a_version_2_address(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    url = server.removesuffix("/v3") + path
    result = fetch_command(url, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"Hentningen fejlede: {version_2(url.rstrip('/'))}"
    assert "Traceback" not in result.output + result.stderr
    assert RecordedApi.requests == []  # no request made
    assert not (tmp_path / "raw").exists()
    assert not (tmp_path / "fetched").exists()


def test_fetch_command_ends_a_trickle_at_its_timeout(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = time.monotonic()
    result = fetch_command(f"{odd_server}/trickle/v3", tmp_path, monkeypatch, "--timeout", "1")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert re.fullmatch(
        re.escape(f"Hentningen fejlede: svaret fra {odd_server}/trickle/v3/tables?format=json var ikke færdigt ")
        + r"inden for 1 sek\. \(\d byte nåede frem\); prøv igen senere",
        result.stderr.strip(),
    ), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert elapsed < DEADLINE + 2 * MARGIN
    assert OddApi.hits == {"/trickle/v3/tables": 1}
    assert not (tmp_path / "fetched").exists()


def test_fetch_command_names_the_table_of_an_answer_of_the_wrong_shape(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = fetch_command(f"{odd_server}/no-columns/v3", tmp_path, monkeypatch, "--measure", "ledige")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        "Hentningen fejlede: svaret for tabellen y07a02 ser ikke ud som ventet: svaret skulle være et objekt med "
        "columns og rows, men det har ingen columns (det har rows)"
    )
    assert "Traceback" not in result.output + result.stderr
    assert raw_files(tmp_path) == ["_katalog/katalog", "y07a02/data", "y07a02/tabel"]  # the odd answer is kept
    assert not (tmp_path / "fetched").exists()


def test_mini_project_still_loads() -> None:
    assert load_project(MINI / "parameters", MINI / "data").params.council.short_name == "Testrådet"
