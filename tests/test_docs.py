"""The docs tell the truth: the tutorial works as written, every code is documented."""

from __future__ import annotations

import argparse
import io
import re
import shlex
from pathlib import Path

import pytest

from game.analysis.load import load_story
from game.authoring.scaffold import STARTER
from game.cli import main
from game.story.diagnostics import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
AUTHORING = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def _tutorial_scene() -> str:
    match = re.search(r"### 4\. Add a scene.*?```yaml\n(.*?)```", AUTHORING, re.S)
    assert match, "the tutorial's step 4 snippet is missing"
    return match.group(1)


def _tutorial_story() -> str:
    old = re.search(r"  keep-in-touch:\n.*?\n\n", STARTER, re.S)
    assert old
    return STARTER.replace(old.group(0), _tutorial_scene() + "\n")


def test_the_starter_validates_strictly(write_story) -> None:
    result = load_story(write_story(STARTER, "my-story.yaml"))
    assert result.diagnostics == [], [d.format() for d in result.diagnostics]


def test_the_tutorial_step_validates_and_its_typo_message_is_exact(write_story) -> None:
    path = write_story(_tutorial_story(), "my-story.yaml")
    assert load_story(path).diagnostics == []
    broken = _tutorial_story().replace("goto: door-open", "goto: door-opn", 1)
    path.write_text(broken, encoding="utf-8")
    (diagnostic,) = load_story(path).diagnostics
    shown = diagnostic.format().replace(str(path), "my-story.yaml")
    assert shown in AUTHORING


def _tutorial_steps() -> list[str]:
    part = AUTHORING[AUTHORING.index("## Part 1"):AUTHORING.index("## Part 2")]
    return re.split(r"^### ", part, flags=re.M)[1:]


def _commands(step: str) -> list[str]:
    """Every ``callback ...`` command of a step, in order: ```sh blocks and inline code."""
    found: list[str] = []
    for block, inline in re.findall(r"```sh\n(.*?)```|`(callback [^`]*)`", step, re.S):
        found.extend(block.splitlines() if block else [inline])
    return [c for c in found if c.startswith("callback ")]


def test_the_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command of Part 1 in order, in an empty folder, as a reader would."""
    monkeypatch.chdir(tmp_path)
    ran: list[str] = []
    means: dict[str, float] = {}
    for step in _tutorial_steps():
        if "```yaml" in step:  # step 4: the reader edits the story first
            story = tmp_path / "my-story.yaml"
            old = re.search(r"  keep-in-touch:\n.*?\n\n", story.read_text(), re.S)
            assert old
            story.write_text(story.read_text().replace(old.group(0), _tutorial_scene() + "\n"))
        for command in _commands(step):
            out, err = io.StringIO(), io.StringIO()
            code = main(shlex.split(command)[1:], out=out, err=err, inp=io.StringIO("1\n" * 9))
            assert code == 0, f"{command}: {err.getvalue()}"
            ran.append(command)
            if command.startswith("callback validate"):
                assert "1 file(s): 0 error(s), 0 warning(s): ok" in err.getvalue()
            if command.startswith("callback play"):
                assert "Relationship score:" in out.getvalue()
            for persona, mean in re.findall(r"runs as '(.*?)'.*\nscore mean ([\d.]+)",
                                            out.getvalue()):
                means[persona] = float(mean)
    assert ran == [
        "callback new my-story.yaml",
        "callback validate my-story.yaml",
        "callback play my-story.yaml --text",
        "callback validate my-story.yaml",
        "callback analyze my-story.yaml",
        "callback simulate my-story.yaml --persona keeps-door-open --persona argues",
    ]
    assert (tmp_path / "story.schema.json").is_file(), "step 1 promises the schema file"
    assert means["keeps-door-open"] > means["argues"], "step 5 promises this"


def test_every_code_is_in_the_catalogue_section() -> None:
    for code, info in CATALOGUE.items():
        assert f"### {code}: {info.title} ({info.severity})" in AUTHORING


def test_rubric_doc_covers_every_meter_flag_and_tag() -> None:
    import yaml

    rubric = yaml.safe_load((ROOT / "stories" / "default.rubric.yaml").read_text())
    doc = (ROOT / "docs" / "rubric.md").read_text(encoding="utf-8")
    for meter in rubric["meters"].values():
        assert meter["label"] in doc
    for name in [*rubric["flags"], *rubric["tags"], *rubric["personas"]]:
        assert f"`{name}`" in doc, name


README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = ("python3 -m venv ", ". .venv/bin/activate", "pip install ", "python -m pytest")
"""The quick start's install lines (CI runs them as written: .ci/run) and the suite."""


def _readme_commands() -> list[str]:
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)
             for line in block.splitlines() if line.strip()]
    assert all(line.startswith((*SETUP, "callback")) for line in lines), lines
    # activated before anything is installed or typed: `callback` is then on the PATH
    assert lines.index(". .venv/bin/activate") < lines.index("pip install -e \".[test]\"")
    assert lines.index(". .venv/bin/activate") < lines.index("callback")
    return [line for line in lines if not line.startswith(SETUP)]


def test_the_readme_runs_as_written(tmp_path: Path) -> None:
    """Each command of the README's blocks, typed into a shell after the quick start:
    ``callback`` is found through the activated environment alone (a clean PATH), and
    run in a folder laid out as a fresh clone. The bare ``callback`` opens the window,
    which the window tests drive."""
    import os
    import shutil
    import subprocess
    import sys

    venv = Path(sys.prefix)
    activate = venv / "bin" / "activate"
    if not activate.is_file():
        pytest.skip("the tests are not running in a virtual environment")
    shutil.copytree(ROOT / "stories", tmp_path / "stories")
    commands = _readme_commands()
    assert "callback" in commands and "callback play rejection-call --text" in commands
    for command in commands:
        if command == "callback":
            continue
        if " --format svg" in command and shutil.which("dot") is None \
                and not os.environ.get("CALLBACK_REQUIRE_DOT"):
            continue  # Graphviz is not installed (CI installs it)
        done = subprocess.run(
            ["bash", "-c", f". {shlex.quote(str(activate))} && {command}"],
            cwd=tmp_path, input="1\n" * 60, capture_output=True, text=True, timeout=110,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                 "CALLBACK_HOME": str(tmp_path / "home"), "SDL_VIDEODRIVER": "dummy"},
            check=False)
        assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr}"
        if command.startswith("callback play"):
            assert "Relationship score:" in done.stdout
    assert (tmp_path / "my-story.yaml").is_file() and (tmp_path / "map.svg").is_file() \
        or shutil.which("dot") is None


def test_the_readme_command_table_names_only_real_options() -> None:
    """Every ``--option`` the Commands table shows is one its command accepts."""
    from game.cli import build_parser

    parser = build_parser()
    actions = next(a for a in parser._actions if a.dest == "command").choices
    table = README[README.index("## Commands"):README.index("Exit codes:")]
    rows = re.findall(r"^\| `callback ([a-z]+)([^`]*)`", table, re.M)
    assert {name for name, _ in rows} == set(actions)
    for name, rest in rows:
        command = actions[name]
        words = rest.split()
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested and words and words[0] in nested[0].choices:
            command = nested[0].choices[words[0]]  # `callback results list ...`
        known = {option for action in command._actions for option in action.option_strings}
        for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", rest):
            assert option in known, f"callback {name}: {option}"
