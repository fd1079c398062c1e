"""Serve a gateway app from this process with uvicorn on a free loopback port (browser tests
need a real server, and the test needs the app's gateway to make keys and drive adapters)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tmf_gateway.config import Settings
from tmf_gateway.testing.gateway import free_port, gateway_app, live_server


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, object]]:
    """Yield (base URL, app); stop the server, the background jobs and the store afterwards."""
    port = free_port()
    with gateway_app(settings.with_overrides(port=port)) as app, \
            live_server(app, startup_seconds=30, port=port) as base:
        yield base, app
