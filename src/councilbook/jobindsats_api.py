"""A client for the jobindsats.dk API (v2), caching every raw answer, converting to tidy rows.

* ``GET  {base}/tables/{table}/json/`` lists a table's periods (``[0]["Period"]``).
* ``POST {base}/data/{table}/json`` with ``{"area": "*", "period": [...], ...selections}``
  returns ``[0]["Variables"]`` (column labels) and ``[0]["Data"]`` (rows).

The key is sent raw in the ``Authorization`` header and read from the environment
variable ``JOBINDSATS_API_KEY``, never from a file in the repository. Each answer
is stored under ``data/raw/jobindsats/<table>/`` with the request and the time it
was fetched; raw answers are never changed afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from .areas import AreaIndex, is_aggregate, unknown_area_message
from .errors import Problem
from .ingest import Figure, parse_export_value, period_code
from .parameters import Measure, Parameters

API_URL = "https://api.jobindsats.dk/v2"
KEY_ENV = "JOBINDSATS_API_KEY"
URL_ENV = "JOBINDSATS_API_URL"  # another address for the same API (a proxy, or a test server)
BAD_KEY = "Forkert nøgle eller nøglen er udløbet."
AREA_LABELS = ("område", "area", "omraade")
PERIOD_LABELS = ("periode", "period")


class ApiError(Exception):
    """The API could not give the figures; the message says why and what to do."""


def api_key_from_env() -> str:
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ApiError(f"set the environment variable {KEY_ENV} to the organisation's jobindsats.dk API key")
    return key


@dataclass
class JobindsatsClient:
    key: str
    base_url: str = API_URL
    timeout: float = 60.0
    cache_dir: Path | None = None
    fetched: list[Path] = field(default_factory=list)

    @classmethod
    def from_env(cls, cache_dir: Path | None, timeout: float = 60.0) -> JobindsatsClient:
        return cls(api_key_from_env(), os.environ.get(URL_ENV, API_URL).rstrip("/"), timeout, cache_dir)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}{path}"
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", self.key)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https or test URL)
                raw = response.read()
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", errors="replace")
            if BAD_KEY in text:
                raise ApiError(_bad_key_message()) from None
            raise ApiError(f"{method} {url} answered HTTP {exc.code}: {text[:200]!r}") from None
        except TimeoutError:
            raise ApiError(f"no answer from {url} within {self.timeout:g} s; try again later") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise ApiError(f"no answer from {url} within {self.timeout:g} s; try again later") from None
            raise ApiError(f"cannot reach {url}: {exc.reason}") from None
        text = raw.decode("utf-8-sig", errors="replace")
        try:
            answer = json.loads(text)
        except json.JSONDecodeError:
            raise ApiError(f"the answer from {url} is not JSON: {text[:120]!r}") from None
        if isinstance(answer, dict) and BAD_KEY in answer:
            raise ApiError(_bad_key_message())
        self._cache(method, path, body, answer)
        return answer

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
        answer = self._request("GET", f"/tables/{table}/json/")
        try:
            periods = answer[0]["Period"]
        except (KeyError, IndexError, TypeError):
            raise ApiError(f"the table list for {table} has no periods (answer: {str(answer)[:120]!r})") from None
        if not periods:
            raise ApiError(f"table {table} lists no periods")
        return [str(p) for p in periods]

    def fetch(self, table: str, periods: list[str], filters: dict[str, list[str]] | None = None) -> Any:
        body: dict[str, Any] = {"area": "*", "period": periods, **(filters or {})}
        answer = self._request("POST", f"/data/{table}/json", body)
        try:
            rows = answer[0]["Data"]
        except (KeyError, IndexError, TypeError):
            raise ApiError(f"the answer for table {table} has no Data (answer: {str(answer)[:120]!r})") from None
        if not rows:
            raise ApiError(
                f"table {table} returned no figures for {periods[0]}..{periods[-1]}"
                + (f" with {filters}" if filters else "")
                + "; check the table id, the periods and the selections"
            )
        return answer


def _bad_key_message() -> str:
    return f"jobindsats.dk refused the API key in {KEY_ENV} ({BAD_KEY!r}): check it, or ask for a new one"


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
    """The rows of a data answer as figures of one measure (aggregate rows left out)."""
    labels = [str(v.get("Label", "")) for v in answer[0]["Variables"]]
    area_col = _column(labels, AREA_LABELS, 0)
    period_col = _column(labels, PERIOD_LABELS, 1)
    variable = measure.jobindsats.variable if measure.jobindsats else None
    if variable:
        matches = [i for i, label in enumerate(labels) if label.strip().casefold() == variable.casefold()]
        if not matches:
            problems.append(Problem(source, "Variables", f"no column {variable!r} (columns: {', '.join(labels)})"))
            return []
        value_col = matches[0]
    else:
        value_col = len(labels) - 1
    figures = []
    for number, row in enumerate(answer[0]["Data"], start=1):
        where = f"Data[{number - 1}]"
        area_label, period_raw, raw = row[area_col], row[period_col], row[value_col]
        if is_aggregate(str(area_label)):
            continue
        period = period_code(period_raw)
        if period is None:
            problems.append(Problem(source, where, f"{period_raw!r} is not a period code"))
            continue
        area = index.match(str(area_label))
        if area is None:
            if not ignore_unknown_areas:
                problems.append(Problem(source, where, unknown_area_message(str(area_label), index)))
            continue
        try:
            value = parse_export_value(raw)
        except ValueError:
            problems.append(Problem(source, where, f"{raw!r} is not a number"))
            continue
        figures.append(Figure(measure.id, area, period, value, source, where))
    return figures


def periods_to_fetch(available: list[str], framework: bool, first_year: int) -> list[str]:
    """Months from ``first_year`` on (years for framework measures), as the table lists them."""
    wanted = []
    for code in available:
        if len(code) == 4 and framework and int(code) >= first_year:
            wanted.append(code)
        elif len(code) == 7 and code[4] == "M" and not framework and int(code[:4]) >= first_year:
            wanted.append(code)
    return wanted


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
            raise ApiError(f"table {table} lists no {'years' if measure.framework else 'months'} from {first_year}")
        answer = client.fetch(table, periods, measure.jobindsats.filters)
        source = client.fetched[-1].as_posix() if client.fetched else f"jobindsats.dk {table}"
        found = answer_to_figures(answer, measure, index, source, problems)
        output = out_dir / f"jobindsats-{measure.id}.csv"
        if not problems:
            write_tidy(found, index, output)
        results.append(FetchResult(measure.id, table, periods, len(found), output))
    return results, problems
