"""Markers planted in every text the public may not see, and a search for them in what was published.

Non-public, whatever the build's date: a confidential agenda item's title, case text, recommendation
and follow-up; a decision whose minutes were never sent (published only once they are approved); a draft
contract's texts. A test plants a marker in each, builds the book at an as-of after everything (every
meeting held, every minute approved, every contract published, every evaluation held) and searches every
published file and the PDF's text.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

MARKER = "ZQXLEAK7731"


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def plant_markers(params: Path) -> list[str]:
    """Plant the marker in every non-public text of the parameters folder; returns where it was planted."""
    planted = []
    for path in sorted((params / "meetings").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for meeting in data.get("meetings") or []:
            for item in meeting.get("agenda") or []:
                if item.get("confidential"):
                    for key in ("title", "case_text", "recommendation", "follow_up"):
                        item[key] = f"Fortrolig {key} {MARKER}"
                    planted.append(f"{meeting['date']} confidential item")
                if not meeting.get("minutes_sent"):
                    item["decision"] = f"Beslutning uden udsendt referat {MARKER}"
                    planted.append(f"{meeting['date']} decision before its minutes")
        _dump(path, data)
    contracts = sorted((params / "contracts").glob("*.yml"))
    last = yaml.safe_load(contracts[-1].read_text(encoding="utf-8"))
    draft = {**last, "year": last["year"] + 1, "title": f"Udkast {MARKER}"}
    draft.pop("published", None)
    draft["goals"] = [
        {
            **g,
            "title": f"Udkastets mål {MARKER}",
            "why": f"Fordi {MARKER}",
            "baseline": _year_on(g["baseline"]),
            "target": {**g["target"], **({"month": _year_on(g["target"]["month"])} if "month" in g["target"] else {})},
        }
        for g in last["goals"]
    ]
    _dump(params / "contracts" / f"{draft['year']}.yml", draft)
    planted.append(f"draft contract {draft['year']}")
    return planted


def _year_on(code: str) -> str:
    return str(int(str(code)[:4]) + 1) + str(code)[4:]


def files_with_marker(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()
    )


def pdf_has_marker(pdf: Path) -> bool:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return MARKER in text
