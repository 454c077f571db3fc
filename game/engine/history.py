"""The history of a playthrough: every line, every answer and what each answer changed.

The window's history screen (key H) shows it and exports it as text; it is built
from the state alone, so it is the same whether the call was played, continued
from a save or replayed after an undo::

    rows = history(story, state)
    text = history_text(story, state, heading="The Test Call (practice)")

An answer's score change is worked out as the debrief does (see
:class:`game.engine.scoring.Decision`): the overall score before it, against the
score after it with any floor a flag sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from game.engine.compiled import CompiledStory
from game.engine.engine import beat, key_of
from game.engine.scoring import walk
from game.engine.state import PlayState
from game.story.model import NARRATOR


class RowKind(StrEnum):
    """What a row of the history is."""

    TIME = "time"  # the scene's time stamp, when it moves on
    LINE = "line"  # someone speaks (the player too, in a scene's own lines)
    NARRATION = "narration"  # a stage direction
    ANSWER = "answer"  # an answer the player chose, with what it changed


@dataclass(frozen=True)
class Row:
    """One row: a time stamp, a line, narration or an answer."""

    kind: RowKind
    text: str
    speaker: str = ""
    """Who speaks a line (their name); empty for the rest."""
    player: bool = False
    """True for the player's own words."""
    changes: tuple[tuple[str, int], ...] = ()
    """An answer's meter changes: (label, change), in the story's meter order."""
    score_change: int = 0
    """An answer's change to the overall 0-100 score."""


def _scene_rows(story: CompiledStory, state: PlayState, last_time: str) -> tuple[list[Row], str]:
    shown = beat(story, state)
    rows = []
    if shown.time and shown.time != last_time:
        rows.append(Row(RowKind.TIME, shown.time))
        last_time = shown.time
    for line in shown.lines:
        if line.speaker == NARRATOR:
            rows.append(Row(RowKind.NARRATION, line.text))
        else:
            rows.append(Row(RowKind.LINE, line.text, line.name, line.is_player))
    return rows, last_time


def history(story: CompiledStory, state: PlayState) -> list[Row]:
    """Return the rows of ``state``'s playthrough of ``story`` so far, oldest first."""
    rules, model = story.rules, story.model
    rows: list[Row] = []
    time = ""
    for before, after in walk(story, state):
        shown, time = _scene_rows(story, before, time)
        rows.extend(shown)
        step = after.history[-1]
        if step.choice is None:
            continue
        choice = next(c for c in model.scenes[step.scene].choices if c.id == step.choice)
        changes = tuple((model.meters[name].label, step.deltas[name])
                        for name in model.meters if step.deltas.get(name))
        change = rules.final_score(key_of(after, rules)) - rules.score(key_of(before, rules))
        rows.append(Row(RowKind.ANSWER, choice.text, player=True, changes=changes,
                        score_change=change))
    shown, _ = _scene_rows(story, state, time)
    rows.extend(shown)
    return rows


def change_text(row: Row) -> str:
    """Say what an answer changed: 'score +12 (Composure +10, Door +20)'."""
    parts = ", ".join(f"{label} {delta:+d}" for label, delta in row.changes)
    return f"score {row.score_change:+d}" + (f" ({parts})" if parts else "")


def history_text(story: CompiledStory, state: PlayState, heading: str = "") -> str:
    """Return the history as plain text, for a file: one row a line, answers marked ``>``."""
    out = [heading or story.model.title, ""]
    for row in history(story, state):
        if row.kind is RowKind.TIME:
            out += ["", f"[{row.text}]"]
        elif row.kind is RowKind.NARRATION:
            out.append(f"  ({row.text.strip()})" if not row.text.startswith("(")
                       else f"  {row.text}")
        elif row.kind is RowKind.LINE:
            out.append(f"{row.speaker}: {row.text}")
        else:
            out.append(f"> You: {row.text}    [{change_text(row)}]")
    return "\n".join(out).rstrip() + "\n"
