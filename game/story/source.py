"""Safe YAML reading: text -> plain data plus a map of where every key and value is.

Only the safe loaders are used (libyaml's ``CSafeLoader`` when available), and only
to *compose* a node tree; this module turns nodes into plain Python values itself,
so it can locate every key and value, refuse duplicate keys, merge keys and
non-standard tags, and bound how far aliases may expand and how deep nesting may go.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from game.story.diagnostics import Diagnostic, Location
from game.story.yamlerrors import syntax_problem

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2_000_000
"""Files larger than this are refused unread (override: CALLBACK_MAX_STORY_BYTES)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted."""
MAX_NODES = 100_000
"""Most values aliases may add to a file, beyond the values written out in it
(every use of an alias counts)."""

MAX_ALIAS_CHARS = 500_000
"""Most characters of text aliases may add to a file, beyond the text written out in it:
one long anchored line used 90,000 times made a 1.4 MB file expand to 360 MB."""

Path_ = tuple[str | int, ...]

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


@dataclass
class SourceMap:
    """Where each key and value of a YAML document sits (1-based line and column)."""

    path: str
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    styles: dict[Path_, str] = field(default_factory=dict)

    def at(self, where: Path_, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``where``, or its nearest parent."""
        where = tuple(where)
        while True:
            table = self.keys if key else self.values
            if where in table:
                line, col = table[where]
                return Location(self.path, line, col)
            if key and where in self.values:
                line, col = self.values[where]
                return Location(self.path, line, col)
            if not where:
                return Location(self.path, 1, 1)
            where = where[:-1]


@dataclass
class Source:
    """A file's decoded text, its digest and its parsed data (or None on error)."""

    path: str
    text: str
    sha256: str
    data: Any
    map: SourceMap


class _TooBig(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


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


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def parse_yaml(text: str, shown: str, problems: list[Diagnostic]) -> tuple[Any, SourceMap]:
    """Compose YAML safely and convert it to plain data with a :class:`SourceMap`."""
    smap = SourceMap(shown)
    guard = _nesting_problem(text)
    written = 0
    if guard is None:
        guard, written = _parsed_nesting_problem(text)
    if guard is not None:
        line, col = guard
        problems.append(
            Diagnostic(
                "CB001",
                f"nesting is deeper than {MAX_DEPTH} levels",
                Location(shown, line, col),
                "stories are at most a few levels deep",
            )
        )
        return None, smap
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        problems.append(syntax_problem(text, shown, error))  # in a teacher's words
        return None, smap
    except yaml.reader.ReaderError as error:
        # Not a MarkedYAMLError: no line or column, a two-line message, and libyaml's
        # position is a byte offset; find the offending character in the text instead.
        problems.append(_reader_problem(text, shown, error))
        return None, smap
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line per problem
        problems.append(Diagnostic("CB001", f"YAML error: {message}", Location(shown)))
        return None, smap
    except (RecursionError, MemoryError, ValueError) as error:
        problems.append(Diagnostic("CB001", f"YAML could not be read: {error}", Location(shown)))
        return None, smap
    if node is None:
        problems.append(
            Diagnostic("CB003", "the file is empty (or only comments)", Location(shown, 1, 1))
        )
        return None, smap
    # Aliases can make a small file expand without bound (the "billion laughs"), so
    # cap the expansion. The cap counts the values written out in the file, not its
    # bytes: a byte budget let 2 MB of comments buy two million alias expansions
    # (5 s and 580 MB to refuse one file).
    walker = _Walker(smap, problems, written + MAX_NODES, len(text) + MAX_ALIAS_CHARS)
    try:
        data = walker.value(node, (), 0)
    except _TooBig as error:
        line, col = _mark(error.node)
        problems.append(
            Diagnostic(
                "CB001",
                error.message,
                Location(shown, line, col),
                "anchors and aliases (&name, *name) are for small reuse only",
            )
        )
        return None, smap
    return data, smap


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


_FLOW = re.compile(r"[\[\]{}\n\"']")


def _nesting_problem(text: str) -> tuple[int, int] | None:
    """Find flow or block nesting deeper than MAX_DEPTH without parsing.

    libyaml is known to crash on very deep nesting, so this runs before it does.
    Only brackets, quotes and newlines are visited, so it is fast on big files.
    """
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
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(stripped)
        if indent > MAX_DEPTH * 8:
            return number, indent + 1
        if stripped.startswith("- "):
            dashes = len(re.match(r"(?:-\s+)*", stripped).group().split("-")) - 1  # type: ignore[union-attr]
            if dashes > MAX_DEPTH:
                return number, indent + 1
    return None


def _parsed_nesting_problem(text: str) -> tuple[tuple[int, int] | None, int]:
    """Find nesting deeper than MAX_DEPTH in the parser's event stream.

    Returns where the nesting first goes too deep (or None) and how many values
    (scalars, lists, mappings; not aliases) the file writes out.

    The character pre-scan above cannot know YAML's context: a quote in a comment
    (``# note: "``), in a block scalar or after an escape (``"a\\", "``), or a plain
    scalar such as ``-"x``, makes it treat every later bracket as quoted text, so
    100,000 real brackets after it got through to the node builder, which recurses
    (a segfault in libyaml builds without their own depth limit). libyaml's parser
    keeps its state on the heap and is safe at any depth, so the exact depth is taken
    from its events, stopping at the first collection too deep.
    """
    depth = written = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                written += 1
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return ((mark.line + 1, mark.column + 1) if mark else (1, 1)), written
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                written += 1
    except (yaml.YAMLError, ValueError):
        pass  # compose() below reports it, with its location
    return None, written


class _Walker:
    def __init__(self, smap: SourceMap, problems: list[Diagnostic], limit: int,
                 char_limit: int) -> None:
        self.limit = limit
        self.char_limit = char_limit
        self.chars = 0
        self.smap = smap
        self.problems = problems
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, code: str, message: str, node: yaml.Node, hint: str = "") -> None:
        line, col = _mark(node)
        self.problems.append(Diagnostic(code, message, Location(self.smap.path, line, col), hint))

    def value(self, node: yaml.Node, where: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > self.limit:
            raise _TooBig(f"aliases add more than {MAX_NODES:,} values to the file", node)
        if depth > MAX_DEPTH:
            raise _TooBig(f"nesting is deeper than {MAX_DEPTH} levels", node)
        self.smap.values.setdefault(where, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem("CB003", f"the tag {node.tag!r} is not allowed", node)
            return [self.value(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, where)

    def scalar(self, node: yaml.Node, where: Path_) -> Any:
        self.chars += len(str(node.value))
        if self.chars > self.char_limit:
            raise _TooBig(f"aliases add more than {MAX_ALIAS_CHARS:,} characters to the file",
                          node)
        if node.tag == "tag:yaml.org,2002:timestamp" and not getattr(node, "style", None):
            # `time: 2024-03-01` is text to an author, not a date object
            self.smap.styles[where] = ""
            return str(node.value)
        if node.tag not in _SCALAR_TAGS:
            self.problem(
                "CB003",
                f"the tag {node.tag!r} is not allowed",
                node,
                "stories use plain text, numbers, true/false, lists and mappings",
            )
            return None
        self.smap.styles[where] = getattr(node, "style", None) or ""
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError, LookupError, yaml.YAMLError):
            # PyYAML's constructors raise ValueError ('0x_', or 10**100000 past Python's
            # int digit limit), KeyError ('!!bool maybe') and IndexError ("!!int ''").
            kind = _KINDS.get(str(node.tag).rsplit(":", 1)[-1], "value")
            self.problem("CB003", f"{_shorten(str(node.value))} is not a valid {kind}", node)
            return None
        # .inf, .nan and 1.0e+400 pass pydantic's float checks (nan even passes ge=0
        # in some places) and then crash the scoring maths (Fraction(inf)) or
        # random.choices; no story needs them.
        if isinstance(value, float) and not math.isfinite(value):
            self.problem("CB008", f"{node.value!r} is not a finite number", node,
                         "use an ordinary number such as 1 or 2.5")
            return None
        return value

    def mapping(self, node: yaml.MappingNode, where: Path_, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self.problem("CB003", f"the tag {node.tag!r} is not allowed", node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(
                    "CB004",
                    "merge keys ('<<') are not supported",
                    key_node,
                    "write the keys out in full",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem("CB003", "a key must be plain text", key_node)
                continue
            key = str(key_node.value)
            if key in result:
                first = self.smap.keys.get((*where, key), (0, 0))
                self.problem(
                    "CB006",
                    f"duplicate key {key!r} (first at line {first[0]})",
                    key_node,
                    "remove one of them",
                )
                continue
            self.smap.keys[(*where, key)] = _mark(key_node)
            result[key] = self.value(value_node, (*where, key), depth + 1)
        return result


def load_source(path: Path, problems: list[Diagnostic]) -> Source | None:
    """Read and parse one YAML file, adding located problems; None if unusable."""
    read = read_text(path, problems)
    if read is None:
        return None
    text, digest = read
    before = len(problems)
    data, smap = parse_yaml(text, str(path), problems)
    if data is None and len(problems) > before:
        return None
    return Source(str(path), text, digest, data, smap)
