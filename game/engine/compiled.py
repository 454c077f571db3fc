"""A story compiled once: the object that play and analysis pass around.

::

    compiled = compile_story(story)      # once per load
    state = start(compiled)              # the engine reads compiled.rules
    card = scorecard(compiled, state)    # the scoring reads compiled.scale

:class:`CompiledStory` owns everything derived from a story that more than one
caller needs: the rules of play (conditions parsed, names ordered), the exact
scoring scale, and a memo where the analysis keeps what it has computed (control
graphs and score tables, by start), so that a story is explored at most once per
start however many screens and commands ask. Nothing is written onto the story
model itself: a :class:`~game.story.model.Story` stays the plain data that was read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar, cast

from game.engine.rules import Rules, Scale
from game.story.model import Story

T = TypeVar("T")


class CompiledStory:
    """A valid story with its rules and scale, built once; see :func:`compile_story`.

    Attributes:
        model: the story as read (never changed).
        rules: the rules over every meter and flag.
        scale: exact whole-number arithmetic for the overall score.
    """

    __slots__ = ("_lock", "_memo", "model", "rules", "scale")

    def __init__(self, model: Story) -> None:
        self.model = model
        self.scale = Scale.of(model)
        self.rules = Rules(model, tuple(model.meters), tuple(model.flags), self.scale)
        self._memo: dict[Hashable, object] = {}
        # The window builds score tables on worker threads (a warm-up while the player
        # reads, the scoring after the call): one waits for the other's result instead
        # of building it twice. Re-entrant: making a space asks for its graph.
        self._lock = threading.RLock()

    @property
    def id(self) -> str:
        """The story's id."""
        return self.model.id

    def score(self, values: Mapping[str, int | bool]) -> int:
        """The overall 0-100 score for meter and flag values by name."""
        return self.scale.score_of(self.model, values)

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return what ``make()`` gave the first time ``key`` was asked for.

        The analysis keeps its results here (its keys name what they hold, such as
        ``("space", imports)``), so they live exactly as long as the compiled story.
        """
        with self._lock:
            if key not in self._memo:
                self._memo[key] = make()
            return cast(T, self._memo[key])

    def __repr__(self) -> str:
        return f"CompiledStory({self.model.id!r})"


def compile_story(story: Story) -> CompiledStory:
    """Compile a valid story for play and analysis (cheap: conditions parse lazily)."""
    return CompiledStory(story)
