"""Class results for workshops (to come): stored runs, exports, the class report.

Pure Python, no pygame. May import :mod:`game.analysis`, :mod:`game.engine`,
:mod:`game.story` and its siblings :mod:`game.authoring` and :mod:`game.store`,
never a front end.
"""
