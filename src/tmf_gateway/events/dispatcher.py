"""The outbox dispatcher: fans events out to matching subscriptions, delivers, records, parks."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from .. import jsoncodec
from ..errors import InvalidResource, NotFound
from ..logthrottle import ThrottledLog
from ..ports import Delivery, DeliveryAttempt, Store, UnitOfWork
from ..tmf.values import now_iso
from .delivery import HttpSender, RetryPolicy, Sender
from .matching import EventFilter

log = logging.getLogger(__name__)
FANOUT_CURSOR = "fanout"
BROKER_CURSOR = "broker"
RUN_LENGTH = 200  # deliveries in a row to one listener before its slot is handed back


@dataclass(frozen=True)
class HubRoute:
    """Where the events of one resource kind go: its API's hub, and that API's query filter."""

    hub_kind: str
    api_name: str
    event_filter: EventFilter


class Publisher(Protocol):
    """Sends events to a message broker; raises when the broker did not confirm them."""

    def publish(self, api_name: str, events: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class Dispatcher:
    """One per process. `pump()` is cheap and non-blocking: run it often (background job)."""

    def __init__(
        self,
        store: Store,
        routes: dict[str, HubRoute],
        policy: RetryPolicy,
        sender: Sender | None = None,
        concurrency: int = 8,
        publisher: Publisher | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.routes = routes
        self.policy = policy
        self.sender = sender or HttpSender()
        self.publisher = publisher
        self.clock = clock
        self.concurrency = max(1, concurrency)
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="tmf-delivery")
        self._in_flight: set[Future[None]] = set()
        self._lock = threading.Lock()
        self.failures = ThrottledLog(log)  # a broker or database outage is not a log flood
        self._queries: dict[str, str | None] = {}  # subscription id -> its query (immutable)

    # fan-out: outbox -> delivery rows, in one transaction per batch

    def fan_out(self, batch: int = 500) -> int:
        """Owe each new outbox event to every matching subscription of its API."""
        with self.store.unit_of_work(write=True) as uow:
            cursor = uow.get_cursor(FANOUT_CURSOR)
            events = uow.outbox_after(cursor, batch)
            if not events:
                return 0
            # one process fans out at a time: the one that waited reads on from the other's end
            locked = uow.get_cursor(FANOUT_CURSOR, lock=True)
            if locked != cursor:
                cursor, events = locked, uow.outbox_after(locked, batch)
                if not events:
                    return 0
            subscriptions: dict[str, list[dict[str, Any]]] = {}
            owed: list[Delivery] = []
            now = self.clock()
            for event in events:
                route = self.routes.get(event.resource_kind)
                if route is None:
                    continue
                if route.hub_kind not in subscriptions:
                    subscriptions[route.hub_kind] = list(uow.iterate(route.hub_kind))
                for sub in subscriptions[route.hub_kind]:
                    if event.seq <= sub.get("afterSeq", 0):
                        continue
                    if self._matches(route, sub, event.payload):
                        owed.append(
                            Delivery(
                                0, event.seq, event.event_id, event.event_type, sub["id"],
                                route.hub_kind, sub["callback"], "pending", 0, now,
                            )
                        )
            uow.add_deliveries(owed)
            uow.set_cursor(FANOUT_CURSOR, events[-1].seq)
            return len(events)

    def _matches(self, route: HubRoute, sub: dict[str, Any], event: dict[str, Any]) -> bool:
        try:
            return route.event_filter.matches(sub.get("query"), event)
        except InvalidResource:
            log.warning("subscription %s has an unusable query %r", sub["id"], sub.get("query"))
            return False

    # delivery: claim the head of each subscription's line, post it outside any transaction

    def pump(self) -> int:
        """Fan out, then start delivering what is due; returns how many deliveries started."""
        if self.publisher is not None:
            try:
                self.publish_to_broker()
            except Exception as exc:  # the cursor stays put: the same events go next time
                self.failures.warning("broker", type(exc).__name__,
                                      "publishing events to the broker failed: %s", exc,
                                      exc_info=True)
        while self.fan_out() == 500:
            pass
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

    def _deliver(self, delivery: Delivery | None) -> None:
        """Post, record, and while the listener keeps answering, go on down its line."""
        for position in range(RUN_LENGTH):
            if delivery is None:
                return
            delivery = self._deliver_one(delivery, claim_next=position < RUN_LENGTH - 1)

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
        route = next((r for r in self.routes.values() if r.hub_kind == delivery.hub_kind), None)
        if route is None or delivery.payload is None:
            return delivery.payload or {}
        if delivery.subscription_id not in self._queries:
            with self.store.unit_of_work() as uow:
                sub = uow.get(delivery.hub_kind, delivery.subscription_id)
            query = sub.doc.get("query") if sub is not None else None
            with self._lock:
                self._queries[delivery.subscription_id] = query
        return route.event_filter.shape(self._queries[delivery.subscription_id], delivery.payload)

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

    def idle(self) -> bool:
        with self._lock:
            return all(f.done() for f in self._in_flight)

    def run_until_idle(self, timeout: float = 30.0, settle: float = 0.0) -> None:
        """Pump until nothing is due or in flight (tests, CLI); later retries stay pending."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = self.pump()
            if started == 0 and self.idle():
                if settle <= 0:
                    return
                time.sleep(settle)
                if self.pump() == 0 and self.idle():
                    return
            time.sleep(0.005)
        raise TimeoutError(f"the dispatcher was still busy after {timeout} s")

    # broker: every event, at least once, in outbox order

    def publish_to_broker(self, batch: int = 500) -> int:
        assert self.publisher is not None
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(BROKER_CURSOR)
            events = uow.outbox_after(cursor, batch)
        by_api: dict[str, list[dict[str, Any]]] = {}
        for event in events:
            route = self.routes.get(event.resource_kind)
            if route is not None:
                by_api.setdefault(route.api_name, []).append(event.payload)
        for api_name, payloads in by_api.items():
            self.publisher.publish(api_name, payloads)
        if events:
            with self.store.unit_of_work(write=True) as uow:
                uow.set_cursor(BROKER_CURSOR, events[-1].seq)
        return len(events)

    # operators

    def backlog(self) -> dict[str, int]:
        with self.store.unit_of_work() as uow:
            counts = uow.delivery_counts()
            counts["not_fanned_out"] = uow.outbox_count_after(uow.get_cursor(FANOUT_CURSOR))
            if self.publisher is not None:
                counts["not_published"] = uow.outbox_count_after(uow.get_cursor(BROKER_CURSOR))
        return counts

    def replay(
        self, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        """How many parked deliveries were put back; NotFound for a named one that is not there."""
        with self.store.unit_of_work(write=True) as uow:
            for delivery_id in delivery_ids or ():
                if uow.get_delivery(delivery_id) is None:
                    raise NotFound(f"delivery {delivery_id} does not exist")
            return uow.replay(self.clock(), delivery_ids, subscription_id)

    def deliveries(
        self,
        status: str | None = None,
        subscription_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Delivery]:
        with self.store.unit_of_work() as uow:
            return uow.list_deliveries(status, subscription_id, limit, offset)

    def attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        """NotFound for a delivery that does not exist (none at all is not an empty history)."""
        with self.store.unit_of_work() as uow:
            if uow.get_delivery(delivery_id) is None:
                raise NotFound(f"delivery {delivery_id} does not exist")
            return uow.delivery_attempts(delivery_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self.publisher is not None:
            self.publisher.close()
