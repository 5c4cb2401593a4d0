"""Text as people type it into the portal's forms."""

from __future__ import annotations

from councilbook.parameters.types import CONTROL_CHARACTERS


def clean_text(text: str) -> str:
    """Text as typed: line breaks kept (as \\n), the control characters no parameters text may hold removed (the
    record the book reads is checked by the same rule)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()
