"""The exact analysis: every playthrough of a story at once. Pure Python, no pygame.

Reachable states (``reach``), per-meter score tables (``frame``, ``lanes``,
``tables``), exact score answers three ways (``additive``, ``full``, the search in
``space``), the checks that need them (``checks``) and loading with those checks
(``load``). May import the rules of play (:mod:`game.engine`) and the story data
(:mod:`game.story`), never a layer above.
"""
