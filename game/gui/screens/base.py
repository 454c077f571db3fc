"""The screen contract, and the small part of the app that screens may use.

A screen is written against :class:`Host`, not against :class:`game.gui.app.App`:
the app satisfies it, and a screen (or a test) can be read and understood with
this page alone. The app imports the screens; no screen imports the app.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pygame

if TYPE_CHECKING:  # names for the contract only: a screen imports what it uses itself
    from game.analysis.load import LoadedStory
    from game.classroom.workshop import Workshop
    from game.engine.compiled import CompiledStory
    from game.engine.state import PlayState
    from game.gui.runs import FinishedRun, Retry
    from game.gui.session import Session
    from game.gui.sound import Sounds
    from game.gui.theme import Theme
    from game.store.saves import Saved
    from game.store.settings import Settings


class Host(Protocol):
    """What the screens need from the app: its stack, its session and its actions.

    Attributes:
        surface: The window's surface (its size is the screen's size).
        theme: Colours, fonts and sizes, shared by every screen.
        clock: Milliseconds, from the app's (injectable) clock.
        session: The stories, the profile and the runs being saved.
        stack: The screens, the title at the bottom, the top one receiving input.
        text_speed: Characters per second for typed-out lines; 0 for none.
        sounds: The ring, ping, hang-up and click (silent without an audio device).
        workshop: The class's run while the window projects a workshop (else None).
    """

    surface: pygame.Surface
    theme: Theme
    clock: Callable[[], int]
    session: Session
    stack: list[Screen]
    text_speed: int
    sounds: Sounds
    workshop: Workshop | None

    @property
    def top(self) -> Screen:
        """The screen that receives input."""

    @property
    def motion(self) -> bool:
        """True if screens may move: fades and cards (off under reduced motion)."""

    @property
    def previewing(self) -> bool:
        """True while an author previews a story file live (its calls are not saved)."""

    def push(self, screen: Screen) -> None:
        """Put ``screen`` on top."""

    def pop(self) -> None:
        """Remove the top screen (never the title at the bottom)."""

    def replace(self, screen: Screen) -> None:
        """Swap the top screen for ``screen``."""

    def to_title(self) -> None:
        """Go back to the title screen."""

    def refresh_title(self) -> None:
        """Rebuild the title screen from the session's stories."""

    def quit(self) -> None:
        """Stop after this frame."""

    def open_story(self, path: Path) -> None:
        """Play the story at ``path``, or show why it cannot be played."""

    def start_checked(self, result: LoadedStory) -> None:
        """Play a story that has been checked for play, or show its problems."""

    def continue_saved(self) -> None:
        """Continue the call saved in progress."""

    def load_saved(self, saved: Saved) -> None:
        """Play a saved call (the autosave or a slot's), replaying its moves on the story
        as it is now, as far as they still apply (a notice says when they stop)."""

    def start_campaign(self) -> None:
        """Play the campaign from the first scenario not finished yet."""

    def start_workshop(self, path: Path, class_code: str | None = None) -> None:
        """Project the story at ``path`` for a class: discuss and vote at each decision."""

    def play(self, story: CompiledStory) -> None:
        """Start ``story`` from the beginning, above the title."""

    def try_again(self, story: CompiledStory, state: PlayState, retry: Retry) -> None:
        """Replay the finished run ``state`` up to decision ``retry.number``, to answer it
        again (the new run's debrief says what changed)."""

    def finish(self, story: CompiledStory, state: PlayState, started: str,
               undos: int = 0) -> FinishedRun:
        """Score and save a finished run in the background (``undos``: answers taken back)."""

    def apply_settings(self, settings: Settings) -> None:
        """Use and keep ``settings``."""

    def notify(self, message: str) -> None:
        """Show ``message`` at the bottom of the window for a few seconds."""


class Screen:
    """One screen on the app's stack.

    The app calls :meth:`layout` when the screen appears and whenever the window
    changes size, :meth:`handle` for each event while the screen is on top,
    :meth:`update` once a frame while it is on top, and :meth:`draw` every frame.
    A screen that is not ``opaque`` (the pause menu) is drawn over the one below.
    """

    opaque = True
    story: CompiledStory | None = None
    """The story this screen belongs to, so the pause menu can offer a restart."""

    def __init__(self, app: Host) -> None:
        self.app = app
        self.size = app.surface.get_size()

    @property
    def theme(self) -> Theme:
        """The app's theme (shared by every screen)."""
        return self.app.theme

    def layout(self, size: tuple[int, int]) -> None:
        """Place everything for a window of ``size`` pixels."""
        self.size = size

    def handle(self, event: pygame.event.Event) -> None:
        """React to one input event."""

    def update(self, dt_ms: int) -> None:
        """Advance animations by ``dt_ms`` milliseconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw one frame."""

    def wake_in(self) -> int | None:
        """Milliseconds until the screen needs a frame without input; None to sleep."""
        return None

    def pauses(self) -> bool:
        """Return True if Esc on this screen opens the pause menu."""
        return True

    def toast_area(self) -> pygame.Rect | None:
        """Where notices may be drawn over this screen (None: anywhere, at the foot)."""
        return None
