"""Questions for the room, filled in with a class's own numbers (for the class report).

Each question quotes what the class did: the answer that cost the most, the decision
the class split on, where most of the class left the best path, and how the doors
ended, e.g. "62% of the runs that reached *The news* said “Then why did you waste my
time?”: it cost 18 points of the best score still reachable. What did that cost with
the recruiter, and what would you say instead?"
"""

from __future__ import annotations

from game.classroom.report_model import Decision, Option, Section, percent
from game.classroom.workshop import short
from game.story.model import Outcome

MOST = 5
"""Questions asked at most per section."""


def questions_for(section: Section) -> list[str]:
    """Up to :data:`MOST` questions about ``section``'s runs, the most telling first."""
    asked = [q for q in (_costliest(section), _split(section), _parting(section),
                         _lesson(section), _doors(section)) if q]
    return asked[:MOST]


def _costliest(section: Section) -> str | None:
    """The answer that lost the class the most: its cost times the runs that took it."""
    found: list[tuple[float, Decision, Option]] = [
        (option.cost * option.count, decision, option)
        for decision in section.decisions for option in decision.options
        if option.cost is not None and option.cost >= 1 and option.count]
    if not found:
        return None
    _, decision, option = max(found, key=lambda item: item[0])
    cost = round(option.cost or 0)
    return (f"{option.percent}% of the runs that reached “{decision.title}” ({option.count} of "
            f"{decision.reached}) said {quote(option.text)}: it cost {cost} point"
            f"{'s' * (cost != 1)} of the best score still reachable. What did that cost with "
            "the recruiter, and what would you say instead?")


def _split(section: Section) -> str | None:
    """The decision the class was most divided on (at least four runs, two answers taken)."""
    def margin(decision: Decision) -> tuple[float, int]:
        first, second = sorted((o.count for o in decision.options), reverse=True)[:2]
        return (first - second) / decision.reached, -decision.reached

    split = [d for d in section.decisions
             if d.reached >= 4 and sum(1 for o in d.options if o.count) >= 2]
    if not split:
        return None
    decision = min(split, key=margin)
    top, runner = sorted(decision.options, key=lambda o: -o.count)[:2]
    last = quote(runner.text)
    return (f"At “{decision.title}” the class split: {top.percent}% said {quote(top.text)} "
            f"and {runner.percent}% {last}{_stop(last)} What did each side hear in its answer?")


def _parting(section: Section) -> str | None:
    """Where the path most of the class took leaves the best path."""
    if not section.best or not section.common:
        return None
    where = section.parted
    if where is None:
        return ("Most of the class followed the best path all the way. Which answer was "
                "hardest to agree on, and would you say it that way on a real call?")
    if where >= len(section.common) or where >= len(section.best):
        return None
    ours, best = section.common[where], section.best[where]
    prompt = next((d.prompt for d in section.decisions if d.scene == ours.scene and d.prompt),
                  "Why might that answer have felt right in the moment?")
    return (f"The path most of the class took leaves the best path at “{ours.title}”: "
            f"there the most common answer ({ours.runs} of the {ours.of} runs still on that "
            f"path) was {quote(ours.text)}, where the best path says {quote(best.text)}"
            f"{_stop(quote(best.text))} {prompt}")


def _lesson(section: Section) -> str | None:
    """The lesson's moves: how many runs closed the door, and how many overdid it."""
    closed, keen = section.runs_with.get("Closes it", 0), section.runs_with.get("Overdoes it", 0)
    if not closed and not keen:
        return None
    runs = section.runs
    return (f"{closed} of {runs} runs ({percent(closed, runs)}%) made at least one move that "
            "closes the door, such as arguing or hanging up fast, and "
            f"{keen} ({percent(keen, runs)}%) overdid it: too keen, or chasing people. Which is "
            "harder to notice in yourself on a real call, and why?")


def _doors(section: Section) -> str:
    """How the doors ended, and a question that fits."""
    low = section.doors[Outcome.CLOSED] + section.doors[Outcome.SHUT]
    runs = f"{section.runs} run{'s' * (section.runs != 1)}"
    if low:
        return (f"{low} of {runs} ({percent(low, section.runs)}%) ended with the door shut or "
                "closed. At which moment did it close, and what would have kept it open?")
    return (f"All {runs} kept the door ajar or open. Which line will the recruiter remember, "
            "and would any of it sound too keen?")


def _stop(quoted: str) -> str:
    """The full stop after a quotation, unless the quotation ends a sentence itself."""
    return "" if quoted.rstrip("”").endswith((".", "!", "?", "…")) else "."


def unquoted(text: str) -> str:
    """An answer's words without the quotation marks a story may put round speech."""
    words = " ".join(text.split())
    inner = words[1:-1]
    if len(words) > 2 and words[0] in "\"“" and words[-1] in "\"”" and not any(
            mark in inner for mark in "\"“”"):
        return inner
    return words


def quote(text: str, limit: int | None = 60) -> str:
    """An answer in curly quotation marks, cut at a word before ``limit`` characters."""
    words = unquoted(text)
    return f"“{short(words, limit) if limit else words}”"
