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
    draw_button,
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

    def play_rect(self) -> pygame.Rect:
        """The detail panel's button (wider for the campaign's longer label)."""
        if not self.is_campaign(self.menu.focus):
            return self.play
        room = self.detail.w - self.theme.px(56)
        return campaign.button_rect(self.theme, self.play, room, self.progress())

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
        px = self.theme.px
        w, h = size
        self.brand_y = max(px(28), h // 14)
        body = self.theme.font("body")
        self.tagline = wrap(body, TAGLINE, min(w - px(80), px(1000)))
        self.list_top = (
            self.brand_y
            + self.theme.font("hero").get_linesize()
            + px(8)
            + len(self.tagline) * body.get_linesize()
            + px(34)
        )
        self.list_bottom = h - px(58)
        width = min(px(1120), w - px(80))
        left = (w - width) // 2
        list_w = round(width * 0.46)
        row_h, gap = (px(52), px(8)) if self.has_campaign else (px(58), px(10))
        special = [i for i in range(len(self.menu.items))
                   if self.is_campaign(i) or self.is_continue(i)]
        tall, after = (px(58), px(12)) if len(special) > 1 else (px(66), px(18))
        plain = len(self.menu.items) - len(special)
        if plain:  # squeeze the rows (down to 40 px) before the list has to scroll
            room = self.list_bottom - self.list_top - len(special) * (tall + after)
            if room // plain < row_h + gap:
                gap = px(6)
                row_h = max(px(40), room // plain - gap)
        y = self.list_top
        for index, item in enumerate(self.menu.items):
            height = tall if index in special else row_h
            item.rect = pygame.Rect(left, y, list_w, height)
            y += height + (after if index in special else gap)
        self.detail = pygame.Rect(left + list_w + px(24), self.list_top, 0, 0)
        self.detail.w = width - list_w - px(24)
        self.detail.h = self.list_bottom - self.list_top
        room = self.detail.w - px(56)
        self.play = pygame.Rect(0, 0, min(px(300), room), px(54))
        self.play.bottomleft = (self.detail.x + px(28), self.detail.bottom - px(26))
        workshop_w = self.theme.font("h3").size(WORKSHOP_LABEL)[0] + px(48)
        if self.play.w + px(14) + workshop_w > room:  # both side by side: Play gives way
            self.play.w = max(px(150), room - px(14) - workshop_w)
        self.workshop = pygame.Rect(self.play.right + px(14), self.play.y, workshop_w, px(54))
        font = self.theme.font("small_bold")
        gear = pygame.Rect(0, 0, font.size(SETTINGS_LABEL)[0] + px(32), px(40))
        gear.topright = (w - px(20), px(18))
        self.settings_button.rect = gear
        self._place_mode_button()
        hero = self.theme.font("hero")
        brand_w = hero.size("☎")[0] + px(20) + hero.size("Callback")[0]
        self.player_room = max(px(120), (w - brand_w) // 2 - px(44))
        self._place_player_button()
        self._follow_focus()

    def _place_mode_button(self) -> None:
        """Label the mode button with the mode now, left of the settings button."""
        px, font = self.theme.px, self.theme.font("small_bold")
        self.mode_button.label = MODE_LABELS[self.app.session.mode]
        rect = pygame.Rect(0, 0, font.size(self.mode_button.label)[0] + px(32), px(40))
        rect.topright = (self.settings_button.rect.x - px(12), self.settings_button.rect.y)
        self.mode_button.rect = rect

    def _place_player_button(self) -> None:
        """Size the player button to who is playing now (left of the brand, shortened to fit)."""
        px, font = self.theme.px, self.theme.font("small_bold")
        session = self.app.session
        label = button_label(font, session.class_code, session.name, self.player_room - px(32))
        self.player_button.label = label
        self.player_button.rect = pygame.Rect(px(20), px(18), font.size(label)[0] + px(32), px(40))

    def _follow_focus(self) -> None:
        """Scroll the list so the focused row is fully visible."""
        if self.menu.focus is None or not self.menu.items:
            return
        rect = self.menu.items[self.menu.focus].rect.move(0, -self.offset)
        if rect.bottom > self.list_bottom:
            self.offset += rect.bottom - self.list_bottom
        elif rect.top < self.list_top:
            self.offset -= self.list_top - rect.top
        self.offset = max(0, self.offset)

    def handle(self, event: pygame.event.Event) -> None:
        """Start the campaign or the chosen story; M changes the mode; Esc asks to quit."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            from game.gui.screens.confirm import ConfirmScreen

            detail = QUIT_DETAIL if self.app.session.saved is not None else QUIT_DETAIL_NONE
            self.app.push(ConfirmScreen(self.app, "Quit Callback?", detail, "Quit", "Stay",
                                        self.app.quit))
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_c and self.has_campaign:
            self.menu.focus = int(self.has_continue)
            self.activate(self.menu.focus)
            return
        clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        on_gear = clicked and self.settings_button.rect.collidepoint(event.pos)
        if on_gear or (event.type == pygame.KEYDOWN and event.key == pygame.K_s):
            self.app.push(SettingsScreen(self.app))
            return
        on_mode = clicked and self.mode_button.rect.collidepoint(event.pos)
        if on_mode or (event.type == pygame.KEYDOWN and event.key == pygame.K_m):
            self.app.session.next_mode()
            self._place_mode_button()
            return
        on_player = clicked and self.player_button.rect.collidepoint(event.pos)
        if on_player or (event.type == pygame.KEYDOWN and event.key == pygame.K_p):
            self.app.push(PlayerScreen(self.app))
            return
        if clicked and self.menu.focus is not None and self.play_rect().collidepoint(event.pos):
            self.activate(self.menu.focus)
            return
        workshop = self.workshop_path(self.menu.focus)
        on_workshop = clicked and self.workshop.collidepoint(event.pos)
        if workshop is not None and (on_workshop or (event.type == pygame.KEYDOWN
                                                     and event.key == pygame.K_w)):
            self.app.start_workshop(workshop)
            return
        if hasattr(event, "pos") and self.offset:
            event = pygame.event.Event(
                event.type, {**event.dict, "pos": (event.pos[0], event.pos[1] + self.offset)}
            )
        index = self.menu.handle(event)
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
        y = self.brand_y + hero.get_linesize() + px(8)
        draw_lines(
            surface, theme.font("body"), self.tagline, pal.muted, 0, y, align="center", width=w
        )
        if not self.menu.items:
            draw_text(
                surface,
                theme.font("body"),
                "No stories found.",
                pal.muted,
                midtop=(w // 2, self.list_top),
            )
            return
        clip = surface.get_clip()
        surface.set_clip(
            pygame.Rect(0, self.list_top - px(4), w, self.list_bottom - self.list_top + px(8))
        )
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
        if self.is_continue(index):
            self._draw_continue_row(surface, rect, index == self.menu.focus)
            return
        if self.is_campaign(index):
            focused = index == self.menu.focus
            campaign.draw_row(surface, self.theme, rect, focused, self.progress())
            return
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        item = self.menu.items[index]
        focused = index == self.menu.focus
        fill = pal.button_hover if focused else pal.panel
        edge = pal.hover_edge if focused else pal.panel_edge
        draw_panel(surface, rect, fill, edge, radius=px(14))
        badge = (rect.x + px(32), rect.centery)
        pygame.draw.circle(surface, pal.accent if focused else pal.badge, badge, px(17))
        ink = pal.on_accent if focused else pal.badge_text
        draw_text(surface, theme.font("h3"), str(item.number or "·"), ink, center=badge)
        minutes = self.minutes[index]
        tail = f"{minutes} min" if minutes else ("problems" if self.broken[index] else "")
        tail_rect = draw_text(
            surface,
            theme.font("small"),
            tail,
            pal.bad if self.broken[index] else pal.muted,
            midright=(rect.right - px(20), rect.centery),
        )
        x = rect.x + px(64)
        room = tail_rect.x - x - px(12)
        draw_text(
            surface,
            theme.font("h3"),
            clip_text(theme.font("h3"), item.label, room),
            pal.text,
            midleft=(x, rect.centery),
        )

    def _draw_continue_row(self, surface: pygame.Surface, rect: pygame.Rect,
                           focused: bool) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_panel(surface, rect, pal.button_hover if focused else pal.panel,
                   pal.hover_edge if focused else pal.accent, radius=px(14))
        badge = (rect.x + px(32), rect.centery)
        pygame.draw.circle(surface, pal.accent, badge, px(17))
        draw_text(surface, theme.font("small_bold"), "▶", pal.on_accent,
                  center=(badge[0] + px(2), badge[1]))
        x, room = rect.x + px(64), rect.w - px(84)
        h3, tiny = theme.font("h3"), theme.font("tiny")
        top = rect.centery - (h3.get_linesize() + tiny.get_linesize()) // 2
        draw_text(surface, h3, CONTINUE_LABEL, pal.text, topleft=(x, top))
        saved = self.app.session.saved
        title = saved.story_title if saved is not None else ""
        draw_text(surface, tiny, clip_text(tiny, title, room), pal.muted,
                  topleft=(x, top + h3.get_linesize()))

    def _draw_detail(self, surface: pygame.Surface) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        box = self.detail
        draw_panel(surface, box, pal.panel, pal.panel_edge, radius=px(18))
        if self.menu.focus is None:
            return
        index = self.menu.focus
        if self.is_campaign(index):
            campaign.draw_detail(surface, theme, box, self.play_rect(), self.progress())
            return
        item = self.menu.items[index]
        x, width = box.x + px(28), box.w - px(56)
        h2 = theme.font("h2")
        y = draw_lines(surface, h2, wrap(h2, item.label, width)[:2], pal.text, x, box.y + px(24))
        small = theme.font("small")
        meta = self.meta[index]
        y = draw_lines(surface, small, wrap(small, meta, width)[:2], pal.accent, x, y + px(4))
        body = theme.font("body")
        step = round(body.get_linesize() * 1.25)
        people = self.people[index]
        cast_h = self._cast_height(len(people))
        room = (self.play.y - px(18) - y - px(14)) // step
        lines = wrap(body, item.note, width)
        if len(lines) + (cast_h + step - 1) // step > room:
            people, cast_h = [], 0  # not enough room: the summary matters more
        lines = fit_lines(body, lines, room, width)
        ink = pal.bad if self.broken[index] else pal.muted
        y = draw_lines(surface, body, lines, ink, x, y + px(14), spacing=1.25)
        if people:
            self._draw_cast(surface, people, x, self.play.y - px(22) - cast_h, width)
        label = "See the problems  →" if self.broken[index] else "Play  →"
        if self.is_continue(index):
            label = "Continue  →"
        draw_button(surface, theme, Item(label, primary=True, rect=self.play), False)
        if self.workshop_path(index) is not None:
            mouse = pygame.mouse.get_pos() if pygame.mouse.get_focused() else (-1, -1)
            draw_button(surface, theme, Item(WORKSHOP_LABEL, rect=self.workshop),
                        self.workshop.collidepoint(mouse))

    def _cast_height(self, count: int) -> int:
        px = self.theme.px
        shown = min(count, 3)
        return self.theme.font("tiny").get_linesize() + px(8) + shown * px(46) if shown else 0

    def _draw_cast(
        self, surface: pygame.Surface, people: list[tuple[str, str]], x: int, y: int, width: int
    ) -> None:
        """List up to three people on the call, each with a portrait."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        y = draw_lines(surface, theme.font("tiny"), ["ON THE CALL"], pal.faint, x, y) + px(8)
        bold, tiny = theme.font("small_bold"), theme.font("tiny")
        for name, role in people[:3]:
            radius = px(17)
            draw_avatar(surface, theme, (x + radius, y + radius + px(2)), radius, name)
            text_x = x + radius * 2 + px(12)
            room = width - (text_x - x)
            draw_text(surface, bold, clip_text(bold, name, room), pal.text, topleft=(text_x, y))
            draw_text(
                surface,
                tiny,
                clip_text(tiny, role, room),
                pal.muted,
                topleft=(text_x, y + bold.get_linesize()),
            )
            y += px(46)
