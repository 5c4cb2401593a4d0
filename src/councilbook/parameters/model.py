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
import hashlib
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.periods import PeriodCodeError, Span, parse_month, parse_period
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


class JobindsatsSource(StrictModel):
    """Where a measure comes from on jobindsats.dk."""

    table: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]  # e.g. Y07A02
    # The measure's column label in API answers and export titles, e.g. "Antal personer".
    variable: str | None = None
    # Extra selections for the API request, e.g. {"_kon": ["Kvinder"]}.
    filters: dict[str, list[str]] = {}


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


class Theme(StrictModel):
    title: Text
    text: Text


class Analysis(StrictModel):
    """The analysis report (analyserapport) on the labour market in ``year``, published at the end of
    January after it (the annual cycle)."""

    year: int = Field(ge=1900, le=2200, description="the year analysed")
    published: IsoDate
    title: Text | None = None
    themes: list[Theme] = []  # the secretariat's own analysis, a section each
    conclusions: list[Text] = []


class KeyFigures(StrictModel):
    """The key-figures report (nøgletalsrapport) on the job centres' results in ``year``."""

    year: int = Field(ge=1900, le=2200, description="the year whose results it reports")
    published: IsoDate
    measures: list[Slug] = []  # key measures shown beside the goals of the year's contract
    at_meetings: bool = False  # also an edition with the latest figures at each meeting of the year


class Bottlenecks(StrictModel):
    """A bottleneck overview (flaskehalsoversigt) from one labour-market balance (``<year>-1`` or ``-2``)."""

    balance: str = Field(pattern=r"^\d{4}-[12]$")
    published: IsoDate
    comment: Text | None = None


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
    analyses: dict[int, Analysis] = field(default_factory=dict)
    keyfigures: dict[int, KeyFigures] = field(default_factory=dict)
    bottlenecks: dict[str, Bottlenecks] = field(default_factory=dict)
    # Where each meeting is written: its file as shown and its index there, for messages.
    meeting_places: dict[dt.date, tuple[str, int]] = field(default_factory=dict)

    def contract_years(self) -> list[int]:
        return sorted(self.contracts)

    def meeting_on(self, day: dt.date) -> Meeting:
        for meeting in self.meetings:
            if meeting.date == day:
                return meeting
        known = ", ".join(m.date.isoformat() for m in self.meetings) or "none"
        raise KeyError(
            f"no meeting on {day.isoformat()} in the parameters (meetings: {known}); "
            f"to add it: councilbook new meeting {day.isoformat()} --kind ordinary"
        )

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        earlier = [m for m in self.meetings if m.date < meeting.date]
        return earlier[-1] if earlier else None

    def file_hashes(self) -> dict[str, str]:
        return {display_path(p): sha256_file(p) for p in self.files}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# YAML reading: dates stay text (pydantic checks them), duplicate keys are errors, and the size of
# what a file may hold is limited
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


class YamlLimitError(yaml.YAMLError):
    """A file past one of the limits above (or with a list as a key, which would crash the reader);
    ``problem_mark`` is where, ``problem`` what is wrong and what to do."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    duplicate_keys: list[tuple[str, int]]

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
                    f"uses more than {MAX_YAML_ALIASES} aliases (*{event.anchor} and others); "
                    "write the values out instead",
                    event.start_mark,
                )
            expanded = self._expanded.get(id(node))
            if expanded is None:
                raise YamlLimitError(
                    f"the alias *{event.anchor} is inside the value it repeats, so it never ends; "
                    "write the values out instead",
                    event.start_mark,
                )
            self._alias_values += expanded[0]
            if self._alias_values > MAX_YAML_ALIAS_VALUES:
                raise YamlLimitError(
                    f"its aliases (*{event.anchor} and others) repeat more than {MAX_YAML_ALIAS_VALUES:,} "
                    "values; write the values out instead of nesting aliases",
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
            f"lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep; "
            "check the brackets and the indentation"
        )

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if ":" in node.value:  # YAML 1.1 reads 15:00 as 900 (base 60); a time of day stays text
            return node.value
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # past Python's limit on digits in a number
            raise YamlLimitError(
                f"the number {node.value[:12]}... has {len(node.value):,} digits; write a number of ordinary size",
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
            raise YamlLimitError("a key is a list or a mapping; a key must be a name", key_node.start_mark)
        if key in seen:
            loader.duplicate_keys.append((str(key), key_node.start_mark.line + 1))
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """Parse a YAML file within the limits above; syntax errors, duplicate keys and files past a
    limit become problems (and None)."""
    shown = display_path(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(shown, "", f"cannot be read: {exc.strerror or exc}"))
        return None
    if len(raw) > MAX_YAML_BYTES:
        problems.append(
            Problem(
                shown,
                "",
                f"is {path.stat().st_size:,} bytes, and councilbook reads YAML files of at most "
                f"{MAX_YAML_BYTES:,} bytes; is it the right file?",
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                shown,
                f"line {line}",
                f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 "
                "(in the editor's Save As, or its encoding setting)",
            )
        )
        return None
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except YamlLimitError as exc:
        where = f"line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        problems.append(Problem(shown, where, exc.problem))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problems.append(Problem(shown, where, f"is not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicate_keys:
        problems.append(Problem(shown, f"line {line}", f"key {key!r} appears twice"))
    return data


# ---------------------------------------------------------------------------
# pydantic errors as user messages
# ---------------------------------------------------------------------------

_TARGET_FORMS = ("level", "change", "share", "direction")


def format_location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    previous: Any = None
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif previous == "target" and item in _TARGET_FORMS:
            pass  # the discriminator pydantic adds to the path
        else:
            parts.append(("." if parts else "") + str(item))
        previous = item
    return "".join(parts)


def _describe(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the README for the allowed keys)"
    if kind == "missing":
        return "is required but missing"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{value!r} is not a valid date (write it as YYYY-MM-DD)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{value!r} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} is not a number"
    if kind == "finite_number":
        shown = {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}.get(repr(value), repr(value))
        return f"{shown} is not a finite number; write an ordinary number (like 9500 or 12.5)"
    if kind in ("bool_parsing", "bool_type"):
        return f"{value!r} is not true or false"
    if kind == "literal_error":
        return f"{value!r} is not one of: {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"{ctx.get('tag')!r} is not a target form (use one of: {', '.join(_TARGET_FORMS)})"
    if kind == "union_tag_not_found":
        return f"needs 'form' (one of: {', '.join(_TARGET_FORMS)})"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not have the expected form ({ctx.get('pattern')})"
    if kind == "string_type":
        return f"{value!r} should be text"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "a list" if kind == "list_type" else "a mapping of keys to values"
        return f"should be {wanted}, not {type(value).__name__}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{value!r}: {error['msg'].lower()}"
    return str(error["msg"])


def validation_problems(exc: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    problems = []
    for error in exc.errors():
        where = format_location(tuple(error["loc"]))
        if prefix:
            where = prefix + ("" if where.startswith("[") or not where else ".") + where
        problems.append(Problem(file, where, _describe(error)))
    return problems


def _parse_model(model: type[BaseModel], path: Path, problems: list[Problem], fill: str = "") -> Any:
    """The file's model, or None with its problems added. ``fill`` says what a file of a year holds,
    for the message when it holds nothing: such a file can be removed, council.yml and measures.yml not."""
    before = len(problems)
    data = read_yaml(path, problems)
    if data is None and len(problems) == before:  # read, and nothing in it: empty, comments or ~
        shown = display_path(path)
        what = f"write its {fill}, or remove the file" if fill else "write its keys (see the README)"
        if not path.read_text(encoding="utf-8").strip():
            problems.append(Problem(shown, "", "is empty"))
        else:
            problems.append(Problem(shown, "", f"holds nothing but comments (or ~), so nothing in it is read; {what}"))
        return None
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, display_path(path)))
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
                    f"{display_path(paths[1])} is there too, and a year has one file: keep one of the two "
                    "and remove the other",
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
        return None, [Problem(display_path(root), "", "parameters directory not found")]

    files: list[Path] = []
    council = None
    council_path = root / "council.yml"
    if council_path.is_file():
        files.append(council_path)
        council = _parse_model(Council, council_path, problems)
    else:
        problems.append(Problem(display_path(council_path), "", "file not found"))

    measures: dict[str, Measure] = {}
    measures_path = root / "measures.yml"
    if measures_path.is_file():
        files.append(measures_path)
        parsed = _parse_model(MeasuresFile, measures_path, problems)
        if parsed is not None:
            measures = {m.id: m for m in parsed.measures}
            for index, measure_id in _duplicates([m.id for m in parsed.measures]):
                problems.append(
                    Problem(
                        display_path(measures_path), f"measures[{index}].id", f"duplicate measure id {measure_id!r}"
                    )
                )
    else:
        problems.append(Problem(display_path(measures_path), "", "file not found"))

    contracts: dict[int, Contract] = {}
    contract_paths: dict[int, Path] = {}
    for path in _one_file_a_year(root / "contracts", problems):
        files.append(path)
        contract = _parse_model(Contract, path, problems, "contract")
        if contract is not None and _year_matches(path, contract.year, problems):
            contracts[contract.year] = contract
            contract_paths[contract.year] = path
    if not _year_files(root / "contracts"):
        problems.append(Problem(display_path(root / "contracts"), "", "no contract files (contracts/<year>.yml)"))

    meetings: list[Meeting] = []
    meeting_sources: list[tuple[Path, int, Meeting]] = []
    for path in _one_file_a_year(root / "meetings", problems):
        files.append(path)
        parsed = _parse_model(MeetingsFile, path, problems, "year and meetings")
        if parsed is None or not _year_matches(path, parsed.year, problems):
            continue
        for index, meeting in enumerate(parsed.meetings):
            meeting_sources.append((path, index, meeting))
            meetings.append(meeting)

    evaluations: dict[int, Evaluation] = {}
    evaluation_paths: dict[int, Path] = {}
    for path in _one_file_a_year(root / "evaluations", problems):
        files.append(path)
        evaluation = _parse_model(Evaluation, path, problems, "evaluation")
        if evaluation is not None and _year_matches(path, evaluation.year, problems):
            evaluations[evaluation.year] = evaluation
            evaluation_paths[evaluation.year] = path

    analyses = _read_publications(root / "analyses", Analysis, "analysis", files, problems)
    keyfigures = _read_publications(root / "keyfigures", KeyFigures, "key figures", files, problems)
    bottlenecks = _read_publications(root / "bottlenecks", Bottlenecks, "bottleneck overview", files, problems)

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
    for path, analysis in analyses.values():
        problems.extend(_check_publication(path, analysis.year, analysis.published, contract_years))
    for path, report in keyfigures.values():
        problems.extend(_check_publication(path, report.year, report.published, contract_years))
        for index, measure_id in enumerate(report.measures):
            if measures and measure_id not in measures:
                problems.append(
                    Problem(display_path(path), f"measures[{index}]", f"{measure_id!r} is not in measures.yml")
                )
            elif measures and (measures[measure_id].framework or measures[measure_id].population):
                problems.append(
                    Problem(
                        display_path(path),
                        f"measures[{index}]",
                        f"{measure_id!r} is a framework condition with yearly figures; a key measure has monthly "
                        "or quarterly figures",
                    )
                )

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
        analyses={year: a for year, (_, a) in sorted(analyses.items())},
        keyfigures={year: k for year, (_, k) in sorted(keyfigures.items())},
        bottlenecks={key: b for key, (_, b) in sorted(bottlenecks.items())},
        meeting_places={m.date: (display_path(path), index) for path, index, m in meeting_sources},
    ), problems


def _read_publications(
    folder: Path, model: type[StrictModel], what: str, files: list[Path], problems: list[Problem]
) -> dict[Any, tuple[Path, Any]]:
    """The files of a report's folder (``analyses/<year>.yml``, ``keyfigures/<year>.yml``,
    ``bottlenecks/<year>-<n>.yml``) by their key (the year, or the balance id), each with its path; a file
    whose key does not match its name is a problem."""
    found: dict[Any, tuple[Path, Any]] = {}
    for path in _one_file_a_year(folder, problems):
        files.append(path)
        parsed = _parse_model(model, path, problems, what)
        if parsed is None:
            continue
        key = getattr(parsed, "balance", None) or parsed.year
        if path.stem != str(key):
            field_name = "balance" if isinstance(key, str) else "year"
            problems.append(
                Problem(display_path(path), field_name, f"{key} does not match the file name (expected {key}.yml)")
            )
            continue
        found[key] = (path, parsed)
    return found


def _check_publication(path: Path, year: int, published: dt.date, contracts: set[int]) -> list[Problem]:
    """A yearly report on ``year``: the year has a contract (its goals are the report's measures) and the
    report is published after the year has ended."""
    shown = display_path(path)
    problems = []
    if year not in contracts:
        problems.append(Problem(shown, "year", f"there is no contract for {year} (contracts/{year}.yml)"))
    if published.year <= year:
        problems.append(
            Problem(shown, "published", f"{published.isoformat()} is before {year} has ended; publish it in {year + 1}")
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
                f"{year} does not match the file name (expected {path.stem}.yml to hold year {path.stem})",
            )
        )
        return False
    return True


def _check_council(council: Council, path: Path) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, jc_id in _duplicates([jc.id for jc in council.job_centres]):
        problems.append(Problem(shown, f"job_centres[{index}].id", f"duplicate job centre id {jc_id!r}"))
    served: dict[str, str] = {}
    for index, jc in enumerate(council.job_centres):
        for code in jc.codes:
            if code in served:
                problems.append(
                    Problem(
                        shown,
                        f"job_centres[{index}].municipalities",
                        f"municipality {code} is already served by job centre {served[code]!r}",
                    )
                )
            served.setdefault(code, jc.id)
    return problems


def _check_contract(contract: Contract, path: Path, measures: dict[str, Measure]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    for index, goal_id in _duplicates([g.id for g in contract.goals]):
        problems.append(Problem(shown, f"goals[{index}].id", f"duplicate goal id {goal_id!r}"))
    if contract.published is not None and contract.published.year not in (contract.year - 1, contract.year):
        problems.append(
            Problem(
                shown, "published", f"{contract.published.isoformat()} is not in {contract.year - 1} or {contract.year}"
            )
        )
    for index, goal in enumerate(contract.goals):
        at = f"goals[{index}]"
        for key in ("measure", "denominator"):
            measure_id = getattr(goal, key)
            if measure_id is not None and measures and measure_id not in measures:
                problems.append(Problem(shown, f"{at}.{key}", f"measure {measure_id!r} is not in measures.yml"))
        if goal.aggregation == "ratio" and goal.denominator is None:
            problems.append(Problem(shown, f"{at}.denominator", "is required when aggregation is 'ratio'"))
        if goal.aggregation != "ratio" and goal.denominator is not None:
            problems.append(Problem(shown, f"{at}.denominator", "is only used when aggregation is 'ratio'"))
        try:
            baseline = goal.baseline_span
        except PeriodCodeError as exc:
            problems.append(Problem(shown, f"{at}.baseline", str(exc)))
        else:
            if baseline.last.year >= contract.year:
                problems.append(
                    Problem(
                        shown, f"{at}.baseline", f"{goal.baseline!r} must end before the contract year {contract.year}"
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
                            shown, f"{at}.target.month", f"{target.month!r} is not in the contract year {contract.year}"
                        )
                    )
        if isinstance(target, LevelTarget) and goal.aggregation != "end_of_period":
            december = f"{contract.year}M12"
            if target.month.strip() != december:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.target.month",
                        f"{target.month!r}: with aggregation {goal.aggregation!r} the target is for the whole year; "
                        f"write month: {december} (a level at a month needs aggregation 'end_of_period')",
                    )
                )
        measure = measures.get(goal.measure)
        if isinstance(target, ShareTarget):
            if goal.aggregation != "ratio" and (measure is None or measure.kind != "share"):
                problems.append(
                    Problem(
                        shown, f"{at}.target", "a share target needs aggregation 'ratio' or a measure of kind 'share'"
                    )
                )
        if measure is not None and measure.kind == "share" and goal.aggregation in ("sum", "ratio"):
            problems.append(
                Problem(
                    shown,
                    f"{at}.aggregation",
                    f"{goal.aggregation!r}: {goal.measure!r} is a share, and a share is never summed "
                    "(use 'average' or 'end_of_period')",
                )
            )
        if goal.denominator is not None:
            below = measures.get(goal.denominator)
            if below is not None and below.kind == "share":
                problems.append(
                    Problem(
                        shown,
                        f"{at}.denominator",
                        f"{goal.denominator!r} is a share; a ratio is a count divided by a count",
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
            Problem(shown, "measures", f"only one measure may be the population; found {', '.join(populations)}")
        )
    for index, measure in enumerate(measures.values()):
        at = f"measures[{index}]"
        if measure.weight is not None:
            weight = measures.get(measure.weight)
            if measure.kind != "share":
                problems.append(Problem(shown, f"{at}.weight", "only a share has a weight"))
            elif weight is None:
                problems.append(Problem(shown, f"{at}.weight", f"measure {measure.weight!r} is not in measures.yml"))
            elif weight.kind != "count":
                problems.append(Problem(shown, f"{at}.weight", f"{measure.weight!r} is a share; a weight is a count"))
        elif measure.kind == "share" and not populations:
            problems.append(
                Problem(
                    shown,
                    f"{at}.weight",
                    "a share needs a weight to combine municipalities (the measure it is a share of, or a "
                    "measure with population: true)",
                )
            )
        if measure.kind == "share" and measure.population:
            problems.append(Problem(shown, f"{at}.population", "the population is a count, not a share"))
    return problems


def _check_meetings(sources: list[tuple[Path, int, Meeting]], contracts: set[int]) -> list[Problem]:
    problems = []
    dates: dict[dt.date, str] = {}
    for path, index, meeting in sources:
        shown = display_path(path)
        at = f"meetings[{index}]"
        year = int(path.stem)
        if meeting.date.year != year:
            problems.append(Problem(shown, f"{at}.date", f"{meeting.date.isoformat()} is not in {year}"))
        elif meeting.date.year not in contracts:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"{meeting.date.isoformat()}: there is no contract for {meeting.date.year} "
                    f"(add contracts/{meeting.date.year}.yml)",
                )
            )
        if meeting.date in dates:
            problems.append(
                Problem(
                    shown,
                    f"{at}.date",
                    f"another meeting is already on {meeting.date.isoformat()} ({dates[meeting.date]})",
                )
            )
        dates.setdefault(meeting.date, f"{shown} {at}")
        if meeting.kind == "theme" and not meeting.theme:
            problems.append(Problem(shown, f"{at}.theme", "a theme meeting needs a theme"))
        if meeting.minutes_sent is not None and meeting.minutes_sent < meeting.date:
            problems.append(
                Problem(shown, f"{at}.minutes_sent", f"{meeting.minutes_sent.isoformat()} is before the meeting")
            )
        for item_index, item in enumerate(meeting.agenda):
            if item.type == "decision" and not item.recommendation:
                problems.append(
                    Problem(
                        shown, f"{at}.agenda[{item_index}].recommendation", "a decision item needs a recommendation"
                    )
                )
            if meeting.minutes_sent is not None and not item.decision:
                problems.append(
                    Problem(
                        shown,
                        f"{at}.agenda[{item_index}].decision",
                        f"the minutes were sent {meeting.minutes_sent.isoformat()}, so every item needs the "
                        "decision as taken (for an orientation item, e.g. 'Rådet tog orienteringen til efterretning.')",
                    )
                )
    return problems


def _check_evaluation(evaluation: Evaluation, path: Path, contracts: set[int]) -> list[Problem]:
    shown = display_path(path)
    problems = []
    if evaluation.date.year != evaluation.year:
        problems.append(Problem(shown, "date", f"{evaluation.date.isoformat()} is not in {evaluation.year}"))
    if evaluation.covers not in contracts:
        problems.append(Problem(shown, "covers", f"there is no contract for {evaluation.covers}"))
    if evaluation.covers >= evaluation.year:
        problems.append(
            Problem(shown, "covers", f"{evaluation.covers} must be a year before the evaluation year {evaluation.year}")
        )
    return problems


def is_share(goal: Goal, measure: Measure) -> bool:
    """A goal whose figure is a share in % (a ratio of two counts, or a share measure)."""
    return goal.aggregation == "ratio" or measure.kind == "share"
