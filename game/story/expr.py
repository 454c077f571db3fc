"""The small, safe condition language used by ``if:``.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom)?
    atom    := INT | "true" | "false" | NAME | "-" INT | "(" expr ")"

Names are meters (whole numbers), flags (true/false) and ``score``, the overall
0-100 score so far (after the flags' caps), so a route can send a run to the
ending its score has earned. A whole condition must be
true or false, so ``composure`` alone is an error (compare it) and ``pest`` alone is
fine. Numbers have at most 9 digits. There is no attribute
access, no call and no ``eval``: an expression is parsed once, at load time, into
a tiny tree of tuples that :func:`evaluate` walks. Length and nesting depth are
bounded so a hostile file cannot exhaust the parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

MAX_LENGTH = 500
MAX_DEPTH = 32
MAX_NUMBER = 999_999_999
"""Largest number a condition may hold (meters span at most 1,000 values anyway)."""

Kind = Literal["int", "bool"]

SCORE = "score"
"""The reserved name of the overall score in conditions (never a meter or flag)."""


class ExprError(ValueError):
    """A condition that cannot be parsed or type-checked; ``offset`` is 0-based."""

    def __init__(self, message: str, offset: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Node:
    """One node of a parsed condition."""

    op: str  # "int", "bool", "name", "not", "and", "or", or a comparison operator
    value: int | bool | str | None = None
    args: tuple[Node, ...] = ()
    offset: int = 0


_TOKEN = re.compile(
    r"\s*(?:(?P<int>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|-)|(?P<bad>\S))"
)
_COMPARE = ("==", "!=", "<=", ">=", "<", ">")
_KEYWORDS = {"and", "or", "not", "true", "false"}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # only trailing spaces remain
            break
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        start = match.start(kind)
        if kind == "bad":
            hint = "use 'and', 'or', 'not' instead of symbols" if value in "&|!" else ""
            if value == "=":
                hint = "use '==' to compare"
            raise ExprError(f"unexpected character {value!r}", start, hint)
        if kind == "int" and int(value) > MAX_NUMBER:
            shown = value if len(value) <= 20 else f"{value[:12]}...({len(value)} digits)"
            raise ExprError(f"the number {shown} is too large", start,
                            "compare with a number in the meter's range, such as 50")
        tokens.append((kind, value, start))
        pos = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def nest(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"condition nests deeper than {MAX_DEPTH} levels", offset)

    def parse(self) -> Node:
        node = self.or_()
        kind, value, offset = self.peek()
        if kind != "end":
            raise ExprError(f"unexpected {value!r}", offset, "join conditions with 'and' or 'or'")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek()[:2] == ("name", "or"):
            offset = self.take()[2]
            node = Node("or", args=(node, self.and_()), offset=offset)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek()[:2] == ("name", "and"):
            offset = self.take()[2]
            node = Node("and", args=(node, self.not_()), offset=offset)
        return node

    def not_(self) -> Node:
        if self.peek()[:2] == ("name", "not"):
            offset = self.take()[2]
            self.nest(offset)
            node = Node("not", args=(self.not_(),), offset=offset)
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.atom()
        kind, value, offset = self.peek()
        if kind == "op" and value in _COMPARE:
            self.take()
            return Node(value, args=(left, self.atom()), offset=offset)
        return left

    def atom(self) -> Node:
        kind, value, offset = self.take()
        if kind == "int":
            return Node("int", int(value), offset=offset)
        if kind == "op" and value == "-":
            kind2, value2, _ = self.take()
            if kind2 != "int":
                raise ExprError("'-' must be followed by a number", offset)
            return Node("int", -int(value2), offset=offset)
        if kind == "name" and value in ("true", "false"):
            return Node("bool", value == "true", offset=offset)
        if kind == "name" and value not in _KEYWORDS:
            return Node("name", value, offset=offset)
        if kind == "op" and value == "(":
            self.nest(offset)
            node = self.or_()
            self.depth -= 1
            close = self.take()
            if close[1] != ")":
                raise ExprError("missing ')'", close[2], "add the ')' that closes the '('")
            return node
        if kind == "end":
            raise ExprError("condition ends too early", offset,
                            "finish it, e.g. 'composure >= 50'")
        raise ExprError(f"unexpected {value!r}", offset)


def parse(text: str) -> Node:
    """Parse a condition into a tree, or raise :class:`ExprError`."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"condition is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not text.strip():
        raise ExprError("condition is empty", 0, "write a condition, or remove 'if:'")
    return _Parser(text).parse()


def names(node: Node) -> list[Node]:
    """Return every ``name`` node in the tree, in order."""
    if node.op == "name":
        return [node]
    return [found for arg in node.args for found in names(arg)]


def check(node: Node, kinds: Mapping[str, Kind]) -> Kind:
    """Type-check a whole condition against declared names, or raise ExprError.

    ``kinds`` maps meter names to ``"int"`` and flag names to ``"bool"``. A condition
    must be true or false: a meter or a number alone is refused, with the comparison
    to write instead. Returns ``"bool"``.
    """
    kind = _kind(node, kinds)
    if kind != "bool":
        if node.op == "name":
            raise ExprError(f"{node.value!r} is a meter (a number), so it cannot be a "
                            "condition on its own", node.offset, f"compare it: {node.value} >= 50")
        raise ExprError("a condition must be true or false, not a number", node.offset,
                        "compare a meter with a number, e.g. 'composure >= 50'")
    return kind


def _kind(node: Node, kinds: Mapping[str, Kind]) -> Kind:
    """Return the kind of ``node`` (and of every part of it), or raise ExprError."""
    if node.op == "int":
        return "int"
    if node.op == "bool":
        return "bool"
    if node.op == "name":
        name = str(node.value)
        if name not in kinds:
            raise ExprError(f"{name!r} is not a meter or flag", node.offset)
        return kinds[name]
    arg_kinds = [_kind(arg, kinds) for arg in node.args]
    if node.op in ("and", "or", "not"):
        for arg, kind in zip(node.args, arg_kinds, strict=True):
            if kind != "bool":
                raise ExprError(
                    f"'{node.op}' needs true/false on each side, not a number",
                    arg.offset,
                    f"compare it: {arg.value} >= 50" if arg.op == "name"
                    else "compare a meter with a number, e.g. 'composure >= 50'",
                )
        return "bool"
    left, right = arg_kinds
    if node.op in ("<", "<=", ">", ">=") and (left, right) != ("int", "int"):
        raise ExprError(f"'{node.op}' compares numbers, not true/false", node.offset,
                        "test a flag on its own: 'pest' or 'not pest'")
    if left != right:
        raise ExprError(f"'{node.op}' compares a number with true/false", node.offset,
                        "compare a meter with a number, or a flag with true or false")
    return "bool"


def evaluate(node: Node, values: Mapping[str, int | bool]) -> int | bool:
    """Evaluate a checked tree against meter and flag values."""
    op = node.op
    if op in ("int", "bool"):
        assert node.value is not None and not isinstance(node.value, str)
        return node.value
    if op == "name":
        return values[str(node.value)]
    if op == "not":
        return not evaluate(node.args[0], values)
    if op == "and":
        return bool(evaluate(node.args[0], values)) and bool(evaluate(node.args[1], values))
    if op == "or":
        return bool(evaluate(node.args[0], values)) or bool(evaluate(node.args[1], values))
    left = evaluate(node.args[0], values)
    right = evaluate(node.args[1], values)
    return {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


Compiled = Callable[[tuple[int, ...], tuple[bool, ...]], int | bool]

_COMPARE_FUNCS: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def compile_node(node: Node, meters: Mapping[str, int], flags: Mapping[str, int],
                 derived: Mapping[str, Compiled] | None = None) -> Compiled:
    """Turn a checked tree into a closure over (meter values, flag values) tuples.

    ``meters`` and ``flags`` map names to their position in those tuples;
    ``derived`` gives names computed from both (``score``). The
    result is plain nested closures: still no ``eval``, just faster than walking
    the tree for every state of an exhaustive search.
    """
    op = node.op
    if op in ("int", "bool"):
        constant = node.value
        return lambda m, f: constant  # type: ignore[return-value]
    if op == "name":
        name = str(node.value)
        if name in meters:
            index = meters[name]
            return lambda m, f: m[index]
        if derived and name in derived:
            return derived[name]
        index = flags[name]
        return lambda m, f: f[index]
    args = [compile_node(arg, meters, flags, derived) for arg in node.args]
    if op == "not":
        (inner,) = args
        return lambda m, f: not inner(m, f)
    left, right = args
    if op == "and":
        return lambda m, f: bool(left(m, f)) and bool(right(m, f))
    if op == "or":
        return lambda m, f: bool(left(m, f)) or bool(right(m, f))
    compare = _COMPARE_FUNCS[op]
    return lambda m, f: compare(left(m, f), right(m, f))
