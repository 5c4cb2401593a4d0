"""What a jobindsats.dk table holds (its spec and the catalogue), and a measure's request resolved against it.

The table's spec (``GET /v3/table/{id}``) gives its period types and period ids, its dimensions (the area
dimension ``_omrade`` and the breakdowns), each with hierarchies of levels of values (``value_id``,
``value_name``), and its measures in groups (``mgroup_id``, ``measure_id``, ``measure_name``). Nothing of it
is assumed: a measure is found by its id or exact name, a municipality by its name, a breakdown's value by
its name, and the request names every breakdown (the chosen values, every other at its total ``/``), so an
answer can never hold figures unfiltered or multiplied.

The catalogue (``GET /v3/tables``) lists the tables by subject with the day each was last updated and the
next; its tables are found wherever they stand in it (objects with a ``table_id``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from councilbook.core.errors import InputProblem
from councilbook.core.formats import join_and, join_or
from councilbook.data.areas import AreaIndex, is_aggregate
from councilbook.data.jobindsats_http import ApiError
from councilbook.parameters.model import Council, JobindsatsSource, Measure

AREA_DIMENSION = "_omrade"
MUNICIPALITIES = "_nykom"
TOTAL = "/"
PERIOD_TYPES: dict[str, str] = {"M": "måneder", "Q": "kvartaler", "Y": "år", "QMAT": "rullende år"}
READABLE_TYPES = ("M", "Q", "Y")


@dataclass(frozen=True)
class Value:
    id: str
    name: str


@dataclass(frozen=True)
class Hierarchy:
    id: str
    name: str
    dimension: str
    dimension_name: str
    levels: tuple[tuple[str, tuple[Value, ...]], ...]  # (level_id, values), top first

    @property
    def values(self) -> list[Value]:
        return [value for _, values in self.levels for value in values]

    @property
    def total(self) -> Value | None:
        """The hierarchy's root (its top level's only value, id ``/``), if it has one."""
        if self.levels and len(self.levels[0][1]) == 1:
            return self.levels[0][1][0]
        return next((v for v in self.values if v.id == TOTAL), None)

    def find(self, name: str) -> Value | None:
        return next((v for v in self.values if v.name == name), None) or next(
            (v for v in self.values if v.name.casefold() == name.casefold()), None
        )


@dataclass(frozen=True)
class MeasureSpec:
    group: str  # mgroup_id
    id: str  # measure_id
    name: str  # measure_name: the answer's column


@dataclass(frozen=True)
class TableSpec:
    table: str
    name: str
    periods: dict[str, list[str]]  # period type -> period ids, oldest first
    hierarchies: list[Hierarchy]
    measures: list[MeasureSpec]

    @property
    def areas(self) -> list[Hierarchy]:
        return [h for h in self.hierarchies if h.dimension == AREA_DIMENSION]

    @property
    def breakdowns(self) -> list[Hierarchy]:
        return [h for h in self.hierarchies if h.dimension != AREA_DIMENSION]

    def hierarchy(self, hierarchy_id: str) -> Hierarchy | None:
        return next((h for h in self.hierarchies if h.id == hierarchy_id), None)

    def measure(self, wanted: str) -> MeasureSpec | None:
        """A measure by its ``measure_id`` or its exact ``measure_name`` (never 'the last column')."""
        return next((m for m in self.measures if wanted in (m.id, m.name)), None)


# ---------------------------------------------------------------------------
# Reading the spec and the catalogue
# ---------------------------------------------------------------------------


def _wrong(table: str, where: str, expected: str, found: Any) -> ApiError:
    text = json.dumps(found, ensure_ascii=False, default=str)
    text = text if len(text) <= 80 else text[:77] + "..."
    return ApiError(
        f"tabellens beskrivelse for {table} ser ikke ud som ventet: {where} skulle være {expected}, men er {text}"
    )


def _object(table: str, owner: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(owner, dict):
        raise _wrong(table, where.rstrip(".") or "svaret", f"et objekt med {key}", owner)
    return owner


def _list(table: str, owner: Any, key: str, where: str) -> list[Any]:
    value = _object(table, owner, key, where).get(key)
    if not isinstance(value, list):
        raise _wrong(table, f"{where}{key}", "en liste", value)
    return value


def _text(table: str, owner: Any, key: str, where: str) -> str:
    value = _object(table, owner, key, where).get(key)
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise _wrong(table, f"{where}{key}", "en tekst", value)
    return str(value)


def _value(table: str, value: Any, where: str) -> Value:
    return Value(_text(table, value, "value_id", where), _text(table, value, "value_name", where))


def read_spec(table: str, answer: Any) -> TableSpec:
    """A table's spec from ``GET /v3/table/{id}``. Raises :class:`ApiError` for a spec of the wrong shape."""
    if not isinstance(answer, dict):
        raise _wrong(table, "svaret", "et objekt med periods, dimensions og mgroups", answer)
    periods: dict[str, list[str]] = {}
    for n, kind in enumerate(_list(table, answer, "periods", "")):
        where = f"periods[{n}]."
        type_id = _text(table, kind, "periodtype_id", where)
        ids = [_text(table, v, "period_id", f"{where}values[{i}].") for i, v in enumerate(kind.get("values") or [])]
        periods[type_id] = ids
    hierarchies: list[Hierarchy] = []
    for d, dimension in enumerate(_list(table, answer, "dimensions", "")):
        where = f"dimensions[{d}]."
        dimension_id = _text(table, dimension, "dimension_id", where)
        for h, hierarchy in enumerate(_list(table, dimension, "hierarchies", where)):
            here = f"{where}hierarchies[{h}]."
            hierarchy_id = _text(table, hierarchy, "hierarchy_id", here)
            levels = []
            for lv, level in enumerate(_list(table, hierarchy, "levels", here)):
                at = f"{here}levels[{lv}]."
                values = tuple(
                    Value(
                        _text(table, v, "value_id", f"{at}values[{i}]."),
                        _text(table, v, "value_name", f"{at}values[{i}]."),
                    )
                    for i, v in enumerate(_list(table, level, "values", at))
                )
                levels.append((str(level.get("level_id", lv)), values))
            hierarchies.append(
                Hierarchy(
                    id=hierarchy_id,
                    name=str(hierarchy.get("hierarchy_name") or ""),
                    dimension=dimension_id,
                    dimension_name=str(dimension.get("dimension_name") or ""),
                    levels=tuple(levels),
                )
            )
    measures = []
    for g, group in enumerate(_list(table, answer, "mgroups", "")):
        where = f"mgroups[{g}]."
        group_id = _text(table, group, "mgroup_id", where)
        for m, measure in enumerate(_list(table, group, "measures", where)):
            at = f"{where}measures[{m}]."
            measures.append(
                MeasureSpec(
                    group_id, _text(table, measure, "measure_id", at), _text(table, measure, "measure_name", at)
                )
            )
    name = answer.get("table_name")
    return TableSpec(str(answer.get("table_id") or table), str(name or ""), periods, hierarchies, measures)


@dataclass(frozen=True)
class CatalogueTable:
    table: str
    name: str
    subject: str
    update_latest: str
    update_next: str
    period_types: dict[str, str]  # type -> the newest period, as the catalogue gives them


def read_catalogue(answer: Any) -> dict[str, CatalogueTable]:
    """The catalogue's tables by (lower-case) id, wherever in the answer they stand, each with its subject."""
    found: dict[str, CatalogueTable] = {}
    for entry, subject in _tables_in(answer, ""):
        table = str(entry["table_id"]).lower()
        periods = entry.get("periods")
        kinds = periods.get("periodtypes") if isinstance(periods, dict) else periods
        types = {
            str(k.get("periodtype_id")): str(k.get("period_last") or "")
            for k in (kinds if isinstance(kinds, list) else [])
            if isinstance(k, dict) and k.get("periodtype_id")
        }
        found[table] = CatalogueTable(
            table=table,
            name=str(entry.get("table_name") or ""),
            subject=subject,
            update_latest=str(entry.get("update_latest") or ""),
            update_next=str(entry.get("update_next") or ""),
            period_types=types,
        )
    if not found:
        shown = json.dumps(answer, ensure_ascii=False, default=str)[:80]
        raise ApiError(f"jobindsats.dk's katalog over tabeller ser ikke ud som ventet: der er ingen table_id i {shown}")
    return found


def _tables_in(node: Any, subject: str) -> Iterator[tuple[dict[str, Any], str]]:
    if isinstance(node, dict):
        if "table_id" in node and isinstance(node["table_id"], (str, int)):
            yield node, subject
            return
        subject = str(node.get("subject_name") or subject)
        for value in node.values():
            yield from _tables_in(value, subject)
    elif isinstance(node, list):
        for item in node:
            yield from _tables_in(item, subject)


# ---------------------------------------------------------------------------
# A measure's request, resolved against the spec
# ---------------------------------------------------------------------------


class SpecMismatch(InputProblem):
    """measures.yml asks for something the table does not hold; ``field`` is the key under ``jobindsats``."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Plan:
    """What to ask the API for one measure, and how to read the answer."""

    table: str
    measure: MeasureSpec
    period_type: str
    periods: list[str]  # the table's period ids of that type
    area: Hierarchy
    municipalities: dict[str, str]  # the council's municipalities: value_id -> municipality code
    chosen: dict[str, list[Value]]  # hierarchy id -> the values taken (summed when several)
    pinned: dict[str, Value | None]  # hierarchy id -> its total (None: total not named in the spec)
    names: dict[str, str] = field(default_factory=dict)  # hierarchy id -> its name in the spec

    def params(self, periods: str) -> dict[str, str]:
        """The query for ``periods`` (a comma list of period ids, or ``latest:N``)."""
        query = {
            f"mgroup.{self.measure.group}": self.measure.id,
            f"period.{self.period_type}": periods,
            f"hierarchy.{self.area.id}": ",".join(self.municipalities),
        }
        for hierarchy, values in self.chosen.items():
            query[f"hierarchy.{hierarchy}"] = ",".join(v.id for v in values)
        for hierarchy in self.pinned:
            query[f"hierarchy.{hierarchy}"] = TOTAL
        return query

    def selection_text(self) -> str:
        """The selection in Danish, as "Om tallene" and the terminal show it."""
        parts = [f"{self.names.get(h) or h}: {join_or([v.name for v in values])}" for h, values in self.chosen.items()]
        return "; ".join(parts) if parts else "ingen (alle opdelinger i alt)"

    def allowed_labels(self) -> set[str]:
        """The labels a row of the answer may carry in its breakdown columns."""
        names = {v.name for values in self.chosen.values() for v in values}
        return names | {v.name for v in self.pinned.values() if v is not None}

    @property
    def open_totals(self) -> bool:
        """A pinned breakdown whose total the spec does not name: its column is not checked."""
        return any(v is None for v in self.pinned.values())


def suggest(wanted: str, names: list[str]) -> str:
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    return f"; mente du {close[0]!r}?" if close else ""


def _listing(names: list[str], most: int = 12) -> str:
    shown = [repr(n) for n in names[:most]]
    more = f" og {len(names) - most} til" if len(names) > most else ""
    return ", ".join(shown) + more


def resolve(spec: TableSpec, source: JobindsatsSource, measure: Measure, council: Council) -> Plan:
    """The request for ``measure`` (its ``jobindsats`` entry) in the table ``spec`` describes. Raises
    :class:`SpecMismatch` naming the key and what the table holds."""
    table = source.api_table
    if not source.measure:
        names = [m.name for m in spec.measures]
        raise SpecMismatch(
            "measure",
            f"skriv i measure:, hvilket mål i tabellen {table} der er nøgletallet; tabellen har {_listing(names)}",
        )
    found = spec.measure(source.measure)
    if found is None:
        names = [m.name for m in spec.measures]
        raise SpecMismatch(
            "measure",
            f"tabellen {table} har intet mål {source.measure!r} (navn eller id); den har {_listing(names)}"
            + suggest(source.measure, names),
        )
    period_type = source.period or ("Y" if measure.framework else "M")
    if period_type not in spec.periods:
        has = [f"{t} ({PERIOD_TYPES.get(t, t)})" for t in spec.periods]
        if spec.periods and all(t not in READABLE_TYPES for t in spec.periods):
            raise SpecMismatch(
                "period",
                f"tabellen {table} har kun {join_and(has)}; councilbook læser måneder, kvartaler og år, ikke "
                "rullende år: vælg en anden tabel (councilbook tables)",
            )
        raise SpecMismatch(
            "period", f"tabellen {table} har ingen perioder af typen {period_type}; den har {join_and(has) or 'ingen'}"
        )
    areas = spec.areas
    area = next((h for h in areas if h.id == MUNICIPALITIES), None)
    if area is None:
        hierarchies = join_and([h.id for h in areas]) or "ingen"
        raise SpecMismatch(
            "table",
            f"tabellen {table} har ikke tal for kommuner (hierarkiet {MUNICIPALITIES} i {AREA_DIMENSION}); "
            f"dens områder er {hierarchies}: vælg en tabel med kommuner (councilbook tables)",
        )
    municipalities = _municipalities(spec, area, council)
    chosen: dict[str, list[Value]] = {}
    for hierarchy_id, wanted in source.selected().items():
        hierarchy = spec.hierarchy(hierarchy_id)
        if hierarchy is None or hierarchy.dimension == AREA_DIMENSION:
            ids = [h.id for h in spec.breakdowns]
            raise SpecMismatch(
                f"select.{hierarchy_id}",
                f"tabellen {table} har ingen opdeling {hierarchy_id!r}; den har {_listing(ids) or 'ingen'}"
                + suggest(hierarchy_id, ids),
            )
        values = []
        for name in wanted:
            value = hierarchy.find(name)
            if value is None:
                known = [v.name for v in hierarchy.values]
                raise SpecMismatch(
                    f"select.{hierarchy_id}",
                    f"{hierarchy_id} i tabellen {table} har ingen værdi {name!r}; den har {_listing(known)}"
                    + suggest(name, known),
                )
            values.append(value)
        if len(values) > 1 and measure.kind != "count":
            raise SpecMismatch(
                f"select.{hierarchy_id}",
                f"flere værdier ({join_and(wanted)}) kan kun lægges sammen for et antal; {measure.id} er en andel: "
                "vælg én værdi",
            )
        chosen[hierarchy_id] = values
    chosen_dimensions = {spec.hierarchy(h).dimension for h in chosen}  # type: ignore[union-attr]
    pinned = {h.id: h.total for h in spec.breakdowns if h.dimension not in chosen_dimensions}
    labels = {h.id: h.name or h.dimension_name for h in spec.breakdowns}
    return Plan(table, found, period_type, spec.periods[period_type], area, municipalities, chosen, pinned, labels)


def _municipalities(spec: TableSpec, area: Hierarchy, council: Council) -> dict[str, str]:
    """The value ids of the council's municipalities in the area hierarchy, found by name."""
    index = AreaIndex.from_council(council)
    by_code: dict[str, str] = {}
    for value in area.values:
        if is_aggregate(value.name):
            continue
        code = index.match(value.name)
        if code is not None and not code.startswith("jc:"):
            by_code.setdefault(code, value.id)
    missing = [
        f"{code} {name}" if name else code
        for jc in council.job_centres
        for code, name in jc.municipalities.items()
        if code not in by_code
    ]
    if missing:
        raise SpecMismatch(
            "table",
            f"kommunerne i tabellen {spec.table} ({MUNICIPALITIES}) har ikke {join_and(missing)} fra council.yml; "
            "en kommune findes ved sit navn: giv den sit navn i council.yml (municipalities: {kode: navn})",
        )
    return {value_id: code for code, value_id in by_code.items()}
