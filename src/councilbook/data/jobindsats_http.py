"""One GET to the jobindsats.dk API (version 3), over httpx: a deadline, a size limit, retries, Danish errors.

* **Authentication**: the key (``JOBINDSATS_API_KEY``) goes in ``Authorization: Bearer <key>``; it is never
  written to a file, a log or an error message.
* **The deadline** holds for the request as a whole (connecting, sending, every byte of the answer): httpx's
  own timeouts bound each wait for the next bytes, and a watchdog shuts the connection's socket when the
  time is up (httpx's ``trace`` extension hands it the socket as soon as it is connected), so an answer
  trickling in byte by byte, headers included, ends there too. Connections are not kept alive between
  requests, so every request's socket is watched.
* **The size limit**: a larger Content-Length is refused before the body is read, a longer body as soon as it
  passes the limit (counted after decompression). Of an error answer only the start is read.
* **Retries**: HTTP 429 and 5xx are tried again after a pause that doubles each time, or as long as the
  answer's Retry-After asks, within a cap. The front door's 403 page (plain text, not the API's JSON; seen to
  go away by itself) is tried once more.
* **Errors** are :class:`ApiError` in Danish, saying what happened and what to do: 401 (the key), 403, 404,
  422 with the API's ``cause`` and ``request_id``, an address that still points at version 2.
"""

from __future__ import annotations

import email.utils
import errno
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from councilbook.core.errors import StepFailed
from councilbook.core.formats import format_number

API_URL = "https://api.jobindsats.dk/v3"
KEY_ENV = "JOBINDSATS_API_KEY"
URL_ENV = "JOBINDSATS_API_URL"  # another address for the same API (a proxy, or a test server)
V2_BAD_KEY = "Forkert nøgle eller nøglen er udløbet."  # version 2's answer to a bad key
FRONT_DOOR_403 = "You do not have permission to view this directory or page"

DEADLINE = 180.0  # seconds for one request as a whole (real requests of 120 months took over 60 s)
MAX_BYTES = 100 * 1024 * 1024  # the largest answer read
RETRIES = 3  # tries after the first, for HTTP 429 and 5xx
BACKOFF = 1.0  # seconds before the first retry, doubled for each one after
MAX_WAIT = 30.0  # the longest pause before a retry, whatever Retry-After asks
ERROR_TEXT_BYTES = 4096  # bytes read of an error answer (only its start is shown)
FEWER = "hent færre perioder ad gangen (--from-year)"


class ApiError(StepFailed):
    """The API could not give the figures; the message says why and what to do. ``status`` is the HTTP status
    of the answer that ended it (None: no answer), ``cause`` and ``request_id`` the API's own (HTTP 422)."""

    def __init__(
        self, message: str, *, status: int | None = None, cause: str = "", request_id: str = "", url: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.cause = cause
        self.request_id = request_id
        self.url = url


def version_2_message(where: str) -> str:
    return (
        f"{where} peger på version 2 af jobindsats.dk's API, som blev lukket efter 30. september 2026; "
        f"sæt {URL_ENV} til {API_URL} (eller fjern den, så bruges den)"
    )


def check_base_url(url: str) -> str:
    """The API's address without a trailing slash; an address of version 2 is an :class:`ApiError`."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(f"{URL_ENV}={text!r} er ikke en adresse; skriv fx {API_URL}")
    if re.search(r"/v2(/|$)", parts.path):
        raise ApiError(version_2_message(f"{URL_ENV} ({text})"))
    return text


def clean_key(key: str) -> str:
    """The key as given, without spaces around it or a 'Bearer ' someone wrote before it (councilbook adds it)."""
    text = key.strip()
    return text[7:].strip() if text[:7].casefold() == "bearer " else text


# ---------------------------------------------------------------------------
# The deadline: a watchdog that shuts the request's socket
# ---------------------------------------------------------------------------


class _Deadline:
    """Shuts the request's socket when its time is up, so that no read, however slowly its bytes come,
    outlasts the deadline (a read timeout only bounds the wait for each next byte)."""

    def __init__(self, seconds: float) -> None:
        self.passed = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def __enter__(self) -> _Deadline:
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, name: str, info: Mapping[str, Any]) -> None:
        """httpx's trace hook: watch the socket of each connection made (plain, then TLS over it)."""
        if name in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                self._watch(sock)

    def _watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.passed:
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._socks:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """End every read on the socket at once (the plain socket call: a TLS socket's own would change its state)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # closed already
        pass


# ---------------------------------------------------------------------------
# One try
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    retry_after: str | None = None
    url: str = ""


def exchange(
    client: httpx.Client, url: str, params: Mapping[str, str], headers: Mapping[str, str], timeout: float, limit: int
) -> Reply:
    """One try: the answer's status and body, all within ``timeout`` seconds and ``limit`` bytes."""
    shown = str(httpx.URL(url, params=dict(params)))
    with _Deadline(timeout) as deadline:
        try:
            with client.stream(
                "GET",
                url,
                params=dict(params),
                headers=dict(headers),
                timeout=httpx.Timeout(timeout),
                extensions={"trace": deadline.trace},
            ) as response:
                if response.status_code >= 400:
                    body = _read(response, deadline, shown, timeout, ERROR_TEXT_BYTES, cut_off=True)
                    return Reply(response.status_code, body, response.headers.get("Retry-After"), shown)
                declared = _declared_length(response.headers.get("Content-Length"))
                if declared is not None and declared > limit:
                    raise ApiError(
                        f"svaret fra {shown} er på {_bytes(declared)} (dets Content-Length), mere end grænsen på "
                        f"{_bytes(limit)}; {FEWER}",
                        status=response.status_code,
                        url=shown,
                    )
                body = _read(response, deadline, shown, timeout, limit, cut_off=False)
                return Reply(response.status_code, body, None, shown)
        except httpx.HTTPError as exc:
            raise _unreachable(exc, shown, timeout, deadline.passed) from None


def _read(response: httpx.Response, deadline: _Deadline, url: str, timeout: float, limit: int, cut_off: bool) -> bytes:
    """The body as it comes: all of it, or only its first ``limit`` bytes when ``cut_off``. A longer body is
    refused otherwise, and so is a body not complete when the deadline passes."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if cut_off:
                    return b"".join(chunks)[:limit]
                raise ApiError(f"svaret fra {url} nåede grænsen på {_bytes(limit)}, før det sluttede; {FEWER}", url=url)
    except httpx.HTTPError:
        if deadline.passed:
            raise ApiError(_late_message(url, timeout, size), url=url) from None
        raise ApiError(f"svaret fra {url} blev afbrudt efter {_bytes(size)}; prøv igen senere", url=url) from None
    if deadline.passed:  # the watchdog's shutdown reads as the end of a body without a length
        raise ApiError(_late_message(url, timeout, size), url=url)
    return b"".join(chunks)


def _unreachable(exc: Exception, url: str, timeout: float, late: bool) -> ApiError:
    if late or isinstance(exc, httpx.TimeoutException):
        return ApiError(f"intet svar fra {url} inden for {_seconds(timeout)}; prøv igen senere", url=url)
    return ApiError(f"{url} kan ikke nås ({_network_reason(exc)}); tjek netforbindelsen, og prøv igen senere", url=url)


def _network_reason(exc: Exception) -> str:
    """Why a server cannot be reached, in Danish (httpx keeps the socket's error as the cause)."""
    reason: BaseException = exc
    while reason.__cause__ is not None or reason.__context__ is not None:
        reason = reason.__cause__ or reason.__context__  # type: ignore[assignment]
        if isinstance(reason, OSError):
            break
    if isinstance(reason, ConnectionRefusedError) or "refused" in str(exc).casefold():
        return "forbindelsen blev afvist"
    if isinstance(reason, socket.gaierror) or "name or service not known" in str(exc).casefold():
        return "serverens navn kan ikke slås op"
    if isinstance(reason, ssl.SSLError) or isinstance(exc, httpx.ConnectError) and "ssl" in str(exc).casefold():
        return "den sikre forbindelse (TLS) kunne ikke oprettes"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError)):
        return "forbindelsen blev afbrudt"
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "netværket eller serveren kan ikke nås"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "serveren lukkede forbindelsen uden at svare"
    return str(exc) or type(exc).__name__


def _declared_length(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _late_message(url: str, timeout: float, size: int) -> str:
    return (
        f"svaret fra {url} var ikke færdigt inden for {_seconds(timeout)} ({_bytes(size)} nåede frem); prøv igen senere"
    )


def _bytes(count: int) -> str:
    return f"{format_number(count)} byte"


def _seconds(seconds: float) -> str:
    return f"{format_number(seconds, 0 if float(seconds).is_integer() else 1)} sek."


# ---------------------------------------------------------------------------
# Retries and statuses
# ---------------------------------------------------------------------------


def retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def is_front_door(reply: Reply) -> bool:
    """The front door's (WAF's) 403 page, not an answer of the API."""
    return reply.status == 403 and FRONT_DOOR_403.casefold() in reply.body.decode("utf-8", "replace").casefold()


def retry_wait(retry_after: str | None, retry: int, backoff: float, max_wait: float) -> float:
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


def api_cause(reply: Reply) -> tuple[str, str]:
    """The ``cause`` and ``request_id`` of an error answer in the API's JSON (``{"code", "cause",
    "request_id"}``); empty where the answer has none."""
    try:
        answer = json.loads(reply.body.decode("utf-8-sig"))
    except ValueError:
        return "", ""
    if not isinstance(answer, dict):
        return "", ""
    cause, request_id = answer.get("cause"), answer.get("request_id")
    return (str(cause) if cause is not None else ""), (str(request_id) if request_id is not None else "")


def status_error(reply: Reply, tries: int) -> ApiError:
    """An error answer as an :class:`ApiError` that says what happened and what to do."""
    text = reply.body.decode("utf-8", errors="replace")
    cause, request_id = api_cause(reply)
    fields: dict[str, Any] = {"status": reply.status, "cause": cause, "request_id": request_id, "url": reply.url}
    times = f" alle {tries} gange" if tries > 1 else ""
    said = (f"{cause} (request_id {request_id})" if request_id else cause) if cause else repr(text[:200])
    if V2_BAD_KEY in text and reply.status != 401:
        return ApiError(
            f"jobindsats.dk afviste API-nøglen (»{V2_BAD_KEY}«): nøglen i {KEY_ENV} er forkert eller udløbet; "
            "tjek den, eller bed STAR om en ny",
            **fields,
        )
    if reply.status == 401:
        return ApiError(
            f"jobindsats.dk afviste API-nøglen (HTTP {reply.status}): nøglen i {KEY_ENV} er forkert eller udløbet. "
            "Tjek, at den er skrevet rigtigt (uden »Bearer« foran: councilbook sender den som »Bearer <nøgle>«), "
            "eller bed STAR om en ny",
            **fields,
        )
    if is_front_door(reply):
        return ApiError(
            f"GET {reply.url} blev afvist af jobindsats.dk's adgangsside (HTTP 403{times}: {text.strip()[:120]!r}); "
            "den er set at forsvinde af sig selv: prøv igen om en times tid",
            **fields,
        )
    message = f"GET {reply.url} svarede HTTP {reply.status}{times}: {said}"
    if reply.status == 429:
        message += "; jobindsats.dk beder om færre forespørgsler: vent et stykke tid, og prøv så igen"
    elif retryable(reply.status):
        message += "; jobindsats.dk er nede eller har travlt: prøv igen senere"
    return ApiError(message, **fields)


# ---------------------------------------------------------------------------
# The session: every request with the key, retried as above
# ---------------------------------------------------------------------------


@dataclass
class Session:
    """GETs to the API with the key. ``timeout`` bounds each request as a whole; an answer over ``max_bytes``
    is refused; HTTP 429 and 5xx are tried again up to ``retries`` times, ``backoff`` seconds after the first
    try and twice as long each time after (or as long as Retry-After asks), never waiting more than
    ``max_wait``; the front door's 403 page is tried once more."""

    key: str
    base_url: str = API_URL
    timeout: float = DEADLINE
    max_bytes: int = MAX_BYTES
    retries: int = RETRIES
    backoff: float = BACKOFF
    max_wait: float = MAX_WAIT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.key = clean_key(self.key)
        self.base_url = check_base_url(self.base_url)

    def _http(self) -> httpx.Client:
        if self._client is None:
            # No kept-alive connections: each request connects anew, so its deadline watches its socket.
            self._client = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), follow_redirects=True)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def get(self, path: str, params: Mapping[str, str]) -> Reply:
        """The successful reply to ``GET base/path?params&format=json``; else an :class:`ApiError`."""
        query = {**params, "format": "json"}
        headers = {"Authorization": f"Bearer {self.key}", "Accept": "application/json"}
        tries = 1
        reply = exchange(self._http(), self.url(path), query, headers, self.timeout, self.max_bytes)
        front_door_retried = False
        while tries <= self.retries and (retryable(reply.status) or (is_front_door(reply) and not front_door_retried)):
            front_door_retried = front_door_retried or is_front_door(reply)
            self.sleep(retry_wait(reply.retry_after, tries, self.backoff, self.max_wait))
            tries += 1
            reply = exchange(self._http(), self.url(path), query, headers, self.timeout, self.max_bytes)
        if not 200 <= reply.status < 300:
            raise status_error(reply, tries)
        return reply


def parse_json(url: str, raw: bytes) -> Any:
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        answer = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ApiError(
            f"svaret fra {url} ligger for mange niveauer inde i sig selv til at læses: {text[:120]!r}", url=url
        ) from None
    except ValueError:  # not JSON, or a number too long to read
        raise ApiError(f"svaret fra {url} er ikke JSON: {text[:120]!r}", url=url) from None
    if isinstance(answer, dict) and V2_BAD_KEY in answer:
        raise status_error(Reply(200, raw, url=url), 1)
    return answer


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} er ikke JSON")
