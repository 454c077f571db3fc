"""Runs as xAPI 1.0.3 statements, for a school's Learning Record Store, and back.

Each run becomes one ``answered`` statement per decision (the scene as a
``choice`` interaction activity: the options offered as ``choices``, the one
taken as ``result.response``, its feedback line in a result extension) and one
``completed`` statement for the story (``result.score`` with ``scaled`` in
[-1, 1], where 0 is a score of 50; ``success`` when the door was left open or
ajar; the meters in a result extension). A class code becomes
``context.registration``, a UUID derived from it, so an LRS groups a class's
statements together. Statement ids derive from the run id and the decision's
position, so exporting or sending a run twice never duplicates it.

The ``completed`` statement also carries what a run record needs and xAPI has no
field for (the ending, the story's hash, the flags), so :func:`runs_from_statements`
rebuilds the runs of an export made on another machine.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from game.classroom.records import RUN_NAMESPACE, RecordError, Run, read_run

VERSION = "1.0.3"
BASE = "https://callback-game.invalid/xapi"
"""Where Callback's activity and extension IRIs live (``.invalid``: never looked up)."""

ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed",
             "display": {"en-US": "completed"}}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"

EXT_RUN = f"{BASE}/extensions/run"
EXT_POSITION = f"{BASE}/extensions/position"
EXT_FEEDBACK = f"{BASE}/extensions/feedback"
EXT_DELTAS = f"{BASE}/extensions/meter-changes"
EXT_FLAGS = f"{BASE}/extensions/flags"
EXT_METERS = f"{BASE}/extensions/meters"
EXT_BEST = f"{BASE}/extensions/best-reachable"
EXT_VOTES = f"{BASE}/extensions/votes"
"""A workshop decision's hands per choice id."""
DOOR_OPEN = ("open", "ajar")


def statement_id(run_id: str, part: str) -> str:
    """The id of one of a run's statements (the same run and part: the same id)."""
    return str(uuid.uuid5(uuid.UUID(run_id), part))


def registration(class_code: str) -> str:
    """The xAPI registration of a class: a UUID derived from its code."""
    return str(uuid.uuid5(RUN_NAMESPACE, f"class\x1f{class_code}"))


def story_iri(story_id: str) -> str:
    """The activity id of a story."""
    return f"{BASE}/stories/{story_id}"


def scaled(score: int) -> float:
    """A 0-100 score on xAPI's -1..1 scale (50 is 0)."""
    return round((score - 50) / 50, 4)


def statements(runs: Iterable[Run]) -> Iterable[dict[str, Any]]:
    """The statements of each run, decisions first, in order."""
    for run in runs:
        yield from run_statements(run)


def run_statements(run: Run) -> list[dict[str, Any]]:
    """One ``answered`` statement per decision and one ``completed`` statement."""
    actor = _actor(run)
    context: dict[str, Any] = {}
    if run.player.class_code:
        context["registration"] = registration(run.player.class_code)
    story = {"objectType": "Activity", "id": story_iri(run.story.id),
             "definition": {"type": SIMULATION,
                            "name": {"en-US": run.story.title or run.story.id}}}
    found = []
    for position, step in enumerate(run.steps):
        offered = step.offered or []
        found.append({
            "id": statement_id(run.id, f"answered/{position}"),
            "version": VERSION,
            "actor": actor,
            "verb": ANSWERED,
            "object": {
                "objectType": "Activity",
                "id": f"{story_iri(run.story.id)}/scenes/{step.scene}",
                "definition": {
                    "type": INTERACTION,
                    "name": {"en-US": f"{run.story.title or run.story.id}: {step.scene}"},
                    "interactionType": "choice",
                    "choices": [{"id": o.id, "description": {"en-US": o.text or o.id}}
                                for o in offered],
                },
            },
            "result": {"response": step.chosen, "extensions": {
                EXT_FEEDBACK: step.feedback, EXT_DELTAS: step.deltas, EXT_FLAGS: step.flags,
                EXT_BEST: step.best_reachable,
                **({EXT_VOTES: step.votes} if step.votes is not None else {})}},
            "context": {**context, "contextActivities": {"parent": [story]},
                        "extensions": {EXT_RUN: run.id, EXT_POSITION: position}},
            "timestamp": run.started,
        })
    summary = run.record()
    for key in ("steps", "score", "meters", "format", "version"):
        summary.pop(key)
    found.append({
        "id": statement_id(run.id, "completed"),
        "version": VERSION,
        "actor": actor,
        "verb": COMPLETED,
        "object": story,
        "result": {
            "score": {"scaled": scaled(run.score), "raw": run.score, "min": 0, "max": 100},
            "success": run.outcome in DOOR_OPEN,
            "completion": True,
            "extensions": {EXT_METERS: run.meters},
        },
        "context": {**context, "extensions": {EXT_RUN: summary}},
        "timestamp": run.finished,
    })
    return found


def _actor(run: Run) -> dict[str, Any]:
    """Who: the player's name within their class, or an anonymous account for this run."""
    if run.player.name:
        place = f"classes/{run.player.class_code}" if run.player.class_code else "players"
        return {"objectType": "Agent", "name": run.player.name,
                "account": {"homePage": f"{BASE}/{place}", "name": run.player.name}}
    return {"objectType": "Agent",
            "account": {"homePage": f"{BASE}/players", "name": f"anonymous-{run.id}"}}


def runs_from_statements(found: list[tuple[int, Any]]) -> list[Run]:
    """Rebuild runs from Callback's own statements, each given with its line.

    Raises:
        RecordError: a statement that is not one of Callback's, or a run without its
            ``completed`` statement; the message starts with the line.
    """
    decisions: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    completed: list[tuple[int, dict[str, Any], str]] = []
    for line, statement in found:
        try:
            verb = statement["verb"]["id"]
            extensions = statement["context"]["extensions"]
            if verb == COMPLETED["id"]:
                summary = extensions[EXT_RUN]
                completed.append((line, statement, str(summary["id"])))
            elif verb == ANSWERED["id"]:
                decisions.setdefault(str(extensions[EXT_RUN]), []).append(
                    (int(extensions[EXT_POSITION]), line, statement))
            else:
                raise RecordError(f"line {line}: verb {verb!r} is not one Callback exports")
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, RecordError):
                raise
            raise RecordError(f"line {line}: not a statement Callback exported "
                              f"(no {error})") from None
    runs = []
    seen = set()
    for line, statement, run_id in completed:
        try:
            summary = dict(statement["context"]["extensions"][EXT_RUN])
            result = statement["result"]
            steps = [_step(s) for _, _, s in sorted(decisions.get(run_id, []),
                                                    key=lambda d: d[0])]
            record = {**summary, "score": int(result["score"]["raw"]),
                      "meters": result["extensions"][EXT_METERS], "steps": steps}
            runs.append(read_run(record))
        except KeyError as error:
            raise RecordError(f"line {line}: run {run_id}: the 'completed' statement has no "
                              f"{error}") from None
        except (TypeError, ValueError) as error:
            raise RecordError(f"line {line}: run {run_id}: {error}") from None
        seen.add(run_id)
    for run_id, found_steps in decisions.items():
        if run_id not in seen:
            raise RecordError(f"line {found_steps[0][1]}: run {run_id} has decisions but no "
                              "'completed' statement")
    return runs


def _step(statement: dict[str, Any]) -> dict[str, Any]:
    result = statement["result"]
    extensions = result.get("extensions", {})
    definition = statement["object"]["definition"]
    offered = [{"id": c["id"], "text": c["description"].get("en-US", "")}
               for c in definition.get("choices", [])]
    chosen = result["response"]
    return {"scene": statement["object"]["id"].rsplit("/", 1)[-1], "chosen": chosen,
            "text": next((o["text"] for o in offered if o["id"] == chosen), ""),
            "feedback": extensions.get(EXT_FEEDBACK, ""), "offered": offered,
            "deltas": extensions.get(EXT_DELTAS, {}), "flags": extensions.get(EXT_FLAGS, {}),
            "best_reachable": extensions.get(EXT_BEST), "votes": extensions.get(EXT_VOTES)}
