"""Benchmarks (timings live here, never in pass/fail tests): ``python bench/run.py``.

Prints a table: validating each bundled story, analysing generated stories of
10,000 scenes (with and without clamping meters), and ``callback analyze`` end to
end on the generated file, in a fresh interpreter (start-up, reading the 5.8 MB of
YAML, checks, analysis and report).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from game.analysis.load import load_story  # noqa: E402
from game.authoring.analyze import Analysis, analyze  # noqa: E402
from game.engine.compiled import compile_story  # noqa: E402
from game.gcpause import paused_gc  # noqa: E402
from game.paths import bundled_stories  # noqa: E402
from game.story.model import Story  # noqa: E402


def timed(label: str, action, rows: list[tuple[str, float, str]]) -> object:
    """Run ``action`` as the batch commands do (the cyclic collector paused), record
    its wall time."""
    with paused_gc():
        began = time.perf_counter()
        result = action()
        rows.append((label, time.perf_counter() - began, ""))
    return result


def main() -> None:
    """Run every benchmark and print the table."""
    rows: list[tuple[str, float, str]] = []
    for path in bundled_stories():
        if not path.name.endswith(".rubric.yaml"):
            timed(f"validate {path.name}", lambda p=path: load_story(p), rows)
    cases = ((10_000, 4, "no clamping"), (10_000, 10, "clamping meters"))
    for scenes, swing, label in cases:
        story = compile_story(Story.model_validate(generate(scenes, swing=swing)))
        data = timed(f"analyze generated {scenes:,} scenes ({label})",
                     lambda s=story: analyze(s), rows)
        assert isinstance(data, Analysis)
        note = f"{data.states:,} states, exact={data.exact}, best={data.best.score}"
        rows[-1] = (rows[-1][0], rows[-1][1], note)
    with tempfile.TemporaryDirectory() as folder:
        for scenes, swing, label in cases:
            path = Path(folder) / f"generated-{scenes}-{swing}.yaml"
            text = yaml.safe_dump(generate(scenes, swing=swing), sort_keys=False)
            path.write_text(text, encoding="utf-8")
            command = [sys.executable, "-m", "game", "analyze", str(path)]
            done = timed(f"callback analyze, {scenes:,} scenes ({label}), end to end",
                         lambda c=command: subprocess.run(c, capture_output=True, text=True,
                                                          check=False), rows)
            assert isinstance(done, subprocess.CompletedProcess) and done.returncode == 0, done
            note = f"{path.stat().st_size / 1e6:.1f} MB of YAML, fresh interpreter"
            rows[-1] = (rows[-1][0], rows[-1][1], note)
    width = max(len(r[0]) for r in rows)
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds:7.2f} s  {note}")


if __name__ == "__main__":
    main()
