"""Players on shared machines: whose campaign a story starts from, said in one line.

A class plays on school machines, one student after another. Each student who
gives a class code or a name has a campaign profile of their own (a folder under
``players/`` in the data folder); an anonymous player uses the machine's. And a
story played on its own starts from its own defaults: only a player who chooses
to continue their campaign carries earlier choices over, and the game says which.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from game.store.profile import IN_CAMPAIGN, Profile, data_dir
from game.store.settings import player_text
from game.story.model import Story


def player_home(class_code: str | None, name: str | None, home: Path | None = None
                ) -> Path | None:
    """The data folder of this player's own profile (None: the machine's, for anonymous play).

    The same class code and name, whatever their case or spacing, give the same folder.
    """
    class_code, name = player_text(class_code), player_text(name)
    if class_code is None and name is None:
        return home
    key = f"{(class_code or '').casefold()}\x1f{(name or '').casefold()}"
    slug = re.sub(r"[^a-z0-9]+", "-", key.replace("\x1f", "-"))[:40].strip("-") or "player"
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return (home or data_dir()) / "players" / f"{slug}-{digest}"


def carried_line(story: Story, profile: Profile, imports: dict[str, int | bool], *,
                 carrying: bool) -> str:
    """One line saying what this story starts from ('' if it imports nothing).

    Args:
        story: the story about to be played.
        profile: the player's campaign profile.
        imports: the values the run starts from.
        carrying: whether the player chose to continue their campaign.
    """
    # in_campaign is the game's own flag, not something the player carried over.
    wanted = [n for n in (story.campaign.imports if story.campaign else []) if n != IN_CAMPAIGN]
    if not wanted:
        return ""
    if not carrying:
        return "Starting fresh: nothing is carried over from earlier calls."
    changed = []
    for name, value in imports.items():
        if name == IN_CAMPAIGN:
            continue
        default = (story.flags[name].default if name in story.flags
                   else story.meters[name].start if name in story.meters else None)
        if value == default:
            continue
        words = name.replace("_", " ").replace("-", " ")
        if name in story.meters:
            shown = f"{story.meters[name].label or words} {value}"
        else:
            shown = words if value is True else f"not {words}"
        source = profile.values.get(name)
        changed.append(f"{shown} (from {source.story_title})" if source and source.story_title
                       else shown)
    if not changed:
        return "Continuing your campaign: nothing earlier changes this call."
    return "Continuing your campaign, carried over: " + ", ".join(changed) + "."
