"""Start the gateway as a real server process on a free loopback port, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(db_path: Path, database_url: str | None = None, **env: str) -> Iterator[str]:
    """Yield the base URL of a gateway serving `db_path` (or `database_url`, logging next to
    `db_path`); stop it afterwards."""
    port = free_port()
    environ = {
        **os.environ,
        "TMF_GATEWAY_DATABASE_URL": database_url or f"sqlite:///{db_path}",
        "TMF_GATEWAY_PORT": str(port),
        **env,
    }
    log_path = db_path.with_suffix(".log")
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tmf_gateway.cli", "serve"],
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/tmf-api/customerManagement/v4/openapi.json", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"gateway did not start:\n{tail}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
