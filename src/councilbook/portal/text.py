"""Text as people type it into the portal's forms."""

from __future__ import annotations

import re


def clean_text(text: str) -> str:
    """Text as typed: line breaks kept (as \\n), other control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text).strip()
