"""The JSON Schema of the story format, generated from the model."""

from __future__ import annotations

from typing import Any

from game.story.model import Rubric, Story

SCHEMA_ID = "https://callback.invalid/story.schema.json"


def story_schema() -> dict[str, Any]:
    """Return the JSON Schema for story files (what ``callback schema`` prints)."""
    schema = Story.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Callback story (format 1)"
    return schema


def rubric_schema() -> dict[str, Any]:
    """Return the JSON Schema for rubric files."""
    schema = Rubric.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Callback rubric"
    return schema
