"""The game in progress: one save, so a call left half way can be continued.

The window writes ``save.json`` after every move of a call and removes it when the
call ends (the finished run is kept in the results instead). The save holds the
moves, not the state: continuing replays them on the story as it is now, as far as
they still apply, so an edited or updated story never meets a stale state.
Written atomically and versioned like every other document (see
:mod:`game.store.atomic`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine.compiled import CompiledStory
from game.engine.engine import replay
from game.engine.state import PlayState
from game.store.atomic import Loaded, atomic_write, dump, load
from game.store.profile import data_dir
from game.story.model import Story

SAVE_KIND = "callback-save"
SAVE_VERSION = 1


@dataclass(frozen=True)
class Saved:
    """A call in progress: which story, the moves made (None for Continue), and when."""

    story_id: str
    story_title: str
    story_path: str
    sha256: str
    moves: tuple[str | None, ...]
    imports: dict[str, int | bool] = field(default_factory=dict)
    campaign: bool = False
    started: str = ""
    saved: str = ""

    @property
    def choices(self) -> int:
        """How many choices the player had made."""
        return sum(move is not None for move in self.moves)

    @classmethod
    def of(cls, story: Story, path: Path, sha256: str, state: PlayState, *, campaign: bool,
           started: str, saved: str) -> Saved:
        """The save for ``state``, a playthrough of ``story`` loaded from ``path``."""
        return cls(story.id, story.title, str(Path(path).resolve()), sha256,
                   tuple(step.choice for step in state.history), dict(state.imports),
                   campaign, started, saved)

    def resume(self, story: CompiledStory) -> tuple[list[str | None], str]:
        """The moves that still apply to ``story`` as it is now, and a note if some do not."""
        moves = list(self.moves)
        _, used = replay(story, moves, self.imports)
        if used < len(moves):
            return moves[:used], (
                "The story has changed since you left it: your call picks up after "
                f"{sum(m is not None for m in moves[:used])} of your "
                f"{self.choices} choices."
            )
        return moves, ""

    def to_text(self) -> str:
        """The save as a versioned JSON document."""
        return dump(SAVE_KIND, SAVE_VERSION, {
            "story": {"id": self.story_id, "title": self.story_title, "path": self.story_path,
                      "sha256": self.sha256},
            "moves": list(self.moves),
            "imports": self.imports,
            "campaign": self.campaign,
            "started": self.started,
            "saved": self.saved,
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Saved:
        """Build a save from a parsed document; raise ValueError if it is malformed."""
        story = data["story"]
        if not isinstance(story, dict):
            raise ValueError("'story' is not a mapping")
        moves = data["moves"]
        if not isinstance(moves, list) or not all(m is None or isinstance(m, str) for m in moves):
            raise ValueError("'moves' is not a list of choice ids")
        imports = data.get("imports", {})
        if not isinstance(imports, dict) or not all(
            isinstance(v, (bool, int)) for v in imports.values()
        ):
            raise ValueError("'imports' is not a mapping of numbers and true/false")
        texts = [story["id"], story.get("title", ""), story["path"], story.get("sha256", ""),
                 data.get("started", ""), data.get("saved", "")]
        if not all(isinstance(t, str) for t in texts):
            raise ValueError("a story or time field is not text")
        campaign = data.get("campaign", False)
        if not isinstance(campaign, bool):
            raise ValueError("'campaign' is not true or false")
        sid, title, path, sha, started, saved = texts
        return cls(sid, title, path, sha, tuple(moves), {str(k): v for k, v in imports.items()},
                   campaign, started, saved)


def save_path(folder: Path | None = None) -> Path:
    """Where the game in progress is saved."""
    return (folder or data_dir()) / "save.json"


def load_save(folder: Path | None = None) -> Loaded:
    """Load the game in progress; ``.value`` is a :class:`Saved`, or None if there is none."""
    return load(save_path(folder), SAVE_KIND, SAVE_VERSION, Saved.from_data, lambda: None)


def write_save(saved: Saved, folder: Path | None = None) -> Path:
    """Write the game in progress atomically; return its path."""
    path = save_path(folder)
    atomic_write(path, saved.to_text())
    return path


def clear_save(folder: Path | None = None) -> None:
    """Forget the game in progress (its call has ended, or a new one began)."""
    path = save_path(folder)
    for leftover in (path.with_name(path.name + ".bak"), path):  # never the .bak alone
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
