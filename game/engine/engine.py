"""The pull API every front end uses.

::

    story = compile_story(model)            # once per load (game.engine.compiled)
    state = start(story)
    while True:
        shown = beat(story, state)          # what to present now
        if shown.phase is Phase.ENDED:
            break
        if shown.phase is Phase.READING:
            state = advance(story, state)   # the player pressed continue
        else:
            state = choose(story, state, shown.choices[0].id)
    card = scorecard(story, state)

Every function takes the :class:`~game.engine.compiled.CompiledStory` and is pure:
it returns a new :class:`PlayState` and never changes the one it was given. A call
in the wrong phase raises :class:`EngineError` naming the call that is legal now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.engine.compiled import CompiledStory
from game.engine.rules import Key, Rules
from game.engine.state import Phase, PlayState, Step
from game.story.model import NARRATOR, Channel, Ending, Ring, Scene

_NEXT_CALL = {
    Phase.CHOOSING: "choose(story, state, choice_id)",
    Phase.READING: "advance(story, state)",
    Phase.ENDED: "scorecard(story, state)",
}


class EngineError(RuntimeError):
    """An engine call that is not legal now; the message names the legal call."""


@dataclass(frozen=True)
class Line:
    """One line to show: who says it and what."""

    speaker: str  # cast key, or "narrator"
    name: str
    role: str
    text: str
    is_player: bool


@dataclass(frozen=True)
class Offer:
    """A choice as shown: ``number`` is the 1-based display index."""

    number: int
    id: str
    text: str
    tags: tuple[str, ...]
    available: bool = True
    locked: str = ""
    remembered: bool = False
    """The story marks this choice as one later scenes react to."""


@dataclass(frozen=True)
class Beat:
    """What to present now."""

    phase: Phase
    scene: str
    time: str
    lines: tuple[Line, ...]
    choices: tuple[Offer, ...]
    ending: Ending | None
    channel: Channel | None = None
    """How the scene reaches the player: a call, a text thread or an email (None: a scene
    of narration only that names no channel, which leaves the phone as it was)."""
    ring: Ring | None = None
    """An incoming call the scene opens on (a front end shows it ringing first)."""


def key_of(state: PlayState, rules: Rules) -> Key:
    """Return the analysis key (scene, meters, flags) of a state."""
    return (
        state.scene,
        tuple(state.meters[name] for name in rules.meter_names),
        tuple(state.flags[name] for name in rules.flag_names),
    )


def _phase(rules: Rules, key: Key) -> Phase:
    scene = rules.scene(key)
    if scene.ending is not None:
        return Phase.ENDED
    return Phase.READING if scene.next is not None else Phase.CHOOSING


def _state(rules: Rules, key: Key, base: PlayState | None, step: Step | None) -> PlayState:
    values = rules.values(key)
    history = base.history + (step,) if base is not None and step is not None else ()
    return PlayState(
        story_id=rules.story.id,
        scene=key[0],
        phase=_phase(rules, key),
        meters={n: int(values[n]) for n in rules.meter_names},
        flags={n: bool(values[n]) for n in rules.flag_names},
        history=history,
        imports=dict(base.imports) if base is not None else {},
    )


def start(story: CompiledStory, imports: Mapping[str, int | bool] | None = None) -> PlayState:
    """Begin a playthrough; ``imports`` are campaign values from the player's profile."""
    rules = story.rules
    state = _state(rules, rules.initial(imports), None, None)
    if imports:
        campaign = story.model.campaign
        allowed = set(campaign.imports) if campaign else set()
        kept = {k: v for k, v in imports.items() if k in allowed}
        state = state.model_copy(update={"imports": kept})
    return state


def _check(story: CompiledStory, state: PlayState, wanted: Phase, call: str) -> Rules:
    if state.story_id != story.id:
        raise EngineError(f"this state belongs to story {state.story_id!r}, not {story.id!r}")
    if state.scene not in story.model.scenes:
        raise EngineError(f"scene {state.scene!r} is not in story {story.id!r}")
    if state.phase is not wanted:
        raise EngineError(
            f"{call} was called, but the story is {state.phase.value}: "
            f"call {_NEXT_CALL[state.phase]} instead"
        )
    return story.rules


def offers(story: CompiledStory, state: PlayState) -> tuple[Offer, ...]:
    """Return the choices to show now: available ones, and locked ones that say why."""
    rules = story.rules
    key = key_of(state, rules)
    shown: list[Offer] = []
    for choice, available in rules.choices(key):
        if available or choice.locked:
            shown.append(
                Offer(
                    number=len(shown) + 1,
                    id=choice.id,
                    text=choice.text,
                    tags=tuple(choice.tags),
                    available=available,
                    locked="" if available else (choice.locked or ""),
                    remembered=choice.remembered,
                )
            )
    return tuple(shown)


def beat(story: CompiledStory, state: PlayState) -> Beat:
    """Return what to present for ``state``: legal in every phase."""
    model = story.model
    scene = model.scenes[state.scene]
    lines = tuple(
        Line(
            speaker=who,
            name=model.speaker(who).name,
            role=model.speaker(who).role,
            text=text,
            is_player=who == model.player,
        )
        for line in scene.lines
        for who, text in line.items()
    )
    choices = offers(story, state) if state.phase is Phase.CHOOSING else ()
    return Beat(state.phase, state.scene, scene.time, lines, choices, scene.ending,
                _channel(scene), scene.ring)


def _channel(scene: Scene) -> Channel | None:
    """The scene's channel, or None if it names none, does not ring and nobody speaks in it."""
    if "channel" in scene.model_fields_set or scene.ring is not None or any(
        who != NARRATOR for line in scene.lines for who in line
    ):
        return scene.channel
    return None


def choose(story: CompiledStory, state: PlayState, choice_id: str) -> PlayState:
    """Take the choice with id ``choice_id``; return the new state."""
    rules = _check(story, state, Phase.CHOOSING, f"choose({choice_id!r})")
    key = key_of(state, rules)
    for choice, available in rules.choices(key):
        if choice.id != choice_id:
            continue
        if not available:
            raise EngineError(f"choice {choice_id!r} is locked now: {choice.locked or 'condition'}")
        new_key, deltas, set_flags = rules.apply(key, choice)
        step = Step(scene=state.scene, choice=choice_id, deltas=deltas, flags=set_flags)
        return _state(rules, new_key, state, step)
    ids = ", ".join(o.id for o in offers(story, state) if o.available)
    raise EngineError(f"scene {state.scene!r} has no choice {choice_id!r} (offered: {ids})")


def advance(story: CompiledStory, state: PlayState) -> PlayState:
    """Continue from a scene that has ``next``."""
    rules = _check(story, state, Phase.READING, "advance()")
    key = key_of(state, rules)
    ((_, new_key),) = rules.successors(key)
    return _state(rules, new_key, state, Step(scene=state.scene))


def replay(
    story: CompiledStory, moves: list[str | None], imports: Mapping[str, int | bool] | None = None
) -> tuple[PlayState, int]:
    """Replay moves from the start as far as they still apply.

    ``moves`` are choice ids, with None for 'continue' (as in ``state.history``).
    Returns the state reached and how many moves were used: the live preview
    replays a player's moves after the story file changes.
    """
    state = start(story, imports)
    used = 0
    for move in moves:
        if state.phase is Phase.READING and move is None:
            state = advance(story, state)
        elif (
            state.phase is Phase.CHOOSING
            and move is not None
            and any(o.id == move and o.available for o in offers(story, state))
        ):
            state = choose(story, state, move)
        else:
            break
        used += 1
    return state, used
