"""Report kinds: the registry, the manifest's choice of kinds, and a kind a project adds in one module."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from councilbook.assembly.manifest import load_manifest
from councilbook.cli import app
from councilbook.core.errors import InputError
from councilbook.reports.registry import UnknownKind, get_kind, load_kinds

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "tests/fixtures/extra_kind"
runner = CliRunner()


def _manifest(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("contract.ipynb", "status.ipynb"):
        shutil.copyfile(ROOT / "pipelines" / name, folder / name)
    path = folder / "manifest.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_built_in_kinds() -> None:
    kinds = load_kinds()
    assert {"contract", "status", "evaluation"} <= set(kinds)
    assert [k.id for k in sorted(kinds.values(), key=lambda k: k.order)][:3] == ["contract", "status", "evaluation"]


def test_an_unknown_kind_is_an_error_naming_the_known_ones(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path / "pipelines",
        {
            "reports": [
                {"kind": "contract", "notebook": "contract.ipynb", "output": "c/{year}.ipynb"},
                {"kind": "budget", "notebook": "status.ipynb", "output": "b/{key}.ipynb"},
            ]
        },
    )
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    (problem,) = caught.value.problems
    assert problem.where == "reports[1].kind"
    assert problem.message.startswith(
        "ukendt rapporttype 'budget' (de kendte typer er: analysis, bottlenecks, contract, "
    )
    with pytest.raises(
        UnknownKind, match="de kendte typer er: analysis, bottlenecks, contract, evaluation, keyfigures"
    ):
        get_kind("budget")


def test_a_kind_module_that_cannot_be_imported_is_named(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path / "pipelines",
        {
            "modules": ["no_such_module"],
            "reports": [{"kind": "contract", "notebook": "contract.ipynb", "output": "c/{year}.ipynb"}],
        },
    )
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    (problem,) = caught.value.problems
    assert problem.where == "modules[0]" and problem.message.startswith("modulet 'no_such_module' findes ikke (læg ")


@pytest.mark.book
def test_a_project_adds_a_kind_in_one_module(project_copy: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's "Adding a report": one module, its notebook and a manifest entry; then it is built,
    embargoed, in the book's contents and on the front page."""
    shutil.copyfile(EXTRA / "meeting_plan.py", project_copy / "meeting_plan.py")
    shutil.copyfile(EXTRA / "meeting_plan.ipynb", project_copy / "pipelines/meeting_plan.ipynb")
    manifest = project_copy / "pipelines/manifest.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["modules"] = ["meeting_plan"]
    data["reports"].append({"kind": "meeting_plan", "notebook": "meeting_plan.ipynb", "output": "plans/{year}.ipynb"})
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(project_copy)
    args = ["--params", str(mini / "parameters"), "--data", str(mini / "data"), "--no-pdf"]
    # Before the 2021 contract is published, its meeting plan is not public either.
    result = runner.invoke(app, ["build", *args, "--as-of", "2021-01-15"])
    assert result.exit_code == 0, result.output + result.stderr
    html = project_copy / "_build/html/generated"
    assert sorted(p.name for p in (html / "plans").glob("*.html")) == ["2020.html"]
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == 0, result.output + result.stderr
    assert sorted(p.name for p in (html / "plans").glob("*.html")) == ["2020.html", "2021.html"]
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (html / "plans/2021.html").read_text(encoding="utf-8")))
    assert "Mødeplan 2021" in page and "Rådet holder 3 møder i 2021." in page and "Om tallene" in page
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "Seneste mødeplan" in index and "Mødeplaner" in index
    toc = yaml.safe_load((project_copy / "book/generated/_toc.yml").read_text(encoding="utf-8"))
    assert [part["caption"] for part in toc["parts"]][-2:] == ["Mødeplaner", "Om bogen"]
