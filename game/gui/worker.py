"""A background job the window polls each frame, so slow pure work never freezes it."""

from __future__ import annotations

import threading


class Worker:
    """Runs :meth:`_run` once on a daemon thread; the app polls :attr:`done`."""

    def __init__(self, name: str) -> None:
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _start(self) -> None:
        self._thread.start()

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def done(self) -> bool:
        """Return True once the work has finished (or failed)."""
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work finishes or ``timeout`` seconds pass; return :attr:`done`."""
        self._thread.join(timeout)
        return self.done
