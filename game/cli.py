"""The ``callback`` command: subcommands, user errors mapped to exit codes.

Exit codes: 0 success, 1 invalid or unreadable input (or a failed run), 2 bad
command-line usage. The window is imported only by the commands that open one,
so ``callback validate`` starts fast and prints no pygame banner.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from game import __version__
from game.analysis.load import LoadedStory, load_story
from game.authoring.validate import check_paths, is_rubric, json_entry
from game.gcpause import paused_gc
from game.story.diagnostics import CATALOGUE, Diagnostic, Location, Severity, explain
from game.story.loader import LoadResult

if TYPE_CHECKING:
    from game.engine.compiled import CompiledStory
    from game.store.profile import Profile
    from game.story.model import Story
    from game.story.source import SourceMap

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.explain:
        text = explain(args.explain)
        if text is None:
            err.write(f"callback: unknown code {args.explain!r}; codes: {', '.join(CATALOGUE)}\n")
            return EXIT_USAGE
        out.write(text)
        return EXIT_OK
    if not args.paths:
        err.write("callback validate: give one or more story files or folders\n")
        return EXIT_USAGE
    checked = check_paths(args.paths, _WORKERS)
    results = [item for item in checked if isinstance(item, LoadResult)]
    failed = len(results) < len(checked) or any(
        r.errors or (args.strict and r.warnings) for r in results)
    if args.format == "json":
        out.write(json.dumps([json_entry(i, args.strict) for i in checked], indent=2) + "\n")
        return EXIT_INVALID if failed else EXIT_OK
    for item in checked:
        if isinstance(item, Diagnostic):
            err.write(f"{item.location}: {item.message}\n")
        else:
            for diagnostic in item.diagnostics:
                out.write(diagnostic.format() + "\n")
    if results:
        errors = sum(len(r.errors) for r in results)
        warnings = sum(len(r.warnings) for r in results)
        verdict = "invalid" if failed else "ok"
        err.write(f"{len(results)} file(s): {errors} error(s), {warnings} warning(s): {verdict}\n")
    return EXIT_INVALID if failed else EXIT_OK


def _bundled() -> list[tuple[str, Path]]:
    """Return the bundled stories as (id, file), the id read from the file (else its stem)."""
    from game.paths import bundled_stories
    from game.story.source import load_source

    try:
        paths = [p for p in bundled_stories() if not is_rubric(p)]
    except FileNotFoundError:
        return []
    found = []
    for path in paths:
        source = load_source(path, [])
        data = source.data if source is not None else None
        story_id = data.get("id") if isinstance(data, dict) else None
        found.append((story_id if isinstance(story_id, str) else path.stem, path))
    return found


def _resolve_story(raw: str, err: TextIO) -> str | None:
    """Return the story file to open for ``raw``; None after saying why there is none.

    ``raw`` is a path or, when no such path exists, a bundled story's id or file
    stem, so ``callback play rejection-call`` works in any folder once installed.
    """
    path = Path(raw)
    if not path.exists():
        bundled = _bundled()
        match = next((p for story_id, p in bundled if raw in (story_id, p.stem)), None)
        if match is None:
            names = ", ".join(sorted(story_id for story_id, _ in bundled)) or "none"
            err.write(f"callback: no such story file or bundled story {raw!r} "
                      f"(bundled: {names})\n")
            return None
        path = match
    if is_rubric(path):
        err.write(f"callback: {path} is a rubric file, not a story "
                  "(stories name it under 'rubric:'; 'callback validate' checks it)\n")
        return None
    return str(path)


def _load_for_play(path: str, err: TextIO, profile: Profile | None = None) -> LoadedStory | None:
    """Load a story for play: every reference checked, and no dead end from this start.

    The start is the player's own: the campaign values their ``profile`` holds.
    """
    from game.analysis.checks import check_playable

    result = load_story(path, analyse=False)
    if result.compiled is not None and result.source_map is not None:
        imports = profile.imports_for(result.compiled.model) if profile else {}
        result.diagnostics += check_playable(result.compiled, result.source_map, imports)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    for diagnostic in errors:
        err.write(diagnostic.format() + "\n")
    return None if errors or result.compiled is None else result


def cmd_play(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    scripted = args.choices is not None
    if bool(args.campaign) == bool(args.story):
        err.write("callback play: give a STORY, or --campaign (not both)\n")
        return EXIT_USAGE
    if args.watch and (args.campaign or args.text or scripted or args.auto or args.json):
        err.write("callback play: --watch previews one STORY in the window "
                  "(not with --campaign, --text, --choices, --auto or --json)\n")
        return EXIT_USAGE
    try:
        scripts = _scripts(args)
    except ValueError as error:
        err.write(f"callback play: --choices {args.choices!r}: {error} "
                  "(give numbers or choice ids separated by commas, e.g. 2,1,thank)\n")
        return EXIT_USAGE
    if args.json and not scripted and not args.auto and inp.isatty():
        err.write("callback play: --json prints only the run record, not the story: "
                  "give --choices or --auto (or pipe the answers in)\n")
        return EXIT_USAGE
    if args.story:
        args.story = _resolve_story(args.story, err)
        if args.story is None:
            return EXIT_INVALID
    if not args.text and (scripted or args.auto or args.json):
        args.text = True
    if not args.text:
        return _open_window(args, err)
    from game.story.library import campaign, library

    if args.campaign:
        entries, problems = library()
        for problem in problems:
            err.write(problem + "\n")
        paths = [str(e.path) for e in campaign(entries)]
    else:
        paths = [args.story]
    records = []
    for index, path in enumerate(paths):
        script = scripts[index] if index < len(scripts) else []
        record = _play_text(path, args, script, out, err, inp)
        if record is None:
            return EXIT_INVALID
        records.append(record)
    if args.json:
        payload = records if args.campaign else records[0]
        out.write(json.dumps(payload, indent=2) + "\n")
    return EXIT_OK


def _scripts(args: argparse.Namespace) -> list[list[str]]:
    """Return the scripted choices per story (ValueError: an empty item).

    With --campaign, ``--choices`` holds one group per story separated by ``;`` and
    a group may be empty (that story is played by hand or by --auto).
    """
    from game.terminal.player import parse_choices

    if args.choices is None:
        return [[]]
    if not args.campaign:
        return [parse_choices(args.choices)]
    return [parse_choices(group) if group.strip() else [] for group in args.choices.split(";")]


def _play_text(path: str, args: argparse.Namespace, choices: list[str], out: TextIO,
               err: TextIO, inp: TextIO) -> dict[str, object] | None:
    """Play one story in the terminal; record it; return its run record (None: failed).

    With ``--json`` the story's prose is not shown: stdout carries only the record.
    """
    from game.analysis.space import best_reachable
    from game.engine.record import now_iso, run_record
    from game.store.profile import load_profile, save_profile
    from game.store.results import save_run
    from game.terminal.player import Script, ScriptError, TextPlayer

    loaded = load_profile()
    if loaded.note:
        err.write(f"callback: profile: {loaded.note}\n")
    profile = loaded.value
    result = _load_for_play(path, err, profile)
    if result is None:
        return None
    compiled = result.compiled
    assert compiled is not None
    story = compiled.model
    script = Script(choices, args.auto, args.seed)
    started = now_iso()
    player = TextPlayer(compiled, inp, io.StringIO() if args.json else out, script)
    imports = profile.imports_for(story)
    warmup = None
    if not choices and args.auto is None:  # a person is reading: build the score tables now
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
                        best=functools.partial(best_reachable, compiled))
    try:
        if story.campaign:
            profile.record(story, state)
            save_profile(profile)
        save_run(record)
    except OSError as error:
        err.write(f"callback: could not save your progress: {error}\n")
    return record


def _warm(story: CompiledStory, imports: dict[str, int | bool]) -> None:
    """Build the tables the debrief's scores need while the player reads (the larger
    stories take seconds); an error here is met again, and reported, by the debrief."""
    from game.analysis.space import space_for

    with contextlib.suppress(Exception):
        space_for(story, imports)


def _open_window(args: argparse.Namespace, err: TextIO) -> int:
    try:
        from game.gui.app import run_window
    except ImportError as error:  # pragma: no cover - pygame missing
        err.write(f"callback: the window needs pygame-ce ({error}); try --text\n")
        return EXIT_INVALID
    return run_window(story=getattr(args, "story", None), err=err,
                      campaign=bool(getattr(args, "campaign", False)),
                      watch=bool(getattr(args, "watch", False)))


def _load_checked(raw: str, err: TextIO) -> LoadedStory | None:
    """Load a story named by path or bundled id for a tool; None after printing its errors."""
    path = _resolve_story(raw, err)
    if path is None:
        return None
    result = load_story(path, analyse=False, workers=_WORKERS)
    if result.story is None:
        for diagnostic in result.errors:
            err.write(diagnostic.format() + "\n")
        return None
    return result


def cmd_analyze(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.authoring.analyze import analysis_json, analyze, format_analysis

    result = _load_checked(args.story, err)
    if result is None:
        return EXIT_INVALID
    assert result.compiled is not None
    data = analyze(result.compiled, limit=args.limit)
    out.write(analysis_json(data) if args.json else format_analysis(data))
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.authoring.simulate import PersonaError, format_simulation, simulate

    if args.runs < 1:
        err.write(f"callback simulate: --runs must be at least 1 (got {args.runs})\n")
        return EXIT_USAGE
    result = _load_checked(args.story, err)
    if result is None:
        return EXIT_INVALID
    compiled = result.compiled
    assert compiled is not None
    story = compiled.model
    extra: dict[str, dict[str, float]] = {}
    if args.personas:
        loaded = _load_personas(args.personas, story, err)
        if loaded is None:
            return EXIT_INVALID
        extra = loaded
    names = args.persona or ["random"]
    imports: dict[str, int | bool] = {}
    for item in (args.with_ or "").split(","):
        if item.strip():
            name, _, value = item.strip().partition("=")
            imports[name] = value.lower() != "false" if not value.lstrip("-").isdigit() \
                else int(value)
    unknown = [n for n in imports if not story.campaign or n not in story.campaign.imports]
    if unknown:
        err.write(f"callback: --with {', '.join(unknown)}: not imported by this story\n")
        return EXIT_USAGE
    reports = []
    for name in names:
        try:
            reports.append(simulate(compiled, runs=args.runs, seed=args.seed, persona=name,
                                    extra=extra, imports=imports))
        except PersonaError as error:
            err.write(f"callback: {error}\n")
            return EXIT_USAGE
    if args.json:
        found = [r.to_json() for r in reports]
        out.write(json.dumps(found if len(found) > 1 else found[0], indent=2) + "\n")
    else:
        out.write("\n".join(format_simulation(r) for r in reports))
    return EXIT_OK


def _load_personas(path: str, story: Story, err: TextIO) -> dict[str, dict[str, float]] | None:
    """Read a ``--personas`` file (``name: {tag: weight}``); None after printing its problems.

    Every tag must be one the story knows (its own or its rubric's).
    """
    from pydantic import TypeAdapter, ValidationError

    from game.story.model import Weight
    from game.story.source import load_source

    problems: list[Diagnostic] = []
    source = load_source(Path(path), problems)
    if source is not None:
        try:
            found = TypeAdapter(dict[str, dict[str, Weight]]).validate_python(source.data)
        except ValidationError as error:
            first = error.errors()[0]
            where = source.map.at(tuple(first["loc"]))
            problems.append(Diagnostic("CB003", f"personas: {first['msg']}", where))
        else:
            problems.extend(_unknown_persona_tags(found, story, source.map))
            if not problems:
                return found
    if not problems:
        problems.append(Diagnostic("CB003", "personas file is empty", Location(path)))
    for diagnostic in problems:
        err.write(diagnostic.format() + "\n")
    return None


def _unknown_persona_tags(found: dict[str, dict[str, float]], story: Story,
                          where: SourceMap) -> list[Diagnostic]:
    """Return a CB015 for every persona tag the story does not declare."""
    from game.story.diagnostics import did_you_mean

    known = ", ".join(sorted(story.tags)) or "none"
    return [
        Diagnostic("CB015", f"persona {name!r} uses unknown tag {tag!r}",
                   where.at((name, tag), key=True),
                   did_you_mean(tag, story.tags) or f"the story's tags: {known}")
        for name, weights in found.items()
        for tag in weights
        if tag not in story.tags
    ]


def cmd_graph(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.authoring.graph import GraphError, write_graph

    result = _load_checked(args.story, err)
    if result is None:
        return EXIT_INVALID
    assert result.story is not None
    output = Path(args.output) if args.output else None
    highlight = Path(args.highlight) if args.highlight else None
    try:
        text = write_graph(result.story, args.format, output, highlight)
    except GraphError as error:
        err.write(f"callback: {error}\n")
        return EXIT_INVALID
    if text is not None:
        out.write(text)
    elif output is not None:
        err.write(f"wrote {output}\n")
    return EXIT_OK


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.authoring.scaffold import write_starter

    path = Path(args.file)
    if path.exists() and not args.force:
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


def cmd_screenshots(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.gui.snapshots import write_screenshots

    written = write_screenshots(Path(args.outdir), story=args.story)
    for path in written:
        out.write(f"{path}\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.authoring.scaffold import schema_text

    out.write(schema_text())
    return EXIT_OK


STORY_HELP = "a story file, or a bundled story's id (e.g. stories/rejection-call.yaml, " \
             "rejection-call)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callback",
        description="Callback: practise the phone call that says you didn't get the job.",
    )
    parser.add_argument("--version", action="version", version=f"callback {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play a story (in a window, or --text in the terminal)")
    play.add_argument("story", nargs="?", help=STORY_HELP)
    play.add_argument("--campaign", action="store_true",
                      help="play the campaign: the scenarios in order, choices carried over")
    play.add_argument("--text", action="store_true", help="play in the terminal")
    play.add_argument("--choices", help="scripted choices: numbers as shown, or ids (2,1,thank); "
                      "with --campaign, one group per story separated by ';'")
    play.add_argument(
        "--auto",
        choices=["first", "random", "best"],
        help="after the scripted choices, finish the run by itself",
    )
    play.add_argument("--seed", type=int, help="seed for --auto random")
    play.add_argument("--json", action="store_true", help="print the run record as JSON")
    play.add_argument("--watch", action="store_true",
                      help="live preview: reload the story each time you save it, replaying "
                           "your choices so far (problems are shown over the game)")

    validate = sub.add_parser("validate", help="check story files and folders")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="story files, or folders (searched for *.yaml and *.yml)")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--explain", metavar="CODE", help="explain a diagnostic code")

    shots = sub.add_parser("screenshots", help="render the game's screens to PNG files")
    shots.add_argument("outdir")
    shots.add_argument("--story", help="story to show (default: the flagship)")

    sub.add_parser("schema", help="print the story format's JSON Schema")

    graph = sub.add_parser("graph", help="draw the story map (DOT, Mermaid, SVG, PNG)")
    graph.add_argument("story", help=STORY_HELP)
    graph.add_argument("--format", choices=["dot", "mermaid", "svg", "png"], default="dot")
    graph.add_argument("-o", "--output", metavar="FILE", help="write here (default: print)")
    graph.add_argument("--highlight", metavar="RUN.json", help="draw a run record's path")

    new = sub.add_parser("new", help="write a commented starter story")
    new.add_argument("file", help="the story to write (missing folders are made); "
                     "story.schema.json is written beside it unless one is there")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    analyze = sub.add_parser("analyze", help="exact facts about every playthrough of a story")
    analyze.add_argument("story", help=STORY_HELP)
    analyze.add_argument("--json", action="store_true")
    analyze.add_argument("--limit", type=int, default=200_000, help="most states to explore")

    simulate = sub.add_parser("simulate", help="seeded simulated players (personas)")
    simulate.add_argument("story", help=STORY_HELP)
    simulate.add_argument("--runs", type=int, default=1000, help="games per persona (at least 1)")
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--persona", action="append",
                          help="random, best, worst, or a persona from the story or --personas "
                               "(repeat for several)")
    simulate.add_argument("--personas", metavar="FILE", help="YAML: name -> {tag: weight}")
    simulate.add_argument("--with", dest="with_", metavar="FLAG[=VALUE],...",
                          help="start as if the profile held these campaign imports "
                               "(e.g. argued,pest or door=30)")
    simulate.add_argument("--json", action="store_true")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    inp: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    inp = inp or sys.stdin
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    fast = argv is None and args.command in _BATCH
    if fast:
        gc.disable()  # for good: the process ends in _fast_exit, with nothing to collect
    try:
        code = _dispatch(args, out, err, inp)
    except KeyboardInterrupt:
        err.write("callback: interrupted\n")
        return 130
    except Exception as error:  # the last line of defence: never a traceback for a user
        from game.crash import write_report

        path = write_report(error, " ".join(sys.argv))
        where = f"; crash report: {path}" if path else ""
        err.write(f"callback: unexpected error ({type(error).__name__}: {error}){where}\n")
        return EXIT_INVALID
    if fast:
        _fast_exit(code, out, err)
    return code


def _fast_exit(code: int, out: TextIO, err: TextIO) -> NoReturn:
    """End a batch command's process without tearing its heap down object by object.

    A loaded story and its state graph hold reference cycles (the story caches its
    graph, which refers back to it), so Python would collect them one by one at exit:
    a quarter of a second on a 10,000-scene story, after the report is already out.
    Every file the command wrote is closed by now; the output is flushed here.
    """
    for stream in (out, err):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    if args.command is None:
        return _open_window(args, err)
    handlers = {
        "validate": lambda: cmd_validate(args, out, err),
        "play": lambda: cmd_play(args, out, err, inp),
        "screenshots": lambda: cmd_screenshots(args, out, err),
        "schema": lambda: cmd_schema(args, out, err),
        "analyze": lambda: cmd_analyze(args, out, err),
        "graph": lambda: cmd_graph(args, out, err),
        "new": lambda: cmd_new(args, out, err),
        "simulate": lambda: cmd_simulate(args, out, err),
    }
    if args.command in _BATCH:
        # Short-lived tools that build large acyclic structures (a story's data, its
        # state graph): reference counting frees them, and the cyclic collector's
        # rescans of the growing heap cost more than a second on a 10,000-scene story.
        with paused_gc():
            return handlers[args.command]()
    return handlers[args.command]()


_BATCH = {"validate", "analyze", "graph", "simulate"}
_WORKERS = min(2, os.cpu_count() or 1)
"""Processes a batch command may read one large story with (see game.story.halves)."""
