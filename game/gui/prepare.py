"""Getting a story ready to play: load it, then refuse it if it would strand the player.

The window loads stories as ``callback play`` does (see ``_load_for_play`` in
:mod:`game.cli`): :func:`~game.story.loader.load_story` without the slow
analysis, then :func:`~game.story.checks.check_playable` from the player's own
start (their campaign values). A story that loads but has a dead end or a trap
is refused here, with its ``file:line:col`` lines, never discovered mid-play.

The playability check explores every state the story can reach, which takes
seconds for the larger stories, so it runs on a worker thread
(:class:`PlayCheck`) while the window keeps drawing. Its state space is cached
on the story and reused by the debrief's scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.crash import write_report
from game.gui.worker import Worker
from game.story.checks import check_playable
from game.story.diagnostics import Diagnostic, Location, Severity, sort_key
from game.story.loader import LoadResult, load_story
from game.story.model import Story

Imports = dict[str, int | bool]


def internal_problem(path: Path | str, error: Exception, doing: str) -> LoadResult:
    """Turn a loader or checker crash into a one-line problem with a crash report."""
    report = write_report(error, f"window: {doing} {path}")
    where = f"; crash report: {report}" if report else ""
    message = f"the game could not read this story ({type(error).__name__}){where}"
    return LoadResult(str(path), None, [Diagnostic("internal", message, Location(str(path)))])


def check_for_play(result: LoadResult, imports_of: Callable[[Story], Imports]) -> LoadResult:
    """Return ``result`` with the playability errors for this player added.

    The result given is never changed (the title screen shares it). If the
    check finds an error, the returned result has no story, so nothing plays it.
    """
    story, source_map = result.story, result.source_map
    if story is None or source_map is None:
        return result
    found = check_playable(story, source_map, imports_of(story))
    if not found:
        return result
    diagnostics = sorted([*result.diagnostics, *found], key=sort_key)
    refused = any(d.severity is Severity.ERROR for d in found)
    return LoadResult(
        result.path,
        None if refused else story,
        diagnostics,
        sha256=result.sha256,
        source_map=source_map,
    )


def load_for_play(path: Path, imports_of: Callable[[Story], Imports]) -> LoadResult:
    """Read ``path`` from disk and check it for play; never raises."""
    try:
        return check_for_play(load_story(path, analyse=False), imports_of)
    except Exception as error:  # a loader bug must not take the window down
        return internal_problem(path, error, "loading")


class PlayCheck(Worker):
    """A story being made ready to play on a worker thread.

    Args:
        work: Returns the checked :class:`LoadResult`; it must not raise (the
            functions above do not), but if it does the error becomes a problem.
        path: The story file, for that problem's location.
    """

    def __init__(self, work: Callable[[], LoadResult], path: Path) -> None:
        self.path = path
        self.result: LoadResult | None = None
        self._work = work
        super().__init__("callback-check")
        self._start()

    def _run(self) -> None:
        try:
            self.result = self._work()
        except Exception as error:  # handed back as a problem, never raised in the window
            self.result = internal_problem(self.path, error, "checking")
