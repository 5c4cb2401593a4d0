"""The command line in Danish: help pages, usage errors and the order of the commands.

typer (0.29) carries its own copy of click, whose texts ("Usage:", "Options:", "Show this message and
exit.", "Error: No such option", "Missing option", "Try ... for help", "[default: ...]") are written
into the code in English, not looked up through gettext. So the words are not translated one by one:
:class:`DanishCommand` and :class:`DanishGroup` write the whole help page themselves from the
commands' parameters (usage, text, arguments, options, commands), and :func:`run_in_danish` shows a
usage error as a Danish message. Nothing of typer's help formatting or error display is used.

The words (see also the glossary in :mod:`councilbook.core.errors`):

==========================  ==============================
Usage: / Options: / ...     Brug: / Tilvalg: / Argumenter: / Kommandoer:
[OPTIONS], COMMAND [ARGS]   [TILVALG], KOMMANDO [ARGUMENTER]...
Show this message and exit  Vis denne hjælp og afslut
[default: x], [required]    [standard: x], [skal angives]
Error: ...                  Fejl: ...
Try '... --help' for help   Skriv '... --help' for at få hjælp.
==========================  ==============================

A help text keeps its examples as written: a paragraph that begins with a line holding only ``\\b``
is not rewrapped (click's rule), so a command in it is never broken across lines.
"""

from __future__ import annotations

import inspect
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._click.formatting import HelpFormatter, join_options
from typer.core import TyperCommand, TyperGroup

# The commands in the order of the secretariat's work; a command not named here comes after them.
COMMAND_ORDER = (
    "validate", "new", "build", "status", "pack", "minutes", "press", "publish", "portal", "calendar", "tables",
    "fetch", "sample",
)  # fmt: skip
# A subgroup's commands in order (``new``: a meeting before a contract year; ``portal``: set up, fill, run).
SUBCOMMAND_ORDER = ("meeting", "contract", "init", "members", "serve", "purge", "demo")

HELP_OPTION_TEXT = "Vis denne hjælp og afslut."
OPTIONS_METAVAR = "[TILVALG]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."
# A value's placeholder by its Python type, where an option names none of its own.
TYPE_METAVARS = {"str": "TEKST", "int": "ANTAL", "float": "TAL", "Path": "STI", "bool": ""}


def _ordered(names: list[str], order: Sequence[str]) -> list[str]:
    rank = {name: number for number, name in enumerate(order)}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), names.index(name)))


def _metavar(param: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    name = getattr(annotation, "__name__", str(annotation))
    return TYPE_METAVARS.get(name, name.upper())


def _default_text(param: Any, ctx: Any) -> str:
    """The default as the help shows it ("" for none): a value, or the flag that is on."""
    if param.required or not getattr(param, "show_default", True):
        return ""
    default = param.get_default(ctx, call=False)
    if getattr(param, "is_flag", False):
        if getattr(param, "secondary_opts", None):
            return param.opts[0] if default else param.secondary_opts[0]
        return ""
    if default is None or default == "" or callable(default):
        return ""
    if isinstance(default, (list, tuple)):
        return ", ".join(str(d) for d in default)
    if isinstance(default, float) and default.is_integer():
        return str(int(default))  # 60, not 60.0
    return str(default)


def parameter_records(command: Any, ctx: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(arguments, options) as (name, help) rows, in Danish."""
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        extra = []
        default = _default_text(param, ctx)
        if default:
            extra.append(f"standard: {default}")
        if param.required:
            extra.append("skal angives")
        help_text = " ".join((param.help or "").split())
        if extra:
            help_text = f"{help_text}  [{'; '.join(extra)}]".strip()
        if param.param_type_name == "argument":
            arguments.append((_metavar(param), help_text))
            continue
        names = join_options(param.opts)[0]
        if getattr(param, "secondary_opts", None):
            names += " / " + join_options(param.secondary_opts)[0]
        elif not getattr(param, "is_flag", False):
            names += f" {_metavar(param)}"
        options.append((names, help_text))
    return arguments, options


class _Danish:
    """The Danish help page and usage line, and the help option's text (mixed into typer's classes)."""

    options_metavar: str | None = OPTIONS_METAVAR

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [OPTIONS_METAVAR]
        pieces += [_metavar(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]  # type: ignore[attr-defined]
        if isinstance(self, TyperGroup):
            pieces.append(SUBCOMMAND_METAVAR)
        return pieces

    def format_usage(self, ctx: Any, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Brug: ")

    def format_help(self, ctx: Any, formatter: HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        width = help_width()
        text = inspect.cleandoc(getattr(self, "help", None) or "").partition("\f")[0]
        if text:
            formatter.write("\n" + wrap_paragraphs(text, width, "  ") + "\n")
        arguments, options = parameter_records(self, ctx)
        for heading, rows in (("Argumenter", arguments), ("Tilvalg", options)):
            if rows:
                formatter.write(f"\n{heading}:\n" + definition_list(rows, width) + "\n")
        if isinstance(self, DanishGroup):
            self.format_commands(ctx, formatter)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = super().main  # type: ignore[misc]
        options = {"args": args, "prog_name": prog_name, "complete_var": complete_var, **extra}
        if not standalone_mode:
            return run(standalone_mode=False, windows_expand_args=windows_expand_args, **options)
        return run_in_danish(lambda: run(standalone_mode=False, windows_expand_args=windows_expand_args, **options))


class DanishCommand(_Danish, TyperCommand):
    """A command whose help and usage errors are in Danish."""


class DanishGroup(_Danish, TyperGroup):
    """A group of commands: Danish help, its commands in the order of the work (not alphabetical), each
    listed with its whole first line (never cut off with "...")."""

    def list_commands(self, ctx: Any) -> list[str]:
        order = COMMAND_ORDER if ctx.parent is None else SUBCOMMAND_ORDER
        return _ordered(list(self.commands), order)

    def format_commands(self, ctx: Any, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, summary(command)))
        if rows:
            formatter.write("\nKommandoer:\n" + definition_list(rows, help_width()) + "\n")


def help_width() -> int:
    """The width help is wrapped to: the terminal's (``COLUMNS`` where set), at most 80, less a margin of 2."""
    return max(min(shutil.get_terminal_size((80, 24)).columns, 80) - 2, 38)


def _wrapper(width: int, indent: str, first: str | None = None) -> textwrap.TextWrapper:
    """Lines wrapped at spaces only: never inside an option's name (``--as-of``) or a path."""
    return textwrap.TextWrapper(
        width=max(width, len(indent) + 20),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def wrap_paragraphs(text: str, width: int, indent: str) -> str:
    """Paragraphs (a blank line between) rewrapped to ``width``; a paragraph whose first line is ``\\b``
    kept line for line, as written (an example to copy)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out.append("\n".join(indent + line for line in lines[1:]))
        else:
            out.append(_wrapper(width, indent).fill(" ".join(paragraph.split())))
    return "\n\n".join(out)


def definition_list(rows: list[tuple[str, str]], width: int, indent: str = "  ", most: int = 30) -> str:
    """Names and their help, the help in a column (from the widest name up to ``most``), wrapped at spaces."""
    first_width = min(max(len(name) for name, _ in rows), most)
    column = indent + " " * (first_width + 2)
    lines = []
    for name, help_text in rows:
        head = f"{indent}{name}"
        if not help_text:
            lines.append(head)
        elif len(name) <= first_width:
            lines.append(_wrapper(width, column, head.ljust(len(column))).fill(help_text))
        else:
            lines += [head, _wrapper(width, column).fill(help_text)]
    return "\n".join(lines)


def summary(command: Any) -> str:
    """A command's line in the list of commands: its short help, else its help's first paragraph, whole."""
    if command.short_help:
        return " ".join(command.short_help.split())
    first = inspect.cleandoc(command.help or "").split("\n\n")[0]
    return " ".join(first.split())


# ---------------------------------------------------------------------------
# Usage errors
# ---------------------------------------------------------------------------


def run_in_danish(run: Callable[[], Any]) -> Any:
    """Run a command line (not standalone: errors come back as exceptions) and exit as click would, with
    every message in Danish: a usage error shows the usage line, where to get help and the error."""
    try:
        result = run()
    except click_errors.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help(), err=True)
        sys.exit(exc.exit_code)
    except click_errors.UsageError as exc:
        show_usage_error(exc)
        sys.exit(exc.exit_code)
    except click_errors.ClickException as exc:
        typer.echo(f"Fejl: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Afbrudt.", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


def show_usage_error(exc: click_errors.UsageError) -> None:
    lines = []
    if exc.ctx is not None:
        lines.append(exc.ctx.get_usage())
        if exc.ctx.command.get_help_option(exc.ctx) is not None:
            lines.append(f"Skriv '{exc.ctx.command_path} {exc.ctx.help_option_names[0]}' for at få hjælp.")
        lines.append("")
    lines.append(f"Fejl: {usage_message(exc)}")
    typer.echo("\n".join(lines), err=True)


def _hint(param: Any, ctx: Any) -> str:
    names = list(getattr(param, "opts", None) or []) if param.param_type_name == "option" else [_metavar(param)]
    return " / ".join(names)


def usage_message(exc: click_errors.UsageError) -> str:
    """What was wrong with the command line, in Danish."""
    if isinstance(exc, click_errors.NoSuchOption):
        message = f"tilvalget {exc.option_name} findes ikke"
        if exc.possibilities:
            message += f"; mente du {' eller '.join(sorted(exc.possibilities))}?"
        return message
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is None:
            return "der mangler en værdi"
        what = "tilvalget" if param.param_type_name == "option" else "argumentet"
        return f"{what} {_hint(param, exc.ctx)} mangler"
    if isinstance(exc, click_errors.BadParameter):
        hint = _hint(exc.param, exc.ctx) if exc.param is not None else ""
        return f"ugyldig værdi for {hint}: {_value_message(exc)}" if hint else f"ugyldig værdi: {_value_message(exc)}"
    message = exc.message
    if isinstance(exc, click_errors.BadOptionUsage):
        if "requires" in message:
            return f"tilvalget {exc.option_name} skal have en værdi"
        if "does not take a value" in message:
            return f"tilvalget {exc.option_name} tager ingen værdi"
    if found := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", message):
        return f"uventet ekstra argument: {found.group(1)}"
    if found := re.match(r"No such command '(.*?)'\.?(?: Did you mean (.*)\?)?$", message):
        close = f"; mente du {found.group(2).replace(', ', ' eller ')}?" if found.group(2) else ""
        return f"kommandoen '{found.group(1)}' findes ikke{close}"
    if message.startswith("Missing command"):
        return "der mangler en kommando"
    return message


def _value_message(exc: click_errors.BadParameter) -> str:
    """A value typer could not convert (its type is checked by pydantic), as the parameter files say it."""
    from pydantic import ValidationError

    from councilbook.parameters.messages import describe_error

    cause = exc.__cause__
    if isinstance(cause, ValidationError) and cause.errors():
        return describe_error(cause.errors()[0])
    value = re.match(r"Value (.*) is not a valid", exc.message)
    return f"{value.group(1)} kan ikke bruges her" if value else exc.message
