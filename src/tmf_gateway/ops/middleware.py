"""The outermost ASGI layer: /health/*, /metrics, and for every other request its id, one JSON
log line, its metrics and its trace span."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

import anyio

from . import health
from .logs import REQUEST_LOGGER
from .metrics import CONTENT_TYPE

Scope = dict[str, Any]
log = logging.getLogger(REQUEST_LOGGER)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")  # what we echo back as given
SECURITY_CONTEXT = "tmf_gateway_security"  # where security/middleware.py puts the client


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class OpsMiddleware:
    """Added to the Connexion app in front of routing (app.py)."""

    def __init__(self, app: Any, ops: Any) -> None:
        self.app = app
        self.ops = ops

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/health/live":
            await _answer(send, 200, {"status": "pass"})
            return
        if path == "/health/ready":
            checks = await anyio.to_thread.run_sync(health.readiness, self.ops.gateway)
            await _answer(send, *health.report(checks))
            return
        if path == "/metrics":
            body = await anyio.to_thread.run_sync(self.ops.metrics.render)
            await _send(send, 200, body, CONTENT_TYPE)
            return
        await self._observed(scope, receive, send)

    async def _observed(self, scope: Scope, receive: Any, send: Any) -> None:
        headers = _headers(scope)
        given = headers.get("x-request-id", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        extensions = scope.setdefault("extensions", {})  # routing and security write here
        status = 500
        started = time.perf_counter()

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = dict(message)
                message["headers"] = [*message.get("headers", ()),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        method = scope["method"]
        with self.ops.tracer.request_span(f"{method} {scope['path']}", headers) as span:
            try:
                await self.app(scope, receive, sending)
            finally:
                seconds = time.perf_counter() - started
                routing = extensions.get("connexion_routing", {})
                api = routing.get("api_base_path") or "none"
                operation = routing.get("operation_id") or "none"
                if span is not None:
                    span.update_name(f"{method} {operation}")
                    span.set_attributes({
                        "http.request.method": method, "url.path": scope["path"],
                        "http.response.status_code": status, "tmf.api": api,
                        "tmf.request_id": request_id,
                    })
                self.ops.metrics.observe_request(api, operation, status, seconds)
                line: dict[str, Any] = {
                    "method": method, "path": scope["path"], "status": status,
                    "duration_ms": round(seconds * 1000, 2), "request_id": request_id,
                    "operation": operation,
                }
                client = extensions.get(SECURITY_CONTEXT, {}).get("sub")
                if client:
                    line["client"] = client
                log.info("%s %s %s", method, scope["path"], status, extra=line)


async def _answer(send: Any, status: int, body: dict[str, Any]) -> None:
    await _send(send, status, json.dumps(body).encode(), "application/json")


async def _send(send: Any, status: int, body: bytes, content_type: str) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})
