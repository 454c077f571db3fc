"""The docs tell the truth: the tutorial works as written, every code is documented."""

from __future__ import annotations

import re
from pathlib import Path

from game.authoring.scaffold import STARTER
from game.story.diagnostics import CATALOGUE
from game.story.loader import load_story

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
