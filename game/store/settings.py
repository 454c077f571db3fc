"""The player's settings: text speed and size, contrast, sound, motion, the window, who plays.

Kept in ``settings.json`` beside the profile, versioned and written atomically
like every other document (see :mod:`game.store.atomic`); a damaged file falls
back to its previous good copy, then to the defaults, and says so.

The class code and name the window's player last gave are kept here too, so the
next session on a school machine starts as them (until someone clears them).
They were added without a version bump: a file written before them loads with
both empty (anonymous), and an older game reading a newer file ignores them.

The volume, mute and reduced-motion switches came later the same way: a file
without them loads with the volume at 80, sound on and full motion. So did
fullscreen, the window's size (kept when the player resizes it) and showing
the meters during play: a file without them opens a window of the usual size,
not fullscreen, with the meters hidden.

The text size was once one switch, ``large_text`` (about 125%); it is now
``text_scale``, a percentage in :data:`TEXT_SCALES`. A file with
``large_text: true`` and no ``text_scale`` loads at 125%, and ``large_text`` is
still written (true above 100%) so an older game reading a newer file still
shows larger text.
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
TEXT_SCALES: tuple[int, ...] = (100, 125, 150, 175, 200)
"""The text sizes on offer, in percent of the normal size."""
LARGE_TEXT_SCALE = 125
"""The text size an old file's ``large_text: true`` stands for."""
WINDOW_MIN = (640, 480)
"""The smallest window size kept: the window's own minimum (``MIN_SIZE`` in game/gui/app.py)."""
WINDOW_MAX = 10_000
"""The largest width or height kept: anything bigger is a hand-edited mistake."""
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

    ``class_code`` and ``name`` are None for an anonymous player. ``text_scale`` is
    the text size in percent (one of :data:`TEXT_SCALES`). ``volume`` is 0 to
    100; ``muted`` silences the game whatever the volume; ``reduced_motion`` asks
    the screens to keep still (no fades between screens, no ripple round a ringing
    phone). ``window_size`` is the window's last size when not fullscreen (None:
    never resized). ``show_meters`` shows the meters during a call.
    """

    text_speed: str = "normal"
    high_contrast: bool = False
    text_scale: int = 100
    class_code: str | None = None
    name: str | None = None
    volume: int = 80
    muted: bool = False
    reduced_motion: bool = False
    fullscreen: bool = False
    window_size: tuple[int, int] | None = None
    show_meters: bool = False

    @property
    def large_text(self) -> bool:
        """True if the text is larger than normal (what an older game reads)."""
        return self.text_scale > TEXT_SCALES[0]

    @property
    def chars_per_second(self) -> int:
        """How fast lines type out (0: at once)."""
        return TEXT_SPEEDS[self.text_speed]

    def next_speed(self) -> Settings:
        """The same settings with the next text speed (slow, normal, fast, instant, slow...)."""
        names = list(TEXT_SPEEDS)
        following = names[(names.index(self.text_speed) + 1) % len(names)]
        return replace(self, text_speed=following)

    def next_text_scale(self) -> Settings:
        """The same settings with the next text size: 100%, 125% ... 200%, then 100% again."""
        following = next((size for size in TEXT_SCALES if size > self.text_scale), TEXT_SCALES[0])
        return replace(self, text_scale=following)

    def larger_text(self) -> Settings:
        """The same settings one text size up, at most 200%."""
        bigger = next((size for size in TEXT_SCALES if size > self.text_scale), TEXT_SCALES[-1])
        return replace(self, text_scale=bigger)

    def smaller_text(self) -> Settings:
        """The same settings one text size down, at least 100%."""
        smaller = [size for size in TEXT_SCALES if size < self.text_scale]
        return replace(self, text_scale=smaller[-1] if smaller else TEXT_SCALES[0])

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
            "large_text": self.large_text,  # for an older game: it knows no text_scale
            "text_scale": self.text_scale,
            "class_code": self.class_code,
            "name": self.name,
            "volume": self.volume,
            "muted": self.muted,
            "reduced_motion": self.reduced_motion,
            "fullscreen": self.fullscreen,
            "window_size": None if self.window_size is None else list(self.window_size),
            "show_meters": self.show_meters,
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Settings:
        """Build settings from a parsed document; raise ValueError if a value is wrong.

        A key missing from the document keeps its default (a newer game may add keys,
        an older one wrote no class code or name, no volume or mute); an old
        ``large_text: true`` without a ``text_scale`` becomes 125%. A class code
        or name is cleaned with :func:`player_text` (a hand-edited file may hold
        anything).
        """
        defaults = cls()
        speed = data.get("text_speed", defaults.text_speed)
        if speed not in TEXT_SPEEDS:
            raise ValueError(f"text_speed {speed!r} is not one of {', '.join(TEXT_SPEEDS)}")
        switches = {}
        for name in ("high_contrast", "muted", "reduced_motion", "fullscreen", "show_meters"):
            value = data.get(name, getattr(defaults, name))
            if not isinstance(value, bool):
                raise ValueError(f"{name} is not true or false")
            switches[name] = value
        return cls(text_speed=speed, **switches, text_scale=_text_scale(data),
                   class_code=_player_key(data, "class_code"), name=_player_key(data, "name"),
                   volume=_volume(data, defaults.volume), window_size=_window_size(data))


def _text_scale(data: dict[str, Any]) -> int:
    large = data.get("large_text", False)
    if not isinstance(large, bool):
        raise ValueError("large_text is not true or false")
    if "text_scale" not in data:  # written before the sizes: the one larger size was 125%
        return LARGE_TEXT_SCALE if large else TEXT_SCALES[0]
    value = data["text_scale"]
    # True is an int to Python and 125.0 equals 125, but neither is a size the game writes.
    if isinstance(value, bool) or not isinstance(value, int) or value not in TEXT_SCALES:
        steps = ", ".join(str(size) for size in TEXT_SCALES)
        raise ValueError(f"text_scale {value!r} is not one of {steps}")
    return value


def _window_size(data: dict[str, Any]) -> tuple[int, int] | None:
    value = data.get("window_size")
    if value is None:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
            and all(low <= n <= WINDOW_MAX for n, low in zip(value, WINDOW_MIN, strict=True))):
        return (value[0], value[1])
    raise ValueError(f"window_size {value!r} is not a width from {WINDOW_MIN[0]} and a height"
                     f" from {WINDOW_MIN[1]}, each up to {WINDOW_MAX}")


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
