"""The command line of ``callback results`` (light: nothing here opens a database).

The parser is built for every ``callback`` command, so this module imports no more
than :mod:`argparse`; the work is in :mod:`game.classroom.command`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

RESULTS_HELP = "the results database (default: $CALLBACK_RESULTS, else results.db in your " \
               "data folder)"


@dataclass
class ResultsOptions:
    """What ``callback results`` was asked for."""

    action: str | None
    results: str | None = None
    story: str | None = None
    class_code: str | None = None
    since: str | None = None
    until: str | None = None
    before: str | None = None
    as_json: bool = False
    fmt: str = "csv"
    output: str | None = None
    files: tuple[str, ...] = ()
    yes: bool = False


def results_options(args: argparse.Namespace) -> ResultsOptions:
    """The options of a parsed ``callback results`` command line."""
    return ResultsOptions(
        action=args.action, results=getattr(args, "results", None),
        story=getattr(args, "story", None), class_code=getattr(args, "class_code", None),
        since=getattr(args, "since", None), until=getattr(args, "until", None),
        before=getattr(args, "before", None), as_json=getattr(args, "json", False),
        fmt=getattr(args, "format", "csv"), output=getattr(args, "output", None),
        files=tuple(getattr(args, "files", ())), yes=getattr(args, "yes", False))


def add_results_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       results_help: str = RESULTS_HELP) -> None:
    """Add ``callback results`` and its actions to the command line's subcommands."""
    results = sub.add_parser("results", help="the class results: list, export, merge, erase")
    actions = results.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text, description=text)
        parser.add_argument("--results", metavar="PATH", help=results_help)
        return parser

    def filters(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--story", metavar="ID", help="only runs of this story")
        parser.add_argument("--class", dest="class_code", metavar="CODE",
                            help="only runs of this class")
        parser.add_argument("--since", metavar="DATE", help="only runs finished on or after "
                                                             "DATE (YYYY-MM-DD, UTC)")
        parser.add_argument("--until", metavar="DATE", help="only runs finished on or before "
                                                             "DATE (YYYY-MM-DD, UTC)")

    listing = action("list", "list the stored runs as a table")
    filters(listing)
    listing.add_argument("--json", action="store_true", help="the runs as run records")
    export = action("export", "export the stored runs")
    filters(export)
    export.add_argument("--format", choices=["csv", "json", "xapi"], default="csv",
                        help="csv (a spreadsheet), json (run records) or xapi "
                             "(xAPI 1.0.3 statements); default csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: print)")
    merge = action("merge", "add the runs of JSON or xAPI exports from other machines")
    merge.add_argument("files", nargs="+", metavar="FILE")
    erase = action("delete", "erase runs for good: a class's, or those before a date")
    erase.add_argument("--class", dest="class_code", metavar="CODE",
                       help="erase every run of this class")
    erase.add_argument("--before", metavar="DATE",
                       help="erase every run finished before DATE (YYYY-MM-DD, UTC)")
    erase.add_argument("--yes", action="store_true", help="do not ask first")
