"""A client for the jobindsats.dk API (v2), caching every raw answer, converting to tidy rows.

* ``GET  {base}/tables/{table}/json/`` lists a table's periods (``[0]["Period"]``).
* ``POST {base}/data/{table}/json`` with ``{"area": "*", "period": [...], ...selections}``
  returns ``[0]["Variables"]`` (column labels) and ``[0]["Data"]`` (rows).

The key is sent raw in the ``Authorization`` header and read from the environment
variable ``JOBINDSATS_API_KEY``, never from a file in the repository. Each answer
is stored under ``data/raw/jobindsats/<table>/`` with the request and the time it
was fetched; raw answers are never changed afterwards.

Every request has a deadline for the whole of it (connecting, sending, every byte of
the answer: a watchdog shuts the socket when the time is up, so an answer trickling
in byte by byte ends there too) and a size limit (a larger Content-Length is refused
before the body is read, a longer body as soon as it passes the limit). HTTP 429 and
5xx answers are tried again after a pause that doubles each time, or as long as the
answer's Retry-After asks, within a cap. Every answer's shape is checked before it
is used; anything unexpected is an :class:`ApiError` naming the table, what was
expected and what came.
"""

from __future__ import annotations

import email.utils
import errno
import functools
import hashlib
import http.client
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from councilbook.core.errors import Problem
from councilbook.core.formats import format_number
from councilbook.core.periods import PeriodCodeError, Span, is_whole_year, parse_period
from councilbook.data.areas import AreaIndex, is_aggregate, unknown_area_message
from councilbook.data.ingest import Figure, parse_export_value, period_code
from councilbook.parameters.model import Measure, Parameters

API_URL = "https://api.jobindsats.dk/v2"
KEY_ENV = "JOBINDSATS_API_KEY"
URL_ENV = "JOBINDSATS_API_URL"  # another address for the same API (a proxy, or a test server)
BAD_KEY = "Forkert nøgle eller nøglen er udløbet."
AREA_LABELS = ("område", "area", "omraade")
PERIOD_LABELS = ("periode", "period")

DEADLINE = 60.0  # seconds for one request as a whole
MAX_BYTES = 50 * 1024 * 1024  # the largest answer read
RETRIES = 3  # tries after the first, for HTTP 429 and 5xx
BACKOFF = 1.0  # seconds before the first retry, doubled for each one after
MAX_WAIT = 30.0  # the longest pause before a retry, whatever Retry-After asks
CHUNK = 64 * 1024  # bytes asked for in one read
ERROR_TEXT_BYTES = 4096  # bytes read of an error answer (only its start is shown)
PERIOD_EXPECTED = "en periodekode som 2013M01, 2013Q1 eller 2013"
# jobindsats.dk codes start with the year; kinds councilbook does not read (rolling years like
# 2021QMAT01) are listed too, and periods_to_fetch leaves them out.
_LISTED_PERIOD = re.compile(r"^\s*\d{4}\w*\s*$")


class ApiError(Exception):
    """The API could not give the figures; the message says why and what to do."""


def api_key_from_env() -> str:
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ApiError(f"sæt miljøvariablen {KEY_ENV} til organisationens API-nøgle til jobindsats.dk")
    return key


# ---------------------------------------------------------------------------
# One try of a request, within its deadline and size limit
# ---------------------------------------------------------------------------


class _Deadline:
    """Shuts the request's socket when its time is up, so that no read, however slowly its bytes come,
    outlasts the deadline (a socket timeout only bounds the wait for each next byte)."""

    def __init__(self, seconds: float) -> None:
        self.passed = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def __enter__(self) -> _Deadline:
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.passed:
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    """End every read on the socket at once (the plain socket call: a TLS socket's own would change its state)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # closed already
        pass


class _Watched:
    """A connection whose deadline watches each socket it gets (the plain one, then the TLS one over it)."""

    _deadline: _Deadline
    _watched: socket.socket | None = None

    @property
    def sock(self) -> socket.socket | None:
        return self._watched

    @sock.setter
    def sock(self, value: socket.socket | None) -> None:
        self._watched = value
        if value is not None:
            self._deadline.watch(value)


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    def __init__(self, host: str, *, deadline: _Deadline, **kwargs: Any) -> None:
        self._deadline = deadline
        super().__init__(host, **kwargs)


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    def __init__(self, host: str, *, deadline: _Deadline, **kwargs: Any) -> None:
        self._deadline = deadline
        super().__init__(host, **kwargs)


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTP, deadline=self._deadline), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPS, deadline=self._deadline), req)


class _Stream(Protocol):
    def read1(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    retry_after: str | None = None


def _exchange(request: urllib.request.Request, timeout: float, max_bytes: int) -> _Reply:
    """One try: the answer's status and body, all within ``timeout`` seconds and ``max_bytes`` bytes.

    urllib's own handlers stay in use (proxies from the environment, redirects)."""
    url = request.full_url
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(_WatchedHTTPHandler(deadline), _WatchedHTTPSHandler(deadline))
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            try:
                text = _read_body(exc, deadline, url, timeout, ERROR_TEXT_BYTES, cut_off=True)
            finally:
                exc.close()
            return _Reply(exc.code, text, exc.headers.get("Retry-After"))
        except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError is an OSError
            raise _unreachable(exc, url, timeout, deadline.passed) from None
        with response:
            declared = _declared_length(response.headers.get("Content-Length"))
            if declared is not None and declared > max_bytes:
                raise ApiError(
                    f"svaret fra {url} er på {_bytes(declared)} (dets Content-Length), mere end grænsen på "
                    f"{_bytes(max_bytes)}; hent færre perioder ad gangen (--from-year)"
                )
            return _Reply(response.status, _read_body(response, deadline, url, timeout, max_bytes, cut_off=False))


def _unreachable(exc: Exception, url: str, timeout: float, late: bool) -> ApiError:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if late or isinstance(reason, TimeoutError):
        return ApiError(f"intet svar fra {url} inden for {_seconds(timeout)}; prøv igen senere")
    return ApiError(f"{url} kan ikke nås ({_network_reason(reason)}); tjek netforbindelsen, og prøv igen senere")


def _network_reason(reason: object) -> str:
    """Why a server cannot be reached, in Danish."""
    import ssl

    if isinstance(reason, ConnectionRefusedError):
        return "forbindelsen blev afvist"
    if isinstance(reason, socket.gaierror):
        return "serverens navn kan ikke slås op"
    if isinstance(reason, ssl.SSLError):
        return "den sikre forbindelse (TLS) kunne ikke oprettes"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError)):
        return "forbindelsen blev afbrudt"
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "netværket eller serveren kan ikke nås"
    return str(reason)


def _declared_length(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _read_body(stream: _Stream, deadline: _Deadline, url: str, timeout: float, limit: int, cut_off: bool) -> bytes:
    """The body as it comes, chunk by chunk: all of it, or only its first ``limit`` bytes when ``cut_off``.

    A longer body is refused otherwise, and so is a body not complete when the deadline passes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = stream.read1(CHUNK)
        except (OSError, http.client.HTTPException, ValueError):
            if deadline.passed:
                raise ApiError(_late_message(url, timeout, size)) from None
            raise ApiError(f"svaret fra {url} blev afbrudt efter {_bytes(size)}; prøv igen senere") from None
        if not chunk:
            if deadline.passed:  # the watchdog's shutdown reads as the end of the body
                raise ApiError(_late_message(url, timeout, size))
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            if cut_off:
                return b"".join(chunks)[:limit]
            raise ApiError(
                f"svaret fra {url} nåede grænsen på {_bytes(limit)}, før det sluttede; "
                "hent færre perioder ad gangen (--from-year)"
            )


def _late_message(url: str, timeout: float, size: int) -> str:
    return (
        f"svaret fra {url} var ikke færdigt inden for {_seconds(timeout)} ({_bytes(size)} nåede frem); prøv igen senere"
    )


def _bytes(count: int) -> str:
    return f"{format_number(count)} byte"


def _seconds(seconds: float) -> str:
    return f"{format_number(seconds, 0 if float(seconds).is_integer() else 1)} sek."


# ---------------------------------------------------------------------------
# Retries, statuses and the JSON
# ---------------------------------------------------------------------------


def _retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _retry_wait(retry_after: str | None, retry: int, backoff: float, max_wait: float) -> float:
    """Seconds before retry number ``retry``: what Retry-After asks, else the backoff doubled per retry; capped."""
    asked = _retry_after_seconds(retry_after)
    wait = asked if asked is not None else backoff * 2 ** (retry - 1)
    return max(0.0, min(wait, max_wait))


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: it is a number of seconds or an HTTP date; None if neither."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def _status_message(method: str, url: str, reply: _Reply, tries: int) -> str:
    text = reply.body.decode("utf-8", errors="replace")
    if BAD_KEY in text:
        return _bad_key_message()
    times = f" alle {tries} gange" if tries > 1 else ""
    message = f"{method} {url} svarede HTTP {reply.status}{times}: {text[:200]!r}"
    if reply.status == 429:
        return message + "; jobindsats.dk beder om færre forespørgsler: vent et stykke tid, og prøv så igen"
    if _retryable(reply.status):
        return message + "; jobindsats.dk er nede eller har travlt: prøv igen senere"
    return message


def _bad_key_message() -> str:
    return f"jobindsats.dk afviste API-nøglen i {KEY_ENV} ({BAD_KEY!r}): tjek den, eller bed om en ny"


def _parse_json(url: str, raw: bytes) -> Any:
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ApiError(
            f"svaret fra {url} ligger for mange niveauer inde i sig selv til at læses: {text[:120]!r}"
        ) from None
    except ValueError:  # not JSON, or a number too long to read
        raise ApiError(f"svaret fra {url} er ikke JSON: {text[:120]!r}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} er ikke JSON")


# ---------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------


@dataclass
class JobindsatsClient:
    """The API with a key. ``timeout`` bounds each request as a whole; an answer over ``max_bytes`` is refused;
    HTTP 429 and 5xx are tried again up to ``retries`` times, ``backoff`` seconds after the first try and twice
    as long each time after (or as long as Retry-After asks), never waiting more than ``max_wait``."""

    key: str
    base_url: str = API_URL
    timeout: float = DEADLINE
    cache_dir: Path | None = None
    fetched: list[Path] = field(default_factory=list)
    max_bytes: int = MAX_BYTES
    retries: int = RETRIES
    backoff: float = BACKOFF
    max_wait: float = MAX_WAIT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_env(cls, cache_dir: Path | None, timeout: float = DEADLINE) -> JobindsatsClient:
        return cls(api_key_from_env(), os.environ.get(URL_ENV, API_URL).rstrip("/"), timeout, cache_dir)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = self._http_request(method, path, body)
        reply, tries = self._send(request)
        if not 200 <= reply.status < 300:
            raise ApiError(_status_message(method, request.full_url, reply, tries))
        answer = _parse_json(request.full_url, reply.body)
        if isinstance(answer, dict) and BAD_KEY in answer:
            raise ApiError(_bad_key_message())
        self._cache(method, path, body, answer)
        return answer

    def _http_request(self, method: str, path: str, body: dict[str, Any] | None) -> urllib.request.Request:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("Authorization", self.key)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        return request

    def _send(self, request: urllib.request.Request) -> tuple[_Reply, int]:
        """The last reply and the number of tries: HTTP 429 and 5xx are tried again while retries are left."""
        tries = 1
        reply = _exchange(request, self.timeout, self.max_bytes)
        while _retryable(reply.status) and tries <= self.retries:
            self.sleep(_retry_wait(reply.retry_after, tries, self.backoff, self.max_wait))
            tries += 1
            reply = _exchange(request, self.timeout, self.max_bytes)
        return reply, tries

    def _cache(self, method: str, path: str, body: dict[str, Any] | None, answer: Any) -> None:
        if self.cache_dir is None:
            return
        request = {"method": method, "url": f"{self.base_url}{path}", "body": body}
        digest = hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
        now = datetime.now(UTC)
        table = path.strip("/").split("/")[1] if path.count("/") >= 2 else "other"
        target = self.cache_dir / table / f"{now:%Y%m%dT%H%M%S%fZ}-{digest}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {"request": request, "fetched": now.isoformat(timespec="seconds"), "response": answer}
        target.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        self.fetched.append(target)

    def list_periods(self, table: str) -> list[str]:
        return read_periods(table, self._request("GET", f"/tables/{table}/json/"))

    def fetch(self, table: str, periods: list[str], filters: dict[str, list[str]] | None = None) -> Any:
        if not periods:
            raise ApiError(f"der er ingen perioder at hente fra tabellen {table}")
        body: dict[str, Any] = {"area": "*", "period": periods, **(filters or {})}
        answer = self._request("POST", f"/data/{table}/json", body)
        if not read_data(table, answer).rows:
            raise ApiError(
                f"tabellen {table} gav ingen tal for {periods[0]}-{periods[-1]}"
                + (f" med {filters}" if filters else "")
                + "; tjek tabellens id, perioderne og udvalget (filters)"
            )
        return answer


# ---------------------------------------------------------------------------
# The answers' shapes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataTable:
    """A data answer, checked: a label per column, and rows of as many JSON scalars."""

    labels: list[str]
    rows: list[list[Any]]


def read_periods(table: str, answer: Any) -> list[str]:
    """The period codes a table lists (``[0]["Period"]``), as listed. Raises :class:`ApiError`."""
    periods = _first_object(table, answer, ("Period",))["Period"]
    if not isinstance(periods, list):
        raise _wrong(table, "Period", "en liste af periodekoder", _is(periods))
    if not periods:
        raise ApiError(f"tabellen {table} har ingen perioder")
    for number, code in enumerate(periods):
        if not isinstance(code, str) or not _LISTED_PERIOD.match(code):
            raise _wrong(table, f"Period[{number}]", PERIOD_EXPECTED, _is(code))
    return list(periods)


def read_data(table: str, answer: Any) -> DataTable:
    """The columns and rows of a data answer (``[0]["Variables"]``, ``[0]["Data"]``). Raises :class:`ApiError`."""
    first = _first_object(table, answer, ("Variables", "Data"))
    labels = _labels(table, first["Variables"])
    rows = first["Data"]
    if not isinstance(rows, list):
        raise _wrong(table, "Data", "en liste af rækker", _is(rows))
    for number, row in enumerate(rows):
        _check_row(table, number, row, len(labels))
    return DataTable(labels, rows)


def _first_object(table: str, answer: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    expected = f"et objekt med {' og '.join(keys)}"
    if not isinstance(answer, list) or not answer:
        raise _wrong(table, "svaret", f"en liste med {expected}", _is(answer))
    first = answer[0]
    if not isinstance(first, dict):
        raise _wrong(table, "dets første element", expected, _is(first))
    for key in keys:
        if key not in first:
            has = ", ".join(map(str, first)) or "intet"
            raise _wrong(table, "dets første element", expected, f"det har ingen {key} (det har {has})")
    return first


def _labels(table: str, variables: Any) -> list[str]:
    expected = "en liste med mindst 3 kolonner (område, periode, tal), hver et objekt med en Label"
    if not isinstance(variables, list):
        raise _wrong(table, "Variables", expected, _is(variables))
    if len(variables) < 3:
        raise _wrong(table, "Variables", expected, f"den har {len(variables)} ({_short(variables)})")
    labels = []
    for number, variable in enumerate(variables):
        label = variable.get("Label") if isinstance(variable, dict) else None
        if not isinstance(label, str):
            raise _wrong(table, f"Variables[{number}]", "et objekt med en Label som tekst", _is(variable))
        labels.append(label)
    return labels


def _check_row(table: str, number: int, row: Any, width: int) -> None:
    expected = f"en række med {width} værdier, én for hver af Variables"
    if not isinstance(row, list):
        raise _wrong(table, f"Data[{number}]", expected, _is(row))
    if len(row) != width:
        raise _wrong(table, f"Data[{number}]", expected, f"den har {len(row)} ({_short(row)})")
    for column, cell in enumerate(row):
        if isinstance(cell, bool) or not isinstance(cell, (str, int, float, type(None))):
            raise _wrong(table, f"Data[{number}][{column}]", "tekst, et tal eller null", _is(cell))


def _wrong(table: str, where: str, expected: str, found: str) -> ApiError:
    return ApiError(f"svaret for tabellen {table} ser ikke ud som ventet: {where} skulle være {expected}, men {found}")


def _is(value: Any) -> str:
    return f"det er {_kind(value)} ({_short(value)})"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "et tal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list):
        return "en tom liste" if not value else "en liste"
    if isinstance(value, dict):
        return "et objekt"
    return type(value).__name__


def _short(value: Any, width: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------------------
# Figures and tidy files
# ---------------------------------------------------------------------------


def _column(labels: list[str], wanted: tuple[str, ...], fallback: int) -> int:
    for index, label in enumerate(labels):
        if label.strip().casefold() in wanted:
            return index
    return fallback


def answer_to_figures(
    answer: Any,
    measure: Measure,
    index: AreaIndex,
    source: str,
    problems: list[Problem],
    ignore_unknown_areas: bool = False,
) -> list[Figure]:
    """The rows of a data answer as figures of one measure (aggregate rows left out).

    Raises :class:`ApiError` for an answer of the wrong shape; a cell that is no period, area or number is
    a problem."""
    data = read_data(measure.jobindsats.table if measure.jobindsats else source, answer)
    labels = data.labels
    area_col = _column(labels, AREA_LABELS, 0)
    period_col = _column(labels, PERIOD_LABELS, 1)
    variable = measure.jobindsats.variable if measure.jobindsats else None
    if variable:
        matches = [i for i, label in enumerate(labels) if label.strip().casefold() == variable.casefold()]
        if not matches:
            problems.append(
                Problem(source, "Variables", f"der er ingen kolonne {variable!r} (kolonnerne er: {', '.join(labels)})")
            )
            return []
        value_col = matches[0]
    else:
        value_col = len(labels) - 1
    figures = []
    for number, row in enumerate(data.rows, start=1):
        where = f"Data[{number - 1}]"
        area_label, period_raw, raw = row[area_col], row[period_col], row[value_col]
        if is_aggregate(str(area_label)):
            continue
        period = period_code(period_raw)
        if period is None:
            problems.append(Problem(source, where, f"{period_raw!r} er ikke {PERIOD_EXPECTED}"))
            continue
        area = index.match(str(area_label))
        if area is None:
            if not ignore_unknown_areas:
                problems.append(Problem(source, where, unknown_area_message(str(area_label), index)))
            continue
        try:
            value = parse_export_value(raw)
        except ValueError:
            problems.append(Problem(source, where, f"{raw!r} er ikke et tal"))
            continue
        figures.append(Figure(measure.id, area, period, value, source, where))
    return figures


def periods_to_fetch(available: list[str], framework: bool, first_year: int) -> list[str]:
    """Months from ``first_year`` on (years for framework measures), as the table lists them.

    Other kinds of period (quarters, rolling years like 2021QMAT01) are left out."""
    wanted = []
    for code in available:
        span = _span(code)
        if span is None or span.first.year < first_year:
            continue
        if is_whole_year(span) if framework else span.first == span.last:
            wanted.append(code)
    return wanted


def _span(code: str) -> Span | None:
    try:
        return parse_period(code)
    except PeriodCodeError:
        return None


def write_tidy(figures: list[Figure], index: AreaIndex, path: Path) -> None:
    """Figures as the project's tidy CSV (job-centre-level figures under the job centre's name)."""
    lines = ["measure,area,area_name,period,value"]
    for f in sorted(figures, key=lambda f: (f.area, f.period)):
        area = index.display.get(f.area, f.area) if f.area.startswith("jc:") else f.area
        name = "" if f.area.startswith("jc:") else index.display.get(f.area, "").partition(" ")[2]
        value = "" if f.value is None else repr(f.value)
        lines.append(",".join(_csv_field(x) for x in (f.measure, area, name, f.period, value)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _csv_field(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


@dataclass(frozen=True)
class FetchResult:
    measure: str
    table: str
    periods: list[str]
    rows: int
    output: Path


def fetch_measures(
    params: Parameters, client: JobindsatsClient, out_dir: Path, first_year: int, only: list[str] | None = None
) -> tuple[list[FetchResult], list[Problem]]:
    """Fetch every measure with a ``jobindsats.table`` (or those in ``only``) into tidy CSV files."""
    index = AreaIndex.from_council(params.council)
    results: list[FetchResult] = []
    problems: list[Problem] = []
    for measure in params.measures.values():
        if measure.jobindsats is None or (only and measure.id not in only):
            continue
        table = measure.jobindsats.table
        periods = periods_to_fetch(client.list_periods(table), measure.framework, first_year)
        if not periods:
            raise ApiError(
                f"tabellen {table} har ingen {'år' if measure.framework else 'måneder'} fra {first_year} og frem"
            )
        answer = client.fetch(table, periods, measure.jobindsats.filters)
        source = client.fetched[-1].as_posix() if client.fetched else f"jobindsats.dk {table}"
        found = answer_to_figures(answer, measure, index, source, problems)
        output = out_dir / f"jobindsats-{measure.id}.csv"
        if not problems:
            write_tidy(found, index, output)
        results.append(FetchResult(measure.id, table, periods, len(found), output))
    return results, problems
