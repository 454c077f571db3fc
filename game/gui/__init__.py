"""The pygame window: the only package that imports pygame.

Importing this package hides pygame's start-up banner, so commands such as
``callback screenshots`` print only what they mean to print.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
