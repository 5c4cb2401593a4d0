"""The generic blocks of a report: a table of display strings, a chart, a text in Markdown, a part folded away,
the sample-data notice. Each shows itself in a notebook as the render layer (:mod:`councilbook.text.render`) makes
it HTML; a table's plain-text form is what a terminal shows."""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from councilbook.core.prose import safe_markdown
from councilbook.text import render

BLOCKS = "blocks.html.j2"  # the blocks' templates (councilbook/templates/)

if TYPE_CHECKING:  # matplotlib is imported where charts are drawn, not by every command
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Table:
    """A table of display strings, with an optional CSS class per cell."""

    columns: list[str]
    rows: list[list[str]]
    cell_classes: list[list[str]] | None = None
    caption: str = ""
    numeric: Sequence[int] = ()
    # On a phone, show each row as a card (label: value) instead of a table scrolled sideways.
    # For short tables a reader must see whole, such as the goals' status.
    stacked: bool = False
    # If given, the table is folded away on screen behind this line (printed in full).
    collapsed: str = ""
    # Notes printed under the table (what a marked cell means).
    notes: tuple[str, ...] = ()
    # Cells hold symbols (✔, ✖), not words: no minimum width for status cells, so many columns fit a page.
    compact: bool = False
    # The page each row's label links to (a job centre's own page, :func:`councilbook.core.links.jobcentre_page`);
    # "" for a row without one. Empty: no links.
    row_pages: Sequence[str] = ()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    def _repr_html_(self) -> str:
        return str(render.macros(BLOCKS).table(self))

    def __repr__(self) -> str:
        text = self.to_frame().to_string(index=False)
        return "\n".join([text, *self.notes])


# The screens that get a chart's narrow variant: phones and small tablets. Up to here the book's column is
# narrower than a wide chart by so much that its text would be drawn under 11 px (10,2 px at 700 px).
PHONE_MEDIA = "(max-width: 767px)"
# What makes a chart's SVG the same bytes from the same figure: matplotlib names the drawing's parts by a hash
# salted with this (else with a random number), and no date is written into it.
SVG_SALT = "councilbook"
_SVG_SIZE = re.compile(r'<svg(\s[^>]*?)width="[\d.]+pt" height="[\d.]+pt"')


@dataclass(frozen=True)
class ChartImage:
    """One drawing of a chart, saved once as SVG with its text as text (sharp at any pixel density, on screen
    and in print, and a tenth of the bytes of the pictures it replaced): its natural size in CSS pixels and its
    smallest text there (px). The text is set in DejaVu Sans, the font matplotlib lays it out with; a screen
    without it takes the next of matplotlib's sans-serif fonts (Verdana, Arial, Helvetica …)."""

    svg: bytes
    width_px: int
    height_px: int
    font_px: float

    @classmethod
    def from_figure(cls, figure: Figure) -> ChartImage:
        """The figure laid out once, at its own size in whole CSS pixels, and saved as it was laid out: a figure
        laid out at that size and unchanged since (matplotlib's ``stale``: a chart of :mod:`charts`) is saved
        with that layout, not laid out again."""
        import matplotlib

        from councilbook.text.charts import smallest_text_px, whole_pixels

        width, height = whole_pixels(figure)
        if figure.stale:
            figure.draw_without_rendering()  # the layout, at the figure's own size
        engine = figure.get_layout_engine()
        figure.set_layout_engine("none")  # kept as it is for the save
        buffer = io.BytesIO()
        try:
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": SVG_SALT}):
                figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            figure.set_layout_engine(engine)
        # matplotlib sizes the drawing in points; its natural size is the CSS pixels the page gives it.
        svg = _SVG_SIZE.sub(f'<svg\\1width="{width}" height="{height}"', buffer.getvalue().decode("utf-8"), count=1)
        return cls(svg=svg.encode("utf-8"), width_px=width, height_px=height, font_px=smallest_text_px(figure))

    @property
    def font_label(self) -> str:
        """Its smallest text in px, rounded down (so a test reading it never overstates it): ``10.2``."""
        return f"{math.floor(self.font_px * 10) / 10:.1f}"

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


@dataclass(frozen=True)
class Chart:
    """A chart as embedded SVG drawings with Danish alt text, so it travels with the page: drawn wide (desktop and
    print) and, given ``narrow``, drawn again for a phone's width (its text no smaller when the column is
    narrow), which screens up to :data:`PHONE_MEDIA` show. ``alt`` is true of both drawings."""

    wide: ChartImage
    alt: str
    narrow: ChartImage | None = None

    @classmethod
    def from_figure(cls, figure: Figure, alt: str, narrow: Figure | None = None) -> Chart:
        return cls(
            wide=ChartImage.from_figure(figure),
            alt=alt,
            narrow=ChartImage.from_figure(narrow) if narrow is not None else None,
        )

    @classmethod
    def drawn(cls, draw: Callable[..., Figure], *args: Any, alt: str) -> Chart:
        """The chart ``draw(*args, narrow=…)`` draws, wide and narrow."""
        return cls.from_figure(draw(*args, narrow=False), alt, narrow=draw(*args, narrow=True))

    def _repr_html_(self) -> str:
        return str(render.macros(BLOCKS).chart(self, PHONE_MEDIA))

    def __repr__(self) -> str:
        return f"[Figur: {self.alt}]"


@dataclass(frozen=True)
class Markdown:
    """A report's text, displayed in a notebook as Markdown that can hold no raw HTML, directive or role:
    whatever was put into ``text`` (a council's name, a case text …) is shown as text (:mod:`prose`).
    ``notice`` is HTML of councilbook's own (the sample-data notice), shown above the text."""

    text: str
    notice: str = ""

    def _repr_markdown_(self) -> str:
        return "\n\n".join(filter(None, [self.notice, safe_markdown(self.text)]))

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Details:
    """A part folded away on screen behind ``summary`` (printed unfolded: class ``cb-details``), of councilbook's
    own making: paragraphs and lists of plain text, every one escaped here, so nothing in them is markup."""

    summary: str
    blocks: tuple[str | tuple[str, ...], ...]  # a paragraph, or a list's items

    def _repr_html_(self) -> str:
        return str(render.macros(BLOCKS).details(self))

    def __repr__(self) -> str:
        lines = [self.summary]
        for block in self.blocks:
            lines += [block] if isinstance(block, str) else [f"- {item}" for item in block]
        return "\n".join(lines)


SAMPLE_NOTICE = (
    '<div class="admonition warning cb-sample"><p class="admonition-title">Eksempeldata</p>'
    "<p>Tallene i denne rapport er <strong>eksempeldata</strong>, dannet af en generator til "
    "afprøvning af værktøjet. De viser ikke de faktiske forhold.</p></div>"
)


def sample_notice(is_sample: bool) -> str:
    return SAMPLE_NOTICE if is_sample else ""
