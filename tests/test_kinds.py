"""Report kinds: the registry, the manifest's choice of kinds, and a kind a project adds in one module."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from councilbook.assembly.manifest import load_manifest
from councilbook.cli import app
from councilbook.core.errors import InputError
from councilbook.project.load import load_project
from councilbook.reports.registry import UnknownKind, get_kind, load_kinds, registered, scope_report, unregister

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


@pytest.fixture
def plan_kind() -> Iterator[None]:
    """The project's meeting-plan kind is forgotten after the test (its module, its kind and its folder)."""
    yield
    unregister("meeting_plan")
    sys.modules.pop("meeting_plan", None)


def _plan_project(folder: Path) -> Path:
    """A project folder whose manifest adds the meeting-plan kind (its module beside pipelines/)."""
    (folder / "pipelines").mkdir(parents=True)
    shutil.copyfile(EXTRA / "meeting_plan.py", folder / "meeting_plan.py")
    shutil.copyfile(EXTRA / "meeting_plan.ipynb", folder / "pipelines/meeting_plan.ipynb")
    manifest = {
        "modules": ["meeting_plan"],
        "reports": [{"kind": "meeting_plan", "notebook": "meeting_plan.ipynb", "output": "plans/{year}.ipynb"}],
    }
    (folder / "pipelines/manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return folder


def _write_plans(params: Path, plans: dict[str, str]) -> None:
    (params / "meeting_plans").mkdir(exist_ok=True)
    for name, text in plans.items():
        (params / "meeting_plans" / name).write_text(text, encoding="utf-8")


def test_a_project_kind_brings_its_own_parameter_files(tmp_path: Path, mini: Path, plan_kind: None) -> None:
    """A kind's module declares its parameter folder: `validate` reads and checks its files with the others (the
    model's unknown keys, the kind's own check), and its scope holds its entry; nothing in the package names it."""
    project = _plan_project(tmp_path / "project")
    _write_plans(
        mini / "parameters",
        {
            "2019.yml": "year: 2019\npublished: 2019-01-10\n",
            "2020.yml": "year: 2020\npublished: 2020-01-10\nnotes: Møderne holdes i Regionshuset.\n",
            "2021.yml": "year: 2021\npublished: 2021-01-20\nnote: Møderne holdes i Regionshuset.\n",
        },
    )
    args = ["--project", str(project), "validate", "--params", str(mini / "parameters"), "--data", str(mini / "data")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output + result.stderr
    errors = result.stderr
    assert "meeting_plans/2019.yml, linje 1, kolonne 7: year: der er ingen kontrakt for 2019" in errors
    assert "meeting_plans/2020.yml, linje 3, kolonne 1: notes: ukendt nøgle" in errors
    assert "meeting_plans/2021.yml" not in errors

    (mini / "parameters/meeting_plans/2019.yml").unlink()
    _write_plans(mini / "parameters", {"2020.yml": "year: 2020\npublished: 2020-01-10\n"})
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output + result.stderr

    project_loaded = load_project(mini / "parameters", mini / "data")
    plans = project_loaded.params.of("meeting_plans")
    assert sorted(plans) == [2020, 2021] and plans[2021].note == "Møderne holdes i Regionshuset."
    scope = scope_report("meeting_plan", "2021", project_loaded.params, project_loaded.dataset)
    assert scope.params.of("meeting_plans") == {2021: plans[2021]}
    assert "meeting_plans/2021.yml" in scope.parameter_entries()
    assert not any(name.startswith(("meeting_plans/2020", "analyses/")) for name in scope.parameter_entries())


def test_a_kind_forgotten_leaves_its_folder_unread(tmp_path: Path, mini: Path) -> None:
    """Without the project's kind its folder is not read (the registry of the test above was reset)."""
    assert "meeting_plan" not in registered()
    _write_plans(mini / "parameters", {"2019.yml": "year: 2019\npublished: 2019-01-10\n"})
    assert load_project(mini / "parameters", mini / "data").params.of("meeting_plans") == {}


@pytest.mark.book
def test_a_project_adds_a_kind_in_one_module(project_copy: Path, mini: Path, plan_kind: None) -> None:
    """The README's "Adding a report": one module, its notebook and a manifest entry; then it is built from its
    own parameter files, embargoed, in the book's contents and on the front page."""
    shutil.copyfile(EXTRA / "meeting_plan.py", project_copy / "meeting_plan.py")
    shutil.copyfile(EXTRA / "meeting_plan.ipynb", project_copy / "pipelines/meeting_plan.ipynb")
    manifest = project_copy / "pipelines/manifest.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["modules"] = ["meeting_plan"]
    data["reports"].append({"kind": "meeting_plan", "notebook": "meeting_plan.ipynb", "output": "plans/{year}.ipynb"})
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _write_plans(
        mini / "parameters",
        {
            "2020.yml": "year: 2020\npublished: 2020-01-10\n",
            "2021.yml": "year: 2021\npublished: 2021-01-10\nnote: Møderne holdes i Regionshuset.\n",
        },
    )
    args = ["--params", str(mini / "parameters"), "--data", str(mini / "data"), "--no-pdf"]
    # Before the 2021 contract is published, its meeting plan is not public either.
    result = runner.invoke(app, ["--project", str(project_copy), "build", *args, "--as-of", "2021-01-15"])
    assert result.exit_code == 0, result.output + result.stderr
    html = project_copy / "_build/html/generated"
    assert sorted(p.name for p in (html / "plans").glob("*.html")) == ["2020.html"]
    result = runner.invoke(app, ["--project", str(project_copy), "build", *args])
    assert result.exit_code == 0, result.output + result.stderr
    assert sorted(p.name for p in (html / "plans").glob("*.html")) == ["2020.html", "2021.html"]
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (html / "plans/2021.html").read_text(encoding="utf-8")))
    assert "Mødeplan 2021" in page and "Om tallene" in page
    assert "Rådet holder 3 møder i 2021. Møderne holdes i Regionshuset." in page
    assert "meeting_plans/2021.yml" in page  # the provenance names the kind's own file
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "Seneste mødeplan" in index and "Mødeplaner" in index
    toc = yaml.safe_load((project_copy / "book/generated/_toc.yml").read_text(encoding="utf-8"))
    assert [part["caption"] for part in toc["parts"]][-2:] == ["Mødeplaner", "Om bogen"]
