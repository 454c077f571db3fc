"""Finishing a run: score it on a worker thread, then save it on the main thread.

Scoring a run looks ahead through every state the story can still reach, which
takes a few seconds for the larger stories the first time. The window must not
freeze meanwhile, so the pure scoring runs on a daemon thread while the player
reads the consequence screen; the app polls :attr:`FinishedRun.done` each frame
and saves the run record (and the campaign profile) on its own thread.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from typing import Any

from game.analysis.space import best_reachable, space_for
from game.classroom.workshop import PathStep, best_path
from game.engine.compiled import CompiledStory
from game.engine.record import Mode, now_iso, run_record
from game.engine.scoring import Scorecard, scorecard
from game.engine.state import PlayState
from game.gui.worker import Worker
from game.store.profile import Carried
from game.story.model import Outcome


@dataclass(frozen=True)
class Retry:
    """A finished run replayed to one of its decisions, to try another answer there.

    The new run's debrief says what changed against this one.
    """

    number: int
    """Which decision (1 for the first)."""
    scene: str
    choice: str
    """The answer given there last time (its id, and its words in ``text``)."""
    text: str
    score: int
    outcome: Outcome


class FinishedRun(Worker):
    """A finished playthrough being scored in the background.

    Args:
        story: The story played.
        state: The final state (phase ENDED).
        sha256: The story file's hash, for the run record.
        started: When the run started (ISO 8601).
        carried: Earlier choices, from the profile, that shaped this run.
        name, class_code: Who played (None: anonymous).
        mode, votes: How the run was played; a workshop's hands per choice at each decision.
        undos: How many answers the player took back (practice).
    """

    def __init__(
        self,
        story: CompiledStory,
        state: PlayState,
        *,
        sha256: str = "",
        started: str = "",
        carried: list[Carried] | None = None,
        name: str | None = None,
        class_code: str | None = None,
        mode: Mode = "practice",
        votes: list[dict[str, int]] | None = None,
        undos: int = 0,
    ) -> None:
        self.story = story
        self.state = state
        self.sha256 = sha256
        self.started = started or now_iso()
        self.finished = now_iso()
        self.carried = list(carried or [])
        self.name, self.class_code = name, class_code
        self.mode, self.votes, self.undos = mode, votes, undos
        self.card: Scorecard | None = None
        self.best: list[PathStep] = []
        """The decisions of a run that reaches the best score from this run's start."""
        self.best_score: int | None = None
        self.record: dict[str, Any] | None = None
        self.error: Exception | None = None
        self.note = ""  # said on the debrief if saving failed
        super().__init__("callback-scoring")
        self._start()

    def _run(self) -> None:
        try:
            best = functools.partial(best_reachable, self.story)
            self.card = scorecard(self.story, self.state, best)
            self.best_score, self.best = best_path(self.story, self.state.imports)
            self.record = run_record(
                self.story,
                self.sha256,
                self.state,
                started=self.started,
                finished=self.finished,
                best=best,
                name=self.name,
                class_code=self.class_code,
                mode=self.mode,
                votes=self.votes,
                undos=self.undos,
            )
        except Exception as error:  # handed to the main thread's crash screen
            self.error = error


class Warmup(Worker):
    """Builds a story's score tables in the background while the player is on the call.

    The debrief needs them ("you could have reached 92"); on the larger stories they
    take seconds, which would otherwise be spent after the call, on a spinner. A
    failure here is not reported: scoring the run builds the tables again and says so.
    """

    def __init__(self, story: CompiledStory, imports: dict[str, int | bool]) -> None:
        self.story = story
        self.imports = dict(imports)
        super().__init__("callback-warmup")
        self._start()

    def _run(self) -> None:
        with contextlib.suppress(Exception):  # FinishedRun meets the same error and says so
            space_for(self.story, self.imports)
