"""The authors' tools: validate, analyze, simulate, graph and scaffold. Pure Python.

Each module is the work of one ``callback`` command, returning typed results that
the command line prints. May import :mod:`game.analysis`, :mod:`game.engine` and
:mod:`game.story` (and its siblings :mod:`game.store` and :mod:`game.classroom`),
never a front end.
"""
