"""The bundled story library: what the title screen lists and the campaign plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.paths import bundled_stories
from game.story.loader import read_story
from game.story.words import minutes_to_play


@dataclass(frozen=True)
class Entry:
    """One story as listed: enough to show and to open it."""

    path: Path
    id: str
    title: str
    summary: str
    minutes: int
    campaign_order: int | None


def library(paths: list[Path] | None = None) -> tuple[list[Entry], list[str]]:
    """List the stories that load, and one line per story that does not."""
    entries, problems = [], []
    for path in paths if paths is not None else bundled_stories():
        if path.name.endswith(".rubric.yaml"):
            continue
        result = read_story(path)
        if result.story is None:
            first = result.errors[0].format() if result.errors else str(path)
            problems.append(first)
            continue
        story = result.story
        minutes = minutes_to_play(story)
        order = story.campaign.order if story.campaign else None
        entries.append(Entry(path, story.id, story.title, story.summary, minutes, order))
    entries.sort(key=lambda e: (e.campaign_order is None, e.campaign_order or 0, e.title))
    return entries, problems


def campaign(entries: list[Entry]) -> list[Entry]:
    """The stories of the campaign, in order."""
    return [e for e in entries if e.campaign_order is not None]
