"""Read a story file: YAML -> validated :class:`Story` plus every located diagnostic.

All problems are collected and reported at once, sorted by location. A story with
any error is returned as ``None``; warnings leave it usable. :func:`read_story` runs
the checks that need no analysis (:mod:`game.story.checks`);
:func:`game.analysis.load.load_story` adds the ones that search every reachable
state, and compiles the story for play.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from game.paths import built_in_rubric, built_in_rubrics
from game.story.checks import band_problems, check_story
from game.story.diagnostics import (
    CATALOGUE,
    Diagnostic,
    Location,
    Severity,
    did_you_mean,
    sort_key,
)
from game.story.mend import mend
from game.story.model import DEFAULT_BANDS, Bands, Rubric, Story
from game.story.modelpath import data_path, field_names, misspelt_keys, model_at
from game.story.result import LoadResult
from game.story.source import Source, SourceMap, load_source

__all__ = ["LoadResult", "load_rubric", "read_story"]

_TYPE_ERRORS = ("_type", "_parsing", "dict_type", "list_type", "model_type", "bool_parsing")

MAX_METER_SPAN = 1_000
"""Widest meter range (max - min), and largest effect, accepted.

The exact analysis (:mod:`game.analysis.space`) keeps, per scene, tables and bitmasks as
wide as each meter's range: a 1 KB story with ``max: 999999999`` made ``validate`` use
gigabytes of memory, and a 20-digit effect raised OverflowError. Stories score on
small scales (0 to 100), so this only refuses hostile or mistyped numbers.
"""


def pydantic_diagnostics(
    errors: Sequence[ErrorDetails], data: Any, smap: SourceMap, root: type[BaseModel]
) -> list[Diagnostic]:
    """Turn pydantic's errors into located diagnostics, one per place."""
    found: dict[tuple[Location, str], Diagnostic] = {}
    renames = misspelt_keys(errors, data, root)
    for item in errors:
        kind = item["type"]
        where, key_error = data_path(data, item["loc"])
        if kind == "missing" and where[-1] in renames.get(where[:-1], {}).values():
            continue  # 'gotoo: x' is one mistake: the unknown key says it, with its fix
        if kind == "extra_forbidden":
            name = str(where[-1])
            model = model_at(root, where[:-1])
            allowed = list(field_names(model)) if model else []
            diag = Diagnostic(
                "CB004",
                f"unknown key {name!r}",
                smap.at(where, key=True),
                did_you_mean(name, allowed)
                or (f"the keys here are {', '.join(allowed)}" if allowed else ""),
            )
        elif kind == "missing":
            name = str(where[-1])
            diag = Diagnostic(
                "CB005",
                f"missing required key {name!r}",
                smap.at(where[:-1], key=True),
                f"add '{name}:'",
            )
        elif key_error is not None:
            message = _message(item)  # (a pattern mismatch already names the key)
            if not message.startswith(repr(key_error)):
                message = f"{key_error!r} is not a valid name: {message}"
            diag = Diagnostic(
                "CB008",
                message,
                smap.at((*where, key_error), key=True),
                "names use lower-case letters, digits, '-' and '_', starting with a letter",
            )
        elif len(where) >= 2 and where[-2] == "effects" and kind.endswith(_TYPE_ERRORS):
            diag = _effect_diagnostic(str(where[-1]), item.get("input"), data, smap.at(where))
        else:
            code = "CB003" if kind.endswith(_TYPE_ERRORS) else "CB008"
            diag = Diagnostic(code, _message(item), smap.at(where), _hint(item))
        found.setdefault((diag.location, diag.code), diag)
    return list(found.values())


_EFFECT_HINT = CATALOGUE["CB013"].hint


def _effect_diagnostic(name: str, value: Any, data: Any, where: Location) -> Diagnostic:
    """One CB013 for an effect that is neither a whole number nor true/false.

    Pydantic reports each member of ``int | bool`` separately ("expected a whole
    number", "expected true or false"): one contradictory pair for one mistake.
    """
    shown = _describe(value)
    hint = _EFFECT_HINT
    if isinstance(value, str):
        shown = f"the text {value!r}"
        bare = value.strip().lower()
        if bare.lstrip("+-").isdigit() or bare in ("true", "false"):
            hint = f"remove the quotes; {_EFFECT_HINT}"
    sections = data if isinstance(data, dict) else {}
    if isinstance(sections.get("meters"), dict) and name in sections["meters"]:
        message = f"{name!r} is a meter: give a whole number, not {shown}"
    elif isinstance(sections.get("flags"), dict) and name in sections["flags"]:
        message = f"{name!r} is a flag: give true or false, not {shown}"
    else:
        message = f"effect {name!r} must be a whole number or true/false, not {shown}"
    return Diagnostic("CB013", message, where, hint)


def _hint(item: Any) -> str:
    """What to do about a type or value error (empty: the catalogue's general advice)."""
    kind = str(item["type"])
    if kind == "string_pattern_mismatch":
        return "names use lower-case letters, digits, '-' and '_', starting with a letter"
    if kind in ("enum", "literal_error"):
        allowed = str(item.get("ctx", {}).get("expected", "")).replace("'", "")
        options = [o.strip() for o in allowed.replace(" or ", ", ").split(",") if o.strip()]
        return did_you_mean(str(item.get("input")), options) or "use one of the values listed"
    if kind in ("too_long", "too_short") and "lines" in item["loc"][-2:-1]:
        return "write '- sam: Hello.' with the speaker's key, a colon and the text"
    if kind == "value_error":
        text = str(item["msg"])
        for fragment, hint in _VALUE_HINTS.items():
            if fragment in text:
                return hint
    if kind == "string_type" and "if" in item["loc"][-2:]:  # 'if: 5'
        return "write a condition such as 'composure >= 50'"
    if kind == "string_type" and isinstance(item.get("input"), bool | int | float):
        return "put the text in quotes"
    for prefix, hint in _TYPE_HINTS.items():
        if kind.startswith(prefix):
            return hint
    return ""


_VALUE_HINTS = {
    "exactly one of 'choices'": "keep one of them; move the rest to a scene of its own",
    "a 'route' scene has no lines": "move the lines to the scene before, or use 'next:'",
    "must be below max": "make 'min' smaller than 'max'",
    "must lie between min and max": "give 'start' a value from 'min' to 'max'",
    "an assertion needs exactly one": "write each rule as its own '- ' item",
}

_TYPE_HINTS = {
    "int_": "write a whole number such as 10, without quotes",
    "float_": "write a number such as 1 or 2.5, without quotes",
    "bool_": "write true or false",
    "string_type": "write text here",
    "dict_type": "write 'key: value' lines indented under it, or {key: value}",
    "model_type": "write 'key: value' lines indented under it, or {key: value}",
    "model_attributes_type": "write 'key: value' lines indented under it, or {key: value}",
    "list_type": "write a list: [a, b], or one '- item' per line",
    "greater_than": "use a larger number",
    "less_than": "use a smaller number",
    "string_too_short": "write some text here",
    "string_too_long": "shorten it",
    "too_short": "add at least one",
}


def _message(item: Any) -> str:
    message = str(item["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if item["type"] == "string_pattern_mismatch":
        return f"{item['input']!r} is not a valid name"
    if item["type"] in ("too_long", "too_short") and "lines" in item["loc"][-2:-1]:
        return "a line is one 'speaker: text' pair, such as '- sam: Hello, it's Sam.'"
    if item["type"] in ("enum", "literal_error"):
        expected = str(item.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"{item['input']!r} is not allowed here: use {expected}"
    for suffix, wanted in _EXPECTED.items():
        if item["type"].startswith(suffix):
            return f"expected {wanted}, got {_describe(item.get('input'))}"
    if item["type"].endswith("_type") or item["type"].endswith("_parsing"):
        return f"{message.rstrip('.').lower()}, got {_describe(item.get('input'))}"
    return message


_EXPECTED = {
    "int_": "a whole number",
    "float_": "a number",
    "bool_": "true or false",
    "string_type": "text",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": "a list",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if len(repr(value)) < 40 else type(value).__name__


def _validate(source: Source, model: type[BaseModel], problems: list[Diagnostic]) -> Any:
    if not isinstance(source.data, dict):
        problems.append(
            Diagnostic(
                "CB003",
                f"the top level must be a mapping of keys, got {_describe(source.data)}",
                Location(source.path, 1, 1),
            )
        )
        return None
    try:
        value = model.model_validate(source.data)
    except ValidationError as error:
        # A value the YAML layer already refused (a bad tag, .inf, an unreadable number)
        # reaches pydantic as None; its "expected ..., got nothing" on the same spot
        # would report one problem twice.
        refused = {d.location for d in problems}
        found = pydantic_diagnostics(error.errors(include_url=False), source.data, source.map,
                                     model)
        problems.extend(d for d in found if d.location not in refused)
        return None
    too_wide = _too_wide(value, source.map)
    problems.extend(too_wide)
    return None if too_wide else value


def _too_wide(value: Any, smap: SourceMap) -> list[Diagnostic]:
    """Refuse meters and effects too wide for the analysis (see MAX_METER_SPAN)."""
    found = []
    hint = "meters are scores on a small scale such as 0 to 100"
    for name, meter in getattr(value, "meters", {}).items():
        if meter.max - meter.min > MAX_METER_SPAN:
            end = "max" if smap.has_value(("meters", name, "max")) else "min"
            found.append(Diagnostic(
                "CB008", f"meter {name!r} spans more than {MAX_METER_SPAN:,} values",
                smap.at(("meters", name, end)), hint))
    for sid, scene in getattr(value, "scenes", {}).items():
        for i, choice in enumerate(scene.choices):
            for name, delta in choice.effects.items():
                if not isinstance(delta, bool) and abs(delta) > MAX_METER_SPAN:
                    where = smap.at(("scenes", sid, "choices", i, "effects", name))
                    message = f"effect {name!r} changes a meter by more than {MAX_METER_SPAN:,}"
                    found.append(Diagnostic("CB008", message, where, hint))
    return found


def _inside(folder: Path, path: Path) -> bool:
    """Tell whether ``path``, symlinks followed, lies inside ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return False


def _merge_rubric(story: Story, source: Source, problems: list[Diagnostic],
                  inputs: list[tuple[str, str]]) -> Story | None:
    """The story with its rubric's meters, flags, tags, personas and bands added.

    Every file whose content (or absence) decides the result is added to ``inputs``
    with the SHA-256 of what was read ("-": not there; "": not readable).
    """
    assert story.rubric is not None
    where = source.map.at(("rubric",))
    folder = Path(source.path).parent
    rubric_path = folder / story.rubric
    # 'rubric:' comes from a story file that may be a stranger's: an absolute path, '..'
    # or a symlink out of the folder let `validate` read any file (and echo its lines
    # as "unknown key" diagnostics: /etc/shadow), and a NUL in it raised ValueError.
    if not _inside(folder, rubric_path):
        problems.append(Diagnostic("CB014", f"rubric {story.rubric!r} is not a file in the "
                                   "story's folder", where, "put the rubric next to the story"))
        return None
    if not rubric_path.is_file():  # a rubric that comes with Callback, unless one is beside it
        inputs.append((str(rubric_path.absolute()), "-"))
        rubric_path = built_in_rubric(story.rubric) or rubric_path
    if not rubric_path.is_file():
        built_in = " or ".join(repr(name) for name in built_in_rubrics()) or "none"
        problems.append(Diagnostic(
            "CB014", f"rubric {story.rubric!r} is neither beside the story nor built in", where,
            f"check the name: the built-in rubrics are {built_in}; or put the file beside the "
            "story"))
        return None
    rubric_problems: list[Diagnostic] = []
    rubric_source = load_source(rubric_path, rubric_problems)
    inputs.append((str(rubric_path.absolute()), rubric_source.sha256 if rubric_source else ""))
    rubric = None
    if rubric_source is not None:
        rubric = _validate(rubric_source, Rubric, rubric_problems)
        if rubric is not None:
            rubric_problems.extend(_own_bands(rubric, rubric_source.map))
            if any(d.severity is Severity.ERROR for d in rubric_problems):
                rubric = None
    if rubric is None:
        problems.append(Diagnostic("CB014", f"rubric {story.rubric!r} could not be loaded",
                                   where, "fix the rubric's own problems, listed under its "
                                   "file name"))
        problems.extend(rubric_problems)
        return None
    clash = False
    if story.bands is not None and rubric.bands is not None:
        clash = True
        problems.append(Diagnostic("CB014", "bands are already defined by the rubric",
                                   source.map.at(("bands",), key=True),
                                   "remove them to use the rubric's, or change the rubric"))
    for section in ("meters", "flags", "tags"):
        for name in set(getattr(story, section)) & set(getattr(rubric, section)):
            clash = True
            problems.append(
                Diagnostic(
                    "CB014",
                    f"{section[:-1]} {name!r} is already defined by the rubric",
                    source.map.at((section, name), key=True),
                    "use a different name, or remove it to use the rubric's",
                )
            )
    if clash:
        return None
    return story.model_copy(
        update={
            "meters": {**rubric.meters, **story.meters},
            "flags": {**rubric.flags, **story.flags},
            "tags": {**rubric.tags, **story.tags},
            "personas": {**rubric.personas, **story.personas},
            "bands": story.bands or rubric.bands,
        }
    )


def _own_bands(declared: Story | Rubric, smap: SourceMap, bands: Bands | None = None
               ) -> list[Diagnostic]:
    """CB017 for the bands, floor flags and names one file declares (see band_problems)."""
    names = [(section, name) for section in ("meters", "flags")
             for name in getattr(declared, section)]
    return band_problems(declared.bands, bands or declared.bands or DEFAULT_BANDS,
                         declared.flags, names, smap)


def read_story(path: str | Path, *, workers: int = 1) -> LoadResult:
    """Read, validate and check a story file, collecting every diagnostic.

    Runs every check that needs no analysis; :func:`game.analysis.load.load_story`
    runs the rest.

    Args:
        path: the story's YAML file.
        workers: 2 lets a large file be read on two cores (forking: only for
            callers with no other threads, such as the batch commands).
    """
    path = Path(path)
    problems: list[Diagnostic] = []
    result = LoadResult(str(path), None, problems)
    source = load_source(path, problems, workers=workers)
    if source is None:
        return result
    result.sha256 = source.sha256
    result.source_map = source.map
    story = _validate(source, Story, problems)
    valid = story is not None
    unknown: frozenset[str] = frozenset()
    smap = source.map
    if story is None and isinstance(source.data, dict):
        # Check the rest of a story with errors too: one mistake never hides the others.
        mended = mend(source.data, Story)
        story, unknown, smap = mended.value, mended.unknown, source.map.moved(mended.moves)
        problems.extend(pydantic_diagnostics(mended.hidden, mended.data,
                                             source.map.moved(mended.renames), Story))
        # (never analysed: valid is False; a story refused only for this is reported once)
        problems.extend(d for d in _too_wide(story, smap) if d not in problems)
    own = story  # (before the rubric's meters, flags and bands are added)
    if story is not None and story.rubric is not None:
        story = _merge_rubric(story, source, problems, result.inputs)
    if story is not None and own is not None:
        problems.extend(_own_bands(own, smap, story.score_bands))
        problems.extend(check_story(story, smap, unknown=unknown))
    problems.sort(key=sort_key)
    if valid and not any(d.severity is Severity.ERROR for d in problems):
        result.story = story
    return result


def load_rubric(path: str | Path) -> LoadResult:
    """Validate a rubric file on its own (``validate`` does this for ``*.rubric.yaml``)."""
    path = Path(path)
    problems: list[Diagnostic] = []
    result = LoadResult(str(path), None, problems)
    source = load_source(path, problems)
    if source is not None:
        result.sha256 = source.sha256
        rubric = _validate(source, Rubric, problems)
        if rubric is not None:
            problems.extend(_own_bands(rubric, source.map))
        for persona, weights in rubric.personas.items() if rubric else []:
            for tag in weights:
                if tag not in rubric.tags:
                    problems.append(Diagnostic(
                        "CB015", f"unknown tag {tag!r}",
                        source.map.at(("personas", persona, tag), key=True),
                        did_you_mean(tag, rubric.tags) or "declare it under 'tags:'"))
    problems.sort(key=sort_key)
    return result
