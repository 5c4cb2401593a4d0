"""pydantic's errors as problems in Danish: what is wrong with a value and how to write it, an unknown key with
the nearest key allowed there, each at its line and column in the file.
"""

from __future__ import annotations

import difflib
import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from councilbook.core.errors import Problem
from councilbook.core.formats import format_number, join_or
from councilbook.parameters.yaml_reading import YamlPositions

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
