"""The history (key H during a call): every line, every answer and what each answer changed.

It opens at the newest row. Up and Down scroll a line, Page Up and Page Down a
page, Home and End go to either end; the mouse wheel scrolls and a click on the
scroll bar's track moves a page. Export (key E) writes the history as a text file
and says where; Back (Esc, H or Backspace) returns to the call, which waited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.engine.compiled import CompiledStory
from game.engine.history import RowKind, change_text, history, history_text
from game.engine.state import PlayState
from game.gui.screens.base import Host, Screen
from game.gui.widgets import Item, Menu, clip_text, draw_button, draw_panel, draw_text, wrap
from game.store.exports import export_history

EXPORT_LABEL = "Export as text"
BACK_LABEL = "Back to the call"
HINT = "↑ ↓ PgUp PgDn scroll  ·  E export  ·  Esc back"


@dataclass(frozen=True)
class _Line:
    text: str
    role: str
    colour: str
    indent: int


class HistoryScreen(Screen):
    """The playthrough so far, as a transcript with each answer's score change.

    Args:
        app: The app.
        story: The story being played.
        state: The playthrough so far.
        mode: How the call is played ("practice" or "assessment"), for the heading.
    """

    story: CompiledStory

    def __init__(self, app: Host, story: CompiledStory, state: PlayState, mode: str) -> None:
        super().__init__(app)
        self.story = story
        self.state = state
        self.mode = mode
        self.rows = history(story, state)
        self.menu = Menu([Item(EXPORT_LABEL), Item(BACK_LABEL, primary=True)], vertical=False,
                         focus=1)
        self.scroll = 0
        """How many pixels the text is scrolled up from its end (0: the newest row shows)."""
        self.lines: list[_Line] = []
        self.exported: Path | None = None

    def pauses(self) -> bool:
        """Esc goes back to the call instead of opening the pause menu."""
        return False

    @property
    def heading(self) -> str:
        """The story's title, how it is played, and the keys."""
        return f"{self.story.model.title}  ·  {self.mode}  ·  {HINT}"

    def toast_area(self) -> pygame.Rect:
        """Where notices go: over the page's foot, never over the buttons."""
        return self.page

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """A page of text between the title and a row of two buttons."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        w, h = size
        margin = px(32)
        title_h = theme.font("h1").get_linesize() + theme.font("small").get_linesize() + px(12)
        button_h = max(px(56), theme.font("h3").get_linesize() + px(20))
        self.title_y = margin
        self.buttons_y = h - margin - button_h
        self.page = pygame.Rect(margin, margin + title_h, w - 2 * margin,
                                self.buttons_y - px(16) - margin - title_h)
        font = theme.font("h3")
        x = self.page.x
        for item in self.menu.items:
            width = font.size(item.label)[0] + px(64)
            item.rect = pygame.Rect(x, self.buttons_y, width, button_h)
            x += width + px(16)
        right = self.menu.items[-1].rect.right
        if right > self.page.right:  # too narrow for both side by side: share the width
            half = (self.page.w - px(16)) // 2
            for index, item in enumerate(self.menu.items):
                item.rect = pygame.Rect(self.page.x + index * (half + px(16)), self.buttons_y,
                                        half, button_h)
        self.text_area = self.page.inflate(-px(48), -px(32))
        self.text_area.w -= px(16)  # the scroll bar
        self.lines = self._lay_lines(self.text_area.w)
        self.scroll = min(self.scroll, self.max_scroll)

    def _lay_lines(self, width: int) -> list[_Line]:
        """Wrap every row to ``width`` pixels."""
        theme, px = self.theme, self.theme.px
        out: list[_Line] = []
        indent = px(28)
        for row in self.rows:
            if out and row.kind is not RowKind.TIME:
                out.append(_Line("", "tiny", "muted", 0))  # a little air between rows
            if row.kind is RowKind.TIME:
                out.append(_Line("", "small", "muted", 0))
                out += [_Line(t, "small_bold", "accent", 0)
                        for t in wrap(theme.font("small_bold"), row.text, width)]
            elif row.kind is RowKind.NARRATION:
                out += [_Line(t, "body", "muted", indent)
                        for t in wrap(theme.font("body"), row.text, width - indent)]
            elif row.kind is RowKind.LINE:
                text = f"{row.speaker}: {row.text}"
                out += [_Line(t, "body", "text", 0) for t in wrap(theme.font("body"), text, width)]
            else:
                out += [_Line(t, "bold", "text", indent)
                        for t in wrap(theme.font("bold"), f"You: {row.text}", width - indent)]
                out += [_Line(t, "small", "warn", indent)
                        for t in wrap(theme.font("small"), change_text(row), width - indent)]
        return out

    @property
    def content_h(self) -> int:
        """The height of every line of the history, in pixels."""
        return sum(self.theme.font(line.role).get_linesize() for line in self.lines)

    @property
    def max_scroll(self) -> int:
        """How far up the text can scroll."""
        return max(0, self.content_h - self.text_area.h)

    def _scroll_by(self, pixels: int) -> None:
        self.scroll = max(0, min(self.max_scroll, self.scroll + pixels))

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Scroll, export, or go back."""
        line = self.theme.font("body").get_linesize()
        page = max(line, self.text_area.h - line)
        if event.type == pygame.KEYDOWN:
            moves = {pygame.K_UP: line, pygame.K_DOWN: -line, pygame.K_PAGEUP: page,
                     pygame.K_PAGEDOWN: -page, pygame.K_HOME: self.max_scroll,
                     pygame.K_END: -self.max_scroll}
            if event.key in moves:
                self._scroll_by(moves[event.key])
                return
            if event.key in (pygame.K_ESCAPE, pygame.K_h, pygame.K_BACKSPACE):
                self.app.pop()
                return
            if event.key == pygame.K_e:
                self.export()
                return
        elif event.type == pygame.MOUSEWHEEL:
            self._scroll_by(event.y * line * 2)
            return
        elif (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
              and self.track.collidepoint(event.pos)):
            self._scroll_by(page if event.pos[1] < self.thumb.centery else -page)
            return
        index = self.menu.handle(event)
        if index == 0:
            self.export()
        elif index == 1:
            self.app.pop()

    def export(self) -> None:
        """Write the history as a text file and say where it went."""
        heading = f"{self.story.model.title}: the call so far ({self.mode})"
        try:
            path = export_history(history_text(self.story, self.state, heading),
                                  self.story.id, self.app.session.player_dir
                                  or self.app.session.data_dir)
        except OSError as error:
            self.app.notify(f"The history could not be written: {error}")
            return
        self.exported = path
        self.app.notify(f"History saved to {path}")

    # ------------------------------------------------------------------ drawing
    @property
    def track(self) -> pygame.Rect:
        """The scroll bar's track, right of the text."""
        area, px = self.text_area, self.theme.px
        return pygame.Rect(area.right + px(4), area.y, px(12), area.h)

    @property
    def thumb(self) -> pygame.Rect:
        """The scroll bar's thumb: where the shown part is in the whole."""
        track, total = self.track, max(1, self.content_h)
        height = max(self.theme.px(24), round(track.h * min(1.0, track.h / total)))
        room = track.h - height
        top = track.y + (room if not self.max_scroll
                         else round(room * (1 - self.scroll / self.max_scroll)))
        return pygame.Rect(track.x, top, track.w, height)

    def draw(self, surface: pygame.Surface) -> None:
        """The title, the page of text (scrolled), its scroll bar and the buttons."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.background)
        h1 = theme.font("h1")
        draw_text(surface, h1, "History", pal.text, topleft=(self.page.x, self.title_y))
        small = theme.font("small")
        heading = wrap(small, self.heading, self.page.w)
        if len(heading) > 1:  # a narrow window: the keys go before the title
            heading = [clip_text(small, f"{self.story.model.title}  ·  {self.mode}", self.page.w)]
        draw_text(surface, small, heading[0], pal.muted,
                  topleft=(self.page.x, self.title_y + h1.get_linesize()))
        draw_panel(surface, self.page, pal.panel, pal.panel_edge, radius=px(16))
        area = self.text_area
        y = area.bottom - self.content_h + self.scroll
        if self.content_h <= area.h:
            y = area.y
        clip = surface.get_clip()
        surface.set_clip(area)
        for line in self.lines:
            font = theme.font(line.role)
            height = font.get_linesize()
            if y + height > area.y and y < area.bottom and line.text:
                draw_text(surface, font, line.text, getattr(pal, line.colour),
                          topleft=(area.x + line.indent, y))
            y += height
        surface.set_clip(clip)
        if self.max_scroll:
            pygame.draw.rect(surface, pal.bar_back, self.track, border_radius=px(6))
            pygame.draw.rect(surface, pal.muted, self.thumb, border_radius=px(6))
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        if not self.rows:
            draw_text(surface, theme.font("body"), "Nothing has been said yet.", pal.muted,
                      topleft=area.topleft)
