"""The window's speed as a player feels it: ``python bench/bench_gui.py``.

Three rows, each against its target:

* **first frame**: ``python -m game`` (no arguments: the title screen) is launched in a
  fresh interpreter with SDL's dummy drivers and a fresh ``CALLBACK_HOME``; the app
  writes the wall clock right after its first ``pygame.display.flip()`` (the
  ``CALLBACK_FIRST_FRAME`` hook, see :func:`game.gui.app.run_window`) and quits. The
  figure is that time minus the time just before the process was started. Target:
  median under 0.4 s.
* **idle CPU**: the same window left on the title screen (``CALLBACK_FIRST_FRAME_STAY``
  keeps it open once the first frame is written), its user + system CPU time read
  from ``/proc/PID/stat`` over a few seconds of doing nothing, as a percentage of one
  core. With the dummy video driver SDL cannot block on the event queue and polls it
  every millisecond or so, so this is an upper bound on what a real (X11, Wayland,
  Windows, macOS) window costs while nobody touches it.
* **frame time**: in this process, a 1280x720 window on a call while its lines type
  out; each frame's work (events, update, draw and flip: one ``App.step``) timed with
  ``time.perf_counter``. Target: median and 95th percentile under 4 ms. The call
  starts building its debrief's score tables on a worker thread (``Warmup`` in
  :mod:`game.gui.runs`, seconds on the larger stories); the row times the frames once
  that is done, and a second line times them while it runs, when the frames wait for
  the GIL (Python's default switch interval is 5 ms).

Linux only (``/proc``). Timings live here, never in pass/fail tests.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_FRAME_TARGET_S = 0.4
FRAME_TARGET_MS = 4.0
_LAUNCH_TIMEOUT_S = 30.0


def _env(home: Path, marker: Path, *, stay: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", CALLBACK_HOME=str(home),
               CALLBACK_FIRST_FRAME=str(marker), PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("CALLBACK_FIRST_FRAME_STAY", None)
    env.pop("CALLBACK_RESULTS", None)
    if stay:
        env["CALLBACK_FIRST_FRAME_STAY"] = "1"
    return env


def _launch(
    home: Path, marker: Path, *, stay: bool = False
) -> tuple[float, subprocess.Popen[bytes]]:
    """Start ``python -m game`` on the title screen; return the time just before, and it."""
    env = _env(home, marker, stay=stay)
    launched = time.time()
    child = subprocess.Popen([sys.executable, "-m", "game"], cwd=ROOT, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    return launched, child


def _reap(child: subprocess.Popen[bytes]) -> bytes:
    """Wait for ``child`` (this bench's own) to end, killing it by its pid if it hangs."""
    try:
        return child.communicate(timeout=_LAUNCH_TIMEOUT_S)[1]
    except subprocess.TimeoutExpired:
        child.kill()
        return child.communicate()[1]


def _first_frame_time(marker: Path, child: subprocess.Popen[bytes]) -> float:
    """Wait for the child to write its first frame's time to ``marker``; return it."""
    deadline = time.monotonic() + _LAUNCH_TIMEOUT_S
    while time.monotonic() < deadline:
        text = marker.read_text(encoding="utf-8") if marker.is_file() else ""
        if text.endswith("\n"):
            return float(text)
        if child.poll() is not None:
            err = child.stderr.read().decode() if child.stderr else ""
            raise RuntimeError(f"the game exited with {child.returncode} before its "
                               f"first frame: {err.strip()}")
        time.sleep(0.005)
    raise RuntimeError("no first frame within 30 s")


def first_frame_seconds(runs: int = 5) -> list[float]:
    """Launch ``python -m game`` ``runs`` times; return the seconds to each first frame."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
            home, marker = Path(folder) / "home", Path(folder) / "first-frame"
            launched, child = _launch(home, marker)
            err = _reap(child)
            if child.returncode != 0 or not marker.is_file():
                raise RuntimeError(f"python -m game exited with {child.returncode}: "
                                   f"{err.decode().strip()}")
            times.append(float(marker.read_text(encoding="utf-8")) - launched)
    return times


def _cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time the process ``pid`` has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def idle_cpu_percent(seconds: float = 10.0) -> float:
    """Leave the title screen open for ``seconds``; return its CPU use, % of one core."""
    with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
        home, marker = Path(folder) / "home", Path(folder) / "first-frame"
        _launched, child = _launch(home, marker, stay=True)
        try:
            _first_frame_time(marker, child)
            time.sleep(0.5)  # let whatever follows the first frame settle
            before, began = _cpu_seconds(child.pid), time.monotonic()
            time.sleep(seconds)
            used, spent = _cpu_seconds(child.pid) - before, time.monotonic() - began
        finally:
            if child.poll() is None:
                child.terminate()  # this child only, by its own pid
            _reap(child)
    return 100 * used / spent


def _join_warmups() -> None:
    """Wait for the score tables being built on worker threads (see game.gui.runs.Warmup)."""
    for thread in threading.enumerate():
        if thread.name == "callback-warmup":
            thread.join(120)


def frame_times_ms(frames: int = 300, *, during_warmup: bool = False) -> tuple[float, float]:
    """Time ``frames`` frames of a call typing out at 1280x720; return (median, p95) in ms.

    The frames are timed once the call's score tables are built, unless
    ``during_warmup``: then from the call's first frame, while they are being built.
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    sys.path.insert(0, str(ROOT))
    import pygame

    from game.engine.state import Phase
    from game.gui.app import App, ManualClock
    from game.gui.screens.call import CallScreen
    from game.gui.session import Session
    from game.gui.sound import Sounds

    story = ROOT / "stories" / "rejection-call.yaml"
    with tempfile.TemporaryDirectory(prefix="callback-bench-") as folder:
        clock = ManualClock()
        session = Session([story], data_dir=Path(folder), save_runs=False)
        app = App(size=(1280, 720), clock=clock, session=session, text_speed=40,
                  sounds=Sounds.silent(), transitions=False, flags=0)
        app.session.prepare(story).wait(60)
        app.open_story(story)
        if not during_warmup:
            _join_warmups()
        times: list[float] = []
        try:
            while len(times) < frames:
                call = app.top
                if not isinstance(call, CallScreen):
                    raise RuntimeError(f"expected a call, not {type(call).__name__}")
                if call.ringing is not None:
                    call.answer()
                elif call.ready:  # typed out: answer (untimed) so the next lines type
                    if not call.menu.items or call.shown.phase is Phase.ENDED:
                        app.play(call.story)  # the call is over: start it again
                    else:
                        call.act(next(i for i, item in enumerate(call.menu.items)
                                      if item.enabled))
                clock.advance(16)
                began = time.perf_counter()
                app.step()
                times.append((time.perf_counter() - began) * 1000)
        finally:
            pygame.quit()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def main() -> int:
    """Print the three rows with their targets."""
    firsts = first_frame_seconds(5)
    first = statistics.median(firsts)
    runs = ", ".join(f"{t:.3f}" for t in firsts)
    print(f"first frame (python -m game, title)  median {first:.3f} s  "
          f"[{runs}]  target < {FIRST_FRAME_TARGET_S} s  "
          f"{'ok' if first < FIRST_FRAME_TARGET_S else 'MISSED'}")
    idle = idle_cpu_percent(10.0)
    print(f"idle CPU (title screen, 10 s)        {idle:.1f} % of one core  "
          "(dummy video driver: SDL polls its queue; a real window sleeps on it)")
    median, p95 = frame_times_ms(300)
    ok = median < FRAME_TARGET_MS and p95 < FRAME_TARGET_MS
    print(f"frame time (call typing, 1280x720)   median {median:.2f} ms  p95 {p95:.2f} ms  "
          f"target < {FRAME_TARGET_MS:.0f} ms  {'ok' if ok else 'MISSED'}")
    median, p95 = frame_times_ms(300, during_warmup=True)
    print(f"  the same while the debrief's score tables are built on the worker thread: "
          f"median {median:.2f} ms  p95 {p95:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
