"""A local server that answers as version 3 of the jobindsats.dk API does, for any council's project.

Built from what is known of version 3: the catalogue, the table specs and the data answers have the real
shapes (``tests/fixtures/api/table_y25i01.json`` and the real answers beside it), and the server
is as strict as the real one where that is known: ``Authorization: Bearer <key>`` (401 with an empty body
otherwise), lower-case table ids, ``format=json``, ``mgroup.<group>=<measure>``, ``period.<type>=`` a comma
list or ``latest:N`` (422 "Requested latest:N for type M, but only K periods are available."), a period
type the table lacks (422 "Unknown period type: M"), a hierarchy it lacks or ``_omrade`` (422 "Unknown
hierarchies: [...]"), ``=*`` (every value at every level, totals included), a hierarchy left out (totalled,
no column). Its figures are the project's own: each measure's ``jobindsats`` entry decides which cells hold
the project's figure (the chosen breakdown values share it; totals and other values differ), so what
``councilbook fetch`` writes can be compared with the figures the project holds.

``noisy=True`` answers as carelessly as the real server may: rows shuffled, some twice, "Hele landet",
"Uoplyst område" and subtotal rows added, and every measure of the table as a column.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from conftest import QuietServer, running

from councilbook.core.periods import parse_period
from councilbook.parameters.model import Parameters

KEY = "test-noegle-v3"
TOTAL = "/"
ABSENT = object()  # a cell the project has no figure for: no row (a withheld figure is a row with null)


def api_period(code: str) -> str:
    """councilbook's period code as the API writes it: 2012M01, 2012Q01, 2012Y01."""
    span = parse_period(code)
    if span.first == span.last:
        return code
    if (span.first.month, span.last.month) == (1, 12):
        return f"{span.first.year}Y01"
    return f"{span.first.year}Q{(span.first.month + 2) // 3:02d}"


@dataclass
class Breakdown:
    id: str
    name: str
    total: str  # the total's name (value id "/")
    values: list[tuple[str, str]]  # (value_id, value_name) below the total


@dataclass
class FakeTable:
    id: str
    name: str
    periods: dict[str, list[str]]  # type -> API period ids
    municipalities: list[tuple[str, str, str]]  # (value_id, name, council code)
    breakdowns: list[Breakdown]
    measures: list[tuple[str, str, str, str]]  # (mgroup_id, measure_id, measure_name, councilbook measure id or "")
    chosen: dict[str, dict[str, list[str]]]  # councilbook measure -> hierarchy -> chosen value ids
    kinds: dict[str, str]  # councilbook measure -> count/share
    update_latest: str = "2026-07-21"
    update_next: str = "2026-08-24"
    nykom: bool = True

    def spec(self) -> dict[str, Any]:
        area_levels = [{"level_id": "hele_landet", "values": [{"value_id": TOTAL, "value_name": "Hele landet"}]}]
        area_levels.append(
            {
                "level_id": "nykom",
                "values": [{"value_id": v, "value_name": n} for v, n, _ in self.municipalities]
                + [{"value_id": "/999/", "value_name": "Uoplyst område"}],
            }
        )
        area_hierarchies = [
            {
                "hierarchy_id": "_region",
                "hierarchy_name": "Regioner",
                "levels": [
                    area_levels[0],
                    {"level_id": "region", "values": [{"value_id": "/084/", "value_name": "Region Hovedstaden"}]},
                ],
            }
        ]
        if self.nykom:
            area_hierarchies.insert(0, {"hierarchy_id": "_nykom", "hierarchy_name": "Kommuner", "levels": area_levels})
        dimensions = [{"dimension_id": "_omrade", "dimension_name": "Område", "hierarchies": area_hierarchies}]
        for b in self.breakdowns:
            levels = [{"level_id": f"{b.id[1:]}_1", "values": [{"value_id": TOTAL, "value_name": b.total}]}]
            levels.append({"level_id": b.id[1:], "values": [{"value_id": v, "value_name": n} for v, n in b.values]})
            dimensions.append(
                {
                    "dimension_id": b.id,
                    "dimension_name": b.name,
                    "hierarchies": [{"hierarchy_id": b.id, "hierarchy_name": b.name, "levels": levels}],
                }
            )
        groups: dict[str, list[dict[str, str]]] = {}
        for group, measure_id, name, _ in self.measures:
            groups.setdefault(group, []).append({"measure_id": measure_id, "measure_name": name})
        return {
            "table_id": self.id,
            "table_name": self.name,
            "periods": [{"periodtype_id": k, "values": [{"period_id": p} for p in v]} for k, v in self.periods.items()],
            "mgroups": [
                {"mgroup_id": g, "mgroup_name": m[0]["measure_name"], "measures": m} for g, m in groups.items()
            ],
            "dimensions": dimensions,
        }

    def catalogue_entry(self) -> dict[str, Any]:
        return {
            "table_id": self.id,
            "table_name": self.name,
            "update_freq": next(iter(self.periods)),
            "update_latest": self.update_latest,
            "update_next": self.update_next,
            "mgroups": [{"mgroup_id": g, "mgroup_name": n} for g, _, n, _ in self.measures],
            "periods": {
                "periodtypes": [{"periodtype_id": k, "period_last": v[-1]} for k, v in self.periods.items() if v]
            },
        }


@dataclass
class Universe:
    """The tables of one project, and the figures each cell of them holds."""

    tables: dict[str, FakeTable]
    figures: dict[tuple[str, str, str], float | None]  # (measure, council area code, API period) -> figure
    noisy: bool = False
    seed: int = 7
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)  # path -> answers still to fail (see fail_next)
    delay: float = 0.0  # seconds before each data answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- the figures --------------------------------------------------------------------------------------

    def base(self, measure: str, period: str, code: str | None) -> float | None:
        if code is None:  # Hele landet or Uoplyst område: not the council's
            return 123456.0 if measure and self.kinds(measure) == "count" else 3.3
        return self.figures.get((measure, code, period), ABSENT)  # type: ignore[return-value]

    def kinds(self, measure: str) -> str:
        return next((t.kinds[measure] for t in self.tables.values() if measure in t.kinds), "count")

    def cell(self, table: FakeTable, measure: str, period: str, code: str | None, labels: dict[str, str]) -> Any:
        """The figure of one cell: the project's figure where the measure's entry points, others around it."""
        own = next((m for _, mid, _, m in table.measures if mid == measure), "")
        sibling = next((m for _, _, _, m in table.measures if m), "")
        value = self.base(own or sibling, period, code)
        if value is None or value is ABSENT:
            return value
        if not own:  # a measure of the table that the project does not read
            value = round(value * 1.3 + 1, 1)
        count = self.kinds(own or sibling) == "count"
        chosen = table.chosen.get(own or sibling, {})
        for b in table.breakdowns:
            wanted = labels.get(b.id, TOTAL)
            picked = chosen.get(b.id)
            if picked:
                if wanted == TOTAL:
                    value = value * 2 + 3 if count else value
                elif wanted in picked:
                    value = _split(value, picked, wanted, count)
            elif wanted != TOTAL:
                value = _split(value, [v for v, _ in b.values], wanted, count)
        return int(value) if count and float(value).is_integer() else value

    # -- answers --------------------------------------------------------------------------------------------

    def catalogue(self) -> list[dict[str, Any]]:
        return [
            {
                "subject_id": 1,
                "subject_name": "Ydelser",
                "table_groups": [
                    {
                        "table_group_id": 1,
                        "table_group_name": "Councilbooks tabeller",
                        "tables": [t.catalogue_entry() for t in self.tables.values()],
                    }
                ],
            }
        ]

    def data(self, table: FakeTable, query: dict[str, str]) -> tuple[int, Any]:
        hierarchies = {k.partition(".")[2]: v for k, v in query.items() if k.startswith("hierarchy.")}
        known = {"_nykom", "_region"} if table.nykom else {"_region"}
        known |= {b.id for b in table.breakdowns}
        unknown = [h for h in hierarchies if h not in known]
        if unknown:
            return 422, self.error(f"Unknown hierarchies: {unknown!r}")
        period_keys = [k for k in query if k.startswith("period.")]
        if len(period_keys) != 1:
            return 422, self.error("One period type must be given")
        kind = period_keys[0].partition(".")[2]
        if kind not in table.periods:
            return 422, self.error(f"Unknown period type: {kind}")
        available = table.periods[kind]
        asked = query[period_keys[0]]
        if asked.startswith("latest:"):
            count = int(asked[7:])
            if count > len(available):
                return 422, self.error(
                    f"Requested latest:{count} for type {kind}, but only {len(available)} periods are available."
                )
            periods = available[-count:]
        else:
            periods = asked.split(",")
            if any(p not in available for p in periods):
                return 422, self.error(f"Unknown periods: {[p for p in periods if p not in available]!r}")
        groups = {k.partition(".")[2]: v for k, v in query.items() if k.startswith("mgroup.")}
        if groups == {"*": "*"} or self.noisy:
            measures = [(mid, name) for _, mid, name, _ in table.measures]
        else:
            measures = [(mid, name) for g, mid, name, _ in table.measures if groups.get(g) in (mid, "*")]
            if not measures:
                return 422, self.error(f"Unknown measure groups: {list(groups)!r}")
        if self.noisy:
            random.Random(self.seed).shuffle(measures)
        area_id = "_nykom" if "_nykom" in hierarchies else "_region" if "_region" in hierarchies else None
        areas: list[tuple[str, str | None]] = [("Hele landet", None)]
        if area_id == "_nykom":
            ids = hierarchies["_nykom"]
            everything = [(n, c) for _, n, c in table.municipalities] + [("Uoplyst område", None)]
            if ids == "*":
                areas = [("Hele landet", None), *everything]
            elif ids != TOTAL:
                wanted = ids.split(",")
                areas = [(n, c) for v, n, c in table.municipalities if v in wanted]
                if self.noisy:
                    areas += [("Hele landet", None), ("Uoplyst område", None)]
        breakdowns = [b for b in table.breakdowns if b.id in hierarchies]
        columns = ["Periode", "Område", *[b.name for b in breakdowns], *[name for _, name in measures]]
        combos: list[dict[str, tuple[str, str]]] = [{}]
        for b in breakdowns:
            asked_values = hierarchies[b.id]
            options = [(TOTAL, b.total), *b.values]
            if asked_values == "*":
                picked = options
            else:
                picked = [o for o in options if o[0] in asked_values.split(",")]
                if self.noisy and asked_values == TOTAL:
                    picked = options  # subtotals the client did not ask for
            combos = [{**c, b.id: o} for c in combos for o in picked]
        rows = []
        for period in periods:
            for name, code in areas:
                for combo in combos:
                    labels = {h: v for h, (v, _) in combo.items()}
                    values = [self.cell(table, mid, period, code, labels) for mid, _ in measures]
                    if any(v is ABSENT for v in values):
                        continue
                    rows.append([period, name, *[n for _, n in combo.values()], *values])
        if self.noisy:
            chance = random.Random(self.seed + len(rows))
            rows += [list(r) for r in chance.sample(rows, k=min(len(rows), 5))]
            chance.shuffle(rows)
        return 200, {"columns": columns, "rows": rows}

    @staticmethod
    def error(cause: str) -> dict[str, Any]:
        return {"code": 422, "cause": cause, "request_id": "00000000-0000-4000-8000-000000000000"}


def _split(value: float, picked: list[str], wanted: str, count: bool) -> float:
    """One value's part of ``value`` among ``picked`` (counts: whole parts that sum to it; shares: itself)."""
    if not count:
        return value
    parts = []
    left = value
    for number, _ in enumerate(picked):
        part = left if number == len(picked) - 1 else float(int(value * (0.6 if number == 0 else 0.5 / len(picked))))
        parts.append(part)
        left -= part
    return parts[picked.index(wanted)]


# ---------------------------------------------------------------------------
# A project's universe
# ---------------------------------------------------------------------------


def universe_for(params: Parameters, figures: dict[tuple[str, str, str], float | None], **settings: Any) -> Universe:
    """The tables the project's measures.yml names, each with the project's figures (measure, code,
    councilbook period) -> value; every municipality gets a value id ``/<code>/``."""
    tables: dict[str, FakeTable] = {}
    municipalities = [
        (f"/{code}/", name or code, code)
        for jc in params.council.job_centres
        for code, name in jc.municipalities.items()
    ]
    served: dict[tuple[str, str, str], float | None] = {}
    for (measure, code, period), value in figures.items():
        served[(measure, code, api_period(period))] = value
    for measure in params.measures.values():
        source = measure.jobindsats
        if source is None:
            continue
        table = tables.setdefault(
            source.api_table,
            FakeTable(
                id=source.api_table,
                name=f"Tabel med {measure.label.lower()}",
                periods={},
                municipalities=municipalities,
                breakdowns=[Breakdown("_kon", "Køn", "Køn i alt", [("/1/", "Mænd"), ("/2/", "Kvinder")])],
                measures=[],
                chosen={},
                kinds={},
            ),
        )
        kind = source.period or ("Y" if measure.framework else "M")
        codes = sorted({p for (m, _, p) in served if m == measure.id}, key=lambda p: parse_period(_own(p)).first)
        table.periods[kind] = sorted(
            set(table.periods.get(kind, [])) | set(codes), key=lambda p: parse_period(_own(p)).first
        )
        number = len(table.measures) + 1
        table.measures.append(
            (
                f"mgrp{source.api_table}_{number}",
                f"meas{source.api_table}_{number}",
                source.measure or measure.label,
                measure.id,
            )
        )
        table.kinds[measure.id] = measure.kind
        chosen: dict[str, list[str]] = {}
        for hierarchy, names in source.selected().items():
            breakdown = next((b for b in table.breakdowns if b.id == hierarchy), None)
            if breakdown is None:
                breakdown = Breakdown(hierarchy, hierarchy[1:].capitalize(), f"{hierarchy[1:].capitalize()} i alt", [])
                table.breakdowns.append(breakdown)
            for name in names:
                if name not in [n for _, n in breakdown.values]:
                    breakdown.values.append((f"/{len(breakdown.values) + 1}/", name))
            if len(breakdown.values) < len(names) + 1:
                breakdown.values.append((f"/{len(breakdown.values) + 1}/", "Øvrige"))
            chosen[hierarchy] = [v for v, n in breakdown.values if n in names]
        table.chosen[measure.id] = chosen
    for table in tables.values():  # a measure the project does not read, before the ones it does
        table.measures.insert(0, (f"mgrp{table.id}_0", f"meas{table.id}_0", "Antal fuldtidspersoner", ""))
    return Universe(tables, served, **settings)


def _own(code: str) -> str:
    """An API period id as councilbook's code, for sorting."""
    if re.fullmatch(r"\d{4}Y01", code):
        return code[:4]
    if m := re.fullmatch(r"(\d{4})Q0(\d)", code):
        return f"{m.group(1)}Q{m.group(2)}"
    return code


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    universe: Universe

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        universe = self.server.universe  # type: ignore[attr-defined]
        with universe.lock:
            universe.requests.append({"path": parts.path, "query": query, "auth": self.headers.get("Authorization")})
            failing = universe.failures.get(parts.path, 0)
            if failing:
                universe.failures[parts.path] -= 1
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._send(401, b"", "text/plain")
        if failing:
            return self._send(403, b"You do not have permission to view this directory or page.", "text/html")
        if query.get("format") != "json":
            return self._send(400, b'{"code":400,"cause":"format must be json"}')
        path = parts.path
        if path == "/v3/tables":
            return self._json(200, universe.catalogue())
        if m := re.fullmatch(r"/v3/(table|data)/([a-z0-9_]+)", path):
            table = universe.tables.get(m.group(2))
            if table is None:
                return self._json(404, {"code": 404, "cause": f"Table not found: {m.group(2)}"})
            if m.group(1) == "table":
                return self._json(200, table.spec())
            if universe.delay:
                time.sleep(universe.delay)
            status, body = universe.data(table, {k: v for k, v in query.items() if k != "format"})
            return self._json(status, body)
        return self._json(404, {"code": 404, "cause": "Not found"})

    def _json(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def serve(universe: Universe) -> Iterator[str]:
    """The universe on 127.0.0.1; yields the API's address (``http://127.0.0.1:PORT/v3``)."""
    server = QuietServer(("127.0.0.1", 0), _Handler)
    server.universe = universe  # type: ignore[attr-defined]
    with running(server) as root:
        yield f"{root}/v3"


def read_tidy_figures(path: Path) -> dict[tuple[str, str, str], float | None]:
    """A tidy CSV's figures: (measure, area, period) -> value (None where withheld)."""
    import csv

    found: dict[tuple[str, str, str], float | None] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            found[(row["measure"], row["area"], row["period"])] = float(row["value"]) if row["value"] else None
    return found
