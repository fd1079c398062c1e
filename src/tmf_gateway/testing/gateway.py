"""A whole gateway for tests (yours or an adapter's): built, then closed completely."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..app import create_app
from ..config import Settings
from ..ports import Store
from ..southbound import CAPABILITIES, Adapter

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def sqlite_in(folder: Path) -> str:
    """The database URL of a fresh SQLite file in `folder` (a test's tmp_path)."""
    return f"sqlite:///{folder / 'gateway.db'}"


def settings_for_tests(**overrides: Any) -> Settings:
    """Settings for a test gateway: responses validated, no background thread, the app class
    TMF_GATEWAY_APP names (AsyncApp by default); `overrides` are Settings fields."""
    defaults: dict[str, Any] = {
        "validate_responses": True, "background": False,
        "app": os.environ.get("TMF_GATEWAY_APP", "async"),
    }
    return Settings(**{**defaults, **overrides})


@contextmanager
def gateway_app(
    settings: Settings | None = None, store: Store | None = None, *,
    tracer_provider: Any = None, adapter: Adapter | None = None, **overrides: Any,
) -> Iterator[Any]:
    """`create_app` (hence `bootstrap`) for a test: responses validated and no background
    thread unless the settings say otherwise (`overrides` are Settings fields; `store`,
    `adapter` and `tracer_provider` replace the parts bootstrap() would build), served by the
    app class TMF_GATEWAY_APP names (AsyncApp by default), so a whole suite runs under FlaskApp
    with `TMF_GATEWAY_APP=flask`. On exit the runner stops and the event dispatcher, every
    southbound adapter and the store (unless you passed it in) close."""
    if settings is None:
        settings = settings_for_tests(**overrides)
    elif overrides:
        settings = replace(settings, **overrides)
    parts: dict[str, Any] = {"adapter": adapter} if adapter is not None else {}
    app = create_app(settings, store=store, tracer_provider=tracer_provider, **parts)
    try:
        yield app
    finally:
        close_gateway(app, close_store=store is None)


def close_gateway(app: Any, close_store: bool = True) -> None:
    """Stop what `create_app` started: the runner, the dispatcher, adapters, the store."""
    gateway = app.gateway
    gateway.runner.stop()
    gateway.services.events.close()
    closed: set[int] = set()
    parts = [getattr(gateway.southbound, c, None) for c in CAPABILITIES]
    for part in [*parts, gateway.catalog, gateway.inventory]:
        close = getattr(part, "close", None)
        if callable(close) and id(part) not in closed:
            closed.add(id(part))
            with suppress(Exception):  # one adapter failing to close must not hide the rest
                close()
    if close_store:
        gateway.store.close()


def free_port() -> int:
    """A loopback port nobody listens on right now (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_customer(client: Any, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """POST a valid TMF629 Customer through `client` (a test client); the created resource."""
    body = {
        "name": name or f"Customer {uuid.uuid4().hex[:8]}",
        "engagedParty": {"id": "500", "@referredType": "Organization"},
        **fields,
    }
    response = client.post(CUSTOMERS, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


@contextmanager
def live_server(
    app: Any, startup_seconds: float = 15.0, port: int | None = None
) -> Iterator[str]:
    """Serve `app` over real HTTP on a loopback port (`port`, else a free one) in a thread (for
    a legacy system to call back, or a client outside the process); the base URL; stopped on
    exit."""
    import threading

    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, ws="none",
                                           lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True, name="live-gateway")
    thread.start()
    deadline = time.monotonic() + startup_seconds
    while not server.started:  # uvicorn sets it once the socket listens
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the gateway did not start serving")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def asgi_get(app: Any, path: str, query: bytes, send: Any) -> None:
    """Call `app` directly with one GET, as a server would (nothing more arrives until the
    client goes away), handing each ASGI message to `send` (for streaming and memory tests)."""
    import anyio

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "server": ("testserver", 80), "client": ("127.0.0.1", 1),
        "root_path": "", "path": path, "raw_path": path.encode(), "query_string": query,
        "headers": [(b"host", b"testserver")],
    }
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if requested:
            await anyio.sleep_forever()
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    anyio.run(app, scope, receive, send)
