"""Paths through a story's data and the models that validate it.

A path is the keys and list indexes from the top of the YAML document to a value
(``("scenes", "news", "choices", 0, "goto")``), as :class:`~game.story.source.SourceMap`
locates them. Pydantic's error locations mostly follow the same path, with union
member tags and the like mixed in: :func:`data_path` keeps only what the data holds.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from game.story.source import Path_


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the container or model type shows."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def model_at(root: type[BaseModel], where: Path_) -> type[BaseModel] | None:
    """Return the model class that validates the mapping at ``where``, if any."""
    current: Any = root
    for part in where:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = field_names(current)
            if part not in fields:
                return None
            current = current.model_fields[fields[part]].annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and isinstance(part, int):
            current = args[0]
        elif origin is dict and isinstance(part, str):
            current = args[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def field_names(model: type[BaseModel]) -> dict[str, str]:
    """Return each key a model's mapping may hold (``if`` for ``condition``) -> field name."""
    return {f.alias or n: n for n, f in model.model_fields.items()}


def data_path(data: Any, loc: Sequence[str | int]) -> tuple[Path_, str | None]:
    """Follow a pydantic ``loc`` through the data; drop union tags and the like.

    Returns the path that exists in the data and, for dict-key errors, the key.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        if part == "[key]" and not in_dict:  # (a key written '[key]' is just a key)
            return tuple(path[:-1]), str(path[-1]) if path else None
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and _is_field_name(part):
            path.append(part)  # a key the data lacks (a missing key): stop here
            break
    return tuple(path), None


def _is_field_name(part: str) -> bool:
    """Tell a model field name from a union member tag such as 'int' or 'function-after[...]'."""
    return not any(c in part for c in "[]-(") and part not in ("int", "bool", "str")


def value_at(data: Any, where: Path_) -> Any:
    """Return the value at ``where`` in ``data``, or None where the path leads nowhere."""
    for part in where:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_dict or in_list):
            return None
        data = data[part]
    return data


CLOSE = 0.75
"""How alike an unknown key and a key of the format must be for one to stand for the other
(difflib's ratio: 'chocies' and 'choices' 0.86, 'gotoo' and 'goto' 0.89)."""


def misspelt_keys(errors: Sequence[ErrorDetails], data: Any,
                  root: type[BaseModel]) -> dict[Path_, dict[str, str]]:
    """Find unknown keys that are a key of the format misspelt ('gotoo' for 'goto').

    An unknown key stands for a missing required key it is close to, or else for a
    key its mapping may hold but lacks ('chocies' for 'choices'). Returns, for each
    mapping, the unknown key and the key it stands for.
    """
    missing: dict[Path_, set[str]] = {}
    unknown: list[Path_] = []
    for item in errors:
        where, _ = data_path(data, item["loc"])
        if item["type"] == "missing" and where:
            missing.setdefault(where[:-1], set()).add(str(where[-1]))
        elif item["type"] == "extra_forbidden" and where:
            unknown.append(where)
    renames: dict[Path_, dict[str, str]] = {}
    for where in unknown:
        taken = set(renames.get(where[:-1], {}).values())
        wanted = missing.get(where[:-1], set()) - taken
        close = difflib.get_close_matches(str(where[-1]), sorted(wanted), n=1, cutoff=CLOSE)
        fixed = close[0] if close else stands_for(
            str(where[-1]), value_at(data, where[:-1]), model_at(root, where[:-1]), taken)
        if fixed is not None:
            renames.setdefault(where[:-1], {})[str(where[-1])] = fixed
    return renames


def stands_for(key: str, holder: Any, model: type[BaseModel] | None,
               taken: set[str] | frozenset[str] = frozenset()) -> str | None:
    """Return the key of ``model`` that ``holder`` lacks and ``key`` is a misspelling of
    ('chocies' for 'choices'), if one is close enough."""
    if model is None or not isinstance(holder, dict):
        return None
    absent = sorted(k for k in field_names(model) if k not in holder and k not in taken)
    close = difflib.get_close_matches(key, absent, n=1, cutoff=CLOSE)
    return close[0] if close else None
