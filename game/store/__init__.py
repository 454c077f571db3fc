"""Player data on disk: atomic, versioned, recoverable. Pure Python, no pygame.

Saves, settings, the campaign profile and finished runs. May import
:mod:`game.analysis`, :mod:`game.engine` and :mod:`game.story` (and its siblings
:mod:`game.authoring` and :mod:`game.classroom`), never a front end.
"""
