"""Flask behind Connexion with one thread hand-off per request instead of one per message.

Connexion 3's FlaskApp runs Flask through a2wsgi, which crosses between the event loop and a
handler thread for every body read, the response start and every body chunk, each crossing
blocking the thread until the loop has taken the message. Under load those crossings were about
40% of handler-thread time (docs/performance.md). This bridge reads the request body on the loop
(Connexion's validation has already buffered it), runs Flask once in a thread, and sends a
response of known length from the loop in one piece. Responses without a Content-Length
(streamed exports) are still streamed, fetched from the thread in batches.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from a2wsgi.wsgi import WSGIMiddleware, build_environ

Message = dict[str, Any]
STREAM_BATCH = 64 * 1024  # bytes gathered per hand-off when a response is streamed


@dataclass
class _Response:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    rest: Iterator[bytes] | None  # the unread part of a streamed response
    close: Any = None


class BufferedWSGIBridge:
    """An ASGI app serving a WSGI app; a drop-in for a2wsgi's WSGIMiddleware under Connexion."""

    def __init__(self, app: Any, workers: int = 10) -> None:
        self.app = app  # Connexion's add_wsgi_middleware wraps this attribute
        self.executor = ThreadPoolExecutor(thread_name_prefix="WSGI", max_workers=workers)
        self._other = WSGIMiddleware(app, workers=1)  # lifespan and websocket, as before

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._other(scope, receive, send)
            return
        body = await _read_body(receive)
        environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
        context = contextvars.copy_context()  # Connexion's request context, for the thread
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self.executor, context.run, self._run, environ)
        await send(
            {"type": "http.response.start", "status": response.status, "headers": response.headers}
        )
        if response.rest is None:
            await send({"type": "http.response.body", "body": response.body})
            return
        try:
            chunk = response.body
            while chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                chunk = await loop.run_in_executor(
                    self.executor, context.run, _gather, response.rest
                )
            await send({"type": "http.response.body", "body": b""})
        finally:
            if response.close is not None:
                await loop.run_in_executor(self.executor, context.run, response.close)

    def _run(self, environ: dict[str, Any]) -> _Response:
        """Call the WSGI app; read all of a response of known length, the first batch of others."""
        started: dict[str, Any] = {}
        written: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [
                (name.strip().lower().encode("latin1"), value.strip().encode("latin1"))
                for name, value in headers
            ]
            return written.append

        result: Iterable[bytes] = self.app(environ, start_response)
        close = getattr(result, "close", None)
        sized = any(name == b"content-length" for name, _ in started.get("headers", ()))
        if "status" in started and (sized or isinstance(result, list | tuple)):
            try:
                body = b"".join([*written, *result])
            finally:
                if close is not None:
                    close()
            return _Response(started["status"], started["headers"], body, None)
        rest = iter(result)
        first = _gather(rest)  # may be what calls start_response, in a lazy app
        first = b"".join(written) + first
        return _Response(started["status"], started["headers"], first, rest, close)


async def _read_body(receive: Any) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _gather(rest: Iterator[bytes]) -> bytes:
    """Up to STREAM_BATCH bytes of a streamed response (b"" once it is exhausted)."""
    batch = bytearray()
    for chunk in rest:
        batch += chunk
        if len(batch) >= STREAM_BATCH:
            break
    return bytes(batch)
