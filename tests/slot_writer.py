"""Helper for tests/test_crash_safety.py: save calls to the three slots in a loop until killed.

Run as a small fork server, like ``tests/crash_writer.py``, so one interpreter start
serves every kill::

    python tests/slot_writer.py

Each line on stdin, ``go HOME SEQ``, forks a child that writes slot saves into the
folder HOME, write number SEQ first, then SEQ+1 and so on, write N going to slot
``N % 3 + 1`` with the content :func:`slot_for` gives it (a pure function of N, so
the test can tell a whole slot from a torn or mixed one). The child first prints
``pid N``, then ``slot NUMBER SEQ`` after each *completed* write, and loops until the
test kills it with SIGKILL. The server reaps it and prints ``reaped STATUS``.
``quit`` (or end of input) stops the server.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.store.saves import PNG_SIGNATURE, SLOTS, Saved, SlotSave, write_slot  # noqa: E402

MAX_WRITES = 20_000
"""A child stops by itself after this many writes (a guard against a stuck test)."""
PLAYS = (((), "news"), (("thank",), "open"), (("argue",), "closed"))
"""Moves through ``tests/fixtures/tiny.yaml`` and the scene each one ends at."""


def slot_of(seq: int) -> int:
    """The slot write ``seq`` goes to."""
    return seq % SLOTS + 1


def slot_for(seq: int) -> SlotSave:
    """The slot of write ``seq``: no picture on even writes, up to 400 KB of one on odd
    ones (so writes of very different sizes follow each other); its number in ``saved``."""
    moves, scene = PLAYS[seq // SLOTS % len(PLAYS)]
    thumbnail = None
    if seq % 2:
        size = 1_000 + seq * 7_919 % 400_000
        thumbnail = PNG_SIGNATURE + random.Random(seq).randbytes(size)
    saved = Saved("tiny", "Tiny", "/stories/tiny.yaml", "0" * 64, moves, {}, False,
                  "2026-11-25T10:00:00Z", str(seq))
    return SlotSave(saved, scene, thumbnail)


def report(line: str) -> None:
    """Write one whole line to stdout in a single system call (see crash_writer.report)."""
    os.write(1, f"{line}\n".encode())


def _child(home: Path, seq: int) -> None:
    report(f"pid {os.getpid()}")
    for _ in range(MAX_WRITES):
        slot = slot_for(seq)
        write_slot(slot_of(seq), slot.saved, slot.thumbnail, home, scene=slot.scene)
        report(f"slot {slot_of(seq)} {seq}")
        seq += 1


def main() -> None:
    """Serve ``go`` commands until ``quit``."""
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        pid = os.fork()
        if pid == 0:
            try:
                _child(Path(words[1]), int(words[2]))
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        report(f"reaped {status}")


if __name__ == "__main__":
    main()
