"""Class results for workshops: every finished run in one SQL database, who played
(:mod:`~game.classroom.players`), exports and merges, and ``callback results``
(see docs/results.md). The class report and workshop mode build on these.

Pure Python, no pygame. May import :mod:`game.analysis`, :mod:`game.engine`,
:mod:`game.story` and its siblings :mod:`game.authoring` and :mod:`game.store`,
never a front end.
"""
