"""PyYAML's syntax errors, told in a teacher's words: what is wrong, where, and the fix.

PyYAML (libyaml or the pure-Python parser, whose wording differs) says where it gave
up, in parser terms: "mapping values are not allowed in this context", "could not
find expected ':'". :func:`syntax_problem` looks at the text around that spot to
recognise the usual mistakes (a tab used to indent, an unquoted ``: `` inside text, a
key without its colon, a line out of step with its neighbours, a quote or bracket
never closed, text going on after a closing quote) and says what to do about each.

Where PyYAML only notices a mistake on a later line (a missing colon, an unclosed
bracket or quote), the diagnostic points at the line with the mistake when the text
shows it without doubt; otherwise PyYAML's own position is kept. Anything not
recognised keeps PyYAML's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from game.story.diagnostics import Diagnostic, Location

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as YAML counts them (str.splitlines also splits on \\v, \\f, ...)."""
_DASHES = re.compile(r"(?:-[ \t]+)+")
_COMMENT = re.compile(r"[ \t]+#.*$")
_QUOTE_HINT_MAX = 50
"""Longest text quoted out in full in a hint; longer text is just 'put it in quotes'."""


@dataclass(frozen=True)
class _Found:
    line: int  # 0-based, as in PyYAML's marks
    col: int
    message: str
    hint: str = ""


class _Text:
    """The file's lines, read safely at any (line, column) a mark may give."""

    def __init__(self, text: str) -> None:
        self.lines = _BREAK.split(text)

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def char(self, number: int, col: int) -> str:
        line = self.line(number)
        return line[col] if 0 <= col < len(line) else ""

    def rest_is_blank(self, number: int, col: int) -> bool:
        """Whether nothing but white space follows (line, col) in the file."""
        return not self.line(number)[col:].strip() and not any(
            self.lines[i].strip() for i in range(number + 1, len(self.lines))
        )

    def previous(self, number: int) -> int | None:
        """The nearest line above ``number`` with content (not blank, not a comment)."""
        for i in range(min(number, len(self.lines)) - 1, -1, -1):
            stripped = self.lines[i].strip()
            if stripped and not stripped.startswith("#"):
                return i
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> tuple[int, str]:
    """Return where a line's content starts after indentation and list dashes, and it."""
    start = _indent(line)
    dashes = _DASHES.match(line, start)
    if dashes:
        start = dashes.end()
    return start, _COMMENT.sub("", line[start:]).rstrip()


def _quoted(value: str) -> str:
    """Quote ``value`` the way YAML reads it back unchanged."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _quote_hint(value: str) -> str:
    value = _COMMENT.sub("", value).strip()
    if value and len(value) <= _QUOTE_HINT_MAX:
        return f"put the text in quotes: {_quoted(value)}"
    return "put the text in quotes"


def _key(content: str) -> str:
    """Return the key a line's content starts with, or "" if it does not look like one."""
    name = content.split(":", 1)[0].strip()
    return name if re.fullmatch(r"[^\s\[\]{},#'\"]+", name) else ""


def _what(line: str, *, key: bool = False) -> str:
    """Name a line's list dash, or (``key``, or no dash) its first key, for a hint."""
    _, content = _content(line)
    if line.lstrip(" ").startswith("-") and not key:
        return "the '-'"
    name = _key(content)
    return f"'{name}:'" if name else "the text"


# -- the recognisers: each returns a finding or None --------------------------------


def _tab(text: _Text, mark: yaml.Mark) -> _Found | None:
    line = text.line(mark.line)
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation:
        return _Found(mark.line, indentation.index("\t"), "a tab is used to indent this line",
                      "use spaces, not tabs, to indent")
    if text.char(mark.line, mark.column) == "\t":
        return _Found(mark.line, mark.column, "a tab is not allowed here", "use a space")
    return None


def _unclosed_quote(text: _Text, error: yaml.MarkedYAMLError) -> _Found | None:
    mark = error.context_mark
    if error.context != "while scanning a quoted scalar" or mark is None:
        return None
    quote = text.char(mark.line, mark.column) or '"'
    return _Found(mark.line, mark.column, f"the quote {quote} here is never closed",
                  f"end the text with {quote}")


def _missing_colon_at(text: _Text, number: int) -> _Found:
    """A key written without its colon (or without the space after it) on this line."""
    col, content = _content(text.line(number))
    word, _, rest = content.partition(" ")
    rest = rest.strip()
    if ":" in word.rstrip(":"):
        key, _, value = word.partition(":")
        fixed = f"{key}: {value} {rest}".rstrip()
        return _Found(number, col, f"the ':' after {key!r} needs a space after it",
                      f"write '{fixed}'")
    fixed = f"{word}: {rest}" if rest else f"{word}:"
    return _Found(number, col, f"missing ':' after {word!r}", f"write '{fixed}'")


def _simple_key(text: _Text, error: yaml.MarkedYAMLError) -> _Found | None:
    mark = error.context_mark
    if error.context != "while scanning a simple key" or mark is None:
        return None
    return _missing_colon_at(text, mark.line)


def _flow(text: _Text, error: yaml.MarkedYAMLError, mark: yaml.Mark) -> _Found | None:
    opening = error.context_mark
    context = error.context or ""
    if opening is None or context not in ("while parsing a flow sequence",
                                          "while parsing a flow mapping"):
        return None
    opener = text.char(opening.line, opening.column) or ("[" if "sequence" in context else "{")
    closer = "]" if opener == "[" else "}"
    what = "list" if opener == "[" else "mapping"
    line = text.line(mark.line)
    here = text.char(mark.line, mark.column)
    # A later line no further in than the key on the bracket's line, or the end of the
    # file: the bracket was never closed (a list may go on over lines, indented further).
    if mark.line > opening.line and (
        text.rest_is_blank(mark.line, mark.column)
        or _indent(line) <= _content(text.line(opening.line))[0]
    ):
        return _Found(opening.line, opening.column, f"the '{opener}' here is never closed",
                      f"end the {what} with '{closer}'")
    if here and here in "]}":
        return _Found(mark.line, mark.column, f"this '{here}' does not match the '{opener}' "
                      f"at line {opening.line + 1}, column {opening.column + 1}",
                      f"end the {what} with '{closer}', or remove the '{here}'")
    if here == ":":
        return _Found(mark.line, mark.column,
                      f"a ':' inside unquoted text in '{opener}...{closer}'",
                      "put the text in quotes, and separate items with ','")
    return _Found(mark.line, mark.column, f"unexpected text in this '{opener}...{closer}'",
                  "separate items with ',', and put text containing ':', '[' or '{' in quotes")


def _colon_in_text(text: _Text, error: yaml.MarkedYAMLError, mark: yaml.Mark) -> _Found | None:
    if "mapping values are not allowed" not in (error.problem or ""):
        return None
    line = text.line(mark.line)
    before = line[: mark.column]
    key = re.search(r":[ \t]", before)
    if key:  # 'text: I think: you're wrong'
        return _Found(mark.line, mark.column, "a ':' followed by a space inside unquoted text",
                      _quote_hint(line[key.end():]))
    col, word = _content(before)
    word = word.strip()
    if re.fullmatch(r"[^\s:]+", word):  # a lone key: the line above is the problem
        above = text.previous(mark.line)
        if above is not None:
            above_col, above_content = _content(text.line(above))
            if not re.search(r":(?:[ \t]|$)", above_content) and above_col == col:
                return _missing_colon_at(text, above)  # "goto open" or "goto:open"
            if col > above_col:
                return _Found(mark.line, col, f"{word!r} is indented more than the line above",
                              f"start it in the same column as "
                              f"{_what(text.line(above), key=True)} on line {above + 1}")
        return None
    # several words, then ': ': text that goes on from the line above
    return _Found(mark.line, mark.column, "a ':' followed by a space inside unquoted text",
                  "put the text in quotes")


_BLOCK_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator",
                   "expected <block end>")


def _block(text: _Text, error: yaml.MarkedYAMLError, mark: yaml.Mark) -> _Found | None:
    if not (error.problem or "").startswith(_BLOCK_PROBLEMS):
        return None
    line = text.line(mark.line)
    before = line[: mark.column].rstrip()
    here = text.char(mark.line, mark.column)
    if here and here in "]}":
        return _Found(mark.line, mark.column, f"this '{here}' closes nothing",
                      "remove it, or add the opening bracket it belongs to")
    if not before.strip():
        return _misaligned(text, mark.line)
    last = before[-1]
    if last in "\"'":
        quote = last
        at = len(before) - 1
        if quote == "'" and len(before) == mark.column and here.isalpha():
            hint = "write an apostrophe inside '...' as two ('It''s'), or use double quotes"
        elif quote == '"' and len(before) == mark.column:
            hint = "write a \" inside \"...\" as \\\", or put the text in single quotes"
        else:
            hint = "put the whole text inside the quotes"
        return _Found(mark.line, at, "this quote ends the text, but more text follows it", hint)
    if last in "]}":
        opening = re.search(r":[ \t]+([\[{])", line)
        col = opening.start(1) if opening else mark.column
        kind = "a list" if line[col:col + 1] == "[" else "a mapping"
        return _Found(mark.line, col, f"text that starts with '{line[col:col + 1]}' is read as "
                      f"{kind}", "put the text in quotes")
    return None


def _misaligned(text: _Text, number: int) -> _Found:
    """A line whose indentation matches none of the open blocks above it."""
    line = text.line(number)
    indent = _indent(line)
    _, content = _content(line)
    name = _key(content)
    stray = line.strip()[:1]
    if stray and not name and stray != "-":  # ', text: ...', ': goto: x'
        return _Found(number, indent, f"unexpected {stray!r} at the start of the line",
                      "remove it, or put the text in quotes")
    above = text.previous(number)
    if above is not None and name:
        above_col, above_content = _content(text.line(above))
        if indent > above_col and not above_content.endswith(":"):  # 'you: 1' holds no keys
            return _Found(number, indent, f"{name!r} is indented more than the line above",
                          f"start it in the same column as {_what(text.line(above), key=True)}"
                          f" on line {above + 1}")
    # The nearest column right of this line that a line above starts something in (a key,
    # a '-', or the key after a '-'), up to the line that holds them all.
    target: tuple[int, int, str] | None = None  # (column, line, what)
    for i in range(number - 1, -1, -1):
        earlier = text.line(i)
        if not earlier.strip() or earlier.strip().startswith("#"):
            continue
        key_col, _ = _content(earlier)
        starts = [(_indent(earlier), _what(earlier)), (key_col, _what(earlier, key=True))]
        for col, what in starts:
            if col > indent and (target is None or col < target[0]):
                target = (col, i, what)
        if _indent(earlier) < indent:
            break
    if stray == "-":
        message = "this '-' is not lined up with the lines above it"
    elif name:
        message = f"{name!r} is not lined up with the lines above it"
    else:
        message = "this line is not lined up with the lines above it"
    if target is None:
        return _Found(number, indent, message, "keys that belong together start in the same "
                      "column; indent with spaces")
    return _Found(number, indent, message, f"start it in the same column as {target[2]} "
                  f"on line {target[1] + 1}")


def _token(text: _Text, error: yaml.MarkedYAMLError, mark: yaml.Mark) -> _Found | None:
    problem = error.problem or ""
    here = text.char(mark.line, mark.column)
    if "cannot start any token" in problem and here:
        return _Found(mark.line, mark.column, f"text cannot start with {here!r}",
                      "put the text in quotes")
    if "undefined alias" in problem:
        name = re.match(r"\*([^\s,\[\]{}]*)", text.line(mark.line)[mark.column:])
        alias = name.group(1) if name else ""
        return _Found(mark.line, mark.column,
                      f"'*{alias}' reads as a reference to an anchor '&{alias}', which is "
                      "not defined", "if it is text, put it in quotes")
    if error.context in ("while scanning an anchor", "while scanning an alias",
                         "while scanning a block scalar"):
        start = error.context_mark or mark
        symbol = text.char(start.line, start.column) or "&"
        return _Found(start.line, start.column, f"text cannot start with {symbol!r}",
                      "put the text in quotes")
    if "found another document" in problem:
        return _Found(mark.line, mark.column, "a second YAML document starts here",
                      "a story file holds one document: remove the '---' line, or move what "
                      "follows it to a file of its own")
    return None


def syntax_problem(text: str, shown: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    """Return the CB001 diagnostic for a YAML syntax error in ``text``."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    if mark is None:
        return Diagnostic("CB001", f"YAML syntax error: {problem}", Location(shown))
    lines = _Text(text)
    try:
        found = (
            _tab(lines, mark)
            or _unclosed_quote(lines, error)
            or _simple_key(lines, error)
            or _flow(lines, error, mark)
            or _colon_in_text(lines, error, mark)
            or _block(lines, error, mark)
            or _token(lines, error, mark)
        )
    except (IndexError, ValueError, TypeError):  # never let the wording hide the error
        found = None
    if found is None:
        return Diagnostic("CB001", f"YAML syntax error: {problem}",
                          Location(shown, mark.line + 1, mark.column + 1))
    return Diagnostic("CB001", found.message, Location(shown, found.line + 1, found.col + 1),
                      found.hint)
