"""The class report as one self-contained HTML page (Jinja2, escaped throughout).

Everything is in the one file: the styles, the charts (:mod:`game.classroom.charts`)
and the story map, drawn by Graphviz where it is installed (as ``callback graph``
draws it) with each arrow as wide as the share of the class that took it. Without
Graphviz the page says so, and each decision's table carries the same shares. The
page has no script and asks for nothing from the network, so it works offline, from
a USB stick or an email, and prints on A4 or Letter (see the ``@media print`` rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from game import __version__
from game.authoring.graph import GraphError, render_svg, to_dot
from game.classroom import charts
from game.classroom.questions import quote
from game.classroom.report_model import Move, Report, Section, StoryAtHand, percent
from game.story.model import Outcome

TEMPLATES = Path(__file__).resolve().parent / "templates"

MAP_TINTS = {
    Outcome.CLOSED: "#f9e0d2",
    Outcome.SHUT: "#fbeccc",
    Outcome.AJAR: "#ddeffa",
    Outcome.OPEN: "#d4efe6",
}
"""Pale Okabe-Ito tints for the map's scenes (the endings take :data:`charts.DOOR_COLOURS`)."""


@dataclass(frozen=True)
class PageInfo:
    """What the page says about how it was made."""

    source: str
    """Where the runs came from: a database, or export files."""
    filters: str
    """The filters given, in words ('' for none)."""
    generated: str
    """When the page was made, as a reader reads it (:func:`readable_time`)."""
    command: str = ""


def render_report(report: Report, stories: dict[str, StoryAtHand], info: PageInfo) -> str:
    """The page for ``report``; ``stories`` are the files at hand, for the maps."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(default=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["said"] = lambda text: quote(text, limit=None)
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report, info=info, version=__version__, charts=charts, Outcome=Outcome,
        percent=percent, anchor=anchor, map_of=lambda section: _map(section, stories),
        best_choices=lambda section: {(step.scene, step.choice) for step in section.best},
        move_groups=move_groups,
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")))


def readable_time(iso: str) -> str:
    """A UTC time as a person writes it: '2026-12-06T08:12:02Z' -> '6 December 2026, 08:12 UTC'."""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


def move_groups(section: Section) -> list[tuple[str, list[Move]]]:
    """The section's moves under the lesson's headings, in order (empty headings left out)."""
    groups: dict[str, list[Move]] = {}
    for move in section.moves:
        groups.setdefault(move.group, []).append(move)
    return list(groups.items())


def anchor(section: Section) -> str:
    """The section's id in the page (for the contents' links)."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{section.story}-{section.sha256[:8]}".lower()).strip("-")


@dataclass(frozen=True)
class Map:
    """A section's story map: the SVG, or why there is none."""

    svg: Markup | None = None
    missing: str = ""


def _map(section: Section, stories: dict[str, StoryAtHand]) -> Map:
    """The section's story map as inline SVG, or a sentence saying why there is none."""
    at_hand = stories.get(section.story)
    if not section.current or at_hand is None:
        return Map(missing="No map: the story file these runs were played on is not at hand.")
    shares = {(d.scene, o.choice): (o.count, d.reached)
              for d in section.decisions for o in d.options}
    dot = to_dot(at_hand.story.model, shares=shares, colours=charts.DOOR_COLOURS,
                 tints=MAP_TINTS)
    try:
        svg = render_svg(dot)
    except GraphError as error:
        return Map(missing=f"The map could not be drawn ({error}).")
    if svg is None:
        return Map(missing="The map needs Graphviz, which is not installed on this computer "
                "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
                "Windows: winget install graphviz). Each decision's table below gives the "
                "same shares.")
    return Map(Markup(_inline(svg, section)))


def _inline(svg: str, section: Section) -> str:
    """Graphviz's SVG made fit to sit inside the page: no XML prolog, doctype or comments,
    its ids made unique to the section (a page may hold several maps), and labelled for
    a screen reader."""
    svg = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", "", svg, flags=re.S).strip()
    svg = re.sub(r'\bid="', f'id="{anchor(section)}-', svg)
    label = escape(f"The story map of {section.title}: each arrow is a choice, as wide as the "
                   "share of the runs that took it, labelled with that share. The decisions "
                   "are listed with the same numbers below.")
    return svg.replace("<svg ", f'<svg class="map" role="img" aria-label="{label}" ', 1)
