"""What a build returns (kept apart from the orchestrator, so a build that finds nothing changed answers without
importing what building takes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from councilbook.assembly.execute import RunResult


@dataclass(frozen=True)
class BuildResult:
    runs: list[RunResult]
    html: Path
    pdf: Path | None
    unchanged: bool = False  # the published book was already built from the same sources
    notes: tuple[str, ...] = ()  # what the user should know: pages held back, and why
