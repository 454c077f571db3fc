"""Reading a large story on two cores: its scenes split in two, one half per process.

Reading YAML is the slowest part of checking a large story (a 10,000-scene story is
about 6 MB and nearly 800,000 parser events, each handled in Python). The scenes
are most of any story, so the text is cut between two scenes near its middle, a
forked child reads the second half while this process reads the first, and the
two halves' data are joined.

The cut is only taken where it cannot change what the text means, and anything
unusual sends the caller back to the ordinary, sequential read:

* ``scenes:`` is a top-level key holding a block mapping, and the cut is at a line
  that starts a scene (a scene id at the mapping's exact indentation, then ``:``),
  with no less-indented line between ``scenes:`` and the cut;
* both halves read without a single problem, with no anchors or aliases (their
  budget is kept by the sequential read) and no key that both halves define;
* the platform can fork (Linux), no other thread is running, and the caller asked
  for two workers (the batch commands do: ``callback validate``, ``analyze``,
  ``graph``, ``simulate``).

A quote or a bracket left open at the cut makes the first half unreadable, so it
falls back too. ``tests/test_halves.py`` checks the joined data against the
sequential read.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

MIN_BYTES = 1_000_000
"""Smaller files are read in one piece (forking would cost more than it saves)."""

_SCENES = re.compile(r"^scenes:[ \t]*(?:#[^\r\n]*)?\r?\n", re.MULTILINE)
_FIRST_CHILD = re.compile(r"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*( +)[a-z]")

Reader = Callable[[str], tuple[bool, Any]]
"""Reads one half: (True, (data, shallow)) if it read cleanly, else (False, None);
``shallow``: where its top two levels' keys are (:data:`~game.story.reader.Shallow`)."""


def can_fork() -> bool:
    """Whether this process can fork cheaply and safely to read in two: on Linux, with
    no other thread running (a forked child gets only the calling thread, and any lock
    another thread held would stay locked in it)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def split(text: str) -> tuple[str, str] | None:
    """Cut the text between two scenes near its middle: (first half, second half).

    The second half starts with ``scenes:`` again, so each half is a story-shaped
    document of its own. None where no safe cut exists.
    """
    found = _SCENES.search(text)
    if found is None:
        return None
    child = _FIRST_CHILD.match(text, found.end())
    if child is None:
        return None
    indent = len(child.group(1))
    scene = re.compile(rf"^ {{{indent}}}[a-z][a-z0-9_-]*:(?=[ \t\r\n])", re.MULTILINE)
    cut = scene.search(text, max(len(text) // 2, found.end()))
    if cut is None or cut.start() <= child.end():
        return None
    # a line indented less than the scenes (other than blank lines and comments) would
    # mean the scenes block ended before the cut
    outdented = re.compile(rf"^ {{0,{indent - 1}}}[^ \r\n#]", re.MULTILINE)
    if outdented.search(text, found.end(), cut.start()):
        return None
    return text[: cut.start()], "scenes:\n" + text[cut.start() :]


def read_in_two(text: str, read: Reader) -> tuple[bool, Any]:
    """Read the two halves at once, the second in a forked child, and join them.

    Returns (True, (data, shallow)) only if both halves read cleanly and join without
    a clash (``shallow``: the halves' noted keys, moved to where they are in ``text``);
    (False, None) tells the caller to read the whole text itself.
    """
    halves = split(text)
    if halves is None:
        return False, None
    first, second = halves
    inlet, outlet = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(inlet)
        os.close(outlet)
        return False, None
    if pid == 0:  # the child: read the second half, send it back, and vanish
        try:
            os.close(inlet)
            payload = pickle.dumps(read(second), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(outlet, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)  # no clean-up: the parent's buffers and files are not ours to flush
    os.close(outlet)
    try:
        ok, head = read(first)
    finally:
        with os.fdopen(inlet, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    if not ok or not payload:
        return False, None
    ok, tail = pickle.loads(payload)  # noqa: S301 - written by our own child, just now
    if not ok:
        return False, None
    joined, data = join(head[0], tail[0])
    if not joined:
        return False, None
    return True, (data, [*head[1], *_moved(tail[1], first)])


def _moved(shallow: list[Any], first: str) -> list[Any]:
    """The second half's keys where they are in the whole text (its own ``scenes:``
    line, added to make it a document, dropped)."""
    shift = len(first) - len("scenes:\n")
    lines = first.count("\n") - 1
    return [(top, key, index + shift, line + lines, col)
            for top, key, index, line, col in shallow[1:]]


def join(head: Any, tail: Any) -> tuple[bool, Any]:
    """Join the halves' data: the second half's scenes follow the first half's."""
    if not (isinstance(head, dict) and isinstance(tail, dict)):
        return False, None
    scenes, more = head.get("scenes"), tail.get("scenes")
    if not (isinstance(scenes, dict) and isinstance(more, dict)) or scenes.keys() & more.keys():
        return False, None  # (a scene defined in both halves: the full read reports it)
    if (head.keys() & tail.keys()) - {"scenes"}:
        return False, None
    scenes.update(more)
    for key, value in tail.items():
        if key != "scenes":
            head[key] = value
    return True, head


def clean_read(read_events: Callable[[str], tuple[bool, Any, bool]]) -> Reader:
    """Wrap a reader that returns (found, data, clean) into a :data:`Reader`."""

    def read(half: str) -> tuple[bool, Any]:
        with contextlib.suppress(Exception):  # any trouble: the sequential read will say
            found, data, clean = read_events(half)
            if found and clean:
                return True, data
        return False, None

    return read
