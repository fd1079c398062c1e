"""Background jobs (southbound polling, jeopardy checks, event delivery) on one thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class _Job:
    name: str
    interval: float
    run: Callable[[], object]
    due: float = field(default=0.0)


class BackgroundRunner:
    """Runs registered jobs at their intervals; tests call `run_pending()` themselves."""

    def __init__(self) -> None:
        self._jobs: list[_Job] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def every(self, seconds: float, name: str, run: Callable[[], object]) -> None:
        self._jobs.append(_Job(name, seconds, run))

    def run_pending(self, force: bool = False) -> None:
        """Run every job that is due (all of them when forced); one failure stops none."""
        now = time.monotonic()
        for job in self._jobs:
            if force or job.due <= now:
                job.due = now + job.interval
                try:
                    job.run()
                except Exception:  # a job must never kill the runner
                    log.exception("background job %s failed", job.name)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="tmf-gateway-worker", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(0.1):
            self.run_pending()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
