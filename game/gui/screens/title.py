"""The title screen: the game's name, the campaign, and the stories to play.

A call left half way (quit, crash, power cut) comes first as "Continue your
call": it replays the saved moves on the story as it is now. When the stories
include a campaign, its entry comes next (key C): the
scenarios in order, choices carried from one call to the next, and which part
the player is up to (from the profile's ``finished`` list). It starts the
campaign exactly as ``callback play --campaign`` does.

At the top left it says who is playing ("Playing as Ana · class 11B", or
"Playing anonymously"); P or a click there opens :class:`PlayerScreen` to type
an optional class code and name, or to clear them.

Beside a story's Play button, "Workshop" (key W) projects it for a class (see
:mod:`game.gui.screens.workshop`), under the class code shown at the top left.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.gui.screens import campaign
from game.gui.screens.base import Host, Screen
from game.gui.screens.campaign import CAMPAIGN_LABEL, CAMPAIGN_LINE, Progress
from game.gui.screens.player import PlayerScreen, button_label
from game.gui.screens.settings import SettingsScreen
from game.gui.widgets import (
    Item,
    Menu,
    clip_text,
    draw_avatar,
    draw_lines,
    draw_panel,
    draw_text,
    fit_lines,
    wrap,
)
from game.story.words import minutes_to_play

if TYPE_CHECKING:
    from game.store.saves import Saved
    from game.story.model import Story

CONTINUE_LABEL = "Continue your call"
WORKSHOP_LABEL = "Workshop"
"""The detail panel's second button (key W): project the story for a class."""
SETTINGS_LABEL = "⚙  Settings"
_HINTS = ("↑ ↓ to choose", "Enter, click or 1–9 to play", "W workshop", "C for the campaign",
          "M mode", "P who is playing", "S settings", "Esc to quit")
_HINTS_DROPPED = ("↑ ↓ to choose", "Esc to quit", "Enter, click or 1–9 to play", "W workshop",
                  "P who is playing", "S settings")
"""The key hints a narrow window leaves out first."""
MODE_LABELS = {"practice": "Practice mode", "assessment": "Assessment mode"}
"""The mode button's label (key M): practice lets you take answers back; assessment does not."""
QUIT_DETAIL = "Your call in progress is saved: Continue picks it up next time."
QUIT_DETAIL_NONE = "Your finished calls and your settings are kept for next time."
TAGLINE = "Practise the phone call that says you didn't get the job, and keep the door open."


def _meta(story: Story) -> str:
    """Return e.g. 'about 7 min  ·  part 1 of the campaign'."""
    parts = [f"about {minutes_to_play(story)} min"]
    if story.campaign is not None:
        parts.append(f"part {story.campaign.order} of the campaign")
    return "  ·  ".join(parts)


def _people(story: Story) -> list[tuple[str, str]]:
    """Return (name, role) of everyone the player talks to."""
    return [(p.name, p.role) for key, p in story.cast.items() if key != story.player]


def _hint(font: pygame.font.Font, campaign: bool, width: int) -> str:
    """Return the key hints that fit ``width`` pixels (a narrow window drops the obvious ones)."""
    parts = [h for h in _HINTS if campaign or not h.startswith("C ")]
    dropped = list(_HINTS_DROPPED)
    while font.size("  ·  ".join(parts))[0] > width and dropped:
        parts.remove(dropped.pop(0))
    return "  ·  ".join(parts)


def _continue_note(saved: Saved) -> str:
    choices = saved.choices
    when = (f"after {choices} choice{'s' * (choices != 1)}" if choices
            else "before your first answer")
    return (f"You left “{saved.story_title}” {when}. Pick up where you were: "
            "the call replays to that point.")


class TitleScreen(Screen):
    """Lists the saved call, the campaign and the stories; keys 1-9, C, S and P, arrows, mouse.

    ``paths`` lines up with the menu's items: None is the campaign entry, and the
    saved call (when there is one) comes first, its path that of its story.
    """

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        stories = list(app.session.stories)
        saved = app.session.saved
        self.has_continue = saved is not None
        self.has_campaign = bool(app.session.campaign_paths())
        self.paths: list[Path | None] = [None] * self.has_campaign + list(stories)
        items: list[Item] = []
        self.minutes: list[int | None] = []
        self.broken: list[bool] = []
        self.meta: list[str] = []
        self.people: list[list[tuple[str, str]]] = []
        if saved is not None:
            self.paths.insert(0, Path(saved.story_path))
            items.append(Item(CONTINUE_LABEL, note=_continue_note(saved)))
            self.minutes.append(None)
            self.broken.append(False)
            self.meta.append(saved.story_title + ("  ·  campaign" if saved.campaign else ""))
            story_file = Path(saved.story_path)
            earlier = app.session.load(story_file).story if story_file.is_file() else None
            self.people.append(_people(earlier) if earlier is not None else [])
        if self.has_campaign:
            items.append(Item(CAMPAIGN_LABEL, note=CAMPAIGN_LINE))
            self.minutes.append(None)
            self.broken.append(False)
            self.meta.append("")
            self.people.append([])
        for index, path in enumerate(stories):
            result = app.session.load(path)
            number = index + 1 if index < 9 else None
            story = result.story
            self.broken.append(story is None)
            if story is None:
                label = path.stem.replace("-", " ").capitalize()
                problems = len(result.errors)
                note = (
                    f"{path.name} has {problems} problem{'s' * (problems != 1)} to fix "
                    "before it can be played. Open it to see where."
                )
                items.append(Item(label, number, note=note))
                self.minutes.append(None)
                self.meta.append("Not playable yet")
                self.people.append([])
                continue
            items.append(Item(story.title, number, note=story.summary.strip()))
            self.minutes.append(minutes_to_play(story))
            self.meta.append(_meta(story))
            self.people.append(_people(story))
        self.menu = Menu(items)
        self.offset = 0
        self.settings_button = Item(SETTINGS_LABEL)
        self.player_button = Item("")
        self.mode_button = Item("")

    def progress(self) -> Progress:
        """Return the campaign's parts and which are finished, as the profile says now."""
        return campaign.progress_of(self.app.session)

    def buttons(self, index: int | None) -> list[tuple[pygame.Rect, list[str]]]:
        """The detail panel's buttons for menu item ``index`` and their label's lines: its
        action (play, continue, start the campaign), then Workshop if it can be projected."""
        if index is None:
            return []
        px = self.theme.px
        box = self.detail
        area = pygame.Rect(box.x + px(28), box.y, box.w - px(56), box.h - px(26))
        if self.is_campaign(index):
            return campaign.place_buttons(self.theme, [self.progress().action], area, px(56))
        label = "See the problems  →" if self.broken[index] else "Play  →"
        labels = ["Continue  →" if self.is_continue(index) else label]
        if self.workshop_path(index) is not None:
            labels.append(WORKSHOP_LABEL)
        return campaign.place_buttons(self.theme, labels, area, px(48))

    def play_rect(self) -> pygame.Rect:
        """The detail panel's first button (play, continue or start the campaign)."""
        buttons = self.buttons(self.menu.focus)
        return buttons[0][0] if buttons else pygame.Rect(0, 0, 0, 0)

    def is_campaign(self, index: int | None) -> bool:
        """Return True if menu item ``index`` is the campaign entry."""
        return index is not None and self.paths[index] is None

    def workshop_path(self, index: int | None) -> Path | None:
        """The story menu item ``index`` projects in a workshop (None: not a playable story)."""
        if index is None or self.is_campaign(index) or self.is_continue(index):
            return None
        return None if self.broken[index] else self.paths[index]

    def is_continue(self, index: int | None) -> bool:
        """Return True if menu item ``index`` continues the saved call."""
        return index == 0 and self.has_continue

    def activate(self, index: int) -> None:
        """Continue the saved call, start the campaign, or play one story on its own."""
        path = self.paths[index]
        if self.is_continue(index):
            self.app.continue_saved()
        elif path is None:
            self.app.start_campaign()
        else:
            self.app.session.campaign = False  # a story picked from the list is played alone
            self.app.open_story(path)

    def pauses(self) -> bool:
        """Esc on the title quits instead of pausing."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """Brand at the top; below it the story list and the focused story's details."""
        super().layout(size)
        w, h = size
        self._place_top(w)
        self._place_tagline(w, h)
        self._place_list(w)
        self._follow_focus()

    def _place_top(self, w: int) -> None:
        """The corner buttons beside the brand, or in a row of their own above it if they
        would run into it (large text, a narrow window)."""
        px, font, hero = self.theme.px, self.theme.font("small_bold"), self.theme.font("hero")
        height = max(px(40), font.get_linesize() + px(14))
        gear = pygame.Rect(0, 0, font.size(SETTINGS_LABEL)[0] + px(32), height)
        gear.topright = (w - px(20), px(18))
        self.settings_button.rect = gear
        self._place_mode_button()
        ink = hero.get_ascent() - max(m[3] for m in hero.metrics("☎Callback") if m)
        self.brand_y = max(px(28), self.size[1] // 14)
        brand_w = hero.size("☎")[0] + px(20) + hero.size("Callback")[0]
        side = (w - brand_w) // 2
        self.player_room = max(px(120), side - px(44))
        clear_beside = w - self.mode_button.rect.x + px(24) <= side and side - px(44) >= px(120)
        if not clear_beside and gear.bottom + px(4) > self.brand_y + ink:  # a row of their own
            for button in (self.settings_button, self.mode_button):
                button.rect.y = px(12)
            self.player_room = self.mode_button.rect.x - px(32)
            self.brand_y = gear.bottom + px(10) - ink
        self._place_player_button()
        top = self.brand_y + ink  # where the brand's glyphs start (its line has room above)
        self.brand = pygame.Rect((w - brand_w) // 2, top, brand_w, hero.get_linesize() - ink)

    def _place_tagline(self, w: int, h: int) -> None:
        """The tagline under the brand (unless it would leave the list under half the window);
        where the list starts, and where it ends above the key hints."""
        px, body = self.theme.px, self.theme.font("body")
        tiny = self.theme.font("tiny")
        self.list_bottom = min(h - px(58), h - px(32) - tiny.get_linesize())
        self.tagline = wrap(body, TAGLINE, min(w - px(80), px(1000)))
        below = self.brand.bottom + px(8) + len(self.tagline) * body.get_linesize() + px(34)
        if len(self.tagline) > 2 or self.list_bottom - below < h // 2:
            self.tagline, below = [], self.brand.bottom + px(20)
        self.list_top = below

    def _place_list(self, w: int) -> None:
        """The list's rows (squeezed before the list has to scroll) and the detail panel."""
        px = self.theme.px
        width = min(px(1120), w - px(80))
        left = (w - width) // 2
        list_w = round(width * 0.46)
        least = self.theme.font("h3").get_linesize() + px(8)  # a row still holds its label
        row_h, gap = (px(52), px(8)) if self.has_campaign else (px(58), px(10))
        row_h = max(row_h, least + px(8))
        special = [i for i in range(len(self.menu.items))
                   if self.is_campaign(i) or self.is_continue(i)]
        tall, after = (px(58), px(12)) if len(special) > 1 else (px(66), px(18))
        tall = max(tall, campaign.row_height(self.theme))
        plain = len(self.menu.items) - len(special)
        if plain:  # squeeze the rows (down to their label) before the list has to scroll
            room = self.list_bottom - self.list_top - len(special) * (tall + after)
            if room // plain < row_h + gap:
                gap = px(6)
                row_h = max(px(40), least, room // plain - gap)
        y = self.list_top
        for index, item in enumerate(self.menu.items):
            height = tall if index in special else row_h
            item.rect = pygame.Rect(left, y, list_w, height)
            y += height + (after if index in special else gap)
        self.list_end = y
        self.detail = pygame.Rect(left + list_w + px(24), self.list_top, 0, 0)
        self.detail.size = (width - list_w - px(24), self.list_bottom - self.list_top)
        small = self.theme.font("small")
        _, _, text_x = campaign.row_badge(self.theme, pygame.Rect(left, 0, list_w, row_h))
        tails = [f"{m} min" for m in self.minutes if m] + ["problems"] * any(self.broken)
        widest = max((small.size(tail)[0] for tail in tails), default=0)
        label_room = left + list_w - px(20) - widest - px(12) - text_x
        # The minutes give way to the titles if these would keep under 14 letters or so.
        self.tails = label_room >= self.theme.font("h3").size("n" * 14)[0]

    def _place_mode_button(self) -> None:
        """Label the mode button with the mode now, left of the settings button."""
        px, font = self.theme.px, self.theme.font("small_bold")
        self.mode_button.label = MODE_LABELS[self.app.session.mode]
        rect = pygame.Rect(0, 0, font.size(self.mode_button.label)[0] + px(32),
                           self.settings_button.rect.h)
        rect.topright = (self.settings_button.rect.x - px(12), self.settings_button.rect.y)
        self.mode_button.rect = rect

    def _place_player_button(self) -> None:
        """Size the player button to who is playing now (left of the brand, shortened to fit)."""
        px, font = self.theme.px, self.theme.font("small_bold")
        session = self.app.session
        label = button_label(font, session.class_code, session.name, self.player_room - px(32))
        self.player_button.label = label
        gear = self.settings_button.rect
        self.player_button.rect = pygame.Rect(px(20), gear.y, font.size(label)[0] + px(32), gear.h)

    def _follow_focus(self) -> None:
        """Scroll the list so the focused row is fully visible."""
        if self.menu.focus is None or not self.menu.items:
            return
        rect = self.menu.items[self.menu.focus].rect.move(0, -self.offset)
        if rect.bottom > self.list_bottom:
            self.offset += rect.bottom - self.list_bottom
        elif rect.top < self.list_top:
            self.offset -= self.list_top - rect.top
        self._scroll(0)

    def _scroll(self, step: int) -> None:
        """Scroll the list ``step`` pixels down (up if negative), no further than its ends."""
        most = max(0, self.list_end - self.list_bottom)
        self.offset = max(0, min(self.offset + step, most))

    def handle(self, event: pygame.event.Event) -> None:
        """Start the campaign or the chosen story; M changes the mode; Esc asks to quit."""
        key = event.key if event.type == pygame.KEYDOWN else None
        clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        pos = event.pos if clicked else (-1, -1)
        if key == pygame.K_ESCAPE:
            from game.gui.screens.confirm import ConfirmScreen

            detail = QUIT_DETAIL if self.app.session.saved is not None else QUIT_DETAIL_NONE
            self.app.push(ConfirmScreen(self.app, "Quit Callback?", detail, "Quit", "Stay",
                                        self.app.quit))
        elif key == pygame.K_c and self.has_campaign:
            self.menu.focus = int(self.has_continue)
            self.activate(self.menu.focus)
        elif key == pygame.K_s or self.settings_button.rect.collidepoint(pos):
            self.app.push(SettingsScreen(self.app))
        elif key == pygame.K_m or self.mode_button.rect.collidepoint(pos):
            self.app.session.next_mode()
            self.layout(self.size)  # a longer label may move the corner buttons
        elif key == pygame.K_p or self.player_button.rect.collidepoint(pos):
            self.app.push(PlayerScreen(self.app))
        elif event.type == pygame.MOUSEWHEEL:
            self._scroll(-event.y * self.theme.px(48))
        else:
            self._handle_list(event, key, pos)

    def _handle_list(self, event: pygame.event.Event, key: int | None,
                     pos: tuple[int, int]) -> None:
        """The detail panel's buttons (W: Workshop), then the list: keys, and the mouse over
        the rows that show (a row scrolled out of sight is not there to click)."""
        focus = self.menu.focus
        buttons = self.buttons(focus)
        workshop = self.workshop_path(focus)
        if focus is not None and buttons and buttons[0][0].collidepoint(pos):
            self.activate(focus)
            return
        on_workshop = len(buttons) > 1 and buttons[1][0].collidepoint(pos)
        if workshop is not None and (on_workshop or key == pygame.K_w):
            self.app.start_workshop(workshop)
            return
        if hasattr(event, "pos"):
            shown = pygame.Rect(0, self.list_top, self.size[0], self.list_bottom - self.list_top)
            if not shown.collidepoint(event.pos):
                return
            event = pygame.event.Event(
                event.type, {**event.dict, "pos": (event.pos[0], event.pos[1] + self.offset)}
            )
        index = self.menu.handle(event)
        if key is not None:
            self._follow_focus()
        if index is not None:
            self.activate(index)

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the brand, the story list, the details and the key hints."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        w, h = surface.get_size()
        surface.fill(pal.background)
        pygame.draw.circle(surface, pal.backdrop, (w // 2, -h), int(h * 1.45))
        hero = theme.font("hero")
        name = hero.render("Callback", True, pal.text)
        icon = hero.render("☎", True, pal.accent)
        total = icon.get_width() + px(20) + name.get_width()
        left = (w - total) // 2
        surface.blit(icon, (left, self.brand_y))
        surface.blit(name, (left + icon.get_width() + px(20), self.brand_y))
        y = self.brand.bottom + px(8)
        body = theme.font("body")
        draw_lines(surface, body, self.tagline, pal.muted, 0, y, align="center", width=w)
        if not self.menu.items:
            draw_text(surface, body, "No stories found.", pal.muted, midtop=(w // 2, self.list_top))
            return
        clip = surface.get_clip()
        surface.set_clip((0, self.list_top - px(4), w, self.list_bottom - self.list_top + px(8)))
        for index, item in enumerate(self.menu.items):
            self._draw_row(surface, index, item.rect.move(0, -self.offset))
        surface.set_clip(clip)
        self._draw_detail(surface)
        mouse = pygame.mouse.get_pos() if pygame.mouse.get_focused() else (-1, -1)
        for button in (self.settings_button, self.mode_button, self.player_button):
            self._draw_corner_button(surface, button, button.rect.collidepoint(mouse))
        tiny = theme.font("tiny")
        hint = _hint(tiny, self.has_campaign, w - px(40))
        draw_text(surface, tiny, hint, pal.faint, midbottom=(w // 2, h - px(22)))

    def _draw_corner_button(self, surface: pygame.Surface, button: Item, hovered: bool) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_panel(surface, button.rect, pal.button_hover if hovered else pal.button,
                   pal.hover_edge if hovered else pal.button_edge, radius=px(10))
        draw_text(surface, theme.font("small_bold"), button.label, pal.text,
                  center=button.rect.center)

    def _draw_row(self, surface: pygame.Surface, index: int, rect: pygame.Rect) -> None:
        focused = index == self.menu.focus
        if self.is_continue(index):
            self._draw_continue_row(surface, rect, focused)
            return
        if self.is_campaign(index):
            campaign.draw_row(surface, self.theme, rect, focused, self.progress())
            return
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        item = self.menu.items[index]
        fill = pal.button_hover if focused else pal.panel
        edge = pal.hover_edge if focused else pal.panel_edge
        draw_panel(surface, rect, fill, edge, radius=px(14))
        badge, radius, x = campaign.row_badge(theme, rect)
        pygame.draw.circle(surface, pal.accent if focused else pal.badge, badge, radius)
        ink = pal.on_accent if focused else pal.badge_text
        draw_text(surface, theme.font("h3"), str(item.number or "·"), ink, center=badge)
        minutes = self.minutes[index]
        tail = f"{minutes} min" if minutes else ("problems" if self.broken[index] else "")
        tail_rect = draw_text(surface, theme.font("small"), tail if self.tails else "",
                              pal.bad if self.broken[index] else pal.muted,
                              midright=(rect.right - px(20), rect.centery))
        room, h3 = tail_rect.x - x - px(12), theme.font("h3")
        draw_text(surface, h3, clip_text(h3, item.label, room), pal.text, midleft=(x, rect.centery))

    def _draw_continue_row(self, surface: pygame.Surface, rect: pygame.Rect,
                           focused: bool) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_panel(surface, rect, pal.button_hover if focused else pal.panel,
                   pal.hover_edge if focused else pal.accent, radius=px(14))
        badge, radius, x = campaign.row_badge(theme, rect)
        pygame.draw.circle(surface, pal.accent, badge, radius)
        draw_text(surface, theme.font("small_bold"), "▶", pal.on_accent,
                  center=(badge[0] + px(2), badge[1]))
        room = rect.right - px(20) - x
        h3, tiny = theme.font("h3"), theme.font("tiny")
        top = rect.centery - (h3.get_linesize() + tiny.get_linesize()) // 2
        draw_text(surface, h3, clip_text(h3, CONTINUE_LABEL, room), pal.text, topleft=(x, top))
        saved = self.app.session.saved
        title = saved.story_title if saved is not None else ""
        draw_text(surface, tiny, clip_text(tiny, title, room), pal.muted,
                  topleft=(x, top + h3.get_linesize()))

    def _draw_detail(self, surface: pygame.Surface) -> None:
        """The focused item's panel: what it is above, its buttons at the foot."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        box = self.detail
        draw_panel(surface, box, pal.panel, pal.panel_edge, radius=px(18))
        index = self.menu.focus
        if index is None:
            return
        buttons = self.buttons(index)
        bottom = min(rect.y for rect, _ in buttons)
        if self.is_campaign(index):
            campaign.draw_detail(surface, theme, box, bottom, self.progress())
        else:
            self._draw_story(surface, index, bottom)
        mouse = pygame.mouse.get_pos() if pygame.mouse.get_focused() else (-1, -1)
        for number, (rect, lines) in enumerate(buttons):
            hovered = number > 0 and rect.collidepoint(mouse)  # the first is always lit
            campaign.draw_label_button(surface, theme, rect, lines, primary=number == 0,
                                       hovered=hovered)

    def _draw_story(self, surface: pygame.Surface, index: int, bottom: int) -> None:
        """A story's title, meta line, summary and cast, wrapped above ``bottom``."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        item, box = self.menu.items[index], self.detail
        x, width = box.x + px(28), box.w - px(56)
        h2, small, body = theme.font("h2"), theme.font("small"), theme.font("body")
        end = bottom - px(18)
        lines = fit_lines(h2, wrap(h2, item.label, width),
                          max(1, (end - box.y - px(24)) // h2.get_linesize()), width)
        y = draw_lines(surface, h2, lines, pal.text, x, box.y + px(24))
        lines = wrap(small, self.meta[index], width)
        lines = fit_lines(small, lines, (end - y - px(4)) // small.get_linesize(), width)
        y = draw_lines(surface, small, lines, pal.accent, x, y + px(4))
        step = round(body.get_linesize() * 1.25)
        cast = self._cast(self.people[index], width)
        cast_h = sum(height for *_, height in cast) + theme.font("tiny").get_linesize() + px(8)
        room = (end - y - px(14)) // step
        lines = wrap(body, item.note, width)
        if not cast or len(lines) + (cast_h + step - 1) // step > room:
            cast, cast_h = [], 0  # not enough room: the summary matters more
        lines = fit_lines(body, lines, room, width)
        ink = pal.bad if self.broken[index] else pal.muted
        draw_lines(surface, body, lines, ink, x, y + px(14), spacing=1.25)
        if cast:
            self._draw_cast(surface, cast, x, bottom - px(22) - cast_h)

    def _cast(self, people: list[tuple[str, str]],
              width: int) -> list[tuple[str, list[str], list[str], int]]:
        """Up to three people on the call: name, the lines of their name and role wrapped
        beside a portrait, and the height they take."""
        px = self.theme.px
        bold, tiny = self.theme.font("small_bold"), self.theme.font("tiny")
        room = width - px(17) * 2 - px(12)
        cast = []
        for name, role in people[:3]:
            names, roles = wrap(bold, name, room), wrap(tiny, role, room)
            text_h = len(names) * bold.get_linesize() + len(roles) * tiny.get_linesize()
            cast.append((name, names, roles, max(px(46), text_h + px(9))))
        return cast

    def _draw_cast(self, surface: pygame.Surface,
                   cast: list[tuple[str, list[str], list[str], int]], x: int, y: int) -> None:
        """List the people on the call, each with a portrait."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        y = draw_lines(surface, theme.font("tiny"), ["ON THE CALL"], pal.faint, x, y) + px(8)
        bold, tiny = theme.font("small_bold"), theme.font("tiny")
        radius = px(17)
        for name, names, roles, height in cast:
            draw_avatar(surface, theme, (x + radius, y + radius + px(2)), radius, name)
            text_x = x + radius * 2 + px(12)
            below = draw_lines(surface, bold, names, pal.text, text_x, y)
            draw_lines(surface, tiny, roles, pal.muted, text_x, below)
            y += height

