"""The player's settings: how fast lines type out, high contrast, larger text.

Kept in ``settings.json`` beside the profile, versioned and written atomically
like every other document (see :mod:`game.store.atomic`); a damaged file falls
back to its previous good copy, then to the defaults, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from game.store.atomic import Loaded, atomic_write, dump, load
from game.store.profile import data_dir

SETTINGS_KIND = "callback-settings"
SETTINGS_VERSION = 1

TEXT_SPEEDS: dict[str, int] = {"slow": 30, "normal": 55, "fast": 110, "instant": 0}
"""Characters per second for each text speed; 0 shows a line at once."""


@dataclass(frozen=True)
class Settings:
    """What the player chose in the settings screen."""

    text_speed: str = "normal"
    high_contrast: bool = False
    large_text: bool = False

    @property
    def chars_per_second(self) -> int:
        """How fast lines type out (0: at once)."""
        return TEXT_SPEEDS[self.text_speed]

    def next_speed(self) -> Settings:
        """The same settings with the next text speed (slow, normal, fast, instant, slow...)."""
        names = list(TEXT_SPEEDS)
        following = names[(names.index(self.text_speed) + 1) % len(names)]
        return replace(self, text_speed=following)

    def to_text(self) -> str:
        """The settings as a versioned JSON document."""
        return dump(SETTINGS_KIND, SETTINGS_VERSION, {
            "text_speed": self.text_speed,
            "high_contrast": self.high_contrast,
            "large_text": self.large_text,
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Settings:
        """Build settings from a parsed document; raise ValueError if a value is wrong.

        A key missing from the document keeps its default (a newer game may add keys).
        """
        defaults = cls()
        speed = data.get("text_speed", defaults.text_speed)
        if speed not in TEXT_SPEEDS:
            raise ValueError(f"text_speed {speed!r} is not one of {', '.join(TEXT_SPEEDS)}")
        switches = {}
        for name in ("high_contrast", "large_text"):
            value = data.get(name, getattr(defaults, name))
            if not isinstance(value, bool):
                raise ValueError(f"{name} is not true or false")
            switches[name] = value
        return cls(text_speed=speed, **switches)


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
