"""Background jobs (southbound polling, jeopardy checks, event delivery), each on its own thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)
REPEAT_LOG_SECONDS = 60.0  # a job failing the same way again is logged at most this often


@dataclass
class _Job:
    name: str
    interval: float
    run: Callable[[], object]
    due: float = field(default=0.0)
    failure: str | None = None  # the exception type of the current run of failures, if any
    failures: int = 0  # failures since it was last logged
    logged_at: float = 0.0


def _kind(exc: Exception) -> str:
    """Failures of one kind: messages vary (addresses, counts), the exception type does not."""
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


class BackgroundRunner:
    """Runs registered jobs at their intervals; tests call `run_pending()` themselves."""

    def __init__(self, repeat_log_seconds: float = REPEAT_LOG_SECONDS) -> None:
        self.repeat_log_seconds = repeat_log_seconds
        self._jobs: list[_Job] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._started = False

    def every(self, seconds: float, name: str, run: Callable[[], object]) -> None:
        job = _Job(name, seconds, run)
        self._jobs.append(job)
        if self._started:  # registered after start: it gets its thread too
            self._spawn(job)

    def run_pending(self, force: bool = False) -> None:
        """Run every job that is due (all of them when forced); one failure stops none."""
        now = time.monotonic()
        for job in self._jobs:
            if force or job.due <= now:
                self._run(job, now)

    def _run(self, job: _Job, now: float) -> None:
        job.due = now + job.interval
        try:
            job.run()
        except Exception as exc:  # a job must never kill the runner
            self._failed(job, exc, now)
        else:
            self._succeeded(job)

    def _failed(self, job: _Job, exc: Exception, now: float) -> None:
        """A legacy system down for an hour must not write a traceback every half second: the
        first failure is logged in full, the same failure again once a minute with a count."""
        kind = _kind(exc)
        if kind != job.failure:
            job.failure, job.failures, job.logged_at = kind, 0, now
            log.exception("background job %s failed", job.name)
            return
        job.failures += 1
        if now - job.logged_at >= self.repeat_log_seconds:
            log.warning("background job %s still failing (%d more times since last logged): %s",
                        job.name, job.failures, exc)
            job.failures, job.logged_at = 0, now

    def _succeeded(self, job: _Job) -> None:
        if job.failure is not None:
            log.warning("background job %s works again after %s", job.name, job.failure)
            job.failure, job.failures = None, 0

    def start(self) -> None:
        """One thread per job (bulkheads): a southbound call hanging on a legacy system holds
        its own job only, never the event dispatcher or another system's job."""
        if self._started:
            return
        self._started = True
        self._stop.clear()
        for job in self._jobs:
            self._spawn(job)

    @property
    def running(self) -> bool:
        """Whether the jobs' threads are alive (readiness reports it)."""
        return self._started and any(thread.is_alive() for thread in self._threads)

    def _spawn(self, job: _Job) -> None:
        thread = threading.Thread(
            target=self._loop, args=(job,), name=f"tmf-gateway-{job.name}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _loop(self, job: _Job) -> None:
        while not self._stop.wait(max(0.0, job.due - time.monotonic())):
            self._run(job, time.monotonic())

    def stop(self) -> None:
        """Stop every job; one stuck in a southbound call is left to its timeout (daemon)."""
        self._stop.set()
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self._threads, self._started = [], False
