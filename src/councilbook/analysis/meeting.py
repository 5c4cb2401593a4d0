"""A meeting's status: each goal of the contract its cut-off reports on, with the job centres, the
details and the forecasts at the previous meeting; and the first answer of `councilbook status`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from councilbook.analysis.detail import GoalDetail, compute_goal_detail, compute_jobcentre_table
from councilbook.analysis.status import GoalStatus, compute_contract_status, select_contract
from councilbook.core.paths import BookPaths, check_project_root
from councilbook.data.ingest import Dataset
from councilbook.parameters.meetings import Meeting
from councilbook.parameters.model import Contract, Parameters
from councilbook.project.cache import load_prepared
from councilbook.project.cutoff import compute_cutoff, compute_pack_date, meeting_cutoff
from councilbook.project.load import Project


@dataclass(frozen=True)
class MeetingStatus:
    meeting: Meeting
    pack_date: date
    cutoff: pd.Period
    contract: Contract
    goals: list[GoalStatus]
    jobcentres: dict[str, pd.DataFrame]
    details: dict[str, GoalDetail] = field(default_factory=dict)
    # Each goal's forecast at the previous meeting (its date and the value), where that meeting saw the same
    # contract year: with the details, or in the overview (compute_meeting_goals).
    previous: dict[str, tuple[date, float]] = field(default_factory=dict)
    overview: bool = False  # from compute_meeting_goals: no job centres, no details

    @property
    def final(self) -> bool:
        """True when the cut-off has reached December: the year's final status."""
        return self.cutoff.month == 12 and self.cutoff.year == self.contract.year


def compute_meeting_status(
    params: Parameters, dataset: Dataset, meeting: Meeting, with_details: bool = True
) -> MeetingStatus:
    pack_date = compute_pack_date(meeting.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = select_contract(params, cutoff)
    goals = compute_contract_status(params, dataset, contract, cutoff)
    tables = {
        g.id: compute_jobcentre_table(params, dataset, g, status, cutoff)
        for g, status in zip(contract.goals, goals, strict=True)
    }
    details: dict[str, GoalDetail] = {}
    previous: dict[str, tuple[date, float]] = {}
    if with_details:
        previous = previous_forecasts(params, dataset, meeting, contract, cutoff)
        for goal, status in zip(contract.goals, goals, strict=True):
            details[goal.id] = compute_goal_detail(params, dataset, goal, status, cutoff, previous.get(goal.id))
    return MeetingStatus(meeting, pack_date, cutoff, contract, goals, tables, details, previous)


def previous_forecasts(
    params: Parameters, dataset: Dataset, meeting: Meeting, contract: Contract, cutoff: pd.Period
) -> dict[str, tuple[date, float]]:
    """Each goal's forecast at the previous meeting, by goal id, if that meeting reported on the same year."""
    before = params.previous_meeting(meeting)
    previous: dict[str, tuple[date, float]] = {}
    if before is not None:
        before_cutoff = meeting_cutoff(before, params.council)
        if before_cutoff.year == contract.year and before_cutoff <= cutoff:  # same figures: "uændret"
            for goal, status in zip(
                contract.goals, compute_contract_status(params, dataset, contract, before_cutoff), strict=True
            ):
                previous[goal.id] = (before.date, status.forecast.value)
    return previous


def compute_meeting_goals(params: Parameters, dataset: Dataset, meeting: Meeting) -> MeetingStatus:
    """What the goals' status table shows, and only that (a fraction of the time): each goal's status and the
    change of its forecast since the previous meeting, without the job centres and the goals' details."""
    pack_date = compute_pack_date(meeting.date, params.council)
    cutoff = compute_cutoff(pack_date, params.council)
    contract = select_contract(params, cutoff)
    goals = compute_contract_status(params, dataset, contract, cutoff)
    previous = previous_forecasts(params, dataset, meeting, contract, cutoff)
    return MeetingStatus(meeting, pack_date, cutoff, contract, goals, {}, {}, previous, overview=True)


def first_status(
    params_dir: Path, data_path: Path, root: Path, meeting_date: date | None, today: date, overview: bool = False
) -> tuple[Project, Meeting, MeetingStatus]:
    """The project (validated once for the same input files: a validated copy is kept in the build folder), the
    meeting asked for (else the next from ``today``, else the latest) and its status, computed in this process:
    what ``councilbook status`` shows at once, before its report notebook runs (``overview``: only what the
    terminal's table shows, :func:`compute_meeting_goals`)."""
    check_project_root(root)
    project = load_prepared(params_dir, data_path, BookPaths(root).prepared)
    meeting = project.params.meeting_for(meeting_date, today)
    compute = compute_meeting_goals if overview else compute_meeting_status
    return project, meeting, compute(project.params, project.dataset, meeting)
