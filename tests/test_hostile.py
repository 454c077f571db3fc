"""Hostile story files: each refused with its exact, located diagnostic, never a crash.

Every case runs through ``load_story`` and through ``callback validate`` (exit 1, one
output line per problem, never a traceback). The corpus lives in
``tests/fixtures/hostile/``; inputs too big or too odd to commit (100,000-deep
nesting, a file over the size cap, a FIFO, a symlink loop, an unreadable file) are
built here in a temporary folder. Cases that could crash the interpreter itself (deep
nesting: libyaml builds without their own limit segfault on it) run the CLI in a
subprocess first, so a segfault fails the test instead of killing pytest.

``MARKER`` in a fixture is replaced by a path in the temporary folder: a file that
would exist if any python tag were ever constructed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from game.analysis.load import load_story
from game.cli import main
from game.story import reader, source

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
DEEP = 100_000

Expected = list[tuple[str, int, int, str]]
"""Every diagnostic, in order: (code, line, col, a fragment of the message)."""

_NOT_FINITE = "is not a finite number"
_REFUSED_TAG = "the tag 'tag:yaml.org,2002:{}' is not allowed"
_OUTSIDE = "is not a file in the story's folder"
_LAUGHS = "aliases add more than 100,000 values to the file"

FIXTURES: dict[str, Expected] = {
    # Aliases: refused before expanding, at the alias that would go past the limit.
    "billion-laughs.yaml": [("CB001", 8, 14, _LAUGHS)],
    "laughs-in-a-story.yaml": [("CB001", 13, 13, _LAUGHS)],
    # Merge keys are refused where they stand, so a merge bomb never expands.
    "merge-key.yaml": [
        ("CB005", 10, 3, "missing required key 'label'"),
        ("CB004", 11, 5, "merge keys ('<<') are not supported"),
    ],
    "merge-bomb.yaml": [
        ("CB004", 2, 1, "unknown key 'b0'"),
        ("CB005", 2, 1, "missing required key 'id'"),
        *[
            item
            for level in range(1, 10)
            for item in [
                ("CB004", 2 * level + 1, 1, f"unknown key 'b{level}'"),
                ("CB004", 2 * level + 2, 3, "merge keys ('<<') are not supported"),
            ]
        ],
    ],
    # Values PyYAML cannot construct, or constructs into something no story can use.
    # a date is just text to an author; where a number is wanted it is a plain type error
    "impossible-date.yaml": [("CB003", 4, 10, "expected a whole number, got '2024-02-30'")],
    "nan-weight.yaml": [("CB008", 10, 31, f"'.nan' {_NOT_FINITE}")],
    "inf-weight.yaml": [("CB008", 10, 31, f"'.inf' {_NOT_FINITE}")],
    "overflow-float.yaml": [("CB008", 10, 31, f"'1.0e+400' {_NOT_FINITE}")],
    "inf-persona.yaml": [
        ("CB008", 14, 26, f"'.inf' {_NOT_FINITE}"),
        ("CB008", 14, 39, f"'-.inf' {_NOT_FINITE}"),
    ],
    "nan-condition.yaml": [("CB008", 23, 13, f"'.nan' {_NOT_FINITE}")],
    "wide-meter.yaml": [("CB008", 10, 39, "meter 'door' spans more than 1,000 values")],
    "huge-effect.yaml": [("CB008", 23, 25, "effect 'door' changes a meter by more than 1,000")],
    "unreadable-int.yaml": [
        ("CB003", 23, 25, "'0x_' is not a valid whole number"),
        ("CB003", 23, 41, "'' is not a valid whole number"),
    ],
    "unreadable-float.yaml": [("CB003", 10, 31, "'' is not a valid number")],
    "unreadable-bool.yaml": [("CB003", 12, 54, "'maybe' is not a valid true/false value")],
    # Tags that would run code in an unsafe loader: refused, never constructed.
    "python-object-apply.yaml": [
        ("CB003", 3, 8, _REFUSED_TAG.format("python/object/apply:os.system")),
    ],
    "python-tag-directive.yaml": [
        ("CB004", 3, 1, "unknown key 'a'"),
        ("CB005", 3, 1, "missing required key 'id'"),
        ("CB003", 3, 4, _REFUSED_TAG.format("python/object/apply:os.system")),
    ],
    "python-tags.yaml": [
        ("CB004", 2, 1, "unknown key 'a'"),
        ("CB005", 2, 1, "missing required key 'id'"),
        ("CB003", 2, 4, _REFUSED_TAG.format("python/object/apply:os.system")),
        ("CB004", 3, 1, "unknown key 'b'"),
        ("CB003", 3, 4, _REFUSED_TAG.format("python/object/new:subprocess.check_output")),
        ("CB004", 4, 1, "unknown key 'c'"),
        ("CB003", 4, 4, _REFUSED_TAG.format("python/name:os.system")),
        ("CB004", 5, 1, "unknown key 'd'"),
        ("CB003", 5, 4, _REFUSED_TAG.format("python/module:os")),
        ("CB004", 6, 1, "unknown key 'e'"),
        ("CB003", 6, 4, _REFUSED_TAG.format("python/object:builtins.object")),
        ("CB004", 7, 1, "unknown key 'f'"),
        ("CB003", 7, 4, _REFUSED_TAG.format("python/tuple")),
        ("CB004", 8, 1, "unknown key 'g'"),
        ("CB003", 8, 4, "the tag '!custom' is not allowed"),
        ("CB004", 9, 1, "unknown key 'h'"),
        ("CB003", 9, 4, _REFUSED_TAG.format("binary")),
        ("CB004", 10, 1, "unknown key 'i'"),
        ("CB003", 10, 4, _REFUSED_TAG.format("set")),
    ],
    # Conditions: bounded length and depth, no Python.
    "long-condition.yaml": [("CB012", 23, 513, "condition is longer than 500 characters")],
    "deep-parens.yaml": [("CB012", 23, 45, "condition nests deeper than 32 levels")],
    "deep-not.yaml": [("CB012", 23, 142, "condition nests deeper than 32 levels")],
    "condition-symbols.yaml": [("CB012", 23, 25, "bad condition: unexpected character \"'\"")],
    # A rubric path may not leave the story's folder (nor hold a NUL).
    "rubric-traversal.yaml": [("CB014", 14, 9, _OUTSIDE)],
    "rubric-absolute.yaml": [("CB014", 14, 9, _OUTSIDE)],
    "rubric-nul.yaml": [("CB014", 14, 9, _OUTSIDE)],
    # Not a story at all.
    "empty.yaml": [("CB003", 1, 1, "the file is empty (or only comments)")],
    "comment-only.yaml": [("CB003", 1, 1, "the file is empty (or only comments)")],
    "null-document.yaml": [("CB003", 1, 1, "the top level must be a mapping of keys, got nothing")],
    "top-level-list.yaml": [("CB003", 1, 1, "the top level must be a mapping of keys, got a list")],
    "top-level-scalar.yaml": [
        ("CB003", 1, 1, "the top level must be a mapping of keys, got 'just some words'"),
    ],
    "two-documents.yaml": [("CB001", 2, 1, "a second YAML document starts here")],
    "control-character.yaml": [("CB001", 2, 10, "the character U+0007 is not allowed in YAML")],
    # Not UTF-8 text: the whole file is the problem (line 0), or the first bad byte.
    "latin-1.yaml": [("CB002", 2, 11, "is not UTF-8 text (byte 0xe9)")],
    "utf-16-bom.yaml": [("CB002", 0, 0, "is UTF-16 text")],
    "utf-16-be-bom.yaml": [("CB002", 0, 0, "is UTF-16 text")],
    "binary.yaml": [("CB002", 0, 0, "is a binary file, not UTF-8 text")],
}

_NESTING = "nesting is deeper than 64 levels"


def _tiny(old: str, new: str) -> str:
    text = (ROOT / "tests" / "fixtures" / "tiny.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# Built on the fly: name -> (build(folder) -> path, expected).
Builder = Callable[[Path], Path]
DEEP_CASES: dict[str, tuple[Builder, Expected]] = {
    "flow-sequences-100k": (
        lambda d: _write(d, "flow.yaml", "x: " + "[" * DEEP + "]" * DEEP + "\n"),
        [("CB001", 1, 68, _NESTING)],
    ),
    "flow-mappings-100k": (
        lambda d: _write(d, "flowmap.yaml", "x: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n"),
        [("CB001", 1, 256, _NESTING)],  # the 64th brace: the top level is the first
    ),
    "unclosed-brackets-100k": (
        lambda d: _write(d, "open.yaml", "[" * DEEP + "\n"),
        [("CB001", 1, 65, _NESTING)],
    ),
    "block-sequences-100k": (
        lambda d: _write(d, "dashes.yaml", "- " * DEEP + "x\n"),
        [("CB001", 1, 129, _NESTING)],  # the 65th dash
    ),
    "block-mappings-100k": (  # '? ' opens a block mapping with a complex key, on one line
        lambda d: _write(d, "keys.yaml", "? " * DEEP + "x\n"),
        [("CB001", 1, 129, _NESTING)],
    ),
    # Indented mappings need n*n/2 bytes for n levels: 100,000 levels would be 5 GB,
    # so 1,990 levels (2 MB) stand in for them.
    "indented-mappings-1990": (
        lambda d: _write(d, "indent.yaml", "".join(" " * i + "k:\n" for i in range(1990))),
        [("CB001", 65, 65, _NESTING)],  # the 65th mapping
    ),
}

# Tricks that fooled the character pre-scan into seeing 100,000 real brackets as
# quoted text (a quote in a comment, in a block scalar, after an escape, inside a plain
# scalar). The parser-event check catches them; the bundled libyaml also has its own
# limit of 1,000 levels, so which of the two speaks first depends on the libyaml build.
EVASIONS: dict[str, tuple[str, int, int]] = {
    # name -> (text, line, col of the 65th collection, counting the top-level mapping)
    "quote-in-comment": ('# note: "\nx: ' + "[" * DEEP + "\n", 2, 67),
    "quote-in-block-scalar": ('a: |\n  b: "\nx: ' + "[" * DEEP + "\n", 3, 67),
    "escaped-quote": ('x: ["a\\", ", ' + "[" * DEEP + "\n", 1, 76),
    "quote-in-plain-scalar": ('x: [-"a, ' + "[" * DEEP + "\n", 1, 72),
}


def _prepare(name: str, folder: Path) -> tuple[Path, Path]:
    """Copy a fixture into ``folder`` with MARKER filled in; return (path, marker)."""
    marker = folder / "pwned"
    raw = (HOSTILE / name).read_bytes().replace(b"MARKER", str(marker).encode())
    path = folder / name
    path.write_bytes(raw)
    return path, marker


def _found(path: Path) -> Expected:
    return [(d.code, d.location.line, d.location.col, d.message)
            for d in load_story(path).diagnostics]


def _assert_matches(found: Expected, expected: Expected) -> None:
    assert [f[:3] for f in found] == [e[:3] for e in expected], found
    for (*_, message), (*_, fragment) in zip(found, expected, strict=True):
        assert fragment in message


def _assert_cli(path: Path, expected: Expected) -> None:
    """``callback validate PATH``: exit 1, exactly one located line per problem."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(path)], out=out, err=err) == 1
    lines = out.getvalue().splitlines()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert "unexpected error" not in err.getvalue()
    assert len(lines) == len(expected)
    for line, (code, row, col, fragment) in zip(lines, expected, strict=True):
        where = f"{path}:{row}:{col}: " if row else f"{path}: "
        assert line.startswith(f"{where}error {code}: "), line
        assert fragment in line
    assert err.getvalue().endswith(": invalid\n")


def _run_cli(path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALLBACK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "game", "validate", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_gives_its_exact_diagnostics(name: str, tmp_path: Path) -> None:
    path, marker = _prepare(name, tmp_path)
    expected = FIXTURES[name]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)
    assert not marker.exists()


def test_every_fixture_has_an_expectation() -> None:
    assert {p.name for p in HOSTILE.iterdir()} == set(FIXTURES)


def test_python_tags_do_not_run_in_a_fresh_interpreter(tmp_path: Path) -> None:
    for name in ("python-object-apply.yaml", "python-tags.yaml", "python-tag-directive.yaml"):
        path, marker = _prepare(name, tmp_path)
        done = _run_cli(path, tmp_path / "home")
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert not marker.exists()


@pytest.mark.parametrize("name", sorted(DEEP_CASES))
def test_deep_nesting_is_refused_without_crashing(name: str, tmp_path: Path) -> None:
    build, expected = DEEP_CASES[name]
    path = build(tmp_path)
    done = _run_cli(path, tmp_path / "home")  # a segfault here is returncode -11
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stdout + done.stderr
    assert len(done.stdout.splitlines()) == 1
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


@pytest.mark.parametrize("name", sorted(EVASIONS))
def test_prescan_evasions_are_refused(name: str, tmp_path: Path) -> None:
    text, line, _ = EVASIONS[name]
    path = _write(tmp_path, f"{name}.yaml", text)
    done = _run_cli(path, tmp_path / "home")
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stdout + done.stderr
    ((code, row, _col, message),) = _found(path)
    assert (code, row) == ("CB001", line)
    assert "nesting" in message  # ours, or libyaml's "exceeded maximum nesting depth"


@pytest.mark.parametrize("name", sorted(EVASIONS))
def test_depth_is_checked_before_the_tree_is_built(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the pure-Python parser (no depth limit of its own), the reader's own check
    must stop deep input; no node tree is ever composed."""
    text, line, col = EVASIONS[name]
    path = _write(tmp_path, f"{name}.yaml", text)

    def no_compose(*args: object, **kwargs: object) -> None:
        raise AssertionError("compose() reached with over-deep input")

    monkeypatch.setattr(reader, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml, "compose", no_compose)
    assert _found(path) == [("CB001", line, col, _NESTING)]


def test_padding_a_file_does_not_raise_the_alias_budget(tmp_path: Path) -> None:
    """The alias budget counts values written out, not bytes: 1.9 MB of comments
    used to buy two million expansions (seconds and half a gigabyte to refuse)."""
    laughs = (HOSTILE / "billion-laughs.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, "padded.yaml", laughs + ("#" + "x" * 98 + "\n") * 19_900)
    expected = FIXTURES["billion-laughs.yaml"]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


def test_a_long_anchored_text_cannot_be_repeated_without_bound(tmp_path: Path) -> None:
    """Few values but long ones: one 4,000-character anchor used 90,000 times passed the
    value budget and expanded a 1.4 MB file to 360 MB (a frozen window). Text counts too."""
    lines = "".join("      - sam: *s\n" for _ in range(300))
    text = (f"id: long\ntitle: Long\nsummary: &s \"{'x' * 4000}\"\ncast: {{sam: {{name: S}}}}\n"
            f"start: a\nscenes:\n  a:\n    lines:\n{lines}")
    path = _write(tmp_path, "long-alias.yaml", text)
    (found,) = _found(path)
    # at the alias that would go past the budget: the 126th use (126 x 4,000 > 500,000)
    assert found[:3] == ("CB001", 134, 14) and "characters" in found[3]
    _assert_cli(path, [found])


def test_file_over_the_size_cap_is_refused_unparsed(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.yaml", "# x\n" * (source.MAX_FILE_BYTES // 4) + "x")
    expected = [("CB002", 0, 0, f"is larger than {source.MAX_FILE_BYTES:,} bytes")]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


def test_huge_integer_is_refused_with_a_short_message(tmp_path: Path) -> None:
    digits = "9" * DEEP  # 10**100000 - 1: past Python's int parsing limit
    path = _write(tmp_path, "huge.yaml", _tiny("weight: 2}", f"weight: 2, max: {digits}}}"))
    expected = [("CB003", 10, 39, "'99999999999999999999'... (100,000 characters) is not a "
                 "valid whole number")]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


def test_a_directory_and_a_missing_path(tmp_path: Path) -> None:
    expected = [("CB002", 0, 0, "is a directory, not a story file")]
    _assert_matches(_found(tmp_path), expected)
    missing = tmp_path / "nope.yaml"
    _assert_matches(_found(missing), [("CB002", 0, 0, "no such file")])
    _assert_cli(missing, [("CB002", 0, 0, "no such file")])


def test_a_dangling_symlink_and_a_symlink_loop(tmp_path: Path) -> None:
    dangling, loop_a, loop_b = tmp_path / "d.yaml", tmp_path / "a.yaml", tmp_path / "b.yaml"
    try:
        dangling.symlink_to(tmp_path / "gone.yaml")
        loop_a.symlink_to(loop_b)
        loop_b.symlink_to(loop_a)
    except OSError:  # pragma: no cover - e.g. Windows without the privilege
        pytest.skip("cannot create symlinks here")
    _assert_matches(_found(dangling), [("CB002", 0, 0, "no such file")])
    expected = [("CB002", 0, 0, "cannot be read: Too many levels of symbolic links")]
    _assert_matches(_found(loop_a), expected)
    _assert_cli(loop_a, expected)


def test_a_symlinked_rubric_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    folder = tmp_path / "story"
    folder.mkdir()
    try:
        (folder / "shared.rubric.yaml").symlink_to(outside)
    except OSError:  # pragma: no cover
        pytest.skip("cannot create symlinks here")
    path = _write(folder, "s.yaml", _tiny("start: news", "rubric: shared.rubric.yaml\nstart: news"))
    expected = [("CB014", 14, 9, _OUTSIDE)]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    done = _run_cli(path, tmp_path / "home")  # first in a subprocess: a hang times out
    assert done.returncode == 1, done.stderr
    expected = [("CB002", 0, 0, "is not a regular file")]
    _assert_matches(_found(path), expected)
    _assert_cli(path, expected)


def test_an_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.yaml", "id: tiny\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        expected = [("CB002", 0, 0, "permission denied")]
        _assert_matches(_found(path), expected)
        _assert_cli(path, expected)
    finally:
        path.chmod(0o600)


def test_a_folder_of_hostile_files_reports_each_and_exits_1(tmp_path: Path) -> None:
    """``validate FOLDER`` keeps going past every bad file: one line per problem."""
    for name in FIXTURES:
        _prepare(name, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(tmp_path)], out=out, err=err) == 1
    assert len(out.getvalue().splitlines()) == sum(len(e) for e in FIXTURES.values())
    assert err.getvalue().startswith(f"{len(FIXTURES)} file(s): ")
