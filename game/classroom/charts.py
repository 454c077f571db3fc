"""The class report's charts as inline SVG: doors, scores and bars, readable without colour.

Colours are the Okabe-Ito palette, which readers with any common colour-vision
deficiency can tell apart; every door also has its own pattern and its name written
beside it, and every bar its number, so nothing is told by colour alone. Each chart
is an ``<svg role="img">`` with a title and a description that says every number,
for a screen reader. Text is escaped here (:func:`markupsafe.escape`); the page puts
the charts in as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from game.classroom.report_model import percent
from game.story.model import Outcome

DOOR_COLOURS = {
    Outcome.CLOSED: "#D55E00",  # vermillion
    Outcome.SHUT: "#E69F00",  # orange
    Outcome.AJAR: "#56B4E9",  # sky blue
    Outcome.OPEN: "#009E73",  # bluish green
}
BAR = "#0072B2"
"""Blue: the bars of answers, scores and meters."""
INK = "#1a1a1a"
MUTED = "#595959"
DOOR_NAMES = {
    Outcome.CLOSED: "Closed: do not recruit",
    Outcome.SHUT: "Shut: a file, forgotten",
    Outcome.AJAR: "Ajar: kept in the talent pool",
    Outcome.OPEN: "Open: called back",
}

PATTERNS = """<defs>
<pattern id="door-closed" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#D55E00"/>
<path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.4"/>
</pattern>
<pattern id="door-shut" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#E69F00"/><path d="M0 8L8 0" stroke="#fff" stroke-width="1.4"/>
</pattern>
<pattern id="door-ajar" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#56B4E9"/><circle cx="4" cy="4" r="1.5" fill="#fff"/>
</pattern>
<pattern id="door-open" width="8" height="8" patternUnits="userSpaceOnUse">
<rect width="8" height="8" fill="#009E73"/>
</pattern>
</defs>"""
"""One pattern per door (drawn once per page; the charts refer to them by id)."""


def patterns() -> Markup:
    """The door patterns, in a hidden SVG the page includes once."""
    return Markup('<svg width="0" height="0" aria-hidden="true" focusable="false" '
                  f'style="position:absolute">{PATTERNS}</svg>')


def _svg(width: int, height: int, title: str, desc: str, body: str, ident: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>")


def door_chart(doors: Mapping[Outcome, int], ident: str) -> Markup:
    """Runs per door outcome as labelled horizontal bars, best door first."""
    total = sum(doors.values())
    most = max(doors.values(), default=0) or 1
    rows = list(reversed(list(Outcome)))
    label_w, bar_w, row_h = 250, 330, 34
    body = []
    for index, door in enumerate(rows):
        count = doors.get(door, 0)
        y = 8 + index * row_h
        width = round(bar_w * count / most)
        body.append(
            f'<text x="0" y="{y + 19}" fill="{INK}" font-size="15">'
            f"{escape(DOOR_NAMES[door])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="26" fill="#f1f1f1"/>'
            f'<rect x="{label_w}" y="{y}" width="{width}" height="26" '
            f'fill="url(#door-{door.value})" stroke="{INK}" stroke-width="{1 if count else 0}"/>'
            f'<text x="{label_w + bar_w + 10}" y="{y + 19}" fill="{INK}" font-size="15">'
            f'<tspan font-weight="bold" data-fact="door-{door.value}">{count}</tspan>'
            f' ({percent(count, total)}%)</text>')
    desc = "; ".join(f"{DOOR_NAMES[d]}: {doors.get(d, 0)} of {total} runs "
                     f"({percent(doors.get(d, 0), total)}%)" for d in rows)
    return _svg(label_w + bar_w + 90, 16 + len(rows) * row_h, "How the doors ended", desc,
                "".join(body), ident)


def histogram(counts: Sequence[int], ident: str) -> Markup:
    """Scores in equal bins over 0-100 as columns, each with its count above it."""
    bins = len(counts)
    most = max(counts, default=0) or 1
    col_w, gap, plot_h, top = 52, 8, 160, 24
    body = [f'<line x1="0" y1="{top + plot_h}" x2="{bins * (col_w + gap)}" '
            f'y2="{top + plot_h}" stroke="{MUTED}"/>']
    labels = []
    for index, count in enumerate(counts):
        low = index * 100 // bins
        high = 100 if index == bins - 1 else (index + 1) * 100 // bins - 1
        labels.append(f"{low}-{high}")
        x = index * (col_w + gap)
        height = round(plot_h * count / most)
        body.append(
            f'<rect x="{x}" y="{top + plot_h - height}" width="{col_w}" height="{height}" '
            f'fill="{BAR}"/>'
            f'<text x="{x + col_w / 2}" y="{top + plot_h - height - 6}" text-anchor="middle" '
            f'font-size="15" fill="{INK}" data-fact="scores-{low}">{count}</text>'
            f'<text x="{x + col_w / 2}" y="{top + plot_h + 20}" text-anchor="middle" '
            f'font-size="13" fill="{MUTED}">{low}–{high}</text>')
    desc = "Runs by score: " + "; ".join(f"{label}: {count}" for label, count in
                                          zip(labels, counts, strict=True))
    return _svg(bins * (col_w + gap), top + plot_h + 30, "Scores of the runs", desc,
                "".join(body), ident)


def share_bar(share: float, *, best: bool = False) -> Markup:
    """A small bar for a share (0..1), for a table cell whose text gives the number.

    ``best``: the answer on the best path, drawn with a dark outline as well as
    named in the table (never told by the outline alone).
    """
    width = round(160 * max(0.0, min(1.0, share)))
    outline = f' stroke="{INK}" stroke-width="2"' if best else ""
    return Markup(
        '<svg class="bar" viewBox="0 0 164 20" width="164" height="20" aria-hidden="true">'
        f'<rect x="2" y="3" width="160" height="14" fill="#f1f1f1"/>'
        f'<rect x="2" y="3" width="{width}" height="14" fill="{BAR}"{outline}/></svg>')


def meter_bar(mean: float, low: int, high: int, scale: tuple[int, int]) -> Markup:
    """A meter's range at the end of the runs (a line) and its average (a diamond)."""
    lo, hi = scale
    span = (hi - lo) or 1

    def x(value: float) -> float:
        return 2 + 200 * (max(lo, min(hi, value)) - lo) / span

    mid = x(mean)
    return Markup(
        '<svg class="bar" viewBox="0 0 204 24" width="204" height="24" aria-hidden="true">'
        f'<rect x="2" y="10" width="200" height="4" fill="#e0e0e0"/>'
        f'<rect x="{x(low):.1f}" y="8" width="{max(2.0, x(high) - x(low)):.1f}" height="8" '
        f'fill="{BAR}" opacity="0.45"/>'
        f'<path d="M{mid:.1f} 2L{mid + 7:.1f} 12L{mid:.1f} 22L{mid - 7:.1f} 12Z" fill="{INK}"/>'
        "</svg>")
