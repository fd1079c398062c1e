"""Delivery rows -> listeners: claim the head of each subscription's line, post it outside any
transaction, record the attempt, retry with backoff, park when the attempts run out."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .. import jsoncodec
from ..logthrottle import ThrottledLog
from ..ports import Delivery, DeliveryAttempt, Store, UnitOfWork
from ..tmf.values import now_iso
from .delivery import RetryPolicy, Sender
from .routes import HubRoute

log = logging.getLogger(__name__)
RUN_LENGTH = 200  # deliveries in a row to one listener before its slot is handed back


class DeliveryWorker:
    """A pool of `concurrency` threads, each following one listener's line at a time."""

    def __init__(
        self,
        store: Store,
        routes: dict[str, HubRoute],
        policy: RetryPolicy,
        sender: Sender,
        concurrency: int = 8,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.policy, self.sender, self.clock = store, policy, sender, clock
        self.concurrency = max(1, concurrency)
        self._filters = {route.hub_kind: route.event_filter for route in routes.values()}
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="tmf-delivery")
        self._in_flight: set[Future[None]] = set()
        self._lock = threading.Lock()
        self.failures = ThrottledLog(log)  # a database outage is not a log flood
        self._queries: dict[str, str | None] = {}  # subscription id -> its query (immutable)

    def start_due(self) -> int:
        """Claim what is due for the free threads and start posting; how many were started."""
        with self._lock:
            self._in_flight = {f for f in self._in_flight if not f.done()}
            free = self.concurrency - len(self._in_flight)
        if free <= 0:
            return 0
        with self.store.unit_of_work(write=True) as uow:
            claimed = uow.claim_deliveries(self.clock(), self.policy.lease, free)
        for delivery in claimed:
            future = self._pool.submit(self._deliver, delivery)
            with self._lock:
                self._in_flight.add(future)
        return len(claimed)

    def idle(self) -> bool:
        with self._lock:
            return all(f.done() for f in self._in_flight)

    def close(self) -> None:
        """Let the posts in flight finish (their attempts are recorded), then stop the threads."""
        self._pool.shutdown(wait=True)

    def _deliver(self, delivery: Delivery | None) -> None:
        """Post, record, and while the listener keeps answering, go on down its line."""
        run_length = RUN_LENGTH
        for position in range(run_length):
            if delivery is None:
                return
            delivery = self._deliver_one(delivery, claim_next=position < run_length - 1)

    def _deliver_one(self, delivery: Delivery, claim_next: bool) -> Delivery | None:
        try:
            body = jsoncodec.dumps(self._shaped(delivery)).encode()
            result = self.sender.post(
                delivery.callback, body, delivery.event_id, self.policy.timeout
            )
            attempt = DeliveryAttempt(
                delivery.id, delivery.attempts + 1, now_iso(), result.status_code, result.error,
                round(result.duration_ms, 3),
            )
            with self.store.unit_of_work(write=True) as uow:
                self._record(uow, delivery, attempt, result.ok)
                if not (result.ok and claim_next):
                    return None
                claimed = uow.claim_deliveries(
                    self.clock(), self.policy.lease, 1, delivery.subscription_id
                )
                return claimed[0] if claimed else None
        except Exception as exc:  # the lease runs out and another pump retries it
            self.failures.warning("delivery", type(exc).__name__, "delivering %s to %s failed",
                                  delivery.event_id, delivery.callback, exc_info=True)
            return None

    def _shaped(self, delivery: Delivery) -> dict[str, Any]:
        """The event as its subscription asked for it (`fields` in the query)."""
        event_filter = self._filters.get(delivery.hub_kind)
        if event_filter is None or delivery.payload is None:
            return delivery.payload or {}
        if delivery.subscription_id not in self._queries:
            with self.store.unit_of_work() as uow:
                sub = uow.get(delivery.hub_kind, delivery.subscription_id)
            query = sub.doc.get("query") if sub is not None else None
            with self._lock:
                self._queries[delivery.subscription_id] = query
        return event_filter.shape(self._queries[delivery.subscription_id], delivery.payload)

    def _record(
        self, uow: UnitOfWork, delivery: Delivery, attempt: DeliveryAttempt, ok: bool
    ) -> None:
        now = self.clock()
        if ok:
            uow.record_attempt(attempt, "delivered", now)
        elif attempt.attempt >= self.policy.max_attempts:
            uow.record_attempt(attempt, "parked", now)
            # the head of the line gave up: the listener is down, park what waits behind it
            uow.park_pending(
                delivery.subscription_id,
                f"parked behind event {delivery.event_id}: {attempt.error}",
            )
            log.warning(
                "parked deliveries of subscription %s after %d attempts: %s",
                delivery.subscription_id, attempt.attempt, attempt.error,
            )
        else:
            uow.record_attempt(attempt, "pending", now + self.policy.delay(attempt.attempt))
