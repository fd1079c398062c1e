"""Status updates the legacy system POSTs to the gateway: signature check, then the same item
state machine as polled updates. Nothing is applied unless the whole body is good."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from ..domain.resources import PRODUCT_ORDER
from ..errors import BadRequest, BadSignature, GatewayError, IllegalTransition, NotFound
from ..ports import ItemUpdate, Store

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Signature"  # "sha256=" + hex HMAC-SHA256 of the raw body


def sign(secret: bytes, body: bytes) -> str:
    """The signature header value a legacy system sends with `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str | None) -> None:
    """BadSignature (401) unless `header` is the body's signature (compared in constant time)."""
    if not header:
        raise BadSignature(f"the {SIGNATURE_HEADER} header (sha256=<HMAC of the body>) is missing")
    if not hmac.compare_digest(sign(secret, body).encode(), header.strip().encode()):
        raise BadSignature(f"the {SIGNATURE_HEADER} signature does not match the body")


class CallbackReceiver:
    """Receives the callbacks of the adapter named `name` (the one offering fulfilment)."""

    def __init__(
        self, name: str, adapter: Any, store: Store, apply: Callable[[ItemUpdate], None]
    ) -> None:
        self.name, self.store, self.apply = name, store, apply
        self.adapter = adapter if callable(getattr(adapter, "parse_callback", None)) else None

    def receive(self, adapter: str, raw: bytes, signature: str | None) -> dict[str, int]:
        """Check, then apply one callback; returns how many updates were received, applied and
        left alone (already applied, or a move the lifecycle forbids)."""
        secret = self.adapter.callback_secret() if self.adapter is not None else None
        if adapter != self.name or not secret:
            raise NotFound(f"no southbound adapter '{adapter}' takes callbacks here")
        verify(secret, raw, signature)
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise BadRequest(f"the callback body is not JSON: {exc}") from exc
        try:
            updates = self.adapter.parse_callback(body)
        except GatewayError as exc:  # the adapter's SouthboundError: the body is malformed
            raise BadRequest(f"malformed callback: {exc.message}") from exc
        fresh = [u for u in updates if not self._known(u)]
        applied = 0
        for update in fresh:
            try:
                self.apply(update)
                applied += 1
            except IllegalTransition as exc:
                log.warning("callback update %s left alone: %s", update, exc)
        return {"received": len(updates), "applied": applied, "ignored": len(updates) - applied}

    def _known(self, update: ItemUpdate) -> bool:
        """True when the item already holds the update's state; NotFound for an unknown one."""
        with self.store.unit_of_work() as uow:
            stored = uow.get(PRODUCT_ORDER.kind, update.order_id)
        items = stored.doc.get("productOrderItem", []) if stored else []
        item = next((i for i in items if i.get("id") == update.item_id), None)
        if item is None:
            raise NotFound(f"no ProductOrder '{update.order_id}' with item '{update.item_id}'")
        return item.get("state") == update.state
