"""``callback report``: the figures equal the records, bad input is a message, names stay out.

The page itself is opened in a real headless Chromium in ``test_report_browser.py``.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from report_class import flagship, play_class, record

from game.classroom.records import read_run
from game.classroom.report import build_report
from game.classroom.report_model import StoryAtHand
from game.classroom.store import open_store
from game.classroom.workshop import best_path
from game.cli import main
from game.story.model import Outcome


def report(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", *argv], out=out, err=err, inp=io.StringIO())
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def class_db(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    db = tmp_path / "class.db"
    return db, play_class(db)


def test_the_report_counts_exactly_what_the_records_say(class_db) -> None:
    db, records = class_db
    with open_store(str(db)) as store:
        runs = store.runs()
    story, sha256 = flagship()
    built = build_report(runs, {"rejection-call": StoryAtHand(sha256, story)},
                         best_path=best_path)
    (section,) = built.sections
    assert built.runs == section.runs == len(records) == 31
    assert section.current
    assert {door.value: n for door, n in section.doors.items()} == {
        door.value: sum(r["outcome"] == door.value for r in records) for door in Outcome}
    assert sorted(section.scores) == sorted(r["score"] for r in records)
    reached = Counter(s["scene"] for r in records for s in r["steps"])
    taken = Counter((s["scene"], s["chosen"]) for r in records for s in r["steps"])
    for decision in section.decisions:
        assert decision.reached == reached[decision.scene]
        for option in decision.options:
            assert option.count == taken[decision.scene, option.choice]
        assert sum(o.count for o in decision.options) == decision.reached
    assert {d.scene for d in section.decisions} == set(reached)
    for meter in section.meters:
        values = [r["meters"][meter.name] for r in records]
        assert meter.mean == pytest.approx(sum(values) / len(values))
        assert (meter.low, meter.high) == (min(values), max(values))
    first = section.common[0]
    assert (first.runs, first.of) == (max(n for (scene, _), n in taken.items()
                                          if scene == "prologue"), 31)
    assert section.best and section.best[0].scene == "prologue"
    (workshop,) = section.workshops
    hands = [sum(s["votes"].values()) for s in records[-1]["steps"]]
    assert [row.total for row in workshop.votes] == hands
    assert 2 <= len(section.questions) <= 5
    chosen_tags = [{t for s in r["steps"] for o in s["offered"] if o["id"] == s["chosen"]
                    for t in o["tags"]} for r in records]
    for move in section.moves:
        assert move.runs == sum(move.tag in tags for tags in chosen_tags), move.tag
    assert section.runs_with["Closes it"] == sum(
        bool(tags & {"argue", "hang-up", "demand-reasons", "disparage", "silence"})
        for tags in chosen_tags)


def test_questions_quote_the_class_numbers(class_db) -> None:
    db, records = class_db
    with open_store(str(db)) as store:
        runs = store.runs()
    story, sha256 = flagship()
    (section,) = build_report(runs, {"rejection-call": StoryAtHand(sha256, story)},
                              best_path=best_path).sections
    low = sum(r["outcome"] in ("closed", "shut") for r in records)
    assert f"{low} of 31 runs" in section.questions[-1]
    costly = section.questions[0]
    found = re.match(r"(\d+)% of the runs that reached “(.+?)” \((\d+) of (\d+)\)", costly)
    assert found, costly
    decision = next(d for d in section.decisions if d.title == found[2])
    assert int(found[4]) == decision.reached
    assert int(found[3]) in {o.count for o in decision.options}


def test_the_command_writes_one_page_with_no_names_unless_asked(class_db, tmp_path) -> None:
    db, records = class_db
    page = tmp_path / "report.html"
    code, out, err = report("--results", str(db), "-o", str(page))
    assert code == 0, err
    assert out == f"Wrote {page}: 31 runs of rejection-call (31)\n"
    html = page.read_text(encoding="utf-8")
    assert "Student 0" not in html and "Players (facilitator only)" not in html
    # one self-contained file: nothing to fetch, no script
    assert not re.search(r"<script|<link|<img|<iframe|@import|src=", html)
    assert re.findall(r"url\(([^)]*)\)", html) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", html)

    named = tmp_path / "named.html"
    code, _, err = report("--results", str(db), "--names", "-o", str(named))
    assert code == 0 and "names the players" in err
    html = named.read_text(encoding="utf-8")
    assert "For the facilitator only" in html
    table = html[html.index('id="players"'):]
    names = re.findall(r"<tr><td>(Student \d\d|\(anonymous\))</td>", table)
    assert names == sorted(names) and len(names) == 31, "sorted by name, never by score"


def test_a_name_is_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    story, sha256 = flagship()
    sly = record(story, sha256, 4, name="<script>alert('hi')</script> & Ana", class_code="<b>")
    db = tmp_path / "class.db"
    with open_store(str(db)) as store:
        store.add(read_run(sly))
    page = tmp_path / "named.html"
    assert report("--results", str(db), "--names", "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; Ana" in html


def test_export_files_report_the_same_runs_and_filters_apply(class_db, tmp_path) -> None:
    db, records = class_db
    exported = tmp_path / "machine-1.json"
    assert main(["results", "export", "--results", str(db), "--format", "json", "-o",
                 str(exported)], out=io.StringIO(), err=io.StringIO()) == 0
    page = tmp_path / "from-files.html"
    code, out, err = report(str(exported), str(exported), "--since", "2026-12-03",
                            "-o", str(page))
    assert code == 0, err
    later = sum(r["finished"] >= "2026-12-03" for r in records)
    assert out.startswith(f"Wrote {page}: {later} runs"), "each run once, on or after the date"


def test_bad_input_is_a_message_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    missing = tmp_path / "none.db"
    code, _, err = report("--results", str(missing), "-o", str(page))
    assert code == 1 and "no results database here yet" in err and not missing.exists()

    empty = tmp_path / "empty.db"
    with open_store(str(empty)):
        pass
    code, _, err = report("--results", str(empty), "-o", str(page))
    assert (code, err) == (1, f"callback: {empty}: no runs stored yet, so there is nothing to "
                              "report\n")

    play_class(empty, 4)
    code, _, err = report("--results", str(empty), "--story", "the-callback", "-o", str(page))
    assert code == 1
    assert "no runs of story 'the-callback'" in err and "rejection-call (5)" in err

    broken = tmp_path / "broken.json"
    broken.write_text('[\n{"id": "x"}\n]\n', encoding="utf-8")
    code, _, err = report(str(broken), "-o", str(page))
    assert code == 1 and err.startswith(f"callback: {broken}:2: not a run record")

    spreadsheet = tmp_path / "class.csv"
    assert main(["results", "export", "--results", str(empty), "--format", "csv", "-o",
                 str(spreadsheet)], out=io.StringIO(), err=io.StringIO()) == 0
    code, _, err = report(str(spreadsheet), "-o", str(page))
    assert code == 1 and "is a CSV export, which is for spreadsheets" in err

    code, _, err = report(str(broken), "--results", str(empty))
    assert code == 2 and "not both" in err
    code, _, err = report("--results", str(empty), "--until", "Friday")
    assert code == 2 and "'Friday' is not a date" in err
    assert not page.exists()


def test_runs_of_a_changed_story_file_get_their_own_marked_section(tmp_path: Path) -> None:
    story, sha256 = flagship()
    now = [record(story, sha256, seed) for seed in range(6)]
    before = []
    for seed in range(6, 10):  # the file as it was: one answer had another id then
        old = record(story, sha256, seed)
        old["story"] = {**old["story"], "version": "0.9", "sha256": "0" * 64}
        old["steps"][0] = {**old["steps"][0], "chosen": "old-answer"}
        before.append(old)
    db = tmp_path / "class.db"
    with open_store(str(db)) as store:
        store.add_all(read_run(r) for r in now + before)
    page = tmp_path / "report.html"
    code, _, err = report("--results", str(db), "-o", str(page))
    assert code == 0, err
    assert "played on 2 versions of its file" in err
    html = page.read_text(encoding="utf-8")
    sections = re.split(r'<section class="story"', html)[1:]
    assert len(sections) == 2
    old, new = sorted(sections, key=lambda s: "0" * 64 not in s)
    assert "Reported from the runs alone" in old and 'class="map"' not in old
    assert re.search(r'data-fact="section-runs">4<', old)
    assert re.search(r'data-fact="section-runs">6<', new)
    assert 'data-choice="old-answer"' in old and 'data-choice="old-answer"' not in new


def test_a_story_not_at_hand_is_reported_from_its_runs(tmp_path: Path) -> None:
    story, sha256 = flagship()
    stray = record(story, sha256, 3)
    stray["story"] = {"id": "our-own-story", "title": "Our own story", "version": "2",
                      "sha256": "1" * 64}
    silent = {**record(story, sha256, 5), "steps": [],
              "story": {"id": "no-choices", "title": "Only a message", "sha256": "2" * 64}}
    exported = tmp_path / "runs.json"
    exported.write_text(json.dumps([stray, silent]), encoding="utf-8")
    page = tmp_path / "report.html"
    code, _, err = report(str(exported), "-o", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "The story file of “Our own story” (our-own-story) was not found" in html
    assert "Reported from the runs alone" in html and "Each decision" in html
    only = html[html.index('data-story="no-choices"'):].split("</section>")[0]
    assert "How the doors ended" in only and "Each decision" not in only


def test_without_graphviz_the_page_says_so_and_keeps_the_shares(
        class_db, tmp_path, monkeypatch) -> None:
    import game.authoring.graph as graph

    db, _ = class_db
    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    page = tmp_path / "report.html"
    assert report("--results", str(db), "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "The map needs Graphviz" in html and 'class="map"' not in html
    assert html.count('data-fact="percent"') >= 20


def test_a_graphviz_that_fails_is_a_line_on_the_page(class_db, tmp_path, monkeypatch) -> None:
    import subprocess

    import game.authoring.graph as graph

    def stuck(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("dot", 120)

    db, _ = class_db
    monkeypatch.setattr(graph.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(graph.subprocess, "run", stuck)
    page = tmp_path / "report.html"
    assert report("--results", str(db), "-o", str(page))[0] == 0
    assert "The map could not be drawn (dot took more than two minutes" in page.read_text(
        encoding="utf-8")


def test_with_graphviz_the_map_is_drawn_with_the_shares(class_db, tmp_path) -> None:
    import shutil

    if shutil.which("dot") is None:
        import os

        if os.environ.get("CALLBACK_REQUIRE_DOT"):
            pytest.fail("Graphviz's dot is required here (CALLBACK_REQUIRE_DOT)")
        pytest.skip("Graphviz is not installed")
    db, records = class_db
    page = tmp_path / "report.html"
    assert report("--results", str(db), "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<svg class="map" role="img"') == 1
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    taken = sum(s["chosen"] == "keep-door-open" for r in records for s in r["steps"])
    assert f"{taken} of 31 · " in html, "the arrow is labelled with its share"


def test_a_campaign_is_reported_story_by_story_in_campaign_order(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    for seed in (1, 2):
        code = main(["play", "--campaign", "--text", "--auto", "random", "--seed", str(seed),
                     "--results", str(db), "--class", "12C"],
                    out=io.StringIO(), err=io.StringIO(), inp=io.StringIO())
        assert code == 0
    with open_store(str(db)) as store:
        stored = Counter(run.story.id for run in store.runs())
    page = tmp_path / "report.html"
    code, out, _ = report("--results", str(db), "-o", str(page))
    assert code == 0
    html = page.read_text(encoding="utf-8")
    order = re.findall(r'<section class="story" id="[^"]*" data-story="([^"]+)"', html)
    assert order[0] == "rejection-call" and set(order) == set(stored) and len(order) == len(stored)
    for story_id, count in stored.items():
        section = html[html.index(f'data-story="{story_id}"'):]
        assert re.match(r'.*?data-fact="section-runs">(\d+)<', section, re.S)[1] == str(count)
    assert f"runs of {len(stored)} stories" in html
    assert "“\"" not in html and "\"”" not in html, "speech marks in a story are not doubled"
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id once, though the page holds several maps"
