"""Shared test set-up: headless SDL before pygame can load, and story paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# Property tests: quick in CI, thorough on request (HYPOTHESIS_PROFILE=long).
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

LONG_TIMEOUT = 3600
"""Seconds a property test may take under the long profile (33 times the examples)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give property tests the long profile's time; every other test keeps the default.

    (The default, in pyproject.toml, makes a hung test fail with its traceback
    instead of stalling the whole suite.)
    """
    if PROFILE != "long":
        return
    for item in items:
        test = getattr(item, "obj", None)
        if getattr(test, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.timeout(LONG_TIMEOUT))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny.yaml"


@pytest.fixture
def tiny_path() -> Path:
    """A small valid story: thank -> open ending, argue -> closed ending."""
    return TINY


@pytest.fixture
def write_story(tmp_path: Path):
    """Write YAML text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "story.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def player_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep profiles, results and crash reports out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CALLBACK_HOME", str(home))
    monkeypatch.delenv("CALLBACK_RESULTS", raising=False)
    return home
