"""The story model: the single source of truth for the YAML story format (v1).

Every class forbids unknown keys, so a typo in a story file is an error with a
location, never silently ignored. ``stories/story.schema.json`` is generated from
these classes (``callback schema``) and a test keeps the two in sync.

A story is a graph of **scenes**. A scene shows **lines** (who says what) and then
either offers **choices** or is an **ending**. Choices change **meters** (the
scoring dimensions) and **flags**, may carry a condition, and go to another scene.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

FORMAT_VERSION = 1
NARRATOR = "narrator"
"""A speaker every story may use without declaring it, for stage directions."""

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64),
]
"""Scene, choice, meter, flag, speaker and tag names: lower case, digits, ``_``, ``-``."""

IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""A workshop's discussion prompt: one or two sentences a room can read from the back."""
Weight = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
"""A persona's liking for a tag: 0 (never picks it by preference) to 1000."""
Effect = StrictInt | StrictBool
"""A meter change (a whole number) or a flag setting (true/false), never coerced: in lax
mode "20" in quotes became 20 and 20.5 two contradictory errors."""


def _condition_text(value: object) -> object:
    """Read YAML's ``if: true`` / ``if: false`` (booleans) as the conditions they spell."""
    return str(value).lower() if isinstance(value, bool) else value


Condition = Annotated[
    str | None,
    BeforeValidator(_condition_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "null"}]}),
]
"""A condition's text (see :mod:`game.story.expr`); true and false may be written bare."""


class Outcome(StrEnum):
    """Where the door stands after the call, from worst to best."""

    CLOSED = "closed"
    SHUT = "shut"
    AJAR = "ajar"
    OPEN = "open"

    @property
    def rank(self) -> int:
        """Return 0 for closed up to 3 for open."""
        return _RANKS[self]

    @property
    def meaning(self) -> str:
        """What the door means in the applicant system, e.g. 'kept in the talent pool'."""
        return _MEANINGS[self]


_RANKS = {outcome: rank for rank, outcome in enumerate(Outcome)}
_MEANINGS = {
    Outcome.CLOSED: "do not recruit",
    Outcome.SHUT: "a neutral file, forgotten",
    Outcome.AJAR: "kept in the talent pool",
    Outcome.OPEN: "called back for a new role",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Person(_Strict):
    """A member of the cast."""

    name: Text = Field(description="Name shown on screen, e.g. 'Maya Okafor'.")
    role: str = Field("", description="Role shown under the name, e.g. 'Recruiter, Northwind'.")


class Meter(_Strict):
    """A scoring dimension, such as composure or gratitude."""

    label: Text = Field(description="Name shown in the debrief.")
    # Strict: `start: "50"` is a mistake to show the author, not text to convert.
    min: StrictInt = Field(0, description="Lowest value; effects clamp here.")
    max: StrictInt = Field(100, description="Highest value; effects clamp here.")
    start: StrictInt = Field(50, description="Value when the story starts.")
    weight: StrictFloat = Field(
        1.0,
        ge=0,
        le=100,
        description="Weight in the overall score; 0 keeps a counter out of the score.",
    )
    help: str = Field("", description="One sentence on what raises and lowers it.")

    @model_validator(mode="after")
    def _bounds(self) -> Meter:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.start <= self.max:
            raise ValueError(f"start ({self.start}) must lie between min and max")
        return self


class Flag(_Strict):
    """A true/false fact the story remembers, such as ``pest`` or ``do_not_recruit``."""

    default: bool = Field(False, description="Value when the story starts.")
    help: str = Field("", description="What it means, shown to authors and in the debrief.")
    max_score: StrictInt | None = Field(
        None, ge=0, le=100, description="When set, the overall score can be no higher than "
        "this, and so the door no better than this score's band."
    )
    forces_outcome: Outcome | None = Field(
        None, description="When set, the door outcome can be no better than this (with "
        "max_score, the cap must lie in this door's band)."
    )

    def ceiling(self, bands: Bands) -> Outcome | None:
        """The best door a run with this flag set can have (None: no limit)."""
        doors = [self.forces_outcome] if self.forces_outcome is not None else []
        if self.max_score is not None:
            doors.append(bands.door(self.max_score))
        return min(doors, key=lambda door: door.rank, default=None)


class Band(_Strict):
    """The scores (whole numbers, both ends included) that earn one door outcome."""

    min: StrictInt = Field(ge=0, le=100, description="Lowest score of the band.")
    max: StrictInt = Field(ge=0, le=100, description="Highest score of the band.")

    def holds(self, score: int) -> bool:
        """Whether ``score`` lies in the band."""
        return self.min <= score <= self.max

    def __str__(self) -> str:
        return f"{self.min}-{self.max}"


class Bands(_Strict):
    """Which scores earn which door: four bands that run from 0 to 100 in door order.

    One rule joins the two signals of a debrief: a run's score lies in the band of
    its door (see docs/rubric.md). Checked by :func:`game.story.checks.band_problems`.
    """

    closed: Band = Field(description="Do not recruit.")
    shut: Band = Field(description="A neutral file; forgotten.")
    ajar: Band = Field(description="Kept in the talent pool.")
    open: Band = Field(description="Called back for a new role.")

    def of(self, outcome: Outcome) -> Band:
        """The band of a door outcome."""
        band: Band = getattr(self, outcome.value)
        return band

    def door(self, score: int) -> Outcome:
        """The door a score earns (the best door whose band starts at or below it)."""
        return next((o for o in reversed(Outcome) if self.of(o).min <= score), Outcome.CLOSED)


DEFAULT_BANDS = Bands(
    closed=Band(min=0, max=29), shut=Band(min=30, max=49),
    ajar=Band(min=50, max=69), open=Band(min=70, max=100),
)
"""The bands of a story that declares none (and of the default rubric)."""


class Choice(_Strict):
    """One answer the player can give."""

    id: Identifier = Field(description="Stable id, unique within its scene.")
    text: Text = Field(description="What the player says or does.")
    goto: Identifier = Field(description="The scene this choice leads to.")
    effects: dict[Identifier, Effect] = Field(
        default_factory=dict,
        description="Meter changes (numbers, added and clamped) and flag settings (true/false).",
    )
    condition: Condition = Field(
        None,
        alias="if",
        description="Only offered when this is true, e.g. 'composure >= 50 and not pest'.",
    )
    locked: str | None = Field(
        None,
        description="When set and the condition is false, the choice is shown greyed out "
        "with this reason instead of hidden.",
    )
    feedback: str = Field("", description="Why this helps or hurts the relationship.")
    tags: list[Identifier] = Field(default_factory=list, description="e.g. argue, thank.")
    remembered: StrictBool = Field(
        False,
        description="A consequential choice that later scenes react to: the window says "
        "\"They'll remember this\" once it is chosen.",
    )


class Ending(_Strict):
    """How the story ends, and what it led to months later."""

    title: Text = Field(description="Short title, e.g. 'The door stays open'.")
    outcome: Outcome = Field(description="closed, shut, ajar or open.")
    time_skip: str = Field("", description="e.g. 'Six months later...'.")
    epilogue: str = Field("", description="What happened next: the consequence.")
    lesson: str = Field("", description="The takeaway in one or two sentences.")


Line = Annotated[
    dict[Identifier, Text],
    Field(min_length=1, max_length=1, description="One line: {speaker: text}."),
]


class Channel(StrEnum):
    """How a scene reaches the player: on a call, in a text thread or by email."""

    CALL = "call"
    TEXT = "text"
    EMAIL = "email"


class Ring(_Strict):
    """An incoming call: the scene opens on a ringing phone that the player answers."""

    caller: Identifier = Field(description="The cast member calling, shown as the caller id.")
    decline: Identifier | None = Field(
        None,
        description="A choice of this scene taken when the player declines the call "
        "(without one, the call can only be answered).",
    )


class Route(_Strict):
    """One branch of a routing scene: taken when its condition holds (or always, if none)."""

    condition: Condition = Field(None, alias="if", description="e.g. 'argued or pest'.")
    goto: Identifier


class Scene(_Strict):
    """A moment of the story: lines, then exactly one of choices, next, route or ending.

    - ``choices``: the player picks one.
    - ``next``: the player reads the lines and continues to that scene.
    - ``route``: no lines; the first route whose condition holds is followed at once
      (how a story reacts to earlier choices or imported campaign flags).
    - ``ending``: the story ends here.
    """

    title: str = Field("", description="Optional label for maps and authors.")
    time: str = Field("", description="Optional time stamp shown on screen, e.g. 'Day 1, 4:12pm'.")
    channel: Channel = Field(
        Channel.CALL,
        description="call, text or email: how the scene reaches the player (the phone's "
        "header, timer and bubbles follow it).",
    )
    ring: Ring | None = Field(
        None, description="Open on an incoming call from this caller (a 'call' scene only)."
    )
    lines: list[Line] = Field(default_factory=list, description="Lines in order.")
    choices: list[Choice] = Field(default_factory=list, description="What the player can do.")
    next: Identifier | None = Field(None, description="Continue to this scene after the lines.")
    route: list[Route] = Field(default_factory=list, description="Automatic branches.")
    ending: Ending | None = Field(None, description="Makes this scene an ending.")
    discuss: Prompt | None = Field(
        None,
        description="A decision's discussion prompt in workshop mode (at most 300 characters;"
        " without one the class is asked a default question).",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Scene:
        kinds = [k for k in ("choices", "next", "route", "ending") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                "a scene needs exactly one of 'choices', 'next', 'route' or 'ending'"
                + (f" (it has {', '.join(kinds)})" if kinds else "")
            )
        if self.route and self.lines:
            raise ValueError("a 'route' scene has no lines: it is followed at once")
        if self.discuss is not None and not self.choices:
            raise ValueError("'discuss' is the prompt of a decision: only a scene with"
                             " 'choices' has one")
        if self.ring is not None:
            self._check_ring(self.ring)
        return self

    def _check_ring(self, ring: Ring) -> None:
        if self.channel is not Channel.CALL:
            raise ValueError(f"'ring' starts an incoming call, but this scene's channel is"
                             f" {self.channel.value!r}: drop 'ring' or use channel 'call'")
        ids = [c.id for c in self.choices]
        if ring.decline is not None and ring.decline not in ids:
            offered = f" (its choices: {', '.join(ids)})" if ids else " (it has no choices)"
            raise ValueError(f"'ring' declines with choice {ring.decline!r}, which is not a"
                             f" choice of this scene{offered}")

    @property
    def kind(self) -> str:
        """Return 'choices', 'next', 'route' or 'ending'."""
        return next(k for k in ("choices", "next", "route", "ending") if getattr(self, k))


class Campaign(_Strict):
    """How a story takes part in the campaign (scenarios played in order)."""

    order: int = Field(ge=1, le=99, description="Position in the campaign, 1 first.")
    exports: list[Identifier] = Field(
        default_factory=list,
        description="Meters and flags saved to the player's profile when the story ends.",
    )
    imports: list[Identifier] = Field(
        default_factory=list,
        description="Meters and flags whose starting value comes from the profile, if saved.",
    )


class Assertion(_Strict):
    """A rule about every possible playthrough, checked by ``callback validate``.

    Set exactly one of the keys; see docs/authoring.md for examples.
    """

    reachable: Identifier | None = Field(None, description="This ending can be reached.")
    never: NeverRule | None = Field(None, description="No run taking a tagged choice ends so.")
    can_reach: CanReachRule | None = Field(
        None, description="From every reachable scene, this outcome is still reachable."
    )
    score: ScoreRule | None = Field(None, description="Every run to this ending scores in range.")
    better: BetterRule | None = Field(
        None, description="The best score still reachable after one tag beats another's."
    )
    note: str = Field("", description="Why this rule matters (shown when it fails).")

    @model_validator(mode="after")
    def _exactly_one(self) -> Assertion:
        kinds = [
            k
            for k in ("reachable", "never", "can_reach", "score", "better")
            if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise ValueError(
                "an assertion needs exactly one of reachable, never, can_reach, score, better"
            )
        return self


class NeverRule(_Strict):
    """``never: {after: argue, outcome: [open]}``."""

    after: Identifier = Field(description="A choice tag.")
    outcome: list[Outcome] = Field(min_length=1, description="Outcomes such runs never reach.")


class CanReachRule(_Strict):
    """``can_reach: {outcome: ajar, unless: [argue]}``: at least this good is still possible."""

    outcome: Outcome
    unless: list[Identifier] = Field(
        default_factory=list,
        description="Runs that took a choice with one of these tags are exempt.",
    )


class ScoreRule(_Strict):
    """``score: {ending: door_open, min: 70, max: 100}``."""

    ending: Identifier
    min: int = Field(0, ge=0, le=100)
    max: int = Field(100, ge=0, le=100)


class BetterRule(_Strict):
    """``better: {tag: keep-door-open, than: argue}``."""

    tag: Identifier
    than: Identifier


class Story(_Strict):
    """A whole scenario."""

    format: Literal[1] = Field(1, description="Story format version.")
    id: Identifier = Field(description="Stable id of the story.")
    title: Text
    summary: str = Field("", description="One or two sentences shown on the title screen.")
    version: str = Field(
        "1",
        description="Your own version of this story (text or a number).",
        coerce_numbers_to_str=True,
        json_schema_extra={"type": ["string", "number"]},
    )
    minutes: int | None = Field(None, ge=1, le=240, description="Estimated minutes to play.")
    player: Identifier = Field("you", description="The cast member the player speaks as.")
    rubric: str | None = Field(
        None,
        description="A rubric (meters, flags, tags, personas): a file beside this story, or "
        "one that comes with Callback, such as 'default.rubric.yaml' (a file of that name "
        "beside the story is used instead). The story's own meters and flags are added to it.",
    )
    campaign: Campaign | None = None
    cast: dict[Identifier, Person] = Field(description="Everyone who speaks.")
    meters: dict[Identifier, Meter] = Field(
        default_factory=dict, description="The scoring dimensions (added to the rubric's)."
    )
    flags: dict[Identifier, Flag] = Field(default_factory=dict)
    bands: Bands | None = Field(
        None, description="Which scores earn which door (the rubric's, or 0-29 closed, "
        "30-49 shut, 50-69 ajar, 70-100 open)."
    )
    tags: dict[Identifier, str] = Field(
        default_factory=dict, description="Extra choice tags with their meaning."
    )
    personas: dict[Identifier, dict[Identifier, Weight]] = Field(
        default_factory=dict,
        description="Simulated players: tag -> weight (higher picks it more often).",
    )
    assertions: list[Assertion] = Field(default_factory=list)
    start: Identifier = Field(description="The first scene.")
    scenes: dict[Identifier, Scene] = Field(min_length=1)

    @property
    def score_bands(self) -> Bands:
        """The bands this story's scores and doors keep (its own, or the default)."""
        return self.bands or DEFAULT_BANDS

    def speaker(self, key: str) -> Person:
        """Return the cast member for a line's speaker key."""
        if key == NARRATOR:
            return Person.model_construct(name="", role="")
        return self.cast[key]


class Rubric(_Strict):
    """A shared rubric file: meters, flags, the tag vocabulary and personas."""

    rubric: Identifier = Field(description="Id of this rubric, e.g. 'default'.")
    meters: dict[Identifier, Meter] = Field(default_factory=dict)
    flags: dict[Identifier, Flag] = Field(default_factory=dict)
    bands: Bands | None = Field(
        None, description="Which scores earn which door: closed, shut, ajar and open, "
        "each {min, max}, running from 0 to 100 with no gap."
    )
    tags: dict[Identifier, str] = Field(default_factory=dict)
    personas: dict[Identifier, dict[Identifier, Weight]] = Field(default_factory=dict)


Assertion.model_rebuild()
