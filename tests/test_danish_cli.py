"""One language at the terminal: every help page and the main error paths of `councilbook` hold no English sentence.

The commands are enumerated from the click app, so a new command or subcommand is covered without a change here.
Each output is searched for common English words (whole words), after taking out what may stay as written:
paths and file names, option names, YAML keys and key paths, command names, values quoted from the user's
input, and names of things (HTML, PDF, jobindsats.dk, ...).
"""

from __future__ import annotations

import re
import shutil
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI, MINI_ARGS, ROOT
from pydantic import BaseModel
from typer.main import get_command
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.parameters import model as parameter_models

runner = CliRunner()

# Common English words that are not also Danish words (so not "at", "for", "to", "data", "under", "kind", "i").
ENGLISH = set(
    """
    the an is are was were be been being not no and or but if then than so this that these those there here
    it its of on in into from with without as also only still again less all any each every some
    none nothing something has had does do did done will would should must can cannot could may might shall
    file files folder directory found missing use used using run running ran see check write wrote written read
    named name please error errors failed failure fail warning usage options option commands show message
    exit help default required try such possible mean got unexpected value values invalid valid expected allowed
    unknown duplicate twice empty too large deep nested number numbers line row column sheet cell key keys date
    book report reports meeting meetings contract contracts goal goals figure figures target measure measures
    what when where which who why how you your we our they their he she him what's don't isn't can't
    correct problems nothing was until wait finished another build built published publish draft
    """.split()
)

# The names of things, which stay as they are.
NAMES = {
    "councilbook",
    "html",
    "pdf",
    "json",
    "csv",
    "excel",
    "yaml",
    "utf",
    "tls",
    "api",
    "jobindsats",
    "chromium",
    "libreoffice",
    "sphinx",
    "jupyter",
    "ok",
    "disco",
    "bom",
    "nul",
    "http",
    "https",
    "www",
    "get",
    "post",
    "make",
}

PATH = re.compile(r"\S*[/\\]\S*|\S+\.(?:yml|yaml|csv|xlsx|json|html|pdf|ipynb|py|md|dk)\b")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
KEY_PATH = re.compile(r"\b\w+(?:\[\d+\])+(?:\.\w+(?:\[\d+\])*)*|\b\w+(?:\.\w+)+")
CONSTANT = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # JOBINDSATS_API_KEY
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|«[^»\n]*»")
WORD = re.compile(r"[A-Za-zÆØÅæøå]+(?:'[a-z]+)?")


def _model_keys() -> set[str]:
    """Every key a parameters file, datasource.yml or the run manifest may hold."""
    keys = {"title", "source", "sample", "ignore_unknown_areas", "modules", "reports", "kind", "notebook", "output"}
    seen: set[type] = set()

    def walk(annotation: object) -> None:
        for member in typing.get_args(annotation) or (annotation,):
            if isinstance(member, type) and issubclass(member, BaseModel) and member not in seen:
                seen.add(member)
                keys.update(member.model_fields)
                for field in member.model_fields.values():
                    walk(field.annotation)
            elif typing.get_args(member):
                walk(member)

    for value in vars(parameter_models).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            walk(value)
    return keys


def _command_words() -> set[str]:
    words = set()
    for path, _command in _commands():
        words.update(path)
    return words


def _commands(command: object = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    """Every command and subcommand as typed (``("new", "meeting")``), the app itself first."""
    command = command if command is not None else get_command(app)
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


ALLOWED = {w.lower() for w in _model_keys() | _command_words() | NAMES} | {
    # YAML values named in messages (meeting kinds, target forms, aggregations, directions, kinds of measure)
    "ordinary",
    "theme",
    "contract",
    "seminar",
    "extraordinary",
    "level",
    "change",
    "share",
    "direction",
    "average",
    "sum",
    "end_of_period",
    "ratio",
    "lower",
    "higher",
    "count",
    "true",
    "false",
    "decision",
    "orientation",
    # the tidy CSV's columns
    "measure",
    "area",
    "area_name",
    "period",
    "value",
}


def english_words(text: str) -> set[str]:
    """The English words in ``text`` once paths, options, key paths, quoted values and names are taken out."""
    for pattern in (QUOTED, PATH, OPTION, KEY_PATH, CONSTANT):
        text = pattern.sub(" ", text)
    found = {w.lower() for w in WORD.findall(text)}
    return {w for w in found if w in ENGLISH and w not in ALLOWED}


def test_the_detector_finds_english_and_leaves_the_allowed_alone() -> None:
    assert english_words("Error: the folder was not found; run it again") == {
        "error",
        "the",
        "folder",
        "was",
        "not",
        "found",
        "run",
        "it",
        "again",
    }
    assert english_words("Try 'councilbook status --help' for help.") == {"try", "help"}
    assert (
        english_words(
            "parameters/meetings/2013.yml, linje 4, kolonne 7: 4. møde (meetings[3].date): '2013-02-30' er ikke en "
            "gyldig dato; --as-of, `published: ÅÅÅÅ-MM-DD`, data/sample, book.pdf, kind: theme, status, HTML og PDF"
        )
        == set()
    )


@pytest.mark.parametrize("path", [p for p, _ in _commands()], ids=lambda p: " ".join(p) or "councilbook")
def test_help_of_every_command_is_danish(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Brug: councilbook {' '.join(path)}".rstrip() + " ")
    assert english_words(result.output) == set(), result.output


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the small test council to break."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plant(case: str, mini: Path) -> list[str]:
    """Break ``mini`` for ``case``; the arguments that meet the fault."""
    params = ["--params", str(mini / "parameters"), "--data", str(mini / "data")]
    if case == "broken YAML":
        _edit(mini / "parameters/evaluations/2021.yml", "title: ", "title: Evaluering: ")
    elif case == "tab in YAML":
        _edit(mini / "parameters/meetings/2021.yml", "    kind: ordinary", "\tkind: ordinary")
    elif case == "unknown key":
        _edit(mini / "parameters/meetings/2021.yml", "        recommendation:", "        reccomendation:")
    elif case == "bad figure":
        text = (mini / "data/figures.csv").read_text(encoding="utf-8")
        (mini / "data/figures.csv").write_text(text + "ledige,801,Nordby,2021M13,abc\n", encoding="utf-8")
    return ["validate", *params]


FAULTS = ["broken YAML", "tab in YAML", "unknown key", "bad figure"]

ERRORS: dict[str, list[str]] = {
    "bad date": ["status", *MINI_ARGS, "--meeting", "2021-02-30"],
    "bad --as-of": ["calendar", "--params", str(MINI / "parameters"), "--as-of", "i morgen"],
    "missing --meeting (minutes)": ["minutes", *MINI_ARGS],
    "missing --meeting (pack)": ["pack", *MINI_ARGS],
    "missing parameters folder": ["validate", "--params", "mappe-der-ikke-findes", "--data", str(MINI / "data")],
    "missing data": ["validate", "--params", str(MINI / "parameters"), "--data", "tal-der-ikke-findes"],
    "unknown meeting": ["status", *MINI_ARGS, "--meeting", "2021-06-17"],
    "unknown meeting (pack)": ["pack", *MINI_ARGS, "--meeting", "2021-06-17"],
    "bad option": ["status", "--bogus"],
    "option without its value": ["status", "--meeting"],
    "not a number": ["build", "--workers", "abc"],
    "required option missing": ["publish"],
    "argument missing": ["new", "contract"],
    "argument not a number": ["new", "contract", "tjuefjorten"],
    "extra argument": ["validate", "extra"],
    "unknown command": ["bild"],
    "unknown subcommand": ["new", "mødet"],
    "no command": [],
    "meeting kind": ["new", "meeting", "2021-12-01", "--kind", "ordinær", "--params", str(MINI / "parameters")],
    "the old --today": ["status", *MINI_ARGS, "--today", "2021-13-01"],
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_a_usage_or_input_error_is_danish(case: str) -> None:
    args = ERRORS[case]
    result = runner.invoke(app, ["--project", str(ROOT), *args] if args else args, env={"COLUMNS": "80"})
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    output = result.output + result.stderr
    assert "Traceback" not in output and output.strip()
    assert english_words(output) == set(), output


@pytest.mark.parametrize("case", FAULTS)
def test_an_error_in_the_files_is_danish(case: str, broken: Path) -> None:
    result = runner.invoke(app, ["--project", str(ROOT), *_plant(case, broken)])
    assert result.exit_code == 2, result.output
    assert re.search(r"(linje \d+|række \d+)", result.stderr), result.stderr
    assert english_words(result.output + result.stderr) == set(), result.stderr


def test_a_folder_that_is_no_project_is_danish(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--project", str(tmp_path), "status", *MINI_ARGS])
    assert result.exit_code == 1
    assert "er ikke en projektmappe til councilbook" in result.stderr
    assert english_words(result.stderr) == set(), result.stderr


def test_what_a_successful_command_says_is_danish(tmp_path: Path) -> None:
    """validate, new and calendar as they answer when all is well (status: see test_cli)."""
    params = tmp_path / "parameters"
    shutil.copytree(MINI / "parameters", params)
    outputs = []
    for args in (
        ["validate", "--params", str(params), "--data", str(MINI / "data")],
        ["new", "contract", "2022", "--params", str(params)],
        ["new", "meeting", "2022-03-16", "--params", str(params)],
        ["calendar", "--params", str(params), "--as-of", "2021-05-01"],
    ):
        result = runner.invoke(app, ["--project", str(ROOT), *args])
        assert result.exit_code == 0, result.output + result.stderr
        outputs.append(result.output + result.stderr)
    assert english_words("\n".join(outputs)) == set(), "\n".join(outputs)
