"""The simulated players an author brings: a ``--personas`` file and ``--with`` imports."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from game.story.diagnostics import Diagnostic, Location, did_you_mean
from game.story.model import Story, Weight
from game.story.source import SourceMap, load_source

Personas = dict[str, dict[str, float]]


def read_personas(path: str, story: Story) -> tuple[Personas | None, list[Diagnostic]]:
    """Read a ``--personas`` file (``name: {tag: weight}``): the personas, or its problems.

    Every tag must be one the story knows (its own or its rubric's).
    """
    problems: list[Diagnostic] = []
    source = load_source(Path(path), problems)
    if source is not None:
        try:
            found = TypeAdapter(dict[str, dict[str, Weight]]).validate_python(source.data)
        except ValidationError as error:
            first = error.errors()[0]
            where = source.map.at(tuple(first["loc"]))
            problems.append(Diagnostic("CB003", f"personas: {first['msg']}", where))
        else:
            problems.extend(_unknown_tags(found, story, source.map))
            if not problems:
                return found, []
    if not problems:
        problems.append(Diagnostic("CB003", "personas file is empty", Location(path)))
    return None, problems


def _unknown_tags(found: Personas, story: Story, where: SourceMap) -> list[Diagnostic]:
    """Return a CB015 for every persona tag the story does not declare."""
    known = ", ".join(sorted(story.tags)) or "none"
    return [
        Diagnostic("CB015", f"persona {name!r} uses unknown tag {tag!r}",
                   where.at((name, tag), key=True),
                   did_you_mean(tag, story.tags) or f"the story's tags: {known}")
        for name, weights in found.items()
        for tag in weights
        if tag not in story.tags
    ]


def parse_imports(text: str) -> dict[str, int | bool]:
    """Read ``--with argued,pest,door=30``: flags set (``=false`` clears) and meter values."""
    imports: dict[str, int | bool] = {}
    for item in text.split(","):
        if item.strip():
            name, _, value = item.strip().partition("=")
            imports[name] = int(value) if value.lstrip("-").isdigit() \
                else value.lower() != "false"
    return imports
