"""A report's table in the terminal (``councilbook status``), as the HTML shows it: with rich, one line per row
when the terminal is wide enough; else in blocks, a row's first cell above its other cells, wrapped at spaces;
else, on a very narrow terminal, one card per row. The cells are the HTML's (:class:`councilbook.text.present.Table`),
shown as text, never as rich markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text as RichText

if TYPE_CHECKING:
    from councilbook.text import present


def _plain(cell: str) -> str:
    return cell.replace("\u2060", "")  # word joiners are for HTML


def terminal_table(table: present.Table) -> RichTable:
    """A report's table for the terminal: the same columns and cells as the HTML. Cells are text, never
    rich markup (a goal's title "[bold]…" shows as typed)."""
    rich_table = RichTable(show_lines=False)
    for index, column in enumerate(table.columns):
        rich_table.add_column(RichText(column), justify="right" if index in table.numeric else "left", no_wrap=True)
    for row in table.rows:
        rich_table.add_row(*(RichText(_plain(cell)) for cell in row))
    return rich_table


def table_width(table: present.Table) -> int:
    """The width the table needs on one line per row (cell padding and borders included)."""
    widths = [
        max(len(_plain(c)) for c in [column, *(row[i] for row in table.rows)]) for i, column in enumerate(table.columns)
    ]
    return sum(widths) + 3 * len(widths) + 1


GAP = 2  # spaces between the columns of a table in blocks


def _words(text: str) -> list[str]:
    """A cell's words: broken only at ordinary spaces (a figure and its unit, joined by a no-break space, stay
    together)."""
    return [word for word in _plain(text).split(" ") if word]


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in _words(text):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def block_widths(table: present.Table, width: int) -> list[int] | None:
    """Widths of the columns after the first, for :func:`table_in_blocks` to fit ``width``: each column as wide
    as its widest cell, the widest narrowed first (its cells wrapped at spaces), never below its longest word;
    None if they cannot fit."""
    columns = range(1, len(table.columns))
    cells = {i: [table.columns[i], *(row[i] for row in table.rows)] for i in columns}
    natural = [max(len(_plain(c)) for c in cells[i]) for i in columns]
    least = [max(len(w) for c in cells[i] for w in _words(c) or [""]) for i in columns]
    widths = list(natural)
    room = width - GAP * (len(widths) - 1)
    while sum(widths) > room:
        slack = [w - m for w, m in zip(widths, least, strict=True)]
        if max(slack, default=0) <= 0:
            return None
        widest = max((i for i in range(len(widths)) if slack[i] > 0), key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def table_in_blocks(table: present.Table, width: int) -> list[str] | None:
    """A table too wide for one line per row, for a terminal ``width`` wide: the headers of the columns after
    the first over a rule, then per row its first cell (a goal's title) on a line of its own and the other
    cells under their headers, wrapped at spaces. None if the columns cannot fit."""
    widths = block_widths(table, width)
    if widths is None:
        return None

    def lines_of(cells: list[str]) -> list[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths, strict=True)]
        out = []
        for number in range(max(len(w) for w in wrapped)):
            parts = []
            for lines, w in zip(wrapped, widths, strict=True):  # left-aligned: a wrapped cell reads down
                parts.append((lines[number] if number < len(lines) else "").ljust(w))
            out.append((" " * GAP).join(parts).rstrip())
        return out

    lines = lines_of(table.columns[1:])
    lines.append((" " * GAP).join("─" * w for w in widths))
    for row in table.rows:
        lines.append("")
        lines += _wrap(row[0], width)
        lines += lines_of(row[1:])
    return lines


def print_table(table: present.Table) -> None:
    """Print a table as the HTML shows it: as a table when the terminal is wide enough for a row a line (80
    columns when it is not a terminal); else in blocks, a row's first cell above its other cells; else, on a
    very narrow terminal, as one card per row (label: value), as on a phone. Then its notes."""
    console = Console(highlight=False, soft_wrap=False)
    blocks = table_in_blocks(table, console.width) if table_width(table) > console.width else None
    if table_width(table) <= console.width:
        console.print(terminal_table(table))
    elif blocks is not None:
        for line in blocks:
            typer.echo(line)
        typer.echo("")
    else:
        label = max(len(c) for c in table.columns[1:])
        for row in table.rows:
            typer.echo("")
            typer.echo(_plain(row[0]))
            for column, cell in zip(table.columns[1:], row[1:], strict=True):
                typer.echo(f"  {column:<{label}}  {_plain(cell)}")
        typer.echo("")
    for note in table.notes:
        typer.echo(note)
