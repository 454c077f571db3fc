"""The class report's facts, without any HTML: where a class went, counted from its runs.

:func:`build_report` groups runs by story and by the file each was played on (its
SHA-256): runs of different versions of a story are never counted together, since a
decision may have changed between them. For each group it counts the doors and the
scores, the share of runs that took each answer at each decision, the path most of
the class took, the meters' averages and a workshop's hands, and asks a few
questions for the room filled in with the class's own numbers
(:mod:`game.classroom.questions`).

Counts and distributions only, never a ranking. Names are kept only when asked for,
for the facilitator's own table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from game.classroom.questions import questions_for
from game.classroom.records import Run
from game.classroom.report_model import (
    LESSON,
    OTHER_MOVES,
    Decision,
    MeterStat,
    Move,
    NameRow,
    Option,
    PathPoint,
    Report,
    Section,
    StoryAtHand,
    VoteRow,
    WorkshopRun,
)
from game.classroom.workshop import PathStep, parting
from game.engine.compiled import CompiledStory
from game.story.model import Outcome

BestPath = Callable[[CompiledStory, Mapping[str, int | bool]],
                    tuple[int | None, list[PathStep]]]
"""Finds a story's best score and the decisions of a run that reaches it, from a start
with the given campaign imports."""


def build_report(runs: Sequence[Run], stories: Mapping[str, StoryAtHand], *,
                 names: bool = False, best_path: BestPath | None = None) -> Report:
    """The report of ``runs``.

    Args:
        stories: the story files at hand, by story id. A section whose runs were played
            on another version of the file, or on a story not here, is reported from
            its runs alone: no map, no best path.
        names: keep the players' names for the facilitator's table.
        best_path: finds a story's best path (the command passes
            :func:`game.classroom.workshop.best_path`), from the campaign imports most
            of the section's runs started with; None leaves it out.
    """
    groups: dict[tuple[str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.story.id, run.story.sha256 or run.story.version), []).append(run)
    sections = []
    missing: dict[str, str] = {}
    for (story_id, _), members in sorted(groups.items(), key=lambda g: _order(g, stories)):
        at_hand = stories.get(story_id)
        story = at_hand.story if at_hand and at_hand.sha256 == members[0].story.sha256 else None
        section = _section(members, story, best_path)
        sections.append(replace(section, questions=tuple(questions_for(section))))
        if at_hand is None:
            missing.setdefault(story_id, section.title)
    notes = [f"The story file of “{title}” ({story_id}) was not found here, so its section "
             "has no map and no best path." for story_id, title in missing.items()]
    versions = Counter(story_id for story_id, _ in groups)
    notes += [f"Runs of {story_id} were played on {count} versions of its file: each version "
              "has a section of its own, and their counts are never added up."
              for story_id, count in versions.items() if count > 1]
    table = None
    if names:
        table = tuple(sorted(
            (NameRow(r.player.name or "(anonymous)", r.player.class_code or "", r.story.id,
                     r.finished, r.outcome, r.score) for r in runs),
            key=lambda row: (row.name.casefold(), row.finished)))
    return Report(tuple(sections), len(runs), table, tuple(notes))


def _order(group: tuple[tuple[str, str], list[Run]], stories: Mapping[str, StoryAtHand]
           ) -> tuple[int, str, str]:
    """Where a group of runs goes in the report: in campaign order where the story file
    gives one, then by story id; a story's newest version last."""
    (story_id, _), members = group
    at_hand = stories.get(story_id)
    campaign = at_hand.story.model.campaign if at_hand else None
    return (campaign.order if campaign else 100, story_id, members[-1].finished)


def _section(runs: list[Run], story: CompiledStory | None, best_path: BestPath | None) -> Section:
    first = runs[0]
    titles = _titles(story)
    decisions = _decisions(runs, story, titles)
    common, still = _common_path(runs, titles)
    ends = Counter((r.ending, r.outcome) for r in still)
    common_end = None
    if ends:
        (ending, door), count = ends.most_common(1)[0]
        common_end = (titles.get(ending, ending), door, count)
    best: tuple[PathStep, ...] = ()
    best_score = None
    if story is not None and best_path is not None:
        starts = Counter(tuple(sorted(r.imports.items())) for r in runs)
        best_score, found = best_path(story, dict(starts.most_common(1)[0][0]))
        best = tuple(found)
    parted = None
    if best:
        parted = parting([PathStep(p.scene, p.choice, p.text) for p in common], best)
    doors = Counter(r.outcome for r in runs)
    return Section(
        story=first.story.id, title=first.story.title or first.story.id,
        version=first.story.version, sha256=first.story.sha256, runs=len(runs),
        current=story is not None, first=min(r.finished for r in runs),
        last=max(r.finished for r in runs),
        classes=tuple(sorted({r.player.class_code for r in runs if r.player.class_code})),
        modes=dict(Counter(r.mode for r in runs)),
        doors={door: doors.get(door.value, 0) for door in Outcome},
        scores=tuple(r.score for r in runs),
        best_possible=max((r.best_possible for r in runs if r.best_possible is not None),
                          default=None),
        meters=_meters(runs, story), decisions=decisions, common=common,
        common_end=common_end, best=best, best_score=best_score, parted=parted,
        workshops=tuple(_workshop(r, titles) for r in runs if r.mode == "workshop"),
        moves=_moves(runs, story), runs_with=_runs_with(runs))


def _titles(story: CompiledStory | None) -> dict[str, str]:
    """What to call each scene: its title, an ending's title, or its id in words."""
    if story is None:
        return {}
    titles = {}
    for sid, scene in story.model.scenes.items():
        titles[sid] = scene.ending.title if scene.ending else scene.title or _words(sid)
    return titles


def _words(identifier: str) -> str:
    """A scene id as words: 'the-news' -> 'The news'."""
    text = identifier.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _decisions(runs: Sequence[Run], story: CompiledStory | None,
               titles: Mapping[str, str]) -> tuple[Decision, ...]:
    reached: Counter[str] = Counter()
    taken: Counter[tuple[str, str]] = Counter()
    words: dict[str, dict[str, str]] = {}
    places: dict[str, list[int]] = defaultdict(list)
    costs: dict[tuple[str, str], list[int]] = defaultdict(list)
    hands: Counter[tuple[str, str]] = Counter()
    voted: set[str] = set()
    for run in runs:
        before = run.best_possible
        for index, step in enumerate(run.steps):
            reached[step.scene] += 1
            taken[step.scene, step.chosen] += 1
            places[step.scene].append(index)
            texts = words.setdefault(step.scene, {})
            for offered in step.offered:
                texts.setdefault(offered.id, offered.text)
            texts.setdefault(step.chosen, step.text or step.chosen)
            if before is not None and step.best_reachable is not None:
                costs[step.scene, step.chosen].append(before - step.best_reachable)
            before = step.best_reachable
            if step.votes is not None:
                voted.add(step.scene)
                for choice, count in step.votes.items():
                    texts.setdefault(choice, choice)
                    hands[step.scene, choice] += count
    found = []
    for scene in sorted(reached, key=lambda s: (sum(places[s]) / len(places[s]), s)):
        model = story.model.scenes.get(scene) if story is not None else None
        goto = {c.id: c.goto for c in model.choices} if model is not None else {}
        options = tuple(
            Option(choice, text, taken[scene, choice], reached[scene],
                   leads_to=titles.get(goto[choice], goto[choice]) if choice in goto else "",
                   cost=(sum(costs[scene, choice]) / len(costs[scene, choice])
                         if costs[scene, choice] else None),
                   hands=hands[scene, choice] if scene in voted else None)
            for choice, text in words[scene].items())
        found.append(Decision(scene, titles.get(scene, _words(scene)), reached[scene], options,
                              (model.discuss or "") if model is not None else ""))
    return tuple(found)


def _common_path(runs: Sequence[Run], titles: Mapping[str, str]
                 ) -> tuple[tuple[PathPoint, ...], list[Run]]:
    """The answer most runs took at each step, among the runs that took the path so far;
    and the runs that followed it to the end."""
    group = list(runs)
    points: list[PathPoint] = []
    index = 0
    while True:
        here = Counter((r.steps[index].scene, r.steps[index].chosen)
                       for r in group if len(r.steps) > index)
        if not here:
            return tuple(points), group
        (scene, choice), count = here.most_common(1)[0]
        following = [r for r in group if len(r.steps) > index
                     and (r.steps[index].scene, r.steps[index].chosen) == (scene, choice)]
        text = following[0].steps[index].text or choice
        points.append(PathPoint(scene, titles.get(scene, _words(scene)), choice, text, count,
                                sum(here.values())))
        ended = [r for r in following if len(r.steps) == index + 1]
        group = following
        index += 1
        if ended and len(ended) * 2 > len(following):  # most of them stop here
            return tuple(points), ended


def _meters(runs: Sequence[Run], story: CompiledStory | None) -> tuple[MeterStat, ...]:
    names: dict[str, None] = {}
    for run in runs:
        names.update(dict.fromkeys(run.meters))
    found = []
    for name in names:
        values = [r.meters[name] for r in runs if name in r.meters]
        model = story.model.meters.get(name) if story is not None else None
        low, high = min(values), max(values)
        scale = (model.min, model.max) if model else (min(0, low), max(100, high))
        found.append(MeterStat(name, model.label if model else _words(name),
                               sum(values) / len(values), low, high, scale))
    return tuple(found)


def _workshop(run: Run, titles: Mapping[str, str]) -> WorkshopRun:
    rows = []
    for step in run.steps:
        if step.votes is None:
            continue
        texts = {o.id: o.text for o in step.offered}
        rows.append(VoteRow(titles.get(step.scene, _words(step.scene)), tuple(
            (texts.get(choice, choice), count, choice == step.chosen)
            for choice, count in step.votes.items())))
    return WorkshopRun(run.finished, run.player.class_code or "", run.outcome, run.score,
                       tuple(rows))


def _tags_taken(run: Run) -> set[str]:
    """The tags of every answer ``run`` gave (as offered at the time)."""
    tags: set[str] = set()
    for step in run.steps:
        for offered in step.offered:
            if offered.id == step.chosen:
                tags.update(offered.tags)
    return tags


def _group(tag: str) -> str:
    return next((heading for heading, tags in LESSON if tag in tags), OTHER_MOVES)


def _moves(runs: Sequence[Run], story: CompiledStory | None) -> tuple[Move, ...]:
    """How many runs made each kind of move at least once, in the lesson's order."""
    made: Counter[str] = Counter()
    for run in runs:
        made.update(_tags_taken(run))
    meanings = dict(story.model.tags) if story is not None else {}
    order = [tag for _, tags in LESSON for tag in tags]
    ranked = sorted(made, key=lambda t: (order.index(t) if t in order else len(order), t))
    return tuple(Move(tag, meanings.get(tag, _words(tag)), _group(tag), made[tag], len(runs))
                 for tag in ranked)


def _runs_with(runs: Sequence[Run]) -> dict[str, int]:
    """For each of the lesson's kinds, the runs that made at least one move of it."""
    groups: Counter[str] = Counter()
    for run in runs:
        groups.update({_group(tag) for tag in _tags_taken(run)})
    return {heading: groups[heading] for heading, _ in LESSON}
