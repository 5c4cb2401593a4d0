"""What each report may read: its parameter entries, its slice of the data and its embargo date.

A report is computed from its scope only, and the run key (:mod:`runkey`) hashes the
same scope, so a report whose scope is unchanged gives the same output and its
executed notebook can be reused. One function decides the scope for both, so the
key cannot miss an input the report reads.

* **contract Y** (popular edition): the council, the measures its goals use, contract Y,
  the meetings of Y (date, kind, title and theme only: the meeting plan), and the
  date of Y's evaluation (the annual wheel); figures up to the cut-off at publication.
* **meeting M** (status): the council, the measures, the contract it reports on,
  meeting M in full and the previous meeting's date (for "since the previous
  meeting"); figures up to M's cut-off.
* **evaluation Y**: the council, the measures, the contract evaluated and every
  contract a meeting of that year reported on, the evaluation year's contract,
  the meetings of the year evaluated in full, and the evaluation; figures up to
  the evaluation's cut-off.

The embargo date is normalised to the last day up to it on which the report's
public content changes (a meeting held, minutes sent, objection period over), so a
rebuild tomorrow does not re-run a report whose page would not change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
from pydantic import BaseModel

from councilbook.analysis.status import select_contract
from councilbook.core.errors import ComputeError
from councilbook.data.ingest import Dataset
from councilbook.parameters.meetings import AgendaItem, Meeting, MinutesObjection
from councilbook.parameters.model import Contract, Parameters, share_weight
from councilbook.project.cutoff import compute_cutoff, compute_pack_date, meeting_cutoff


@dataclass(frozen=True)
class Scope:
    kind: str  # the report kind's id
    key: str
    params: Parameters
    dataset: Dataset
    cutoff: pd.Period  # the last month of figures the report may read
    as_of: date | None  # the normalised embargo date; None: no embargo

    def parameter_entries(self) -> dict[str, str]:
        """Each parameter entry in scope, named by file (and meeting date), with the SHA-256 of its content."""
        p = self.params
        entries: dict[str, Any] = {"council.yml": p.council}
        entries.update({f"measures.yml#{mid}": m for mid, m in sorted(p.measures.items())})
        entries.update({f"contracts/{year}.yml": c for year, c in sorted(p.contracts.items())})
        entries.update({f"meetings/{m.date.year}.yml#{m.date.isoformat()}": m for m in p.meetings})
        entries.update({f"evaluations/{year}.yml": e for year, e in sorted(p.evaluations.items())})
        for folder, reports in sorted(p.reports.items()):
            entries.update({f"{folder}/{key}.yml": r for key, r in sorted(reports.items())})
        return {name: _digest(_plain(value)) for name, value in entries.items()}

    def data_sha256(self) -> str:
        """SHA-256 of the figures in scope (measures, areas, periods, values) and the data source notice."""
        h = hashlib.sha256()
        h.update(json.dumps(self.dataset.source.__dict__, sort_keys=True, default=str).encode())
        for series in (self.dataset.monthly, self.dataset.annual, self.dataset.quarterly):
            if series is None or series.empty:
                h.update(b"-")
                continue
            frame = series.reset_index()
            frame = frame.astype({c: str for c in frame.columns[:-1]})
            h.update(",".join(map(str, frame.columns)).encode())
            h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        for key, balance in sorted(self.dataset.balances.items()):
            h.update(f"balance {key} {balance.published.isoformat()} {balance.source}".encode())
            h.update(pd.util.hash_pandas_object(balance.assessments, index=False).to_numpy().tobytes())
        return h.hexdigest()


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def goal_measures(params: Parameters, contracts: list[Contract]) -> dict[str, Any]:
    """The measures the contracts' goals use, the framework and population measures they are set against,
    and the weights of the shares among them."""
    used: set[str] = set()
    for contract in contracts:
        for goal in contract.goals:
            used |= {m for m in (goal.measure, goal.denominator, goal.expected_measure) if m}
    used |= {m.id for m in params.measures.values() if m.framework or m.population}
    weights = {share_weight(params.measures[m], params.measures) for m in used if params.measures[m].kind == "share"}
    return {mid: m for mid, m in params.measures.items() if mid in used | weights}


def restrict_dataset(dataset: Dataset, measures: set[str], last: pd.Period, balances: tuple[str, ...] = ()) -> Dataset:
    """The figures of ``measures`` that the cut-off month ``last`` allows (:meth:`Dataset.until`), and the
    labour-market balances ``balances``."""
    allowed = dataset.until(last)

    def keep(series: pd.Series) -> pd.Series:
        return series[series.index.get_level_values("measure").isin(sorted(measures))]

    assert allowed.quarterly is not None
    return replace(
        allowed,
        monthly=keep(allowed.monthly),
        annual=keep(allowed.annual),
        quarterly=keep(allowed.quarterly),
        balances={key: dataset.balances[key] for key in balances if key in dataset.balances},
    )


CLOSED_ITEM = "Lukket punkt"


def public_item(item: AgendaItem, decided: bool) -> AgendaItem:
    """An agenda item as the public may see it: a confidential item is "Lukket punkt" with its decision only;
    a decision is public once the minutes are approved (``decided``)."""
    decision = item.decision if decided else None
    if not item.confidential:
        return item.model_copy(update={"decision": decision})
    return AgendaItem(title=CLOSED_ITEM, type=item.type, decision=decision, confidential=True)


def public_meeting(meeting: Meeting, params: Parameters, as_of: date | None) -> Meeting:
    """A meeting as the public may see it on ``as_of`` (None: every decision recorded counts as public)."""
    decided = as_of is None or minutes_approved(meeting, params, as_of)
    return meeting.model_copy(update={"agenda": [public_item(item, decided) for item in meeting.agenda]})


def minutes_approved(meeting: Meeting, params: Parameters, as_of: date) -> bool:
    """The decision minutes count as approved on ``as_of`` (:func:`minutes_state`)."""
    return minutes_state(meeting, params, as_of).state == "approved"


@dataclass(frozen=True)
class MinutesState:
    # "none" (not sent), "draft" (udkast), "objected" (an objection in time: not approved until the next
    # meeting has decided on them), "approved" (godkendt)
    state: str
    sent: date | None
    objections_end: date | None
    objections: tuple[MinutesObjection, ...] = ()  # those received in time, by ``as_of``
    treated_by: Meeting | None = None  # the meeting whose "Godkendelse af referat" takes up the objections

    @property
    def label(self) -> str:
        return {
            "none": "udkast, ikke udsendt",
            "draft": "udkast",
            "objected": "ikke godkendt (indsigelse)",
            "approved": "godkendt",
        }[self.state]


def timely_objections(meeting: Meeting, params: Parameters) -> list[MinutesObjection]:
    """The objections received after the minutes were sent and by the end of the objection period."""
    if meeting.minutes_sent is None:
        return []
    end = meeting.minutes_sent + timedelta(days=params.council.publication.objections_within_days)
    return [o for o in meeting.minutes_objections if meeting.minutes_sent <= o.received <= end]


def treating_meeting(meeting: Meeting, params: Parameters) -> Meeting | None:
    """The first meeting after ``meeting`` with an item on the minutes (``standard: minutes``): where objections
    to its minutes are taken up."""
    for later in params.meetings:
        if later.date > meeting.date and any(item.standard == "minutes" for item in later.agenda):
            return later
    return None


def minutes_state(meeting: Meeting, params: Parameters, as_of: date) -> MinutesState:
    """The decision minutes on ``as_of``: not sent, a draft (within the objection period), objected to (an
    objection came in time: not approved until the next meeting has decided on its "Godkendelse af referat"),
    or approved; by the same rule as the public book's decisions (:func:`minutes_events`)."""
    events = minutes_events(meeting, params)
    if not events or events[0] > as_of:
        return MinutesState("none", None, None)
    sent = events[0]
    end = sent + timedelta(days=params.council.publication.objections_within_days)
    objections = tuple(o for o in timely_objections(meeting, params) if o.received <= as_of)
    if not timely_objections(meeting, params):
        return MinutesState("approved" if end < as_of else "draft", sent, end)
    treated_by = treating_meeting(meeting, params)
    if len(events) == 3 and events[2] <= as_of:
        return MinutesState("approved", sent, end, objections, treated_by)
    return MinutesState("objected" if objections else "draft", sent, end, objections, treated_by)


def normalise_as_of(as_of: date | None, events: list[date]) -> date | None:
    """The last event day up to ``as_of``: the same public content, whatever day after it the build runs."""
    if as_of is None:
        return None
    passed = [day for day in events if day <= as_of]
    return max(passed) if passed else as_of


def minutes_events(meeting: Meeting, params: Parameters) -> list[date]:
    """The days on which a meeting's public minutes change: sent (draft), then either the objection period over
    (approved), or the first objection received in time (objected) and the day the next meeting decided on
    them (approved; only once its item on the minutes has a decision)."""
    if meeting.minutes_sent is None:
        return []
    end = meeting.minutes_sent + timedelta(days=params.council.publication.objections_within_days)
    objections = timely_objections(meeting, params)
    if not objections:
        return [meeting.minutes_sent, end + timedelta(days=1)]
    first = min(o.received for o in objections)
    later = treating_meeting(meeting, params)
    decided = later is not None and any(item.standard == "minutes" and item.decision for item in later.agenda)
    return [meeting.minutes_sent, first, *([later.date] if later is not None and decided else [])]


def only(params: Parameters, reports: dict[str, dict[Any, Any]] | None = None, **entries: Any) -> Parameters:
    """The parameters with only the given entries (contracts, meetings, evaluations, and of the kinds' own
    folders ``reports``: folder -> key -> entry); the council and the measures stay (:func:`finish_scope` narrows
    the measures)."""
    empty: dict[str, Any] = {"contracts": {}, "meetings": [], "evaluations": {}}
    return replace(params, **{**empty, **entries}, reports=reports or {})


def _plan_entry(meeting: Meeting) -> Meeting:
    return Meeting(date=meeting.date, kind=meeting.kind, title=meeting.title, theme=meeting.theme)


def date_entry(meeting: Meeting) -> Meeting:
    return Meeting(date=meeting.date, kind=meeting.kind, title=meeting.title)


def contract_scope(key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool) -> Scope:
    """The popular edition of contract ``key``: the contract, the meeting plan of its year, its evaluation's
    date; figures up to the cut-off at publication."""
    year = int(key)
    contract = params.contracts[year]
    if contract.published is None:
        raise ComputeError(
            f"kontrakten for {year} er et udkast (uden published-dato): den har ingen populærudgave endnu"
        )
    cutoff = compute_cutoff(contract.published, params.council)
    meetings = [_plan_entry(m) for m in params.meetings if m.date.year == year]
    evaluation = params.evaluations.get(year)
    scoped = only(
        params,
        contracts={year: contract},
        meetings=meetings,
        evaluations={year: evaluation.model_copy(update={"conclusions": []})} if evaluation else {},
    )
    events = [contract.published, *(m.date for m in meetings)]
    return finish_scope("contract", str(year), params, dataset, scoped, [contract], cutoff, events, embargo, public)


def meeting_scope(key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool) -> Scope:
    """The status at meeting ``key`` (a date): the contract it reports on, the meeting in full and the previous
    meeting's date; figures up to the meeting's cut-off."""
    meeting = params.meeting_on(date.fromisoformat(str(key)))
    cutoff = meeting_cutoff(meeting, params.council)
    contract = select_contract(params, cutoff)
    before = params.previous_meeting(meeting)
    scoped = only(
        params,
        contracts={contract.year: contract},
        meetings=([date_entry(before)] if before else []) + [meeting],
    )
    events = [meeting.date, *minutes_events(meeting, params)]
    return finish_scope("status", str(key), params, dataset, scoped, [contract], cutoff, events, embargo, public)


def evaluation_scope(key: str | int, params: Parameters, dataset: Dataset, embargo: date | None, public: bool) -> Scope:
    """The evaluation of year ``key``: the contract evaluated and every contract a meeting of that year reported on,
    the meetings of the year in full, the evaluation; figures up to the evaluation's cut-off."""
    year = int(key)
    evaluation = params.evaluations[year]
    cutoff = evaluation_cutoff(evaluation.date, params)
    meetings = [m for m in params.meetings if m.date.year == evaluation.covers]
    cutoffs = [meeting_cutoff(m, params.council) for m in meetings]
    years = {evaluation.covers, year} | {c.year for c in cutoffs}
    scoped = only(
        params,
        contracts={
            y: c
            for y, c in params.contracts.items()
            if y in years and (y == evaluation.covers or not public or c.is_public(embargo))
        },
        meetings=meetings,
        evaluations={year: evaluation},
    )
    events = [evaluation.date, *(day for m in meetings for day in minutes_events(m, params))]
    return finish_scope(
        "evaluation",
        str(year),
        params,
        dataset,
        scoped,
        list(scoped.contracts.values()),
        max([cutoff, *cutoffs]),
        events,
        embargo,
        public,
    )


def evaluation_cutoff(day: date, params: Parameters) -> pd.Period:
    """The last month of figures a report published on ``day`` reads: the cut-off of a pack made for that day."""
    return compute_cutoff(compute_pack_date(day, params.council), params.council)


def finish_scope(
    kind: str,
    key: str,
    params: Parameters,
    dataset: Dataset,
    scoped: Parameters,
    contracts: list[Contract],
    cutoff: pd.Period,
    events: list[date],
    embargo: date | None,
    public: bool,
    measures: dict[str, Any] | None = None,
    balances: tuple[str, ...] = (),
) -> Scope:
    """A report's scope from its parameter entries: the embargo date normalised to its events, the public view
    of its meetings (when ``public``), the measures of ``contracts``' goals (or ``measures``) and their figures
    up to ``cutoff``."""
    normalised = normalise_as_of(embargo, events)
    if public:
        scoped = replace(scoped, meetings=[public_meeting(m, params, normalised) for m in scoped.meetings])
    used = goal_measures(params, contracts) if measures is None else measures
    scoped = replace(scoped, measures=used)
    return Scope(
        kind=kind,
        key=key,
        params=scoped,
        dataset=restrict_dataset(dataset, set(used), cutoff, balances),
        cutoff=cutoff,
        as_of=normalised,
    )
