"""The command lines of ``callback results`` and ``callback report`` (light: nothing here
opens a database).

The parser is built for every ``callback`` command, so this module imports no more
than :mod:`argparse`; the work is in :mod:`game.classroom.command` and
:mod:`game.classroom.report_command`.
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


@dataclass
class ReportOptions:
    """What ``callback report`` was asked for."""

    files: tuple[str, ...] = ()
    results: str | None = None
    story: str | None = None
    class_code: str | None = None
    since: str | None = None
    until: str | None = None
    names: bool = False
    output: str = "report.html"


def report_options(args: argparse.Namespace) -> ReportOptions:
    """The options of a parsed ``callback report`` command line."""
    return ReportOptions(files=tuple(args.files), results=args.results, story=args.story,
                         class_code=args.class_code, since=args.since, until=args.until,
                         names=args.names, output=args.output)


def add_report_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      results_help: str = RESULTS_HELP) -> None:
    """Add ``callback report`` to the command line's subcommands."""
    text = ("the class report: one HTML page (works offline, prints on A4 or Letter) of "
            "where the class went: doors, scores, the share that took each answer")
    report = sub.add_parser("report", help=text, description=text)
    report.add_argument("files", nargs="*", metavar="EXPORT_FILE",
                        help="JSON or xAPI exports ('callback results export') to report on, "
                             "instead of a results database")
    report.add_argument("--results", metavar="PATH", help=results_help)
    report.add_argument("--story", metavar="ID", help="only runs of this story")
    report.add_argument("--class", dest="class_code", metavar="CODE",
                        help="only runs of this class")
    report.add_argument("--since", metavar="DATE",
                        help="only runs finished on or after DATE (YYYY-MM-DD, UTC)")
    report.add_argument("--until", metavar="DATE",
                        help="only runs finished on or before DATE (YYYY-MM-DD, UTC)")
    report.add_argument("--names", action="store_true",
                        help="add a table of the players' names, for the facilitator only "
                             "(never project it)")
    report.add_argument("-o", "--output", metavar="FILE", default="report.html",
                        help="write the page here (default: report.html)")


def add_class_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      results_help: str = RESULTS_HELP) -> None:
    """Add the classroom's commands, ``callback results`` and ``callback report``."""
    add_results_parser(sub, results_help)
    add_report_parser(sub, results_help)
