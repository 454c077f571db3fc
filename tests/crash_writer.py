"""Helper for tests/test_crash_safety.py: write saves in a loop until killed.

Run as a small fork server so one interpreter start serves hundreds of kills::

    python tests/crash_writer.py

Each line on stdin, ``go HOME PROFILE RUN SETTINGS SAVE FIRST``, forks a child that
writes into the folder HOME, round robin starting with kind FIRST (0 profile, 1 run,
2 settings, 3 save): the profile (``save_profile``), one run record (``save_run``), the
settings (``save_settings``) and the call in progress (``write_save``), numbering each
kind's writes from the given sequence numbers. The child first prints ``pid N``, then
one line per *completed* write (``profile N``, ``run N PATH``, ``settings N``,
``save N``), flushing each, and loops until the test kills it with SIGKILL. The server
reaps it and prints ``reaped STATUS``. ``quit`` (or end of input) stops the server.

The content of write N is a pure function of N (see ``profile_for`` and friends), so
the test can tell a whole document from a torn or mixed one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.store.profile import Carried, Profile, save_profile  # noqa: E402
from game.store.results import results_dir, save_run  # noqa: E402
from game.store.saves import Saved, write_save  # noqa: E402
from game.store.settings import TEXT_SPEEDS, Settings, save_settings  # noqa: E402

KINDS = ("profile", "run", "settings", "save")
MAX_WRITES = 20_000
"""A child stops by itself after this many writes (a guard against a stuck test)."""


def profile_for(seq: int) -> Profile:
    """The profile of write ``seq``: grows with seq (up to ~40 KB), then starts again."""
    size = seq % 250
    values = {
        f"meter{i}": Carried(f"meter{i}", i * seq % 101, f"story-{i}", f"Story {i}", "thank",
                             f"Choice {i} of write {seq}")
        for i in range(size)
    }
    values["seq"] = Carried("seq", seq, "crash", "Crash", None, "")
    return Profile(values, [f"story-{i}" for i in range(size)])


def run_for(seq: int) -> dict[str, Any]:
    """The run record of write ``seq``."""
    return {
        "format": "callback-run",
        "version": 1,
        "finished": f"2024-01-01T00:00:{seq % 60:02d}Z",
        "story": {"id": "crash", "title": "Crash", "version": 1, "sha256": "0" * 64},
        "seq": seq,
        "steps": [{"scene": f"s{i}", "chosen": "thank", "deltas": {"door": i}}
                  for i in range(seq % 120)],
    }


def settings_for(seq: int) -> Settings:
    """The settings of write ``seq``: the text speed cycles, so two writes in a row differ."""
    speeds = list(TEXT_SPEEDS)
    return Settings(speeds[seq % len(speeds)], high_contrast=seq % 3 == 0,
                    text_scale=125 if seq % 5 == 0 else 100)


def save_for(seq: int) -> Saved:
    """The call in progress of write ``seq``: up to 400 moves, its number in ``saved``."""
    moves = tuple(None if i % 3 == 2 else f"choice-{i}" for i in range(seq % 400))
    return Saved("crash", "Crash", "/stories/crash.yaml", "0" * 64, moves,
                 {"door": seq % 100, "argued": seq % 2 == 0}, seq % 2 == 1,
                 "2026-11-25T10:00:00Z", str(seq))


def report(line: str) -> None:
    """Write one whole line to stdout in a single system call.

    ``print`` may make two (the text, then the newline: with PYTHONUNBUFFERED set), and
    a kill between them leaves half a line that runs into the server's next one.
    """
    os.write(1, f"{line}\n".encode())


def _child(home: Path, seqs: list[int], first: int) -> None:
    report(f"pid {os.getpid()}")
    kind = first
    for _ in range(MAX_WRITES):
        seq = seqs[kind]
        if kind == 0:
            save_profile(profile_for(seq), home)
            report(f"profile {seq}")
        elif kind == 1:
            path = save_run(run_for(seq), results_dir(home))
            report(f"run {seq} {path}")
        elif kind == 2:
            save_settings(settings_for(seq), home)
            report(f"settings {seq}")
        else:
            write_save(save_for(seq), home)
            report(f"save {seq}")
        seqs[kind] += 1
        kind = (kind + 1) % len(KINDS)


def main() -> None:
    """Serve ``go`` commands until ``quit``."""
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        home = Path(words[1])
        seqs = [int(w) for w in words[2:6]]
        first = int(words[6])
        pid = os.fork()
        if pid == 0:
            try:
                _child(home, seqs, first)
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        report(f"reaped {status}")


if __name__ == "__main__":
    main()
