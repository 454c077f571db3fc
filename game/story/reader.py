"""Plain data from libyaml's event stream: the core of :mod:`game.story.source`.

One pass over the events builds the data (and, when asked, where every key and
value is), with no node tree in between and no recursion. Nesting is checked as
each level opens, aliases are refused against their budget before any copy is
made, and duplicate keys, merge keys and non-standard tags are reported where they
stand. Only the safe loaders' parsers are used (libyaml's ``CSafeLoader`` when
available), and nothing is ever constructed from a tag but text, numbers,
true/false and null.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from sys import intern as _intern
from typing import Any

import yaml
from yaml import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from game.story.diagnostics import Diagnostic, Location

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted."""
MAX_NODES = 100_000
"""Most values aliases may add to a file, beyond the values written out in it
(every use of an alias counts, and an alias adds every value its anchor holds)."""

MAX_ALIAS_CHARS = 500_000
"""Most characters of text aliases may add to a file, beyond the text written out in it:
one long anchored line used 90,000 times made a 1.4 MB file expand to 360 MB."""

_SHORT = 40
"""Text this short (ids, names, tags) is kept once however often it is written: a large
story repeats its scene ids, speakers and tags thousands of times."""

Path_ = tuple[str | int, ...]
Position = tuple[int, int]
Tables = tuple[dict[Path_, Position], dict[Path_, Position], dict[Path_, str]]
"""A source map's keys, values and styles (the quoting of each scalar)."""
Shallow = list[tuple[str | None, str, int, int, int]]
"""The keys of the top two levels of mappings, in file order: (the top-level key above,
or None for a top-level key; the key; its character index, 0-based line and column)."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

_KINDS = {"int": "whole number", "float": "number", "bool": "true/false value"}


def _shorten(value: str) -> str:
    """Quote a value for a message, cutting a huge one down to its start and length."""
    if len(value) <= 40:
        return repr(value)
    return f"{value[:20]!r}... ({len(value):,} characters)"


class NeedPositions(Exception):
    """A duplicate key was found while reading without positions."""


class Refused(Exception):
    """Reading stops: nesting too deep, or aliases past their budget."""

    def __init__(self, message: str, mark: yaml.Mark, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.at = (mark.line + 1, mark.column + 1)
        self.hint = hint


class _Skip(enum.Enum):
    """What a mapping does with what comes next, instead of reading a key."""

    VALUE = "drop the value that follows"
    KEY_THEN_VALUE = "drop this key, then its value"


DEPTH_HINT = "stories are at most a few levels deep"
_ALIAS_HINT = "anchors and aliases (&name, *name) are for small reuse only"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SKIP = _Skip.VALUE
_KEY_THEN_SKIP = _Skip.KEY_THEN_VALUE


class _EveryStart:
    """Contains every character (see _EVERY_START)."""

    def __contains__(self, char: object) -> bool:
        return True


_EVERY_START = _EveryStart()
"""Used if a resolver ever applies whatever a plain scalar starts with."""
_UNUSED = ("\x00",)
"""The path given to values that are read but dropped (a refused key's value)."""

Entry = tuple[str, Path_, Any]
"""A source-map entry: table ('v', 'k' or 's'), path and position or style."""


@dataclass
class _Anchor:
    """An anchored value, ready to be copied wherever an alias names it."""

    mark: yaml.Mark
    path: Path_
    made: int
    chars: int
    value: Any = None
    entries: list[Entry] = field(default_factory=list)
    done: bool = False


def _copy(value: Any) -> Any:
    """A fresh copy of an anchored value (lists and mappings are never shared)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class Builder:
    """Turns one document's events into plain data, and positions if given tables.

    Without ``tables`` only the data is built (a third faster on a large story); a
    duplicate key then raises :class:`NeedPositions`, since its message names the
    line of the first one.
    """

    def __init__(self, shown: str, problems: list[Diagnostic], tables: Tables | None) -> None:
        self.shown = shown
        self.problems = problems
        self.tables = tables
        self.anchors: dict[str, _Anchor] = {}
        self.open: list[_Anchor] = []  # anchored collections being read
        self.resolver = yaml.resolver.Resolver()
        self.tags: dict[str, str] = {}  # plain text -> its resolved tag
        self.made = 0  # values read inside anchors, with alias copies
        self.chars = 0  # characters of text read inside anchors, with alias copies
        self.added = 0  # values aliases added
        self.added_chars = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.constructed: dict[tuple[str, str], Any] = {}
        self.shallow: Shallow | None = None
        """Set to a list to have a read without positions note the top two levels'
        keys (cheap: a large story's scene ids), so one scene can be read again alone."""

    def problem(self, code: str, message: str, mark: yaml.Mark, hint: str = "") -> None:
        where = Location(self.shown, mark.line + 1, mark.column + 1)
        self.problems.append(Diagnostic(code, message, where, hint))

    def build(self, text: str) -> tuple[bool, Any]:
        """Read the text; return whether it holds a document, and the document's data."""
        loader = _Loader(text)
        try:
            return self._read(loader.get_event)
        finally:
            loader.dispose()

    def _read(self, get_event: Any) -> tuple[bool, Any]:  # noqa: C901 - one hot loop
        positions = self.tables is not None
        keys, values, styles = self.tables or ({}, {}, {})
        shallow = None if positions else self.shallow
        plain_tags = self.tags
        resolvers = self.resolver.yaml_implicit_resolvers
        typed_starts = resolvers.keys() if None not in resolvers else _EVERY_START
        resolve: Any = self.resolver.resolve
        open_ = self.open
        stack: list[tuple[Any, Path_, bool, Any, bool, _Anchor | None]] = []
        cur: Any = None  # the list or mapping being filled (None: the document itself)
        path: Path_ = ()  # where cur is (kept only when positions are wanted)
        where: Path_ = ()
        in_map = False
        key: Any = None  # in a mapping: None before a key, the key before its value
        muted = False  # inside a value that is read but dropped
        root: Any = None
        document: yaml.Mark | None = None
        for event in iter(get_event, None):
            kind = type(event)
            if kind is ScalarEvent:
                raw = event.value
                if in_map and key is None:
                    if (raw in cur or muted or open_ or raw == "<<" or event.tag is not None
                            or event.anchor is not None):
                        key = self._key(raw, event, cur, path, muted)
                    else:  # the usual key: plain text, new in its mapping
                        if positions:
                            mark = event.start_mark
                            keys[(*path, raw)] = (mark.line + 1, mark.column + 1)
                        elif (shallow is not None and not muted
                              and (len(stack) == 1 or (len(stack) == 2 and stack[1][2]))):
                            mark = event.start_mark
                            shallow.append((stack[1][3] if len(stack) == 2 else None, raw,
                                            mark.index, mark.line, mark.column))
                        key = _intern(raw)  # (one copy of each key: a large story repeats a few)
                    continue
                if key is _SKIP:
                    if event.anchor is not None:
                        self._scalar_anchor(event, raw, "")
                    key = None
                    continue
                tag = event.tag
                if tag is None:
                    if event.implicit[0] and (not raw or raw[0] in typed_starts):
                        # plain, and starting like a number, true/false, null or date
                        tag = plain_tags.get(raw)
                        if tag is None:
                            tag = plain_tags[raw] = resolve(yaml.ScalarNode, raw, (True, False))
                    else:
                        tag = _STR
                elif tag == "!":
                    tag = _STR
                value: Any = _intern(raw) if len(raw) <= _SHORT else raw
                if tag != _STR:
                    value, style = self._scalar(tag, raw, event.style or "", event.start_mark,
                                                muted)
                elif positions or event.anchor is not None:
                    style = event.style or ""
                if positions:
                    mark = event.start_mark
                    at = (mark.line + 1, mark.column + 1)
                    where = (*path, key) if in_map else (*path, len(cur)) if cur is not None \
                        else ()
                    if not muted:
                        values[where] = at
                        styles[where] = style
                if open_:  # inside an anchor: counted, for its aliases' budget
                    self.made += 1
                    self.chars += len(raw)
                    if positions:
                        self._note(("v", where, at), ("s", where, style))
                if event.anchor is not None:
                    self._scalar_anchor(event, value, style)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise Refused(f"nesting is deeper than {MAX_DEPTH} levels", mark,
                                  DEPTH_HINT)
                mapping = kind is MappingStartEvent
                new: Any = {} if mapping else []
                if event.tag not in (None, "!", _MAP if mapping else _SEQ) and not muted:
                    self.problem("CB003", f"the tag {event.tag!r} is not allowed", mark)
                child_muted = muted
                if in_map and key is None:
                    if not muted:
                        self.problem("CB003", "a key must be plain text", mark)
                    key, child_muted, where = _KEY_THEN_SKIP, True, _UNUSED
                elif key is _SKIP:
                    child_muted, where = True, _UNUSED
                elif in_map:
                    where = (*path, key) if positions else where
                    cur[key] = new
                elif cur is not None:
                    where = (*path, len(cur)) if positions else where
                    cur.append(new)
                else:
                    where = ()
                    root = new
                if positions and not child_muted:
                    values[where] = (mark.line + 1, mark.column + 1)
                anchor = None
                if event.anchor is not None:
                    anchor = self._define(event.anchor, mark, where)
                    open_.append(anchor)
                if open_:
                    self.made += 1
                    if positions:
                        self._note(("v", where, (mark.line + 1, mark.column + 1)))
                stack.append((cur, path, in_map, key, muted, anchor))
                cur, path, in_map, key, muted = new, where, mapping, None, child_muted
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                done = cur
                cur, path, in_map, key, muted, anchor = stack.pop()
                if anchor is not None:
                    open_.pop()
                    self._close(anchor, done)
                if in_map:
                    key = _SKIP if key is _KEY_THEN_SKIP else None
                continue
            elif kind is AliasEvent:
                mark = event.start_mark
                anchor = self.anchors.get(event.anchor)
                if anchor is None:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", mark)
                if in_map and key is None:
                    if anchor.done and not isinstance(anchor.value, (dict, list)):
                        key = self._key(str(anchor.value), event, cur, path, muted)
                    else:
                        if not muted:
                            self.problem("CB003", "a key must be plain text", mark)
                        key = _SKIP
                    continue
                if key is _SKIP or muted:  # a dropped value: never expanded
                    if in_map:
                        key = None
                    elif cur is not None:
                        cur.append(None)
                    continue
                where = (*path, key) if in_map else (*path, len(cur)) if cur is not None else ()
                value = self._alias(anchor, event.anchor, mark, where)
            else:
                if kind is DocumentStartEvent:
                    if document is not None:
                        raise yaml.composer.ComposerError(
                            "expected a single document in the stream", document,
                            "but found another document", event.start_mark)
                    document = event.start_mark
                continue
            # a scalar's or an alias's value, in its place
            if in_map:
                cur[key] = value
                key = None
            elif cur is not None:
                cur.append(value)
            else:
                root = value
        return document is not None, root

    # -- the slower paths, taken for a few values only ----------------------------------
    def _key(self, raw: str, event: Any, cur: dict[str, Any], path: Path_,
             muted: bool) -> Any:
        """Check a mapping key; return it, or _SKIP to drop the value that follows."""
        mark = event.start_mark
        if isinstance(event, ScalarEvent):
            if event.anchor is not None:
                self._scalar_anchor(event, raw, event.style or "")
            tag = event.tag
            if raw == "<<" and tag in (None, "!"):
                tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                    yaml.ScalarNode, raw, event.implicit)
            if tag == _MERGE:
                if not muted:
                    self.problem("CB004", "merge keys ('<<') are not supported", mark,
                                 "write the keys out in full")
                return _SKIP
        if raw in cur:
            if self.tables is None:
                raise NeedPositions  # the message names the first one's line
            if not muted:
                first = self.tables[0].get((*path, raw), (0, 0))
                self.problem("CB006", f"duplicate key {raw!r} (first at line {first[0]})", mark)
            return _SKIP
        if self.tables is not None:
            if not muted:
                self.tables[0][(*path, raw)] = (mark.line + 1, mark.column + 1)
            if self.open:
                self._note(("k", (*path, raw), (mark.line + 1, mark.column + 1)))
        return raw

    def _scalar(self, tag: str, raw: str, style: str, mark: yaml.Mark,
                muted: bool) -> tuple[Any, str]:
        """Construct a scalar that is not plain text; None (and a problem) if it cannot be."""
        if tag == _TIMESTAMP and not style:
            return raw, ""  # `time: 2024-03-01` is text to an author, not a date object
        if tag not in _SCALAR_TAGS:
            if not muted:
                self.problem("CB003", f"the tag {tag!r} is not allowed", mark,
                             "stories use plain text, numbers, true/false, lists and mappings")
            return None, style
        seen = (tag, raw)
        if seen in self.constructed:
            return self.constructed[seen], style
        node = yaml.ScalarNode(tag, raw, style=style or None)
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, OverflowError, LookupError, yaml.YAMLError):
            # PyYAML's constructors raise ValueError ('0x_', or 10**100000 past Python's
            # int digit limit), KeyError ('!!bool maybe') and IndexError ("!!int ''").
            if not muted:
                kind = _KINDS.get(tag.rsplit(":", 1)[-1], "value")
                self.problem("CB003", f"{_shorten(raw)} is not a valid {kind}", mark)
            return None, style
        # .inf, .nan and 1.0e+400 pass pydantic's float checks (nan even passes ge=0
        # in some places) and then crash the scoring maths (Fraction(inf)) or
        # random.choices; no story needs them.
        if isinstance(value, float) and not math.isfinite(value):
            if not muted:
                self.problem("CB008", f"{raw!r} is not a finite number", mark,
                             "use an ordinary number such as 1 or 2.5")
            return None, style
        self.constructed[seen] = value
        return value, style

    def _define(self, name: str, mark: yaml.Mark, where: Path_) -> _Anchor:
        first = self.anchors.get(name)
        if first is not None:
            raise Refused(f"the anchor &{name} is already defined on line {first.mark.line + 1}",
                          mark, "give each anchor its own name")
        anchor = _Anchor(mark, where, self.made, self.chars)
        self.anchors[name] = anchor
        return anchor

    def _scalar_anchor(self, event: Any, value: Any, style: str) -> None:
        mark = event.start_mark
        anchor = self._define(event.anchor, mark, ())
        anchor.made, anchor.chars = 1, len(event.value)
        anchor.value, anchor.done = value, True
        anchor.entries = [("v", (), (mark.line + 1, mark.column + 1)), ("s", (), style)]

    def _close(self, anchor: _Anchor, value: Any) -> None:
        anchor.made = self.made - anchor.made
        anchor.chars = self.chars - anchor.chars
        cut = len(anchor.path)  # (entries are kept only when positions are)
        anchor.entries = [(table, where[cut:], what) for table, where, what in anchor.entries]
        anchor.value, anchor.done = value, True

    def _note(self, *entries: Entry) -> None:
        """Keep source-map entries for the anchored collections being read."""
        for anchor in self.open:
            anchor.entries += entries

    def _alias(self, anchor: _Anchor, name: str, mark: yaml.Mark, where: Path_) -> Any:
        """Expand an alias within the budget: a copy, with its positions in the map."""
        if not anchor.done:
            raise Refused(f"the alias *{name} is used inside the value it names", mark,
                          _ALIAS_HINT)
        self.added += anchor.made
        self.added_chars += anchor.chars
        if self.added > MAX_NODES:
            raise Refused(f"aliases add more than {MAX_NODES:,} values to the file", mark,
                          _ALIAS_HINT)
        if self.added_chars > MAX_ALIAS_CHARS:
            raise Refused(f"aliases add more than {MAX_ALIAS_CHARS:,} characters to the file",
                          mark, _ALIAS_HINT)
        self.made += anchor.made
        self.chars += anchor.chars
        if self.tables is None:
            return _copy(anchor.value)
        keys, values, styles = self.tables
        tables: dict[str, dict[Path_, Any]] = {"v": values, "k": keys, "s": styles}
        placed = [(table, (*where, *rel), what) for table, rel, what in anchor.entries]
        placed.append(("v", where, (mark.line + 1, mark.column + 1)))  # the alias itself
        for table, at, what in placed:
            tables[table][at] = what
        if self.open:
            self._note(*placed)
        return _copy(anchor.value)
