"""Keeping the legacy ticket desk in step: forward new tickets, apply its status updates."""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from typing import Any

from ..domain.resources import TICKET_DESK_LINK, TROUBLE_TICKET
from ..domain.ticket_states import ticket_transition
from ..errors import IllegalTransition, SouthboundError
from ..ports import Store, TicketDesk, UnitOfWork
from ..retry import Backoff
from ..tmf.query import Condition, Query
from ..tmf.schema import FieldPath, Segment
from ..tmf.values import STRING, now_iso
from .context import Caller
from .resources import ResourceService

log = logging.getLogger(__name__)
INTERVAL = 5.0  # seconds between two rounds of forwarding and polling
MAX_BACKOFF = 300.0
FORWARD_BACKOFF = Backoff(base=2.0, cap=MAX_BACKOFF)  # 2, 4, 8 ... 300 s
DESK = Caller(actor="ticket-desk")
_STATE = FieldPath("state", (Segment("state", False),), STRING)


class TicketDeskSync:
    """Forwards pending tickets (at least once; retried with backoff while the desk is down)
    and applies the desk's status updates through the same state machine as clients."""

    def __init__(
        self,
        store: Store,
        tickets: ResourceService,
        desk: TicketDesk,
        clock: Callable[[], float] = time.time,
        batch: int = 100,
    ) -> None:
        self.store, self.tickets, self.desk = store, tickets, desk
        self.clock, self.batch = clock, batch

    def run(self) -> None:
        self.forward_pending()
        self.apply_updates()

    def forward_pending(self) -> int:
        """Forward every ticket still waiting whose retry time has come; returns how many went."""
        query = Query(conditions=(Condition(_STATE, "eq", ("pending",)),), limit=self.batch)
        with self.store.unit_of_work() as uow:
            links = uow.query(TICKET_DESK_LINK.kind, query).items
        now = self.clock()
        return sum(self._forward(link) for link in links if link.get("nextAttempt", 0) <= now)

    def _forward(self, link: dict[str, Any]) -> bool:
        with self.store.unit_of_work() as uow:
            ticket = uow.get(TROUBLE_TICKET.kind, link["id"])
        if ticket is None:  # deleted before it could be forwarded
            self._save_link(link, state="dropped")
            return False
        try:  # outside any transaction: a slow desk must not hold the database
            legacy_id = self.desk.forward(ticket.doc)
        except SouthboundError as exc:
            self._failed(link, str(exc))
            return False
        self._save_link(link, state="forwarded", legacyId=legacy_id, lastError=None)
        self._note(link["id"], f"Forwarded to the ticket desk as {legacy_id}.")
        return True

    def _failed(self, link: dict[str, Any], error: str) -> None:
        attempts = link.get("attempts", 0) + 1
        delay = FORWARD_BACKOFF.delay(attempts)
        self._save_link(link, attempts=attempts, lastError=error, nextAttempt=self.clock() + delay)
        if error != link.get("lastError"):  # one note per distinct error, not one per retry
            self._note(link["id"], f"Forwarding to the ticket desk failed (will retry): {error}")

    def _save_link(self, link: dict[str, Any], **changes: Any) -> None:
        with self.store.unit_of_work(write=True) as uow:
            stored = uow.get(TICKET_DESK_LINK.kind, link["id"])
            if stored is not None:
                new = {**stored.doc, **changes}
                uow.replace(TICKET_DESK_LINK.kind, link["id"], new, stored.version)

    def _note(self, ticket_id: str, text: str) -> None:
        with self.store.unit_of_work(write=True) as uow:
            add_note(uow, self.tickets, ticket_id, text, DESK)

    def apply_updates(self) -> int:
        """Apply the desk's status changes; an illegal one is refused and noted on the ticket."""
        try:
            updates = self.desk.poll_updates()
        except SouthboundError as exc:
            log.warning("ticket desk poll failed: %s", exc)
            return 0
        applied = 0
        for update in updates:
            with self.store.unit_of_work(write=True) as uow:
                stored = uow.get(TROUBLE_TICKET.kind, update.ticket_id)
                if stored is None:
                    log.warning("ticket desk update for unknown ticket %s", update.ticket_id)
                    continue
                new = copy.deepcopy(stored.doc)
                now = now_iso()
                try:
                    ticket_transition(stored.doc, new, update.status, now, update.reason)
                except IllegalTransition as exc:
                    add_note(
                        uow,
                        self.tickets,
                        update.ticket_id,
                        f"Ticket desk update refused: {exc.message}",
                        DESK,
                    )
                    continue
                if new != stored.doc:
                    new["lastUpdate"] = now
                    self.tickets.update(uow, stored, new, DESK)
                    applied += 1
        return applied


def add_note(
    uow: UnitOfWork, tickets: ResourceService, ticket_id: str, text: str, caller: Caller
) -> None:
    """Append a gateway note to a ticket (allowed in every status, final ones included)."""
    stored = uow.get(TROUBLE_TICKET.kind, ticket_id)
    if stored is None:
        return
    now = now_iso()
    new = copy.deepcopy(stored.doc)
    new["note"] = [
        *new.get("note", []),
        {"author": caller.actor, "date": now, "text": text, "@type": "Note"},
    ]
    new["lastUpdate"] = now
    tickets.update(uow, stored, new, caller)
