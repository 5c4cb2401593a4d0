"""Golden backtests: the sample council's figures for one meeting and one evaluation, against files
whose key figures were checked by hand when they were made (e.g. førtidspension: forecast
1.964 + (4.750 - 2.434) x 1.964 / 2.434 = 3.832,8; langtidsledighed: 9.833 x 8.796 / 9.696 = 8.920,3).
A change in any method shows up here as a diff.

Regenerate after an intended change with:  GOLDEN_UPDATE=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from councilbook.analysis.evaluation import compute_evaluation
from councilbook.analysis.meeting import compute_meeting_status
from councilbook.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests/golden"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"


@pytest.fixture(scope="module")
def sample():
    return load_project(ROOT / "parameters", ROOT / "data/sample")


@pytest.fixture(scope="module")
def meeting(sample):
    return compute_meeting_status(sample.params, sample.dataset, sample.params.meeting_on(date(2013, 8, 28)))


def check(frame: pd.DataFrame, name: str) -> None:
    path = GOLDEN / name
    frame = frame.reset_index(drop=True)
    if UPDATE:
        frame.to_csv(path, index=False, float_format="%.6f")
    golden = pd.read_csv(path, keep_default_na=True)
    current = pd.read_csv(pd.io.common.StringIO(frame.to_csv(index=False, float_format="%.6f")))
    pd.testing.assert_frame_equal(current, golden, check_exact=False, rtol=1e-9)


def test_region_status(meeting) -> None:
    rows = []
    for g in meeting.goals:
        f = g.figures
        rows.append(
            {
                "goal_id": g.goal_id,
                "baseline": g.baseline,
                "target": g.target,
                "actual": g.actual,
                "last_year": g.last_year,
                "change": f.change.value,  # as shown: percentage points for a share, % for a count
                "change_unit": f.change.unit,
                "forecast": g.forecast.value,
                "forecast_low": g.forecast.low,
                "forecast_high": g.forecast.high,
                "typical_error": g.forecast.typical_error,
                "error_unit": g.forecast.error_unit,
                "gap": f.gap.value,
                "gap_unit": f.gap.unit,
                "status": g.status,
                "since_previous": meeting.details[g.goal_id].since_previous(g).value,
            }
        )
    check(pd.DataFrame(rows), "status-2013-08-28-region.csv")


def test_jobcentres(meeting) -> None:
    check(meeting.jobcentres["langtidsledighed"], "status-2013-08-28-jobcentres-langtidsledighed.csv")


def test_jobcentre_rank_follows_the_change_shown(meeting) -> None:
    """A share's change is shown in percentage points, so job centres are ranked by it; a count's in %."""
    share = meeting.jobcentres["unge-uddannelse"]  # a ratio, higher is better
    points = (share["actual"] - share["last_year"]).round(1).tolist()
    assert share["change"].tolist() == pytest.approx(points)
    assert share["rank"].tolist() == sorted(share["rank"].tolist())
    assert points == sorted(points, reverse=True)
    count = meeting.jobcentres["langtidsledighed"]  # a count, lower is better
    assert count["change"].tolist() == sorted(count["change"])


def test_adjusted(meeting) -> None:
    check(meeting.details["unge-uddannelse"].adjusted.table, "status-2013-08-28-adjusted-unge-uddannelse.csv")


def test_spread_and_xmr(meeting) -> None:
    check(meeting.details["foertidspension"].spread, "status-2013-08-28-spread-foertidspension.csv")
    xmr = meeting.details["langtidsledighed"].xmr
    signals = pd.DataFrame([s.as_dict() for s in xmr.signals])
    signals["centre"], signals["lower"], signals["upper"] = xmr.centre, xmr.lower, xmr.upper
    check(signals, "status-2013-08-28-xmr-langtidsledighed.csv")


def test_evaluation(sample) -> None:
    result = compute_evaluation(sample.params, sample.dataset, sample.params.evaluations[2013])
    rows = [
        {
            "goal_id": g.goal_id,
            "actual": g.actual,
            "year_target": g.year_target,
            "gap": g.figures.gap.value,
            "gap_unit": g.figures.gap.unit,
            "attained": a,
        }
        for g, a in zip(result.goals, result.attained, strict=True)
    ]
    check(pd.DataFrame(rows), "evaluation-2013-goals.csv")
    counts = result.jobcentre_attainment.groupby("jobcentre_id")["attained"].apply(lambda s: int(s.fillna(False).sum()))
    check(counts.rename("attained").reset_index(), "evaluation-2013-jobcentres.csv")
