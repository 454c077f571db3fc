"""Getting a story ready to play: load it, then refuse it if it would strand the player.

The window loads stories as ``callback play --text`` does:
:func:`~game.analysis.load.load_story` without the slow analysis, then
:func:`~game.analysis.load.check_for_play` from the player's own start (their
campaign values). A story that loads but has a dead end or a trap is refused
here, with its ``file:line:col`` lines, never discovered mid-play.

The playability check explores every state the story can reach, which takes
seconds for the larger stories, so it runs on a worker thread
(:class:`PlayCheck`) while the window keeps drawing. Its state space is kept in
the compiled story and reused by the debrief's scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.analysis import cache
from game.analysis.load import Imports, LoadedStory
from game.crash import write_report
from game.gui.worker import Worker
from game.story.diagnostics import Diagnostic, Location
from game.story.model import Story


def internal_problem(path: Path | str, error: Exception, doing: str) -> LoadedStory:
    """Turn a loader or checker crash into a one-line problem with a crash report."""
    report = write_report(error, f"window: {doing} {path}")
    where = f"; crash report: {report}" if report else ""
    message = f"the game could not read this story ({type(error).__name__}){where}"
    return LoadedStory(str(path), None, [Diagnostic("CB000", message, Location(str(path)))])


def load_for_play(path: Path, imports_of: Callable[[Story], Imports]) -> LoadedStory:
    """Read ``path`` from disk and check it for play; never raises."""
    try:
        return cache.for_play(path, imports_of)
    except Exception as error:  # a loader bug must not take the window down
        return internal_problem(path, error, "loading")


class PlayCheck(Worker):
    """A story being made ready to play on a worker thread.

    Args:
        work: Returns the checked :class:`LoadedStory`; it must not raise (the
            functions above do not), but if it does the error becomes a problem.
        path: The story file, for that problem's location.
    """

    def __init__(self, work: Callable[[], LoadedStory], path: Path) -> None:
        self.path = path
        self.result: LoadedStory | None = None
        self._work = work
        super().__init__("callback-check")
        self._start()

    def _run(self) -> None:
        try:
            self.result = self._work()
        except Exception as error:  # handed back as a problem, never raised in the window
            self.result = internal_problem(self.path, error, "checking")
