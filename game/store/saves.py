"""The game in progress: one save, so a call left half way can be continued.

The window writes ``save.json`` after every move of a call and removes it when the
call ends (the finished run is kept in the results instead). The save holds the
moves, not the state: continuing replays them on the story as it is now, as far as
they still apply, so an edited or updated story never meets a stale state.
Written atomically and versioned like every other document (see
:mod:`game.store.atomic`).

Beside it the player keeps up to :data:`SLOTS` calls of their own choosing
(``slot-1.json`` ...): the same save plus the scene it was at and a small picture
of the call screen (:class:`SlotSave`). The picture lives inside the document, so
one atomic write replaces both: a kill can never pair a new save with an old picture.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine.compiled import CompiledStory
from game.engine.engine import replay
from game.engine.record import PLAY_MODES, PlayMode
from game.engine.state import PlayState
from game.store.atomic import Loaded, atomic_write, dump, load
from game.store.profile import data_dir
from game.story.model import Story

SAVE_KIND = "callback-save"
SAVE_VERSION = 1
SLOT_KIND = "callback-slot"
SLOT_VERSION = 1
SLOT_MIN_VERSION = 1
"""The oldest slot document this version reads. When the format changes in a way the
old reading cannot follow, migrate older documents in :meth:`SlotSave.from_data` or
raise this, so they are refused on purpose (with a message) rather than misread."""
SLOTS = 3
"""How many slots the player can save a call to, numbered from 1."""
THUMBNAIL_MAX_BYTES = 1_000_000
"""The largest picture a slot keeps (the window's are about 30 KB)."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Saved:
    """A call in progress: which story, the moves made (None for Continue), and when.

    ``mode`` is how it was played: an assessment is continued locked (a save written
    before modes existed reads as practice).
    """

    story_id: str
    story_title: str
    story_path: str
    sha256: str
    moves: tuple[str | None, ...]
    imports: dict[str, int | bool] = field(default_factory=dict)
    campaign: bool = False
    started: str = ""
    saved: str = ""
    mode: PlayMode = "practice"

    @property
    def choices(self) -> int:
        """How many choices the player had made."""
        return sum(move is not None for move in self.moves)

    @classmethod
    def of(cls, story: Story, path: Path, sha256: str, state: PlayState, *, campaign: bool,
           started: str, saved: str, mode: PlayMode = "practice") -> Saved:
        """The save for ``state``, a playthrough of ``story`` loaded from ``path``."""
        return cls(story.id, story.title, str(Path(path).resolve()), sha256,
                   tuple(step.choice for step in state.history), dict(state.imports),
                   campaign, started, saved, mode)

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
        return dump(SAVE_KIND, SAVE_VERSION, self.body())

    def body(self) -> dict[str, Any]:
        """The save's fields as a document holds them (read back by :meth:`from_data`)."""
        return {
            "story": {"id": self.story_id, "title": self.story_title, "path": self.story_path,
                      "sha256": self.sha256},
            "moves": list(self.moves),
            "imports": self.imports,
            "campaign": self.campaign,
            "started": self.started,
            "saved": self.saved,
            "mode": self.mode,
        }

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
        mode = data.get("mode", "practice")
        if mode not in PLAY_MODES:
            raise ValueError(f"'mode' is not one of {', '.join(PLAY_MODES)}")
        sid, title, path, sha, started, saved = texts
        return cls(sid, title, path, sha, tuple(moves), {str(k): v for k, v in imports.items()},
                   campaign, started, saved, mode)


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


@dataclass(frozen=True)
class SlotSave:
    """A call the player saved to a slot: the save, the scene it was at, and a picture.

    Attributes:
        saved: The call as the autosave keeps it (loading replays its moves on the
            story as it is now, as far as they still apply: see :meth:`Saved.resume`).
        scene: The id of the scene the call was at when it was saved.
        thumbnail: A small PNG of the call screen, or None.

    Raises:
        ValueError: if ``scene`` is empty or ``thumbnail`` is not a PNG of at most
            :data:`THUMBNAIL_MAX_BYTES` (so a slot is checked the same way when it is
            written and when it is read back).
    """

    saved: Saved
    scene: str
    thumbnail: bytes | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.scene, str) or not self.scene:
            raise ValueError("'scene' is not a scene id")
        picture = self.thumbnail
        if picture is None:
            return
        if not isinstance(picture, bytes) or not picture.startswith(PNG_SIGNATURE):
            raise ValueError("'thumbnail' is not a PNG picture")
        if len(picture) > THUMBNAIL_MAX_BYTES:
            raise ValueError(f"'thumbnail' is over {THUMBNAIL_MAX_BYTES:,} bytes")

    def to_text(self) -> str:
        """The slot as one versioned JSON document, its picture as base64 text inside."""
        picture = self.thumbnail
        return dump(SLOT_KIND, SLOT_VERSION, {
            **self.saved.body(),
            "scene": self.scene,
            "thumbnail": None if picture is None else base64.b64encode(picture).decode("ascii"),
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SlotSave:
        """Build a slot from a parsed document; raise ValueError if it is malformed."""
        version = data["version"]  # parse() has refused a missing or newer one
        if version < SLOT_MIN_VERSION:
            raise ValueError(f"was written by an older Callback (version {version}); this one "
                             f"reads versions {SLOT_MIN_VERSION} to {SLOT_VERSION}")
        return cls(Saved.from_data(data), data["scene"], _picture(data.get("thumbnail")))


def _picture(text: object) -> bytes | None:
    """The PNG bytes of a slot's base64 ``thumbnail`` field (None: it has none)."""
    if text is None:
        return None
    if not isinstance(text, str) or len(text) > THUMBNAIL_MAX_BYTES * 4 // 3 + 4:
        raise ValueError("'thumbnail' is not a picture's base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:  # a hand edit, or a torn copy: the fields around it may be too
        raise ValueError("'thumbnail' is not valid base64") from None


def slot_path(number: int, folder: Path | None = None) -> Path:
    """Where slot ``number`` (1 to :data:`SLOTS`) is saved.

    Raises:
        ValueError: if there is no slot ``number``.
    """
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= SLOTS:
        raise ValueError(f"there is no slot {number!r}: slots are numbered 1 to {SLOTS}")
    return (folder or data_dir()) / f"slot-{number}.json"


def write_slot(number: int, saved: Saved, thumbnail: bytes | None,
               folder: Path | None = None, *, scene: str) -> Path:
    """Save a call to slot ``number`` in one atomic write (picture included); return its path.

    Args:
        number: The slot, 1 to :data:`SLOTS`; what it held is replaced.
        saved: The call, as :meth:`Saved.of` makes it.
        thumbnail: A small PNG of the call screen, or None.
        folder: The player's data folder (default: the machine's).
        scene: The id of the scene the call is at.

    Raises:
        ValueError: for a slot that does not exist, an empty scene or a picture that
            is not a PNG (nothing is written).
        OSError: if the file cannot be written (the slot keeps what it held).
    """
    path = slot_path(number, folder)
    atomic_write(path, SlotSave(saved, scene, thumbnail).to_text())
    return path


def load_slot(number: int, folder: Path | None = None) -> Loaded:
    """Load slot ``number``; ``.value`` is a :class:`SlotSave`, or None if it is empty.

    A damaged slot falls back to its previous copy, or reads as empty, with a note
    (see :func:`game.store.atomic.load`); it never raises for a bad file.
    """
    return load(slot_path(number, folder), SLOT_KIND, SLOT_VERSION, SlotSave.from_data,
                lambda: None)


def list_slots(folder: Path | None = None) -> list[SlotSave | None]:
    """Every slot in order, None for an empty one (notes of recovery are dropped:
    use :func:`load_slot` to show them)."""
    return [load_slot(number, folder).value for number in range(1, SLOTS + 1)]
