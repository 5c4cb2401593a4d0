"""The goals' status as plain data for JSON (``councilbook status --json``, the report's recorded figures): every
figure under a name that says its unit."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from councilbook.analysis.benchmark import FLAG_NOT_MEANINGFUL
from councilbook.analysis.detail import GoalDetail
from councilbook.analysis.meeting import MeetingStatus
from councilbook.analysis.status import GoalStatus
from councilbook.core import figures as fig
from councilbook.parameters.model import Goal
from councilbook.text.status_tables import SPREAD_DECIMALS, STATUS_COLUMNS, adjusted_level, since_previous, status_row

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    pass


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dictionaries of plain values."""
    return [{k: plain_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def goal_figures_json(goal: Goal, status: GoalStatus, since: fig.Quantity | None = None) -> dict[str, Any]:
    """A goal's status as JSON: the figures as shown, each named by its unit (``actual_pct``, ``change_pp``,
    ``actual_count``, ``gap_pct``, ...), and the text of each cell of the status table."""
    f = status.figures
    entry: dict[str, Any] = {
        "goal_id": status.goal_id,
        "title": status.title,
        "status": status.status,
        "unit": f.actual.unit,
        "decimals": f.actual.decimals,
        "better": status.better,
        "aggregation": status.aggregation,
        "target_form": status.target_form,
        "frequency": {"M": "month", "Q": "quarter"}[status.freq],
        "baseline_period": status.baseline_period,
        "periods": list(status.periods),
        "excluded_periods": list(status.excluded),
        "missing": [
            {"period": m.period, "part": m.part, "jobcentres": list(m.jobcentres), "everywhere": m.everywhere}
            for m in status.missing
        ],
        "final": status.final,
        "draft_contract": status.draft,
    }
    for name in ("baseline", "target", "actual", "last_year", "change", "forecast", "gap", "comparable_target"):
        entry |= fig.json_fields(name, getattr(f, name))
    entry |= fig.json_fields("forecast_low", f.low) | fig.json_fields("forecast_high", f.high)
    if status.at_least is not None:  # a final count with a figure missing: at least this much
        entry |= fig.json_fields("at_least", fig.level(status.at_least, False))
    if status.target_at_least is not None:  # a target from a baseline with a figure missing: at least this
        entry |= fig.json_fields("target_at_least", fig.level(status.target_at_least, False))
    entry["forecast"] = forecast_json(status)
    entry["text"] = status_row(goal, status, since)
    return entry


FORECAST_ERROR_DECIMALS = 1  # as the forecast's sentence shows its typical error (sentences.describe_forecast)


def forecast_json(status: GoalStatus) -> dict[str, Any]:
    """The forecast's record: its typical error and its errors in earlier years (in percentage points for a
    share, in % for a count) rounded as the typical error is shown."""
    record = status.forecast.as_dict()
    unit: fig.Unit = "pp" if status.forecast.error_unit == "pp" else "percent"

    def shown(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: shown(item) for key, item in value.items()}
        return fig.Quantity(math.nan if value is None else value, unit, FORECAST_ERROR_DECIMALS).json

    return {
        key: shown(value) if key.startswith(("typical_error_", "backtest_error_")) else value
        for key, value in record.items()
    }


def jobcentres_json(table: pd.DataFrame, status: GoalStatus) -> list[dict[str, Any]]:
    rows = []
    for record in table.itertuples():
        actual, before = fig.level(record.actual, status.share), fig.level(record.last_year, status.share)
        row: dict[str, Any] = {
            "jobcentre_id": record.jobcentre_id,
            "jobcentre": record.jobcentre,
            "cluster": record.cluster,
        }
        row |= fig.json_fields("actual", actual) | fig.json_fields("last_year", before)
        row |= fig.json_fields("change", fig.change(actual, before))
        if not status.share:
            row |= fig.json_fields("contribution", fig.contribution(record.contribution_pp))
        row["rank"] = whole(record.rank)
        rows.append(row)
    return rows


def adjusted_json(table: pd.DataFrame, status: GoalStatus) -> list[dict[str, Any]]:
    rows = []
    for record in table.itertuples():
        row: dict[str, Any] = {
            "jobcentre_id": record.jobcentre_id,
            "jobcentre": record.jobcentre,
            "cluster": record.cluster,
        }
        row |= fig.json_fields("level", adjusted_level(record.level, status.share))
        row |= fig.json_fields("expected", adjusted_level(record.expected, status.share))
        shown = fig.ratio(math.nan if record.flag == FLAG_NOT_MEANINGFUL else record.actual_over_expected)
        row |= fig.json_fields("actual_over_expected", shown) | fig.json_fields(
            "vs_cluster", fig.ratio(record.vs_cluster)
        )
        row["flag"] = record.flag or None
        row["rank"] = whole(record.adjusted_rank)
        rows.append(row)
    return rows


def xmr_json(detail: GoalDetail, status: GoalStatus) -> dict[str, Any] | None:
    """The XmR view with its centre line and limits as the chart shows them (in the goal's unit and rounding)."""
    if detail.xmr is None:
        return None
    xmr = detail.xmr
    lines = {name: fig.level(getattr(xmr, name), status.share) for name in ("centre", "lower", "upper")}
    return {
        **{key: value for name, q in lines.items() for key, value in fig.json_fields(name, q).items()},
        "baseline_points": xmr.baseline_points,
        "points": len(xmr.points),
        "signals": [s.as_dict() for s in xmr.signals],
    }


def spread_json(spread: pd.DataFrame) -> list[dict[str, Any]]:
    """The spread year by year: interquartile range and standard deviation of actual ÷ expected (ratios)."""
    rows = []
    for record in spread.itertuples():
        row: dict[str, Any] = {"year": int(record.year), "periods": int(record.periods), "n": whole(record.n)}
        for name in ("iqr", "sd"):
            row |= fig.json_fields(name, fig.ratio(getattr(record, name), SPREAD_DECIMALS))
        row |= fig.json_fields("r2", fig.ratio(record.r2, 2))
        rows.append(row)
    return rows


def status_figures(result: MeetingStatus) -> dict[str, Any]:
    """The status figures as plain data (the JSON of ``councilbook status --json``)."""
    goals = []
    for goal, status in zip(result.contract.goals, result.goals, strict=True):
        detail = result.details.get(status.goal_id)
        since = since_previous(result, status)
        entry = goal_figures_json(goal, status, since)
        entry["jobcentres"] = jobcentres_json(result.jobcentres[status.goal_id], status)
        if detail is not None:
            previous = fig.level(
                math.nan if detail.previous_forecast is None else detail.previous_forecast, status.share
            )
            entry["since_previous_meeting"] = {
                "meeting": detail.previous_meeting.isoformat() if detail.previous_meeting else None,
                **fig.json_fields("previous_forecast", previous),
                **fig.json_fields("change", since if since is not None else fig.change(previous, previous)),
            }
            entry["xmr"] = xmr_json(detail, status)
            entry["adjusted"] = {
                "fit": detail.adjusted.fit.as_dict(),
                "framework_years": list(detail.adjusted.framework_years),
                "jobcentres": adjusted_json(detail.adjusted.table, status),
            }
            entry["spread"] = spread_json(detail.spread)
        goals.append(entry)
    return {
        "meeting": result.meeting.date.isoformat(),
        "meeting_kind": result.meeting.kind,
        "pack_date": result.pack_date.isoformat(),
        "cutoff": str(result.cutoff),
        "contract_year": result.contract.year,
        "final": result.final,
        "columns": STATUS_COLUMNS,
        "goals": goals,
    }


def whole(value: Any) -> int | None:
    """A rank or a number of things as an integer (None when there is none)."""
    plain = plain_value(value)
    return None if plain is None else int(plain)


def plain_value(value: Any) -> Any:
    """A value as JSON can hold it: numpy scalars as Python numbers, NaN and NA as None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if value is not None and type(value).__name__ == "NAType":
        return None
    return value
