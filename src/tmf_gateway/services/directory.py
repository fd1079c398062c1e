"""Keeping the legacy CRM's customer directory in step: every Customer change in the outbox is
pushed to it (and every deletion removed from it) from a background job, so a down CRM never
blocks or fails an API request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain.resources import CUSTOMER
from ..errors import SouthboundError, SouthboundRejected
from ..logthrottle import ThrottledLog, adapter_name
from ..ports import CustomerDirectory, Store

log = logging.getLogger(__name__)
CURSOR = "southbound.customer_directory"  # the outbox position pushed up to
INTERVAL = 1.0  # seconds between two rounds
BATCH = 500  # Customer events read at once
ROUND_SECONDS = 5.0  # a round catching up goes on batch after batch for at most this long
KINDS = (CUSTOMER.kind,)


@dataclass
class DirectoryStatus:
    """How far the push has come, and why it is waiting (for logs, tests and operators)."""

    pushed: int = 0
    removed: int = 0
    rejected: int = 0
    last_error: str | None = None


class CustomerDirectorySync:
    """Reads Customer events from the outbox after its own cursor and pushes each customer's
    current record, or removes it from the CRM when the customer is gone. The cursor moves only
    past pushed (or refused) customers: while the CRM is down the job stops at the first failure
    and the next round starts there, so nothing is lost. A push or removal the CRM refuses is
    logged and skipped, so one bad record cannot stall the rest."""

    def __init__(
        self, store: Store, directory: CustomerDirectory, batch: int = BATCH,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self.directory, self.batch, self.clock = store, directory, batch, clock
        self.status = DirectoryStatus()
        self.failures = ThrottledLog(log)

    def run(self) -> int:
        """One round: batches of Customer events until caught up (or the CRM fails, or the
        round has run ROUND_SECONDS); returns how many customers were pushed."""
        pushed, ends = 0, time.monotonic() + ROUND_SECONDS
        while time.monotonic() < ends:
            done, count, caught_up = self._batch()
            pushed += count
            if caught_up or not done:
                break
        self.status.pushed += pushed
        return pushed

    def _batch(self) -> tuple[bool, int, bool]:
        """(whether the whole batch went, customers pushed, whether there is nothing more)."""
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(CURSOR)
            # only Customer events: the others (orders, tickets) are not read at all
            events = uow.outbox_after(cursor, self.batch, KINDS)
        pushed, done, complete = 0, cursor, True
        seen: set[str] = set()
        for event in events:
            customer_id = event.resource_id
            if customer_id in seen:
                done = event.seq
                continue
            with self.store.unit_of_work() as uow:
                stored = uow.get(CUSTOMER.kind, customer_id)
            try:  # outside any transaction: a slow CRM must not hold the database
                if stored is None:  # deleted (now, or since this event): the CRM forgets it too
                    self.directory.remove(customer_id)
                    self.status.removed += 1
                else:
                    legacy_id = self.directory.push(stored.doc)
                    pushed += 1
                    log.debug("customer %s is %s in the directory", customer_id, legacy_id)
            except SouthboundRejected as exc:
                self.status.rejected += 1
                log.warning("customer directory refused customer %s: %s", customer_id, exc)
            except SouthboundError as exc:
                self.status.last_error = f"{type(exc).__name__}: {exc}"
                self.failures.warning(adapter_name(self.directory), type(exc).__name__,
                                      "customer %s not synced yet (will retry): %s",
                                      customer_id, exc)
                complete = False
                break
            seen.add(customer_id)  # its current record went; later events of it add nothing
            done = event.seq
        if complete:
            self.status.last_error = None
        if done != cursor:
            with self.store.unit_of_work(write=True) as uow:
                uow.set_cursor(CURSOR, done)
        return complete, pushed, complete and len(events) < self.batch

    def backlog(self) -> int:
        """Customer events not yet pushed."""
        with self.store.unit_of_work() as uow:
            return uow.outbox_count_after(uow.get_cursor(CURSOR), KINDS)

    def lag(self) -> dict[str, Any]:
        """How far behind the directory is: Customer events not yet pushed, and the age in
        seconds of the oldest of them (0 when caught up)."""
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(CURSOR)
            behind = uow.outbox_count_after(cursor, KINDS)
            oldest = uow.outbox_after(cursor, 1, KINDS)
        seconds = 0.0
        if oldest:
            written = oldest[0].payload.get("eventTime") or ""
            try:
                moment = datetime.fromisoformat(written.replace("Z", "+00:00"))
                seconds = max(0.0, (self.clock() - moment).total_seconds())
            except ValueError:
                seconds = 0.0
        return {"behind": behind, "lag_seconds": round(seconds, 3)}


def with_directory_lag(
    sync: CustomerDirectorySync | None, backlog: dict[str, Any]
) -> dict[str, Any]:
    """The event backlog and, when a customer directory is kept in step, its lag."""
    if sync is not None:
        backlog["customer_directory"] = sync.lag()
    return backlog
