"""The player's settings: text speed, high contrast, larger text, sound, motion, who plays.

Kept in ``settings.json`` beside the profile, versioned and written atomically
like every other document (see :mod:`game.store.atomic`); a damaged file falls
back to its previous good copy, then to the defaults, and says so.

The class code and name the window's player last gave are kept here too, so the
next session on a school machine starts as them (until someone clears them).
They were added without a version bump: a file written before them loads with
both empty (anonymous), and an older game reading a newer file ignores them.

The volume, mute and reduced-motion switches came later the same way: a file
without them loads with the volume at 80, sound on and full motion.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from game.store.atomic import Loaded, atomic_write, dump, load
from game.store.profile import data_dir

SETTINGS_KIND = "callback-settings"
SETTINGS_VERSION = 1

TEXT_SPEEDS: dict[str, int] = {"slow": 30, "normal": 55, "fast": 110, "instant": 0}
"""Characters per second for each text speed; 0 shows a line at once."""
VOLUME_STEP = 10
"""How far one press moves the volume (0-100)."""
PLAYER_TEXT_MAX = 40
"""The longest class code or name kept, in characters."""


def player_text(text: str | None) -> str | None:
    """Return a class code or name as it is kept (None when nothing is left).

    Control characters go, runs of spaces become one, and the text is cut at
    :data:`PLAYER_TEXT_MAX` characters.
    """
    if text is None:
        return None
    shown = "".join(" " if ch.isspace() else ch for ch in text
                    if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    shown = " ".join(shown.split())[:PLAYER_TEXT_MAX].rstrip()
    return shown or None


@dataclass(frozen=True)
class Settings:
    """What the player chose in the settings screen, and who last played in the window.

    ``class_code`` and ``name`` are None for an anonymous player. ``volume`` is
    0 to 100; ``muted`` silences the game whatever the volume; ``reduced_motion``
    asks the screens to keep still (no fades between screens, no ripple round a
    ringing phone).
    """

    text_speed: str = "normal"
    high_contrast: bool = False
    large_text: bool = False
    class_code: str | None = None
    name: str | None = None
    volume: int = 80
    muted: bool = False
    reduced_motion: bool = False

    @property
    def chars_per_second(self) -> int:
        """How fast lines type out (0: at once)."""
        return TEXT_SPEEDS[self.text_speed]

    def next_speed(self) -> Settings:
        """The same settings with the next text speed (slow, normal, fast, instant, slow...)."""
        names = list(TEXT_SPEEDS)
        following = names[(names.index(self.text_speed) + 1) % len(names)]
        return replace(self, text_speed=following)

    def louder(self) -> Settings:
        """The same settings one volume step up (55 goes to 60), at most 100."""
        return replace(self, volume=min(100, (self.volume // VOLUME_STEP + 1) * VOLUME_STEP))

    def quieter(self) -> Settings:
        """The same settings one volume step down (55 goes to 50), at least 0."""
        steps_up = -(-self.volume // VOLUME_STEP)  # rounded up, so 55 goes to 50, not 40
        return replace(self, volume=max(0, (steps_up - 1) * VOLUME_STEP))

    def next_volume(self) -> Settings:
        """The same settings with the next volume: 0, 10 ... 100, then 0 again."""
        return replace(self, volume=0) if self.volume >= 100 else self.louder()

    def to_text(self) -> str:
        """The settings as a versioned JSON document."""
        return dump(SETTINGS_KIND, SETTINGS_VERSION, {
            "text_speed": self.text_speed,
            "high_contrast": self.high_contrast,
            "large_text": self.large_text,
            "class_code": self.class_code,
            "name": self.name,
            "volume": self.volume,
            "muted": self.muted,
            "reduced_motion": self.reduced_motion,
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Settings:
        """Build settings from a parsed document; raise ValueError if a value is wrong.

        A key missing from the document keeps its default (a newer game may add keys,
        an older one wrote no class code or name, no volume or mute). A class code
        or name is cleaned with :func:`player_text` (a hand-edited file may hold
        anything).
        """
        defaults = cls()
        speed = data.get("text_speed", defaults.text_speed)
        if speed not in TEXT_SPEEDS:
            raise ValueError(f"text_speed {speed!r} is not one of {', '.join(TEXT_SPEEDS)}")
        switches = {}
        for name in ("high_contrast", "large_text", "muted", "reduced_motion"):
            value = data.get(name, getattr(defaults, name))
            if not isinstance(value, bool):
                raise ValueError(f"{name} is not true or false")
            switches[name] = value
        return cls(text_speed=speed, **switches, class_code=_player_key(data, "class_code"),
                   name=_player_key(data, "name"), volume=_volume(data, defaults.volume))


def _player_key(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return player_text(value)


def _volume(data: dict[str, Any], default: int) -> int:
    value = data.get("volume", default)
    # True is an int to Python, but a volume of "true" is a mistake, not 1%.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"volume {value!r} is not a whole number from 0 to 100")
    return value


def settings_path(folder: Path | None = None) -> Path:
    """Where the settings live."""
    return (folder or data_dir()) / "settings.json"


def load_settings(folder: Path | None = None) -> Loaded:
    """Load the settings (recovering from damage); ``.value`` is a :class:`Settings`."""
    return load(settings_path(folder), SETTINGS_KIND, SETTINGS_VERSION, Settings.from_data,
                Settings)


def save_settings(settings: Settings, folder: Path | None = None) -> Path:
    """Write the settings atomically; return their path."""
    path = settings_path(folder)
    atomic_write(path, settings.to_text())
    return path
