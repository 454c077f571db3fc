"""Cost of refusing hostile story files: ``python bench/bench_hostile.py``.

Each case runs ``callback validate FILE`` in a fresh interpreter (``python -m game``)
and reports its wall time and peak memory (the child's own ``ru_maxrss``, read with
``os.wait4``), next to the same for a tiny valid story (the interpreter's own start-up
cost and footprint), plus the time ``load_story`` itself took inside a second fresh
interpreter. Targets: well under a second and a small memory footprint for each.
POSIX only (``os.wait4``). Timings live here, never in pass/fail tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEEP = 100_000
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"

_LOAD_TIMER = """
import sys, time
from game.analysis.load import load_story
began = time.perf_counter()
result = load_story(sys.argv[1])
first = result.diagnostics[0].code if result.diagnostics else "-"
print(f"{time.perf_counter() - began:.4f}", first)
"""


def _padded() -> str:
    """The billion laughs, padded with comments to just under the size cap."""
    laughs = (HOSTILE / "billion-laughs.yaml").read_text(encoding="utf-8")
    return laughs + ("#" + "x" * 98 + "\n") * 19_900


def _cases(folder: Path) -> list[tuple[str, Path]]:
    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    builders: list[tuple[str, Callable[[], Path]]] = [
        ("tiny valid story (baseline)", lambda: ROOT / "tests" / "fixtures" / "tiny.yaml"),
        ("billion laughs (9**9 aliases)", lambda: HOSTILE / "billion-laughs.yaml"),
        ("billion laughs in a story", lambda: HOSTILE / "laughs-in-a-story.yaml"),
        ("billion laughs + 1.9 MB of comments", lambda: write("padded.yaml", _padded())),
        ("merge-key bomb", lambda: HOSTILE / "merge-bomb.yaml"),
        ("flow [[[ 100,000 deep", lambda: write("flow.yaml", "x: " + "[" * DEEP + "]" * DEEP)),
        ("flow {a: 100,000 deep",
         lambda: write("map.yaml", "x: " + "{a: " * DEEP + "1" + "}" * DEEP)),
        ("block - - - 100,000 deep", lambda: write("dash.yaml", "- " * DEEP + "x\n")),
        ("block ? ? ? 100,000 deep", lambda: write("keys.yaml", "? " * DEEP + "x\n")),
        ("indented mappings 1,990 deep",
         lambda: write("indent.yaml", "".join(" " * i + "k:\n" for i in range(1990)))),
        ("quote in a comment, then [ x100,000",
         lambda: write("evade.yaml", '# "\nx: ' + "[" * DEEP + "\n")),
        ("meter max: 999999999", lambda: HOSTILE / "wide-meter.yaml"),
    ]
    return [(label, build()) for label, build in builders]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "CALLBACK_HOME": str(home)}


def _validate(path: Path, home: Path) -> tuple[int, float, float]:
    """Run ``callback validate PATH`` fresh; return (exit code, wall s, peak RSS MB)."""
    import time

    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "game", "validate", str(path)], cwd=ROOT,
                             env=_env(home), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KB on Linux
    return child.returncode, wall, usage.ru_maxrss / scale


def _load_time(path: Path, home: Path) -> tuple[float, str]:
    done = subprocess.run([sys.executable, "-c", _LOAD_TIMER, str(path)], cwd=ROOT,
                          env=_env(home), capture_output=True, text=True, timeout=600,
                          check=False)
    if done.returncode != 0:
        return float("nan"), f"exit {done.returncode}"
    seconds, code = done.stdout.split()
    return float(seconds), code


def main() -> None:
    """Measure every case and print the table."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        home = folder / "home"
        rows = []
        for label, path in _cases(folder):
            code, wall, peak = _validate(path, home)
            load, first = _load_time(path, home)
            rows.append((label, path.stat().st_size, code, wall, load, peak, first))
    print(f"python {sys.version.split()[0]}, {sys.platform}; each row: a fresh interpreter")
    header = (f"{'case':38} {'bytes':>9} {'exit':>4} {'wall s':>7} {'load_story s':>12} "
              f"{'peak MB':>8}  first code")
    print(header)
    print("-" * len(header))
    for label, size, code, wall, load, peak, first in rows:
        print(f"{label:38} {size:>9,} {code:>4} {wall:>7.3f} {load:>12.4f} {peak:>8.1f}  {first}")


if __name__ == "__main__":
    main()
