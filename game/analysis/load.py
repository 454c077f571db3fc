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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.analysis.checks import check_playable, check_states
from game.analysis.reach import DEFAULT_LIMIT
from game.engine.compiled import CompiledStory, compile_story
from game.story.diagnostics import Diagnostic, Severity, sort_key
from game.story.loader import LoadResult, read_story
from game.story.model import Story

Imports = dict[str, int | bool]


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
    result = LoadedStory(read.path, read.story, read.diagnostics, read.sha256, read.source_map,
                         read.inputs)
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


def check_for_play(result: LoadedStory, imports_of: Callable[[Story], Imports]) -> LoadedStory:
    """Return ``result`` with the errors that would strand this player added.

    Dead ends, traps and no ending are checked from the player's own start (their
    campaign values, ``imports_of(story)``), so a story that loads but would strand
    them is refused before play, never discovered in the middle of it. The result
    given is never changed (the title screen shares it); if the check finds an
    error, the result returned has no story, so nothing plays it.
    """
    if result.compiled is None or result.source_map is None:
        return result
    return with_play_problems(result, play_check(result, imports_of(result.compiled.model)))


def play_check(result: LoadedStory, imports: Imports) -> list[Diagnostic]:
    """The problems that would strand a player starting from ``imports``."""
    if result.compiled is None or result.source_map is None:
        return []
    return check_playable(result.compiled, result.source_map, imports)


def with_play_problems(result: LoadedStory, found: list[Diagnostic]) -> LoadedStory:
    """``result`` with the play check's problems added; no story if one is an error."""
    if not found:
        return result
    diagnostics = sorted([*result.diagnostics, *found], key=sort_key)
    refused = any(d.severity is Severity.ERROR for d in found)
    return LoadedStory(
        result.path,
        None if refused else result.story,
        diagnostics,
        sha256=result.sha256,
        source_map=result.source_map,
        inputs=result.inputs,
        compiled=None if refused else result.compiled,
    )


def load_for_play(path: str | Path, imports_of: Callable[[Story], Imports]) -> LoadedStory:
    """Load a story to play now: every reference checked, and no dead end from this start.

    The slow analysis (scores, assertions) is left for the author's commands.
    """
    return check_for_play(load_story(path, analyse=False), imports_of)
