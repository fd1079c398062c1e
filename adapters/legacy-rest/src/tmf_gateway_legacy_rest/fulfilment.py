"""ports.OrderFulfilment over a legacy HTTP/JSON order system, shaped by the mapping file."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from tmf_gateway.errors import SouthboundError, SouthboundRejected
from tmf_gateway.ports import ItemUpdate
from tmf_gateway.tmf.values import parse_datetime

from .client import HttpCapability, LegacyHttp
from .mapping import MISSING, fill_path, lookup, outbound_schema, update_schema

log = logging.getLogger(__name__)


def commitment(body: Any, where: str | None) -> str | None:
    """The committed completion date at `submit.commitment` of the answer, if a date-time."""
    value = lookup(body, where) if where else MISSING
    if not isinstance(value, str) or parse_datetime(value) is None:
        if value is not MISSING and value is not None:
            log.warning("legacy commitment at '%s' is not a date-time: %r", where, value)
        return None
    return value


class LegacyRestFulfilment(HttpCapability):
    """Submits mapped orders, cancels them, and polls the legacy status feed with a cursor."""

    def __init__(
        self, http: LegacyHttp, mapping: Mapping[str, Any], callback_secret: str = ""
    ) -> None:
        self.http = http
        self.secret = callback_secret.encode() if callback_secret else None
        self.submit_spec = mapping["submit"]
        self.cancel_spec = mapping.get("cancel")
        self.updates_spec = mapping["updates"]
        self.order_schema = outbound_schema(self.submit_spec["body"])
        self.update_schema = update_schema(self.updates_spec["item"])
        self.cursor: Any = self.updates_spec.get("initial_cursor")
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def payload(self, order: dict[str, Any]) -> dict[str, Any]:
        """The legacy system's body for a TMF ProductOrder."""
        return self.order_schema.dump(order)

    def submit(self, order: dict[str, Any]) -> str | None:
        if not order.get("productOrderItem"):
            raise SouthboundRejected(f"order {order.get('id')} has no items")
        spec = self.submit_spec
        # the order id as idempotency key: a submission repeated (after a crash, a timeout or
        # by a second gateway process) is recognised as the same order by the legacy system
        _, body = self.http.request(
            spec.get("method", "POST"), fill_path(spec["path"], order),
            refused=spec.get("refused_status", ()), json=self.payload(order),
            headers={"Idempotency-Key": str(order.get("id", ""))})
        return commitment(body, spec.get("commitment"))

    def cancel(self, order_id: str) -> bool:
        spec = self.cancel_spec
        if not spec:
            return False  # this legacy system cannot cancel
        try:
            self.http.request(spec.get("method", "POST"), fill_path(spec["path"], {"id": order_id}),
                              refused=spec.get("refused_status", ()))
        except SouthboundRejected as exc:
            log.info("legacy system refused to cancel %s: %s", order_id, exc)
            return False
        return True

    def feed_position(self) -> int | None:
        """The feed cursor, when it is an integer the gateway can store (ports.ResumableFeed)."""
        cursor = self.cursor
        return cursor if isinstance(cursor, int) and not isinstance(cursor, bool) else None

    def resume_feed(self, position: int) -> None:
        with self._lock:
            self.cursor = position

    def callback_secret(self) -> bytes | None:
        """The `callback_secret` option (ports.UpdateCallback); None: no callbacks."""
        return self.secret

    def parse_callback(self, body: Any) -> list[ItemUpdate]:
        """The changes at `updates.callback.list` of a callback body, read with the same
        `updates.item` rules as the feed; one unreadable change refuses the whole body."""
        where = (self.updates_spec.get("callback") or {}).get("list")
        changes = lookup(body, where) if where else body
        if not isinstance(changes, list):
            raise SouthboundError(f"callback body has no list of changes at '{where}'")
        try:
            return [self.update_schema.load(change) for change in changes]
        except ValidationError as exc:
            raise SouthboundError(f"callback change is malformed: {exc.messages}") from exc

    def poll_updates(self) -> list[ItemUpdate]:
        spec = self.updates_spec
        if not spec.get("path"):
            return []  # no feed: the legacy system calls back instead
        with self._lock:  # one poll at a time keeps the cursor honest
            params = {} if self.cursor is None else {spec.get("cursor_param", "after"): self.cursor}
            _, body = self.http.request(spec.get("method", "GET"), spec["path"], params=params)
            changes = lookup(body, spec["list"]) if spec.get("list") else body
            if not isinstance(changes, list):
                raise SouthboundError(f"legacy status feed has no list at '{spec.get('list')}'")
            updates = []
            for change in changes:
                try:
                    updates.append(self.update_schema.load(change))
                except ValidationError as exc:  # one bad change must not stall the feed
                    log.warning("legacy status change ignored, %s: %s", exc.messages, change)
            if spec.get("next_cursor"):
                cursor = lookup(body, spec["next_cursor"])
                if cursor is MISSING:
                    raise SouthboundError(f"legacy status feed lacks '{spec['next_cursor']}'")
                self.cursor = cursor
            return updates

