"""The names the modules of this stage had as one ``compute`` module, for the code that still reads them as
``compute.NAME``: a goal's status (:mod:`status`), its detail and XmR (:mod:`detail`), a meeting's status
(:mod:`meeting`), the council's record (:mod:`statistics`) and the evaluation (:mod:`evaluation`). New code
imports from those modules.
"""

from councilbook.analysis.detail import compute_jobcentre_table
from councilbook.analysis.evaluation import EvaluationResult, compute_evaluation
from councilbook.analysis.meeting import MeetingStatus, compute_meeting_goals, compute_meeting_status, first_status
from councilbook.analysis.status import (
    GoalFigures,
    GoalStatus,
    classify_status,
    compute_contract_status,
    compute_goal_status,
    data_behind,
    missing_figures,
    missing_periods,
    monthly_figure,
    target_period,
)
from councilbook.project.cutoff import compute_cutoff, compute_pack_date

__all__ = [
    "EvaluationResult",
    "GoalFigures",
    "GoalStatus",
    "MeetingStatus",
    "classify_status",
    "compute_contract_status",
    "compute_cutoff",
    "compute_evaluation",
    "compute_goal_status",
    "compute_jobcentre_table",
    "compute_meeting_goals",
    "compute_meeting_status",
    "compute_pack_date",
    "data_behind",
    "first_status",
    "missing_figures",
    "missing_periods",
    "monthly_figure",
    "target_period",
]
