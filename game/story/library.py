"""The bundled story library: what the title screen lists and the campaign plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game import paths as _paths
from game.paths import is_rubric
from game.story.loader import read_story
from game.story.source import load_source
from game.story.words import minutes_to_play


class StoryNotFound(LookupError):
    """A story named on the command line that is neither a file nor a bundled story."""


def bundled_ids() -> list[tuple[str, Path]]:
    """Return the bundled stories as (id, file), the id read from the file (else its stem)."""
    try:
        found_paths = [p for p in _paths.bundled_stories() if not is_rubric(p)]
    except FileNotFoundError:
        return []
    found = []
    for path in found_paths:
        source = load_source(path, [])
        data = source.data if source is not None else None
        story_id = data.get("id") if isinstance(data, dict) else None
        found.append((story_id if isinstance(story_id, str) else path.stem, path))
    return found


def find_story(raw: str) -> Path:
    """Return the story file ``raw`` names: a path or, when no such path exists, a bundled
    story's id or file stem (so ``callback play rejection-call`` works in any folder).

    Raises StoryNotFound, saying why, for neither, or for a rubric file.
    """
    path = Path(raw)
    if not path.exists():
        bundled = bundled_ids()
        match = next((p for story_id, p in bundled if raw in (story_id, p.stem)), None)
        if match is None:
            names = ", ".join(sorted(story_id for story_id, _ in bundled)) or "none"
            raise StoryNotFound(f"no such story file or bundled story {raw!r} "
                                f"(bundled: {names})")
        path = match
    if is_rubric(path):
        raise StoryNotFound(f"{path} is a rubric file, not a story (stories name it under "
                            "'rubric:'; 'callback validate' checks it)")
    return path


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
    for path in paths if paths is not None else _paths.bundled_stories():
        if is_rubric(path):
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
