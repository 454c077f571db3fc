"""The story data: what a story is, and reading one. Pure Python, no pygame.

The model (``model``), reading YAML with every position kept (``source``,
``reader``, ``halves``, ``yamlerrors``), validation into a story with located
diagnostics (``loader``, ``diagnostics``), the safe condition language (``expr``),
the checks that need no analysis (``checks``), the JSON Schema (``schema``), word
counts (``words``) and the bundled library (``library``).

The lowest layer: imports only the shared helpers of :mod:`game` (paths, the GC
pause). Checks that need every reachable state live in :mod:`game.analysis.checks`.
"""
