"""The access log of customer data, security on or off: who (the client, or `anonymous@<client
address>` when security is off), which operation, which customer; a list or an export counts
one access for every customer it returns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import anyio
import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .keys import now
from .storage import Access, SecurityStore

LISTS = frozenset({"listCustomer"})  # operations whose answer is a list of customers
BATCH = 1000  # export entries written per transaction, so memory stays flat


def anonymous(address: str | None) -> str:
    return f"anonymous@{address or 'unknown'}"


def scope_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


def customers_in(body: bytes) -> list[str]:
    """The customer ids of a list answer (nothing when it is not a list of objects)."""
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []
    if not isinstance(items, list):
        return []
    return [str(i["id"]) for i in items if isinstance(i, dict) and i.get("id")]


def entries(client: str, operation: Any, scope: Scope, status: int, sent: int,
            body: bytes | None) -> list[Access]:
    """The call's entry, and for a list answered 200 one entry per customer in it."""
    at = now()
    customer = (str(scope.get("path_params", {}).get("id") or "") or None
                if operation.customer_data else None)
    found = [Access(at, client, operation.operation_id, customer, status, sent)]
    if body is not None and status in (200, 206):  # 206: one page of several
        found += [Access(at, client, operation.operation_id, cid, status, 0)
                  for cid in customers_in(body)]
    return found


def counting(app: ASGIApp, scope: Scope, receive: Receive, send: Send,
             keep_body: bool) -> tuple[Any, dict[str, Any]]:
    """Call `app`, noting the status, the bytes sent and (for lists) the body in `seen`."""
    seen: dict[str, Any] = {"status": 500, "sent": 0, "body": [] if keep_body else None}

    async def counting_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            seen["sent"] += len(chunk)
            if seen["body"] is not None:
                seen["body"].append(chunk)
        await send(message)

    return app(scope, receive, counting_send), seen


class AccessLogMiddleware:
    """Security off: no authentication, but every call of a customer operation is logged with
    `anonymous@<address>` as the client (security on: SecurityMiddleware logs instead)."""

    def __init__(self, app: ASGIApp, operations: dict[tuple[str, str], Any],
                 log: SecurityStore) -> None:
        self.app, self.operations, self.log = app, operations, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        operation = self.operations.get(
            (routing.get("api_base_path"), routing.get("operation_id")))
        if scope["type"] != "http" or operation is None or not (
                operation.customer_data or operation.operation_id == "exportCustomers"):
            await self.app(scope, receive, send)
            return
        call, seen = counting(self.app, scope, receive, send,
                              operation.operation_id in LISTS)
        try:
            await call
        except Exception as exc:
            seen["status"] = getattr(exc, "status", None) or 500
            raise
        finally:
            body = b"".join(seen["body"]) if seen["body"] is not None else None
            found = entries(anonymous(scope_address(scope)), operation, scope, seen["status"],
                            seen["sent"], body)
            await anyio.to_thread.run_sync(self.log.append_many, found)


def counted_export(docs: Iterable[dict[str, Any]], log: SecurityStore,
                   client: str) -> Iterator[dict[str, Any]]:
    """The exported customers as they stream, each counted as an access (`exportCustomers`),
    written in batches while the export runs."""
    batch: list[Access] = []
    for doc in docs:
        batch.append(Access(now(), client, "exportCustomers", str(doc.get("id")), 200, 0))
        if len(batch) >= BATCH:
            log.append_many(batch)
            batch = []
        yield doc
    log.append_many(batch)
