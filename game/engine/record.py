"""The run record: a finished playthrough as stable JSON (see docs/run-record.md).

Classroom results and the story map's ``--highlight`` read this format, so its
keys only ever grow; ``version`` goes up only if a key changes meaning.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from game.engine.compiled import CompiledStory
from game.engine.engine import offers
from game.engine.scoring import BestReachable, scorecard, walk
from game.engine.state import PlayState

RECORD_FORMAT = "callback-run"
RECORD_VERSION = 1

Mode = Literal["practice", "assessment", "workshop"]
"""How a run was played: alone to practise, assessed, or in a class workshop."""
MODES: tuple[Mode, ...] = ("practice", "assessment", "workshop")
PlayMode = Literal["practice", "assessment"]
"""How one player plays: undo allowed (practice), or each answer final (assessment)."""
PLAY_MODES: tuple[PlayMode, ...] = ("practice", "assessment")


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with a Z."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def run_record(
    story: CompiledStory,
    sha256: str,
    state: PlayState,
    *,
    started: str,
    finished: str,
    best: BestReachable | None = None,
    run_id: str | None = None,
    mode: Mode = "practice",
    name: str | None = None,
    class_code: str | None = None,
    votes: Sequence[Mapping[str, int]] | None = None,
    undos: int = 0,
) -> dict[str, Any]:
    """Return the run record of a finished playthrough.

    Args:
        best: the best score still reachable from a state (see
            :func:`~game.engine.scoring.scorecard`); without it those figures are null.
        run_id: the run's UUID (default: a new random one).
        mode: how the run was played.
        name, class_code: who played it, if they said (anonymous by default).
        votes: in a workshop, the hands counted for each choice id at each decision,
            in order; each step then has ``votes``.
        undos: how many answers the player took back (practice only: an assessment
            run is ``locked``, its answers final once given).
    """
    card = scorecard(story, state, best)
    steps = []
    decisions = iter(card.decisions)
    hands = iter(votes) if votes is not None else None
    for before, after in walk(story, state):
        step = after.history[-1]
        if step.choice is None:
            continue
        decision = next(decisions)
        steps.append(
            {
                "scene": step.scene,
                "offered": [
                    {"id": o.id, "text": o.text, "tags": list(o.tags)}
                    for o in offers(story, before)
                    if o.available
                ],
                "chosen": step.choice,
                "text": decision.text,
                "feedback": decision.feedback,
                "deltas": dict(step.deltas),
                "flags": dict(step.flags),
                "best_reachable": best(after) if best is not None else None,
            }
        )
        if hands is not None:
            steps[-1]["votes"] = dict(next(hands, {}))
    return {
        "format": RECORD_FORMAT,
        "version": RECORD_VERSION,
        "id": run_id or str(uuid.uuid4()),
        "mode": mode,
        "locked": mode == "assessment",
        "undos": undos,
        "player": {"name": name or None, "class": class_code or None},
        "story": {"id": story.id, "title": story.model.title, "version": story.model.version,
                  "sha256": sha256},
        "steps": steps,
        "ending": card.ending,
        "outcome": card.outcome.value,
        "score": card.score,
        "band": {"min": card.band.min, "max": card.band.max},
        "best_possible": card.best_possible,
        "meters": dict(state.meters),
        "flags": dict(state.flags),
        "imports": dict(state.imports),
        "started": started,
        "finished": finished,
    }
