"""The data readers, one registry, and the choice of reader for a file.

Each module of this package that defines ``READER`` (a :class:`~councilbook.data.reading.Reader`)
is a reader; nothing else lists them. A project may add its own with :func:`register` (or by naming
its module to :func:`load_readers`). A file is read by the one reader that claims it: a reader's
``recognises(path)`` is asked, and a ``fallback`` reader (the jobindsats CSV export) counts only when
no other claims the file. No reader, or two, is a problem naming the file and the formats.

The built-in readers:

* ``excel_export``: jobindsats.dk's Excel export (``.xlsx``), one table per sheet;
* ``tidy_csv``: the project's own tidy CSV (also what ``councilbook fetch`` writes from the v3 API);
* ``export_csv``: jobindsats.dk's CSV export, every other ``.csv`` file.

The labour-market balances (:mod:`councilbook.data.balance`) are not a reader of this kind: they are
assessments per occupation, not figures, are found in a folder of their own
(``arbejdsmarkedsbalancen/``) and are checked against each other (one file per edition), so they are
loaded beside the figures, not chosen per file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from pathlib import Path

from councilbook.core.errors import Problem, display_path, os_reason
from councilbook.core.formats import join_and
from councilbook.data.reading import Figure, ReadContext, Reader

_BUILTIN = "councilbook.data.readers"
_registry: dict[str, Reader] = {}
_builtin_loaded = False


def register(reader: Reader) -> Reader:
    """Add a reader (a reader module's ``READER`` is registered when the readers are loaded); another
    reader by the same name is an error."""
    existing = _registry.get(reader.name)
    if existing is not None and existing is not reader:
        raise ValueError(f"to datalæsere hedder {reader.name!r}")
    _registry[reader.name] = reader
    return reader


def load_readers(modules: Iterable[str] = ()) -> dict[str, Reader]:
    """The built-in readers and those of ``modules`` (module names, each defining ``READER``), by name."""
    global _builtin_loaded
    names = list(modules)
    if not _builtin_loaded:
        package = importlib.import_module(_BUILTIN)
        names = [f"{_BUILTIN}.{info.name}" for info in pkgutil.iter_modules(package.__path__)] + names
    for name in names:
        reader = getattr(importlib.import_module(name), "READER", None)
        if reader is not None:
            register(reader)
    _builtin_loaded = True
    return dict(_registry)


def data_suffixes() -> list[str]:
    """The file suffixes some reader reads (a data folder's listing takes these), sorted."""
    return sorted({suffix for reader in load_readers().values() for suffix in reader.suffixes})


def claiming(path: Path) -> list[Reader]:
    """The readers that claim a file: those that recognise it, or if none of them does, the fallback
    readers that do. May raise OSError (a reader may look at the file's head)."""
    found = [reader for reader in load_readers().values() if reader.recognises(path)]
    return [reader for reader in found if not reader.fallback] or found


def read_data_file(path: Path, context: ReadContext) -> list[Figure]:
    """A data file's figures, read by the one reader that claims it; every problem goes to the context."""
    shown = display_path(path)
    if path.is_dir():
        context.problems.append(
            Problem(shown, "", "det er en mappe, ikke en datafil; omdøb den, eller flyt den ud af datamappen")
        )
        return []
    try:
        readers = claiming(path)
        if len(readers) == 1:
            return readers[0].read(path, context)
        context.problems.append(Problem(shown, "", _not_one_reader(readers)))
        return []
    except OSError as exc:
        context.problems.append(Problem(shown, "", f"filen kan ikke læses: {os_reason(exc)}"))
        return []


def _not_one_reader(readers: list[Reader]) -> str:
    if readers:
        named = join_and([f"{reader.name} ({reader.label})" for reader in readers])
        return (
            f"filen genkendes af flere datalæsere: {named}; kun én må genkende en fil: gør den enes genkendelse "
            "snævrere, eller flyt filen ud af datamappen"
        )
    known = join_and(sorted((reader.label for reader in load_readers().values()), key=str.casefold))
    return (
        f"ingen datalæser genkender filens format (councilbook læser {known}); "
        "gem den i et af dem, eller flyt den ud af datamappen"
    )
