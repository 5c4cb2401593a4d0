"""Typed parameter models and their loading from a parameters directory.

Layout of a parameters directory::

    council.yml                 the council, its job centres and publication rules
    measures.yml                the measures the data holds, with Danish labels
    contracts/<year>.yml        the result contract of a year: goals and targets
    meetings/<year>.yml         the council meetings of a year
    evaluations/<year>.yml      the yearly evaluation held in a year

Shapes and types are checked by pydantic; rules that span fields or files are
checked by :func:`check_parameters`. Both report :class:`~councilbook.core.errors.Problem`
objects naming the file, the field path and what is wrong; loading raises one
:class:`~councilbook.core.errors.InputError` with all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Hashable, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from councilbook.core.errors import (
    InputError,
    InputProblem,
    Problem,
    UnknownMeeting,
    describe_where,
    display_path,
    os_reason,
    parse_path,
)
from councilbook.core.formats import format_date, format_day_month, format_number, join_and, join_or
from councilbook.core.periods import PeriodCodeError, Span, parse_month, parse_period
from councilbook.parameters.folders import FolderContext, ReportFolder, report_folders
from councilbook.parameters.meetings import (  # noqa: F401  (re-exported)
    MEETING_KIND_LABELS_DA,
    AgendaItem,
    AgendaTemplate,
    AgendaType,
    Attachment,
    Meeting,
    MeetingKind,
    MeetingsFile,
    Member,
    check_meeting_people_and_files,
)
from councilbook.parameters.types import (  # noqa: F401  (re-exported)
    MAX_FIGURE,
    IsoDate,
    MunicipalityCode,
    Slug,
    StrictModel,
    Text,
    WebAddress,
    _code_to_str,
)

# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# YAML reading: dates stay text (pydantic checks them), duplicate keys are errors, the size of what a
# file may hold is limited, and the line and column of every key and value are kept for messages
# ---------------------------------------------------------------------------

# A YAML file (a parameter file, datasource.yml, the pipelines' manifest) larger than this is not
# read: the largest real one is a few kB, and a file past this is the wrong file, or one gone wrong.
MAX_YAML_BYTES = 1_000_000
# Lists and mappings nested deeper than this are refused while they are read (PyYAML's composer
# recurses once per level, so 10,000 nested ``[`` exhausted Python's stack). Real files nest 5-6.
MAX_YAML_DEPTH = 50
# Aliases (``*name``) a file may use. Parameter files need few or none.
MAX_YAML_ALIASES = 100
# Values (scalars, lists and mappings) that aliases may repeat, each alias counting every value
# under the node it repeats: stops an "alias bomb" (nested anchors expanding to gigabytes) while it
# is still a few kB in memory.
MAX_YAML_ALIAS_VALUES = 10_000

YamlPath = tuple[str | int, ...]


class YamlLimitError(InputProblem, yaml.YAMLError):
    """A file past one of the limits above (or with a list as a key, which would crash the reader);
    ``problem_mark`` is where, ``problem`` what is wrong and what to do."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


@dataclass
class YamlPositions:
    """Line and column (from 1) of every value and every key of a YAML file, by its path (mapping keys as
    text, list positions as numbers)."""

    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, root: yaml.Node | None) -> YamlPositions:
        positions = cls()
        stack: list[tuple[YamlPath, yaml.Node]] = [((), root)] if root is not None else []
        while stack:
            path, node = stack.pop()
            positions.values.setdefault(path, _position(node.start_mark))
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        child = (*path, str(key_node.value))
                        positions.keys.setdefault(child, _position(key_node.start_mark))
                        stack.append((child, value_node))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(((*path, index), item) for index, item in enumerate(node.value))
        return positions

    def find(self, path: tuple[Any, ...], key: bool = False) -> tuple[int, int] | None:
        """Where ``path`` is: its key's place (``key``) or its value's; a path not in the file (a key that is
        missing) at the nearest place that is, the mapping it belongs in."""
        current: YamlPath = ()
        for item in path:
            for candidate in (item, str(item)) if not isinstance(item, str) else (item,):
                if (*current, candidate) in self.values:
                    current = (*current, candidate)
                    break
            else:
                break
        else:
            if key and current in self.keys:
                return self.keys[current]
        return self.values.get(current)


def _position(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def locate(problems: list[Problem], positions: dict[str, YamlPositions]) -> list[Problem]:
    """Each problem in a YAML file with the line and column of the key path it names, where it has none yet."""
    located = []
    for problem in problems:
        where = positions.get(problem.file)
        path = parse_path(problem.where) if where is not None and problem.line is None else None
        found = where.find(path) if where is not None and path else None
        located.append(replace(problem, line=found[0], column=found[1]) if found else problem)
    return located


class _Loader(yaml.SafeLoader):
    duplicate_keys: list[tuple[str, int, int]]

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.duplicate_keys = []
        self._depth = 0  # lists and mappings open while composing
        self._aliases = 0
        self._alias_values = 0
        # Per node composed (by id): the values it holds with aliases expanded, and its expanded depth.
        self._expanded: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise YamlLimitError(
                    f"filen bruger mere end {MAX_YAML_ALIASES} aliasser (*{event.anchor} og andre); "
                    "skriv værdierne ud i stedet",
                    event.start_mark,
                )
            expanded = self._expanded.get(id(node))
            if expanded is None:
                raise YamlLimitError(
                    f"aliasset *{event.anchor} står inde i den værdi, det gentager, så det ender aldrig; "
                    "skriv værdierne ud i stedet",
                    event.start_mark,
                )
            self._alias_values += expanded[0]
            if self._alias_values > MAX_YAML_ALIAS_VALUES:
                raise YamlLimitError(
                    f"filens aliasser (*{event.anchor} og andre) gentager mere end "
                    f"{format_number(MAX_YAML_ALIAS_VALUES)} værdier; skriv værdierne ud i stedet for at "
                    "lægge aliasser i hinanden",
                    event.start_mark,
                )
            if self._depth + expanded[1] > MAX_YAML_DEPTH:
                raise YamlLimitError(self._too_deep(), event.start_mark)
            return node
        event = self.peek_event()
        collection = isinstance(event, yaml.CollectionStartEvent)
        if collection:
            self._depth += 1
            if self._depth > MAX_YAML_DEPTH:
                raise YamlLimitError(self._too_deep(), event.start_mark)
        node = super().compose_node(parent, index)
        if collection:
            self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        inner = [self._expanded.get(id(child), (1, 0)) for child in children]
        self._expanded[id(node)] = (
            1 + sum(values for values, _ in inner),
            (1 + max((depth for _, depth in inner), default=0)) if collection else 0,
        )
        return node

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # Stop at the scanner already: it looks ahead over every open "[" or "{" (slow on thousands).
        if self.flow_level >= MAX_YAML_DEPTH:
            raise YamlLimitError(self._too_deep(), self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    @staticmethod
    def _too_deep() -> str:
        return (
            f"lister og nøgler ligger mere end {MAX_YAML_DEPTH} niveauer inde i hinanden; "
            "tjek parenteserne og indrykningen"
        )

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if ":" in node.value:  # YAML 1.1 reads 15:00 as 900 (base 60); a time of day stays text
            return node.value
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # past Python's limit on digits in a number
            raise YamlLimitError(
                f"tallet {node.value[:12]}... har {format_number(len(node.value))} cifre; skriv et tal af "
                "almindelig størrelse",
                node.start_mark,
            ) from None


# Drop the implicit timestamp resolver so '2013-02-30' reaches pydantic as text
# and gets a clear message instead of a crash inside the YAML parser.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise YamlLimitError(
                "en nøgle er en liste eller en samling nøgler; en nøgle skal være et navn", key_node.start_mark
            )
        if key in seen:
            line, column = _position(key_node.start_mark)
            loader.duplicate_keys.append((str(key), line, column))
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """Parse a YAML file within the limits above; syntax errors, duplicate keys and files past a
    limit become problems (and None)."""
    return read_yaml_with_positions(path, problems)[0]


def read_yaml_with_positions(path: Path, problems: list[Problem]) -> tuple[Any, YamlPositions]:
    """:func:`read_yaml`, and where each key and value is in the file."""
    shown = display_path(path)
    nowhere = YamlPositions()
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(shown, "", f"filen kan ikke læses: {os_reason(exc)}"))
        return None, nowhere
    if len(raw) > MAX_YAML_BYTES:
        problems.append(
            Problem(
                shown,
                "",
                f"filen fylder {format_number(path.stat().st_size)} bytes, og councilbook læser YAML-filer på "
                f"højst {format_number(MAX_YAML_BYTES)} bytes; er det den rigtige fil?",
            )
        )
        return None, nowhere
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                shown,
                "",
                f"filen er ikke UTF-8-tekst (byte nr. {format_number(exc.start + 1)} kan ikke læses); gem den "
                "som UTF-8 (i editorens »Gem som« eller dens indstilling for tegnsæt)",
                line=line,
            )
        )
        return None, nowhere
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except YamlLimitError as exc:
        place = _position(exc.problem_mark) if exc.problem_mark else None
        problems.append(
            Problem(shown, "", exc.problem, line=place[0] if place else None, column=place[1] if place else None)
        )
        return None, nowhere
    except yaml.YAMLError as exc:
        problems.append(yaml_syntax_problem(shown, exc, text))
        return None, nowhere
    finally:
        loader.dispose()
    for key, line, column in loader.duplicate_keys:
        problems.append(Problem(shown, "", f"nøglen {key!r} står to gange; slet den ene", line=line, column=column))
    return data, YamlPositions.of(node)


_QUOTE_EXAMPLE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.+?)\s*$")
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[^\s:#'\"][^:]*$")


def yaml_syntax_problem(shown: str, exc: yaml.YAMLError, text: str) -> Problem:
    """A YAML syntax error as a problem saying, in Danish, what is wrong and what to do, at its line and
    column (the opening quote of a text never closed, else where the reader stopped)."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    lines = text.splitlines()
    source = lines[mark.line] if mark is not None and mark.line < len(lines) else ""

    def at(message: str, where: Any = mark, line_start: bool = False) -> Problem:
        line, column = _position(where) if where is not None else (None, None)
        if line_start and where is not None:  # the line's first character: where its indentation ends
            column = len(source) - len(source.lstrip()) + 1
        return Problem(shown, "", message, line=line, column=column)

    if problem.startswith("mapping values are not allowed"):
        before = source[: mark.column] if mark is not None else ""
        if _KEY_LINE.match(before):
            return at(
                "linjen er rykket længere ind end linjerne over den, så nøglen læses som en del af teksten i "
                "linjen før; ret indrykningen, så nøglerne i samme afsnit står lige under hinanden",
                line_start=True,
            )
        example = _QUOTE_EXAMPLE.match(source)
        fix = f' (skriv {example["key"]}: "{example["value"]}")' if example and '"' not in example["value"] else ""
        return at(
            "teksten indeholder et kolon med mellemrum efter (»: «), og uden anførselstegn læses det som en ny "
            f"nøgle; sæt teksten i anførselstegn{fix}"
        )
    if "'\\t'" in problem or "tab character" in problem:
        return at(
            "der står en tabulator (tab) her; YAML rykker kun ind med mellemrum: erstat tabulatoren med mellemrum"
        )
    if "quoted scalar" in context and "end of stream" in problem:
        quote = text.splitlines()[context_mark.line][context_mark.column] if context_mark is not None else '"'
        return at(
            f"anførselstegnet {quote} her lukkes aldrig; skriv det afsluttende {quote} i slutningen af teksten",
            context_mark,
        )
    if "quoted scalar" in context:
        return at("en tekst i anførselstegn har et tegn, der ikke kan stå der; tjek tegnene efter \\ i teksten")
    if "could not find expected ':'" in problem:
        return at("linjen mangler et kolon efter nøglen; skriv nøgle: værdi", context_mark or mark)
    if problem.startswith("expected <block end>") and "'-'" in problem:
        return at(
            "en listelinje (- ...) står, hvor der skulle stå en nøgle; ryk den ind under den nøgle, listen hører til"
        )
    if problem.startswith("expected <block end>") and "<scalar>" in problem and re.search(r"['\"]", source):
        return at("der står tekst efter det afsluttende anførselstegn; sæt hele teksten i anførselstegn")
    if (
        problem.startswith("expected <block end>") or "did not find expected key" in problem
    ) and source.lstrip().startswith("- "):
        return at(
            "listelinjen er rykket anderledes ind end de andre linjer i samme liste; ret indrykningen (kun mellemrum), "
            "så bindestregerne (-) står lige under hinanden",
            line_start=True,
        )
    if problem.startswith("expected <block end>") or "did not find expected key" in problem:
        return at(
            "indrykningen passer ikke: linjen er rykket anderledes ind end linjerne i samme afsnit over den; ret "
            "indrykningen (kun mellemrum), så nøglerne i samme afsnit står lige under hinanden"
        )
    if "did not find expected '-'" in problem:
        return at("en liste skal have »- « foran hvert element; ret linjen eller dens indrykning")
    if "flow sequence" in context or "flow mapping" in context:
        what, opening, closing = ("listen", "[", "]") if "sequence" in context else ("samlingen", "{", "}")
        opened = f" i linje {context_mark.line + 1}" if context_mark is not None else ""
        return at(
            f"{what}, der begynder med {opening}{opened}, lukkes ikke med {closing}; skriv {closing} til sidst (eller "
            "sæt teksten i anførselstegn, hvis den selv har et komma eller et kolon)"
        )
    if "undefined alias" in problem:
        return at("aliasset (*navn) henviser til et anker (&navn), der ikke findes i filen")
    if "cannot start any token" in problem:
        return at("en værdi kan ikke begynde med dette tegn; sæt teksten i anførselstegn")
    if "could not determine a constructor" in problem:
        return at("et mærke (!navn) kan ikke bruges i councilbooks filer; fjern det")
    return at(
        "filen kan ikke læses som YAML her; tjek indrykningen (kun mellemrum), kolonerne og anførselstegnene "
        "på linjen og linjen over"
    )


# ---------------------------------------------------------------------------
# pydantic errors as user messages
# ---------------------------------------------------------------------------

_TARGET_FORMS = ("level", "change", "share", "direction")


def yaml_path(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic error's location as the path in the file: without the tag pydantic adds for a
    target's form, or the marker of a mapping's key."""
    path: list[Any] = []
    previous: Any = None
    for item in loc:
        if not (previous == "target" and item in _TARGET_FORMS) and item != "[key]":
            path.append(item)
        previous = item
    return tuple(path)


def format_location(loc: tuple[Any, ...]) -> str:
    """A path as written in messages: ``meetings[3].agenda[0].title`` (shown with its positions counted
    from 1 by :class:`~councilbook.core.errors.Problem`)."""
    parts: list[str] = []
    for item in yaml_path(loc):
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


# Our own error types (parameters/types.py): their message is already Danish. A time of day
# (parameters/meetings.py, "clock") is described here.
_OWN_ERRORS = {"control_character", "web_address", "date_not_iso", "api_version_2"}
# A value's form, by the pattern it must match (parameters/types.py and the models here).
_PATTERNS: dict[str, str] = {
    r"^[a-z0-9][a-z0-9_-]*$": "et id skrives med små bogstaver (a-z), tal, - og _, fx ledige_30",
    r"^\d{1,4}$": "en kommunekode er et tal med 1-4 cifre, fx 101",
    r"^[A-Za-z0-9_]+$": "et tabel-id skrives med bogstaver, tal og _, fx y25i01",
    r"^_[A-Za-z0-9_]+$": "et hierarki skrives med sit id, der begynder med _, fx _ygrpi09",
    r"^\d{4}-[12]$": "en balance skrives år-1 eller år-2, fx 2013-1",
}
_TYPE_NAMES = {
    "int": "et tal",
    "float": "et tal",
    "str": "en tekst",
    "bool": "true eller false",
    "list": "en liste",
    "dict": "nøgler med værdier",
    "NoneType": "tom",
}


def _limit(value: Any) -> str:
    return (
        format_number(value, 0 if float(value).is_integer() else 1) if isinstance(value, (int, float)) else str(value)
    )


def describe_error(error: Any, model: type[BaseModel] | None = None) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return unknown_key_message(str(error["loc"][-1]), _keys_at(model, yaml_path(tuple(error["loc"]))[:-1]))
    if kind in _OWN_ERRORS:
        return str(error["msg"])
    if kind == "clock":
        return f"{value!r} er ikke et klokkeslæt; skriv det som TT:MM, fx 15:00"
    if kind == "missing":
        return "nøglen mangler; den skal udfyldes"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{value!r} er ikke en gyldig dato (skriv den som ÅÅÅÅ-MM-DD, fx 2013-03-20)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{value!r} er ikke et helt tal"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} er ikke et tal (decimaler skrives med punktum i YAML, fx 12.5)"
    if kind == "finite_number":
        shown = {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}.get(repr(value), repr(value))
        return f"{shown} er ikke et endeligt tal; skriv et almindeligt tal (fx 9500 eller 12.5)"
    if kind in ("bool_parsing", "bool_type"):
        return f"{value!r} er hverken true eller false"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{value!r} er ikke en af de tilladte værdier: {join_or(allowed)}"
    if kind == "union_tag_invalid":
        return f"{ctx.get('tag')!r} er ikke en form for målsætning (brug en af: {join_or(list(_TARGET_FORMS))})"
    if kind == "union_tag_not_found":
        return f"mangler nøglen 'form' (en af: {join_or(list(_TARGET_FORMS))})"
    if kind == "string_pattern_mismatch":
        form = _PATTERNS.get(str(ctx.get("pattern")), f"den skal passe til mønsteret {ctx.get('pattern')}")
        return f"{value!r} har ikke den rette form: {form}"
    if kind == "string_type":
        return f"{value!r} skal være en tekst"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "en liste" if kind == "list_type" else "nøgler med værdier"
        return f"skal være {wanted}, ikke {_TYPE_NAMES.get(type(value).__name__, type(value).__name__)}"
    if kind in ("too_short", "string_too_short"):
        return "må ikke være tom"
    if kind == "string_too_long":
        return f"må højst have {ctx.get('max_length')} tegn"
    if kind == "too_long":
        return f"må højst have {ctx.get('max_length')} elementer"
    bounds = {
        "greater_than_equal": ("ge", "mindst"),
        "less_than_equal": ("le", "højst"),
        "greater_than": ("gt", "større end"),
        "less_than": ("lt", "mindre end"),
    }
    if kind in bounds:
        key, word = bounds[kind]
        return (
            f"{value!r} er for {'lille' if key in ('ge', 'gt') else 'stort'}: skal være {word} {_limit(ctx.get(key))}"
        )
    return f"værdien {value!r} kan ikke bruges her"


def unknown_key_message(key: str, allowed: list[str]) -> str:
    """``ukendt nøgle 'reccomendation'; mente du 'recommendation'?``, else the keys allowed there."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"ukendt nøgle {key!r}; mente du {close[0]!r}?"
    if allowed:
        return f"ukendt nøgle {key!r}; tilladte nøgler her: {', '.join(allowed)}"
    return f"ukendt nøgle {key!r}; tjek stavemåden (se eksemplerne i parametermappen)"


def _keys_at(model: type[BaseModel] | None, path: tuple[Any, ...]) -> list[str]:
    """The keys the model allows at ``path`` (a mapping in the file), or none known."""
    current: Any = model
    for item in path:
        current = _inner_type(current, item)
        if current is None:
            return []
    found = _model_of(current)
    return list(found.model_fields) if found is not None else []


def _unwrap(annotation: Any) -> list[Any]:
    """The types an annotation may be: Annotated and Optional unwrapped, a union's members."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return [t for member in get_args(annotation) if member is not type(None) for t in _unwrap(member)]
    return [annotation]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    models = [t for t in _unwrap(annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return models[0] if len(models) == 1 else None


def _inner_type(annotation: Any, item: Any) -> Any:
    """The type at ``item`` (a key or a list position) inside a value of type ``annotation``."""
    for member in _unwrap(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            if isinstance(item, str) and item in member.model_fields:
                return member.model_fields[item].annotation
            continue
        origin, args = get_origin(member), get_args(member)
        if origin is list and isinstance(item, int) and args:
            return args[0]
        if origin is dict and len(args) == 2:
            return args[1]
    if isinstance(item, str):  # a target's form: the member whose form is the tag
        for member in _unwrap(annotation):
            form = getattr(member, "model_fields", {}).get("form")
            if form is not None and get_args(form.annotation) == (item,):
                return member
    return None


def validation_problems(
    exc: ValidationError,
    file: str,
    prefix: str = "",
    model: type[BaseModel] | None = None,
    positions: YamlPositions | None = None,
) -> list[Problem]:
    """pydantic's errors as problems in Danish, each at its line and column in the file (``positions``);
    an unknown key with the nearest key the ``model`` allows there."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if error["type"] == "control_character":  # found by the model's check of its keys: the key's place
            loc += (error["ctx"]["key"],)
        where = format_location(loc)
        if prefix:
            where = prefix + ("" if where.startswith("[") or not where else ".") + where
        found = positions.find(yaml_path(loc), key=error["type"] == "extra_forbidden") if positions else None
        line, column = found if found else (None, None)
        problems.append(Problem(file, where, describe_error(error, model), line=line, column=column))
    return problems


def _parse_model(
    model: type[BaseModel],
    path: Path,
    problems: list[Problem],
    fill: str = "",
    positions: dict[str, YamlPositions] | None = None,
) -> Any:
    """The file's model, or None with its problems added. ``fill`` says what a file of a year holds,
    for the message when it holds nothing: such a file can be removed, council.yml and measures.yml not.
    ``positions`` gets where each key and value of the file is."""
    before = len(problems)
    data, where = read_yaml_with_positions(path, problems)
    shown = display_path(path)
    if positions is not None:
        positions[shown] = where
    if data is None and len(problems) == before:  # read, and nothing in it: empty, comments or ~
        what = f"skriv {fill} i den, eller slet filen" if fill else "skriv dens nøgler (se eksemplerne i parameters/)"
        if not path.read_text(encoding="utf-8").strip():
            problems.append(Problem(shown, "", f"filen er tom; {what}"))
        else:
            problems.append(
                Problem(shown, "", f"filen har kun kommentarer (eller ~), så intet i den bliver læst; {what}")
            )
        return None
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, shown, model=model, positions=where))
        return None


# ---------------------------------------------------------------------------
# Loading and cross-checks
# ---------------------------------------------------------------------------


def _year_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))


def _one_file_a_year(folder: Path, problems: list[Problem]) -> list[Path]:
    """The files of a year folder to read: a year with both <year>.yml and <year>.yaml is a problem
    naming both, and neither is read (one would silently win)."""
    files = _year_files(folder)
    by_stem: dict[str, list[Path]] = {}
    for path in files:
        by_stem.setdefault(path.stem, []).append(path)
    for paths in by_stem.values():
        if len(paths) > 1:
            problems.append(
                Problem(
                    display_path(paths[0]),
                    "",
                    f"{display_path(paths[1])} findes også, og et år har én fil: behold den ene af de to, "
                    "og slet den anden",
                )
            )
    return [path for path in files if len(by_stem[path.stem]) == 1]


def load_parameters(params_dir: Path | str) -> Parameters:
    """Load and validate a parameters directory; raise InputError with every problem."""
    params, problems = collect_parameters(params_dir)
    if problems or params is None:
        raise InputError(problems)
    return params


def collect_parameters(params_dir: Path | str) -> tuple[Parameters | None, list[Problem]]:
    """The parameters with every problem found. With problems, the parameters hold what was valid
    (None without a valid council.yml), so the data can still be checked against them."""
    root = Path(params_dir)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [
            Problem(
                display_path(root),
                "",
                "parametermappen findes ikke; angiv den rigtige mappe med --params (standard: parameters)",
            )
        ]

    files: list[Path] = []
    positions: dict[str, YamlPositions] = {}
    council = None
    council_path = root / "council.yml"
    if council_path.is_file():
        files.append(council_path)
        council = _parse_model(Council, council_path, problems, positions=positions)
    else:
        problems.append(Problem(display_path(council_path), "", "filen findes ikke i parametermappen"))

    measures: dict[str, Measure] = {}
    measures_path = root / "measures.yml"
    if measures_path.is_file():
        files.append(measures_path)
        parsed = _parse_model(MeasuresFile, measures_path, problems, positions=positions)
        if parsed is not None:
            measures = {m.id: m for m in parsed.measures}
            for index, measure_id in _duplicates([m.id for m in parsed.measures]):
                problems.append(
                    Problem(
                        display_path(measures_path),
                        f"measures[{index}].id",
                        f"nøgletallet {measure_id!r} står der allerede; et id må kun bruges én gang",
                    )
                )
    else:
        problems.append(Problem(display_path(measures_path), "", "filen findes ikke i parametermappen"))

    contracts: dict[int, Contract] = {}
    contract_paths: dict[int, Path] = {}
    for path in _one_file_a_year(root / "contracts", problems):
        files.append(path)
        contract = _parse_model(Contract, path, problems, "kontrakten", positions)
        if contract is not None and _year_matches(path, contract.year, problems):
            contracts[contract.year] = contract
            contract_paths[contract.year] = path
    if not _year_files(root / "contracts"):
        problems.append(Problem(display_path(root / "contracts"), "", "der er ingen kontrakter (contracts/<år>.yml)"))

    meetings: list[Meeting] = []
    meeting_sources: list[tuple[Path, int, Meeting]] = []
    for path in _one_file_a_year(root / "meetings", problems):
        files.append(path)
        parsed = _parse_model(MeetingsFile, path, problems, "året (year) og møderne (meetings)", positions)
        if parsed is None or not _year_matches(path, parsed.year, problems):
            continue
        for index, meeting in enumerate(parsed.meetings):
            meeting_sources.append((path, index, meeting))
            meetings.append(meeting)

    evaluations: dict[int, Evaluation] = {}
    evaluation_paths: dict[int, Path] = {}
    for path in _one_file_a_year(root / "evaluations", problems):
        files.append(path)
        evaluation = _parse_model(Evaluation, path, problems, "evalueringen", positions)
        if evaluation is not None and _year_matches(path, evaluation.year, problems):
            evaluations[evaluation.year] = evaluation
            evaluation_paths[evaluation.year] = path

    reports = {
        folder.name: _read_report_folder(root / folder.name, folder, files, problems, positions)
        for folder in report_folders()
    }

    if council is not None:
        problems.extend(_check_council(council, council_path))
    if measures:
        problems.extend(_check_measures(measures, measures_path))
    for year, contract in contracts.items():
        problems.extend(_check_contract(contract, contract_paths[year], measures))
    # Years with a contract file, parsed or not: a broken contract file is reported once, not again
    # by every meeting and evaluation of its year.
    contract_years = {int(p.stem) for p in _year_files(root / "contracts") if p.stem.isdigit()}
    problems.extend(_check_meetings(meeting_sources, contract_years))
    if council is not None:
        problems.extend(check_meeting_people_and_files(root, council, meeting_sources))
    for year, evaluation in evaluations.items():
        problems.extend(_check_evaluation(evaluation, evaluation_paths[year], contract_years))
    context = FolderContext(frozenset(contract_years), measures)
    for folder in report_folders():
        if folder.check is not None:
            for path, report in reports[folder.name].values():
                problems.extend(folder.check(path, report, context))

    problems = locate(problems, positions)
    if council is None:
        return None, problems
    return Parameters(
        root=root,
        council=council,
        measures=measures,
        contracts=dict(sorted(contracts.items())),
        meetings=sorted(meetings, key=lambda m: m.date),
        evaluations=dict(sorted(evaluations.items())),
        files=files,
        reports={name: {key: report for key, (_, report) in sorted(found.items())} for name, found in reports.items()},
        meeting_places={m.date: (display_path(path), index) for path, index, m in meeting_sources},
        positions=positions,
    ), problems


def _read_report_folder(
    folder: Path,
    spec: ReportFolder,
    files: list[Path],
    problems: list[Problem],
    positions: dict[str, YamlPositions],
) -> dict[Any, tuple[Path, Any]]:
    """The files of a kind's own folder (``analyses/<year>.yml``, ``bottlenecks/<year>-<n>.yml``, ...) by their
    key (the value of the folder's key field), each with its path; a file whose key does not match its name is
    a problem."""
    found: dict[Any, tuple[Path, Any]] = {}
    for path in _one_file_a_year(folder, problems):
        files.append(path)
        parsed = _parse_model(spec.model, path, problems, spec.what, positions)
        if parsed is None:
            continue
        key = getattr(parsed, spec.key_field)
        if path.stem != str(key):
            field_name = spec.key_field
            problems.append(
                Problem(
                    display_path(path),
                    field_name,
                    f"{key} passer ikke til filens navn (filen skal hedde {key}.yml, eller {field_name} rettes)",
                )
            )
            continue
        found[key] = (path, parsed)
    return found


def check_yearly_report(path: Path, year: int, published: dt.date, contracts: Set[int]) -> list[Problem]:
    """A yearly report on ``year``: the year has a contract (its goals are the report's measures) and the
    report is published after the year has ended."""
    shown = display_path(path)
    problems = []
    if year not in contracts:
        problems.append(Problem(shown, "year", f"der er ingen kontrakt for {year} (contracts/{year}.yml)"))
    if published.year <= year:
        problems.append(
            Problem(
                shown,
                "published",
                f"{format_date(published)} er før {year} er slut; offentliggør rapporten i {year + 1}",
            )
        )
    return problems


def _duplicates(values: list[Any]) -> list[tuple[int, Any]]:
    counts = Counter(values)
    seen: set[Any] = set()
    found = []
    for index, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            found.append((index, value))
        seen.add(value)
    return found


def _year_matches(path: Path, year: int, problems: list[Problem]) -> bool:
    if path.stem != str(year):
        problems.append(
            Problem(
                display_path(path),
                "year",
                f"{year} passer ikke til filens navn ({path.stem}.yml skal have year: {path.stem})",
            )
        )
        return False
    return True


def _check_council(council: Council, path: Path) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, jc_id in _duplicates([jc.id for jc in council.job_centres]):
        problems.append(
            Problem(
                shown,
                f"job_centres[{index}].id",
                f"jobcenteret {jc_id!r} står der allerede; et id må kun bruges én gang",
            )
        )
    served: dict[str, str] = {}
    for index, jc in enumerate(council.job_centres):
        for code in jc.codes:
            if code in served:
                problems.append(
                    Problem(
                        shown,
                        f"job_centres[{index}].municipalities",
                        f"kommune {code} hører allerede til jobcenteret {served[code]!r}",
                    )
                )
            served.setdefault(code, jc.id)
    return problems


def _check_contract(contract: Contract, path: Path, measures: dict[str, Measure]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, goal_id in _duplicates([g.id for g in contract.goals]):
        problems.append(
            Problem(shown, f"goals[{index}].id", f"målet {goal_id!r} står der allerede; et id må kun bruges én gang")
        )
    if contract.published is not None and contract.published.year not in (contract.year - 1, contract.year):
        problems.append(
            Problem(
                shown,
                "published",
                f"{format_date(contract.published)} ligger hverken i {contract.year - 1} eller {contract.year}",
            )
        )
    for index, goal in enumerate(contract.goals):
        at = f"goals[{index}]"
        for key in ("measure", "denominator"):
            measure_id = getattr(goal, key)
            if measure_id is not None and measures and measure_id not in measures:
                problems.append(Problem(shown, f"{at}.{key}", f"nøgletallet {measure_id!r} står ikke i measures.yml"))
        if goal.aggregation == "ratio" and goal.denominator is None:
            problems.append(Problem(shown, f"{at}.denominator", "skal udfyldes, når aggregation er 'ratio'"))
        if goal.aggregation != "ratio" and goal.denominator is not None:
            problems.append(
                Problem(
                    shown,
                    f"{at}.denominator",
                    "bruges kun, når aggregation er 'ratio'; slet den, eller ret aggregation",
                )
            )
        try:
            baseline = goal.baseline_span
        except PeriodCodeError as exc:
            problems.append(Problem(shown, f"{at}.baseline", str(exc)))
        else:
            if baseline.last.year >= contract.year:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.baseline",
                        f"{goal.baseline!r} skal slutte før kontraktåret {contract.year}",
                    )
                )
        target = goal.target
        if isinstance(target, LevelTarget):
            try:
                target_month = parse_month(target.month)
            except PeriodCodeError as exc:
                problems.append(Problem(shown, f"{at}.target.month", str(exc)))
            else:
                if target_month.year != contract.year:
                    problems.append(
                        Problem(
                            shown,
                            f"{at}.target.month",
                            f"{target.month!r} ligger ikke i kontraktåret {contract.year}",
                        )
                    )
        if isinstance(target, LevelTarget) and goal.aggregation != "end_of_period":
            december = f"{contract.year}M12"
            if target.month.strip() != december:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.target.month",
                        f"{target.month!r}: med aggregation {goal.aggregation!r} gælder målsætningen hele året; "
                        f"skriv month: {december} (et niveau i en bestemt måned kræver aggregation 'end_of_period')",
                    )
                )
        measure = measures.get(goal.measure)
        if isinstance(target, ShareTarget):
            if goal.aggregation != "ratio" and (measure is None or measure.kind != "share"):
                problems.append(
                    Problem(
                        shown,
                        f"{at}.target",
                        "en målsætning som andel kræver aggregation 'ratio' eller et nøgletal med kind 'share'",
                    )
                )
        if measure is not None and measure.kind == "share" and goal.aggregation in ("sum", "ratio"):
            problems.append(
                Problem(
                    shown,
                    f"{at}.aggregation",
                    f"{goal.aggregation!r}: {goal.measure!r} er en andel, og en andel lægges aldrig sammen "
                    "(brug 'average' eller 'end_of_period')",
                )
            )
        if goal.denominator is not None:
            below = measures.get(goal.denominator)
            if below is not None and below.kind == "share":
                problems.append(
                    Problem(
                        shown,
                        f"{at}.denominator",
                        f"{goal.denominator!r} er en andel; et forhold (ratio) er et antal delt med et antal",
                    )
                )
    return problems


def share_weight(measure: Measure, measures: dict[str, Measure]) -> str | None:
    """The measure that weights a share when areas are combined: its own ``weight``, else the population."""
    if measure.weight:
        return measure.weight
    populations = [m.id for m in measures.values() if m.population]
    return populations[0] if populations else None


def _check_measures(measures: dict[str, Measure], path: Path) -> list[Problem]:
    shown = display_path(path)
    problems = []
    populations = [m.id for m in measures.values() if m.population]
    if len(populations) > 1:
        problems.append(
            Problem(
                shown,
                "measures",
                f"kun ét nøgletal kan være befolkningen (population: true); her er {len(populations)}: "
                f"{join_and(populations)}",
            )
        )
    for index, measure in enumerate(measures.values()):
        at = f"measures[{index}]"
        if measure.weight is not None:
            weight = measures.get(measure.weight)
            if measure.kind != "share":
                problems.append(Problem(shown, f"{at}.weight", "kun en andel har en vægt (weight)"))
            elif weight is None:
                problems.append(
                    Problem(shown, f"{at}.weight", f"nøgletallet {measure.weight!r} står ikke i measures.yml")
                )
            elif weight.kind != "count":
                problems.append(Problem(shown, f"{at}.weight", f"{measure.weight!r} er en andel; en vægt er et antal"))
        elif measure.kind == "share" and not populations:
            problems.append(
                Problem(
                    shown,
                    f"{at}.weight",
                    "en andel skal have en vægt for at lægge kommuner sammen (det nøgletal, den er en andel af, "
                    "eller et nøgletal med population: true)",
                )
            )
        if measure.kind == "share" and measure.population:
            problems.append(Problem(shown, f"{at}.population", "befolkningen er et antal, ikke en andel"))
    return problems


def _check_meetings(sources: list[tuple[Path, int, Meeting]], contracts: set[int]) -> list[Problem]:
    problems = []
    dates: dict[dt.date, str] = {}
    for path, index, meeting in sources:
        shown = display_path(path)
        at = f"meetings[{index}]"
        year = int(path.stem)
        if meeting.date.year != year:
            problems.append(Problem(shown, f"{at}.date", f"{format_date(meeting.date)} ligger ikke i {year}"))
        elif meeting.date.year not in contracts:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"{format_date(meeting.date)}: der er ingen kontrakt for {meeting.date.year} "
                    f"(tilføj contracts/{meeting.date.year}.yml, fx med councilbook new contract {meeting.date.year})",
                )
            )
        if meeting.date in dates:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"der er allerede et møde den {format_date(meeting.date)} ({dates[meeting.date]})",
                )
            )
        dates.setdefault(meeting.date, f"{shown}: {describe_where(at)}")
        if meeting.kind == "theme" and not meeting.theme:
            problems.append(Problem(shown, f"{at}.theme", "et møde med temadrøftelse skal have et tema (theme)"))
        if meeting.minutes_sent is not None and meeting.minutes_sent < meeting.date:
            problems.append(Problem(shown, f"{at}.minutes_sent", f"{format_date(meeting.minutes_sent)} er før mødet"))
        for item_index, item in enumerate(meeting.agenda):
            if item.type == "decision" and not item.recommendation:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.agenda[{item_index}].recommendation",
                        "et punkt til beslutning skal have en indstilling (recommendation)",
                    )
                )
            if meeting.minutes_sent is not None and not item.decision:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.agenda[{item_index}].decision",
                        f"referatet blev sendt {format_date(meeting.minutes_sent)}, så hvert punkt skal have "
                        "beslutningen, som den blev truffet (ved et orienteringspunkt fx 'Rådet tog orienteringen til "
                        "efterretning.')",
                    )
                )
    return problems


def _check_evaluation(evaluation: Evaluation, path: Path, contracts: set[int]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    if evaluation.date.year != evaluation.year:
        problems.append(Problem(shown, "date", f"{format_date(evaluation.date)} ligger ikke i {evaluation.year}"))
    if evaluation.covers not in contracts:
        problems.append(Problem(shown, "covers", f"der er ingen kontrakt for {evaluation.covers}"))
    if evaluation.covers >= evaluation.year:
        problems.append(
            Problem(shown, "covers", f"{evaluation.covers} skal være et år før evalueringsåret {evaluation.year}")
        )
    return problems


def is_share(goal: Goal, measure: Measure) -> bool:
    """A goal whose figure is a share in % (a ratio of two counts, or a share measure)."""
    return goal.aggregation == "ratio" or measure.kind == "share"
