"""The ``callback`` command: the parser, and a dispatcher to the module that does each
command's work (in the layer it belongs to: ``game.authoring`` for the authors' tools,
``game.terminal`` and ``game.gui`` for playing).

Exit codes (:mod:`game.exits`): 0 success, 1 invalid or unreadable input (or a failed
run), 2 bad command-line usage, 130 interrupted, 141 output closed early. Each
command's module is imported only when it runs, so ``callback validate`` starts fast
and prints no pygame banner.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from game import __version__
from game.classroom.arguments import RESULTS_HELP, add_class_parsers, results_options
from game.exits import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OUTPUT_CLOSED, EXIT_USAGE
from game.gcpause import paused_gc

if TYPE_CHECKING:
    from game.terminal.play import PlayOptions

Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]
"""One command: its parsed arguments, stdout, stderr and stdin; the exit code."""


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.validate import validate_command

    return validate_command(args.paths, strict=args.strict, fmt=args.format,
                            explain_code=args.explain, workers=_WORKERS, out=out, err=err)


def _play(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.terminal.play import PlayOptions, play_command

    options = PlayOptions(story=args.story, campaign=args.campaign, text=args.text,
                          choices=args.choices, auto=args.auto, seed=args.seed,
                          json=args.json, watch=args.watch, results=args.results,
                          class_code=args.class_code, name=args.name, carry=args.carry,
                          workshop=args.workshop, mode=args.mode)
    return play_command(options, window=lambda o: _window(o, err), out=out, err=err, inp=inp)


def _window(options: PlayOptions | None, err: TextIO) -> int:
    try:
        from game.gui.app import run_window
    except ImportError as error:  # pragma: no cover - pygame missing
        err.write(f"callback: the window needs pygame-ce ({error}); try --text\n")
        return EXIT_INVALID
    if options is None:
        return run_window(err=err)
    return run_window(story=options.story, err=err, campaign=options.campaign,
                      watch=options.watch, workshop=options.workshop,
                      session={"results": options.results, "class_code": options.class_code,
                               "name": options.name, "carry": options.carry,
                               "mode": options.mode or "practice"})


def _analyze(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.analyze import analyze_command

    return analyze_command(args.story, as_json=args.json, limit=args.limit, workers=_WORKERS,
                           out=out, err=err)


def _simulate(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.simulate import simulate_command

    return simulate_command(args.story, runs=args.runs, seed=args.seed, names=args.persona,
                            personas_file=args.personas, with_=args.with_, as_json=args.json,
                            workers=_WORKERS, out=out, err=err)


def _graph(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.graph import graph_command

    return graph_command(args.story, fmt=args.format, output=args.output,
                         highlight=args.highlight, workers=_WORKERS, out=out, err=err)


def _new(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.scaffold import new_command

    return new_command(args.file, force=args.force, err=err)


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.authoring.scaffold import schema_command

    return schema_command(rubric=args.rubric, output=args.output, out=out, err=err)


def _screenshots(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from pathlib import Path

    from game.gui.snapshots import write_all_screenshots

    for path in write_all_screenshots(Path(args.outdir), story=args.story):
        out.write(f"{path}\n")
    return 0


def _results(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.classroom.command import results_command

    return results_command(results_options(args), out=out, err=err, inp=inp)


def _report(args: argparse.Namespace, out: TextIO, err: TextIO, inp: TextIO) -> int:
    from game.classroom.arguments import report_options
    from game.classroom.report_command import report_command

    return report_command(report_options(args), out=out, err=err)


COMMANDS: dict[str, Handler] = {
    "validate": _validate, "play": _play, "analyze": _analyze, "simulate": _simulate,
    "graph": _graph, "new": _new, "schema": _schema, "screenshots": _screenshots,
    "results": _results, "report": _report,
}


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
    play.add_argument("--auto", choices=["first", "random", "best"],
                      help="after the scripted choices, finish the run by itself")
    play.add_argument("--seed", type=int, help="seed for --auto random")
    play.add_argument("--json", action="store_true", help="print the run record as JSON")
    play.add_argument("--watch", action="store_true",
                      help="live preview: reload the story each time you save it, replaying "
                           "your choices so far (problems are shown over the game)")
    play.add_argument("--continue", dest="carry", action="store_true",
                      help="start STORY from your campaign so far (choices carried over); "
                           "without it a story played on its own starts fresh")
    play.add_argument("--workshop", action="store_true", help="project STORY for a class: "
                      "discuss and vote at each decision, then a class debrief")
    play.add_argument("--class", dest="class_code", metavar="CODE",
                      help="your class code: stored with your runs (default: none)")
    play.add_argument("--name", help="your name: stored with your runs, and your own campaign "
                                     "(default: anonymous)")
    play.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    play.add_argument("--mode", choices=["practice", "assessment"], help="practice (default: "
                      "undo with Backspace, or 'undo' in --text) or assessment (answers final)")

    add_class_parsers(sub, RESULTS_HELP)

    validate = sub.add_parser("validate", help="check story files and folders")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="story files, or folders (searched for *.yaml and *.yml)")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--explain", metavar="CODE", help="explain a diagnostic code")

    shots = sub.add_parser("screenshots", help="render the game's screens to PNG files")
    shots.add_argument("outdir")
    shots.add_argument("--story", help="story to show (default: the flagship)")

    schema = sub.add_parser("schema", help="print the story format's JSON Schema")
    schema.add_argument("--rubric", action="store_true", help="a rubric file's schema instead")
    schema.add_argument("-o", "--output", metavar="FILE", help="write here (default: print)")

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
        out.flush()  # here, where a closed pipe is caught, rather than at exit
    except KeyboardInterrupt:
        err.write("callback: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `| head` took what it wanted, or the pager was quit
        _quiet_closed_output(out)
        return EXIT_OUTPUT_CLOSED
    except Exception as error:  # the last line of defence: never a traceback for a user
        from game.crash import write_report

        path = write_report(error, " ".join(sys.argv))
        where = f"; crash report: {path}" if path else ""
        err.write(f"callback: unexpected error ({type(error).__name__}: {error}){where}\n")
        return EXIT_INVALID
    if fast:
        _fast_exit(code, out, err)
    return code


def _quiet_closed_output(out: TextIO) -> None:
    """Point a closed stdout at /dev/null, so the flush at exit does not fail again."""
    try:
        descriptor = out.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not a real file (a test's StringIO): nothing is flushed at exit
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


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
        return _window(None, err)
    handler = COMMANDS[args.command]
    if args.command in _BATCH:
        # Short-lived tools that build large acyclic structures (a story's data, its
        # state graph): reference counting frees them, and the cyclic collector's
        # rescans of the growing heap cost more than a second on a 10,000-scene story.
        with paused_gc():
            return handler(args, out, err, inp)
    return handler(args, out, err, inp)


_BATCH = {"validate", "analyze", "graph", "simulate"}
_WORKERS = min(2, os.cpu_count() or 1)
"""Processes a batch command may read one large story with (see game.story.halves)."""
