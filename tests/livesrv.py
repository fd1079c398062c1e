"""Start the gateway as a real server process on a free loopback port, for tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

import requests

from tmf_gateway.testing.gateway import free_port

PROBE = "/tmf-api/customerManagement/v4/openapi.json"


def launch(
    log: IO[bytes], wait: bool = True, **env: str
) -> tuple[subprocess.Popen[bytes], str]:
    """`tmf-gateway serve` with `env` (TMF_GATEWAY_* settings) over this process's environment,
    output to `log`; (process, base URL), once it answers unless `wait` is off."""
    port = free_port()
    environ = {**os.environ, "TMF_GATEWAY_PORT": str(port), **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "tmf_gateway.cli", "serve"],
        env=environ, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    if wait:
        wait_until_serving(process, base)
    return process, base


def wait_until_serving(process: subprocess.Popen[bytes], base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(f"{base}{PROBE}", timeout=1)
            return
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the gateway at {base} did not start") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serve(db_path: Path, database_url: str | None = None, **env: str) -> Iterator[str]:
    """Yield the base URL of a gateway serving `db_path` (or `database_url`, logging next to
    `db_path`); stop it afterwards."""
    log_path = db_path.with_suffix(".log")
    with log_path.open("wb") as log:
        try:
            process, base = launch(
                log, TMF_GATEWAY_DATABASE_URL=database_url or f"sqlite:///{db_path}", **env)
        except RuntimeError as exc:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{exc}:\n{tail}") from None
        try:
            yield base
        finally:
            stop(process)


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
