"""The check cache: an unchanged story validates and opens at once.

Checking a story (every state, every assertion) takes up to seconds; an author runs
``validate`` after each save, and the window opens a story each time it is chosen.
Each answer is kept in the platform's cache folder (``CALLBACK_CACHE`` names
another, ``off`` turns the cache off; under ``CALLBACK_HOME`` it is ``cache/``), as
one file per question, and trusted only when all of these match:

- the story file's bytes (SHA-256), and those of every other file that decided the
  answer (its rubric, or the absence of one beside it);
- the question: validate (with its state limit), open, or the play check from one
  player's start (their imported values), and the size cap on story files;
- the program: :data:`FORMAT`, the version, and the size and time of every module
  of the layers that decide an answer (``game.story``, ``engine`` and ``analysis``),
  so a changed check never answers from an old result.

An entry is a header line (``FORMAT``, the whole key, the SHA-256 of the body) and a
JSON body. It is written to a temporary file and renamed over the old one, so a
reader sees a whole entry or none, and a torn or damaged file (its digest no longer
matches) is a miss: it is checked afresh and written again. The cache never raises:
a folder that cannot be written only means no cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game import __version__
from game.story.diagnostics import Diagnostic, Location
from game.story.result import LoadResult

if TYPE_CHECKING:
    from game.analysis.load import Imports, LoadedStory
    from game.story.model import Story

FORMAT = 1
"""Bump when what an entry holds changes shape."""
MAGIC = "callback-check-cache"
MAX_ENTRIES = 256
"""Entries kept; the least recently written go first."""
_LAYERS = ("story", "engine", "analysis")


def cache_folder() -> Path | None:
    """Where entries are kept; None when the cache is off (``CALLBACK_CACHE=off``)."""
    setting = os.environ.get("CALLBACK_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    home = os.environ.get("CALLBACK_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("callback", appauthor=False))


@functools.cache
def program_stamp() -> str:
    """The program's part of every key: format, version and the deciding modules."""
    package = Path(__file__).resolve().parent.parent
    seen = hashlib.sha256(f"{FORMAT}/{__version__}".encode())
    for layer in _LAYERS:
        for module in sorted((package / layer).glob("*.py")):
            with contextlib.suppress(OSError):
                stat = module.stat()
                seen.update(f"{layer}/{module.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return seen.hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes; "-" if it does not exist; None if unreadable.

    (Only regular files are opened: a FIFO named like a story would wait for ever.)
    """
    try:
        if not path.exists():
            return "-"
        if not path.is_file():
            return None
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


def _story_digest(path: Path) -> str | None:
    """The story's digest, if it is a regular file (anything else is never cached)."""
    digest = file_digest(path)
    return None if digest == "-" else digest


class Cache:
    """The entries in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, key: Mapping[str, Any]) -> Path:
        name = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:40]
        return self.folder / f"{name}.json"

    def get(self, key: Mapping[str, Any]) -> dict[str, Any] | None:
        """The body stored under ``key``, if whole, current and its inputs unchanged."""
        try:
            raw = self._file(key).read_bytes()
        except OSError:
            return None
        head, _, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if (not isinstance(header, dict) or header.get("magic") != MAGIC
                    or header.get("key") != key
                    or header.get("body") != hashlib.sha256(body).hexdigest()):
                return None
            found = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(found, dict):
            return None
        inputs = found.get("inputs", [])
        if not isinstance(inputs, list) or not all(
            isinstance(i, list) and len(i) == 2 and file_digest(Path(str(i[0]))) == i[1]
            for i in inputs
        ):
            return None
        return found

    def put(self, key: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        """Store ``body`` under ``key``, atomically; any failure only means no entry."""
        data = json.dumps(body, separators=(",", ":")).encode()
        header = json.dumps({"magic": MAGIC, "key": key,
                             "body": hashlib.sha256(data).hexdigest()}).encode()
        target = self._file(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n" + data)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        self._prune()

    def _prune(self) -> None:
        with contextlib.suppress(OSError):
            entries = list(self.folder.glob("*.json"))
            if len(entries) <= MAX_ENTRIES:
                return
            by_age = sorted(entries, key=lambda p: p.stat().st_mtime_ns)
            for old in by_age[: len(entries) - MAX_ENTRIES]:
                with contextlib.suppress(OSError):
                    old.unlink()


def _open() -> Cache | None:
    folder = cache_folder()
    return None if folder is None else Cache(folder)


def _key(question: str, path: Path, digest: str, **more: Any) -> dict[str, Any]:
    # (the size cap is the one setting that changes an answer: a file over it is refused)
    return {"question": question, "shown": str(path), "file": str(path.absolute()),
            "sha256": digest, "program": program_stamp(),
            "cap": os.environ.get("CALLBACK_MAX_STORY_BYTES", ""), **more}


def _inputs(result: LoadResult) -> list[list[str]] | None:
    """The files besides the story that decided ``result``, as read; None if one could
    not be read (such an answer is not kept)."""
    if any(not digest for _, digest in result.inputs):
        return None
    return [[name, digest] for name, digest in result.inputs]


def _dump(diagnostics: list[Diagnostic]) -> list[list[Any]]:
    return [[d.code, d.message, d.location.path, d.location.line, d.location.col, d.hint]
            for d in diagnostics]


def _undump(rows: Any) -> list[Diagnostic] | None:
    try:
        return [Diagnostic(code, message, Location(where, line, col), hint)
                for code, message, where, line, col, hint in rows]
    except (TypeError, ValueError):
        return None


def validated(path: Path, *, workers: int = 1, limit: int | None = None) -> LoadResult:
    """Every diagnostic of :func:`game.analysis.load.load_story` (analysis included;
    ``limit`` None: its default).

    From the cache when nothing it read has changed; then the result carries only
    the diagnostics (no story), which is all ``validate`` reports.
    """
    cache, digest = _open(), _story_digest(path)
    key = None if cache is None or digest is None else _key("validate", path, digest,
                                                            limit=limit)
    if cache is not None and key is not None:
        found = cache.get(key)
        diagnostics = None if found is None else _undump(found.get("diagnostics"))
        if diagnostics is not None:
            return LoadResult(str(path), None, diagnostics, str(digest))
    from game.analysis.load import load_story

    result = (load_story(path, workers=workers) if limit is None
              else load_story(path, workers=workers, limit=limit))
    inputs = _inputs(result)
    if cache is not None and key is not None and result.sha256 == digest and inputs is not None:
        cache.put(key, {"diagnostics": _dump(result.diagnostics), "inputs": inputs})
    return result


def opened(path: Path) -> LoadedStory:
    """:func:`~game.analysis.load.load_story` without the analysis, as play opens a story.

    From the cache when nothing it read has changed: the story is rebuilt from its
    stored form and compiled, and its positions are read only if something asks.
    """
    from game.analysis.load import LoadedStory, load_story

    cache, digest = _open(), _story_digest(path)
    key = None if cache is None or digest is None else _key("open", path, digest)
    if cache is not None and key is not None:
        found = cache.get(key)
        loaded = None if found is None else _rebuilt(path, str(digest), found)
        if loaded is not None:
            return loaded
    result = load_story(path, analyse=False)
    inputs = _inputs(result)
    if cache is not None and key is not None and result.sha256 == digest and inputs is not None:
        story = None if result.story is None else result.story.model_dump(mode="json")
        cache.put(key, {"diagnostics": _dump(result.diagnostics), "inputs": inputs,
                        "story": story})
    assert isinstance(result, LoadedStory)
    return result


def _rebuilt(path: Path, digest: str, found: Mapping[str, Any]) -> LoadedStory | None:
    from pydantic import ValidationError

    from game.analysis.load import LoadedStory
    from game.engine.compiled import compile_story
    from game.story.model import Story
    from game.story.source import file_map

    diagnostics = _undump(found.get("diagnostics"))
    if diagnostics is None:
        return None
    inputs = [(str(name), str(digest)) for name, digest in found.get("inputs", [])]
    smap = file_map(path, str(path))
    data = found.get("story")
    if data is None:
        return LoadedStory(str(path), None, diagnostics, digest, smap, inputs)
    try:
        story = Story.model_validate(data)
    except ValidationError:
        return None
    return LoadedStory(str(path), story, diagnostics, digest, smap, inputs,
                       compile_story(story))


def for_play(path: Path, imports_of: Callable[[Story], Imports]) -> LoadedStory:
    """:func:`~game.analysis.load.load_for_play`, each step answered from the cache
    when nothing it read has changed."""
    return checked_for_play(opened(path), imports_of)


def checked_for_play(result: LoadedStory, imports_of: Callable[[Story], Imports]
                     ) -> LoadedStory:
    """:func:`~game.analysis.load.check_for_play`, from the cache when nothing the
    check read has changed (the result given is never changed)."""
    from game.analysis.load import play_check, with_play_problems

    cache = _open()
    if result.compiled is None or cache is None or not result.sha256:
        from game.analysis.load import check_for_play

        return check_for_play(result, imports_of)
    imports = imports_of(result.compiled.model)
    start = [[name, value] for name, value in sorted(imports.items())]  # (as JSON reads it)
    key = _key("play", Path(result.path), result.sha256, imports=start)
    found = cache.get(key)
    problems = None if found is None else _undump(found.get("diagnostics"))
    if problems is None:
        problems = play_check(result, imports)
        inputs = _inputs(result)
        if inputs is not None:
            cache.put(key, {"diagnostics": _dump(problems), "inputs": inputs})
    return with_play_problems(result, problems)
