"""Councils made in tests: parameters and tidy figures written to a folder, to be read as a user's files.

`write_council` writes ``parameters/`` (council, measures, contracts, meetings, evaluations) and
``data/figures.csv`` from plain data; `tests/test_generated_councils.py` draws such councils at random
with hypothesis and `tests/test_any_council.py` makes the ones that reproduce the issue's faults.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_figures(path: Path, rows: Iterable[tuple[str, str, str, float | None]]) -> None:
    """Tidy CSV: (measure, area, period, value); None is written empty (withheld)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "area", "period", "value"])
    for measure, area, period, value in rows:
        shown = "" if value is None or (isinstance(value, float) and math.isnan(value)) else repr(float(value))
        writer.writerow([measure, area, period, shown])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")


def write_council(
    root: Path,
    council: dict[str, Any],
    measures: list[dict[str, Any]],
    contracts: dict[int, dict[str, Any]],
    meetings: dict[int, list[dict[str, Any]]],
    evaluations: dict[int, dict[str, Any]],
    figures: Iterable[tuple[str, str, str, float | None]],
    sample: bool = True,
) -> tuple[Path, Path]:
    """Write a council's parameters and data under ``root``; returns (parameters folder, data folder)."""
    params, data = root / "parameters", root / "data"
    write_yaml(params / "council.yml", council)
    write_yaml(params / "measures.yml", {"measures": measures})
    for year, contract in contracts.items():
        write_yaml(params / "contracts" / f"{year}.yml", {"year": year, **contract})
    for year, items in meetings.items():
        write_yaml(params / "meetings" / f"{year}.yml", {"year": year, "meetings": items})
    for year, evaluation in evaluations.items():
        write_yaml(params / "evaluations" / f"{year}.yml", {"year": year, **evaluation})
    write_figures(data / "figures.csv", figures)
    write_yaml(data / "datasource.yml", {"title": "Testdata", "source": "test", "sample": sample})
    return params, data


def months(first_year: int, last_year: int) -> list[str]:
    return [f"{y}M{m:02d}" for y in range(first_year, last_year + 1) for m in range(1, 13)]


def quarters(first_year: int, last_year: int) -> list[str]:
    return [f"{y}Q{q}" for y in range(first_year, last_year + 1) for q in range(1, 5)]


def goal(goal_id: str, measure: str, aggregation: str, better: str, baseline: str, target: dict, **extra: Any) -> dict:
    return {
        "id": goal_id,
        "title": f"Mål {goal_id}",
        "why": "Fordi det er vigtigt.",
        "actions": ["Rådet følger målet."],
        "measure": measure,
        "aggregation": aggregation,
        "better": better,
        "baseline": baseline,
        "target": target,
        **extra,
    }
