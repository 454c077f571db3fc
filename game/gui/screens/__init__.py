"""The screens of the window, one module each, all built on :class:`Screen`.

Each screen is given a :class:`~game.gui.screens.base.Host` (the app, in play and in
tests) and may import other screens it leads to, never :mod:`game.gui.app`.
"""

from game.gui.screens.base import Host, Screen

__all__ = ["Host", "Screen"]
