"""The cut-off: the last month of figures a report may read (the one place this rule lives).

Material for a meeting is ready ``material_ready_days`` before it (the pack date).
jobindsats.dk publishes a month ``data_publication_lag_days`` after it ends. The
cut-off is the last month published by the pack date, and a report reads nothing
after it, so a rebuilt report shows what the members saw. Quarters and years follow
the same rule through their last month (:mod:`periods`): a year's figures are
published ``data_publication_lag_days`` after 31 December.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from councilbook.core.periods import month_end

if TYPE_CHECKING:
    from councilbook.parameters.meetings import Meeting
    from councilbook.parameters.model import Council


def compute_pack_date(meeting_date: date, council: Council) -> date:
    return meeting_date - timedelta(days=council.publication.material_ready_days)


def compute_cutoff(as_of: date, council: Council) -> pd.Period:
    """The last month whose figures are published on ``as_of``."""
    lag = timedelta(days=council.data_publication_lag_days)
    candidate = pd.Period(as_of, freq="M")
    while month_end(candidate) + lag > as_of:
        candidate -= 1
    return candidate


def meeting_cutoff(meeting: Meeting, council: Council) -> pd.Period:
    """A meeting's cut-off: the last month published by its pack date."""
    return compute_cutoff(compute_pack_date(meeting.date, council), council)
