"""Area labels in data files matched to the council's municipalities and job centres.

A label may be a municipality code (``101``, ``0101``, ``101 København``), a
municipality name with or without "Kommune" (``København``, ``Københavns
Kommune``), or a job centre's name with or without "Jobcenter" (``Jobcenter
Tårnby-Dragør``). Matching ignores case and extra spaces; æ, ø and å are kept
as they are. Aggregate rows (``Hele landet``, a region, ``I alt``) are
recognised so that readers can leave them out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from councilbook.core.formats import join_or
from councilbook.parameters.model import Council

AGGREGATE_PATTERNS = (
    r"^hele landet$",
    r"^i alt$",
    r"^total$",
    r"^alle( kommuner| jobcentre| områder)?$",
    r"^region\b",
    r"^landsdel\b",
    r"^rar\b",
    r"^beskæftigelsesregion\b",
    r"^uoplyst",
)
_AGGREGATE = re.compile("|".join(AGGREGATE_PATTERNS))
_LEADING_CODE = re.compile(r"^0*(\d{1,4})\b\s*[-–:]?\s*(.*)$")
_NOISE_WORDS = re.compile(r"\b(kommune|kommunes|jobcenter|jobcentret|jobcentre)\b")


def normalise_label(label: str) -> str:
    """Lower case, without 'Kommune'/'Jobcenter', single spaces; æøå kept."""
    text = _NOISE_WORDS.sub(" ", str(label).casefold())
    text = re.sub(r"\s+", " ", text).strip()
    # "Københavns Kommune" -> "københavns" -> also try without the genitive s (in match()).
    return text


def is_aggregate(label: str) -> bool:
    return bool(_AGGREGATE.search(re.sub(r"\s+", " ", str(label).casefold()).strip()))


_JOBCENTRE_WORD = re.compile(r"\bjobcent(er|ret|re)\b")


@dataclass(frozen=True)
class AreaIndex:
    """Labels the council knows, each pointing to an area key: a municipality code or ``jc:<id>``.

    A label that says "Jobcenter" is a job centre's before it is a municipality's: "Jobcenter Frederikshavn",
    serving Frederikshavn and Læsø, is the job centre as a whole, "Frederikshavn" the municipality.
    """

    by_code: dict[str, str]
    by_name: dict[str, str]  # municipality names
    display: dict[str, str]  # area key -> a readable name
    by_jobcentre: dict[str, str] = field(default_factory=dict)  # job centre names (without "Jobcenter")

    @classmethod
    def from_council(cls, council: Council) -> AreaIndex:
        by_code: dict[str, str] = {}
        by_name: dict[str, str] = {}
        by_jobcentre: dict[str, str] = {}
        display: dict[str, str] = {}
        for jc in council.job_centres:
            single = len(jc.codes) == 1
            by_jobcentre[normalise_label(jc.name)] = jc.codes[0] if single else jc.area_key
            display[jc.area_key] = jc.name
            for code, name in jc.municipalities.items():
                by_code[code] = code
                display[code] = f"{code} {name}" if name else code
                if name:
                    by_name[normalise_label(name)] = code
        return cls(by_code=by_code, by_name=by_name, display=display, by_jobcentre=by_jobcentre)

    def match(self, label: str) -> str | None:
        """The area key for a label, or None."""
        text = str(label).strip()
        if m := _LEADING_CODE.match(text):
            code, rest = m.group(1), m.group(2)
            if code in self.by_code:
                return self.by_code[code]
            if not rest:
                return None
            text = rest
        says_jobcentre = bool(_JOBCENTRE_WORD.search(text.casefold()))
        name = normalise_label(text)
        first, second = (self.by_jobcentre, self.by_name) if says_jobcentre else (self.by_name, self.by_jobcentre)
        for names in (first, second):
            if name in names:
                return names[name]
            if name.endswith("s") and name[:-1] in names:  # Københavns Kommune
                return names[name[:-1]]
        return None

    def suggestions(self, label: str, n: int = 3) -> list[str]:
        names = {**{k: v for k, v in self.by_jobcentre.items()}, **self.by_name}
        close = difflib.get_close_matches(normalise_label(label), list(names), n=n, cutoff=0.6)
        return [self.display.get(names[c], c) if names[c].startswith("jc:") else _title(c) for c in close]


def _title(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def unknown_area_message(label: str, index: AreaIndex) -> str:
    close = index.suggestions(label)
    hint = f"; mente du {join_or(close)}?" if close else ""
    return f"området {label!r} er hverken en af rådets kommuner eller et af dets jobcentre{hint}"
