"""Mending a story that failed validation, so every other error is still found.

The strict pass (:mod:`game.story.loader`) reports every structural error pydantic
finds, but a story with one of them has no model, and the checks that need a model
(targets, names, conditions: :mod:`game.story.checks`) would have nothing to run on:
one misspelt key would hide every missing scene and unknown meter in the file. So
the data is mended, as a compiler recovers from a syntax error, and validated again:

- an unknown key is renamed to the key it stands for ('chocies' to 'choices'), or
  else removed: the content under a misspelt key is still checked;
- around any other error, the smallest part that holds it is set aside: an optional
  key is removed (its default applies), a list item (a choice, a line) is removed,
  and a scene, meter, flag or cast member is replaced by a stand-in, so that what
  names it is not reported again: one cause, one error;
- a required key of the story itself ('cast', 'start') gets a stand-in, and the
  checks that read it are skipped.

The mended model is for checking only: it is never played or analysed. Its paths
are not the file's (a renamed key, a removed item shifts the list): :class:`Moves`
leads them back, so every diagnostic is at its own line.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from game.story.model import Flag, Meter, Person, Scene
from game.story.modelpath import (
    data_path,
    field_names,
    misspelt_keys,
    model_at,
    stands_for,
    value_at,
)
from game.story.source import Path_

_DROP = object()
"""Marks a list item or mapping entry to remove (see :func:`_set_aside`)."""

_STUBS: dict[type[BaseModel], Any] = {
    Scene: {"ending": {"title": "-", "outcome": "open", "epilogue": "-"}},
    Meter: {"label": "-"},
    Flag: {},
    Person: {"name": "-"},
}
"""Stand-ins for a scene, meter, flag or cast member already reported as wrong: the
name stays defined, and a stand-in gives no diagnostic of its own (an ending with an
epilogue, no lines, no choices)."""

_TOP_STUBS: dict[str, Any] = {"id": "story", "title": "-", "cast": {}}
"""Stand-ins for the story's own required keys (``start`` takes the first scene)."""

ROUNDS = 6
"""Validations tried after the first (setting one part aside can expose the next level:
a scene whose only choice was removed has no kind left)."""


class Moves:
    """Lead a path in mended data back to the file's path for the same value."""

    def __init__(self) -> None:
        self._rounds: list[dict[Path_, dict[str | int, str | int]]] = []

    def add(self, moved: dict[Path_, dict[str | int, str | int]]) -> None:
        """Add one round of moves: for a mapping or list (by its new path), new key -> old."""
        if moved:
            self._rounds.append(moved)

    def __call__(self, where: Path_) -> Path_:
        for moved in reversed(self._rounds):
            where = tuple(moved.get(where[:i], {}).get(part, part) for i, part in enumerate(where))
        return where


@dataclass
class Mended:
    """A failed story's data mended for checking (``value`` None: it could not be)."""

    value: Any
    unknown: frozenset[str]
    """Top-level keys replaced by a stand-in: the checks that read them are skipped."""
    moves: Moves
    hidden: list[ErrorDetails] = field(default_factory=list)
    """Errors inside renamed keys, which the strict pass never looked into, by their
    paths in ``data``."""
    data: Any = None
    """The data ``hidden`` refers to (after renaming, before anything was set aside)."""
    renames: Moves = field(default_factory=Moves)
    """Lead ``data``'s paths back to the file's."""


def mend(data: Any, root: type[BaseModel]) -> Mended:
    """Mend ``data``, which fails ``root``'s validation, and validate it again."""
    try:
        return Mended(root.model_validate(data), frozenset(), Moves())
    except ValidationError as error:
        errors = error.errors(include_url=False)
    moves, renames = Moves(), Moves()
    unknown: set[str] = set()
    data, renamed = _rename_unknown_keys(data, errors, root, (moves, renames))
    first = True
    result = Mended(None, frozenset(), moves, data=data, renames=renames)
    for _ in range(ROUNDS):
        try:
            result.value = root.model_validate(data)
            break
        except ValidationError as error:
            found = error.errors(include_url=False)
        if first:
            result.hidden = [item for item in found
                             if _under(data_path(data, item["loc"])[0], renamed)]
            first = False
            if result.hidden:
                data = copy.deepcopy(data)  # (``result.data`` stays as the errors saw it)
        mended = False
        renamed_here: dict[Path_, dict[str | int, str | int]] = {}
        for item in found:
            where, key = data_path(data, item["loc"])
            where = (*where, key) if key is not None else where
            mended |= _set_aside(data, where, root, unknown, renamed_here)
        if not mended:
            break
        moves.add(renamed_here)
        moved: dict[Path_, dict[str | int, str | int]] = {}
        data = _purge(data, (), moved)
        moves.add(moved)
    result.unknown = frozenset(unknown)
    return result


def _under(where: Path_, prefixes: set[Path_]) -> bool:
    return any(where[: len(prefix)] == prefix for prefix in prefixes)


def _rename_unknown_keys(data: Any, errors: Sequence[ErrorDetails], root: type[BaseModel],
                         moves: tuple[Moves, ...]) -> tuple[Any, set[Path_]]:
    """Return a copy of ``data`` with each unknown key renamed to the key it stands for,
    or else removed, and the paths of the renamed values."""
    trimmed = copy.deepcopy(data)
    renames = misspelt_keys(errors, data, root)
    moved: dict[Path_, dict[str | int, str | int]] = {}
    renamed: set[Path_] = set()
    for item in errors:
        if item["type"] != "extra_forbidden":
            continue
        where, _ = data_path(trimmed, item["loc"])
        holder = value_at(trimmed, where[:-1])
        if isinstance(holder, dict) and where[-1] in holder:
            value = holder.pop(where[-1])
            fixed = renames.get(where[:-1], {}).get(str(where[-1]))
            if fixed is not None:
                holder[fixed] = value
                moved.setdefault(where[:-1], {})[fixed] = where[-1]
                renamed.add((*where[:-1], fixed))
    for each in moves:
        each.add(moved)
    return trimmed, renamed


def _set_aside(data: Any, where: Path_, root: type[BaseModel], unknown: set[str],
               renamed: dict[Path_, dict[str | int, str | int]]) -> bool:
    """Set aside the smallest part of ``data`` that holds an error at ``where``.

    An unknown key (inside a renamed one: the others are gone) is renamed as in the
    first round, into ``renamed``. Returns False when nothing could be set aside (the
    error is not in the data any more: a part around it was set aside already, or it
    is the whole story).
    """
    for depth in range(len(where), 0, -1):
        holder_path, key = where[: depth - 1], where[depth - 1]
        holder = value_at(data, holder_path)
        model = model_at(root, holder_path)
        if isinstance(holder, dict) and model is not None:
            name = field_names(model).get(str(key))
            fixed = stands_for(str(key), holder, model) if name is None else None
            if fixed is not None and key in holder:
                holder[fixed] = holder.pop(key)
                renamed.setdefault(holder_path, {})[fixed] = key
                return True
            if name is None or not model.model_fields[name].is_required():
                if key not in holder:
                    return False
                del holder[key]  # an unknown or optional key: its default applies
                if not holder_path:
                    unknown.add(str(key))
                return True
            if holder_path:
                continue  # a required key: set aside what holds it
            if key in _TOP_STUBS:
                holder[key] = copy.deepcopy(_TOP_STUBS[key])
            elif key == "start" and isinstance(holder.get("scenes"), dict) and holder["scenes"]:
                holder[key] = next(iter(holder["scenes"]))
            else:
                return False
            unknown.add(str(key))
            return True
        if isinstance(holder, list) and isinstance(key, int) and key < len(holder):
            holder[key] = _DROP
            return True
        if isinstance(holder, dict) and key in holder:
            stub = _STUBS.get(model_at(root, where[:depth]) or BaseModel)
            holder[key] = _DROP if stub is None else copy.deepcopy(stub)
            return True
    return False


def _purge(data: Any, where: Path_, moved: dict[Path_, dict[str | int, str | int]]) -> Any:
    """Return ``data`` without what :func:`_set_aside` marked; note the shifted list items."""
    if isinstance(data, dict):
        return {k: _purge(v, (*where, k), moved) for k, v in data.items() if v is not _DROP}
    if isinstance(data, list):
        kept = [i for i, v in enumerate(data) if v is not _DROP]
        if len(kept) < len(data):
            moved[where] = {new: old for new, old in enumerate(kept) if new != old}
        return [_purge(data[old], (*where, new), moved) for new, old in enumerate(kept)]
    return data
