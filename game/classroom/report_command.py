"""``callback report``: the class report, from the results database or from export files.

Every problem is a message, never a traceback: an empty database, a filter that
matches nothing (the message lists what is there), a malformed export (its file and
line), a story file that has changed since the runs were played (those runs get a
section of their own, marked, without a map). The page is written atomically, so an
interrupted report never leaves half a file where the last one was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from game.analysis.load import load_story
from game.classroom.arguments import ReportOptions
from game.classroom.command import UsageError, moment
from game.classroom.dialects import is_url
from game.classroom.exports import ExportError, read_export
from game.classroom.keep import open_results
from game.classroom.records import Run
from game.classroom.report import build_report
from game.classroom.report_model import StoryAtHand
from game.classroom.report_page import PageInfo, readable_time, render_report
from game.classroom.store import Filter, ResultsError, results_target
from game.classroom.workshop import best_path
from game.engine.record import now_iso
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.store.atomic import atomic_write
from game.story.library import StoryNotFound, find_story


class NoRuns(Exception):
    """Nothing to report; the message says what there is instead."""


def report_command(options: ReportOptions, *, out: TextIO, err: TextIO) -> int:
    """Write the class report ``options`` ask for; return the exit code."""
    if options.files and options.results:
        err.write("callback report: give export files or --results PATH, not both (merge the "
                  "exports into the database first: callback results merge FILE...)\n")
        return EXIT_USAGE
    try:
        which = Filter(story=options.story, class_code=options.class_code,
                       since=moment(options.since, "--since") if options.since else None,
                       until=moment(options.until, "--until", end=True) if options.until
                       else None)
    except UsageError as error:
        err.write(f"callback report: {error}\n")
        return EXIT_USAGE
    try:
        runs, source = (_from_files(options.files, which) if options.files
                        else _from_store(options.results, which, err))
    except (ExportError, ResultsError, NoRuns) as error:
        err.write(f"callback: {error}\n")
        return EXIT_INVALID
    stories = _stories_at_hand(runs, err)
    report = build_report(runs, stories, names=options.names, best_path=best_path)
    info = PageInfo(source=source, filters=_filters_text(options),
                    generated=readable_time(now_iso()), command=_command_text(options))
    page = render_report(report, stories, info)
    target = Path(options.output)
    try:
        atomic_write(target, page, keep_backup=False)
    except OSError as error:
        err.write(f"callback: cannot write {target}: {error.strerror or error}\n")
        return EXIT_INVALID
    per_story: Counter[str] = Counter()
    for section in report.sections:
        per_story[section.story] += section.runs
    listed = ", ".join(f"{story} ({count})" for story, count in per_story.items())
    out.write(f"Wrote {target}: {report.runs} run{'s' * (report.runs != 1)} of {listed}\n")
    for note in report.notes:
        err.write(f"callback: note: {note}\n")
    if options.names:
        err.write("callback: this report names the players: keep it to yourself, and make "
                  "one without --names to project or share.\n")
    return EXIT_OK


def _from_files(files: Sequence[str], which: Filter) -> tuple[list[Run], str]:
    """Every run of the export files that ``which`` selects (each run once)."""
    found: dict[str, Run] = {}
    for name in files:
        for run in read_export(Path(name)):
            found.setdefault(run.id, run)
    if not found:
        raise NoRuns(f"{', '.join(files)}: no runs to report (an empty export)")
    runs = sorted((r for r in found.values() if which.matches(r)),
                  key=lambda r: (r.finished, r.id))
    if not runs:
        raise NoRuns(_nothing_matches(list(found.values()), which, "these files"))
    label = files[0] if len(files) == 1 else f"{len(files)} export files"
    return runs, label


def _from_store(option: str | None, which: Filter, err: TextIO) -> tuple[list[Run], str]:
    target = results_target(option)
    if not is_url(target) and not Path(target).exists():
        raise NoRuns(f"{target}: no results database here yet (runs are stored there when "
                     "games finish with --results PATH, or merged with "
                     "'callback results merge')")
    with open_results(target) as opened:
        for note in opened.notes:
            err.write(f"callback: {note}\n")
        store = opened.store
        runs = store.runs(which)
        if runs:
            return runs, store.label
        if not store.count():
            raise NoRuns(f"{store.label}: no runs stored yet, so there is nothing to report")
        raise NoRuns(_nothing_matches(store.runs(), which, store.label))


def _nothing_matches(every: list[Run], which: Filter, where: str) -> str:
    """Why no run matched, and what there is instead."""
    stories = Counter(r.story.id for r in every)
    classes = Counter(r.player.class_code or "(none)" for r in every)
    asked = []
    if which.story:
        asked.append(f"story {which.story!r}")
    if which.class_code:
        asked.append(f"class {which.class_code!r}")
    if which.since or which.until:
        asked.append("those dates")
    first, last = min(r.finished for r in every)[:10], max(r.finished for r in every)[:10]
    there = "; ".join([
        "stories: " + ", ".join(f"{k} ({n})" for k, n in sorted(stories.items())),
        "classes: " + ", ".join(f"{k} ({n})" for k, n in sorted(classes.items())),
        f"finished {first} to {last}"])
    return (f"no runs of {' and '.join(asked) or 'that kind'} in {where} "
            f"({len(every)} there: {there})")


def _stories_at_hand(runs: Sequence[Run], err: TextIO) -> dict[str, StoryAtHand]:
    """The story file of each story the runs played, where one is found (by id)."""
    found: dict[str, StoryAtHand] = {}
    for story_id in dict.fromkeys(r.story.id for r in runs):
        try:
            path = find_story(story_id)
        except StoryNotFound:
            continue
        loaded = load_story(path, analyse=False)
        if loaded.compiled is None:
            err.write(f"callback: note: {path} has errors, so {story_id}'s section has no map "
                      "(callback validate shows them)\n")
            continue
        found[story_id] = StoryAtHand(loaded.sha256, loaded.compiled)
    return found


def _filters_text(options: ReportOptions) -> str:
    parts = []
    if options.story:
        parts.append(f"story {options.story}")
    if options.class_code:
        parts.append(f"class {options.class_code}")
    if options.since:
        parts.append(f"finished from {options.since}")
    if options.until:
        parts.append(f"finished up to {options.until}")
    return ", ".join(parts)


def _command_text(options: ReportOptions) -> str:
    words = ["callback", "report", *options.files]
    for flag, value in (("--story", options.story), ("--class", options.class_code),
                        ("--since", options.since), ("--until", options.until)):
        if value:
            words += [flag, value]
    return " ".join(words + (["--names"] if options.names else []))

