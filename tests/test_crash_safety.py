"""Kill -9 during saves: every file still loads and no reported write is lost.

``tests/crash_writer.py`` forks a child that writes profiles, run records, settings and
the call in progress in a loop, printing a line after each completed write. The test
kills the child with SIGKILL at a random (seeded) moment, hundreds of times, and after
each kill checks the folder: the profile, settings and save load without any recovery
note and hold the last reported write or the one in flight; every run record parses
and every reported one is there. One interpreter (the fork server) serves all the kills.

Set CALLBACK_CRASH_KILLS to kill more often (the default 240 take a few seconds).

``tests/slot_writer.py`` does the same for the three save slots, whose documents are
large (a picture inside) or small by turns: after each kill every slot holds a whole
save that replays, or nothing if none was written to it.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO

import pytest

from game.analysis.load import load_story
from game.engine.compiled import CompiledStory
from game.engine.engine import replay
from game.store.atomic import DocumentError, parse
from game.store.profile import load_profile
from game.store.results import load_runs, results_dir
from game.store.saves import SLOTS, load_save, load_slot
from game.store.settings import load_settings, settings_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_writer import KINDS, profile_for, run_for, save_for, settings_for  # noqa: E402
from slot_writer import slot_for, slot_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).resolve().parent / "crash_writer.py"
KILLS = int(os.environ.get("CALLBACK_CRASH_KILLS", "240"))
SEED = 20240229
_REPORT = re.compile(r"(profile|settings|save) \d+\n|run \d+ \S+\.json\n")

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork and SIGKILL"
)


class Ledger:
    """What the writer reported as finished, and what the folder must therefore hold."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.profile = -1  # the last profile write known to be on disk
        self.settings = -1
        self.save = -1
        self.run = 0  # the next run sequence number
        self.runs: dict[str, int] = {}  # reported run file -> its sequence number
        self.checked: set[str] = set()  # run files already parsed

    def record(self, line: str) -> str:
        """Take one reported write; return its kind."""
        assert _REPORT.fullmatch(line), f"not a report line: {line!r}"
        kind, seq, *rest = line.split()
        if kind == "profile":
            self.profile = max(self.profile, int(seq))
        elif kind == "settings":
            self.settings = max(self.settings, int(seq))
        elif kind == "save":
            self.save = max(self.save, int(seq))
        else:
            self.runs[Path(rest[0]).name] = int(seq)
            self.run = max(self.run, int(seq) + 1)
        return kind

    def verify(self) -> None:
        """Check every document in the folder after a kill."""
        self.profile = self._verify_profile()
        self.settings = self._verify_settings()
        self.save = self._verify_save()
        self._verify_runs()
        assert not list(self.home.glob("*.unreadable")), "a document had to be set aside"

    def _verify_profile(self) -> int:
        loaded = load_profile(self.home)
        assert loaded.note == "", loaded.note  # never "starting afresh", never a recovery
        carried = loaded.value.values.get("seq")
        if carried is None:
            assert self.profile < 0, "a reported profile write was lost"
            assert loaded.value.values == {}
            return -1
        seq = int(carried.value)
        assert seq in (self.profile, self.profile + 1), (seq, self.profile)
        expected = profile_for(seq)
        assert loaded.value.values == expected.values, "a torn or mixed profile"
        assert loaded.value.finished == expected.finished
        return seq

    def _verify_settings(self) -> int:
        loaded = load_settings(self.home)
        assert loaded.note == "", loaded.note
        path = settings_path(self.home)
        if not path.exists() and not path.with_name(path.name + ".bak").exists():
            assert self.settings < 0, "a reported settings write was lost"
            return -1
        last = self.settings
        candidates = [seq for seq in (last, last + 1) if seq >= 0]
        assert loaded.value in [settings_for(seq) for seq in candidates], "settings lost or torn"
        return last if loaded.value == settings_for(last) else last + 1

    def _verify_save(self) -> int:
        loaded = load_save(self.home)
        assert loaded.note == "", loaded.note
        if loaded.value is None:
            assert self.save < 0, "a reported save was lost"
            return -1
        seq = int(loaded.value.saved)
        assert seq in (self.save, self.save + 1), (seq, self.save)
        assert loaded.value == save_for(seq), "a torn or mixed save"
        return seq

    def _verify_runs(self) -> None:
        folder = results_dir(self.home)
        present = {p.name for p in folder.glob("*.json")} if folder.exists() else set()
        missing = set(self.runs) - present
        assert not missing, f"reported runs lost: {sorted(missing)}"
        for name in sorted(present - self.checked):
            try:
                data = parse((folder / name).read_text(encoding="utf-8"), "callback-run", 1)
            except DocumentError as error:
                raise AssertionError(f"{name}: {error}") from None
            assert data == run_for(data["seq"]), f"{name} is torn or mixed"
            if name in self.runs:
                assert data["seq"] == self.runs[name]
            self.checked.add(name)


def _kill(pid: int) -> None:
    if pid:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _read_until(stream: IO[str], prefix: str, ledger: Ledger, kinds: list[str]) -> str:
    """Read the writer's lines, recording writes, until one starts with ``prefix``."""
    while True:
        line = stream.readline()
        assert line, "the crash writer died"
        if line.startswith(prefix):
            return line
        kinds.append(ledger.record(line))


def _kill_after_a_while(stream: IO[str], pid: int, rng: random.Random, ledger: Ledger,
                        kinds: list[str]) -> None:
    """SIGKILL the child after some reported writes, or after a short random delay."""
    if rng.random() < 0.5:
        for _ in range(rng.randrange(0, 9)):
            line = stream.readline()
            assert line and not line.startswith("reaped"), line
            kinds.append(ledger.record(line))
        time.sleep(rng.choice([0.0, 0.0, 0.0005, 0.001, 0.002]))
    else:
        time.sleep(rng.uniform(0.0, 0.012))
    os.kill(pid, signal.SIGKILL)


def test_kill_during_writes_never_loses_or_damages_a_save(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALLBACK_HOME": str(home)}
    writer = subprocess.Popen(
        [sys.executable, str(WRITER)], cwd=ROOT, env=env, text=True, bufsize=1,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert writer.stdin is not None and writer.stdout is not None
    rng = random.Random(SEED)
    ledger = Ledger(home)
    child = [0]

    def stop_all() -> None:  # a hang (a lost line) must fail the test, not stall it
        _kill(child[0])
        writer.kill()

    watchdog = threading.Timer(300, stop_all)
    watchdog.start()
    in_flight: Counter[str] = Counter()
    reported = 0
    try:
        for _ in range(KILLS):
            first = rng.randrange(len(KINDS))
            writer.stdin.write(f"go {home} {ledger.profile + 1} {ledger.run} "
                               f"{ledger.settings + 1} {ledger.save + 1} {first}\n")
            writer.stdin.flush()
            kinds: list[str] = []
            pid = child[0] = int(_read_until(writer.stdout, "pid ", ledger, kinds).split()[1])
            _kill_after_a_while(writer.stdout, pid, rng, ledger, kinds)
            status = int(_read_until(writer.stdout, "reaped ", ledger, kinds).split()[1])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
            in_flight[KINDS[(first + len(kinds)) % len(KINDS)]] += 1
            reported += len(kinds)
            ledger.verify()
    finally:
        watchdog.cancel()
        _kill(child[0])  # after a failed check the last child may still be writing
        if writer.poll() is None:
            writer.stdin.write("quit\n")
            writer.stdin.close()
        writer.wait(timeout=30)
    runs, problems = load_runs(results_dir(home))
    assert problems == []
    assert {r["seq"] for _, r in runs} >= set(ledger.runs.values())
    assert sum(in_flight.values()) == KILLS >= 200
    assert min(in_flight[k] for k in KINDS) >= KILLS // 8, in_flight  # every kind was hit
    assert reported > KILLS, "the writer should finish some writes between kills"


SLOT_WRITER = Path(__file__).resolve().parent / "slot_writer.py"
SLOT_ROUNDS = 20
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"
_SLOT_REPORT = re.compile(r"slot [1-3] \d+\n")


def _check_slot(home: Path, number: int, reported: int, newest: int,
                story: CompiledStory) -> None:
    """Slot ``number`` holds a whole save, no older than the last one reported for it and
    no newer than the write in flight (``newest``), that replays; or none was reported."""
    loaded = load_slot(number, home)
    assert loaded.note == "", loaded.note  # never a recovery: no write is ever torn
    slot = loaded.value
    if slot is None:
        assert reported < 0, f"slot {number}: a reported save was lost"
        return
    seq = int(slot.saved.saved)
    assert slot_of(seq) == number and reported <= seq <= newest, (number, seq, reported)
    assert slot == slot_for(seq), f"slot {number} is torn or mixed"
    moves, note = slot.saved.resume(story)
    assert note == "" and moves == list(slot.saved.moves)
    assert replay(story, moves)[0].scene == slot.scene


def test_kill_during_slot_saves_leaves_every_slot_whole_and_playable(tmp_path: Path) -> None:
    story = load_story(TINY).compiled
    assert story is not None
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALLBACK_HOME": str(home)}
    writer = subprocess.Popen(
        [sys.executable, str(SLOT_WRITER)], cwd=ROOT, env=env, text=True, bufsize=1,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert writer.stdin is not None and writer.stdout is not None
    rng = random.Random(SEED)
    reported = dict.fromkeys(range(1, SLOTS + 1), -1)  # the last reported write of each slot
    child = [0]
    watchdog = threading.Timer(60, lambda: (_kill(child[0]), writer.kill()))
    watchdog.start()
    written = 0  # the next write's number
    try:
        for _ in range(SLOT_ROUNDS):
            writer.stdin.write(f"go {home} {written}\n")
            writer.stdin.flush()
            line = writer.stdout.readline()
            assert line.startswith("pid "), line
            pid = child[0] = int(line.split()[1])
            assert pid > 1  # the writer this test started, and only it, is killed
            time.sleep(rng.uniform(0.0, 0.25) if rng.random() < 0.7 else rng.uniform(0, 0.003))
            os.kill(pid, signal.SIGKILL)
            while (line := writer.stdout.readline()).startswith("slot "):
                assert _SLOT_REPORT.fullmatch(line), f"not a report line: {line!r}"
                number, seq = (int(word) for word in line.split()[1:])
                reported[number] = max(reported[number], seq)
                written = max(written, seq + 1)
            assert line.startswith("reaped "), f"the slot writer died: {line!r}"
            status = int(line.split()[1])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
            for number in range(1, SLOTS + 1):
                _check_slot(home, number, reported[number], written, story)
            assert not list(home.glob("*.unreadable")), "a slot had to be set aside"
    finally:
        watchdog.cancel()
        _kill(child[0])  # after a failed check the last child may still be writing
        if writer.poll() is None:
            writer.stdin.write("quit\n")
            writer.stdin.close()
        writer.wait(timeout=30)
    assert written > SLOT_ROUNDS, "the writer should finish some saves between kills"
    assert min(reported.values()) >= 0, "every slot was written"
