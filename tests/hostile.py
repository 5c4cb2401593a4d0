"""Hostile texts planted in every free text of a council's parameters, and a search for anything live.

Each text field gets a payload naming its field: raw HTML (script, event handlers, iframe, svg, a
remote image), a javascript: link, a MyST role that copies a build-machine file, and, in the fields
that may hold several lines, ``{raw}``, ``{eval-rst}`` and ``{include}`` blocks. Names and titles get a
one-line payload that begins with "=" (a formula, were it a spreadsheet cell). ``live_findings`` then
parses every HTML file and lists whatever of it came alive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

# Where a remote image or frame would point: a local trap server's port is put in at planting.
TRAP = "http://127.0.0.1:{port}"
BUILD_MACHINE_TEXT = "PRETTY_NAME"  # a line of /etc/os-release, which an include would copy


def line_payload(field: str, port: int) -> str:
    trap = TRAP.format(port=port)
    return (
        f'=HYPERLINK("{trap}/f","{field}")&cmd|\' /C calc\'!A0 HOSTILE-{field} '
        f"<script>alert('{field}')</script><img src=\"{trap}/{field}.png\" onerror=\"alert('{field}')\">"
        f'<svg onload="alert(\'{field}\')"></svg><iframe src="{trap}/{field}"></iframe>'
        f"<b onmouseover=\"alert('{field}')\">b</b> [lenke](javascript:alert('{field}')) "
        f"![billede]({trap}/{field}-md.png) {{download}}`/etc/os-release` $x$ [bold]rich[/bold]"
    )


def block_payload(field: str, port: int) -> str:
    return (
        line_payload(field, port).removeprefix("=") + "\n\n```{raw} html\n<script>alert('raw')</script>\n```\n\n"
        "```{eval-rst}\n.. raw:: html\n\n   <script>alert('rst')</script>\n```\n\n"
        "```{include} /etc/os-release\n```\n\n"
        ":::{include} /etc/os-release\n:::\n\n"
        "<div onclick=\"alert('div')\">\n\n*kursiv* **fed** [et link](https://example.org/side)\n\n</div>\n"
    )


LINE_FIELDS = {
    "council.yml": ["name", "short_name", "region", "job_centres[].name", "job_centres[].cluster"],
    "measures.yml": ["measures[].label", "measures[].unit", "measures[].noun"],
    "contracts": ["title", "goals[].title", "goals[].subject"],
    "meetings": ["meetings[].title", "meetings[].theme", "meetings[].place", "meetings[].agenda[].title"],
    "evaluations": ["title"],
    "analyses": ["title", "themes[].title"],
}
BLOCK_FIELDS = {
    "council.yml": ["mission", "vision", "roles[]"],
    "contracts": ["goals[].why", "goals[].actions[]"],
    "meetings": [
        "meetings[].agenda[].case_text",
        "meetings[].agenda[].recommendation",
        "meetings[].agenda[].decision",
        "meetings[].agenda[].follow_up",
    ],
    "evaluations": ["conclusions[]"],
    "analyses": ["themes[].text", "conclusions[]"],
    "bottlenecks": ["comment"],
}


def _plant(node: Any, path: list[str], make: Any, name: str) -> int:
    """Replace the text at ``path`` (``key``, ``key[]``) under ``node``; returns how many were planted."""
    if not path:
        return 0
    key, rest = path[0], path[1:]
    many = key.endswith("[]")
    key = key.removesuffix("[]")
    if not isinstance(node, dict) or key not in node or node[key] is None:
        return 0
    if many:
        items = node[key]
        if not rest:
            node[key] = [make(f"{name}{i}") for i, _ in enumerate(items)]
            return len(items)
        return sum(_plant(item, rest, make, f"{name}{i}.") for i, item in enumerate(items))
    if rest:
        return _plant(node[key], rest, make, f"{name}.")
    node[key] = make(name)
    return 1


def _fill_optional_texts(group: str, data: Any) -> None:
    """Give every optional text a value first, so that each field carries a payload."""
    if group == "contracts":
        for goal in data.get("goals") or []:
            goal.setdefault("subject", "x")
    elif group == "meetings":
        for meeting in data.get("meetings") or []:
            meeting.setdefault("theme", "x")
            meeting.setdefault("place", "x")
            for item in meeting.get("agenda") or []:
                item.setdefault("case_text", "x")
                item.setdefault("follow_up", "x")
                if item.get("type") == "decision":
                    item.setdefault("recommendation", "x")
    elif group == "evaluations":
        data.setdefault("conclusions", ["x"])
    elif group == "analyses":
        data.setdefault("title", "x")
        data.setdefault("themes", [{"title": "x", "text": "x"}])
        data.setdefault("conclusions", ["x"])
    elif group == "bottlenecks":
        data.setdefault("comment", "x")


def plant_hostile_texts(params: Path, port: int) -> int:
    """Plant payloads in every free text of the parameters folder; returns how many texts got one."""
    planted = 0
    files = {
        "council.yml": [params / "council.yml"],
        "measures.yml": [params / "measures.yml"],
        "contracts": sorted((params / "contracts").glob("*.yml")),
        "meetings": sorted((params / "meetings").glob("*.yml")),
        "evaluations": sorted((params / "evaluations").glob("*.yml")),
        "analyses": sorted((params / "analyses").glob("*.yml")),
        "bottlenecks": sorted((params / "bottlenecks").glob("*.yml")),
    }
    for group, paths in files.items():
        for path in paths:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            _fill_optional_texts(group, data)
            for fields, payload in ((LINE_FIELDS, line_payload), (BLOCK_FIELDS, block_payload)):
                for field in fields.get(group, []):
                    tag = f"{path.stem}.{field}".replace("[]", "").replace(".", "-")

                    def make(name: str, payload: Any = payload, tag: str = tag) -> str:
                        return payload(f"{tag}{name.replace('.', '-')}", port)

                    planted += _plant(data, field.split("."), make, "")
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return planted


def live_findings(folder: Path) -> list[str]:
    """Everything in the HTML files under ``folder`` that a payload made live: elements that should not be
    there, event handlers, remote or javascript: addresses, inline scripts holding a payload, and any file
    holding a build-machine file's text."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        where = str(path.relative_to(folder))
        if BUILD_MACHINE_TEXT.encode() in path.read_bytes():
            found.append(f"{where}: holds text of /etc/os-release")
        if path.suffix != ".html":
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                shown = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.lower().startswith("on") and "alert" in shown:
                    found.append(f"{where}: <{element.name} {attribute}=…>")
                address = shown.strip().lower()
                if attribute in ("src", "href", "data", "action", "formaction", "srcset", "poster") and (
                    address.startswith("javascript:") or (attribute != "href" and "127.0.0.1" in address)
                ):
                    found.append(f"{where}: <{element.name} {attribute}={shown[:60]}>")
            if element.name in ("iframe", "object", "embed", "svg") and "alert" in str(element):
                found.append(f"{where}: <{element.name}>")
            if element.name == "script" and ("alert(" in (element.string or "") or "HOSTILE" in str(element)):
                found.append(f"{where}: <script> with a payload")
    return found
