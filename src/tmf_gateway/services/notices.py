"""Customers are told about their orders: acknowledgement, jeopardy and completion notices,
read from the outbox (so a notice never delays or fails the change it is about) and sent
through the Notifier port to `notificationContact` or the customer's preferred email."""

from __future__ import annotations

import logging
from typing import Any

from ..domain.contact import email_problem
from ..domain.resources import CUSTOMER, PRODUCT_ORDER
from ..errors import SouthboundRejected, SouthboundUnavailable
from ..ports import Notifier, OutboxEvent, Store
from . import claims

log = logging.getLogger(__name__)
CURSOR = "notices.orders"  # the outbox position notified up to
BATCH = 200
INTERVAL = 1.0  # seconds between rounds
CLAIM_SECONDS = 60  # one process of several sends the notices at a time
SUBJECTS = {
    "acknowledged": "We have received your order {ref}",
    "jeopardy": "Your order {ref} may be late",
    "completed": "Your order {ref} is complete",
}
TEXTS = {
    "acknowledged": "Your order {ref} was received on {orderDate} and is being processed.",
    "jeopardy": "Your order {ref} is at risk of missing its date ({due}). We are on it and "
                "will tell you when it is complete.",
    "completed": "Your order {ref} was completed on {completionDate}.",
}


def notice_kind(event: OutboxEvent) -> str | None:
    """Which notice an order event calls for, if any."""
    state = (event.payload.get("event", {}).get("productOrder") or {}).get("state")
    if event.event_type == "ProductOrderCreateEvent" and state == "acknowledged":
        return "acknowledged"
    if event.event_type == "ProductOrderStateChangeEvent" and state == "completed":
        return "completed"
    if event.event_type == "ProductOrderJeopardyAlertEvent":
        return "jeopardy"
    return None


def email_of(customer: dict[str, Any]) -> str | None:
    """The customer's preferred contact medium when it is an email, else their first email."""
    media = [m for m in customer.get("contactMedium") or [] if isinstance(m, dict)]
    emails = [m for m in media if str(m.get("mediumType", "")).lower() == "email"
              and (m.get("characteristic") or {}).get("emailAddress")]
    emails.sort(key=lambda m: m.get("preferred") is not True)
    return str(emails[0]["characteristic"]["emailAddress"]) if emails else None


class OrderNotices:
    """Job `order-notices`: the order events after its cursor, one notice each that calls for
    one. While the notifier is down the cursor stays before the first unsent notice (nothing
    is lost; at least once); a refused address or an order with nobody to tell is skipped."""

    def __init__(self, store: Store, notifier: Notifier) -> None:
        self.store, self.notifier = store, notifier
        self.claims = claims.for_store(store)
        self.owner = claims.process_owner()

    def start_at_the_end(self) -> None:
        """Turned on for the first time: notices for what happens from now, not history."""
        with self.store.unit_of_work(write=True) as uow:
            if uow.get_cursor(CURSOR) == 0:
                uow.set_cursor(CURSOR, uow.outbox_last_seq())

    def run(self) -> int:
        if not self.claims.take("order-notices", self.owner, CLAIM_SECONDS):
            return 0
        try:
            return self._round()
        finally:
            self.claims.release("order-notices", self.owner)

    def _round(self) -> int:
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(CURSOR)
            events = uow.outbox_after(cursor, BATCH, (PRODUCT_ORDER.kind,))
        sent, done = 0, cursor
        try:
            for event in events:
                kind = notice_kind(event)
                if kind is not None:
                    sent += self._send(kind, event)
                done = event.seq
        except SouthboundUnavailable as exc:
            log.warning("order notices wait: %s", exc)
        if done != cursor:
            with self.store.unit_of_work(write=True) as uow:
                uow.set_cursor(CURSOR, done)
        return sent

    def _send(self, kind: str, event: OutboxEvent) -> int:
        order = event.payload["event"]["productOrder"]
        to = self.recipient(order)
        if to is None:
            log.info("order %s: no email to send the %s notice to", order.get("id"), kind)
            return 0
        ref = order.get("externalId") or order.get("id")
        due = order.get("expectedCompletionDate") or order.get("requestedCompletionDate") or ""
        values = {"ref": ref, "due": due, "orderDate": order.get("orderDate", ""),
                  "completionDate": order.get("completionDate", "")}
        try:
            self.notifier.send(to, SUBJECTS[kind].format(**values), TEXTS[kind].format(**values))
        except SouthboundRejected as exc:
            log.warning("order %s: %s notice to %s refused: %s", order.get("id"), kind, to, exc)
            return 0
        return 1

    def recipient(self, order: dict[str, Any]) -> str | None:
        """`notificationContact` when it is an email address, else the customer's email."""
        contact = order.get("notificationContact")
        if isinstance(contact, str) and email_problem(contact) is None:
            return contact
        for party in order.get("relatedParty") or []:
            if party.get("@referredType") != "Customer":
                continue
            with self.store.unit_of_work() as uow:
                customer = uow.get(CUSTOMER.kind, party.get("id", ""))
            email = email_of(customer.doc) if customer else None
            if email:
                return email
        return None
