"""Load a story for play or for its author: read, check every state, compile once.

::

    result = load_story(path)           # every diagnostic, sorted by location
    if result.compiled is not None:     # no errors: ready for the engine
        state = start(result.compiled)

:func:`game.story.loader.read_story` reads the file and runs the checks that need
no analysis; this adds the checks that search every reachable state
(:mod:`game.analysis.checks`) and compiles the story, once, for the engine, the
analysis and the front ends. The analysis done for the checks is not kept: the
checks start from every combination of campaign imports, play from one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.analysis.checks import check_states
from game.analysis.reach import DEFAULT_LIMIT
from game.engine.compiled import CompiledStory, compile_story
from game.story.diagnostics import Severity, sort_key
from game.story.loader import LoadResult, read_story


@dataclass
class LoadedStory(LoadResult):
    """What loading a story produced; ``compiled`` is set exactly when ``story`` is."""

    compiled: CompiledStory | None = None


def load_story(
    path: str | Path, *, analyse: bool = True, workers: int = 1, limit: int = DEFAULT_LIMIT
) -> LoadedStory:
    """Load, validate, check and compile a story file, collecting every diagnostic.

    Args:
        path: the story's YAML file.
        analyse: also run the reachability checks and assertions (slower).
        workers: 2 lets a large file be read on two cores (forking: only for
            callers with no other threads, such as the batch commands).
        limit: most reachable states the checks explore before saying they are
            partial (CB031).
    """
    read = read_story(path, workers=workers)
    result = LoadedStory(read.path, read.story, read.diagnostics, read.sha256, read.source_map)
    if result.story is None:
        return result
    compiled = compile_story(result.story)
    if analyse and result.source_map is not None:
        found = check_states(compiled, result.source_map, limit=limit)
        if found:
            result.diagnostics.extend(found)
            result.diagnostics.sort(key=sort_key)
        if any(d.severity is Severity.ERROR for d in found):
            result.story = None
            return result
    result.compiled = compiled
    return result
