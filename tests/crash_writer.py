"""Helper for tests/test_crash_safety.py: write saves in a loop until killed.

Run as a small fork server so one interpreter start serves hundreds of kills::

    python tests/crash_writer.py

Each line on stdin, ``go HOME PROFILE RUN SETTINGS FIRST``, forks a child that writes
into the folder HOME, round robin starting with kind FIRST (0 profile, 1 run,
2 settings): the profile (``save_profile``), one run record (``save_run``) and a
settings-like versioned document (``atomic_write``), numbering each kind's writes from
the given sequence numbers. The child first prints ``pid N``, then one line per
*completed* write (``profile N``, ``run N PATH``, ``settings N``), flushing each, and
loops until the test kills it with SIGKILL. The server reaps it and prints
``reaped STATUS``. ``quit`` (or end of input) stops the server.

The content of write N is a pure function of N (see ``profile_for`` and friends), so
the test can tell a whole document from a torn or mixed one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.store.atomic import atomic_write, dump  # noqa: E402
from game.store.profile import Carried, Profile, save_profile  # noqa: E402
from game.store.results import save_run  # noqa: E402

SETTINGS_KIND = "callback-settings"
SETTINGS_VERSION = 1
SETTINGS_NAME = "settings.json"
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


def settings_for(seq: int) -> str:
    """The settings document of write ``seq`` (its notes grow up to ~60 KB)."""
    return dump(SETTINGS_KIND, SETTINGS_VERSION, {"seq": seq, "notes": "n" * (seq * 97 % 60_000)})


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
            path = save_run(run_for(seq), home)
            report(f"run {seq} {path}")
        else:
            atomic_write(home / SETTINGS_NAME, settings_for(seq))
            report(f"settings {seq}")
        seqs[kind] += 1
        kind = (kind + 1) % 3


def main() -> None:
    """Serve ``go`` commands until ``quit``."""
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        home = Path(words[1])
        seqs = [int(w) for w in words[2:5]]
        first = int(words[5])
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
