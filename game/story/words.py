"""How much a player reads: words in a story, and the minutes a listing shows."""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.story.model import Story

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+(?:'\w+)?")


def count_words(texts: Iterable[str]) -> int:
    """Count the words in some texts (a contraction such as "don't" is one word)."""
    return len(_WORD.findall("\n".join(texts)))  # (one search: no word spans a newline)


def word_count(story: Story) -> int:
    """Count the words a player can read: lines, choices, endings."""
    texts: list[str] = []
    for scene in story.scenes.values():
        texts += [text for line in scene.lines for text in line.values()]
        texts += [choice.text for choice in scene.choices]
        if scene.ending:
            ending = scene.ending
            texts += [ending.title, ending.time_skip, ending.epilogue, ending.lesson]
    return count_words(texts)


def minutes_to_play(story: Story) -> int:
    """The minutes a story lists: its own ``minutes``, else half its reading time."""
    return story.minutes or max(1, round(word_count(story) / WORDS_PER_MINUTE / 2))
