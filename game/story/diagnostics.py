"""Diagnostics: every problem found in a story, located and explained.

A :class:`Diagnostic` carries a code from the :data:`CATALOGUE`, a message, a
location (file, line, column; 1-based) and a hint: what to do about it ("did you mean
...?", "put the text in quotes"). Its severity is its code's, from the catalogue, and
nothing else: a diagnostic cannot be made with another, nor with a code the catalogue
lacks (as Yarn Spinner's ``DiagnosticDescriptor`` is the only way to make one). One
created without a hint gets its entry's general advice, so every diagnostic says
what to do.

Each catalogue entry explains its code and has a minimal failing example,
``game/story/examples/CBxxx.yaml`` (shipped with the package, so ``callback validate
--explain CODE`` can print it); its first line says which diagnostic it must produce,
and ``tests/test_diagnostics.py`` checks exactly that.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources


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
    hint: str
    """General advice, for a diagnostic of this code created without a hint of its own."""


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
    """A located problem with a story file; its severity is its code's (ValueError: a code
    the catalogue lacks)."""

    code: str
    message: str
    location: Location
    hint: str = ""
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        info = CATALOGUE.get(self.code)
        if info is None:
            raise ValueError(f"{self.code!r} is not a code in the catalogue")
        object.__setattr__(self, "severity", info.severity)
        if not self.hint:
            object.__setattr__(self, "hint", info.hint)

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


def _entry(code: str, severity: Severity, title: str, explanation: str, hint: str) -> CodeInfo:
    return CodeInfo(code, severity, title, " ".join(explanation.split()), hint)


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, CodeInfo] = {
    info.code: info
    for info in [
        _entry(
            "CB000",
            E,
            "internal error",
            """Callback itself failed while reading or checking the story: a bug
            in the program, not a mistake in the story. The message names the crash
            report written to the logs folder; please send it to whoever looks after your
            copy of Callback.""",
            "send the crash report named here; the story may be fine",
        ),
        _entry(
            "CB001",
            E,
            "YAML syntax error",
            """The file is not valid YAML: a tab used to
            indent, a ': ' inside text that is not in quotes, a key without its colon, a line
            out of step with the lines above it, a quote or bracket never closed. The message
            names the mistake and the hint says how to fix it. Where the parser only notices
            on a later line (a missing colon, an unclosed quote or bracket), the location is
            the line with the mistake; otherwise it is where the parser gave up, and the
            mistake may be on the line above.""",
            "check the colons, quotes, brackets and indentation here and on the line above",
        ),
        _entry(
            "CB002",
            E,
            "unreadable file",
            """The path could not be read as a story: it does
            not exist, is a directory, is not UTF-8 text, is too large, or the operating system
            refused to open it. Save stories as UTF-8 text files ending in .yaml.""",
            "check the path; stories are UTF-8 text files ending in .yaml",
        ),
        _entry(
            "CB003",
            E,
            "wrong type",
            """A value has the wrong kind: text where a number is
            expected, a list where a mapping is expected, and so on. Check the format reference
            for what each key takes.""",
            "check what this key takes (text, a number, a list or keys) in the format reference",
        ),
        _entry(
            "CB004",
            E,
            "unknown key",
            """A key that the format does not know, usually a
            typo. Unknown keys are errors rather than being ignored, so a misspelt 'choices' can
            never silently drop a scene's choices.""",
            "remove it, or check its spelling against the format reference",
        ),
        _entry(
            "CB005",
            E,
            "missing required key",
            """A key that must be present is missing,
            such as a choice's 'goto' or an ending's 'outcome'.""",
            "add the missing key",
        ),
        _entry(
            "CB006",
            E,
            "duplicate key",
            """The same key appears twice in one mapping. YAML
            would silently keep the last one, losing the first; Callback refuses instead.""",
            "remove one of them",
        ),
        _entry(
            "CB007",
            E,
            "duplicate id",
            """Two choices in one scene share an id. Choice ids
            must be unique within their scene because saves, replays and class results refer
            to choices by id.""",
            "give each choice in a scene its own id",
        ),
        _entry(
            "CB008",
            E,
            "invalid value",
            """A value has the right type but is not allowed:
            an id with capital letters or spaces, a meter whose start lies outside its bounds,
            a scene with both choices and an ending, an unknown outcome.""",
            "use a value the format reference allows for this key",
        ),
        _entry(
            "CB010",
            E,
            "missing target",
            """A 'goto', 'next', route or 'start' names a scene
            that does not exist. Check the spelling against the scene ids.""",
            "check the spelling against the scene ids, or add the scene",
        ),
        _entry(
            "CB011",
            E,
            "undefined name",
            """An effect, condition, campaign list or speaker
            uses a meter, flag or cast member that is not declared in the story or its
            rubric.""",
            "declare it under 'meters:', 'flags:' or 'cast:', or check its spelling",
        ),
        _entry(
            "CB012",
            E,
            "bad expression",
            """A condition could not be parsed, or is not
            true or false. Conditions use meter and flag names, whole numbers, true/false,
            comparisons (== != < <= > >=), and, or, not and parentheses, e.g. 'composure >= 50
            and not pest'. A flag alone is a condition; a meter alone is a number, so compare
            it ('composure >= 50').""",
            "write a condition such as 'composure >= 50 and not pest'",
        ),
        _entry(
            "CB013",
            E,
            "wrong kind of value in effect",
            """A meter effect must be a whole
            number (added, then clamped to the meter's bounds); a flag effect must be true or
            false. A number in quotes ("20") is text, and 20.5 is not a whole number.""",
            "a meter effect is a whole number such as 20 or -10; a flag effect is true or false",
        ),
        _entry(
            "CB014",
            E,
            "rubric problem",
            """The rubric named by 'rubric:' is neither a file
            beside the story nor one that comes with Callback (such as default.rubric.yaml),
            could not be read or is invalid, or the story redefines one of its meters or
            flags. A rubric file beside the story is used in place of a built-in one of the
            same name.""",
            "check the rubric's file name, and fix the problems reported for the rubric itself",
        ),
        _entry(
            "CB015",
            E,
            "unknown tag",
            """A choice uses a tag that is not in the rubric's
            tag vocabulary or the story's own 'tags:'. Tags drive personas, class reports and
            assertions, so a misspelt tag would silently drop a choice from them.""",
            "declare it under 'tags:' with its meaning, or check its spelling",
        ),
        _entry(
            "CB016",
            E,
            "routing loop",
            """Route scenes lead back to themselves without a
            player decision in between, so the story would spin for ever.""",
            "make one route lead to a scene with choices",
        ),
        _entry(
            "CB017",
            E,
            "score bands",
            """The bands that say which scores earn which door ('bands:' in a rubric
            or a story) must run from 0 to 100 in the order closed, shut, ajar, open, each
            starting one above where the last one ends, with no gap and no overlap. A floor
            flag's max_score must lie in the band of the door its forces_outcome names, so
            that a floor lowers the score and the door together. 'score' is the overall
            score in conditions, so no meter or flag may be called that.""",
            "make the bands meet end to end from 0 to 100, and cap each floor inside its "
            "door's band",
        ),
        _entry(
            "CB020",
            W,
            "unreachable scene",
            """No playthrough can reach this scene from the
            start scene: no choice, next or route leads to it, or every way in has a condition
            that can never hold.""",
            "link to it from a choice, or remove it",
        ),
        _entry(
            "CB021",
            E,
            "dead end",
            """In some reachable situation none of this scene's
            choices can be taken (every condition is false), so the player is stuck. Add a
            choice without a condition, or loosen a condition.""",
            "add a choice without a condition, or loosen a condition",
        ),
        _entry(
            "CB022",
            E,
            "trap",
            """From this scene, in some reachable situation, no ending can
            ever be reached: the player can only go round in a loop.""",
            "give this scene a way, for every player, that leads on to an ending",
        ),
        _entry(
            "CB023",
            W,
            "unreachable ending",
            """An ending that no playthrough can reach,
            usually because of a condition or a missing link. It will never be seen.""",
            "lead a choice, 'next' or route to it, or loosen the condition on the way in",
        ),
        _entry(
            "CB024",
            E,
            "no reachable ending",
            """No playthrough from the start reaches any
            ending.""",
            "make at least one choice, 'next' or route lead to a scene with 'ending:'",
        ),
        _entry(
            "CB025",
            W,
            "always clamped",
            """A meter effect is so large that it always hits
            the meter's bound wherever it can happen, so part of it never counts. Use a smaller
            number, or widen the meter.""",
            "use a smaller number, or widen the meter",
        ),
        _entry(
            "CB026",
            W,
            "choice without feedback",
            """Every choice should say why it helps or
            hurts the relationship. Explained feedback teaches far better than a score.""",
            "add 'feedback:' saying why it helps or hurts",
        ),
        _entry(
            "CB027",
            W,
            "ending without epilogue",
            """An ending should show what the choices
            led to months later: the consequence for future opportunities.""",
            "say what happened months later",
        ),
        _entry(
            "CB028",
            W,
            "duplicate choice text",
            """Two choices in one scene have the same
            text, so the player cannot tell them apart.""",
            "reword one of them so the player can tell them apart",
        ),
        _entry(
            "CB030",
            E,
            "assertion failed",
            """One of the story's own assertions does not
            hold. The message gives a playthrough that breaks it (a counterexample), as the
            choice ids taken from the start.""",
            "change the story so the rule holds (or the rule, if it is wrong); replay "
            "the counterexample with 'callback play STORY --choices ...'",
        ),
        _entry(
            "CB031",
            W,
            "analysis limit",
            """The story's state space (scene, meters and
            flags) is larger than the analysis limit, so graph checks and assertions that need
            it were not run exhaustively. Each meter a condition reads multiplies the states by
            the values it can take: branch on flags, test fewer meters, or change them in coarser
            steps. (`callback analyze --limit N` can search further.) A campaign story is checked
            from every combination of the flags it imports, at most 256 of them: importing more
            than 8 flags leaves some starts unchecked, and the message says so.""",
            "test fewer meters in 'if:' conditions and branch on flags instead, or "
            "change meters in steps of 5 or 10",
        ),
        _entry(
            "CB032",
            W,
            "score outside its door's band",
            """Some run ends at this ending with a score outside the band of its door,
            so a player could finish with a lower door and a higher score than another
            player. The message gives the door, the scores found, the band, and a run that
            reaches the offending score, as the choice ids taken from the start. The game
            holds such a score at the edge of the band; change the story so it never needs
            to: route runs to the ending their score has earned ('if: score >= 50'),
            change effects so the choices that lead here score as the ending says, or
            split the ending in two.""",
            "route by score before the ending, adjust the effects on the way, or split "
            "the ending; replay the run with 'callback play STORY --choices ...'",
        ),
    ]
}


WITHOUT_EXAMPLE = frozenset({"CB000"})
"""Codes no story file can show (a failure of the program itself)."""

EXPECT = "# expect: "
"""How an example's first line starts: ``# expect: CODE LINE:COL HINT``."""


def example_bytes(code: str) -> bytes | None:
    """Return the minimal failing example for ``code`` as stored, or None if it has none.

    Bytes, because an example may be deliberately broken text (CB002: not UTF-8).
    """
    if code not in CATALOGUE:
        return None
    try:
        return (resources.files("game.story") / "examples" / f"{code}.yaml").read_bytes()
    except OSError:
        return None


def example(code: str) -> str | None:
    """Return the example for ``code`` without its ``# expect:`` line, for showing.

    Bytes that are not UTF-8 show as escapes (``\\xe9``), which is the point of CB002's.
    """
    raw = example_bytes(code.upper())
    if raw is None:
        return None
    lines = raw.decode("utf-8", errors="backslashreplace").splitlines(keepends=True)
    if lines and lines[0].startswith(EXPECT):
        lines = lines[1:]
    return "".join(lines)


def explain(code: str) -> str | None:
    """Return the catalogue text for ``code`` (any case) and its example, or None if unknown."""
    info = CATALOGUE.get(code.upper())
    if info is None:
        return None
    text = f"{info.code} ({info.severity}): {info.title}\n\n"
    text += textwrap.fill(info.explanation, 88) + "\n\n"
    text += textwrap.fill(f"What to do: {info.hint}.", 88) + "\n"
    shown = example(info.code)
    if shown:
        raw = example_bytes(info.code) or b""
        where = raw.split(b"\n", 1)[0].decode("utf-8", "replace").removeprefix(EXPECT).split(" ")
        place = ""
        if len(where) > 1 and re.fullmatch(r"\d+:\d+", where[1]):
            line, col = (int(part) for part in where[1].split(":"))
            if line > 1:  # the example is shown without its first line, the '# expect:'
                place = f"; validate reports {info.code} at line {line - 1}, column {col}"
        indented = "".join(f"    {line}" if line.strip() else line
                           for line in shown.splitlines(keepends=True))
        text += f"\nA minimal failing example ({info.code}.yaml{place}):\n\n{indented}"
        text += "" if text.endswith("\n") else "\n"
    return text
