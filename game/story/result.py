"""What reading a story file produced: its story (if usable) and every diagnostic.

Kept apart from :mod:`game.story.loader` so that a command answering from the check
cache (:mod:`game.analysis.cache`) reports without importing the story models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.story.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from game.story.model import Story
    from game.story.source import SourceMap


@dataclass
class LoadResult:
    """What loading a story produced."""

    path: str
    story: Story | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sha256: str = ""
    source_map: SourceMap | None = None
    inputs: list[tuple[str, str]] = field(default_factory=list)
    """Other files that decided the result (its rubric, or a rubric's absence beside it):
    (absolute path, SHA-256 of what was read, "-" if not there, "" if unreadable). The
    check cache trusts an answer only while these are unchanged too."""

    @property
    def errors(self) -> list[Diagnostic]:
        """Return only the errors."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Return only the warnings."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]
