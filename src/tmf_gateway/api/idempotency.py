"""The `Idempotency-Key` header on POST: a retried request gets the first one's answer instead
of creating a second resource (services/idempotency.py keeps the keys).

Same key and same body (as JSON, key order ignored): the stored 2xx answer again, with
`Idempotent-Replayed: true`. Same key, another body: 422. Same key while the first request still
runs: 409. A failed first request (4xx or 5xx) frees its key. Keys are per client (with security
on) and per path, and are forgotten after the `idempotency_ttl` setting."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import anyio
import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BadRequest, Conflict, GatewayError
from ..security.middleware import CONTEXT
from ..services.idempotency import IN_PROGRESS, KeyLog
from .guard import replaying

HEADER = b"idempotency-key"
KEPT = (b"content-type", b"location", b"etag")  # the replayed answer's headers
CLEANUP_EVERY = 60.0  # seconds between sweeps of expired keys, per process


class KeyReused(GatewayError):
    status, code, reason = 422, "ERR422", "Idempotency-Key reused"


class IdempotencyMiddleware:
    """After authentication (keys are per client), before validation."""

    def __init__(self, app: ASGIApp, log: KeyLog, ttl: float) -> None:
        self.app, self.log, self.ttl = app, log, ttl
        self._swept = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = _header(scope, HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or given is None:
            await self.app(scope, receive, send)
            return
        if not given.strip() or len(given) > 255:
            raise BadRequest("Idempotency-Key must have 1 to 255 characters")
        body = await _body(receive)
        client = scope.get("extensions", {}).get(CONTEXT, {}).get("sub", "anonymous")
        key = _digest(client.encode(), scope["path"].encode(), given.encode())
        request = _digest(_canonical(body))
        await self._sweep()
        found = await anyio.to_thread.run_sync(self.log.claim, key, request)
        if found is not None:
            await self._answer_again(found, request, send)
            return
        answer: dict[str, Any] = {"body": b""}
        held: list[Message] = []  # sent once the key holds the answer, so a retry finds it

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = [
                    [k.decode("latin-1"), v.decode("latin-1")]
                    for k, v in message.get("headers", ()) if k.lower() in KEPT
                ]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            held.append(message)

        done = False
        try:
            await self.app(scope, replaying(body, receive), recording)
            done = 200 <= answer.get("status", 500) < 300
        finally:
            if done:
                stored = orjson.dumps({**answer, "body": answer["body"].decode()}).decode()
                await anyio.to_thread.run_sync(self.log.complete, key, answer["status"], stored)
            else:
                await anyio.to_thread.run_sync(self.log.release, key)
        for message in held:
            await send(message)

    async def _answer_again(self, found: Any, request: str, send: Send) -> None:
        if found.request != request:
            raise KeyReused("this Idempotency-Key was used with another request body")
        if found.status == IN_PROGRESS:
            raise Conflict("a request with this Idempotency-Key is still being processed")
        stored = orjson.loads(found.response)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored["headers"]]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": stored["status"],
                    "headers": headers})
        await send({"type": "http.response.body", "body": stored["body"].encode()})

    async def _sweep(self) -> None:
        now = time.time()
        if now - self._swept > CLEANUP_EVERY:
            self._swept = now
            await anyio.to_thread.run_sync(self.log.forget_before, now - self.ttl)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _digest(*parts: bytes) -> str:
    return hashlib.sha256(b"\x00".join(parts)).hexdigest()


def _canonical(body: bytes) -> bytes:
    try:
        return orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        return body


async def _body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)
