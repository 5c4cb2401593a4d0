"""The secretariat's guide (docs/vejledning.md) is run as written, on a copy of the sample council.

Every ``bash`` block runs and must succeed; every ``console`` block's ``$ command`` lines run and
their output must be the text shown under them (a line ``...`` stands for any lines). The blocks run
in the guide's order in one shell, as a user following it from a fresh clone would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project, require_tool
from jobindsats_v3 import KEY, read_tidy_figures, serve, universe_for

from councilbook.parameters.load import load_parameters

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "vejledning.md"
pytestmark = [pytest.mark.book, pytest.mark.needs_chromium]

FENCE = re.compile(r"^(?P<indent> *)```(?P<kind>\w*)\n(?P<body>.*?)^(?P=indent)```\s*$", re.M | re.S)


@dataclass(frozen=True)
class Step:
    line: int  # where it is in the guide
    kind: str  # "bash" or "console"
    command: str
    expected: str | None = None  # console: the output shown


def guide_steps(text: str) -> list[Step]:
    steps = []
    for block in FENCE.finditer(text):
        line = text.count("\n", 0, block.start()) + 1
        indent = len(block["indent"])
        body = "\n".join(row[indent:] for row in block["body"].splitlines())
        if block["kind"] == "bash":
            steps.append(Step(line, "bash", body))
        elif block["kind"] == "console":
            for command, output in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n?)*)", body + "\n", flags=re.M):
                steps.append(Step(line, "console", command, output.rstrip("\n")))
    return steps


def script(steps: list[Step]) -> str:
    """One bash script: markers between the steps, bash blocks under ``set -e``, console commands not
    (a console example may show a failure), with ``$?`` kept for a following ``echo $?``."""
    lines = [
        "set -o pipefail",
        # The copy uses the installed environment; make must not try to install it again.
        'make() { command make -o .venv/.installed "$@"; }',
        "__rc=0",
    ]
    for number, step in enumerate(steps):
        lines.append(f"printf '\\n@@STEP {number}@@\\n'")
        if step.kind == "bash":
            lines += ["set -e", step.command, "set +e", "__rc=0"]
        else:
            lines += [f"(exit $__rc); {step.command} 2>&1", "__rc=$?"]
    return "\n".join(lines) + "\n"


def matches(expected: str, actual: str) -> bool:
    """Line by line, trailing spaces ignored; a line ``...`` matches any number of lines."""
    pattern = "\n".join(".*?" if row == "..." else re.escape(row.rstrip()) for row in expected.splitlines())
    actual = "\n".join(row.rstrip() for row in actual.strip("\n").splitlines())
    return re.fullmatch(pattern, actual, flags=re.S) is not None


def test_the_guide_covers_the_secretariats_year() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    for topic in (
        "Tilføj et nyt kontraktår",
        "Forbered et rådsmøde",
        "Opdatér tallene",
        "Byg og kontrollér bogen",
        "Offentliggør bogen",
        "Når en kørsel fejler",
    ):
        assert any(topic in heading for heading in headings), topic
    kinds = {block["kind"] for block in FENCE.finditer(text)}
    assert kinds <= {"bash", "console", "yaml"}, kinds  # no shell example that the test would not run
    steps = guide_steps(text)
    assert len(steps) >= 15
    assert any(s.kind == "console" and s.command == "echo $?" for s in steps)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/vejledning.md" in readme


def test_the_runner_keeps_exit_codes_and_stops_at_a_failing_step() -> None:
    guide = (
        "```bash\ncd /tmp\n```\n\n```console\n$ pwd\n/tmp\n$ false\n$ echo $?\n1\n```\n\n"
        "   ```bash\n   echo indented\n   false\n   echo never\n   ```\n```bash\necho not reached\n```\n"
    )
    steps = guide_steps(guide)
    assert [(s.kind, s.command, s.expected) for s in steps] == [
        ("bash", "cd /tmp", None),
        ("console", "pwd", "/tmp"),
        ("console", "false", ""),
        ("console", "echo $?", "1"),
        ("bash", "echo indented\nfalse\necho never", None),
        ("bash", "echo not reached", None),
    ]
    done = subprocess.run(["bash", "-c", script(steps)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.split("@@STEP 1@@\n")[1].startswith("/tmp\n")
    assert "@@STEP 3@@\n1\n" in done.stdout
    assert done.stdout.endswith("@@STEP 4@@\nindented\n")  # stopped at the failing line


def test_matching_shown_output() -> None:
    assert matches("a\n...\nd", "a\nb\nc\nd\n")
    assert matches("a", "\na  \n")
    assert not matches("a\nb", "a\nc")
    assert not matches("a", "a\nb")


def test_follow_the_guide_from_a_fresh_clone(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("make")
    project = copy_project(tmp_path / "councilbook")
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    (project / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)  # installed already
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    venv_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    env.pop("VIRTUAL_ENV", None)  # councilbook is on PATH only once the guide activates it
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):  # a user's shell, not `make test`'s
        env.pop(name, None)
    # jobindsats.dk's API, as a local server with the sample council's figures (the guide fetches from it).
    universe = universe_for(
        load_parameters(project / "parameters"), read_tidy_figures(ROOT / "data/sample-tidy/jobindsats_sample.csv")
    )
    with serve(universe) as api:
        env.update(JOBINDSATS_API_KEY=KEY, JOBINDSATS_API_URL=api)
        done = subprocess.run(
            ["bash", "-c", script(steps)],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=1200,
        )
    parts = re.split(r"\n@@STEP (\d+)@@\n", "\n" + done.stdout)
    outputs = {int(number): output for number, output in zip(parts[1::2], parts[2::2], strict=True)}
    last = max(outputs)
    assert done.returncode == 0, (
        f"guide line {steps[last].line}: {steps[last].command!r} failed (exit {done.returncode}):\n"
        + outputs[last][-3000:]
    )
    assert len(outputs) == len(steps)
    for number, step in enumerate(steps):
        if step.expected is not None:
            assert matches(step.expected, outputs[number]), (
                f"guide line {step.line}: {step.command!r} printed\n{outputs[number]}\nbut the guide shows\n"
                f"{step.expected}"
            )

    # Where the guide leads: figures fetched from the API, a new contract year and meeting, a pack, minutes, a
    # published book.
    assert (project / "data/jobindsats/jobindsats-langtidsledige.csv").is_file()
    assert (project / "parameters/contracts/2014.yml").is_file()
    assert {p.name for p in (project / "packs/2013-12-11").iterdir()} >= {
        "pakke-2013-12-11.pdf",
        "status-2013-12-11.xlsx",
        "manifest.json",
        "referat-2013-12-11.pdf",
        "pressemeddelelse-2013-12-11.pdf",
    }
    site = tmp_path / "hjemmeside"
    assert (site / "index.html").is_file() and (site / "book.pdf").read_bytes()[:5] == b"%PDF-"
    assert (site / "generated/meetings/2013-11-13.html").is_file()  # the meeting added in the guide
    assert (site / "generated/contracts/2014.html").is_file()
    # The YAML the guide shows is what `new meeting` wrote, so the guide cannot drift from the stub.
    written = (project / "parameters/meetings/2013.yml").read_text(encoding="utf-8")
    shown = [b["body"] for b in FENCE.finditer(GUIDE.read_text(encoding="utf-8")) if b["kind"] == "yaml"]
    assert shown and all(block in written for block in shown)
