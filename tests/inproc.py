"""Serve a gateway app from this process with uvicorn on a free loopback port (browser tests
need a real server, and the test needs the app's gateway to make keys and drive adapters)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import uvicorn

from tests.livesrv import free_port
from tmf_gateway.app import create_app
from tmf_gateway.config import Settings


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, object]]:
    """Yield (base URL, app); stop the server, the background jobs and the store afterwards."""
    port = free_port()
    app = create_app(settings.with_overrides(port=port))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/health/live", timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the in-process gateway did not start") from None
            time.sleep(0.1)
    try:
        yield base, app
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        app.gateway.runner.stop()  # type: ignore[attr-defined]
        app.gateway.store.close()  # type: ignore[attr-defined]
