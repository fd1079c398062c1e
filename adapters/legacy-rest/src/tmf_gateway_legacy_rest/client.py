"""HTTP to the legacy system: pooled session, timeouts, retries with backoff, circuit breaker.

Errors of requests, urllib3 and pybreaker never leave this module; they become ours:

    requests.Timeout, ConnectionError, 5xx,
    pybreaker.CircuitBreakerError       -> SouthboundUnavailable (counted by the breaker; so
                                           are slow answers within a time window)
    4xx the mapping calls a refusal     -> SouthboundRejected    (not counted)
    4xx the mapping calls an answer     -> returned (a lookup's 404: "no such record")
    other 4xx, a body that is not JSON  -> SouthboundError
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Collection, Mapping
from typing import Any

import pybreaker
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from tmf_gateway.errors import SouthboundError, SouthboundRejected, SouthboundUnavailable
from tmf_gateway.ops.tracing import outgoing_headers

log = logging.getLogger(__name__)


class LegacyHttp:
    """One pooled session to one legacy base URL, behind one circuit breaker."""

    def __init__(self, base_url: str, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.base_url = base_url.rstrip("/")
        self.timeout = (float(options.get("connect_timeout", 2.0)),
                        float(options.get("timeout", 5.0)))
        retries = int(options.get("retries", 2))
        retry = Retry(
            # a read that timed out is not repeated at once: a hung system would hold the
            # caller for (retries + 1) read timeouts; the job tries again on its next round
            total=retries, connect=retries, read=0, status=retries,
            # urllib3 sleeps between these retries itself: backoff_factor * 2**(n-1) seconds,
            # the doubling of tmf_gateway.retry.Backoff (which the gateway's own jobs use)
            backoff_factor=float(options.get("backoff", 0.2)),
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=None,  # the legacy calls we make are idempotent (keyed by order id)
            raise_on_status=False, respect_retry_after_header=True,
        )
        pool = int(options.get("pool_size", 10))
        self.session = requests.Session()
        self.session.headers.update({str(k): str(v) for k, v in
                                     (options.get("headers") or {}).items()})
        adapter = HTTPAdapter(pool_connections=pool, pool_maxsize=pool, max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=int(options.get("breaker_fail_max", 5)),
            reset_timeout=float(options.get("breaker_reset_seconds", 30.0)),
            exclude=[SouthboundRejected],
            name=f"legacy-rest {self.base_url}",
        )
        self.window = SlowCallWindow(
            int(options.get("breaker_fail_max", 5)),
            float(options.get("breaker_window_seconds", 60.0)),
            float(options.get("slow_call_seconds", 2.0)),
        )

    def request(
        self, method: str, path: str, refused: Collection[int] = (),
        answers: Collection[int] = (), **kwargs: Any,
    ) -> tuple[int, Any]:
        """(status, decoded JSON body or None); refusals (`refused` statuses, 4xx) raise, but
        a status in `answers` (e.g. 404 for "no such customer") is returned like a success."""
        started = time.monotonic()
        try:
            result = self.breaker.call(self._send, method, path, refused, answers, **kwargs)
        except pybreaker.CircuitBreakerError as exc:
            raise SouthboundUnavailable(
                f"{self.base_url} is failing; circuit breaker open ({exc})"
            ) from exc
        except SouthboundRejected:
            raise  # the system answered: it is up
        except SouthboundError:
            self._count(started, failed=True)
            raise
        self._count(started, failed=False)
        return result

    def _count(self, started: float, failed: bool) -> None:
        """Failures and slow answers within the window open the circuit too: a system that
        hangs now and then never fails `breaker_fail_max` times in a row."""
        if self.window.add(time.monotonic() - started, failed) and \
                self.breaker.current_state == pybreaker.STATE_CLOSED:
            log.warning("%s: %d failed or slow calls within %g s, opening the circuit",
                        self.base_url, self.window.threshold, self.window.seconds)
            self.breaker.open()

    def _send(
        self, method: str, path: str, refused: Collection[int], answers: Collection[int],
        **kwargs: Any,
    ) -> tuple[int, Any]:
        url = self.base_url + path
        # the gateway's trace continues in the legacy system (W3C traceparent; otel extra)
        kwargs["headers"] = {**outgoing_headers(), **(kwargs.get("headers") or {})}
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise SouthboundUnavailable(f"{method} {url} timed out: {exc}") from exc
        except requests.RequestException as exc:  # refused connection, retries exhausted, ...
            raise SouthboundUnavailable(f"{method} {url} failed: {exc}") from exc
        status = response.status_code
        if status >= 500:
            raise SouthboundUnavailable(f"{method} {url} answered {status}: {response.text[:200]}")
        body = None
        if response.content:
            try:
                body = response.json()
            except ValueError as exc:
                if status in answers and status >= 400:
                    return status, None  # e.g. a 404 page in HTML: the answer is the status
                raise SouthboundError(f"{method} {url} answered malformed JSON") from exc
        if status in answers:
            return status, body
        if status in refused or status in (409, 422):
            raise SouthboundRejected(f"{method} {url} refused ({status}): {_text(body)}")
        if status >= 400:
            raise SouthboundError(f"{method} {url} answered {status}: {_text(body)}")
        return status, body

    @property
    def breaker_state(self) -> str:
        """closed, open or half-open."""
        return str(self.breaker.current_state)

    def check_health(self) -> None:
        """Down while the circuit breaker is open (the last calls failed)."""
        if self.breaker_state == "open":
            raise SouthboundUnavailable(f"{self.base_url} is failing; circuit breaker open")

    def close(self) -> None:
        self.session.close()


class HttpCapability:
    """What every legacy-rest capability reports to the gateway: health and circuit state."""

    http: LegacyHttp

    def check_health(self) -> None:
        """ports.HealthCheck: unhealthy while the system's circuit breaker is open."""
        self.http.check_health()

    @property
    def circuit_state(self) -> str:
        """closed, open or half-open (the gateway's metrics export it)."""
        return self.http.breaker_state


class SlowCallWindow:
    """Counts failed calls and calls slower than `slow` over the last `seconds`."""

    def __init__(self, threshold: int, seconds: float, slow: float) -> None:
        self.threshold, self.seconds, self.slow = max(1, threshold), seconds, slow
        self._bad: deque[float] = deque()
        self._lock = threading.Lock()

    def add(self, duration: float, failed: bool) -> bool:
        """Record one call; True when the window now holds `threshold` bad calls (and it is
        emptied, so the next opening needs as many again)."""
        if not failed and duration < self.slow:
            return False
        now = time.monotonic()
        with self._lock:
            self._bad.append(now)
            while self._bad and self._bad[0] < now - self.seconds:
                self._bad.popleft()
            if len(self._bad) >= self.threshold:
                self._bad.clear()
                return True
        return False


def _text(body: Any) -> str:
    return str(body)[:300] if body is not None else "no details"
