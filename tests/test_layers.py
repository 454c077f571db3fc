"""The house plan, enforced: imports only go down the layers, and never in a circle.

Layers, lowest first (ARCHITECTURE.md):
story <- engine <- analysis <- authoring, store, classroom <- terminal, gui, web <- cli.
A module may import from its own layer or below. Every import counts: at the top of
a module, inside a function, and under ``if TYPE_CHECKING:`` (a type is a dependency
too: a module cannot be read or tested without the ones it names).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: dict[str, int] = {
    # shared helpers below everything: the version, where files are, a GC pause
    "game": 0, "game.paths": 0, "game.gcpause": 0, "game.crash": 0, "game.exits": 0,
    "game.story": 1,
    "game.engine": 2,
    "game.analysis": 3,
    "game.authoring": 4, "game.store": 4, "game.classroom": 4,
    "game.terminal": 5, "game.gui": 5, "game.web": 5,
    "game.cli": 6, "game.__main__": 6,
}


def module_name(path: Path, root: Path) -> str:
    """``game/story/model.py`` -> ``game.story.model``; a package is its ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module of ours that ``path`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # 'from pkg import mod' imports the module pkg.mod; 'from mod import name', mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known)
    found.discard(name)
    return found


def import_graph(root: Path, top: str = "game") -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    files = {module_name(p, root): p for p in sorted((root / top).rglob("*.py"))}
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def layer_of(module: str) -> int:
    """The layer of a module: that of its longest listed prefix."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise KeyError(f"{module} is in no layer: add its package to LAYERS")


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a layer above its own."""
    return sorted(f"{source} imports {target}" for source, targets in graph.items()
                  for target in targets if layer_of(target) > layer_of(source))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or not (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:  # iterative, so a deep chain cannot overflow
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_module_sits_in_a_layer() -> None:
    graph = import_graph(ROOT)
    assert len(graph) > 50
    for module in graph:
        layer_of(module)


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    assert upward(import_graph(ROOT)) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(import_graph(ROOT)) == []


def test_only_the_front_ends_and_the_command_line_reach_pygame() -> None:
    graph = import_graph(ROOT)
    pure = [m for m in graph if layer_of(m) <= LAYERS["game.classroom"]
            or m.startswith("game.terminal")]
    assert not [m for m in pure for t in graph[m] if t.startswith("game.gui")]


@pytest.fixture
def house(tmp_path: Path):
    """A small package of our layout to break on purpose."""

    def write(files: dict[str, str]) -> dict[str, set[str]]:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return import_graph(tmp_path)

    return write


def test_the_check_sees_an_upward_import_even_when_only_for_typing(house) -> None:
    graph = house({
        "game/__init__.py": "",
        "game/story/__init__.py": "",
        "game/story/model.py": ("from typing import TYPE_CHECKING\n"
                                "if TYPE_CHECKING:\n    from game.engine.rules import Rules\n"),
        "game/engine/__init__.py": "",
        "game/engine/rules.py": "from game.story import model\n",
    })
    assert graph["game.engine.rules"] == {"game.story.model"}
    assert upward(graph) == ["game.story.model imports game.engine.rules"]


def test_the_check_sees_a_circle_through_a_function_and_a_relative_import(house) -> None:
    graph = house({
        "game/__init__.py": "",
        "game/gui/__init__.py": "",
        "game/gui/app.py": "from .screens.call import CallScreen\n",
        "game/gui/screens/__init__.py": "",
        "game/gui/screens/call.py": "def later():\n    from game.gui.app import App\n",
        "game/gui/screens/title.py": "from game.gui.screens import call\n",
    })
    assert upward(graph) == []
    assert circles(graph) == [["game.gui.app", "game.gui.screens.call"]]
