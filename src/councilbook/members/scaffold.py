"""New parameter entries from the command line: a meeting, a contract year.

``councilbook new meeting DATE --kind KIND`` adds a commented meeting to
``meetings/<year>.yml`` (the file is made when it is the year's first);
``councilbook new contract YEAR`` writes ``contracts/<year>.yml`` from last
year's contract as a draft: the same goals with their baselines (and level
targets' months) moved a year on and the signing date a year on, to be checked,
and no publication date, so the draft stays out of the public book until the
secretariat adds it. The parameters are
validated after writing; a file that would not validate is put back as it was and
the problems are reported, so nothing half-made is left behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.formats import format_date
from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA
from councilbook.parameters.model import Contract, Parameters
from councilbook.project.load import check_parameters

MEETINGS_HEADER = """\
# Council meetings in {year}. kind: ordinary, theme, contract, seminar or extraordinary.
# agenda items: type decision (needs a recommendation) or orientation;
# confidential: true keeps the case text and recommendation out of the public book.
year: {year}
meetings:
"""

MEETING_STUB = """\
  - date: {date}
    kind: {kind}
    title: {title}
    {theme}
    # place: Mødested
    # start: "15:00"             (and end: "17:00")
    # absent: [Navn]             (members who sent apologies, as named in council.yml)
    # alternates: [Navn]         (alternates who come instead)
    agenda:
{agenda}    # minutes_sent: YYYY-MM-DD   (the day the decision minutes were sent to the members)
    # press_release: true        (when the chair sent a press release)
"""

# The meeting's own item between the template's standard items.
STATUS_ITEM = {
    "title": "Status på kontraktens mål",
    "type": "orientation",
    "case_text": "Sekretariatet gennemgår status på målene i kontrakten.",
}

THEME_COMMENT = "# theme: Emnet for temadrøftelsen   (a theme meeting needs one)"

CONTRACT_HEADER = """\
# Result contract {year} with the Minister for Employment: a DRAFT.
# Started from contracts/{previous}.yml by `councilbook new contract {year}`: the same goals, with
# baselines (and level targets' months) moved a year on. Check every goal's target, the signing date
# and the texts. The contract stays a draft, out of the public book, until you add the day its
# popular edition is published:
#   published: YYYY-MM-DD
# target.form: level (value at a month), change (% against the baseline),
# share (% for a ratio), direction (as much as possible, against the baseline).
# aggregation: average, sum, end_of_period or ratio (measure / denominator, in %).
"""


def _load(params_dir: Path) -> Parameters:
    params, problems = check_parameters(params_dir)
    if params is None or problems:
        raise InputError(problems)
    return params


def _write_validated(path: Path, text: str, params_dir: Path) -> Path:
    """Write ``text`` to ``path``, validate the parameters, and put the file back as it was if they fail."""
    before = path.read_text(encoding="utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _params, problems = check_parameters(params_dir)
    if problems:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        raise InputError(problems)
    return path


def _quoted(text: str) -> str:
    """Free text as a YAML scalar that stays text whatever it holds (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def new_meeting(params_dir: Path, day: dt.date, kind: str, title: str | None = None, theme: str | None = None) -> Path:
    """Add a meeting on ``day`` to ``meetings/<year>.yml``; returns the file."""
    params = _load(params_dir)
    if kind not in MEETING_KIND_LABELS_DA:
        raise InputError(
            [Problem("--kind", "", f"{kind!r} er ikke en mødetype (brug {', '.join(MEETING_KIND_LABELS_DA)})")]
        )
    path = params_dir / "meetings" / f"{day.year}.yml"
    if any(m.date == day for m in params.meetings):
        raise InputError([Problem(display_path(path), "", f"der er allerede et møde {format_date(day)}")])
    text = path.read_text(encoding="utf-8") if path.exists() else MEETINGS_HEADER.format(year=day.year)
    if not text.endswith("\n"):
        text += "\n"
    if re.search(r"^meetings:\s*\[\s*\]\s*$", text, flags=re.M):  # an empty list written inline
        text = re.sub(r"^meetings:\s*\[\s*\]\s*$", "meetings:", text, flags=re.M)
    entry = MEETING_STUB.format(
        date=day.isoformat(),
        kind=kind,
        title=_quoted(title or MEETING_KIND_LABELS_DA[kind]),
        agenda=agenda_yaml(params, kind),
        theme=f"theme: {_quoted(theme)}"
        if theme
        else "# theme: Emnet for temadrøftelsen   (a theme meeting needs one)",
    )
    return _write_validated(path, _insert_in_date_order(text, entry, day), params_dir)


def agenda_items(params: Parameters, kind: str) -> list[dict[str, Any]]:
    """A new meeting's agenda: the standard items of its kind's template (``agenda_templates`` in
    council.yml: the kind's own, else ``default``) around the status on the goals."""
    templates = params.council.agenda_templates
    template = templates.get(kind) or templates.get("default")  # type: ignore[call-overload]
    if template is None:
        return [STATUS_ITEM]
    as_data = [i.model_dump(mode="json", exclude_defaults=True) for i in template.before]
    after = [i.model_dump(mode="json", exclude_defaults=True) for i in template.after]
    return [*as_data, STATUS_ITEM, *after]


def agenda_yaml(params: Parameters, kind: str) -> str:
    body = yaml.safe_dump(agenda_items(params, kind), allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"      {line}\n" for line in body.splitlines())


def _insert_in_date_order(text: str, entry: str, day: dt.date) -> str:
    """The meetings file with ``entry`` before the first meeting after ``day`` (written as the stubs are,
    ``  - date: YYYY-MM-DD``), else at the end."""
    for match in re.finditer(r"^  - date: ['\"]?(\d{4}-\d{2}-\d{2})", text, flags=re.M):
        if match.group(1) > day.isoformat():
            return text[: match.start()] + entry + text[match.start() :]
    return text + entry


def _shift_period(code: str) -> str:
    """A period code a year on: ``2012`` → ``2013``, ``2012M12`` → ``2013M12``, ``2012Q4`` → ``2013Q4``."""
    return re.sub(r"^(\d{4})", lambda m: str(int(m.group(1)) + 1), code.strip())


def _shift_date(day: dt.date | None) -> str | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28).isoformat()


def contract_from(previous: Contract, year: int) -> dict[str, Any]:
    """Next year's contract as plain data: last year's goals, baselines and dates a year on."""
    goals = []
    for goal in previous.goals:
        data = goal.model_dump(mode="json", exclude_none=True)
        data["baseline"] = _shift_period(goal.baseline)
        if data["target"].get("form") == "level":
            data["target"]["month"] = _shift_period(data["target"]["month"])
        goals.append(data)
    contract: dict[str, Any] = {"year": year, "title": re.sub(r"\b\d{4}\b", str(year), previous.title)}
    if previous.signed:
        contract["signed"] = _shift_date(previous.signed)
    contract["goals"] = goals  # no published date: a draft until the secretariat publishes it
    return contract


def new_contract(params_dir: Path, year: int) -> Path:
    """Write ``contracts/<year>.yml`` from last year's contract; returns the file."""
    params = _load(params_dir)
    path = params_dir / "contracts" / f"{year}.yml"
    if path.exists():
        raise InputError([Problem(display_path(path), "", "kontrakten findes allerede")])
    previous = params.contracts.get(year - 1)
    if previous is None:
        raise InputError(
            [
                Problem(
                    display_path(params_dir / "contracts"),
                    "",
                    f"der er ingen kontrakt for {year - 1} at tage udgangspunkt i",
                )
            ]
        )
    body = yaml.safe_dump(contract_from(previous, year), allow_unicode=True, sort_keys=False, width=100)
    return _write_validated(path, CONTRACT_HEADER.format(year=year, previous=year - 1) + body, params_dir)
