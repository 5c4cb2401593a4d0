"""The parameters' models: what ``council.yml``, ``measures.yml``, ``contracts/<year>.yml`` and
``evaluations/<year>.yml`` may hold (``meetings/<year>.yml``: :mod:`councilbook.parameters.meetings`), checked by
pydantic, and :class:`Parameters`, everything in a parameters directory; the one share rule (:func:`is_share`,
:func:`share_weight`).

Layout of a parameters directory::

    council.yml                 the council, its job centres and publication rules
    measures.yml                the measures the data holds, with Danish labels
    contracts/<year>.yml        the result contract of a year: goals and targets
    meetings/<year>.yml         the council meetings of a year
    evaluations/<year>.yml      the yearly evaluation held in a year

A directory is read by :mod:`councilbook.parameters.load`; the rules that span fields or files are in
:mod:`councilbook.parameters.checks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from councilbook.core.errors import UnknownMeeting, display_path
from councilbook.core.formats import format_date, format_day_month, join_and
from councilbook.core.periods import Span, parse_period
from councilbook.parameters.meetings import AgendaTemplate, Meeting, MeetingKind, Member
from councilbook.parameters.records import AnsweredQuestion
from councilbook.parameters.types import (
    MAX_FIGURE,
    IsoDate,
    MunicipalityCode,
    Slug,
    StrictModel,
    Text,
    WebAddress,
    _code_to_str,
)
from councilbook.parameters.yaml_reading import YamlPositions


def _municipalities_to_mapping(value: Any) -> Any:
    """``[101, 147]`` or ``{185: Tårnby, 155: Dragør}`` → ``{"185": "Tårnby", ...}`` (names optional)."""
    if isinstance(value, list):
        return {_code_to_str(code): None for code in value}
    if isinstance(value, dict):
        return {_code_to_str(code): name for code, name in value.items()}
    return value


class JobCentre(StrictModel):
    id: Slug
    name: Text
    # Municipality codes, or codes with names (names let data files name areas instead of coding them).
    municipalities: Annotated[
        dict[MunicipalityCode, str | None], BeforeValidator(_municipalities_to_mapping), Field(min_length=1)
    ]
    cluster: Text

    @property
    def codes(self) -> list[str]:
        return list(self.municipalities)

    @property
    def area_key(self) -> str:
        """The key of figures given for the job centre as a whole (not per municipality)."""
        return f"jc:{self.id}"


class PublicationRules(StrictModel):
    material_ready_days: int = Field(default=7, ge=0, le=90)
    minutes_within_days: int = Field(default=7, ge=0, le=90)
    objections_within_days: int = Field(default=7, ge=0, le=90)
    # The members' portal deletes the personal data of the public's questions (address, name) this long after
    # they were asked (councilbook portal purge).
    question_retention_months: int = Field(default=12, ge=1, le=120)


class AnnualCycle(StrictModel):
    """Meetings a year by the council's rules of procedure (theme meetings count as ordinary too)."""

    ordinary: int = Field(default=4, ge=0, le=24)
    theme: int = Field(default=2, ge=0, le=24)
    contract: int = Field(default=1, ge=0, le=12)
    seminar: int = Field(default=1, ge=0, le=12)


class Council(StrictModel):
    name: Text
    short_name: Text
    region: Text
    mission: Text
    vision: Text
    roles: list[Text] = Field(min_length=1)
    # The council's site, linked from the front page: an http(s) address.
    website: WebAddress | None = None
    job_centres: list[JobCentre] = Field(min_length=1)
    publication: PublicationRules = PublicationRules()
    annual_cycle: AnnualCycle = AnnualCycle()
    # jobindsats.dk publishes a month's figures some weeks after the month ends.
    data_publication_lag_days: int = Field(default=40, ge=0, le=365)
    # A count goal whose forecast is short of its target by at most this many percent of the target is
    # "at risk"; a share goal short by at most status_tolerance_pp percentage points.
    status_tolerance_pct: float = Field(default=2.0, ge=0, le=50)
    status_tolerance_pp: float = Field(default=1.0, ge=0, le=50)
    # The members and alternates, and the standard items of each meeting kind ("default" for the rest).
    members: list[Member] = []
    agenda_templates: dict[Literal["default"] | MeetingKind, AgendaTemplate] = {}


_V2_KEYS = {
    "variable": "`variable` er fra version 2 af jobindsats.dk's API, som er lukket; skriv målets navn som "
    "`measure:` (fx measure: Antal ledige personer; `councilbook tables TABEL` viser tabellens mål)",
    "filters": "`filters` er fra version 2 af jobindsats.dk's API, som er lukket; skriv udvalget som `select:` "
    "med hierarkiets id og værdiens navn (fx select: {_kon: Kvinder}; `councilbook tables TABEL` viser dem)",
}


class JobindsatsSource(StrictModel):
    """Where a measure comes from on jobindsats.dk (version 3 of its API, and its exports)::

    jobindsats:
      table: y25i01                           # the table's id
      measure: Antal ledige fuldtidspersoner  # the measure's name in the table, or its id
      select: {_ygrpi09: Kontanthjælp}        # breakdown -> value name(s); every other at its total
      period: M                               # M, Q or Y (default: Y for framework measures, else M)
    """

    table: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]
    # The measure's name (measure_name in the table's spec) or id (measure_id); `councilbook fetch` needs it.
    measure: Text | None = None
    # Breakdowns (hierarchy ids, e.g. _ygrpi09) -> the value name or names to take; several are summed
    # (counts only). Every breakdown not named is taken at its total.
    select: dict[Annotated[str, Field(pattern=r"^_[A-Za-z0-9_]+$")], Text | list[Text]] = {}
    period: Literal["M", "Q", "Y"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_version_2(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, message in _V2_KEYS.items():
                if key in data:
                    raise PydanticCustomError("api_version_2", message, {"key": key})
        return data

    @property
    def api_table(self) -> str:
        """The table's id as the API takes it: lower case."""
        return self.table.lower()

    def selected(self) -> dict[str, list[str]]:
        """The selection with every value as a list."""
        return {key: [value] if isinstance(value, str) else list(value) for key, value in self.select.items()}


class Measure(StrictModel):
    id: Slug
    label: Text
    unit: Text
    kind: Literal["count", "share"] = "count"
    # Danish noun phrase in definite form, used in generated sentences.
    noun: Text
    framework: bool = False
    # The residents 16-66 that counts are set against when job centres are compared (one measure).
    population: bool = False
    # For a share: the measure it is a share of (its base), which weights it when municipalities are
    # combined into job centres and the region. Default: the population measure.
    weight: Slug | None = None
    jobindsats: JobindsatsSource | None = None


class MeasuresFile(StrictModel):
    measures: list[Measure] = Field(min_length=1)


class LevelTarget(StrictModel):
    """A level at a date: 'at most 9.500 persons in December 2013'."""

    form: Literal["level"]
    value: float = Field(ge=0, le=MAX_FIGURE)
    month: str


class ChangeTarget(StrictModel):
    """A % change of the goal's figure against its baseline period."""

    form: Literal["change"]
    percent: float = Field(ge=-100, le=1000)


class ShareTarget(StrictModel):
    """A share in %: 'at least 16 % of ...'."""

    form: Literal["share"]
    percent: float = Field(ge=0, le=100)


class DirectionTarget(StrictModel):
    """Direction only: 'limited as much as possible' against the baseline."""

    form: Literal["direction"]


Target = Annotated[
    Union[LevelTarget, ChangeTarget, ShareTarget, DirectionTarget],
    Field(discriminator="form"),
]

Aggregation = Literal["average", "sum", "end_of_period", "ratio"]
AGGREGATION_LABELS_DA: dict[str, str] = {
    "average": "månedligt gennemsnit",
    "sum": "summen af måneder",
    "end_of_period": "værdien i periodens sidste måned",
    "ratio": "forholdet mellem to mål i procent",
}


class Goal(StrictModel):
    id: Slug
    title: Text
    why: Text
    actions: list[Text] = Field(min_length=1)
    measure: Slug
    # For aggregation 'ratio': measure summed over the months divided by this one, in %.
    denominator: Slug | None = None
    aggregation: Aggregation
    better: Literal["lower", "higher"]
    baseline: str
    target: Target
    # Optional Danish noun phrase for sentences; defaults to the measure's noun.
    subject: str | None = None
    # A measure in the data with the level expected given framework conditions (e.g. from jobindsats
    # table Y30R21); without it, job centres' expected levels are estimated by regression.
    expected_measure: Slug | None = None

    @property
    def baseline_span(self) -> Span:
        return parse_period(self.baseline)


class Contract(StrictModel):
    year: int = Field(ge=1900, le=2200)
    title: Text
    signed: IsoDate | None = None
    # The date the popular edition is published; its figures stop there. Without it the contract is a
    # draft: it is not in the public book (`councilbook new contract` writes drafts).
    published: IsoDate | None = None
    goals: list[Goal] = Field(min_length=1)

    @property
    def draft(self) -> bool:
        return self.published is None

    def is_public(self, as_of: dt.date | None) -> bool:
        """Published by ``as_of`` (no embargo date: published at all)."""
        return self.published is not None and (as_of is None or self.published <= as_of)


class Evaluation(StrictModel):
    year: int = Field(ge=1900, le=2200)
    date: IsoDate
    title: Text
    covers: int = Field(ge=1900, le=2200, description="the contract year evaluated")
    conclusions: list[Text] = []


@dataclass(frozen=True)
class Parameters:
    """Everything in a parameters directory, validated."""

    root: Path
    council: Council
    measures: dict[str, Measure]
    contracts: dict[int, Contract]
    meetings: list[Meeting]
    evaluations: dict[int, Evaluation]
    files: list[Path] = field(default_factory=list)
    # The report kinds' own folders (:mod:`councilbook.parameters.folders`): folder -> key -> the file's model
    reports: dict[str, dict[Any, Any]] = field(default_factory=dict)
    # Where each meeting is written: its file as shown and its index there, for messages.
    meeting_places: dict[dt.date, tuple[str, int]] = field(default_factory=dict)
    # Where each key and value of each file is (by the file as shown), for the line and column of a problem.
    positions: dict[str, YamlPositions] = field(default_factory=dict, repr=False, compare=False)
    # The public's questions answered for publication, from the members' portal's record (parameters/records).
    questions: list[AnsweredQuestion] = field(default_factory=list)

    def contract_years(self) -> list[int]:
        return sorted(self.contracts)

    def of(self, folder: str) -> dict[Any, Any]:
        """The reports of a kind's own folder (``parameters/<folder>/``) by key; {} without any."""
        return self.reports.get(folder, {})

    def meeting_on(self, day: dt.date) -> Meeting:
        for meeting in self.meetings:
            if meeting.date == day:
                return meeting
        raise UnknownMeeting(unknown_meeting_message(day, [m.date for m in self.meetings]))

    def meeting_for(self, day: dt.date | None, today: dt.date) -> Meeting:
        """The meeting on ``day``; without a day the next one from ``today``, else the latest."""
        if day is not None:
            return self.meeting_on(day)
        if not self.meetings:
            raise UnknownMeeting("Der er ingen møder i parametrene; tilføj et med councilbook new meeting ÅÅÅÅ-MM-DD.")
        ahead = [m for m in self.meetings if m.date >= today]
        return ahead[0] if ahead else self.meetings[-1]

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        earlier = [m for m in self.meetings if m.date < meeting.date]
        return earlier[-1] if earlier else None

    def file_hashes(self) -> dict[str, str]:
        return {display_path(p): sha256_file(p) for p in self.files}


def unknown_meeting_message(day: dt.date, meetings: list[dt.date]) -> str:
    """No meeting on ``day``: the meetings there are (by year), and the command that adds it."""
    by_year: dict[int, list[str]] = {}
    for known in sorted(meetings):
        by_year.setdefault(known.year, []).append(format_day_month(known))
    listed = "; ".join(f"{year}: {join_and(days)}" for year, days in by_year.items()) or "ingen"
    return (
        f"Der er intet møde den {format_date(day)} i parametrene (møderne er {listed}); "
        f"tilføj det med: councilbook new meeting {day.isoformat()} --kind ordinary"
    )


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def share_weight(measure: Measure, measures: dict[str, Measure]) -> str | None:
    """The measure that weights a share when areas are combined: its own ``weight``, else the population."""
    if measure.weight:
        return measure.weight
    populations = [m.id for m in measures.values() if m.population]
    return populations[0] if populations else None


def is_share(goal: Goal, measure: Measure) -> bool:
    """A goal whose figure is a share in % (a ratio of two counts, or a share measure)."""
    return goal.aggregation == "ratio" or measure.kind == "share"
