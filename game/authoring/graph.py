"""``callback graph``: the story map as Graphviz DOT or Mermaid.

Endings are filled with the colour of their door outcome, and every other scene is
tinted with the best outcome its arrows still lead to (so the map shows where doors
close); each edge carries the choice text (shortened)
and the change the choice's effects make to the overall score when nothing is
clamped. A run record (``callback play --json``) can be drawn over the map, and the
class report (:mod:`game.classroom.report_page`) draws it with each arrow as wide as
the share of the class that took it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from game.authoring.stories import open_story
from game.exits import EXIT_INVALID, EXIT_OK
from game.story.model import Choice, Outcome, Story

OUTCOME_COLOURS = {
    Outcome.OPEN: "#2e8b57",
    Outcome.AJAR: "#7cb342",
    Outcome.SHUT: "#e0a030",
    Outcome.CLOSED: "#c62828",
}
OUTCOME_TINTS = {
    Outcome.OPEN: "#dff0e6",
    Outcome.AJAR: "#eaf4dc",
    Outcome.SHUT: "#faefd9",
    Outcome.CLOSED: "#f8dcdc",
}
"""Pale fills for the scenes, after the best outcome still ahead of them."""
_RANK = {Outcome.CLOSED: 0, Outcome.SHUT: 1, Outcome.AJAR: 2, Outcome.OPEN: 3}
HIGHLIGHT = "#1565c0"
MAX_LABEL = 34


class GraphError(Exception):
    """A map that cannot be drawn as asked (missing Graphviz, unreadable run)."""


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """Shorten text to ``limit`` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def score_change(story: Story, choice: Choice) -> int:
    """The change to the overall score the choice's meter effects make, unclamped."""
    weights = sum(m.weight for m in story.meters.values() if m.weight > 0)
    if not weights:
        return 0
    total = sum(
        story.meters[name].weight * amount / (story.meters[name].max - story.meters[name].min)
        for name, amount in choice.effects.items()
        if name in story.meters and not isinstance(amount, bool)
    )
    return round(100 * total / weights)


def _edges(story: Story) -> Iterable[tuple[str, str, str, str | None]]:
    """Yield (from, to, label, choice id) for every link of the map."""
    for sid, scene in story.scenes.items():
        for choice in scene.choices:
            change = score_change(story, choice)
            label = f"{shorten(choice.text)} ({change:+d})"
            yield sid, choice.goto, label, choice.id
        if scene.next:
            yield sid, scene.next, "continue", None
        for route in scene.route:
            label = f"if {shorten(route.condition)}" if route.condition else "else"
            yield sid, route.goto, label, None


def best_ahead(story: Story) -> dict[str, Outcome]:
    """For each scene, the best door outcome its arrows lead to (conditions not weighed).

    Scenes from which no ending can be reached by any arrow are left out.
    """
    incoming: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for source, target, _, _ in _edges(story):
        incoming.setdefault(target, set()).add(source)
    best: dict[str, Outcome] = {}
    endings = sorted(((sid, s.ending.outcome) for sid, s in story.scenes.items() if s.ending),
                     key=lambda item: -_RANK[item[1]])
    for sid, outcome in endings:  # best outcomes first: the first to reach a scene wins
        stack = [sid]
        while stack:
            here = stack.pop()
            if here in best:
                continue
            best[here] = outcome
            stack.extend(incoming.get(here, ()))
    return best


def read_highlight(path: Path) -> tuple[set[tuple[str, str]], str | None]:
    """Read a run record; return the (scene, choice) pairs taken and the ending."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        steps = record["steps"]
        taken = {(str(step["scene"]), str(step["chosen"])) for step in steps}
        return taken, record.get("ending")
    except (OSError, UnicodeDecodeError) as error:
        raise GraphError(f"{path}: cannot read run record: {error}") from None
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise GraphError(f"{path}: not a 'callback play --json' run record ({error})") from None


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(story: Story, taken: set[tuple[str, str]] | None = None,
           ending: str | None = None, *,
           shares: Mapping[tuple[str, str], tuple[int, int]] | None = None,
           colours: Mapping[Outcome, str] = OUTCOME_COLOURS,
           tints: Mapping[Outcome, str] = OUTCOME_TINTS) -> str:
    """Return the story map in Graphviz DOT.

    Args:
        taken, ending: a run's path, drawn over the map.
        shares: for the class report, (runs that took it, runs that reached its scene)
            for each (scene, choice id): a choice's arrow is as wide as its share and
            says "12 of 30 · 40%"; a choice nobody took is dashed.
        colours, tints: the endings' fills and the scenes' tints, by door outcome.
    """
    taken = taken or set()
    visited = {scene for scene, _ in taken} | ({ending} if ending else set())
    out = [
        f"digraph {_quote(story.id)} {{",
        f"  label={_quote(story.title)}; labelloc=t; fontsize=20; fontname=\"DejaVu Sans\";",
        "  rankdir=TB; nodesep=0.35; ranksep=0.5;",
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=11, '
        'fillcolor="#eef1f5", color="#8a94a6"];',
        '  edge [fontname="DejaVu Sans", fontsize=9, color="#8a94a6", fontcolor="#444444"];',
    ]
    ahead = best_ahead(story)
    for sid, scene in story.scenes.items():
        attrs: dict[str, str] = {}
        label = sid if not scene.title else f"{sid}\n{scene.title}"
        if sid in ahead:
            attrs["fillcolor"] = _quote(tints[ahead[sid]])
        if scene.ending is not None:
            colour = colours[scene.ending.outcome]
            label = f"{shorten(scene.ending.title, 30)}\n[{scene.ending.outcome.value}]"
            attrs.update(fillcolor=_quote(colour), fontcolor='"white"', shape="box",
                         style='"rounded,filled,bold"')
        elif scene.route:
            attrs["shape"] = "diamond"
        if sid == story.start:
            attrs["penwidth"] = "2"
        if sid in visited:
            attrs.update(color=_quote(HIGHLIGHT), penwidth="3")
        attrs["label"] = _quote(label)
        out.append(f"  {_quote(sid)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    for source, target, label, choice_id in _edges(story):
        attrs = {"label": _quote(label)}
        if shares is not None and choice_id is not None:
            attrs.update(_share_style(label, shares.get((source, choice_id), (0, 0))))
        if choice_id is not None and (source, choice_id) in taken:
            attrs.update(color=_quote(HIGHLIGHT), penwidth="3", fontcolor=_quote(HIGHLIGHT))
        elif choice_id is None and source in visited and (target in visited):
            attrs.update(color=_quote(HIGHLIGHT), penwidth="3")
        out.append(f"  {_quote(source)} -> {_quote(target)} "
                   f"[{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _share_style(label: str, share: tuple[int, int]) -> dict[str, str]:
    """An arrow's look in the class report: as wide as the share that took it."""
    count, reached = share
    if not count:
        return {"label": _quote(f"{label}\nnobody"), "style": "dashed", "color": '"#9e9e9e"'}
    fraction = count / reached
    shown = (200 * count + reached) // (2 * reached)
    return {"label": _quote(f"{label}\n{count} of {reached} · {shown}%"),
            "penwidth": f"{1 + 9 * fraction:.1f}", "color": '"#0072B2"',
            "fontcolor": '"#003d66"'}


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("|", "#124;")


def to_mermaid(story: Story, taken: set[tuple[str, str]] | None = None,
               ending: str | None = None) -> str:
    """Return the story map as a Mermaid flowchart."""
    taken = taken or set()
    ids = {sid: f"s{i}" for i, sid in enumerate(story.scenes)}
    out = ["flowchart TD"]
    for outcome, colour in OUTCOME_COLOURS.items():
        out.append(f"  classDef {outcome.value} fill:{colour},color:#fff,stroke:#333")
    for outcome, tint in OUTCOME_TINTS.items():
        out.append(f"  classDef ahead-{outcome.value} fill:{tint},stroke:#8a94a6")
    out.append(f"  classDef taken stroke:{HIGHLIGHT},stroke-width:4px")
    ahead = best_ahead(story)
    for sid, scene in story.scenes.items():
        tint = f":::ahead-{ahead[sid].value}" if sid in ahead else ""
        if scene.ending is not None:
            label = f"{scene.ending.title} [{scene.ending.outcome.value}]"
            out.append(f'  {ids[sid]}(["{_mermaid_text(label)}"]):::{scene.ending.outcome.value}')
        elif scene.route:
            out.append(f'  {ids[sid]}{{"{_mermaid_text(sid)}"}}{tint}')
        else:
            out.append(f'  {ids[sid]}["{_mermaid_text(sid)}"]{tint}')
    taken_links = []
    for link, (source, target, label, choice_id) in enumerate(_edges(story)):
        out.append(f'  {ids[source]} -->|"{_mermaid_text(label)}"| {ids[target]}')
        if choice_id is not None and (source, choice_id) in taken:
            taken_links.append(str(link))
    if taken_links:
        out.append(f"  linkStyle {','.join(taken_links)} stroke:{HIGHLIGHT},stroke-width:4px")
    for sid in {s for s, _ in taken} | ({ending} if ending else set()):
        if sid in ids:
            out.append(f"  class {ids[sid]} taken")
    return "\n".join(out) + "\n"


def render(dot_text: str, fmt: str, output: Path) -> None:
    """Render DOT to SVG or PNG with Graphviz's ``dot``; raise GraphError if missing."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphError(
            f"--format {fmt} needs Graphviz's 'dot' program, which is not installed "
            "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; "
            "Windows: winget install graphviz). --format dot and --format mermaid work without it."
        )
    proc = subprocess.run([dot, f"-T{fmt}", "-o", str(output)], input=dot_text.encode(),
                          capture_output=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise GraphError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")


def render_svg(dot_text: str) -> str | None:
    """The map drawn by Graphviz as SVG text, or None when Graphviz is not installed.

    Raises GraphError if ``dot`` fails.
    """
    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        proc = subprocess.run([dot, "-Tsvg"], input=dot_text.encode(), capture_output=True,
                              timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise GraphError("dot took more than two minutes, and was stopped") from None
    except OSError as error:
        raise GraphError(f"dot could not be run ({error.strerror or error})") from None
    if proc.returncode != 0:
        raise GraphError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode("utf-8", errors="replace")


def write_graph(story: Story, fmt: str, output: Path | None,
                highlight: Path | None = None) -> str | None:
    """Write the map in ``fmt`` to ``output`` (or return the text when output is None)."""
    taken: set[tuple[str, str]] = set()
    ending = None
    if highlight is not None:
        taken, ending = read_highlight(highlight)
    draw = to_mermaid if fmt == "mermaid" else to_dot
    text = draw(story, taken, ending)
    if fmt in ("svg", "png"):
        if output is None:
            raise GraphError(f"--format {fmt} needs -o FILE")
        render(text, fmt, output)
        return None
    if output is None:
        return text
    output.write_text(text, encoding="utf-8")
    return None


def graph_command(story: str, *, fmt: str, output: str | None, highlight: str | None,
                  workers: int, out: TextIO, err: TextIO) -> int:
    """``callback graph``: draw the map of the story ``story`` names."""
    result = open_story(story, err, workers)
    if result is None or result.story is None:
        return EXIT_INVALID
    target = Path(output) if output else None
    try:
        text = write_graph(result.story, fmt, target, Path(highlight) if highlight else None)
    except GraphError as error:
        err.write(f"callback: {error}\n")
        return EXIT_INVALID
    if text is not None:
        out.write(text)
    elif target is not None:
        err.write(f"wrote {target}\n")
    return EXIT_OK
