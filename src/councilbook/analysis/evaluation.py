"""The yearly evaluation: the evaluated contract's goals with their whole-year results, the job
centres' attainment, the meetings' statuses and the council's record in the year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from councilbook.analysis.detail import compute_spread
from councilbook.analysis.meeting import MeetingStatus, compute_meeting_status
from councilbook.analysis.statistics import (
    DecisionRecord,
    MinutesRecord,
    compute_decisions,
    compute_meeting_activity,
    compute_minutes_timeliness,
)
from councilbook.analysis.status import FINAL_STATUSES, GoalStatus, compute_contract_status, compute_goal_status
from councilbook.core import figures as fig
from councilbook.core.errors import ComputeError
from councilbook.core.periods import (
    month,
)
from councilbook.data.ingest import Dataset
from councilbook.parameters.meetings import Meeting
from councilbook.parameters.model import Contract, Evaluation, LevelTarget, Parameters
from councilbook.project.cutoff import compute_cutoff, compute_pack_date


def compute_goal_attainment(status: GoalStatus) -> bool | None:
    """Whether a final (whole-year) status met its target; None when it is not final or cannot be told."""
    if status.status not in FINAL_STATUSES:
        return None
    return status.status == "attained"


def compute_jobcentre_attainment(
    params: Parameters, dataset: Dataset, contract: Contract, cutoff: pd.Period
) -> pd.DataFrame:
    """Per job centre and goal: was the goal attained locally over the whole year?

    A job centre is held to the goal's target against its own baseline: the same % change, the same
    share, or doing better than its baseline. A level target for the region (a number of persons)
    becomes the same relative change from the baseline for each job centre; a level target for a share
    is the same level.
    """
    rows = []
    for goal in contract.goals:
        region = compute_goal_status(params, dataset, goal, contract.year, cutoff)
        implied = None
        if (
            isinstance(goal.target, LevelTarget)
            and not region.share
            and region.baseline
            and not math.isnan(region.baseline)
        ):
            implied = goal.target.value / region.baseline
        for jc in params.council.job_centres:
            status = compute_goal_status(params, dataset, goal, contract.year, cutoff, jobcentres=[jc])
            target = status.year_target if implied is None else status.baseline * implied
            shown_target = fig.level(math.nan if target is None else target, status.share)
            forecast = status.figures.forecast
            attained = None
            if status.final and forecast.known and shown_target.known:
                attained = fig.meets(forecast, shown_target, goal.better, goal.target.form == "direction")
            rows.append({"jobcentre_id": jc.id, "jobcentre": jc.name, "goal_id": goal.id, "attained": attained})
    return pd.DataFrame(rows, columns=["jobcentre_id", "jobcentre", "goal_id", "attained"])


def compute_meeting_overview(params: Parameters, dataset: Dataset, year: int) -> pd.DataFrame:
    """For each meeting in a year: the contract it reported on and its goals' statuses (rows: meetings)."""
    rows = []
    for meeting in params.meetings:
        if meeting.date.year != year:
            continue
        try:
            result = compute_meeting_status(params, dataset, meeting, with_details=False)
        except ComputeError:
            continue
        rows.append(
            {
                "date": meeting.date,
                "kind": meeting.kind,
                "contract_year": result.contract.year,
                "cutoff": str(result.cutoff),
                **{g.goal_id: g.status for g in result.goals},
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class EvaluationResult:
    evaluation: Evaluation
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    attained: list[bool | None]
    activity: pd.DataFrame
    minutes: list[MinutesRecord]
    jobcentre_attainment: pd.DataFrame
    spread: dict[str, pd.DataFrame]
    meetings: pd.DataFrame
    decisions: list[DecisionRecord]
    current: MeetingStatus | None  # the evaluation year's own contract at the evaluation date


def compute_evaluation(params: Parameters, dataset: Dataset, evaluation: Evaluation) -> EvaluationResult:
    """Each goal of the evaluated contract year with its whole-year result."""
    pack_date = compute_pack_date(evaluation.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = params.contracts[evaluation.covers]
    final = min(cutoff, month(evaluation.covers, 12))
    goals = compute_contract_status(params, dataset, contract, final)
    current = None
    if evaluation.year in params.contracts and cutoff.year == evaluation.year:
        current_contract = params.contracts[evaluation.year]
        current = MeetingStatus(
            Meeting(date=evaluation.date, kind="extraordinary", title=evaluation.title),
            pack_date,
            cutoff,
            current_contract,
            compute_contract_status(params, dataset, current_contract, cutoff),
            {},
        )
    return EvaluationResult(
        evaluation=evaluation,
        cutoff=cutoff,
        contract=contract,
        goals=goals,
        attained=[compute_goal_attainment(g) for g in goals],
        activity=compute_meeting_activity(params, evaluation.covers),
        minutes=compute_minutes_timeliness(params, evaluation.covers),
        jobcentre_attainment=compute_jobcentre_attainment(params, dataset, contract, final),
        spread={goal.id: compute_spread(params, dataset, goal, final) for goal in contract.goals},
        meetings=compute_meeting_overview(params, dataset, evaluation.covers),
        decisions=compute_decisions(params, evaluation.covers),
        current=current,
    )
