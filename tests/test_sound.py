"""Sound: the four WAV files, the player that never fails the game, and its settings rows.

The player is tested against a fake mixer that records what it is asked to do;
one test plays the real files through pygame's mixer on SDL's dummy driver
(``tests/conftest.py``), so the fake cannot drift from the real thing unnoticed.
"""

from __future__ import annotations

import array
import subprocess
import sys
import wave
from pathlib import Path

import pygame
import pytest
from gui_helpers import Pilot, labelled, make_app

from game.gui.screens.settings import SettingsScreen
from game.gui.sound import CLICK, HANG_UP, NAMES, PING, RING, Sounds
from game.store.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "assets" / "sounds"
SCRIPT = ROOT / "scripts" / "make_sounds.py"


class FakeSound:
    """A loaded sound that writes each call into its mixer's log."""

    def __init__(self, log: list[tuple[object, ...]], name: str) -> None:
        self.log, self.name, self.volume = log, name, 1.0

    def play(self, loops: int = 0) -> None:
        self.log.append(("play", self.name, loops, self.volume))

    def stop(self) -> None:
        self.log.append(("stop", self.name))

    def set_volume(self, value: float) -> None:
        self.volume = value
        self.log.append(("volume", self.name, value))


class FakeMixer:
    """Stands in for ``pygame.mixer``: no device needed, every call kept in ``log``.

    Args:
        device: False for a machine with no sound card (``init`` fails).
        missing: Sound names whose file cannot be found.
    """

    def __init__(self, device: bool = True, missing: tuple[str, ...] = ()) -> None:
        self.device, self.missing = device, missing
        self.log: list[tuple[object, ...]] = []
        self.sounds: dict[str, FakeSound] = {}

    def init(self) -> None:
        self.log.append(("init",))
        if not self.device:
            raise pygame.error("No available audio device")

    def Sound(self, file: str) -> FakeSound:  # pygame's name, capital and all
        name = Path(file).stem
        self.log.append(("load", name))
        if name in self.missing:
            raise FileNotFoundError(file)
        self.sounds[name] = FakeSound(self.log, name)
        return self.sounds[name]

    def played(self) -> list[tuple[object, ...]]:
        """The play calls, in order: (name, loops, volume)."""
        return [call[1:] for call in self.log if call[0] == "play"]


def test_a_sound_is_loaded_once_and_played_at_the_chosen_volume(tmp_path: Path) -> None:
    mixer = FakeMixer()
    sounds = Sounds(tmp_path, mixer, volume=50)
    assert mixer.log == []  # nothing opened until something is played
    sounds.play(PING)
    sounds.play(PING)
    sounds.play(CLICK)
    assert mixer.log.count(("init",)) == 1
    assert [call for call in mixer.log if call[0] == "load"] == [("load", PING), ("load", CLICK)]
    assert mixer.played() == [(PING, 0, 0.5), (PING, 0, 0.5), (CLICK, 0, 0.5)]


def test_the_ring_loops_until_stopped_and_never_doubles_up(tmp_path: Path) -> None:
    mixer = FakeMixer()
    sounds = Sounds(tmp_path, mixer)
    sounds.play(RING, loop=True)
    sounds.play(RING, loop=True)  # a second screen asking for the ring: it rings on
    assert mixer.played() == [(RING, -1, 0.8)]
    sounds.stop(RING)
    assert mixer.log[-1] == ("stop", RING)
    sounds.play(RING, loop=True)  # the next call rings again
    sounds.play(HANG_UP)
    sounds.stop_all()
    assert mixer.played()[1:] == [(RING, -1, 0.8), (HANG_UP, 0, 0.8)]
    assert {call[1] for call in mixer.log[-2:]} == {RING, HANG_UP}


def test_muting_silences_what_plays_and_sound_on_brings_it_back(tmp_path: Path) -> None:
    mixer = FakeMixer()
    sounds = Sounds(tmp_path, mixer, volume=80)
    sounds.play(RING, loop=True)
    sounds.set_volume(80, muted=True)
    assert mixer.sounds[RING].volume == 0.0  # the ring already playing goes quiet
    sounds.play(PING)
    assert PING not in mixer.sounds and len(mixer.played()) == 1
    sounds.set_volume(60, muted=False)
    assert mixer.sounds[RING].volume == 0.6
    sounds.play(PING)
    assert mixer.played()[-1] == (PING, 0, 0.6)
    sounds.set_volume(0, muted=False)  # volume 0 is as quiet as muted
    sounds.play(CLICK)
    assert CLICK not in mixer.sounds


def test_without_a_sound_card_every_call_quietly_does_nothing(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    mixer = FakeMixer(device=False)
    sounds = Sounds(tmp_path, mixer)
    for name in NAMES:
        sounds.play(name, loop=name == RING)
        sounds.stop(name)
    sounds.set_volume(30, muted=False)
    sounds.stop_all()
    assert mixer.log == [("init",)]  # tried once, then never again
    assert capfd.readouterr() == ("", "")


def test_a_missing_file_stops_the_ring_and_the_game_goes_on_without_sound(
        tmp_path: Path) -> None:
    mixer = FakeMixer(missing=(PING,))
    sounds = Sounds(tmp_path, mixer)
    sounds.play(RING, loop=True)
    sounds.play(PING)
    assert mixer.log[-1] == ("stop", RING)  # no ring looping on with nothing to stop it
    sounds.play(HANG_UP)
    assert mixer.played() == [(RING, -1, 0.8)]


def test_silent_sounds_never_touch_the_mixer(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the mixer was used")

    monkeypatch.setattr(pygame.mixer, "init", refuse)
    monkeypatch.setattr(pygame.mixer, "Sound", refuse)
    sounds = Sounds.silent()
    sounds.play(RING, loop=True)
    sounds.set_volume(100, muted=False)
    sounds.stop_all()


def test_a_sound_that_does_not_exist_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no sound called 'rign': use one of ring, ping"):
        Sounds(tmp_path, FakeMixer()).play("rign")


def test_the_real_mixer_plays_the_bundled_files() -> None:
    sounds = Sounds()
    try:
        sounds.play(RING, loop=True)
        sounds.play(CLICK)
        if pygame.mixer.get_init() is None:
            pytest.skip("SDL has no dummy audio driver here")
        assert pygame.mixer.get_busy()
        sounds.stop_all()
        assert not pygame.mixer.get_busy()
    finally:
        pygame.mixer.quit()


def _read(path: Path) -> tuple[tuple[int, int, int], array.array[int]]:
    """A WAV file's (channels, bytes a sample, rate) and its 16-bit samples."""
    with wave.open(str(path), "rb") as sound:
        form = (sound.getnchannels(), sound.getsampwidth(), sound.getframerate())
        samples = array.array("h", sound.readframes(sound.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV samples are little-endian
    return form, samples


@pytest.mark.parametrize("name", NAMES)
def test_each_sound_is_a_short_clean_mono_wav(name: str) -> None:
    path = SOUNDS / f"{name}.wav"
    form, samples = _read(path)
    assert form == (1, 2, 22050)
    assert 0.03 <= len(samples) / 22050 <= 3.0
    assert path.stat().st_size < 100_000
    peak = max(abs(s) for s in samples)
    assert 0.3 * 32767 < peak < 0.95 * 32767  # heard, and never clipped
    assert abs(samples[0]) < 300 and abs(samples[-1]) < 300  # starts and ends without a click


def test_the_bundled_sounds_are_exactly_what_the_script_makes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in SOUNDS.iterdir()) == sorted(f"{n}.wav" for n in NAMES)
    for name in made:
        assert (tmp_path / name).read_bytes() == (SOUNDS / name).read_bytes(), (
            f"assets/sounds/{name} is not what scripts/make_sounds.py makes: run it again")


def test_the_settings_turn_the_volume_and_switch_sound_and_motion(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pilot.press(pygame.K_s)
    screen = pilot.top
    assert isinstance(screen, SettingsScreen)
    pilot.press(pygame.K_4)  # 80% -> 90%, and the volume row has the focus
    pilot.press(pygame.K_4)
    pilot.press(pygame.K_4)  # 100% goes round to 0%
    assert app.session.settings.volume == 0
    pilot.press(pygame.K_LEFT)  # already as low as it goes
    pilot.press(pygame.K_RIGHT)
    pilot.press(pygame.K_RIGHT)
    assert labelled(screen.menu, "Volume: 20%").rect.w > 0
    pilot.press(pygame.K_DOWN)  # the Sound row: Left and Right leave the volume alone
    pilot.press(pygame.K_RIGHT)
    assert app.session.settings.volume == 20
    pilot.press(pygame.K_RETURN)
    pilot.press(pygame.K_6)
    assert labelled(screen.menu, "Sound: Off").rect.w > 0
    assert labelled(screen.menu, "Reduced motion: On").rect.w > 0
    pilot.click(labelled(screen.menu, "Done").rect.center)
    assert not isinstance(pilot.top, SettingsScreen)
    kept = load_settings(tmp_path / "data").value
    assert (kept.volume, kept.muted, kept.reduced_motion) == (20, True, True)
