"""Opening the story an author's command names: a file, or a bundled story's id."""

from __future__ import annotations

from typing import TextIO

from game.analysis.load import LoadedStory, load_story
from game.story.library import StoryNotFound, find_story


def open_story(raw: str, err: TextIO, workers: int = 1) -> LoadedStory | None:
    """Load the story ``raw`` names for a tool (no analysis yet: the tool does its own).

    Returns None after writing to ``err`` why there is no story: none of that name,
    or its errors at ``file:line:col``.
    """
    try:
        path = find_story(raw)
    except StoryNotFound as error:
        err.write(f"callback: {error}\n")
        return None
    result = load_story(path, analyse=False, workers=workers)
    if result.compiled is None:
        for diagnostic in result.errors:
            err.write(diagnostic.format() + "\n")
        return None
    return result
