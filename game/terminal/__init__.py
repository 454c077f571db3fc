"""The text front end: a story played on injected streams. Pure Python, no pygame.

May import every layer below the front ends (:mod:`game.store`,
:mod:`game.analysis`, :mod:`game.engine`, :mod:`game.story`), never :mod:`game.gui`
or the command line.
"""
