"""The pygame window: the only package that imports pygame.

May import every layer below the front ends, never :mod:`game.terminal` or the
command line. Inside it, imports go one way too: the app imports the screens, and
the screens are written against :class:`game.gui.screens.base.Host`, the part of
the app they use, never against the app itself.

Importing this package hides pygame's start-up banner, so commands such as
``callback screenshots`` print only what they mean to print.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
