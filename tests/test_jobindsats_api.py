"""The API client against recorded answers served from a local HTTP server (no network)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.jobindsats_api import ApiError, JobindsatsClient, periods_to_fetch
from councilbook.parameters import load_parameters
from councilbook.validate import load_project

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


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RecordedApi)
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
        "jobindsats.dk refused the API key in JOBINDSATS_API_KEY ('Forkert nøgle eller nøglen er udløbet.'): "
        "check it, or ask for a new one"
    )


def test_empty_result(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).fetch("EMPTY", ["2021M01"])
    assert str(caught.value) == (
        "table EMPTY returned no figures for 2021M01..2021M01; check the table id, the periods and the selections"
    )


def test_timeout(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path, timeout=0.3).list_periods("SLOW")
    assert str(caught.value) == f"no answer from {server}/tables/SLOW/json/ within 0.3 s; try again later"


def test_not_json(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).list_periods("HTML")
    assert str(caught.value).startswith(f"the answer from {server}/tables/HTML/json/ is not JSON: '<html><head>")


def test_http_error(server: str, tmp_path: Path) -> None:
    with pytest.raises(ApiError) as caught:
        client(server, tmp_path).list_periods("Z99Z99")
    assert str(caught.value) == (
        f'GET {server}/tables/Z99Z99/json/ answered HTTP 404: \'{{"Message": "table not found"}}\''
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
        f"ledige: table Y07A02, 2021M01..2021M02, 8 figures -> {out}/jobindsats-ledige.csv"
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
    from councilbook.ingest import load_dataset

    dataset = load_dataset(out, load_parameters(MINI / "parameters"))
    assert dataset.monthly[("sygedagpenge_lange", "jc:oestby-aaby", __import__("pandas").Period("2021-01", "M"))] == 7


def test_fetch_without_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    result = runner.invoke(app, ["fetch", "--params", str(MINI / "parameters"), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Fetch failed: set the environment variable JOBINDSATS_API_KEY to the organisation's jobindsats.dk API key"
    )


def test_mini_project_still_loads() -> None:
    assert load_project(MINI / "parameters", MINI / "data").params.council.short_name == "Testrådet"
