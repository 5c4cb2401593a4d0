"""One error hierarchy: every exception class of the package derives from CouncilbookError, and the command line
maps them in one place (exit 2 wrong input, 1 a step that failed)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import typer

import councilbook
from councilbook.cli import user_errors
from councilbook.core.errors import (
    CouncilbookError,
    InputError,
    InputProblem,
    Problem,
    StepFailed,
    UnknownMeeting,
)


def _package_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(councilbook.__path__, "councilbook."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                found.append(value)
    return found


def test_every_exception_of_the_package_is_a_councilbook_error() -> None:
    exceptions = _package_exceptions()
    assert len(exceptions) >= 15  # the walk found the package's errors
    strays = [f"{e.__module__}.{e.__name__}" for e in exceptions if not issubclass(e, CouncilbookError)]
    assert strays == []
    wrong_code = [e.__name__ for e in exceptions if e.exit_code not in (1, 2)]  # type: ignore[attr-defined]
    assert wrong_code == []


@pytest.mark.parametrize(
    ("error", "code", "lines"),
    [
        (
            InputError([Problem("council.yml", "name", "mangler")]),
            2,
            [
                "1 problem at rette; intet er kørt:",
                "  council.yml: name: mangler",
                "Ret hvert problem, der hvor det står, og kør så kommandoen igen.",
            ],
        ),
        (UnknownMeeting("Der er intet møde 1. maj 2013"), 2, ["Der er intet møde 1. maj 2013"]),
        (StepFailed("jobindsats.dk svarede ikke"), 1, ["Handlingen fejlede: jobindsats.dk svarede ikke"]),
        (InputProblem("forkert tabel"), 2, ["Handlingen fejlede: forkert tabel"]),
    ],
)
def test_the_cli_maps_an_error_to_its_lines_and_exit_code(
    error: CouncilbookError, code: int, lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(typer.Exit) as stopped, user_errors("Handlingen fejlede"):
        raise error
    assert stopped.value.exit_code == code
    assert capsys.readouterr().err.splitlines() == lines


def test_an_unknown_meeting_is_wrong_input_not_a_key_error_elsewhere() -> None:
    import datetime as dt

    from councilbook.core.paths import PARAMETERS
    from councilbook.parameters.load import load_parameters

    params = load_parameters(PARAMETERS)
    with pytest.raises(UnknownMeeting) as raised:
        params.meeting_on(dt.date(2013, 5, 1))
    assert raised.value.exit_code == 2
    assert "1. maj 2013" in str(raised.value)


def test_an_error_that_is_not_councilbooks_is_not_hidden() -> None:
    with pytest.raises(ZeroDivisionError), user_errors("Handlingen fejlede"):
        raise ZeroDivisionError
