"""Every player screen, at 800x600 and 1920x1080, at 100% and 200% text, in both themes:
no line of text is cut off by the window's edge or drawn over another, and a call's
answers are never smaller than the body text.

The screens are reached exactly as ``callback screenshots`` reaches them (a player
driving the window by keys), and checked as each picture is taken.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.gui.app import App
from game.gui.screens import call as call_module
from game.gui.screens.call import CallScreen
from game.gui.snapshots import LOOKS, look_suffix, write_screenshots
from tests.gui_helpers import Drawn, TextSpy


def _top_lines(app: App, spy: TextSpy, monkeypatch: pytest.MonkeyPatch) -> list[Drawn]:
    """Draw a frame; return the lines the top screen drew (not those under an overlay:
    a time-skip card covers the call it is drawn over)."""
    top = app.top
    marks: list[int] = []
    original, card = top.draw, call_module.draw_time_card

    def draw(surface: pygame.Surface) -> None:
        marks.append(len(spy.drawn))
        original(surface)
        marks.append(len(spy.drawn))

    def draw_card(*args: object) -> None:
        marks[0] = len(spy.drawn)  # what the card is drawn over is covered
        card(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(top, "draw", draw)
        patch.setattr(call_module, "draw_time_card", draw_card)
        spy.frame(app)
    return spy.drawn[marks[0]:marks[1]] if marks else []


def _seen(line: Drawn, window: pygame.Rect) -> pygame.Rect:
    """The part of ``line`` that can be seen: inside its clip (a scrolling area) and the window."""
    clip = line.clip if line.clip is not None else window
    return line.rect.clip(clip)


def problems_of(name: str, app: App, spy: TextSpy, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What is wrong with the text on screen ``name`` now (empty: nothing)."""
    window = app.surface.get_rect()
    lines = [d for d in _top_lines(app, spy, monkeypatch) if d.text.strip()]
    found = []
    for line in lines:
        scrolled = line.clip is not None and line.clip != window
        if not scrolled and not window.contains(line.rect):
            found.append(f"{name}: {line.text!r} is cut off by the window's edge at {line.rect}")
    seen = [(d, _seen(d, window)) for d in lines]
    for index, (one, a) in enumerate(seen):
        for other, b in seen[index + 1:]:
            overlap = a.clip(b)
            if overlap.w > 1 and overlap.h > 1:
                found.append(f"{name}: {one.text!r} and {other.text!r} overlap at {overlap}")
    top = app.top
    body = app.theme.font("body").get_height()
    if isinstance(top, CallScreen) and top.answering and top.choice_font.get_height() < body:
        found.append(f"{name}: the answers are smaller than the body text")
    return found


@pytest.mark.parametrize("look", LOOKS, ids=[look_suffix(*look)[1:] for look in LOOKS])
def test_no_text_is_cut_off_or_overlapping_on_any_screen(
        look: tuple[tuple[int, int], int, bool], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    size, scale, contrast = look
    spy = TextSpy(monkeypatch)
    found: list[str] = []
    names: list[str] = []

    def inspect(name: str, app: App) -> None:
        names.append(name)
        found.extend(problems_of(name, app, spy, monkeypatch))

    write_screenshots(tmp_path, None, size, look_suffix(*look), text_scale=scale,
                      high_contrast=contrast, inspect=inspect)
    assert {"title", "call", "history", "pause", "slots", "settings", "debrief"} <= set(names)
    assert not found, "\n".join(found)


def test_answers_that_do_not_fit_scroll_in_the_body_font_and_follow_the_focus(
        tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.gui_helpers import STORY, Pilot, make_app, start_call, write

    long = ("Thank you for letting me know, and for calling me yourself rather than sending "
            "an email; I know these calls are not easy to make either.")
    story = write(tmp_path, "long.yaml", STORY.replace("Thank you for letting me know.", long))
    app = make_app(tmp_path, [story], size=(800, 600))
    app.apply_settings(replace(app.session.settings, text_scale=200))
    pilot = Pilot(app)
    call = start_call(pilot)
    assert call.answering and call.answers_overflow > 0
    assert call.choice_font.get_height() == app.theme.font("body").get_height()
    area = call.answers_area
    last = max(i for i, item in enumerate(call.menu.items) if item.enabled)
    for _ in range(last + 1):  # the keyboard walks down to the last answer that can be taken
        pilot.press(pygame.K_DOWN)
        assert call.menu.focus is not None
        focused = call.menu.items[call.menu.focus].rect
        assert area.contains(focused) or focused.top == area.top  # in view, or its start
    assert call.menu.focus == last and call.answers_scroll > 0
    monkey = pytest.MonkeyPatch()
    monkey.setattr(pygame.mouse, "get_pos", lambda: area.center)
    try:
        for _ in range(20):  # the wheel over the answers: back up to the first
            pilot.wheel(3)
    finally:
        monkey.undo()
    assert call.answers_scroll == 0
    hidden = call.menu.items[last].rect
    assert not area.contains(hidden)
    pilot.click((hidden.centerx, max(hidden.y, area.bottom) + 2))  # where it is not shown
    assert call.state.choices_made == []
    first = call.menu.items[0].rect
    pilot.click((first.centerx, min(first.centery, area.bottom - 4)))
    assert call.state.choices_made == ["thank"]
