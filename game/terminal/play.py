"""``callback play``: the checks on its options, and playing in the terminal.

The window is opened by the caller (``window``): this layer never imports it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from game.analysis.cache import for_play
from game.analysis.load import LoadedStory
from game.analysis.space import best_reachable, space_for
from game.classroom.keep import keep_run
from game.classroom.players import carried_line, player_home
from game.classroom.store import results_target
from game.engine.compiled import CompiledStory
from game.engine.record import PlayMode, now_iso, run_record
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.store.profile import load_profile, save_profile
from game.store.settings import player_text
from game.story.library import StoryNotFound, campaign, find_story, library
from game.story.model import Story
from game.terminal.player import Script, ScriptError, TextPlayer, parse_choices

Window = Callable[["PlayOptions"], int]
"""Opens the game window for these options and returns the exit code."""


@dataclass
class PlayOptions:
    """What ``callback play`` was asked for."""

    story: str | None = None
    campaign: bool = False
    text: bool = False
    choices: str | None = None
    auto: str | None = None
    seed: int | None = None
    json: bool = False
    watch: bool = False
    results: str | None = None
    class_code: str | None = None
    name: str | None = None
    carry: bool = False
    workshop: bool = False
    mode: PlayMode | None = None
    """practice or assessment (None: practice; a workshop is its own mode)."""


def play_command(options: PlayOptions, *, window: Window, out: TextIO, err: TextIO,
                 inp: TextIO) -> int:
    """Play a story, or the campaign, in the window or the terminal; return the exit code."""
    problem = _usage_problem(options, inp)
    if problem:
        err.write(f"callback play: {problem}\n")
        return EXIT_USAGE
    scripts = _scripts(options)
    options.class_code, options.name = player_text(options.class_code), player_text(options.name)
    if options.story:
        try:
            options.story = str(find_story(options.story))
        except StoryNotFound as error:
            err.write(f"callback: {error}\n")
            return EXIT_INVALID
    scripted = options.choices is not None
    if not options.text and not (scripted or options.auto or options.json):
        return window(options)
    if options.campaign:
        entries, problems = library()
        for line in problems:
            err.write(line + "\n")
        paths = [str(e.path) for e in campaign(entries)]
    else:
        assert options.story is not None
        paths = [options.story]
    records = []
    for index, path in enumerate(paths):
        script = scripts[index] if index < len(scripts) else []
        record = _play_one(path, options, script, out, err, inp)
        if record is None:
            return EXIT_INVALID
        records.append(record)
    if options.json:
        out.write(json.dumps(records if options.campaign else records[0], indent=2) + "\n")
    return EXIT_OK


def _usage_problem(options: PlayOptions, inp: TextIO) -> str | None:
    """Say what is wrong with this combination of options, if anything."""
    scripted = options.choices is not None
    if options.workshop and (options.campaign or options.text or scripted or options.auto
                             or options.json or options.watch or options.carry or options.name
                             or options.mode):
        return ("--workshop projects one STORY in the window for a class (with --class and "
                "--results, not --campaign, --text, --choices, --auto, --json, --watch, "
                "--continue, --name or --mode)")
    if bool(options.campaign) == bool(options.story):
        return "give a STORY, or --campaign (not both)"
    if options.carry and options.campaign:
        return "--continue is for one STORY (--campaign always carries your choices over)"
    if options.watch and (options.campaign or options.text or scripted or options.auto
                          or options.json):
        return ("--watch previews one STORY in the window "
                "(not with --campaign, --text, --choices, --auto or --json)")
    try:
        _scripts(options)
    except ValueError as error:
        return (f"--choices {options.choices!r}: {error} "
                "(give numbers or choice ids separated by commas, e.g. 2,1,thank)")
    if options.json and not scripted and not options.auto and inp.isatty():
        return ("--json prints only the run record, not the story: "
                "give --choices or --auto (or pipe the answers in)")
    return None


def _scripts(options: PlayOptions) -> list[list[str]]:
    """Return the scripted choices per story (ValueError: an empty item).

    With --campaign, ``--choices`` holds one group per story separated by ``;`` and
    a group may be empty (that story is played by hand or by --auto).
    """
    if options.choices is None:
        return [[]]
    if not options.campaign:
        return [parse_choices(options.choices)]
    return [parse_choices(group) if group.strip() else []
            for group in options.choices.split(";")]


def _load(path: str, err: TextIO, imports_of: Callable[[Story], dict[str, int | bool]]
          ) -> LoadedStory | None:
    """Load a story to play from this player's start; None after printing its errors."""
    result = for_play(Path(path), imports_of)
    for diagnostic in result.errors:
        err.write(diagnostic.format() + "\n")
    return None if result.errors or result.compiled is None else result


def _play_one(path: str, options: PlayOptions, choices: list[str], out: TextIO,
              err: TextIO, inp: TextIO) -> dict[str, object] | None:
    """Play one story in the terminal; record it; return its run record (None: failed).

    With ``--json`` the story's prose is not shown: stdout carries only the record.
    A story starts from the player's campaign values only with ``--campaign`` or
    ``--continue`` (on a shared machine, an earlier player's choices are not yours).
    """
    home = player_home(options.class_code, options.name)
    loaded = load_profile(home)
    if loaded.note:
        err.write(f"callback: profile: {loaded.note}\n")
    profile = loaded.value
    carry = options.campaign or options.carry
    imports_of = profile.imports_for if carry else _fresh
    result = _load(path, err, imports_of)
    if result is None or result.compiled is None:
        return None
    compiled = result.compiled
    story = compiled.model
    script = Script(choices, options.auto, options.seed)
    started = now_iso()
    shown = io.StringIO() if options.json else out
    mode = options.mode or "practice"
    player = TextPlayer(compiled, inp, shown, script, locked=mode == "assessment")
    imports = imports_of(story)
    line = carried_line(story, profile, imports, carrying=carry)
    if line:
        shown.write(line + "\n")
    warmup = None
    if not choices and options.auto is None:  # a person is reading: build the score tables now
        warmup = threading.Thread(target=_warm, args=(compiled, imports), daemon=True)
        warmup.start()
    try:
        state = player.play(imports)
    except ScriptError as error:
        err.write(f"callback: {error}\n")
        return None
    if warmup is not None:
        warmup.join()  # never build them twice at once
    player.debrief(state, profile.carried_into(story, state))
    record = run_record(compiled, result.sha256, state, started=started, finished=now_iso(),
                        best=functools.partial(best_reachable, compiled),
                        name=options.name, class_code=options.class_code, mode=mode,
                        undos=player.undos)
    try:
        if story.campaign:
            profile.record(story, state)
            save_profile(profile, home)
    except OSError as error:
        err.write(f"callback: could not save your campaign progress: {error}\n")
    note = keep_run(record, results_target(options.results))
    if note:
        err.write(f"callback: {note}\n")
    return record


def _fresh(story: Story) -> dict[str, int | bool]:
    """Nothing carried over: the story's own defaults."""
    return {}


def _warm(story: CompiledStory, imports: dict[str, int | bool]) -> None:
    """Build the tables the debrief's scores need while the player reads (the larger
    stories take seconds); an error here is met again, and reported, by the debrief."""
    with contextlib.suppress(Exception):
        space_for(story, imports)
