"""Callback: a training game for the rejection phone call.

The packages are layers, lowest first; a module imports only from its own layer or
below (``tests/test_layers.py`` checks every import):

1. :mod:`game.story`: what a story is, read from YAML with located diagnostics.
2. :mod:`game.engine`: the rules of play, on a story compiled once.
3. :mod:`game.analysis`: every playthrough at once, and the checks that need it.
4. :mod:`game.authoring`, :mod:`game.store`, :mod:`game.classroom`: authors'
   commands, the player's data, class results.
5. :mod:`game.terminal`, :mod:`game.gui`: the front ends (only ``gui`` imports pygame).
6. :mod:`game.cli`: the ``callback`` command.

Below them all: this module (the version), :mod:`game.paths`, :mod:`game.gcpause`
and :mod:`game.crash`.
"""

__version__ = "0.1.0"
