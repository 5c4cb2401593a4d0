"""The theme's own words in Danish, and the footer.

Sphinx translates its templates' strings (and those of the pydata theme, which adds them to Sphinx's
catalog) with gettext; Sphinx's Danish catalog lacks many of them ("Back to top", "Skip to main content",
"On this page" …). :func:`write_catalog` writes a catalog of :data:`THEME_DA` that the book's config names
first in ``locale_dirs``, so its words win and Sphinx's own Danish serves the rest. Strings the templates
hard-code in English are replaced by templates in ``book/_templates``; the search page's messages are set in
``book/_static/councilbook.js``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from councilbook.core.formats import format_date

LANGUAGE = "da"

# msgid (as the templates write it) -> Danish
THEME_DA: dict[str, str] = {
    "Skip to main content": "Gå til sidens indhold",
    "Version warning": "Advarsel om versionen",
    "Back to top": "Til toppen",
    "Site navigation": "Bogens indhold",
    "Section Navigation": "Indhold i afsnittet",
    "On this page": "På denne side",
    "Contents": "Indhold",
    "Table of Contents": "Indholdsfortegnelse",
    "Color mode": "Farver",
    "Light": "Lyse farver",
    "Dark": "Mørke farver",
    "System Settings": "Som systemet",
    "Link to this heading": "Link til denne overskrift",
    "Link to this table": "Link til denne tabel",
    "Link to this image": "Link til dette billede",
    "previous page": "forrige side",
    "next page": "næste side",
    "previous": "Forrige",
    "next": "Næste",
    "Breadcrumb": "Placering i bogen",
    "Home": "Forside",
    "Expand Sidebar": "Vis sidepanelet",
    "Collapse Sidebar": "Skjul sidepanelet",
    "Announcement": "Meddelelse",
    "Search": "Søg",
    "Error": "Fejl",
    "Please activate JavaScript to enable the search functionality.": "Slå JavaScript til for at søge i bogen.",
    "Index": "Stikord",
    "General Index": "Stikord",
}

SEARCH_BAR_TEXT = "Søg i bogen …"


def write_catalog(folder: Path, messages: dict[str, str] = THEME_DA) -> Path:
    """``folder/da/LC_MESSAGES/sphinx.mo`` with ``messages``; ``folder`` goes first in Sphinx's ``locale_dirs``.
    Written byte for byte the same each time (no dates in it), so the book's key stays the same."""
    fixed = datetime(2000, 1, 1, tzinfo=UTC)  # the header's dates, else the file changes with the clock
    catalog = Catalog(locale=LANGUAGE, project="councilbook", fuzzy=False, creation_date=fixed, revision_date=fixed)
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    path = folder / LANGUAGE / "LC_MESSAGES" / "sphinx.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_mo(out, catalog)
    return path


def footer_text(council_name: str, public_days: Iterable[date | None]) -> str:
    """``Udgivet af <council> · seneste rapport offentlig 11. december 2013``: who publishes the book and the day
    its newest report became public (from the parameters, so the same sources give the same pages)."""
    days = [day for day in public_days if day is not None]
    text = f"Udgivet af {council_name}"
    return f"{text} · seneste rapport offentlig {format_date(max(days))}" if days else text
