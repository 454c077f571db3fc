"""A stored run, typed: the run record (docs/run-record.md) checked on the way in.

Every run that enters the class store passes through :func:`read_run`, whether the
game has just finished it, it comes from an old JSON run file, or from another
machine's export, so a malformed one is refused with the key that is wrong
instead of breaking a report later. Records written before runs had ids get a
stable id from their content, so importing them twice adds them once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from game.engine.record import RECORD_FORMAT, RECORD_VERSION, Mode

RUN_NAMESPACE = uuid.UUID("6f1c3c2e-4a8e-5d1b-9a57-2f6e1c0b7d41")
"""Namespace of the ids derived here (old records, xAPI statement ids, class codes)."""


class Offered(BaseModel):
    """A choice that could be taken at a decision."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    text: str = ""
    tags: list[str] = Field(default_factory=list)


class Step(BaseModel):
    """One decision, in order."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    scene: str
    chosen: str
    text: str = ""
    feedback: str = ""
    offered: list[Offered] = Field(default_factory=list)
    deltas: dict[str, int] = Field(default_factory=dict)
    flags: dict[str, bool] = Field(default_factory=dict)
    best_reachable: int | None = None
    votes: dict[str, int] | None = None
    """In a workshop, the hands counted for each choice offered (None: not a workshop)."""

    @model_validator(mode="before")
    @classmethod
    def _text_from_offered(cls, data: Any) -> Any:
        """Records written before steps had ``text`` find it among the choices offered."""
        if isinstance(data, dict) and not data.get("text") and isinstance(
                data.get("offered"), list):
            for option in data["offered"]:
                if isinstance(option, dict) and option.get("id") == data.get("chosen"):
                    return {**data, "text": option.get("text", "")}
        return data


class StoryRef(BaseModel):
    """Which story, and which version of its file, a run was played on."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    title: str = ""
    version: str = ""
    sha256: str = ""


class Player(BaseModel):
    """Who played, if they said: both are empty for an anonymous run."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)
    name: str | None = None
    class_code: str | None = Field(None, alias="class")


class Run(BaseModel):
    """One finished run, as stored."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    mode: Mode = "practice"
    locked: bool = False
    """True for an assessment run: its answers could not be taken back."""
    undos: int = 0
    """How many answers the player took back (practice)."""
    player: Player = Field(default_factory=Player)
    story: StoryRef
    steps: list[Step] = Field(default_factory=list)
    ending: str
    outcome: str
    score: int
    best_possible: int | None = None
    meters: dict[str, int] = Field(default_factory=dict)
    flags: dict[str, bool] = Field(default_factory=dict)
    imports: dict[str, int | bool] = Field(default_factory=dict)
    started: str
    finished: str

    @field_validator("started", "finished")
    @classmethod
    def _utc(cls, value: str) -> str:
        """Times are kept as UTC ISO 8601 with a Z, so they sort and filter as text."""
        return utc_text(value)

    def record(self) -> dict[str, Any]:
        """The run as a run record (docs/run-record.md)."""
        data = self.model_dump(by_alias=True)
        for step in data["steps"]:
            if step["votes"] is None:  # only a workshop's steps have votes
                del step["votes"]
        return {"format": RECORD_FORMAT, "version": RECORD_VERSION, **data}


def utc_text(value: str) -> str:
    """``value`` (ISO 8601; no zone means UTC) as UTC with a Z; ValueError if not a time."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).replace(microsecond=0).isoformat()
    return text.replace("+00:00", "Z")


class RecordError(ValueError):
    """A run record that cannot be stored; the message names the key that is wrong."""


def derived_id(*parts: str) -> str:
    """A stable UUID made from ``parts`` (the same parts always give the same id)."""
    return str(uuid.uuid5(RUN_NAMESPACE, "\x1f".join(parts)))


def read_run(data: object) -> Run:
    """Check a run record and return it typed; raise :class:`RecordError` if malformed.

    A record without an ``id`` (written before runs had one) gets one derived from
    its content.
    """
    if not isinstance(data, dict):
        raise RecordError(f"a run record is a JSON object, not {type(data).__name__}")
    if data.get("format", RECORD_FORMAT) != RECORD_FORMAT:
        raise RecordError(f"'format' is {data.get('format')!r}, not {RECORD_FORMAT!r}")
    version = data.get("version", RECORD_VERSION)
    if not isinstance(version, int) or version > RECORD_VERSION:
        raise RecordError(f"run record version {version!r} is newer than this Callback reads "
                          f"({RECORD_VERSION}): update Callback")
    if not data.get("id"):
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        data = {**data, "id": derived_id("record", hashlib.sha256(canonical.encode()).hexdigest())}
    try:
        run = Run.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the record"
        raise RecordError(f"{where}: {first['msg']}") from None
    try:
        uuid.UUID(run.id)
    except ValueError:
        raise RecordError(f"id: {run.id!r} is not a UUID") from None
    return run
