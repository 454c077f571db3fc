"""The benchmark beside its floors: ``python bench/run.py`` (timings live here, never in tests).

Prints one table. Each row puts our figure beside a floor measured in the same run, on
the same machine, and their ratio, with the target it is held to:

- whole-process ``callback validate`` of the flagship, answered from the check cache
  (warm) and checked afresh (cold, ``CALLBACK_CACHE=off``), against a fresh
  interpreter doing nothing but ``import yaml`` (medians of :data:`PROCESS_RUNS`);
- checking each bundled story, every assertion included (in one interpreter, the
  collector paused as the batch commands pause it), against libyaml's C parse of
  the same file;
- cold load and validate of generated stories of 100, 1,000 and 10,000 scenes against
  libyaml's C parse of the same file with the collector paused (``bench/generate.py``);
- the same 10,000-scene story unchanged: validated and opened from the check cache;
- peak memory of ``callback validate`` on it, against a fresh interpreter's C parse;
- ``callback simulate`` steps per second against a bare dict walk of the same graph
  (``bench/bench_simulate.py``), on the flagship and the generated story;
- the window: launch to first frame, CPU while the title waits for 10 s, and frame
  times while a call types at 1280x720 (``bench/bench_gui.py``), each against bare
  pygame doing the least it could.

About three minutes on a two-core machine. ``--quick`` runs fewer repeats (for a look,
not for figures).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_gui import first_frame_seconds, frame_times_ms, idle_cpu_percent  # noqa: E402
from bench_simulate import dict_walk_rate, simulate_rate, timed_simulation  # noqa: E402
from generate import generate  # noqa: E402

from game.analysis.load import load_story  # noqa: E402
from game.engine.compiled import compile_story  # noqa: E402
from game.gcpause import paused_gc  # noqa: E402
from game.paths import bundled_stories, is_rubric  # noqa: E402
from game.story.model import Story  # noqa: E402

PROCESS_RUNS = 7
SIZES = (100, 1_000, 10_000)


@dataclass
class Row:
    """One line of the table: ours beside the floor, and the target it is held to."""

    label: str
    ours: float
    floor: float
    unit: str
    target: str
    met: bool | None
    better: str = "lower"  # "higher" for rates

    def ratio(self) -> str:
        if not self.floor or not self.ours:
            return "-"
        value = self.ours / self.floor if self.better == "lower" else self.floor / self.ours
        return f"{value:.2f}x"


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:,.0f} {unit}"


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a whole command."""
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=env)
    code = child.wait()
    elapsed = time.perf_counter() - began
    if code not in (0, 1):  # (1: a story with errors is still a measured run)
        raise RuntimeError(f"{command} exited with {code}")
    return elapsed


def median_wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    return statistics.median(wall(command, env) for _ in range(runs))


def timed(action: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``action``, the collector paused (as the batch commands run)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        with paused_gc():
            began = time.perf_counter()
            action()
            times.append(time.perf_counter() - began)
    return min(times)


def c_parse(path: Path) -> Callable[[], object]:
    text = path.read_text(encoding="utf-8")
    return lambda: yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader


def validate_rows(flagship: Path, runs: int) -> list[Row]:
    python = sys.executable
    floor = median_wall([python, "-c", "import yaml"], runs)
    with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
        env = {**os.environ, "CALLBACK_CACHE": folder}
        command = [python, "-m", "game", "validate", str(flagship)]
        wall(command, env)  # fills the cache
        warm = median_wall(command, runs, env)
    cold = median_wall(command, max(3, runs // 2), {**os.environ, "CALLBACK_CACHE": "off"})
    return [
        Row("callback validate flagship, warm (whole process)", warm, floor, "s",
            "within 4x of import yaml", warm <= 4 * floor),
        Row("callback validate flagship, cold (whole process)", cold, floor, "s",
            "within 4x of import yaml", cold <= 4 * floor),
    ]


def story_rows(repeats: int) -> list[Row]:
    rows = []
    for path in bundled_stories():
        if is_rubric(path):
            continue
        ours = timed(lambda p=path: load_story(p), repeats)
        floor = timed(c_parse(path), repeats)
        rows.append(Row(f"check {path.stem} (every assertion)", ours, floor, "s",
                        "under 0.5 s", ours < 0.5))
    return rows


def generated_rows(folder: Path, repeats: int) -> tuple[list[Row], Path]:
    rows, largest = [], folder
    for scenes in SIZES:
        path = folder / f"generated-{scenes}.yaml"
        path.write_text(yaml.safe_dump(generate(scenes, swing=4), sort_keys=False),
                        encoding="utf-8")
        times = repeats if scenes < 10_000 else max(1, repeats // 2)
        ours = timed(lambda p=path: load_story(p), times)
        floor = timed(c_parse(path), times)
        rows.append(Row(f"cold load + validate, {scenes:,} scenes", ours, floor, "s",
                        "within 1.3x of the C parse", ours <= 1.3 * floor))
        largest = path
    return rows, largest


def warm_rows(path: Path, repeats: int) -> list[Row]:
    from game.analysis import cache

    floor = timed(c_parse(path), 1)
    with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
        os.environ["CALLBACK_CACHE"] = folder
        try:
            cache.validated(path)
            cache.opened(path)
            validated = timed(lambda: cache.validated(path), repeats)
            opened = timed(lambda: cache.opened(path), repeats)
        finally:
            del os.environ["CALLBACK_CACHE"]
    return [
        Row("warm validate, 10,000 scenes unchanged", validated, floor, "s", "under 0.15 s",
            validated < 0.15),
        Row("warm open (story rebuilt), 10,000 scenes", opened, floor, "s", "under 0.15 s",
            opened < 0.15),
    ]


_PEAK = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(os.wait4(child.pid, 0)[2].ru_maxrss // 1024)
"""


def peak_mb(command: list[str], env: dict[str, str] | None = None) -> int:
    """Peak resident memory of ``command`` in MB, started from a small launcher.

    (A child's peak counts the memory of the process that forked it, so a command
    forked straight from this one, large by now, would report this one's size.)
    """
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True,
                          text=True, env=env, check=True, timeout=300)
    return int(done.stdout.split()[-1])


def memory_row(path: Path) -> Row:
    python = sys.executable
    ours = peak_mb([python, "-m", "game", "validate", str(path)],
                   {**os.environ, "CALLBACK_CACHE": "off"})
    floor = peak_mb([python, "-c", "import gc, sys, yaml; gc.disable(); "
                     "yaml.load(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader)", str(path)])
    return Row("peak memory, callback validate 10,000 scenes", ours, floor, "MB",
               "under 150 MB", ours < 150)


def simulate_rows(flagship: Path, generated: Path) -> list[Row]:
    rows = []
    for label, path in (("flagship", flagship), ("10,000 scenes", generated)):
        loaded = load_story(path, analyse=False)
        compiled = loaded.compiled
        if compiled is None:  # (the generated story reads straight from its data)
            compiled = compile_story(Story.model_validate(yaml.safe_load(path.read_text())))
        steps = timed_simulation(compiled, 20_000, 1).steps
        ours = max(simulate_rate(compiled, 20_000, 1)[0] for _ in range(2))
        floor = max(dict_walk_rate(compiled, steps, 1) for _ in range(2))
        rows.append(Row(f"simulate steps/s, {label}", ours, floor, "steps/s",
                        "at least 150,000", ours >= 150_000, better="higher"))
    return rows


_BARE_FIRST_FRAME = """
import os, sys, time
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
screen.fill((20, 24, 32))
pygame.display.flip()
print(time.time())
"""

_BARE_IDLE = """
import os, time
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
pygame.display.flip()
print("ready", flush=True)
while pygame.event.wait(1000).type != pygame.QUIT:  # (SIGTERM arrives as QUIT)
    pass
"""


def _gui_env() -> dict[str, str]:
    return {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def bare_first_frame(runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.time()
        done = subprocess.run([sys.executable, "-c", _BARE_FIRST_FRAME], capture_output=True,
                              text=True, env=_gui_env(), check=True, timeout=60)
        times.append(float(done.stdout.split()[-1]) - began)
    return statistics.median(times)


def bare_idle(seconds: float) -> float:
    from bench_gui import _cpu_seconds

    child = subprocess.Popen([sys.executable, "-c", _BARE_IDLE], stdout=subprocess.PIPE,
                             env=_gui_env())
    try:
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(0.5)
        before, began = _cpu_seconds(child.pid), time.monotonic()
        time.sleep(seconds)
        return 100 * (_cpu_seconds(child.pid) - before) / (time.monotonic() - began)
    finally:
        child.terminate()  # the child this function started, by its own pid
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)


def bare_frame_ms(frames: int) -> float:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    pygame.display.init()
    screen = pygame.display.set_mode((1280, 720))
    times = []
    for i in range(frames):
        began = time.perf_counter()
        screen.fill((i % 255, 24, 32))
        pygame.display.flip()
        times.append((time.perf_counter() - began) * 1000)
    pygame.display.quit()
    return statistics.median(times)


def gui_rows(runs: int, idle_seconds: float) -> list[Row]:
    first = statistics.median(first_frame_seconds(runs))
    idle = idle_cpu_percent(idle_seconds)
    idle_floor = bare_idle(idle_seconds)
    median, p95 = frame_times_ms(300)
    busy_median, busy_p95 = frame_times_ms(300, during_warmup=True)
    frame_floor = bare_frame_ms(300)
    return [
        Row("window launch to first frame (title)", first, bare_first_frame(runs), "s",
            "under 0.4 s", first < 0.4),
        Row("CPU of the waiting title screen, 10 s", idle, idle_floor, "%",
            "near the floor", idle <= idle_floor + 2.0),
        Row("frame time, call typing at 1280x720 (median)", median, frame_floor, "ms",
            "under 4 ms", median < 4),
        Row("frame time, call typing at 1280x720 (p95)", p95, frame_floor, "ms",
            "under 4 ms", p95 < 4),
        Row("  the same while the debrief's tables build (median)", busy_median, frame_floor,
            "ms", "under 4 ms", busy_median < 4),
        Row("  the same while the debrief's tables build (p95)", busy_p95, frame_floor, "ms",
            "under 4 ms", busy_p95 < 4),
    ]


def print_table(rows: list[Row]) -> None:
    width = max(len(r.label) for r in rows)
    print(f"{'row':<{width}}  {'ours':>16}  {'floor':>16}  {'ratio':>7}  target")
    for r in rows:
        verdict = "" if r.met is None else ("  ok" if r.met else "  MISSED")
        print(f"{r.label:<{width}}  {_number(r.ours, r.unit):>16}  "
              f"{_number(r.floor, r.unit):>16}  {r.ratio():>7}  {r.target}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, a rough look")
    quick = parser.parse_args().quick
    began = time.perf_counter()
    runs, repeats = (3, 1) if quick else (PROCESS_RUNS, 3)
    flagship = ROOT / "stories" / "rejection-call.yaml"
    rows = validate_rows(flagship, runs)
    rows += story_rows(repeats)
    with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
        generated, largest = generated_rows(Path(folder), repeats)
        rows += generated
        rows += warm_rows(largest, repeats)
        rows.append(memory_row(largest))
        rows += simulate_rows(flagship, largest)
    rows += gui_rows(3 if quick else 5, 3.0 if quick else 10.0)
    print_table(rows)
    print(f"(measured in {time.perf_counter() - began:.0f} s on {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')})")


if __name__ == "__main__":
    main()
