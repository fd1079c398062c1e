"""Keeping the legacy CRM's customer directory in step: every Customer change in the outbox is
pushed to it (and every deletion removed from it) from a background job, so a down CRM never
blocks or fails an API request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.resources import CUSTOMER
from ..errors import SouthboundError, SouthboundRejected
from ..ports import CustomerDirectory, Store

if TYPE_CHECKING:
    from ..app import Gateway

log = logging.getLogger(__name__)
CURSOR = "southbound.customer_directory"  # the outbox position pushed up to
INTERVAL = 1.0  # seconds between two rounds


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

    def __init__(self, store: Store, directory: CustomerDirectory, batch: int = 200) -> None:
        self.store, self.directory, self.batch = store, directory, batch
        self.status = DirectoryStatus()

    def run(self) -> int:
        """One round; returns how many customers were pushed."""
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(CURSOR)
            events = uow.outbox_after(cursor, self.batch)
        pushed, done = 0, cursor
        seen: set[str] = set()
        for event in events:
            customer_id = event.resource_id
            if event.resource_kind != CUSTOMER.kind or customer_id in seen:
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
                log.warning("customer %s not synced yet (will retry): %s", customer_id, exc)
                break
            seen.add(customer_id)  # its current record went; later events of it add nothing
            done = event.seq
        else:
            self.status.last_error = None
        if done != cursor:
            with self.store.unit_of_work(write=True) as uow:
                uow.set_cursor(CURSOR, done)
        self.status.pushed += pushed
        return pushed

    def backlog(self) -> int:
        """Outbox events not yet looked at (customer and other events)."""
        with self.store.unit_of_work() as uow:
            return uow.outbox_count_after(uow.get_cursor(CURSOR))


def start_customer_directory(gateway: Gateway) -> None:
    """Register the push job when a southbound adapter offers a customer directory."""
    directory = gateway.southbound.customer_directory
    if directory is None:
        return
    sync = CustomerDirectorySync(gateway.store, directory)
    gateway.services["customer_directory"] = sync
    gateway.runner.every(INTERVAL, "customer-directory", sync.run)
