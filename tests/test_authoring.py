"""Authoring tools: the story map, simulated players, assertions that catch a broken lesson."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.paths import stories_dir


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_dot_map_colours_endings_and_labels_edges(tiny_path: Path) -> None:
    code, out, _ = run("graph", str(tiny_path), "--format", "dot")
    assert code == 0 and out.startswith('digraph "tiny"')
    assert '"open" [fillcolor="#2e8b57"' in out and '"closed" [fillcolor="#c62828"' in out
    assert '"news" -> "open" [label="Thanks for letting me know. (+23)"]' in out


def test_scenes_are_tinted_by_the_best_outcome_still_ahead(write_story, tiny_path: Path) -> None:
    text = tiny_path.read_text().replace("        goto: closed\n", "        goto: sulk\n") + (
        "  sulk:\n    lines: [{maya: Right.}]\n    next: closed\n")
    code, out, _ = run("graph", str(write_story(text)), "--format", "dot")
    assert code == 0
    assert '"news" [fillcolor="#dff0e6"' in out  # the open door is still ahead
    assert '"sulk" [fillcolor="#f8dcdc"' in out  # only the closed door is
    code, out, _ = run("graph", str(write_story(text)), "--format", "mermaid")
    assert ':::ahead-closed' in out and ':::ahead-open' in out


def test_highlight_draws_a_run_over_the_map(tiny_path: Path, tmp_path: Path) -> None:
    _, record, _ = run("play", str(tiny_path), "--choices", "argue", "--json")
    run_file = tmp_path / "run.json"
    run_file.write_text(record)
    code, out, _ = run("graph", str(tiny_path), "--highlight", str(run_file))
    assert code == 0
    taken = next(line for line in out.splitlines() if '"news" -> "closed"' in line)
    assert "penwidth=3" in taken
    other = next(line for line in out.splitlines() if '"news" -> "open"' in line)
    assert "penwidth" not in other
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    code, _, err = run("graph", str(tiny_path), "--highlight", str(bad))
    assert code == 1 and "not a 'callback play --json' run record" in err


def test_mermaid_map(tiny_path: Path) -> None:
    code, out, _ = run("graph", str(tiny_path), "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart TD")
    assert '(["Open [open]"]):::open' in out


@pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("CALLBACK_REQUIRE_DOT"),
                    reason="Graphviz is not installed (CI sets CALLBACK_REQUIRE_DOT)")
def test_svg_map_renders_with_graphviz(tiny_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    code, _, err = run("graph", str(tiny_path), "--format", "svg", "-o", str(target))
    assert code == 0, err
    svg = target.read_text()
    assert svg.lstrip().startswith("<?xml") and "Thanks for letting me know." in svg


def test_missing_graphviz_says_what_to_install(tiny_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    code, _, err = run("graph", str(tiny_path), "--format", "png", "-o", str(tmp_path / "m.png"))
    assert code == 1
    assert "apt-get install graphviz" in err and "--format dot and --format mermaid" in err


def test_simulate_is_deterministic_and_reports_coverage(tiny_path: Path) -> None:
    first = json.loads(run("simulate", str(tiny_path), "--runs", "200", "--seed", "4",
                           "--json")[1])
    again = json.loads(run("simulate", str(tiny_path), "--runs", "200", "--seed", "4",
                           "--json")[1])
    for timing in ("playthroughs_per_second", "steps_per_second"):
        first.pop(timing)
        again.pop(timing)
    assert first == again
    assert sum(first["endings"].values()) == 200
    assert first["coverage"]["scenes"] == "3/3"
    best = json.loads(run("simulate", str(tiny_path), "--persona", "best", "--json")[1])
    assert best["endings"] == {"open": 1000} and best["coverage"]["scenes_never_visited"] == [
        "closed"]


def test_personas_from_a_file_and_unknown_personas(tiny_path: Path, tmp_path: Path) -> None:
    personas = tmp_path / "personas.yaml"
    personas.write_text("arguer: {argue: 1000}\n")
    code, out, _ = run("simulate", str(tiny_path), "--personas", str(personas),
                       "--persona", "arguer", "--runs", "100", "--json")
    assert code == 0 and json.loads(out)["endings"].get("closed", 0) > 90
    code, _, err = run("simulate", str(tiny_path), "--persona", "nobody")
    assert code == 2 and "unknown persona 'nobody'" in err


def test_breaking_the_flagship_lesson_fails_validate_with_a_counterexample(
        tmp_path: Path) -> None:
    shutil.copy(stories_dir() / "default.rubric.yaml", tmp_path)
    text = (stories_dir() / "rejection-call.yaml").read_text(encoding="utf-8")
    start = text.index("      - id: argue-decision")
    goto = text.index("goto: pushback", start)
    broken = text[:goto] + "goto: end-open" + text[goto + len("goto: pushback"):]
    path = tmp_path / "rejection-call.yaml"
    path.write_text(broken, encoding="utf-8")
    code, out, _ = run("validate", str(path))
    assert code == 1
    failure = next(line for line in out.splitlines() if "CB030" in line and "argue" in line)
    assert "a run after 'argue' ends open at 'end-open'" in failure
    assert "(counterexample: note-missing-point -> argue-decision)" in failure


def test_simulate_needs_at_least_one_run(tiny_path: Path) -> None:
    for runs in ("0", "-5"):
        code, out, err = run("simulate", str(tiny_path), "--runs", runs)
        assert (code, out) == (2, "")
        assert err == f"callback simulate: --runs must be at least 1 (got {runs})\n"


def test_simulate_text_lists_what_was_never_seen(tiny_path: Path) -> None:
    code, out, _ = run("simulate", str(tiny_path), "--persona", "best", "--runs", "10")
    assert code == 0
    assert "coverage: scenes 2/3, choices 1/2\n" in out
    assert "scenes never visited: closed\n" in out
    assert "choices never taken (scene/choice): news/argue\n" in out


def test_simulate_caps_the_list_of_choices_never_taken() -> None:
    story = str(stories_dir() / "the-callback.yaml")
    data = json.loads(run("simulate", story, "--persona", "best", "--runs", "3", "--json")[1])
    never = data["coverage"]["choices_never_taken"]
    assert len(never) > 25
    out = run("simulate", story, "--persona", "best", "--runs", "3")[1]
    line = next(x for x in out.splitlines() if x.startswith("choices never taken"))
    assert line.endswith(f"{never[19]} and {len(never) - 20} more")
    assert line.count(", ") == 19


def test_simulate_scene_coverage_agrees_with_its_list() -> None:
    from game.analysis.load import load_story

    path = stories_dir() / "the-callback.yaml"
    story = load_story(path, analyse=False).story
    assert story is not None
    routes = {sid for sid, scene in story.scenes.items() if scene.route}
    assert routes, "this check needs a story with route scenes"
    data = json.loads(run("simulate", str(path), "--runs", "50", "--json")[1])
    seen, total = map(int, data["coverage"]["scenes"].split("/"))
    never = data["coverage"]["scenes_never_visited"]
    assert total == len(story.scenes) - len(routes) and total - seen == len(never)
    assert not routes & set(never)
    out = run("simulate", str(path), "--runs", "50")[1]
    assert f"(not counting {len(routes)} route scenes)" in out


def test_personas_file_with_an_unknown_tag_is_located(tiny_path: Path, tmp_path: Path) -> None:
    personas = tmp_path / "personas.yaml"
    personas.write_text("polite:\n  thank: 5\n  thnak: 3\n")
    code, out, err = run("simulate", str(tiny_path), "--personas", str(personas),
                         "--persona", "polite")
    assert (code, out) == (1, "")
    assert err == (f"{personas}:3:3: error CB015: persona 'polite' uses unknown tag 'thnak' "
                   "(did you mean 'thank'?)\n")
