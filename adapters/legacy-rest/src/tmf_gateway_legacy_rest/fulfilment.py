"""ports.OrderFulfilment over a legacy HTTP/JSON order system, shaped by the mapping file."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from marshmallow import ValidationError

from tmf_gateway.errors import SouthboundError, SouthboundRejected
from tmf_gateway.ports import ItemUpdate

from .client import LegacyHttp
from .mapping import MISSING, lookup, outbound_schema, update_schema

log = logging.getLogger(__name__)


class LegacyRestFulfilment:
    """Submits mapped orders, cancels them, and polls the legacy status feed with a cursor."""

    def __init__(self, http: LegacyHttp, mapping: Mapping[str, Any]) -> None:
        self.http = http
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

    def submit(self, order: dict[str, Any]) -> None:
        if not order.get("productOrderItem"):
            raise SouthboundRejected(f"order {order.get('id')} has no items")
        spec = self.submit_spec
        self.http.request(spec.get("method", "POST"), _path(spec["path"], order),
                          refused=spec.get("refused_status", ()), json=self.payload(order))

    def cancel(self, order_id: str) -> bool:
        spec = self.cancel_spec
        if not spec:
            return False  # this legacy system cannot cancel
        try:
            self.http.request(spec.get("method", "POST"), _path(spec["path"], {"id": order_id}),
                              refused=spec.get("refused_status", ()))
        except SouthboundRejected as exc:
            log.info("legacy system refused to cancel %s: %s", order_id, exc)
            return False
        return True

    def poll_updates(self) -> list[ItemUpdate]:
        spec = self.updates_spec
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


def _path(template: str, doc: Mapping[str, Any]) -> str:
    return template.format_map({k: quote(str(v), safe="") for k, v in doc.items()
                                if isinstance(v, str | int)})
