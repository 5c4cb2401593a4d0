"""Danish alphabetical order: æ, ø and å after z (aa as å, as Danish dictionaries sort it), case and accents
aside, so a list of job centres reads as a Danish reader expects (Aabenraa last, Ærø before Ørsted)."""

from __future__ import annotations

import unicodedata

_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}  # the three characters after z


def danish_order(text: str) -> tuple[str, str]:
    """A sort key: Danish letter order first, the text itself to break ties the same way every time."""
    folded = text.casefold().replace("aa", "å")
    letters = []
    for char in folded:
        if char in _AFTER_Z:
            letters.append(_AFTER_Z[char])
            continue
        base = unicodedata.normalize("NFD", char)[0]  # é -> e
        letters.append(base)
    return "".join(letters), text
