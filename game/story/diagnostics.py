"""Diagnostics: every problem found in a story, located and explained.

A :class:`Diagnostic` carries a code from the :data:`CATALOGUE`, a severity, a
message, a location (file, line, column; 1-based) and an optional hint (usually
"did you mean ...?"). The catalogue entry explains the code and names a minimal
failing example under ``tests/fixtures/diagnostics/`` that is also a test.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop a story loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    """One catalogue entry."""

    code: str
    severity: Severity
    title: str
    explanation: str


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column (0 when unknown)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """A located problem with a story file."""

    code: str
    message: str
    location: Location
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR)

    def format(self) -> str:
        """Return ``path:line:col: error CODE: message (hint)``."""
        text = f"{self.location}: {self.severity} {self.code}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_json(self) -> dict[str, object]:
        """Return the diagnostic as plain JSON-able data."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
        }


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"did you mean 'x'?"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def sort_key(diagnostic: Diagnostic) -> tuple[object, ...]:
    """Order diagnostics by file, then position, then code."""
    return (diagnostic.location, diagnostic.code)


def _entry(code: str, severity: Severity, title: str, explanation: str) -> CodeInfo:
    return CodeInfo(code, severity, title, " ".join(explanation.split()))


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, CodeInfo] = {
    info.code: info
    for info in [
        _entry(
            "CB001",
            E,
            "YAML syntax error",
            """The file is not valid YAML: a missing colon,
            bad indentation, an unclosed quote or bracket. The location points at the spot the
            parser gave up; the mistake is often on the line above.""",
        ),
        _entry(
            "CB002",
            E,
            "unreadable file",
            """The path could not be read as a story: it does
            not exist, is a directory, is not UTF-8 text, is too large, or the operating system
            refused to open it. Save stories as UTF-8 text files ending in .yaml.""",
        ),
        _entry(
            "CB003",
            E,
            "wrong type",
            """A value has the wrong kind: text where a number is
            expected, a list where a mapping is expected, and so on. Check the format reference
            for what each key takes.""",
        ),
        _entry(
            "CB004",
            E,
            "unknown key",
            """A key that the format does not know, usually a
            typo. Unknown keys are errors rather than being ignored, so a misspelt 'choices' can
            never silently drop a scene's choices.""",
        ),
        _entry(
            "CB005",
            E,
            "missing required key",
            """A key that must be present is missing,
            such as a choice's 'goto' or an ending's 'outcome'.""",
        ),
        _entry(
            "CB006",
            E,
            "duplicate key",
            """The same key appears twice in one mapping. YAML
            would silently keep the last one, losing the first; Callback refuses instead.""",
        ),
        _entry(
            "CB007",
            E,
            "duplicate id",
            """Two choices in one scene share an id. Choice ids
            must be unique within their scene because saves, replays and class results refer
            to choices by id.""",
        ),
        _entry(
            "CB008",
            E,
            "invalid value",
            """A value has the right type but is not allowed:
            an id with capital letters or spaces, a meter whose start lies outside its bounds,
            a scene with both choices and an ending, an unknown outcome.""",
        ),
        _entry(
            "CB010",
            E,
            "missing target",
            """A 'goto', 'next', route or 'start' names a scene
            that does not exist. Check the spelling against the scene ids.""",
        ),
        _entry(
            "CB011",
            E,
            "undefined name",
            """An effect, condition, campaign list or speaker
            uses a meter, flag or cast member that is not declared in the story or its
            rubric.""",
        ),
        _entry(
            "CB012",
            E,
            "bad expression",
            """A condition could not be parsed. Conditions
            use meter and flag names, whole numbers, true/false, comparisons (== != < <= > >=),
            and, or, not and parentheses, e.g. 'composure >= 50 and not pest'.""",
        ),
        _entry(
            "CB013",
            E,
            "wrong kind of value in effect",
            """A meter effect must be a whole
            number (added, then clamped to the meter's bounds); a flag effect must be true or
            false.""",
        ),
        _entry(
            "CB014",
            E,
            "rubric problem",
            """The rubric named by 'rubric:' could not be read
            or is invalid, or the story redefines one of its meters or flags.""",
        ),
        _entry(
            "CB015",
            E,
            "unknown tag",
            """A choice uses a tag that is not in the rubric's
            tag vocabulary or the story's own 'tags:'. Tags drive personas, class reports and
            assertions, so a misspelt tag would silently drop a choice from them.""",
        ),
        _entry(
            "CB016",
            E,
            "routing loop",
            """Route scenes lead back to themselves without a
            player decision in between, so the story would spin for ever.""",
        ),
        _entry(
            "CB020",
            W,
            "unreachable scene",
            """No playthrough can reach this scene from the
            start scene: no choice, next or route leads to it, or every way in has a condition
            that can never hold.""",
        ),
        _entry(
            "CB021",
            E,
            "dead end",
            """In some reachable situation none of this scene's
            choices can be taken (every condition is false), so the player is stuck. Add a
            choice without a condition, or loosen a condition.""",
        ),
        _entry(
            "CB022",
            E,
            "trap",
            """From this scene, in some reachable situation, no ending can
            ever be reached: the player can only go round in a loop.""",
        ),
        _entry(
            "CB023",
            W,
            "unreachable ending",
            """An ending that no playthrough can reach,
            usually because of a condition or a missing link. It will never be seen.""",
        ),
        _entry(
            "CB024",
            E,
            "no reachable ending",
            """No playthrough from the start reaches any
            ending.""",
        ),
        _entry(
            "CB025",
            W,
            "always clamped",
            """A meter effect is so large that it always hits
            the meter's bound wherever it can happen, so part of it never counts. Use a smaller
            number, or widen the meter.""",
        ),
        _entry(
            "CB026",
            W,
            "choice without feedback",
            """Every choice should say why it helps or
            hurts the relationship. Explained feedback teaches far better than a score.""",
        ),
        _entry(
            "CB027",
            W,
            "ending without epilogue",
            """An ending should show what the choices
            led to months later: the consequence for future opportunities.""",
        ),
        _entry(
            "CB028",
            W,
            "duplicate choice text",
            """Two choices in one scene have the same
            text, so the player cannot tell them apart.""",
        ),
        _entry(
            "CB030",
            E,
            "assertion failed",
            """One of the story's own assertions does not
            hold. The message gives a playthrough that breaks it (a counterexample), as the
            choice ids taken from the start.""",
        ),
        _entry(
            "CB031",
            W,
            "analysis limit",
            """The story's state space (scene, meters and
            flags) is larger than the analysis limit, so graph checks and assertions that need
            it were not run exhaustively. Raise the limit or use coarser meter steps.""",
        ),
    ]
}


def explain(code: str) -> str | None:
    """Return the catalogue text for ``code`` (any case), or None if unknown."""
    info = CATALOGUE.get(code.upper())
    if info is None:
        return None
    return f"{info.code} ({info.severity}): {info.title}\n\n{info.explanation}\n"
