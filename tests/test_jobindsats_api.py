"""The API client against recorded answers served from a local HTTP server (no network), and against a local
server that misbehaves: answers that trickle, stall or never end, fail for a while, or come in the wrong shape."""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from councilbook.analysis.validate import load_project
from councilbook.cli import app
from councilbook.core.errors import Problem
from councilbook.data.areas import AreaIndex
from councilbook.data.jobindsats_api import ApiError, JobindsatsClient, answer_to_figures, periods_to_fetch
from councilbook.parameters.model import load_parameters

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests/fixtures/api"
MINI = ROOT / "tests/fixtures/mini"
GOOD_KEY = "test-key-123"
runner = CliRunner()


class RecordedApi(BaseHTTPRequestHandler):
    """Answers like api.jobindsats.dk from the recorded files; tables named SLOW, HTML or EMPTY misbehave."""

    requests: list[dict] = []

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, body: dict | None) -> None:
        RecordedApi.requests.append(
            {"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if self.headers.get("Authorization") != GOOD_KEY:
            return self._answer(200, (RECORDED / "bad_key.json").read_bytes())
        parts = self.path.strip("/").split("/")  # v2/tables/ID/json or v2/data/ID/json
        table = parts[2]
        if table == "SLOW":
            time.sleep(2)
        if table == "HTML":
            return self._answer(200, (RECORDED / "not_json.html").read_bytes(), "text/html")
        if table == "EMPTY" and parts[1] == "data":
            return self._answer(200, (RECORDED / "empty.json").read_bytes())
        name = ("periods_" if parts[1] == "tables" else "data_") + table + ".json"
        if table in ("SLOW", "HTML", "EMPTY"):
            name = ("periods_" if parts[1] == "tables" else "data_") + "Y07A02.json"
        path = RECORDED / name
        if not path.exists():
            return self._answer(404, b'{"Message": "table not found"}')
        return self._answer(200, path.read_bytes())

    def do_GET(self) -> None:  # noqa: N802
        self._handle(None)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        self._handle(json.loads(self.rfile.read(length).decode("utf-8")))


class QuietServer(ThreadingHTTPServer):
    """A test server that takes a client leaving early (as these tests' clients do on purpose) calmly."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), RecordedApi)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v2"
    httpd.shutdown()


def client(url: str, tmp_path: Path, key: str = GOOD_KEY, timeout: float = 5) -> JobindsatsClient:
    return JobindsatsClient(key=key, base_url=url, timeout=timeout, cache_dir=tmp_path / "raw")


def test_lists_periods_and_fetches_with_the_key(server: str, tmp_path: Path) -> None:
    RecordedApi.requests.clear()
    api = client(server, tmp_path)
    assert api.list_periods("Y07A02") == ["2020M11", "2020M12", "2021M01", "2021M02"]
    answer = api.fetch("Y07A02", ["2021M01", "2021M02"], {"_kon": ["Kvinder"]})
    assert answer[0]["Variables"][2] == {"Label": "Antal personer"}
    assert RecordedApi.requests == [
        {"method": "GET", "path": "/v2/tables/Y07A02/json/", "auth": GOOD_KEY, "body": None},
        {
            "method": "POST",
            "path": "/v2/data/Y07A02/json",
            "auth": GOOD_KEY,
            "body": {"area": "*", "period": ["2021M01", "2021M02"], "_kon": ["Kvinder"]},
        },
    ]
    cached = sorted((tmp_path / "raw" / "Y07A02").glob("*.json"))
    assert len(cached) == 2
    record = json.loads(cached[-1].read_text(encoding="utf-8"))
    assert set(record) == {"request", "fetched", "response"}
    assert record["request"]["body"]["period"] == ["2021M01", "2021M02"]
    assert GOOD_KEY not in cached[-1].read_text(encoding="utf-8")  # the key is never written down


def test_bad_key(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path, key="wrong").list_periods("Y07A02")
    assert str(caught.value) == (
        "jobindsats.dk afviste API-nøglen i JOBINDSATS_API_KEY ('Forkert nøgle eller nøglen er udløbet.'): "
        "tjek den, eller bed om en ny"
    )


def test_empty_result(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).fetch("EMPTY", ["2021M01"])
    assert str(caught.value) == (
        "tabellen EMPTY gav ingen tal for 2021M01-2021M01; tjek tabellens id, perioderne og udvalget (filters)"
    )


def test_timeout(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path, timeout=0.3).list_periods("SLOW")
    assert str(caught.value) == f"intet svar fra {server}/tables/SLOW/json/ inden for 0,3 sek.; prøv igen senere"


def test_not_json(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).list_periods("HTML")
    assert str(caught.value).startswith(f"svaret fra {server}/tables/HTML/json/ er ikke JSON: '<html><head>")


def test_http_error(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).list_periods("Z99Z99")
    assert str(caught.value) == (
        f'GET {server}/tables/Z99Z99/json/ svarede HTTP 404: \'{{"Message": "table not found"}}\''
    )


def test_periods_to_fetch() -> None:
    available = ["2019", "2020", "2020M12", "2021M01", "2021Q1", "2021QMAT01"]
    assert periods_to_fetch(available, framework=False, first_year=2021) == ["2021M01"]
    assert periods_to_fetch(available, framework=True, first_year=2020) == ["2020"]


def test_fetch_command_writes_tidy_files_the_pipeline_reads(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBINDSATS_API_KEY", GOOD_KEY)
    monkeypatch.setenv("JOBINDSATS_API_URL", server)
    out = tmp_path / "fetched"
    result = runner.invoke(
        app,
        [
            "fetch",
            "--params",
            str(MINI / "parameters"),
            "--data",
            str(out),
            "--raw",
            str(tmp_path / "raw"),
            "--from-year",
            "2021",
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[0] == (
        f"ledige: tabel Y07A02, januar 2021 til februar 2021, 8 tal -> {out}/jobindsats-ledige.csv"
    )
    assert (out / "jobindsats-ledige.csv").read_text(encoding="utf-8") == (
        "measure,area,area_name,period,value\n"
        "ledige,801,Nordby,2021M01,1234.0\n"
        "ledige,801,Nordby,2021M02,1201.0\n"
        "ledige,802,Sydby,2021M01,812.0\n"
        "ledige,802,Sydby,2021M02,\n"
        "ledige,803,Østby,2021M01,300.0\n"
        "ledige,803,Østby,2021M02,305.0\n"
        "ledige,804,Åby,2021M01,210.0\n"
        "ledige,804,Åby,2021M02,207.5\n"
    )
    syge = (out / "jobindsats-sygedagpenge_lange.csv").read_text(encoding="utf-8")
    assert "sygedagpenge_lange,Jobcenter Østby-Åby,,2021M02,\n" in syge
    # The fetched files are read by the same readers as everything else.
    import shutil

    from councilbook.data.ingest import load_dataset

    # The labour-market balances live beside the figures (the mini council's bottleneck overview needs one).
    shutil.copytree(MINI / "data/arbejdsmarkedsbalancen", out / "arbejdsmarkedsbalancen")
    dataset = load_dataset(out, load_parameters(MINI / "parameters"))
    assert dataset.monthly[("sygedagpenge_lange", "jc:oestby-aaby", __import__("pandas").Period("2021-01", "M"))] == 7


def test_fetch_without_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    result = runner.invoke(app, ["fetch", "--params", str(MINI / "parameters"), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Hentningen fejlede: sæt miljøvariablen JOBINDSATS_API_KEY til organisationens API-nøgle til jobindsats.dk"
    )


def test_mini_project_still_loads() -> None:
    assert load_project(MINI / "parameters", MINI / "data").params.council.short_name == "Testrådet"


# ---------------------------------------------------------------------------
# An API that misbehaves: deadlines, size limits, retries, wrong shapes
# ---------------------------------------------------------------------------

DEADLINE = 1.0  # the clients' deadline in these tests
MARGIN = 0.5  # what a request may take past it
LIMIT = 4096  # the clients' size limit in these tests
TWO_GB = 2 * 1024**3

# Answers of the wrong shape: mode -> (the kind of request that gets it, its body); the other kind of
# request gets the recorded answer.
SHAPES: dict[str, tuple[str, bytes]] = {
    "cut-json": ("tables", b'[{"Period": ["2021M01"'),
    "deep-json": ("tables", b"[" * 100_000),
    "nan-json": ("tables", b'[{"Period": NaN}]'),
    "huge-number": ("tables", b"[" + b"9" * 5000 + b"]"),
    "object": ("tables", b'{"Message": "An error has occurred."}'),
    "empty-list": ("tables", b"[]"),
    "text-item": ("tables", b'["2021M01"]'),
    "no-period": ("tables", b'[{"TableID": "T1", "Name": "Ledige"}]'),
    "period-text": ("tables", b'[{"Period": "2021M01"}]'),
    "period-not-a-period": ("tables", b'[{"Period": ["2021M01", "soon"]}]'),
    "period-number": ("tables", b'[{"Period": [2021]}]'),
    "period-none": ("tables", b'[{"Period": []}]'),
    "no-variables": ("data", b'[{"Data": [["Nordby", "2021M01", 1]]}]'),
    "variables-object": ("data", b'[{"Variables": {"Label": "Omr\xc3\xa5de"}, "Data": []}]'),
    "two-variables": ("data", b'[{"Variables": [{"Label": "Omr\xc3\xa5de"}, {"Label": "Periode"}], "Data": []}]'),
    "variable-no-label": (
        "data",
        b'[{"Variables": [{"Label": "Omr\xc3\xa5de"}, {"Name": "Periode"}, {"Label": "Antal"}], "Data": []}]',
    ),
    "data-object": ("data", b'[{"Variables": [{"Label": "A"}, {"Label": "P"}, {"Label": "N"}], "Data": {"n": 1}}]'),
    "row-object": (
        "data",
        b'[{"Variables": [{"Label": "A"}, {"Label": "P"}, {"Label": "N"}], "Data": [{"A": "Nordby"}]}]',
    ),
    "row-short": (
        "data",
        b'[{"Variables": [{"Label": "A"}, {"Label": "P"}, {"Label": "N"}], "Data": [["Nordby", "2021M01"]]}]',
    ),
    "cell-list": (
        "data",
        b'[{"Variables": [{"Label": "A"}, {"Label": "P"}, {"Label": "N"}], "Data": [["Nordby", "2021M01", [1]]]}]',
    ),
    "cell-bool": (
        "data",
        b'[{"Variables": [{"Label": "A"}, {"Label": "P"}, {"Label": "N"}], "Data": [["Nordby", "2021M01", true]]}]',
    ),
}


class OddApi(BaseHTTPRequestHandler):
    """Misbehaves as the base URL's first part says (http://host:port/<mode>/v2/...): trickles, stalls, sends
    too much, fails (then works), or answers in the wrong shape. Every loop stops by itself."""

    hits: ClassVar[Counter[str]] = Counter()
    retry_after: ClassVar[str] = "120"  # what mode "busy" sends as Retry-After

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._handle()

    def _handle(self) -> None:
        mode, _, kind, table = self.path.strip("/").split("/")[:4]
        OddApi.hits[self.path] += 1
        if mode in SHAPES:
            shaped_kind, body = SHAPES[mode]
            return self._answer(200, body) if kind == shaped_kind else self._recorded(kind, table)
        getattr(self, "_" + mode.replace("-", "_"))(kind, table)

    def _answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _recorded(self, kind: str, table: str) -> None:
        name = ("periods_" if kind == "tables" else "data_") + table + ".json"
        self._answer(200, (RECORDED / name).read_bytes())

    def _start(self, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.flush()

    def _drip(self, pieces: list[bytes], pause: float = 0.5) -> None:
        """Send the pieces one at a time, ``pause`` seconds apart, until the client leaves."""
        for piece in pieces:
            try:
                self.wfile.write(piece)
                self.wfile.flush()
            except OSError:
                return
            time.sleep(pause)

    def _trickle_headers(self, kind: str, table: str) -> None:  # the status line itself, a byte at a time
        self._drip([bytes([b]) for b in b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[]"])

    def _trickle(self, kind: str, table: str) -> None:  # no length: the body ends when the connection does
        self._start()
        self._drip([b"["] + [b" "] * 40)

    def _trickle_length(self, kind: str, table: str) -> None:
        self._start(Content_Length="1000")
        self._drip([b"["] + [b" "] * 40)

    def _trickle_chunked(self, kind: str, table: str) -> None:
        self.protocol_version = "HTTP/1.1"
        self._start(Transfer_Encoding="chunked")
        self._drip([b"1\r\n[\r\n"] + [b"1\r\n \r\n"] * 40)
        self.close_connection = True

    def _stall(self, kind: str, table: str) -> None:  # a start, then silence
        self._start()
        self._drip([b"[", b" "], pause=4)

    def _huge_length(self, kind: str, table: str) -> None:
        self._start(Content_Length=str(TWO_GB))
        self._drip([b"[" + b" " * 1000], pause=0)

    def _huge_stream(self, kind: str, table: str) -> None:
        self._start()
        self._drip([b" " * 65536] * (TWO_GB // 65536), pause=0)

    def _huge_chunked(self, kind: str, table: str) -> None:
        self.protocol_version = "HTTP/1.1"
        self._start(Transfer_Encoding="chunked")
        self._drip([b"10000\r\n" + b" " * 65536 + b"\r\n"] * (TWO_GB // 65536), pause=0)
        self.close_connection = True

    def _huge_error(self, kind: str, table: str) -> None:  # a 2 GB error page: only its start is read
        self.send_response(500)
        self.end_headers()
        self._drip([b"Internal error " + b"x" * 65536] * (TWO_GB // 65536), pause=0)

    def _flaky(self, kind: str, table: str) -> None:  # 503 at first, then the recorded answer
        if OddApi.hits[self.path] == 1:
            return self._answer(503, b"Service Unavailable", Retry_After="0")
        self._recorded(kind, table)

    def _down(self, kind: str, table: str) -> None:
        self._answer(500, b"Internal error")

    def _busy(self, kind: str, table: str) -> None:
        self._answer(429, b"Too many requests", Retry_After=OddApi.retry_after)

    def _gone(self, kind: str, table: str) -> None:
        self._answer(404, b'{"Message": "table not found"}')


@pytest.fixture(scope="module")
def odd_server():
    httpd = QuietServer(("127.0.0.1", 0), OddApi)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _fresh_hits() -> None:
    OddApi.hits.clear()


def odd_client(root: str, mode: str, tmp_path: Path, **settings: Any) -> JobindsatsClient:
    """A client of the misbehaving API with small limits: a deadline of 1 s, 4 KB, tiny pauses between tries."""
    chosen: dict[str, Any] = dict(timeout=DEADLINE, max_bytes=LIMIT, retries=2, backoff=0.01, max_wait=0.05)
    chosen.update(settings)
    return JobindsatsClient(key=GOOD_KEY, base_url=f"{root}/{mode}/v2", cache_dir=tmp_path / "raw", **chosen)


def failure(call: Any, *args: Any) -> tuple[str, float]:
    """The ApiError's message (any other exception fails the test) and the seconds the call took."""
    start = time.monotonic()
    with pytest.raises(ApiError) as caught:
        call(*args)
    return str(caught.value), time.monotonic() - start


@pytest.mark.parametrize("mode", ["trickle", "trickle-length", "trickle-chunked", "stall"])
def test_an_answer_that_trickles_or_stalls_ends_at_the_deadline(odd_server: str, tmp_path: Path, mode: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, elapsed = failure(api.list_periods, "T1")
    url = f"{odd_server}/{mode}/v2/tables/T1/json/"
    assert re.fullmatch(
        re.escape(f"svaret fra {url} var ikke færdigt inden for 1 sek. (") + r"\d byte nåede frem\); prøv igen senere",
        message,
    ), message
    assert DEADLINE - 0.1 < elapsed < DEADLINE + MARGIN
    assert OddApi.hits[f"/{mode}/v2/tables/T1/json/"] == 1  # a late answer is not tried again
    assert api.fetched == []


def test_headers_that_trickle_end_at_the_deadline(odd_server: str, tmp_path: Path) -> None:
    message, elapsed = failure(odd_client(odd_server, "trickle-headers", tmp_path).list_periods, "T1")
    assert (
        message == f"intet svar fra {odd_server}/trickle-headers/v2/tables/T1/json/ inden for 1 sek.; prøv igen senere"
    )
    assert DEADLINE - 0.1 < elapsed < DEADLINE + MARGIN


def test_a_huge_content_length_is_refused_at_once(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "huge-length", tmp_path)
    message, elapsed = failure(api.fetch, "T1", ["2021M01"])
    assert message == (
        f"svaret fra {odd_server}/huge-length/v2/data/T1/json er på 2.147.483.648 byte (dets Content-Length), mere "
        "end grænsen på 4.096 byte; hent færre perioder ad gangen (--from-year)"
    )
    assert elapsed < MARGIN
    assert api.fetched == []


@pytest.mark.parametrize("mode", ["huge-stream", "huge-chunked"])
def test_a_huge_body_is_refused_once_it_passes_the_limit(odd_server: str, tmp_path: Path, mode: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, elapsed = failure(api.fetch, "T1", ["2021M01"])
    assert message == (
        f"svaret fra {odd_server}/{mode}/v2/data/T1/json nåede grænsen på 4.096 byte, før det sluttede; "
        "hent færre perioder ad gangen (--from-year)"
    )
    assert elapsed < MARGIN
    assert api.fetched == []


def test_a_huge_error_page_is_read_only_in_part(odd_server: str, tmp_path: Path) -> None:
    message, elapsed = failure(odd_client(odd_server, "huge-error", tmp_path, retries=0).list_periods, "T1")
    assert message == (
        f"GET {odd_server}/huge-error/v2/tables/T1/json/ svarede HTTP 500: '{'Internal error ' + 'x' * 185}'; "
        "jobindsats.dk er nede eller har travlt: prøv igen senere"
    )
    assert elapsed < MARGIN


def test_a_503_is_tried_again_and_then_succeeds(odd_server: str, tmp_path: Path) -> None:
    api = odd_client(odd_server, "flaky", tmp_path, sleep=time.sleep)
    assert api.list_periods("Y07A02") == ["2020M11", "2020M12", "2021M01", "2021M02"]
    answer = api.fetch("Y07A02", ["2021M01", "2021M02"])  # a POST is tried again too
    assert answer[0]["Variables"][2] == {"Label": "Antal personer"}
    assert OddApi.hits == {"/flaky/v2/tables/Y07A02/json/": 2, "/flaky/v2/data/Y07A02/json": 2}
    assert len(api.fetched) == 2  # only the answers that came through are kept


def test_a_persistent_500_fails_after_the_retries(odd_server: str, tmp_path: Path) -> None:
    pauses: list[float] = []
    api = odd_client(odd_server, "down", tmp_path, sleep=pauses.append)
    message, _ = failure(api.fetch, "Y07A02", ["2021M01"])
    assert message == (
        f"POST {odd_server}/down/v2/data/Y07A02/json svarede HTTP 500 alle 3 gange: 'Internal error'; "
        "jobindsats.dk er nede eller har travlt: prøv igen senere"
    )
    assert OddApi.hits["/down/v2/data/Y07A02/json"] == 3
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
    message, _ = failure(odd_client(odd_server, "busy", tmp_path, sleep=waited.append).list_periods, "Y07A02")
    assert message == (
        f"GET {odd_server}/busy/v2/tables/Y07A02/json/ svarede HTTP 429 alle 3 gange: 'Too many requests'; "
        "jobindsats.dk beder om færre forespørgsler: vent et stykke tid, og prøv så igen"
    )
    assert waited == pauses


def test_a_client_error_is_not_tried_again(odd_server: str, tmp_path: Path) -> None:
    message, _ = failure(odd_client(odd_server, "gone", tmp_path).list_periods, "T1")
    assert message == f'GET {odd_server}/gone/v2/tables/T1/json/ svarede HTTP 404: \'{{"Message": "table not found"}}\''
    assert OddApi.hits["/gone/v2/tables/T1/json/"] == 1


def test_a_server_that_is_not_there(tmp_path: Path) -> None:
    with socket.socket() as spare:  # a port nobody listens on
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    message, elapsed = failure(odd_client(f"http://127.0.0.1:{port}", "none", tmp_path).list_periods, "T1")
    assert message == (
        f"http://127.0.0.1:{port}/none/v2/tables/T1/json/ kan ikke nås (forbindelsen blev afvist); tjek "
        "netforbindelsen, og prøv igen senere"
    )
    assert elapsed < MARGIN


ROW = "en række med 3 værdier, én for hver af Variables"
COLUMNS = "en liste med mindst 3 kolonner (område, periode, tal), hver et objekt med en Label"
WRONG_SHAPE = "svaret for tabellen T1 ser ikke ud som ventet: "


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("cut-json", 'svaret fra {url} er ikke JSON: \'[{"Period": ["2021M01"\''),
        ("deep-json", "svaret fra {url} ligger for mange niveauer inde i sig selv til at læses: '" + "[" * 120 + "'"),
        ("nan-json", "svaret fra {url} er ikke JSON: '[{\"Period\": NaN}]'"),
        ("huge-number", "svaret fra {url} er ikke JSON: '[" + "9" * 119 + "'"),
        (
            "object",
            WRONG_SHAPE + "svaret skulle være en liste med et objekt med Period, men det er et objekt "
            '({"Message": "An error has occurred."})',
        ),
        (
            "empty-list",
            WRONG_SHAPE + "svaret skulle være en liste med et objekt med Period, men det er en tom liste ([])",
        ),
        (
            "text-item",
            WRONG_SHAPE + 'dets første element skulle være et objekt med Period, men det er tekst ("2021M01")',
        ),
        (
            "no-period",
            WRONG_SHAPE + "dets første element skulle være et objekt med Period, men det har ingen Period (det har "
            "TableID, Name)",
        ),
        ("period-text", WRONG_SHAPE + 'Period skulle være en liste af periodekoder, men det er tekst ("2021M01")'),
        (
            "period-not-a-period",
            WRONG_SHAPE
            + 'Period[1] skulle være en periodekode som 2013M01, 2013Q1 eller 2013, men det er tekst ("soon")',
        ),
        (
            "period-number",
            WRONG_SHAPE
            + "Period[0] skulle være en periodekode som 2013M01, 2013Q1 eller 2013, men det er et tal (2021)",
        ),
        ("period-none", "tabellen T1 har ingen perioder"),
    ],
)
def test_a_period_list_of_the_wrong_shape(odd_server: str, tmp_path: Path, mode: str, expected: str) -> None:
    api = odd_client(odd_server, mode, tmp_path, max_bytes=1_000_000)  # room for the deep and the long answers
    message, _ = failure(api.list_periods, "T1")
    assert message == expected.replace("{url}", f"{odd_server}/{mode}/v2/tables/T1/json/")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (
            "no-variables",
            "dets første element skulle være et objekt med Variables og Data, men det har ingen Variables (det har "
            "Data)",
        ),
        ("variables-object", f'Variables skulle være {COLUMNS}, men det er et objekt ({{"Label": "Område"}})'),
        (
            "two-variables",
            f'Variables skulle være {COLUMNS}, men den har 2 ([{{"Label": "Område"}}, {{"Label": "Periode"}}])',
        ),
        (
            "variable-no-label",
            'Variables[1] skulle være et objekt med en Label som tekst, men det er et objekt ({"Name": "Periode"})',
        ),
        ("data-object", 'Data skulle være en liste af rækker, men det er et objekt ({"n": 1})'),
        (
            "row-object",
            f'Data[0] skulle være {ROW}, men det er et objekt ({{"A": "Nordby"}})',
        ),
        (
            "row-short",
            f'Data[0] skulle være {ROW}, men den har 2 (["Nordby", "2021M01"])',
        ),
        ("cell-list", "Data[0][2] skulle være tekst, et tal eller null, men det er en liste ([1])"),
        ("cell-bool", "Data[0][2] skulle være tekst, et tal eller null, men det er true/false (true)"),
    ],
)
def test_a_data_answer_of_the_wrong_shape(odd_server: str, tmp_path: Path, mode: str, expected: str) -> None:
    api = odd_client(odd_server, mode, tmp_path)
    message, _ = failure(api.fetch, "T1", ["2021M01"])
    assert message == WRONG_SHAPE + expected
    assert len(api.fetched) == 1  # the raw answer is kept, to see what came
    assert json.loads(api.fetched[0].read_text(encoding="utf-8"))["response"] == json.loads(SHAPES[mode][1])


def test_figures_from_an_answer_of_the_wrong_shape(tmp_path: Path) -> None:
    params = load_parameters(MINI / "parameters")
    with pytest.raises(ApiError) as caught:
        answer_to_figures({"Data": []}, params.measures["ledige"], AreaIndex.from_council(params.council), "x", [])
    assert str(caught.value) == (
        "svaret for tabellen Y07A02 ser ikke ud som ventet: svaret skulle være en liste med et objekt med Variables "
        'og Data, men det er et objekt ({"Data": []})'
    )


def test_a_row_whose_period_is_not_a_period_is_a_problem() -> None:
    params = load_parameters(MINI / "parameters")
    answer = [
        {
            "Variables": [{"Label": "Område"}, {"Label": "Periode"}, {"Label": "Antal personer"}],
            "Data": [["Nordby", "2021M13", 5], ["Nordby", 7, 5], ["Nordby", "2021M01", 5]],
        }
    ]
    problems: list[Problem] = []
    index = AreaIndex.from_council(params.council)
    figures = answer_to_figures(answer, params.measures["ledige"], index, "raw.json", problems)
    assert [f.period for f in figures] == ["2021M01"]
    assert problems == [
        Problem("raw.json", "Data[0]", "'2021M13' er ikke en periodekode som 2013M01, 2013Q1 eller 2013"),
        Problem("raw.json", "Data[1]", "7 er ikke en periodekode som 2013M01, 2013Q1 eller 2013"),
    ]


def test_periods_to_fetch_leaves_out_what_is_no_period() -> None:
    available = ["20x1", "abcdM01", "2021M13", "2021M01", "2021", "2021QMAT01", "2021K1"]
    assert periods_to_fetch(available, framework=False, first_year=2021) == ["2021M01"]
    assert periods_to_fetch(available, framework=True, first_year=2021) == ["2021"]


def fetch_command(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> Any:
    monkeypatch.setenv("JOBINDSATS_API_KEY", GOOD_KEY)
    monkeypatch.setenv("JOBINDSATS_API_URL", url)
    arguments = ["fetch", "--params", str(MINI / "parameters"), "--data", str(tmp_path / "fetched")]
    return runner.invoke(app, [*arguments, "--raw", str(tmp_path / "raw"), "--from-year", "2021", *options])


def test_fetch_command_ends_a_trickle_at_its_timeout(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = time.monotonic()
    result = fetch_command(f"{odd_server}/trickle/v2", tmp_path, monkeypatch, "--timeout", "1")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert re.fullmatch(
        re.escape(f"Hentningen fejlede: svaret fra {odd_server}/trickle/v2/tables/Y07A02/json/ var ikke færdigt ")
        + r"inden for 1 sek\. \(\d byte nåede frem\); prøv igen senere",
        result.stderr.strip(),
    ), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert elapsed < DEADLINE + 2 * MARGIN
    assert not (tmp_path / "fetched").exists()


def test_fetch_command_names_the_table_of_an_answer_of_the_wrong_shape(
    odd_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = fetch_command(f"{odd_server}/no-variables/v2", tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        "Hentningen fejlede: svaret for tabellen Y07A02 ser ikke ud som ventet: dets første element skulle være et "
        "objekt med Variables og Data, men det har ingen Variables (det har Data)"
    )
    assert "Traceback" not in result.output + result.stderr
    assert len(list((tmp_path / "raw" / "Y07A02").glob("*.json"))) == 2  # the period list and the odd answer
