"""The player's profile: campaign values carried from one scenario to the next.

Finishing a story that declares ``campaign.exports`` stores those meters and flags
here, with the choice that set each one, so a later story that imports them (the
callback months later) starts from what the player really did, and its debrief can
say which earlier choice caused a consequence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine.state import PlayState
from game.store.atomic import Loaded, atomic_write, dump, load
from game.story.model import Story

PROFILE_KIND = "callback-profile"
PROFILE_VERSION = 1

#: The flag the game sets, never a choice: true when a story is played as part of the
#: campaign, so a story that also stands alone can hand over to the next one instead of
#: playing its own months-later ending. A story reads it only if it imports it.
IN_CAMPAIGN = "in_campaign"


def data_dir() -> Path:
    """The folder for player data: ``CALLBACK_HOME`` if set, else the platform's."""
    override = os.environ.get("CALLBACK_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("callback", appauthor=False))


@dataclass(frozen=True)
class Carried:
    """One value in the profile and where it came from."""

    name: str
    value: int | bool
    story: str
    story_title: str
    choice: str | None
    text: str


@dataclass
class Profile:
    """Campaign values by name, and the stories finished."""

    values: dict[str, Carried] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)

    def imports_for(self, story: Story) -> dict[str, int | bool]:
        """The saved values a story imports (missing ones keep the story's defaults).

        These are the values of a story played in the campaign, so ``in_campaign`` is
        true here if the story imports it.

        A value of the wrong kind for the story (a number for a flag, true/false for a
        meter: a hand-edited or stale profile) is ignored; a meter is kept in its bounds.
        """
        wanted = story.campaign.imports if story.campaign else []
        found: dict[str, int | bool] = {}
        for name in wanted:
            if name == IN_CAMPAIGN and name in story.flags:
                found[name] = True
                continue
            if name not in self.values:
                continue
            value = self.values[name].value
            if name in story.flags and isinstance(value, bool):
                found[name] = value
            elif name in story.meters and not isinstance(value, bool):
                meter = story.meters[name]
                found[name] = min(meter.max, max(meter.min, value))
        return found

    def carried_into(self, story: Story, state: PlayState) -> list[Carried]:
        """The imported values that differ from the story's own defaults: consequences."""
        found = []
        for name, value in state.imports.items():
            item = self.values.get(name)
            default = (story.flags[name].default if name in story.flags
                       else story.meters[name].start if name in story.meters else None)
            if item is not None and value != default:
                found.append(item)
        return found

    def record(self, story: Story, state: PlayState) -> None:
        """Store a finished story's exports, each with the choice that set it last."""
        exports = story.campaign.exports if story.campaign else []
        for name in exports:
            value: int | bool = state.flags[name] if name in state.flags else state.meters[name]
            source = None
            for step in reversed(state.history):
                if name in step.flags or name in step.deltas:
                    source = step
                    break
            earlier = self.values.get(name)
            if source is None and earlier is not None and earlier.value == value:
                continue  # passed on unchanged: the choice that set it came before
            text = ""
            if source is not None and source.choice is not None:
                choice = next(c for c in story.scenes[source.scene].choices
                              if c.id == source.choice)
                text = choice.text
            self.values[name] = Carried(name, value, story.id, story.title,
                                        source.choice if source else None, text)
        if story.id not in self.finished:
            self.finished.append(story.id)

    def to_text(self) -> str:
        """The profile as a versioned JSON document."""
        return dump(PROFILE_KIND, PROFILE_VERSION, {
            "finished": self.finished,
            "values": {n: {"value": c.value, "story": c.story, "story_title": c.story_title,
                           "choice": c.choice, "text": c.text} for n, c in self.values.items()},
        })

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Profile:
        """Build a profile from a parsed document; raise ValueError if malformed."""
        values = {}
        raw = data.get("values", {})
        if not isinstance(raw, dict):
            raise ValueError("'values' is not a mapping")
        for name, item in raw.items():
            value = item["value"]
            if not isinstance(value, (bool, int)):
                raise ValueError(f"value of {name!r} is not a number or true/false")
            values[str(name)] = Carried(str(name), value, str(item["story"]),
                                        str(item.get("story_title", "")), item.get("choice"),
                                        str(item.get("text", "")))
        finished = data.get("finished", [])
        if not isinstance(finished, list):
            raise ValueError("'finished' is not a list")
        return cls(values, [str(x) for x in finished])


def profile_path(folder: Path | None = None) -> Path:
    """Where the profile lives."""
    return (folder or data_dir()) / "profile.json"


def load_profile(folder: Path | None = None) -> Loaded:
    """Load the profile (recovering from damage); ``.value`` is a :class:`Profile`."""
    return load(profile_path(folder), PROFILE_KIND, PROFILE_VERSION, Profile.from_data, Profile)


def save_profile(profile: Profile, folder: Path | None = None) -> Path:
    """Write the profile atomically; return its path."""
    path = profile_path(folder)
    atomic_write(path, profile.to_text())
    return path
