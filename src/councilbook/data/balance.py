"""The labour-market balance (arbejdsmarkedsbalancen): job prospects and shortage per occupation and area.

The balance is published twice a year as an Excel export with three sheets:

* ``Om balancen``: ``Balance`` (its id, ``<year>-<1|2>``), ``Offentliggjort`` (the date it was published)
  and ``Kilde`` (the source notice), one key and value a row;
* ``Stillinger``: the occupations the file speaks of, ``Disco-kode`` and ``Stillingsbetegnelse``;
* ``Vurderinger``: one row per area and occupation, ``Område``, ``Disco-kode``, ``Jobmuligheder``
  (``Gode jobmuligheder``, ``Jobmuligheder`` or ``Begrænsede jobmuligheder``) and
  ``Mangel på arbejdskraft`` (``Ja`` or ``Nej``).

The reader is as strict as the jobindsats readers: every problem names the file, the sheet and the cell,
an occupation code that is not in the file's own list is an error naming it, an area must be one of the
council's municipalities or job centres (or an aggregate row: the region's own assessment), and no
assessment may be given twice. Exports are read from ``<data folder>/arbejdsmarkedsbalancen/*.xlsx``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from councilbook.core.errors import InputError, Problem, display_path
from councilbook.core.formats import join_and, join_or
from councilbook.data.areas import AreaIndex, is_aggregate, unknown_area_message
from councilbook.parameters.model import Council

BALANCE_FOLDER = "arbejdsmarkedsbalancen"
REGION = "region"  # the area key of the region's own assessment (an aggregate row)

PROSPECT_LABELS_DA = {
    "good": "Gode jobmuligheder",
    "fair": "Jobmuligheder",
    "limited": "Begrænsede jobmuligheder",
}
_PROSPECTS = {label.casefold(): key for key, label in PROSPECT_LABELS_DA.items()}
_PROSPECT_RANK = {"limited": 0, "fair": 1, "good": 2}

CHANGE_LABELS_DA = {
    "new": "Ny i balancen",
    "new_shortage": "Ny mangel",
    "shortage_ended": "Ikke længere mangel",
    "better": "Bedre jobmuligheder",
    "worse": "Dårligere jobmuligheder",
    "unchanged": "Uændret",
}

_ID = re.compile(r"^(\d{4})-([12])$")
_CODE = re.compile(r"^\d{4,6}$")
SHEETS = ("Om balancen", "Stillinger", "Vurderinger")
_OCCUPATION_COLUMNS = ("Disco-kode", "Stillingsbetegnelse")
_ASSESSMENT_COLUMNS = ("Område", "Disco-kode", "Jobmuligheder", "Mangel på arbejdskraft")


@dataclass(frozen=True)
class Balance:
    """One published balance: its id, publication date, source, occupations and assessments.

    ``assessments`` has one row per area and occupation: ``area`` (a municipality code, ``jc:<id>`` or
    :data:`REGION`), ``code``, ``occupation``, ``prospects`` (good, fair, limited) and ``shortage`` (bool).
    """

    id: str
    published: date
    source: str
    file: str
    occupations: dict[str, str]  # Disco code -> title
    assessments: pd.DataFrame

    @property
    def year(self) -> int:
        return int(self.id[:4])

    def for_area(self, area: str = REGION) -> pd.DataFrame:
        frame = self.assessments[self.assessments["area"] == area]
        return frame.sort_values(["occupation", "code"]).reset_index(drop=True)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rows(sheet: Any) -> list[tuple[int, list[Any]]]:
    return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]


def _header(
    rows: list[tuple[int, list[Any]]], wanted: tuple[str, ...], shown: str, title: str, problems: list[Problem]
) -> dict[str, int] | None:
    if not rows:
        problems.append(Problem(shown, title, "arket er tomt"))
        return None
    header = [_text(v) for v in rows[0][1]]
    missing = [name for name in wanted if name not in header]
    if missing:
        problems.append(
            Problem(
                shown,
                f"{title}!1",
                f"{'kolonnen' if len(missing) == 1 else 'kolonnerne'} {join_and([repr(m) for m in missing])} mangler "
                f"(arket har: {', '.join(repr(h) for h in header if h)})",
            )
        )
        return None
    return {name: header.index(name) for name in wanted}


def _cell(title: str, column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{title}!{get_column_letter(column + 1)}{row}"


def read_balance_export(path: Path, council: Council) -> Balance:
    """One balance export, validated; :class:`InputError` with every problem found."""
    from openpyxl import load_workbook

    shown = display_path(path)
    problems: list[Problem] = []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise InputError(
            [
                Problem(
                    shown,
                    "",
                    "filen kan ikke åbnes som Excel-projektmappe (den er beskadiget, eller den er ikke en .xlsx-fil); "
                    "åbn den i Excel, og gem den igen",
                )
            ]
        ) from None
    try:
        missing = [name for name in SHEETS if name not in workbook.sheetnames]
        if missing:
            raise InputError(
                [
                    Problem(
                        shown,
                        "",
                        f"{'arket' if len(missing) == 1 else 'arkene'} {join_and([repr(m) for m in missing])} "
                        f"mangler (filen har: {', '.join(repr(s) for s in workbook.sheetnames)})",
                    )
                ]
            )
        about = _rows(workbook["Om balancen"])
        occupation_rows = _rows(workbook["Stillinger"])
        assessment_rows = _rows(workbook["Vurderinger"])
    finally:
        workbook.close()

    # Om balancen
    facts: dict[str, tuple[Any, int]] = {}
    for number, row in about:
        key = _text(row[0] if row else None)
        if key:
            facts[key.casefold()] = (row[1] if len(row) > 1 else None, number)
    balance_id, published, source = "", None, ""
    for name in ("Balance", "Offentliggjort", "Kilde"):
        if name.casefold() not in facts:
            problems.append(Problem(shown, "Om balancen", f"rækken {name!r} mangler"))
    if "balance" in facts:
        value, number = facts["balance"]
        balance_id = _text(value)
        if not _ID.match(balance_id):
            problems.append(
                Problem(shown, f"Om balancen!B{number}", f"balancens id {balance_id!r} er hverken <år>-1 eller <år>-2")
            )
    if "offentliggjort" in facts:
        value, number = facts["offentliggjort"]
        if isinstance(value, datetime):
            published = value.date()
        elif isinstance(value, date):
            published = value
        else:
            try:
                published = date.fromisoformat(_text(value))
            except ValueError:
                problems.append(
                    Problem(shown, f"Om balancen!B{number}", f"{_text(value)!r} er ikke en dato (ÅÅÅÅ-MM-DD)")
                )
    if "kilde" in facts:
        source = _text(facts["kilde"][0])

    # Stillinger: the file's own list of occupations
    occupations: dict[str, str] = {}
    columns = _header(occupation_rows, _OCCUPATION_COLUMNS, shown, "Stillinger", problems)
    if columns is not None:
        for number, row in occupation_rows[1:]:
            if not any(_text(v) for v in row):
                continue
            code = _text(_get(row, columns["Disco-kode"]))
            title = _text(_get(row, columns["Stillingsbetegnelse"]))
            if not _CODE.match(code):
                problems.append(
                    Problem(
                        shown, _cell("Stillinger", columns["Disco-kode"], number), f"{code!r} er ikke en Disco-kode"
                    )
                )
            elif code in occupations:
                problems.append(
                    Problem(
                        shown,
                        _cell("Stillinger", columns["Disco-kode"], number),
                        f"stillingen {code} står der to gange",
                    )
                )
            elif not title:
                problems.append(
                    Problem(
                        shown,
                        _cell("Stillinger", columns["Stillingsbetegnelse"], number),
                        f"stillingen {code} har ingen stillingsbetegnelse",
                    )
                )
            else:
                occupations[code] = title
        if not occupations and not problems:
            problems.append(Problem(shown, "Stillinger", "arket har ingen stillinger"))

    # Vurderinger
    index = AreaIndex.from_council(council)
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    columns = _header(assessment_rows, _ASSESSMENT_COLUMNS, shown, "Vurderinger", problems)
    if columns is not None:
        for number, row in assessment_rows[1:]:
            if not any(_text(v) for v in row):
                continue
            label = _text(_get(row, columns["Område"]))
            code = _text(_get(row, columns["Disco-kode"]))
            prospects = _text(_get(row, columns["Jobmuligheder"]))
            shortage = _text(_get(row, columns["Mangel på arbejdskraft"])).casefold()
            area = REGION if label and is_aggregate(label) else index.match(label) if label else None
            cells = {name: _cell("Vurderinger", column, number) for name, column in columns.items()}
            bad = False
            if area is None:
                problems.append(Problem(shown, cells["Område"], unknown_area_message(label, index)))
                bad = True
            if code not in occupations:
                problems.append(
                    Problem(
                        shown,
                        cells["Disco-kode"],
                        f"stillingskoden {code!r} står ikke i filens ark 'Stillinger'",
                    )
                )
                bad = True
            if prospects.casefold() not in _PROSPECTS:
                allowed = join_or([repr(v) for v in PROSPECT_LABELS_DA.values()])
                problems.append(Problem(shown, cells["Jobmuligheder"], f"{prospects!r} er ikke en af {allowed}"))
                bad = True
            if shortage not in ("ja", "nej"):
                problems.append(
                    Problem(shown, cells["Mangel på arbejdskraft"], f"{shortage!r} er hverken 'Ja' eller 'Nej'")
                )
                bad = True
            if bad:
                continue
            assert area is not None
            if (area, code) in seen:
                problems.append(
                    Problem(
                        shown,
                        f"Vurderinger, række {number}",
                        f"stillingen {code} i {label!r} er vurderet to gange (også i række {seen[(area, code)]})",
                    )
                )
                continue
            seen[(area, code)] = number
            records.append(
                {
                    "area": area,
                    "code": code,
                    "occupation": occupations[code],
                    "prospects": _PROSPECTS[prospects.casefold()],
                    "shortage": shortage == "ja",
                }
            )
        if not records and not problems:
            problems.append(Problem(shown, "Vurderinger", "arket har ingen vurderinger"))
    if problems:
        raise InputError(problems)
    assert published is not None
    frame = pd.DataFrame.from_records(records, columns=["area", "code", "occupation", "prospects", "shortage"])
    return Balance(balance_id, published, source, shown, occupations, frame)


def _get(row: list[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def load_balances(folder: Path, council: Council) -> dict[str, Balance]:
    """Every balance export in ``<folder>/arbejdsmarkedsbalancen`` by id, oldest first; an id in two files
    is an error naming both. A data folder without balances has none."""
    where = folder / BALANCE_FOLDER if folder.is_dir() else folder.parent / BALANCE_FOLDER
    if not where.is_dir():
        return {}
    problems: list[Problem] = []
    found: dict[str, Balance] = {}
    for path in sorted(where.iterdir()):
        if path.name.startswith((".", "~$")) or path.suffix.lower() != ".xlsx":
            continue
        try:
            balance = read_balance_export(path, council)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if balance.id in found:
            problems.append(
                Problem(balance.file, "Om balancen", f"balancen {balance.id} står også i {found[balance.id].file}")
            )
            continue
        found[balance.id] = balance
    if problems:
        raise InputError(problems)
    return dict(sorted(found.items()))


def balance_until(balances: dict[str, Balance], day: date) -> list[Balance]:
    """The balances published by ``day``, oldest first."""
    return [b for b in balances.values() if b.published <= day]


def shortage_occupations(balance: Balance, area: str = REGION) -> pd.DataFrame:
    frame = balance.for_area(area)
    return frame[frame["shortage"]].reset_index(drop=True)


def good_prospect_occupations(balance: Balance, area: str = REGION) -> pd.DataFrame:
    frame = balance.for_area(area)
    return frame[frame["prospects"] == "good"].reset_index(drop=True)


def compare_balances(new: Balance, old: Balance | None, area: str = REGION) -> pd.DataFrame:
    """Each occupation of ``new`` in ``area`` with its prospects and shortage then and now and the change:
    new (not assessed before), new_shortage, shortage_ended, better, worse or unchanged; the first that
    applies, in that order."""
    now = new.for_area(area)
    before = old.for_area(area).set_index("code") if old is not None else pd.DataFrame()
    rows = []
    for record in now.itertuples(index=False):
        if old is None or record.code not in before.index:
            previous_prospects, previous_shortage, change = None, None, "new"
        else:
            previous_prospects = str(before.loc[record.code, "prospects"])
            previous_shortage = bool(before.loc[record.code, "shortage"])
            if record.shortage and not previous_shortage:
                change = "new_shortage"
            elif previous_shortage and not record.shortage:
                change = "shortage_ended"
            elif _PROSPECT_RANK[record.prospects] > _PROSPECT_RANK[previous_prospects]:
                change = "better"
            elif _PROSPECT_RANK[record.prospects] < _PROSPECT_RANK[previous_prospects]:
                change = "worse"
            else:
                change = "unchanged"
        rows.append(
            {
                "code": record.code,
                "occupation": record.occupation,
                "prospects": record.prospects,
                "shortage": bool(record.shortage),
                "previous_prospects": previous_prospects,
                "previous_shortage": previous_shortage,
                "change": change,
            }
        )
    return pd.DataFrame.from_records(
        rows,
        columns=["code", "occupation", "prospects", "shortage", "previous_prospects", "previous_shortage", "change"],
    )


# ---------------------------------------------------------------------------
# Sample exports, for the bundled sample and the test councils
# ---------------------------------------------------------------------------

SAMPLE_OCCUPATIONS = {
    "222010": "Sygeplejerske",
    "234110": "Folkeskolelærer",
    "251210": "Softwareudvikler",
    "311210": "Bygningskonstruktør",
    "332210": "Salgskonsulent",
    "411010": "Kontorassistent",
    "512010": "Kok",
    "513110": "Tjener",
    "532010": "Social- og sundhedsassistent",
    "711210": "Murer",
    "712610": "VVS-installatør",
    "721210": "Svejser",
    "741110": "Elektriker",
    "833210": "Lastbilchauffør",
    "911210": "Rengøringsassistent",
    "932910": "Lagerarbejder",
}


def generate_balance_exports(council: Council, folder: Path, years: list[int], seed: int = 2013) -> list[Path]:
    """Two balances a year (``<year>-1`` published 1 March, ``<year>-2`` 1 September) for the region and
    each job centre, drifting from one balance to the next; the same seed gives the same files."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    target = folder / BALANCE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    areas = [("Region", None), *((jc.name, jc) for jc in council.job_centres)]
    levels = {(label, code): rng.choice([0, 1, 1, 2, 2]) for label, _ in areas for code in SAMPLE_OCCUPATIONS}
    short = {key: level == 2 and rng.random() < 0.5 for key, level in levels.items()}
    written = []
    for year in years:
        for half, month in ((1, 3), (2, 9)):
            for key in levels:
                if rng.random() < 0.15:
                    levels[key] = max(0, min(2, levels[key] + rng.choice([-1, 1])))
                # A shortage lasts from one balance to the next, and only where prospects are good.
                short[key] = levels[key] == 2 and (short[key] if rng.random() < 0.8 else not short[key])
            workbook = Workbook()
            about = workbook.active
            about.title = "Om balancen"
            about.append(["Balance", f"{year}-{half}"])
            about.append(["Offentliggjort", date(year, month, 1)])
            about.append(["Kilde", "Eksempeldata dannet af councilbook (ikke Arbejdsmarkedsbalancen)"])
            occupations = workbook.create_sheet("Stillinger")
            occupations.append(list(_OCCUPATION_COLUMNS))
            for code, title in SAMPLE_OCCUPATIONS.items():
                occupations.append([code, title])
            assessments = workbook.create_sheet("Vurderinger")
            assessments.append(list(_ASSESSMENT_COLUMNS))
            labels = {0: "limited", 1: "fair", 2: "good"}
            for label, _jc in areas:
                area_label = label if _jc is None or "jobcenter" in label.casefold() else f"Jobcenter {label}"
                for code in SAMPLE_OCCUPATIONS:
                    level = levels[(label, code)]
                    shortage = short[(label, code)]
                    assessments.append(
                        [area_label, code, PROSPECT_LABELS_DA[labels[level]], "Ja" if shortage else "Nej"]
                    )
            stamp = datetime(2000, 1, 1)  # the same bytes each time
            workbook.properties.created = stamp
            workbook.properties.modified = stamp
            workbook.properties.creator = "councilbook sample"
            path = target / f"balance_{year}_{half}.xlsx"
            workbook.save(path)
            written.append(path)
    return written
