"""Start the gateway as a real server process on a free loopback port, for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tmf_gateway.testing.gateway import free_port
from tmf_gateway.testing.process import gateway_process, launch, stop, wait_until_serving

__all__ = ["free_port", "launch", "serve", "serve_on", "stop", "wait_until_serving"]


@contextmanager
def serve(db_path: Path, database_url: str | None = None, **env: str) -> Iterator[str]:
    """Yield the base URL of a gateway serving `db_path` (or `database_url`, logging next to
    `db_path`); stop it afterwards."""
    url = database_url or f"sqlite:///{db_path}"
    with gateway_process(db_path.with_suffix(".log"), TMF_GATEWAY_DATABASE_URL=url, **env) as base:
        yield base


@contextmanager
def serve_on(store: str, folder: Path) -> Iterator[str]:
    """A gateway process on `store` ("sqlite", or "postgresql" in a fresh schema dropped
    afterwards), background jobs off; yields its base URL."""
    from tests.pg import fresh_schema

    with ExitStack() as stack:
        if store == "sqlite":
            url, env = f"sqlite:///{folder / 'gw.db'}", {}
        else:
            url, env = stack.enter_context(fresh_schema()), {"TMF_GATEWAY_STORE": "postgresql"}
        yield stack.enter_context(serve(folder / "gw.db", database_url=url,
                                        TMF_GATEWAY_BACKGROUND="false", **env))
