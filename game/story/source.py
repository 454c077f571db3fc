"""Safe YAML reading: a story file -> plain data plus a map of where everything is.

The file is read with a size cap and strict UTF-8 (:func:`read_text`), parsed from
libyaml's event stream by :mod:`game.story.reader` (safe loaders only; nesting,
aliases, duplicate keys, merge keys and tags checked there), and every problem that
stops the read becomes one located diagnostic in a teacher's words.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from game.gcpause import paused_gc
from game.story import halves
from game.story.diagnostics import Diagnostic, Location
from game.story.reader import (
    DEPTH_HINT,
    MAX_ALIAS_CHARS,
    MAX_DEPTH,
    MAX_NODES,
    Builder,
    NeedPositions,
    Path_,
    Position,
    Refused,
    Shallow,
    Tables,
)
from game.story.yamlerrors import syntax_problem

__all__ = ["MAX_ALIAS_CHARS", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Path_", "Source",
           "SourceMap", "file_map", "load_source", "parse_yaml"]

MAX_FILE_BYTES = 8_000_000
"""Files larger than this are refused unread (override: CALLBACK_MAX_STORY_BYTES).

A 10,000-scene story is about 6 MB and is checked in about 140 MB of memory."""


class SourceMap:
    """Where each key and value of a YAML document sits (1-based line and column).

    A map made by :func:`parse_yaml` finds its positions when first asked for: a
    story with no problems to report never needs them. Most are found without
    reading the whole file again: the first read noted where each key of the top two
    levels starts (:class:`Near`), so a problem in one scene reads only that scene's
    lines again. Anything else (the whole tables, a file with anchors or flow-style
    mappings at the top) reads the text again once.
    """

    def __init__(self, path: str, keys: dict[Path_, Position] | None = None,
                 values: dict[Path_, Position] | None = None,
                 styles: dict[Path_, str] | None = None, *,
                 find: Callable[[], Tables] | None = None, near: Near | None = None) -> None:
        self.path = path
        self._find = find
        self._tables: Tables | None = None if find else (keys or {}, values or {}, styles or {})
        self._moved: Callable[[Path_], Path_] | None = None
        self._near = near

    def moved(self, lead_back: Callable[[Path_], Path_]) -> SourceMap:
        """Return this map for data whose paths ``lead_back`` turns into this file's.

        (A story with errors is checked mended: see :mod:`game.story.mend`.)
        """
        view = SourceMap(self.path, find=self._ready, near=self._near)
        view._moved = lead_back
        return view

    def _ready(self) -> Tables:
        if self._tables is None:
            assert self._find is not None
            self._tables, self._find, self._near = self._find(), None, None
        return self._tables

    def _around(self, where: Path_) -> Tables:
        """Tables holding ``where`` if it is anywhere: one part's, or the whole file's."""
        if self._tables is None and self._near is not None:
            found = self._near.tables(where)
            if found is not None:
                return found
        return self._ready()

    @property
    def keys(self) -> dict[Path_, Position]:
        """Where each mapping key is, by the path of its value."""
        return self._ready()[0]

    @property
    def values(self) -> dict[Path_, Position]:
        """Where each value is, by its path."""
        return self._ready()[1]

    @property
    def styles(self) -> dict[Path_, str]:
        """How each scalar was quoted ('' plain, "'" or '"'), by its path."""
        return self._ready()[2]

    def style(self, where: Path_) -> str:
        """How the scalar at ``where`` was quoted: '' plain (or unknown), "'" or '"'."""
        where = self._moved(where) if self._moved else where
        return self._around(where)[2].get(where, "")

    def has_value(self, where: Path_) -> bool:
        """Tell whether the file holds a value at ``where``."""
        where = self._moved(where) if self._moved else where
        return where in self._around(where)[1]

    def at(self, where: Path_, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``where``, or its nearest parent."""
        where = self._moved(tuple(where)) if self._moved else tuple(where)
        while True:
            if not where and self._tables is None and self._near is not None:
                root = self._near.root()
                if root is not None:
                    return Location(self.path, *root)
            if key and where and self._tables is None and self._near is not None:
                found = self._near.key(where)
                if found is not None:
                    return Location(self.path, *found)
            keys, values, _ = self._around(where)
            table = keys if key else values
            if where in table:
                line, col = table[where]
                return Location(self.path, line, col)
            if key and where in values:
                line, col = values[where]
                return Location(self.path, line, col)
            if not where:
                return Location(self.path, 1, 1)
            where = where[:-1]


class Near:
    """Positions found by reading again only the lines a path lies in.

    The first read notes where each key of the top two levels starts
    (:data:`~game.story.reader.Shallow`); a key at a line's start, in block style,
    begins a part that runs to the line of the next such key. That part alone is a
    YAML document (a mapping of one key), so it is read again with positions, which
    are then moved to the file's lines. A part that is not at a line's start, or
    does not read cleanly on its own (an alias to an anchor elsewhere), is left to
    the whole read.
    """

    def __init__(self, text: str, shown: str, shallow: Shallow) -> None:
        self.text = text
        self.shown = shown
        self.shallow = shallow
        self.index: dict[Path_, int] = {(key,) if top is None else (top, key): i
                                        for i, (top, key, *_) in enumerate(shallow)}
        self.parts: dict[int, Tables | None] = {}
        self._ends: list[int] | None = None

    def key(self, where: Path_) -> Position | None:
        """Where the key of a top-level or second-level path is, with no reading."""
        i = self.index.get(where) if len(where) <= 2 else None
        if i is None:
            return None
        _, _, _, line, col = self.shallow[i]
        return line + 1, col + 1

    def tables(self, where: Path_) -> Tables | None:
        """The positions in the part holding ``where`` (None: read the whole file)."""
        for depth in (2, 1):
            i = self.index.get(where[:depth]) if len(where) >= depth else None
            if i is not None:
                if i not in self.parts:
                    self.parts[i] = self._read(i, depth)
                if self.parts[i] is not None:
                    return self.parts[i]
        return None

    def root(self) -> Position | None:
        """Where the top-level mapping starts (its first key), if in block style."""
        top = next(((index, line, col) for above, _, index, line, col in self.shallow
                    if above is None), None)
        if top is None or self._line_start(top[0]) is None:
            return None
        return top[1] + 1, top[2] + 1

    def _ends_of(self) -> list[int]:
        """For each noted key, where its part ends: the next key at its level or above."""
        if self._ends is None:
            ends = [len(self.text)] * len(self.shallow)
            next_any = next_top = len(self.text)
            for i in range(len(self.shallow) - 1, -1, -1):
                top, _, index, _, _ = self.shallow[i]
                ends[i] = next_top if top is None else next_any
                next_any = index
                if top is None:
                    next_top = index
            self._ends = ends
        return self._ends

    def _line_start(self, index: int) -> int | None:
        start = self.text.rfind("\n", 0, index) + 1
        return None if self.text[start:index].strip() else start

    def _read(self, i: int, depth: int) -> Tables | None:
        top, _, index, line, _ = self.shallow[i]
        start = self._line_start(index)
        after = self._ends_of()[i]
        end = after if after == len(self.text) else self._line_start(after)
        if start is None or end is None:
            return None
        tables: Tables = ({}, {}, {})
        problems: list[Diagnostic] = []
        builder = Builder(self.shown, problems, tables)
        with paused_gc():
            try:
                found, _ = builder.build(self.text[start:end])
            except (Refused, yaml.YAMLError, RecursionError, MemoryError, ValueError,
                    NeedPositions):
                return None
        if not found or problems or builder.anchors:
            return None
        prefix: Path_ = () if depth == 1 else (top,)  # type: ignore[assignment]
        keys, values, styles = tables
        return ({(*prefix, *p): (row + line, col) for p, (row, col) in keys.items()},
                {(*prefix, *p): (row + line, col) for p, (row, col) in values.items()},
                {(*prefix, *p): style for p, style in styles.items()})


@dataclass
class Source:
    """A file's decoded text, its digest and its parsed data (or None on error)."""

    path: str
    text: str
    sha256: str
    data: Any
    map: SourceMap


def max_file_bytes() -> int:
    """Return the size cap for story files, honouring ``CALLBACK_MAX_STORY_BYTES``."""
    try:
        return int(os.environ.get("CALLBACK_MAX_STORY_BYTES", MAX_FILE_BYTES))
    except ValueError:
        return MAX_FILE_BYTES


def read_text(path: Path, problems: list[Diagnostic]) -> tuple[str, str] | None:
    """Read a file as UTF-8; return (text, sha256) or None after adding a CB002."""
    shown = str(path)

    def fail(message: str, hint: str = "") -> None:
        problems.append(Diagnostic("CB002", message, Location(shown), hint))

    try:
        if path.is_dir():
            fail("is a directory, not a story file", "pass a .yaml file")
            return None
        # A FIFO (or a device) named like a story would block open() or read()
        # forever, hanging `callback validate folder/`; only regular files are read.
        if path.exists() and not path.is_file():
            fail("is not a regular file", "pass a .yaml file")
            return None
        limit = max_file_bytes()
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        fail("no such file")
        return None
    except PermissionError:
        fail("permission denied")
        return None
    except OSError as error:
        fail(f"cannot be read: {error.strerror or error}")
        return None
    except ValueError as error:  # a NUL in the path (e.g. from a story's 'rubric:')
        fail(f"cannot be read: {error}")
        return None
    if len(raw) > limit:
        fail(
            f"is larger than {limit:,} bytes",
            "stories are small text files; set CALLBACK_MAX_STORY_BYTES to raise the cap",
        )
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail("is UTF-16 text", "save it as UTF-8")
        return None
    if b"\x00" in raw:
        fail("is a binary file, not UTF-8 text")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Diagnostic(
                "CB002",
                f"is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                Location(shown, line, col),
                "save it as UTF-8",
            )
        )
        return None
    return text, hashlib.sha256(raw).hexdigest()


def parse_yaml(text: str, shown: str, problems: list[Diagnostic], *,
               workers: int = 1) -> tuple[Any, SourceMap]:
    """Parse YAML safely into plain data with a :class:`SourceMap`.

    The data is built straight from libyaml's event stream, with no node tree in
    between and no recursion, so nesting is checked as it opens (the first level too
    deep stops the read) and aliases are expanded against their budget before any
    copy is made. The collector is paused meanwhile: the tree is acyclic, and
    generational collections over a growing heap more than doubled the time to read
    a large story. Positions are not gathered on this read: the map finds them when
    first asked for, unless a duplicate key (whose message names the first one's
    line) needs them at once.

    With ``workers`` of 2 or more, a large file may be read in two halves at once
    (:mod:`game.story.halves`; only for callers with no other threads running).
    """
    if workers > 1 and len(text) >= halves.MIN_BYTES and halves.can_fork():
        with paused_gc():
            read, data = halves.read_in_two(text, halves.clean_read(
                lambda half: _read_clean(half, shown)))
        if read:
            data, shallow = data
            return data, SourceMap(shown, find=lambda: _positions(text, shown),
                                   near=Near(text, shown, shallow))
    smap = SourceMap(shown)
    before = len(problems)
    try:
        with paused_gc():
            try:
                builder = Builder(shown, problems, None)
                builder.shallow = []
                found, data = builder.build(text)
                near = None if builder.anchors else Near(text, shown, builder.shallow)
                smap = SourceMap(shown, find=lambda: _positions(text, shown), near=near)
            except NeedPositions:
                del problems[before:]
                tables: Tables = ({}, {}, {})
                found, data = Builder(shown, problems, tables).build(text)
                smap = SourceMap(shown, *tables)
    except (Refused, yaml.YAMLError, RecursionError, MemoryError, ValueError) as error:
        del problems[before:]  # a file that cannot be read gets the one problem that stopped it
        problems.append(_stopped(error, text, shown))
        return None, smap
    if not found:
        problems.append(
            Diagnostic("CB003", "the file is empty (or only comments)", Location(shown, 1, 1))
        )
        return None, smap
    return data, smap


def _read_clean(text: str, shown: str) -> tuple[bool, Any, bool]:
    """Read without positions: (found a document, (data, where the top two levels'
    keys are), read without any problem)."""
    problems: list[Diagnostic] = []
    builder = Builder(shown, problems, None)
    builder.shallow = []
    found, data = builder.build(text)
    return found, (data, builder.shallow), not problems and not builder.anchors


def _positions(text: str, shown: str) -> Tables:
    """Read the text again for the positions of its keys and values."""
    tables: Tables = ({}, {}, {})
    with paused_gc(), contextlib.suppress(Refused, yaml.YAMLError, RecursionError,
                                          MemoryError, ValueError, NeedPositions):
        Builder(shown, [], tables).build(text)  # its problems were reported the first time
    return tables


def file_map(path: Path, shown: str) -> SourceMap:
    """A map of ``path`` that reads the file for its positions when first asked.

    For a story answered from the check cache: nothing is read unless a new
    diagnostic needs a place.
    """
    def find() -> Tables:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return ({}, {}, {})
        return _positions(text, shown)

    return SourceMap(shown, find=find)


def _stopped(error: Exception, text: str, shown: str) -> Diagnostic:
    """The diagnostic for what stopped the read."""
    if isinstance(error, Refused):
        line, col = error.at
        return Diagnostic("CB001", error.message, Location(shown, line, col), error.hint)
    if isinstance(error, yaml.MarkedYAMLError):
        if "maximum nesting depth" in str(error.problem):
            # libyaml scans flow brackets ahead of its events and stops at its own
            # limit (1,000 levels) before the 65th level reaches us: say it our way.
            mark = error.problem_mark
            line, col = _deep_flow(text) or ((mark.line + 1, mark.column + 1) if mark else (1, 1))
            return Diagnostic("CB001", f"nesting is deeper than {MAX_DEPTH} levels",
                              Location(shown, line, col), DEPTH_HINT)
        return syntax_problem(text, shown, error)  # in a teacher's words
    if isinstance(error, yaml.reader.ReaderError):
        # Not a MarkedYAMLError: no line or column, a two-line message, and libyaml's
        # position is a byte offset; find the offending character in the text instead.
        return _reader_problem(text, shown, error)
    if isinstance(error, yaml.YAMLError):
        message = " ".join(str(error).split())  # one line per problem
        return Diagnostic("CB001", f"YAML error: {message}", Location(shown))
    return Diagnostic("CB001", f"YAML could not be read: {error}", Location(shown))


_FLOW = re.compile(r"[\[\]{}\n\"']")


def _deep_flow(text: str) -> tuple[int, int] | None:
    """Where flow brackets first nest deeper than MAX_DEPTH (a guess: quotes are
    only roughly followed), or None; used to place libyaml's own depth error."""
    depth = 0
    line = 1
    line_start = 0
    quote = ""
    for match in _FLOW.finditer(text):
        char = match.group()
        if char == "\n":
            line += 1
            line_start = match.end()
            quote = "" if quote == "'" else quote
        elif quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            before = text[line_start : match.start()].rstrip(" \t")
            if not before or before[-1] in ":[{,-?":  # a quote that opens a scalar
                quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, match.start() - line_start + 1
        else:
            depth = max(0, depth - 1)
    return None


def _reader_problem(text: str, shown: str, error: yaml.reader.ReaderError) -> Diagnostic:
    """Locate a character YAML refuses (a control character such as U+0007)."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found is None:
        return Diagnostic("CB001", f"YAML error: {' '.join(str(error).split())}", Location(shown))
    pos = found.start()
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Diagnostic(
        "CB001",
        f"the character U+{ord(found.group()):04X} is not allowed in YAML",
        Location(shown, line, col),
        "delete it; it is invisible in most editors",
    )


def load_source(path: Path, problems: list[Diagnostic], *, workers: int = 1) -> Source | None:
    """Read and parse one YAML file, adding located problems; None if unusable.

    ``workers``: see :func:`parse_yaml`.
    """
    read = read_text(path, problems)
    if read is None:
        return None
    text, digest = read
    before = len(problems)
    data, smap = parse_yaml(text, str(path), problems, workers=workers)
    if data is None and len(problems) > before:
        return None
    return Source(str(path), text, digest, data, smap)
