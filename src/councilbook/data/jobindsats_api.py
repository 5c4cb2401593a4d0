"""`councilbook fetch`: the measures of measures.yml from the jobindsats.dk API (version 3), as tidy CSV.

For each measure with a ``jobindsats`` entry (``table``, ``measure``, ``select``, ``period``):

1. the catalogue (``GET /v3/tables``) says when the table was last updated; a measure fetched since, with the
   same request, is left as it is;
2. the table's spec (``GET /v3/table/{id}``; kept beside the raw answers and reused while the table has not
   been updated) resolves the entry: the measure, the period type and its ids, the municipalities by name,
   the chosen breakdown values, every other breakdown at its total (:mod:`councilbook.data.jobindsats_spec`);
3. the figures (``GET /v3/data/{id}``) are asked for in chunks of at most :data:`CHUNK_PERIODS` periods
   (``latest:N`` where the spec lists no period ids; a 422 "only M periods are available" is asked again
   with M), only the periods not yet fetched and the newest one fetched before (the newest month is often
   revised);
4. the answers are read as they come (:mod:`councilbook.data.jobindsats_answer`) into
   ``<data>/jobindsats-<measure>.csv``, and where each measure's figures come from (table, measure, selection,
   the table's ``update_latest``, the time fetched) into ``<data>/datasource.yml``, which the reports' "Om
   tallene" show.

Every answer is kept unchanged under ``<raw>/<table>/`` with its request (never the key) and the time fetched.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from councilbook.core.errors import Problem, display_path
from councilbook.core.formats import join_or
from councilbook.core.periods import PeriodCodeError, normalise_code, parse_api_period, parse_period
from councilbook.data.areas import AreaIndex
from councilbook.data.jobindsats_answer import DataAnswer, Reading, read_answer, read_figures
from councilbook.data.jobindsats_http import (
    API_URL,
    DEADLINE,
    KEY_ENV,
    URL_ENV,
    ApiError,
    Session,
    parse_json,
)
from councilbook.data.jobindsats_spec import (
    CatalogueTable,
    Plan,
    SpecMismatch,
    TableSpec,
    read_catalogue,
    read_spec,
    resolve,
)
from councilbook.data.readers.tidy_csv import read_tidy_csv
from councilbook.data.reading import DataSource, Figure, ReadContext
from councilbook.parameters.model import Measure, Parameters
from councilbook.parameters.yaml_reading import locate, read_yaml_with_positions

__all__ = ["ApiError", "JobindsatsClient", "fetch_measures", "FetchResult", "api_key_from_env"]

CHUNK_PERIODS = 24  # periods in one request: real requests of 120 months timed out at 60 s
CATALOGUE_FOLDER = "_katalog"
DATASOURCE = "datasource.yml"
_ONLY_AVAILABLE = re.compile(r"only (\d+) periods are available", re.I)


def api_key_from_env() -> str:
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ApiError(
            f"sæt miljøvariablen {KEY_ENV} til organisationens API-nøgle til jobindsats.dk (STAR udsteder den), "
            f"fx {KEY_ENV}=... councilbook fetch"
        )
    return key


def _stamp(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S%fZ}"


@dataclass
class JobindsatsClient:
    """The API with a key, keeping every answer under ``cache_dir`` (``fetched`` lists the files written)."""

    session: Session
    cache_dir: Path | None = None
    fetched: list[Path] = field(default_factory=list)
    clock: Any = field(default=lambda: datetime.now(UTC), repr=False)
    _specs: dict[tuple[str, str], TableSpec] = field(default_factory=dict, repr=False)  # this run's, by table

    @classmethod
    def from_env(cls, cache_dir: Path | None, timeout: float = DEADLINE) -> JobindsatsClient:
        session = Session(api_key_from_env(), os.environ.get(URL_ENV) or API_URL, timeout)
        return cls(session, cache_dir)

    def _get(self, path: str, params: dict[str, str], folder: str, kind: str, **extra: str) -> tuple[Any, Path | None]:
        """The answer's JSON, kept as it came under ``cache_dir/folder`` with its request and time."""
        reply = self.session.get(path, params)
        answer = parse_json(reply.url, reply.body)
        return answer, self._keep(folder, kind, {"url": self.session.url(path), "params": params}, answer, extra)

    def _keep(self, folder: str, kind: str, request: dict[str, Any], answer: Any, extra: dict[str, str]) -> Path | None:
        if self.cache_dir is None:
            return None
        now = self.clock()
        digest = hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
        target = self.cache_dir / folder / f"{_stamp(now)}-{kind}-{digest}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {"request": request, "fetched": now.isoformat(timespec="seconds"), **extra, "response": answer}
        target.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        self.fetched.append(target)
        return target

    def catalogue(self) -> dict[str, CatalogueTable]:
        answer, _ = self._get("/tables", {}, CATALOGUE_FOLDER, "katalog")
        return read_catalogue(answer)

    def table_spec(self, table: str, update_latest: str = "") -> TableSpec:
        """The table's spec: the one kept from an earlier run while the table has not been updated since
        (the catalogue's ``update_latest``), else asked for anew."""
        table = table.lower()
        if (table, update_latest) not in self._specs:  # several measures of one table: one spec
            kept = self._kept_spec(table, update_latest) if update_latest else None
            if kept is None:
                kept, _ = self._get(f"/table/{table}", {}, table, "tabel", update_latest=update_latest)
            self._specs[(table, update_latest)] = read_spec(table, kept)
        return self._specs[(table, update_latest)]

    def _kept_spec(self, table: str, update_latest: str) -> Any:
        if self.cache_dir is None:
            return None
        for path in sorted((self.cache_dir / table).glob("*-tabel-*.json"), reverse=True):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(record, dict) and record.get("update_latest") == update_latest:
                return record.get("response")
        return None

    def data(self, table: str, params: dict[str, str]) -> tuple[DataAnswer, str]:
        """A data answer, read (its shape checked), and the name its raw answer is kept under."""
        table = table.lower()
        answer, kept = self._get(f"/data/{table}", params, table, "data")
        source = kept.as_posix() if kept is not None else f"jobindsats.dk {table}"
        return read_answer(table, answer), source

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> JobindsatsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------
# The periods to ask for
# ---------------------------------------------------------------------------


def periods_from(ids: list[str], first_year: int) -> list[str]:
    """The table's period ids from ``first_year`` on, in time order (ids that are no period left out)."""
    dated = []
    for code in ids:
        try:
            kind, span = parse_api_period(code)
        except PeriodCodeError:
            continue
        if span.first.year >= first_year:
            dated.append((span.first, span.last, code))
    return [code for _, _, code in sorted(dated)]


def fetch_figures(
    client: JobindsatsClient, plan: Plan, wanted: list[str], first_year: int, today: date
) -> list[tuple[DataAnswer, str]]:
    """The answers for ``wanted`` period ids (chunks of at most :data:`CHUNK_PERIODS`); with no ids listed in
    the spec, the latest ones since ``first_year`` (``latest:N``, N lowered to what the API says it has)."""
    if plan.periods:
        return [
            client.data(plan.table, plan.params(",".join(wanted[i : i + CHUNK_PERIODS])))
            for i in range(0, len(wanted), CHUNK_PERIODS)
        ]
    per_year = {"M": 12, "Q": 4, "Y": 1}[plan.period_type]
    count = max(1, (today.year - first_year + 1) * per_year)
    try:
        return [client.data(plan.table, plan.params(f"latest:{count}"))]
    except ApiError as exc:
        found = _ONLY_AVAILABLE.search(exc.cause) if exc.status == 422 else None
        if found is None or int(found.group(1)) >= count or int(found.group(1)) < 1:
            raise
        return [client.data(plan.table, plan.params(f"latest:{int(found.group(1))}"))]


# ---------------------------------------------------------------------------
# What was fetched before: the tidy files and datasource.yml
# ---------------------------------------------------------------------------


def tidy_path(out_dir: Path, measure_id: str) -> Path:
    return out_dir / f"jobindsats-{measure_id}.csv"


def read_held(path: Path, measure: str, params: Parameters) -> list[Figure]:
    """The measure's figures in a tidy file an earlier fetch wrote, read as every tidy file is; none if it is not
    there or cannot be read as it was written (then everything is fetched again)."""
    if not path.exists():
        return []
    problems: list[Problem] = []
    context = ReadContext(AreaIndex.from_council(params.council), params.measures, DataSource(), problems)
    figures = [f for f in read_tidy_csv(path, context) if f.measure == measure]
    return [] if problems else figures


def write_tidy(figures: list[Figure], index: AreaIndex, path: Path) -> None:
    """Figures as the project's tidy CSV (``value`` empty where withheld), sorted by area and period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "area", "area_name", "period", "value"])
    for f in sorted(figures, key=lambda f: (f.area, parse_period(f.period).first, f.period)):
        name = index.display.get(f.area, "").partition(" ")[2]
        writer.writerow([f.measure, f.area, name, f.period, "" if f.value is None else _number(f.value)])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(out.getvalue(), encoding="utf-8")
    temporary.replace(path)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def read_origins(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The ``fetched`` entries of the data folder's datasource.yml (none if it has none)."""
    path = out_dir / DATASOURCE
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    fetched = raw.get("fetched") if isinstance(raw, dict) else None
    return {str(k): dict(v) for k, v in fetched.items() if isinstance(v, dict)} if isinstance(fetched, dict) else {}


def write_origins(out_dir: Path, origins: dict[str, dict[str, Any]]) -> None:
    """datasource.yml with the ``fetched`` entries; a title and source written by hand are kept."""
    path = out_dir / DATASOURCE
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            raw = loaded if isinstance(loaded, dict) else {}
        except (OSError, yaml.YAMLError):
            raw = {}
    raw.setdefault("title", "Jobindsats")
    raw.setdefault("source", "jobindsats.dk (API version 3)")
    raw["fetched"] = {key: origins[key] for key in sorted(origins)}
    header = (
        "# Written by `councilbook fetch`: where each measure's figures come from (shown in the reports' 'Om "
        "tallene').\n# title and source may be edited; `fetched` is rewritten by every fetch.\n"
    )
    text = header + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000)
    temporary = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def request_key(plan: Plan) -> str:
    """What identifies a measure's request but for its periods: a change means fetching it all again."""
    query = plan.params("")
    query.pop(f"period.{plan.period_type}")
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Fetching the measures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchResult:
    measure: str
    table: str
    measure_name: str
    periods: list[str]  # the periods asked for this time (none: nothing new)
    rows: int  # the measure's figures in its file
    withheld: int
    output: Path
    left_out: dict[str, int]
    update_latest: str = ""
    unchanged: bool = False


def fetch_measures(
    params: Parameters,
    client: JobindsatsClient,
    out_dir: Path,
    first_year: int,
    only: list[str] | None = None,
    everything: bool = False,
    today: date | None = None,
) -> tuple[list[FetchResult], list[Problem]]:
    """Fetch every measure with a ``jobindsats`` entry (or those in ``only``) into tidy CSV files.

    First every measure's request is resolved against its table's spec: a name in measures.yml that a table
    does not hold is a problem, and then no figures are asked for. Then the figures; a row of an answer
    that cannot be read is a problem too. With any problem nothing is written (the files of an earlier
    fetch stay as they were). API failures raise :class:`ApiError`."""
    today = today or date.today()
    measures = [m for m in params.measures.values() if m.jobindsats is not None and (not only or m.id in only)]
    shown = display_path(params.root / "measures.yml")
    unknown = sorted(set(only or []) - {m.id for m in measures})
    problems = [
        Problem(shown, "", f"nøgletallet {name!r} findes ikke, eller det har ingen jobindsats-tabel (--measure)")
        for name in unknown
    ]
    if not measures and not problems:
        problems.append(Problem(shown, "", "intet nøgletal har en jobindsats-tabel (jobindsats: {table: ...})"))
    if problems:
        return [], problems
    catalogue = client.catalogue()
    origins = read_origins(out_dir)
    jobs = [
        _plan_one(client, params, m, catalogue, origins, out_dir, first_year, everything, problems) for m in measures
    ]
    if problems:
        return [], _located(params, problems)
    index = AreaIndex.from_council(params.council)
    done = [_fetch_one(client, job, index, first_year, today, problems) for job in jobs if job is not None]
    if problems:
        return [], problems
    results = []
    for job, figures, reading in done:
        if not job.unchanged:
            write_tidy(figures, index, job.output)
            origins[job.measure.id] = job.origin(client.clock())
        results.append(job.result(figures, reading))
    write_origins(out_dir, origins)
    return results, problems


@dataclass
class _Job:
    """One measure's fetch, resolved against its table before any figure is asked for."""

    measure: Measure
    plan: Plan
    listed: CatalogueTable
    table_name: str
    output: Path
    key: str
    held: list[Figure]  # the figures fetched before with the same request
    wanted: list[str]  # the period ids to ask for
    unchanged: bool  # the table has not been updated since the last fetch

    def origin(self, now: datetime) -> dict[str, Any]:
        return {
            "table": self.plan.table,
            "table_name": self.table_name,
            "measure": self.plan.measure.name,
            "measure_id": self.plan.measure.id,
            "selection": self.plan.selection_text(),
            "period": self.plan.period_type,
            "update_latest": self.listed.update_latest,
            "fetched": now.isoformat(timespec="seconds"),
            "request": self.key,
        }

    def result(self, figures: list[Figure], reading: Reading) -> FetchResult:
        asked = [normalise_code(p) for p in self.wanted] or _in_order({f.period for f in reading.figures})
        return FetchResult(
            measure=self.measure.id,
            table=self.plan.table,
            measure_name=self.plan.measure.name,
            periods=[] if self.unchanged else asked,
            rows=len(figures),
            withheld=sum(f.value is None for f in figures),
            output=self.output,
            left_out=dict(reading.left_out),
            update_latest=self.listed.update_latest,
            unchanged=self.unchanged,
        )


def _plan_one(
    client: JobindsatsClient,
    params: Parameters,
    measure: Measure,
    catalogue: dict[str, CatalogueTable],
    origins: dict[str, dict[str, Any]],
    out_dir: Path,
    first_year: int,
    everything: bool,
    problems: list[Problem],
) -> _Job | None:
    source = measure.jobindsats
    assert source is not None
    table = source.api_table
    listed = catalogue.get(table) or CatalogueTable(table, "", "", "", "", {})
    try:
        spec = client.table_spec(table, listed.update_latest)
    except ApiError as exc:
        if exc.status != 404 or table in catalogue:
            raise
        problems.append(_measure_problem(params, measure, "table", not_listed(table, catalogue)))
        return None
    try:
        plan = resolve(spec, source, measure, params.council)
    except SpecMismatch as exc:
        problems.append(_measure_problem(params, measure, exc.field, str(exc)))
        return None
    available = periods_from(plan.periods, first_year)
    if plan.periods and not available:
        message = f"tabellen {table} har ingen perioder af typen {plan.period_type} fra {first_year} og frem"
        problems.append(_measure_problem(params, measure, "period", message))
        return None
    output = tidy_path(out_dir, measure.id)
    key = request_key(plan)
    before = origins.get(measure.id, {})
    held = read_held(output, measure.id, params) if before.get("request") == key and not everything else []
    held_codes = {f.period for f in held}
    new = [p for p in available if normalise_code(p) not in held_codes]
    if held and listed.update_latest and before.get("update_latest") == listed.update_latest:
        # Not updated since: only periods not held (an earlier --from-year), else nothing at all.
        return _Job(measure, plan, listed, spec.name or listed.name, output, key, held, new, unchanged=not new)
    newest_held = [p for p in available if normalise_code(p) in held_codes][-1:]  # the newest is often revised
    wanted = [p for p in available if p in set(new) | set(newest_held)]
    return _Job(measure, plan, listed, spec.name or listed.name, output, key, held, wanted, unchanged=False)


def _fetch_one(
    client: JobindsatsClient, job: _Job, index: AreaIndex, first_year: int, today: date, problems: list[Problem]
) -> tuple[_Job, list[Figure], Reading]:
    """The job's figures: those held, with the periods asked for replaced by what the answers give."""
    if job.unchanged:
        return job, job.held, Reading()
    answers = (
        fetch_figures(client, job.plan, job.wanted, first_year, today) if job.wanted or not job.plan.periods else []
    )
    reading = read_figures(answers, job.plan, job.measure.id, index, problems)
    reading.figures = [f for f in reading.figures if parse_period(f.period).first.year >= first_year]
    asked = {normalise_code(p) for p in job.wanted} | {f.period for f in reading.figures}
    return job, [f for f in job.held if f.period not in asked] + reading.figures, reading


def _in_order(periods: set[str]) -> list[str]:
    return sorted(periods, key=lambda p: parse_period(p).first)


def _located(params: Parameters, problems: list[Problem]) -> list[Problem]:
    """Problems in measures.yml with the line and column of the key they name."""
    _, positions = read_yaml_with_positions(params.root / "measures.yml", [])
    return locate(problems, {display_path(params.root / "measures.yml"): positions})


def _measure_problem(params: Parameters, measure: Measure, key: str, message: str) -> Problem:
    position = list(params.measures).index(measure.id)
    return Problem(display_path(params.root / "measures.yml"), f"measures[{position}].jobindsats.{key}", message)


def not_listed(table: str, catalogue: dict[str, CatalogueTable]) -> str:
    """A table id that jobindsats.dk does not know, with the close ones it does."""
    close = difflib.get_close_matches(table, list(catalogue), n=3, cutoff=0.6)
    hint = f"; mente du {join_or([repr(c) for c in close])}?" if close else ""
    return (
        f"tabellen {table} findes ikke i jobindsats.dk's katalog (version 3; nogle tabeller fra version 2 findes "
        f"ikke længere): se tabellerne med `councilbook tables`{hint}"
    )
