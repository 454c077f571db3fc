"""``callback new``: a commented starter story that validates and teaches the format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from game.exits import EXIT_INVALID, EXIT_OK

SCHEMA_FILE = "story.schema.json"
"""The schema's file name: the starter's first line points editors at it, beside the story."""

STARTER = '''\
# yaml-language-server: $schema=story.schema.json
# A starter story for Callback. Every key is explained in docs/authoring.md.
# Check it:  callback validate THIS_FILE      Play it:  callback play THIS_FILE --text

id: my-first-story              # lower-case letters, digits, - and _
title: My First Story
summary: A recruiter calls with bad news. Shown on the title screen.
version: "1"
minutes: 3                      # estimated minutes to play
player: you                     # the cast member the player speaks as

cast:                           # everyone who speaks (plus "narrator", always there)
  you: {name: Alex Morgan, role: Candidate}
  sam: {name: Sam Whitaker, role: "Recruiter, Example Ltd"}

meters:                         # what the score measures; each 0-100, starting at 50
  composure: {label: Composure, help: "Calm and warm, or arguing and blaming."}
  door: {label: Door, weight: 2, help: Whether they will think of you next time.}

flags:                          # true/false facts the story remembers
  argued: {help: The player argued with the decision.}

tags:                           # labels for choices; personas and reports use them
  argue: Disputes the decision.
  keep-door-open: Thanks them and stays interested.

personas:                       # simulated players for `callback simulate`: tag weights
  keeps-door-open: {keep-door-open: 10}   # takes keep-door-open choices 10 times as often
  argues: {argue: 10}

start: the-news                 # the first scene

scenes:
  the-news:
    lines:                      # one "speaker: text" per line
      - narrator: Your phone rings. It is Example Ltd.
      - sam: Hi Alex, it's Sam. I'm afraid we've offered the role to someone else.
    choices:                    # what the player can say
      - id: thank-them          # stable id, unique within the scene
        text: Thanks for telling me, Sam. I'd still love to work with you one day.
        goto: keep-in-touch     # the scene it leads to
        effects: {composure: 10, door: 30}      # numbers change meters
        feedback: Thanking them and staying interested keeps you in mind for the next role.
        tags: [keep-door-open]
      - id: argue
        text: I think you've made the wrong call.
        goto: door-closed
        effects: {composure: -30, door: -30, argued: true}   # true/false sets flags
        feedback: Arguing makes them wonder how you would treat clients and colleagues.
        tags: [argue]

  keep-in-touch:
    lines:
      - sam: That's kind of you. Feel free to check in with me in a month or two.
    next: door-open             # no choice here: the player just continues

  door-open:
    ending:
      title: The door stays open
      outcome: open             # closed, shut, ajar or open
      time_skip: Four months later...
      epilogue: Sam calls about a new role and mentions you were the first name on the list.
      lesson: Thank them, stay interested, and ask whether you may keep in touch.

  door-closed:
    ending:
      title: A note in the file
      outcome: closed
      time_skip: Four months later...
      epilogue: A new role opens. Nobody calls. Your file says "argued with the decision".
      lesson: Arguing rarely changes a decision, and it is what they remember.

assertions:                     # rules every playthrough must obey, checked by validate
  - never: {after: argue, outcome: [open]}
    note: Arguing never ends with an open door.
  - reachable: door-open
  - better: {tag: keep-door-open, than: argue}
    note: Keeping the door open can always score higher than arguing.
'''


def schema_text(*, rubric: bool = False) -> str:
    """Return the story format's (or a rubric's) JSON Schema as written to files."""
    from game.story.schema import rubric_schema, story_schema

    return json.dumps(rubric_schema() if rubric else story_schema(), indent=2) + "\n"


def schema_command(*, rubric: bool, output: str | None, out: TextIO, err: TextIO) -> int:
    """``callback schema``: print the JSON Schema, or write it to ``output``."""
    text = schema_text(rubric=rubric)
    if output is None:
        out.write(text)
        return EXIT_OK
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        err.write(f"callback: cannot write {output}: {error.strerror or error}\n")
        return EXIT_INVALID
    err.write(f"wrote {output}\n")
    return EXIT_OK


def new_command(file: str, *, force: bool, err: TextIO) -> int:
    """``callback new``: write the starter story (and its schema) and say what to do next."""
    path = Path(file)
    if path.exists() and not force:
        err.write(f"callback: {path} already exists (use --force to overwrite)\n")
        return EXIT_INVALID
    try:
        written = write_starter(path)
    except OSError as error:
        err.write(f"callback: cannot write {path}: {error.strerror or error}\n")
        return EXIT_INVALID
    for extra in written[1:]:
        err.write(f"wrote {extra} (editors use it to complete keys and flag typos)\n")
    err.write(f"wrote {path}; next: callback validate {path} && callback play {path} --text\n")
    return EXIT_OK


def write_starter(path: Path) -> list[Path]:
    """Write the starter story to ``path`` (making missing folders) and return the files written.

    The schema file is written beside it too, unless the folder already has one: the
    starter's first line names it, so editors complete keys and flag typos.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER, encoding="utf-8")
    written = [path]
    schema = path.parent / SCHEMA_FILE
    if not schema.exists():
        schema.write_text(schema_text(), encoding="utf-8")
        written.append(schema)
    return written
