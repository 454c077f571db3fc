"""The screens of the window, one module each, all built on :class:`Screen`."""

from game.gui.screens.base import Screen

__all__ = ["Screen"]
