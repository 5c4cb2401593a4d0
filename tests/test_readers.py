"""Data readers as plug-ins: a reader is one module defining ``READER``; a file is read by the one
reader that claims it, and a file no reader claims, or two claim, is a problem naming the file and
the readers (exit 2, nothing run)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.data import readers
from councilbook.data.ingest import load_dataset
from councilbook.data.readers import claiming, load_readers, register
from councilbook.data.reading import Reader
from councilbook.parameters.load import load_parameters

runner = CliRunner()

# A whole reader, as a project would write it: one module, nothing else to change.
JSON_LINES = '''"""Figures as JSON lines after a first line `councilbook-json`."""

import json
from pathlib import Path

from councilbook.core.errors import display_path
from councilbook.data.reading import Figure, ReadContext, Reader

MARK = b"councilbook-json"


def sniff(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MARK)) == MARK


def read(path: Path, context: ReadContext) -> list[Figure]:
    shown = display_path(path)
    figures = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        row = json.loads(line)
        where = f"linje {number}"
        area = context.area(row["area"], shown, where)
        if area is not None:
            figures.append(Figure(row["measure"], area, row["period"], row["value"], shown, where))
    return figures


READER = Reader(name="json_lines", label="JSON-linjer (.json)", suffixes=(".json",), read=read, sniff=sniff)
'''

PLUGINS = ("json_lines",)


@contextmanager
def registry_kept() -> Iterator[None]:
    """The readers as they were before: a reader registered inside is gone after it."""
    saved = dict(load_readers())
    try:
        yield
    finally:
        readers._registry.clear()
        readers._registry.update(saved)
        for name in PLUGINS:
            sys.modules.pop(name, None)


@pytest.fixture
def registry() -> Iterator[None]:
    """The readers as they were before the test, after it."""
    with registry_kept():
        yield


@pytest.fixture
def json_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: None) -> Reader:
    """The JSON-lines reader, written as a module of its own and registered by its name."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "json_lines.py").write_text(JSON_LINES, encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugins))
    return load_readers(["json_lines"])["json_lines"]


def validate(project: Path) -> tuple[int, list[str]]:
    """`councilbook validate` on a copy of the test council: its exit code and the problems listed."""
    result = runner.invoke(app, ["validate", "--params", str(project / "parameters"), "--data", str(project / "data")])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, [line.strip() for line in result.stderr.splitlines()[1:-1]]


def move_to_json(project: Path, measure: str) -> int:
    """Move a measure's rows from the council's tidy CSV to a JSON-lines file; how many were moved."""
    tidy = project / "data" / "figures.csv"
    with tidy.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    kept = [row for row in rows if row["measure"] != measure]
    moved = [row for row in rows if row["measure"] == measure]
    with tidy.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    lines = ["councilbook-json"] + [
        json.dumps({"measure": r["measure"], "area": r["area"], "period": r["period"], "value": float(r["value"])})
        for r in moved
    ]
    (project / "data" / "befolkning.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(moved)


def test_the_built_in_readers_each_claim_their_files(registry: None) -> None:
    assert {"excel_export", "tidy_csv", "export_csv"} <= set(load_readers())
    assert [r.name for r in claiming(ROOT / "data/sample/jobindsats_sample.xlsx")] == ["excel_export"]
    tidy = sorted((ROOT / "data/sample-tidy").glob("*.csv"))
    assert tidy and all([r.name for r in claiming(path)] == ["tidy_csv"] for path in tidy)
    assert [r.name for r in claiming(ROOT / "tests/fixtures/mini/data/datasource.yml")] == []


def test_a_new_reader_is_one_module(mini: Path, json_reader: Reader) -> None:
    """A file of the new format is read into the dataset beside the built-in formats: the same figures
    from a JSON-lines file as from the tidy CSV they were moved out of."""
    params = load_parameters(mini / "parameters")
    before = load_dataset(mini / "data", params)
    moved = move_to_json(mini, "rv_befolkning")
    assert moved == 16
    assert [r.name for r in claiming(mini / "data/befolkning.json")] == ["json_lines"]
    after = load_dataset(mini / "data", params)
    assert after.snapshot == before.snapshot
    assert {f.path.name: f.rows for f in after.files}["befolkning.json"] == moved
    assert validate(mini) == (0, [])


def test_a_file_no_reader_claims_is_named(mini: Path, json_reader: Reader) -> None:
    (mini / "data" / "other.json").write_text('{"measure": "ledige"}\n', encoding="utf-8")
    code, problems = validate(mini)
    assert code == 2
    assert problems == [
        f"{mini / 'data' / 'other.json'}: ingen datalæser genkender filens format (councilbook læser "
        "jobindsats.dk's CSV-eksport (.csv, semikolonsepareret), jobindsats.dk's Excel-eksport (.xlsx), "
        "JSON-linjer (.json) og tidy CSV (measure,area,period,value)); gem den i et af dem, eller flyt den ud af "
        "datamappen"
    ]


def test_a_file_two_readers_claim_is_named(mini: Path, registry: None) -> None:
    def sniff(path: Path) -> bool:
        return path.read_text(encoding="utf-8").startswith("measure,")

    register(Reader("tidy_too", "tidy CSV igen", (".csv",), lambda path, context: [], sniff))
    code, problems = validate(mini)
    assert code == 2
    assert problems == [
        f"{mini / 'data' / 'figures.csv'}: filen genkendes af flere datalæsere: tidy_csv (tidy CSV "
        "(measure,area,period,value)) og tidy_too (tidy CSV igen); kun én må genkende en fil: gør den enes "
        "genkendelse snævrere, eller flyt filen ud af datamappen"
    ]


def test_a_project_csv_reader_goes_before_the_export_fallback(tmp_path: Path, registry: None) -> None:
    """Every CSV file that is not tidy CSV is read as a jobindsats export, unless another reader claims it."""
    path = tmp_path / "own.csv"
    path.write_text("# own format\n", encoding="utf-8")
    assert [r.name for r in claiming(path)] == ["export_csv"]
    own = Reader("own_csv", "egen CSV", (".csv",), lambda p, c: [], sniff=lambda p: p.read_text().startswith("# own"))
    register(own)
    assert claiming(path) == [own]


def test_two_readers_may_not_share_a_name(registry: None) -> None:
    tidy = load_readers()["tidy_csv"]
    assert register(tidy) is tidy  # the same reader again: nothing happens
    with pytest.raises(ValueError, match="to datalæsere hedder 'tidy_csv'"):
        register(Reader("tidy_csv", "en anden", (".csv",), lambda path, context: []))


def test_a_registered_reader_is_gone_after_its_test() -> None:
    extra = Reader("extra", "ekstra", (".extra",), lambda path, context: [])
    with registry_kept():
        register(extra)
        assert ".extra" in readers.data_suffixes()
    assert "extra" not in load_readers()
    assert ".extra" not in readers.data_suffixes()
