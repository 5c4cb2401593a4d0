"""YAML files read with care: dates stay text (pydantic checks them), duplicate keys are problems, the size of what
a file may hold is limited, a syntax error is told in Danish at its line and column, and the line and column of every
key and value are kept for the messages (:class:`YamlPositions`, :func:`locate`).

Every YAML file councilbook reads goes through :func:`read_yaml` or :func:`read_yaml_with_positions`: the
parameter files, a data folder's ``datasource.yml``, the pipelines' manifest.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from councilbook.core.errors import InputProblem, Problem, display_path, os_reason, parse_path
from councilbook.core.formats import format_number

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
