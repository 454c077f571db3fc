"""stories/story.schema.json is generated from the model and must stay in sync."""

from __future__ import annotations

import json
import os
from pathlib import Path

from game.story.schema import rubric_schema, story_schema

STORIES = Path(__file__).resolve().parent.parent / "stories"


def test_schema_files_match_the_model() -> None:
    """Regenerate with CALLBACK_REGENERATE=1 pytest tests/test_schema.py."""
    for name, schema in (("story", story_schema()), ("rubric", rubric_schema())):
        path = STORIES / f"{name}.schema.json"
        text = json.dumps(schema, indent=2) + "\n"
        if os.environ.get("CALLBACK_REGENERATE"):
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: regenerate it"


def test_bundled_stories_point_editors_at_the_schema() -> None:
    for path in STORIES.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path.name
