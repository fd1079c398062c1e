"""Status updates the legacy system POSTs to the gateway: signature check, then the same item
state machine as polled updates. Nothing is applied unless the whole body is good."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from ..domain.resources import PRODUCT_ORDER
from ..errors import BadRequest, BadSignature, GatewayError, IllegalTransition, NotFound
from ..ports import ItemUpdate, Store
from .callback_log import SignatureLog

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Signature"  # "t=<unix seconds>,sha256=<hex HMAC of '<t>.' + raw body>"
TOLERANCE_SECONDS = 300  # how far the signed time may be from ours (clock skew, slow networks)


def sign(secret: bytes, body: bytes, at: int | None = None) -> str:
    """The signature header value a legacy system sends with `body` at unix time `at`."""
    stamp = int(time.time()) if at is None else at
    digest = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},sha256={digest}"


def _parts(header: str) -> dict[str, str]:
    parts = dict(p.strip().partition("=")[::2] for p in header.split(","))
    stamp = parts.get("t", "")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12) or not parts.get("sha256"):
        raise BadSignature(f"the {SIGNATURE_HEADER} header is not t=<unix time>,sha256=<hex>")
    return parts


class Signed(NamedTuple):
    digest: str
    stamp: int
    repeated: bool  # this signature was applied before (a retry, or a replay)


class SignatureCheck:
    """Checks callback signatures. The signed time bounds a captured callback's life to the
    tolerance, and within it every applied signature is kept in `log` (the store's, shared by
    all gateway processes on it), so the same callback received again (a legacy system's
    retry, or a replay) is answered but not applied again."""

    def __init__(
        self,
        log: SignatureLog,
        tolerance: float = TOLERANCE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.log, self.tolerance, self.clock = log, tolerance, clock

    def verify(self, secret: bytes, body: bytes, header: str | None) -> Signed:
        """BadSignature (401) unless `header` signs this body within the tolerance (the digest
        compared in constant time)."""
        if not header:
            raise BadSignature(f"the {SIGNATURE_HEADER} header (t=…,sha256=…) is missing")
        parts = _parts(header)
        stamp = int(parts["t"])
        expected = sign(secret, body, stamp).rpartition("sha256=")[2]
        if not hmac.compare_digest(expected.encode(), parts["sha256"].encode()):
            raise BadSignature(f"the {SIGNATURE_HEADER} signature does not match the body")
        if abs(self.clock() - stamp) > self.tolerance:
            raise BadSignature(
                f"the {SIGNATURE_HEADER} time is more than {self.tolerance:.0f} s from ours")
        return Signed(expected, stamp, self.log.seen(expected))

    def remember(self, signed: Signed) -> None:
        """Called once the callback is applied: only then may a repeat be answered unapplied.
        A signature is kept while its time is within the tolerance, after that it is refused."""
        self.log.remember(signed.digest, signed.stamp, self.clock() - self.tolerance)


class CallbackReceiver:
    """Receives the callbacks of the adapter named `name` (the one offering fulfilment)."""

    def __init__(
        self,
        name: str,
        adapter: Any,
        store: Store,
        apply: Callable[[ItemUpdate], None],
        signatures: SignatureCheck,
    ) -> None:
        self.name, self.store, self.apply, self.signatures = name, store, apply, signatures
        self.adapter = adapter if callable(getattr(adapter, "parse_callback", None)) else None

    def receive(self, adapter: str, raw: bytes, signature: str | None) -> dict[str, int]:
        """Check, then apply one callback; returns how many updates were received, applied and
        left alone (already applied, or a move the lifecycle forbids)."""
        secret = self.adapter.callback_secret() if self.adapter is not None else None
        if adapter != self.name or not secret:
            raise NotFound(f"no southbound adapter '{adapter}' takes callbacks here")
        signed = self.signatures.verify(secret, raw, signature)
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise BadRequest(f"the callback body is not JSON: {exc}") from exc
        try:
            updates = self.adapter.parse_callback(body)
        except GatewayError as exc:  # the adapter's SouthboundError: the body is malformed
            raise BadRequest(f"malformed callback: {exc.message}") from exc
        fresh = [] if signed.repeated else [u for u in updates if not self._known(u)]
        applied = 0
        for update in fresh:
            try:
                self.apply(update)
                applied += 1
            except IllegalTransition as exc:
                log.warning("callback update %s left alone: %s", update, exc)
        self.signatures.remember(signed)
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
