"""Make the game's four sounds: a ring, a message ping, a hang-up and a click.

The sounds are made here, from sine waves, never downloaded: no licence to
track, and anyone can change a note and run this again. The standard library
only (``wave``, ``math``, ``array``), so it runs before the game's own
dependencies are installed.

Usage::

    python scripts/make_sounds.py            # writes assets/sounds/*.wav
    python scripts/make_sounds.py --out DIR  # writes DIR/*.wav instead

Every run writes the same bytes (no randomness, no time stamps), so a test can
check that the files in ``assets/sounds/`` are the ones this script makes.
All four are 16-bit mono at 22050 Hz, well under 100 KB each.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 22050
"""Samples per second: plenty for tones below 5 kHz, and half the file size of 44.1 kHz."""
PEAK = 32767
"""The largest 16-bit sample."""
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds"

Wave = Callable[[float], float]
"""A sound as a function of time in seconds, about -1.0 to 1.0."""


def ramp(t: float, length: float) -> float:
    """Rise from 0 to 1 over ``length`` seconds along half a cosine.

    A straight-line fade has corners that the ear hears as a faint click; the
    cosine starts and ends flat.
    """
    if t <= 0:
        return 0.0
    if t >= length:
        return 1.0
    return 0.5 - 0.5 * math.cos(math.pi * t / length)


def envelope(t: float, duration: float, attack: float, release: float) -> float:
    """Loudness of a note ``duration`` seconds long at time ``t``: fade in, hold, fade out."""
    if t < 0 or t > duration:
        return 0.0
    return ramp(t, attack) * ramp(duration - t, release)


def tones(t: float, partials: Sequence[tuple[float, float]]) -> float:
    """Sum of sine waves, each given as (frequency in Hz, amplitude)."""
    return sum(amp * math.sin(2 * math.pi * freq * t) for freq, amp in partials)


def ring(t: float) -> float:
    """One ring of the phone, 2 s long, made to loop: two bursts, then quiet.

    Each burst is a major third (E5 and G#5), a pleasant chord rather than the
    harsh 440 + 480 Hz of a landline, with a gentle 20 Hz warble like a bell
    striker. The loop starts and ends in silence, so it repeats without a click.
    """
    chord = ((659.26, 0.5), (830.61, 0.4), (1318.51, 0.1))
    loudness = 0.0
    for start in (0.0, 0.55):
        loudness += envelope(t - start, 0.4, 0.02, 0.06)
    warble = 0.8 + 0.2 * math.sin(2 * math.pi * 20 * t)
    return 0.7 * loudness * warble * tones(t, chord)


def ping(t: float) -> float:
    """A message arriving: a small bell, 0.35 s.

    The partials are a bell's inharmonic ratios (1, 2.76, 5.40) above A5; the
    higher ones die away faster, as a struck bell's do.
    """
    base = 880.0
    partials = ((1.0, 0.45, 9.0), (2.76, 0.18, 16.0), (5.40, 0.08, 28.0))
    sound = sum(amp * math.exp(-decay * t) * math.sin(2 * math.pi * base * ratio * t)
                for ratio, amp, decay in partials)
    return sound * envelope(t, 0.35, 0.003, 0.03)


def hang_up(t: float) -> float:
    """The call has ended: three short beeps falling down a chord (E5, C#5, A4), 0.8 s.

    A little second harmonic makes the beeps sound like a handset, not a test tone.
    """
    sound = 0.0
    for index, freq in enumerate((660.0, 550.0, 440.0)):
        start = index * 0.24
        sound += envelope(t - start, 0.16, 0.01, 0.02) * tones(t, ((freq, 0.5), (2 * freq, 0.1)))
    return sound


def click(t: float) -> float:
    """A soft button click, 40 ms: a quick high tick over a low tap."""
    tick = 0.35 * math.exp(-t / 0.004) * math.sin(2 * math.pi * 1800 * t)
    tap = 0.3 * math.exp(-t / 0.008) * math.sin(2 * math.pi * 500 * t)
    return (tick + tap) * envelope(t, 0.04, 0.001, 0.01)


SOUNDS: dict[str, tuple[Wave, float]] = {
    "ring.wav": (ring, 2.0),
    "ping.wav": (ping, 0.35),
    "hangup.wav": (hang_up, 0.8),
    "click.wav": (click, 0.04),
}
"""Each file's sound and its length in seconds."""


def samples(sound: Wave, seconds: float) -> array[int]:
    """Render ``sound`` as 16-bit samples, clamped so a loud peak can never wrap round."""
    count = round(seconds * RATE)
    rendered = array("h", (max(-PEAK, min(PEAK, round(sound(i / RATE) * PEAK)))
                           for i in range(count)))
    if sys.byteorder == "big":
        rendered.byteswap()  # WAV samples are little-endian
    return rendered


def write(path: Path, sound: Wave, seconds: float) -> None:
    """Write one sound as a mono 16-bit WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples(sound, seconds).tobytes())


def main(argv: Sequence[str] | None = None) -> int:
    """Write every sound into the output folder; print each file written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT,
                        help=f"folder to write the WAV files into (default: {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (sound, seconds) in SOUNDS.items():
        path = args.out / name
        write(path, sound, seconds)
        print(f"{path}: {seconds:g} s, {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
