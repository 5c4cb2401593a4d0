"""The council the portal serves: its parameters, read again when a file in them changes."""

from __future__ import annotations

from pathlib import Path
from threading import Lock

from django.conf import settings

from councilbook.parameters.load import load_parameters
from councilbook.parameters.model import Parameters

_lock = Lock()
_cached: tuple[tuple[tuple[str, float], ...], Parameters] | None = None


def _stamp(root: Path) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime) for p in root.rglob("*.yml")))


def council_parameters() -> Parameters:
    """The council's parameters (``COUNCILBOOK_PARAMS``), loaded once per change of its files."""
    global _cached
    root = Path(settings.PARAMS_DIR)
    stamp = _stamp(root)
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, load_parameters(root))
        return _cached[1]
