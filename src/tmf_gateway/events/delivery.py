"""Posting one event to one listener over HTTP, and the delivery retry policy."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import requests

from ..retry import Backoff


@dataclass(frozen=True)
class PostResult:
    """A listener's answer: a status code, or the error that stopped the request."""

    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    """Posts an event body to a callback URL; never raises for the listener's failures."""

    def post(self, url: str, body: bytes, event_id: str, timeout: float) -> PostResult: ...


class HttpSender:
    """`requests` with one session (connection pool) per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def post(self, url: str, body: bytes, event_id: str, timeout: float) -> PostResult:
        started = time.perf_counter()
        headers = {"Content-Type": "application/json", "X-Event-Id": event_id}
        try:
            response = self._session().post(url, data=body, headers=headers, timeout=timeout)
            response.close()
            status, error = response.status_code, None
            if not 200 <= status < 300:
                error = f"listener answered {status}"
        except requests.Timeout:
            status, error = None, f"timed out after {timeout:g} s"
        except requests.ConnectionError as exc:
            status, error = None, f"connection failed: {_root_cause(exc)}"
        except requests.RequestException as exc:
            status, error = None, f"request failed: {exc}"
        return PostResult(status, error, (time.perf_counter() - started) * 1000)


def _root_cause(exc: BaseException) -> str:
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    return str(exc)[:300]


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded attempts, each with a timeout; between them the shared `Backoff` with jitter."""

    timeout: float = 5.0
    max_attempts: int = 8
    backoff_base: float = 1.0
    backoff_max: float = 300.0

    @property
    def backoff(self) -> Backoff:
        return Backoff(self.backoff_base, self.backoff_max, jitter=True)

    def delay(self, attempts: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after `attempts` failed attempts (retry.Backoff, jittered)."""
        return self.backoff.delay(attempts, rng)

    @property
    def lease(self) -> float:
        """How long a claimed delivery is someone else's before it may be taken over."""
        return self.timeout * 2 + 5
