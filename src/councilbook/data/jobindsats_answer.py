"""A data answer of the jobindsats.dk API (version 3) read as it comes, into one measure's figures.

An answer is ``{"columns": [...], "rows": [[...], ...]}``: ``Periode`` first, then ``Område`` (bare names:
"Randers", "Hele landet"), a label column per breakdown, then a column per measure, named by the measure.
Rows are not sorted, ``*`` selections bring identical rows and subtotals, and a withheld (or not yet
available) cell is ``null``. So here:

* identical rows count once; two rows for the same area, period and labels with different figures are an
  error;
* "Hele landet", regions and "Uoplyst område" are left out, and so are rows whose breakdown labels are not
  the ones asked for (subtotals, totals of a chosen breakdown);
* a municipality's bare name is matched to its code (a name that is not one of the council's is an error);
* ``null`` is withheld: written as an empty value, read as missing, never 0;
* the figure is the measure's own column, found by the measure's exact name from the table's spec; values
  chosen together (``select: {_ygrpi09: [A-dagpenge, Kontanthjælp]}``) are summed, and withheld if one is.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from councilbook.core.errors import Problem
from councilbook.core.periods import PeriodCodeError, normalise_code, parse_api_period
from councilbook.data.areas import AreaIndex, is_aggregate, unknown_area_message
from councilbook.data.ingest import Figure, show_value
from councilbook.data.jobindsats_http import ApiError
from councilbook.data.jobindsats_spec import Plan
from councilbook.parameters.types import MAX_FIGURE

PERIOD_COLUMN = "periode"
AREA_COLUMN = "område"


@dataclass(frozen=True)
class DataAnswer:
    """A data answer, checked: a name per column, and rows of as many JSON scalars."""

    columns: list[str]
    rows: list[list[Any]]


def read_answer(table: str, answer: Any) -> DataAnswer:
    """The columns and rows of a data answer. Raises :class:`ApiError` for an answer of the wrong shape."""
    expected = "et objekt med columns og rows"
    if not isinstance(answer, dict):
        raise _wrong(table, "svaret", expected, _is(answer))
    for key in ("columns", "rows"):
        if key not in answer:
            has = ", ".join(map(str, answer)) or "intet"
            raise _wrong(table, "svaret", expected, f"det har ingen {key} (det har {has})")
    columns = answer["columns"]
    if not isinstance(columns, list) or len(columns) < 3 or not all(isinstance(c, str) for c in columns):
        raise _wrong(table, "columns", "en liste med mindst 3 kolonnenavne (periode, område, tal)", _is(columns))
    rows = answer["rows"]
    if not isinstance(rows, list):
        raise _wrong(table, "rows", "en liste af rækker", _is(rows))
    width = len(columns)
    for number, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != width:
            found = _is(row) if not isinstance(row, list) else f"den har {len(row)} ({_short(row)})"
            raise _wrong(table, f"rows[{number}]", f"en række med {width} værdier, én for hver kolonne", found)
        for column, cell in enumerate(row):
            if isinstance(cell, bool) or not isinstance(cell, (str, int, float, type(None))):
                raise _wrong(table, f"rows[{number}][{column}]", "tekst, et tal eller null", _is(cell))
    return DataAnswer(list(columns), rows)


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


@dataclass
class Reading:
    """What an answer gave: the figures, and what was left out and why (for the terminal)."""

    figures: list[Figure] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)

    @property
    def withheld(self) -> int:
        return sum(1 for f in self.figures if f.value is None)


def _column(columns: list[str], name: str, fallback: int) -> int:
    folded = [c.strip().casefold() for c in columns]
    return folded.index(name) if name in folded else fallback


def read_figures(
    answers: list[tuple[DataAnswer, str]], plan: Plan, measure_id: str, index: AreaIndex, problems: list[Problem]
) -> Reading:
    """One measure's figures from the answers to its requests (each with the file its raw answer is kept in).

    A row that cannot be read is a problem naming the raw answer's file and row; an answer without the
    measure's column is an :class:`ApiError`."""
    reading = Reading()
    wanted_periods = set(plan.periods)
    allowed = plan.allowed_labels()
    parts = math.prod(len(values) for values in plan.chosen.values()) if plan.chosen else 1
    # (area, period) -> labels -> (value, where); the first file and row that gave each
    cells: dict[tuple[str, str], dict[tuple[str, ...], tuple[float | None, str, str]]] = {}
    for answer, source in answers:
        columns = answer.columns
        if plan.measure.name not in columns:
            raise ApiError(
                f"svaret for tabellen {plan.table} har ingen kolonne {plan.measure.name!r} (målet i tabellens "
                f"beskrivelse); kolonnerne er {', '.join(repr(c) for c in columns)}"
            )
        value_col = columns.index(plan.measure.name)
        period_col = _column(columns, PERIOD_COLUMN, 0)
        area_col = _column(columns, AREA_COLUMN, 1)
        label_cols = [
            c
            for c in range(len(columns))
            if c not in (period_col, area_col, value_col) and any(isinstance(row[c], str) for row in answer.rows)
        ]
        seen: set[tuple[Any, ...]] = set()
        for number, row in enumerate(answer.rows):
            where = f"rows[{number}]"
            if tuple(row) in seen:
                reading.left_out["ens rækker"] += 1
                continue
            seen.add(tuple(row))
            area_label, raw_period, raw = str(row[area_col]), row[period_col], row[value_col]
            if is_aggregate(area_label):
                reading.left_out["hele landet, regioner og uoplyst område"] += 1
                continue
            labels = tuple(str(row[c]) for c in label_cols)
            if not plan.open_totals and any(label not in allowed for label in labels):
                reading.left_out["andre opdelinger og subtotaler"] += 1
                continue
            try:
                kind, _ = parse_api_period(str(raw_period))
            except PeriodCodeError:
                problems.append(Problem(source, where, f"{raw_period!r} er ikke en periode som 2025M05 eller 2025Q04"))
                continue
            if kind != plan.period_type or (wanted_periods and str(raw_period) not in wanted_periods):
                reading.left_out["andre perioder"] += 1
                continue
            area = index.match(area_label)
            if area is None or area.startswith("jc:"):
                problems.append(Problem(source, where, unknown_area_message(area_label, index)))
                continue
            if raw is not None and (
                not isinstance(raw, (int, float)) or not math.isfinite(raw) or abs(raw) > MAX_FIGURE
            ):
                problems.append(Problem(source, where, f"{raw!r} i kolonnen {plan.measure.name!r} er ikke et tal"))
                continue
            value = None if raw is None else float(raw)
            key = (area, normalise_code(str(raw_period)))
            earlier = cells.setdefault(key, {}).get(labels)
            if earlier is None:
                cells[key][labels] = (value, source, where)
            elif earlier[0] != value:
                problems.append(
                    Problem(
                        source,
                        where,
                        f"{area_label} {raw_period}{_labels(labels)} står også i {earlier[1]} ({earlier[2]}) "
                        f"med et andet tal ({show_value(earlier[0])} og {show_value(value)})",
                    )
                )
    for (area, period), by_labels in sorted(cells.items()):
        _, source, where = next(iter(by_labels.values()))
        if len(by_labels) > parts:
            problems.append(
                Problem(
                    source,
                    where,
                    f"{index.display.get(area, area)} {period} står i {len(by_labels)} rækker med hver sine "
                    f"opdelinger ({'; '.join(' / '.join(labels) for labels in by_labels)}), men der var bedt om "
                    f"{parts}: giv hver opdeling i select, så tallet ikke tælles flere gange",
                )
            )
            continue
        if len(by_labels) < parts:
            reading.left_out["tal, hvor en af de valgte værdier mangler"] += 1
            continue
        values = [v for v, _, _ in by_labels.values()]
        total = None if any(v is None for v in values) else float(sum(v for v in values if v is not None))
        reading.figures.append(Figure(measure_id, area, period, total, source, where))
    return reading


def _is_figure(raw: Any) -> bool:
    return isinstance(raw, (int, float)) and math.isfinite(raw) and abs(raw) <= MAX_FIGURE


def _labels(labels: tuple[str, ...]) -> str:
    return f" ({' / '.join(labels)})" if labels else ""
