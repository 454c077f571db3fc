"""The rules of play: one playthrough at a time. Pure Python, no pygame.

A story compiled once (``compiled``) with its rules (``rules``), the pull API
(``engine``), the play state (``state``), the scorecard (``scoring``) and the run
record (``record``). Nothing here explores every path: that is :mod:`game.analysis`,
which the scorecard reaches only through a function it is given.

May import :mod:`game.story` and nothing above it.
"""
