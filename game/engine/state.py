"""PlayState: one playthrough as a frozen, versioned value with a JSON round-trip."""

from __future__ import annotations

import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

STATE_VERSION = 1
"""Bump when the saved form changes; :meth:`PlayState.from_json` refuses newer saves."""


class Phase(StrEnum):
    """What the engine is waiting for."""

    CHOOSING = "choosing"  # call choose(choice_id)
    READING = "reading"  # call advance()
    ENDED = "ended"  # call scorecard()


class Step(BaseModel):
    """One move: the scene it was made in, the choice (None for 'continue'), what changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scene: str
    choice: str | None = None
    deltas: dict[str, int] = Field(default_factory=dict)
    flags: dict[str, bool] = Field(default_factory=dict)


class StateError(ValueError):
    """A saved state that cannot be read."""


class PlayState(BaseModel):
    """Where a playthrough stands. Never mutated: every move returns a new one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = STATE_VERSION
    story_id: str
    scene: str
    phase: Phase
    meters: dict[str, int]
    flags: dict[str, bool]
    history: tuple[Step, ...] = ()
    imports: dict[str, int | bool] = Field(default_factory=dict)

    @property
    def choices_made(self) -> list[str]:
        """Return the ids of the choices made so far, in order."""
        return [step.choice for step in self.history if step.choice is not None]

    def to_json(self) -> str:
        """Return the state as JSON text."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str) -> PlayState:
        """Read a state saved by :meth:`to_json`; raise :class:`StateError` if unusable."""
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError) as error:  # JSONDecodeError, or a 5,000-digit number
            raise StateError(f"saved state is not JSON: {error}") from None
        if not isinstance(raw, dict):
            raise StateError("saved state is not a JSON object")
        version = raw.get("version")
        if not isinstance(version, int) or version > STATE_VERSION:
            raise StateError(
                f"saved state has version {version!r}; this game reads up to {STATE_VERSION}"
            )
        try:
            return cls.model_validate(raw)
        except ValidationError as error:
            raise StateError(f"saved state is damaged: {error.errors()[0]['msg']}") from None
