"""The window's sounds: a ring, a message ping, a hang-up and a click.

The WAV files in ``assets/sounds/`` are made by ``scripts/make_sounds.py``, never
downloaded. The window holds one :class:`Sounds` and plays them by name::

    sounds = Sounds(volume=settings.volume, muted=settings.muted)
    sounds.play(RING, loop=True)      # the phone rings until...
    sounds.stop(RING)                 # ...the player answers
    sounds.play(HANG_UP)
    sounds.set_volume(50, muted=False)

A classroom machine may have no sound card. Then the mixer fails to start, and
from that moment every call here does nothing: no exception, nothing printed.
The game is as playable without sound as with it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import pygame

from game.paths import assets_dir

RING = "ring"
"""The phone ringing; played in a loop until stopped."""
PING = "ping"
"""A message arriving."""
HANG_UP = "hangup"
"""The call has ended."""
CLICK = "click"
"""A button pressed."""
NAMES = (RING, PING, HANG_UP, CLICK)
"""Every sound's name; each is a file NAME.wav in the sounds folder."""

T = TypeVar("T")


class Sound(Protocol):
    """The part of ``pygame.mixer.Sound`` used here."""

    def play(self, loops: int = 0) -> object:
        """Start playing; ``loops=-1`` repeats until stopped."""

    def stop(self) -> object:
        """Stop every playback of this sound."""

    def set_volume(self, value: float) -> object:
        """Set the loudness, 0.0 to 1.0; a sound already playing changes too."""


class Mixer(Protocol):
    """The part of ``pygame.mixer`` used here, so a test can pass a fake."""

    def init(self) -> object:
        """Open the audio device; raise ``pygame.error`` if there is none."""

    def Sound(self, file: str) -> Sound:  # pygame's own name, capital and all
        """Load a sound file; raise ``pygame.error`` if it cannot be loaded."""


class Sounds:
    """The game's sounds, loaded once on first use and played by name.

    Args:
        folder: Where NAME.wav files are (default: ``assets/sounds``).
        mixer: What plays them (default: ``pygame.mixer``); tests pass a fake.
        volume: Loudness from 0 to 100.
        muted: True for no sound whatever the volume.
    """

    def __init__(self, folder: Path | None = None, mixer: Mixer | None = None,
                 volume: int = 80, muted: bool = False) -> None:
        self._folder = folder
        self._mixer: Mixer = mixer if mixer is not None else pygame.mixer
        self._started = False
        self._silent = False
        self._loaded: dict[str, Sound] = {}
        self._looping: set[str] = set()
        self._volume = 0.0
        self.set_volume(volume, muted)

    @classmethod
    def silent(cls) -> Sounds:
        """Sounds that never play and never touch the mixer (for screenshots and tests)."""
        sounds = cls()
        sounds._silent = True
        return sounds

    def set_volume(self, volume: int, muted: bool) -> None:
        """Use ``volume`` (0-100, clamped) or none when ``muted``; playing sounds change too."""
        self._volume = 0.0 if muted else max(0, min(100, volume)) / 100
        for sound in self._loaded.values():
            self._try(sound.set_volume, self._volume)

    def play(self, name: str, loop: bool = False) -> None:
        """Play a sound once, or over and over with ``loop`` until :meth:`stop`.

        Nothing happens while muted or at volume 0 (a muted ring does not start
        later when sound comes back on). A loop already playing is left to go on,
        not started a second time over itself.
        """
        _check(name)
        if self._volume == 0 or (loop and name in self._looping):
            return
        sound = self._sound(name)
        if sound is None:
            return
        self._try(sound.play, -1 if loop else 0)
        if loop and not self._silent:
            self._looping.add(name)

    def stop(self, name: str) -> None:
        """Stop a sound wherever it is playing (a loop too)."""
        _check(name)
        self._looping.discard(name)
        sound = self._loaded.get(name)
        if sound is not None:
            self._try(sound.stop)

    def stop_all(self) -> None:
        """Stop every sound, as when the window closes."""
        for name in list(self._loaded):
            self.stop(name)

    def _sound(self, name: str) -> Sound | None:
        """The sound ``name``, starting the mixer and loading the file the first time."""
        if self._silent or name in self._loaded:
            return self._loaded.get(name)
        if not self._started:
            self._try(self._start)
            if self._silent:
                return None
            self._started = True
        folder = self._folder if self._folder is not None else assets_dir() / "sounds"
        sound = self._try(self._mixer.Sound, str(folder / f"{name}.wav"))
        if sound is not None:
            self._loaded[name] = sound
            self._try(sound.set_volume, self._volume)
        return sound

    def _start(self) -> None:
        with _quiet_stderr():
            self._mixer.init()

    def _try(self, action: Callable[..., T], *args: object) -> T | None:
        """Return ``action(*args)``; on an audio error go silent for good and return None.

        Without a sound card ``pygame.mixer`` raises ``pygame.error``; a missing
        file raises FileNotFoundError. Either way the game goes on without sound,
        rather than failing the same way each time something should be heard.
        """
        if self._silent:
            return None
        try:
            return action(*args)
        except (pygame.error, OSError):
            self._go_silent()
            return None

    def _go_silent(self) -> None:
        """Stop whatever still plays (a ring must not loop on for ever), then play no more."""
        self._silent = True
        self._looping.clear()
        for sound in self._loaded.values():
            with contextlib.suppress(pygame.error, OSError):
                sound.stop()


def _check(name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"no sound called {name!r}: use one of {', '.join(NAMES)}")


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send the C library's stderr to nowhere for a moment.

    Without a sound card, ALSA prints a dozen lines of its own errors while SDL
    looks for one, straight to file descriptor 2 (Python cannot catch them);
    the pygame.error that follows says all the game needs to know.
    """
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.flush()  # what Python already wrote goes out before the switch
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (a windowed build): nothing to hide
        saved = -1
    if saved < 0:
        yield
        return
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
