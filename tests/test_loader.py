"""The loader: unreadable files, hostile YAML, all problems at once, exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.checks import check_states
from game.analysis.load import load_story
from game.story.source import SourceMap


def _codes(path: Path) -> list[str]:
    return [d.code for d in load_story(path).diagnostics]


def test_missing_file_is_a_located_cb002(tmp_path: Path) -> None:
    result = load_story(tmp_path / "nope.yaml")
    assert [d.format() for d in result.diagnostics] == [
        f"{tmp_path / 'nope.yaml'}: error CB002: no such file "
        "(check the path; stories are UTF-8 text files ending in .yaml)"
    ]


def test_directory_is_refused(tmp_path: Path) -> None:
    assert _codes(tmp_path) == ["CB002"]


def test_non_utf8_points_at_the_bad_byte(write_story) -> None:
    path = write_story("id: x\ntitle: caf\xe9\n")
    path.write_bytes(b"id: x\ntitle: caf\xe9\n")
    (diag,) = load_story(path).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB002", 2, 11)
    assert "0xe9" in diag.message and diag.hint == "save it as UTF-8"


def test_utf16_and_binary_are_refused(write_story) -> None:
    path = write_story("")
    path.write_bytes("id: x\n".encode("utf-16"))
    assert "UTF-16" in load_story(path).diagnostics[0].message
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "binary" in load_story(path).diagnostics[0].message


def test_empty_comment_only_and_top_level_list(write_story) -> None:
    assert _codes(write_story("")) == ["CB003"]
    assert _codes(write_story("# just a comment\n")) == ["CB003"]
    diag = load_story(write_story("- a\n- b\n")).diagnostics[0]
    assert diag.code == "CB003" and "top level must be a mapping" in diag.message


def test_size_cap_is_configurable(write_story, monkeypatch) -> None:
    path = write_story("id: x\n" + "# padding\n" * 100)
    monkeypatch.setenv("CALLBACK_MAX_STORY_BYTES", "100")
    diag = load_story(path).diagnostics[0]
    assert diag.code == "CB002" and "larger than 100 bytes" in diag.message


def test_python_tags_never_construct_anything(write_story, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"id: !!python/object/apply:os.system ['touch {marker}']\ntitle: x\n"
    result = load_story(write_story(text))
    assert not marker.exists()
    assert any("tag" in d.message and d.code == "CB003" for d in result.diagnostics)


def test_merge_keys_are_refused(write_story) -> None:
    text = "base: &b {label: X}\nid: x\nmeters:\n  a:\n    <<: *b\n"
    diags = load_story(write_story(text)).diagnostics
    assert any(d.code == "CB004" and "merge keys" in d.message for d in diags)


def test_typo_and_missing_target_are_both_reported_with_suggestions(tiny_path, write_story):
    text = tiny_path.read_text().replace("goto: closed", "goto: clsoed")
    text = text.replace("        feedback: Thanking", "        feedbak: Thanking")
    path = write_story(text)
    lines = [d.format() for d in load_story(path).diagnostics]
    assert f"{path}:24:9: error CB004: unknown key 'feedbak' (did you mean 'feedback'?)" in lines
    assert any(
        "CB010: choice goes to 'clsoed', which is not a scene (did you mean 'closed'?)" in line
        for line in lines
    )


def test_misspelt_goto_is_one_error_and_other_targets_are_still_checked(tiny_path, write_story):
    text = tiny_path.read_text().replace("goto: open", "gotoo: open")
    path = write_story(text.replace("goto: closed", "goto: clsoed"))
    lines = [d.format() for d in load_story(path).diagnostics]
    assert lines == [
        f"{path}:22:9: error CB004: unknown key 'gotoo' (did you mean 'goto'?)",
        f"{path}:28:15: error CB010: choice goes to 'clsoed', which is not a scene "
        "(did you mean 'closed'?)",
    ]


def test_a_line_written_as_a_mapping_says_how_lines_look(tiny_path, write_story) -> None:
    text = tiny_path.read_text().replace(
        "- maya: Sorry, we went with someone else.",
        "- {speaker: maya, text: Sorry, we went with someone else.}")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.location.line, diag.location.col) == (18, 9)
    assert "a line is one 'speaker: text' pair" in diag.message


def test_a_numeric_version_is_read_as_text(tiny_path, write_story) -> None:
    result = load_story(write_story(tiny_path.read_text() + "version: 2\n"))
    assert result.story is not None and result.story.version == "2"


def test_diagnostics_are_sorted_by_position(tiny_path, write_story) -> None:
    text = tiny_path.read_text().replace("goto: closed", "goto: nowhere")
    text = text.replace("goto: open", "goto: elsewhere")
    diags = load_story(write_story(text)).diagnostics
    assert [d.location.line for d in diags] == sorted(d.location.line for d in diags)
    assert len(diags) == 2


def test_state_space_limit_gives_cb031(tiny_path) -> None:
    result = load_story(tiny_path)
    assert result.compiled is not None
    found = check_states(result.compiled, SourceMap(str(tiny_path)), limit=1)
    assert [d.code for d in found] == ["CB031"]


def test_rubric_files_are_validated_as_rubrics(write_story) -> None:
    from game.story.loader import load_rubric

    good = write_story("rubric: mine\ntags: {argue: x}\npersonas: {a: {argue: 3}}\n",
                       "mine.rubric.yaml")
    assert load_rubric(good).diagnostics == []
    bad = write_story("rubric: mine\ntags: {argue: x}\npersonas: {a: {argu: 3}}\n",
                      "bad.rubric.yaml")
    (diag,) = load_rubric(bad).diagnostics
    assert (diag.code, diag.location.line, diag.location.col, diag.hint) == (
        "CB015", 3, 16, "did you mean 'argue'?")


# --- effects and conditions: one clear, located error per mistake ----------------------

_EFFECT_HINT = "a meter effect is a whole number such as 20 or -10; a flag effect is true or false"


def _tiny_with(tiny_path: Path, old: str, new: str) -> str:
    text = tiny_path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _with_if(tiny_path: Path, condition: str) -> str:
    """The tiny story with ``if: condition`` on its first choice (line 23, column 13)."""
    goto = "        goto: open\n"
    return _tiny_with(tiny_path, goto, f"{goto}        if: {condition}\n")


def test_a_quoted_number_as_a_meter_effect_is_an_error(tiny_path, write_story) -> None:
    text = _tiny_with(tiny_path, "effects: {door: 30,", 'effects: {door: "30",')
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB013", 23, 25)
    assert diag.message == "'door' is a meter: give a whole number, not the text '30'"
    assert diag.hint == f"remove the quotes; {_EFFECT_HINT}"


def test_quoted_numbers_in_meters_and_flags_are_errors_not_converted(tiny_path,
                                                                      write_story) -> None:
    text = _tiny_with(tiny_path, "door: {label: Door, weight: 2}",
                      'door: {label: Door, weight: "2", start: "50"}')
    text = text.replace("argued: {help: Argued with the decision.}",
                        'argued: {help: Argued with the decision., max_score: "40"}')
    found = [(d.code, d.location.line, d.message) for d in load_story(write_story(text)).errors]
    assert found == [("CB003", 10, "expected a number, got '2'"),
                     ("CB003", 10, "expected a whole number, got '50'"),
                     ("CB003", 12, "expected a whole number, got '40'")]


def test_a_fractional_effect_is_one_error_not_two(tiny_path, write_story) -> None:
    text = _tiny_with(tiny_path, "effects: {door: 30,", "effects: {door: 20.5,")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB013", 23, 25)
    assert diag.message == "'door' is a meter: give a whole number, not 20.5"
    assert diag.hint == _EFFECT_HINT


def test_a_quoted_flag_effect_and_an_undeclared_name(tiny_path, write_story) -> None:
    text = _tiny_with(tiny_path, "argued: true}", "argued: 'true'}")
    (diag,) = load_story(write_story(text)).diagnostics
    assert diag.code == "CB013" and diag.message.startswith("'argued' is a flag: give true or")
    text = _tiny_with(tiny_path, "effects: {door: 30,", "effects: {mood: high, door: 30,")
    codes = {(d.code, d.message) for d in load_story(write_story(text)).diagnostics}
    assert ("CB013", "effect 'mood' must be a whole number or true/false, not the text "
            "'high'") in codes


def test_true_and_false_are_conditions(tiny_path, write_story) -> None:
    for value in ("true", "false", "'true'"):
        text = _with_if(tiny_path, value)
        result = load_story(write_story(text), analyse=False)
        assert result.diagnostics == [], [d.format() for d in result.diagnostics]
        assert result.story is not None
        assert result.story.scenes["news"].choices[0].condition == value.strip("'")


def test_a_meter_alone_is_not_a_condition_but_a_flag_is(tiny_path, write_story) -> None:
    text = _with_if(tiny_path, "composure")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB012", 23, 13)
    assert "'composure' is a meter (a number)" in diag.message
    assert diag.hint == "compare it: composure >= 50"
    text = _with_if(tiny_path, "not argued")
    assert load_story(write_story(text)).story is not None
    text = _with_if(tiny_path, "argued")
    assert [d.code for d in load_story(write_story(text)).diagnostics if d.code < "CB020"] == []


def test_a_meter_beside_and_is_named_in_the_hint(tiny_path, write_story) -> None:
    text = _with_if(tiny_path, "argued and door")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.col, diag.hint) == ("CB012", 24, "compare it: door >= 50")


def test_a_number_too_large_in_a_condition_says_so(tiny_path, write_story) -> None:
    text = _with_if(tiny_path, "composure > 99999999999999999999")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB012", 23, 25)
    assert diag.message == "bad condition: the number 99999999999999999999 is too large"
    assert diag.hint == "compare with a number in the meter's range, such as 50"


def test_a_wrong_type_says_how_to_write_the_right_one(tiny_path, write_story) -> None:
    text = _tiny_with(tiny_path, "title: Tiny", "title: yes")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.message, diag.hint) == (
        "CB003", "expected text, got True", "put the text in quotes")


def test_an_unknown_key_without_a_close_match_lists_the_keys(tiny_path, write_story) -> None:
    text = _tiny_with(tiny_path, "        feedback: Thanking",
                      "        zzz: 1\n        feedback: Thanking")
    (diag,) = load_story(write_story(text)).diagnostics
    assert diag.code == "CB004" and diag.hint.startswith("the keys here are id, text, goto, ")


def test_a_bad_scene_id_is_named_once_and_a_key_written_as_key_in_brackets_is_a_key(
        write_story) -> None:
    top = "id: x\ntitle: T\ncast: {you: {name: Y}}\nstart: a\n"
    text = top + ("scenes:\n  'Bad Id': {ending: {title: E, outcome: open, epilogue: x}}\n"
                  "  a: {next: 'Bad Id'}\n")
    found = [(d.code, d.location.line, d.message) for d in load_story(write_story(text)).errors]
    assert found[0] == ("CB008", 6, "'Bad Id' is not a valid name")
    # pydantic marks errors in a mapping's keys with '[key]': a key really written so is
    # still just an unknown key (this used to crash the loader)
    (first, *_) = load_story(write_story("'[key]': null\n")).errors
    assert (first.code, first.location.line, first.message) == ("CB004", 1, "unknown key '[key]'")


THREE_SCENES = """\
id: three
title: Three scenes
cast:
  you: {name: Alex}
  maya: {name: Maya}
meters:
  door: {label: Door}
start: news
scenes:
  news:
    lines:
      - maya: Sorry, we went with someone else.
    chocies:
      - id: thank
        text: Thanks for telling me.
        goto: later
        feedback: Thanking them keeps the door open.
  later:
    lines:
      - maya: Anything else?
    choices:
      - id: ask
        text: Can we keep in touch?
        goto: nowhere
        feedback: Asking when to keep in touch keeps it open.
  chase:
    choices:
      - id: daily
        text: I'll email every day.
        goto: end
        effects: {keenness: 5}
        feedback: Chasing people spoils a good start.
  end:
    ending: {title: The door stays open, outcome: open, epilogue: Months later she calls.}
"""


def test_a_misspelt_key_in_one_scene_hides_no_error_in_the_others(write_story) -> None:
    path = write_story(THREE_SCENES)
    lines = [d.format() for d in load_story(path).diagnostics]
    assert lines == [
        f"{path}:13:5: error CB004: unknown key 'chocies' (did you mean 'choices'?)",
        f"{path}:24:15: error CB010: choice goes to 'nowhere', which is not a scene "
        "(check the spelling against the scene ids, or add the scene)",
        f"{path}:31:19: error CB011: effect on 'keenness' is not a meter or flag "
        "(declare it under 'meters:', 'flags:' or 'cast:', or check its spelling)",
    ]


def _three_with(*edits: tuple[str, str]) -> str:
    text = THREE_SCENES
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return text


NEWS_TYPO, NOWHERE, KEENNESS = ("CB004", 13), ("CB010", 24), ("CB011", 31)


@pytest.mark.parametrize(("edits", "expected"), [
    # A meter with a bad value is reported once; an effect on it is not reported again.
    ([("door: {label: Door}", 'door: {label: Door, start: "50"}'), ("keenness", "door")],
     [("CB003", 7), NEWS_TYPO, NOWHERE]),
    ([("door: {label: Door}", "door: {label: Door, min: 10, max: 5}"), ("keenness", "door")],
     [("CB008", 7), NEWS_TYPO, NOWHERE]),
    # No cast: one error, not one per line spoken.
    ([("cast:\n  you: {name: Alex}\n  maya: {name: Maya}\n", "")],
     [("CB005", 1), ("CB004", 10), ("CB010", 21), ("CB011", 28)]),
    # A misspelt section is read as the section it stands for.
    ([("meters:", "meter:")], [("CB004", 6), NEWS_TYPO, NOWHERE, KEENNESS]),
    # A scene with two kinds is one error; the scenes that lead to it are fine.
    ([("    ending: {title", "    next: news\n    ending: {title")],
     [NEWS_TYPO, NOWHERE, KEENNESS, ("CB008", 34)]),
    # A wrong value in one choice, a line written wrongly in another scene.
    ([("        goto: end\n", "        goto: end\n        if: 5\n")],
     [NEWS_TYPO, NOWHERE, ("CB003", 31), ("CB011", 32)]),
    ([("- maya: Anything else?", "- {speaker: maya, text: hi}")],
     [NEWS_TYPO, ("CB008", 20), NOWHERE, KEENNESS]),
])
def test_every_error_is_reported_once_at_its_own_line(write_story, edits, expected) -> None:
    found = load_story(write_story(_three_with(*edits))).diagnostics
    assert [(d.code, d.location.line) for d in found] == expected


def test_errors_inside_a_misspelt_list_are_still_found(write_story) -> None:
    text = _three_with(("goto: later", "goto: latter"))
    found = load_story(write_story(text)).diagnostics
    assert [(d.code, d.location.line) for d in found] == [
        NEWS_TYPO, ("CB010", 16), NOWHERE, KEENNESS]
    assert "did you mean 'later'?" in found[1].hint


def test_a_removed_choice_does_not_move_the_next_choices_errors(write_story) -> None:
    text = _three_with(("      - id: ask\n", "      - id: Ask Me\n        text: Hm.\n"
                        "        goto: end\n        feedback: Hm.\n      - id: ask\n"))
    found = load_story(write_story(text)).diagnostics
    assert [(d.code, d.location.line, d.location.col) for d in found] == [
        ("CB004", 13, 5), ("CB008", 22, 13), ("CB010", 28, 15), ("CB011", 35, 19)]


def test_keys_misspelt_inside_a_misspelt_key_are_reported_too(write_story) -> None:
    text = _three_with(("        feedback: Thanking", "        feedbak: Thanking"))
    found = load_story(write_story(text)).diagnostics
    assert [(d.code, d.location.line, d.hint) for d in found][:2] == [
        ("CB004", 13, "did you mean 'choices'?"), ("CB004", 17, "did you mean 'feedback'?")]


STORIES = Path(__file__).resolve().parent.parent / "stories"


def test_a_story_copied_to_a_folder_of_its_own_finds_the_built_in_rubric(tmp_path) -> None:
    copy = tmp_path / "my-stories" / "rejection-call.yaml"
    copy.parent.mkdir()
    copy.write_text((STORIES / "rejection-call.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = load_story(copy)
    assert result.errors == [] and result.story is not None
    assert "door" in result.story.meters  # a meter of the default rubric's


def test_a_rubric_beside_the_story_is_used_instead_of_the_built_in_one(tmp_path) -> None:
    copy = tmp_path / "rejection-call.yaml"
    copy.write_text((STORIES / "rejection-call.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    rubric = (STORIES / "default.rubric.yaml").read_text(encoding="utf-8")
    assert "  door: {" in rubric or "  door:\n" in rubric
    mine = tmp_path / "default.rubric.yaml"
    mine.write_text(rubric.replace("Door", "Open door", 1), encoding="utf-8")
    result = load_story(copy)
    assert result.story is not None and result.story.meters["door"].label == "Open door"


def test_a_rubric_neither_beside_nor_built_in_is_one_error_at_its_line(tiny_path,
                                                                      write_story) -> None:
    text = tiny_path.read_text().replace("start: news", "rubric: defualt.rubric.yaml\nstart: news")
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col) == ("CB014", 14, 9)
    assert diag.message == "rubric 'defualt.rubric.yaml' is neither beside the story nor built in"
    assert "'default.rubric.yaml'" in diag.hint


def test_importing_more_flags_than_the_checks_start_from_gives_cb031(write_story) -> None:
    names = [f"flag_{i}" for i in range(9)]
    text = (
        "id: many\ntitle: Many\ncast: {you: {name: You}}\n"
        f"flags: {{{', '.join(f'{n}: {{help: x}}' for n in names)}}}\n"
        f"campaign: {{order: 1, imports: [{', '.join(names)}]}}\n"
        "start: end\nscenes:\n"
        "  end: {ending: {title: End, outcome: shut, time_skip: Later..., epilogue: x}}\n"
    )
    found = load_story(write_story(text)).diagnostics
    (partial,) = [d for d in found if d.code == "CB031"]
    assert "9 imported flags make 512 possible starts" in partial.message
    assert "only the first 256 are checked" in partial.message
    assert partial.location.line == 5  # the campaign's imports
    assert partial.hint == "import at most 8 flags"
