"""The gateway as a real `tmf-gateway serve` process on a free loopback port, for tests of
several processes, restarts and crashes (yours or an adapter's)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .gateway import free_port

PROBE = "/tmf-api/customerManagement/v4/openapi.json"


def launch(
    log: IO[bytes], wait: bool = True, ready: bool = False, **env: str
) -> tuple[subprocess.Popen[bytes], str]:
    """`tmf-gateway serve` with `env` (TMF_GATEWAY_* settings) over this process's environment,
    output to `log`; (process, base URL), once it answers (with `ready`: once /health/ready
    says 200) unless `wait` is off."""
    port = free_port()
    environ = {**os.environ, "TMF_GATEWAY_PORT": str(port), **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "tmf_gateway.cli", "serve"],
        env=environ, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    if wait:
        wait_until_serving(process, base, ready=ready)
    return process, base


def wait_until_serving(
    process: subprocess.Popen[bytes], base: str, seconds: float = 60, ready: bool = False
) -> None:
    """Return once the process answers HTTP (with `ready`: /health/ready with 200); kill it
    and raise when it exits or times out."""
    import requests

    deadline = time.monotonic() + seconds
    while True:
        try:
            if not ready:
                requests.get(f"{base}{PROBE}", timeout=1)
                return
            if requests.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the gateway at {base} did not start")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def gateway_process(log_path: Path, **env: str) -> Iterator[str]:
    """A gateway process with `env` (TMF_GATEWAY_* settings), its output in `log_path`; yields
    its base URL and stops it afterwards. When it does not start, the error ends with the tail
    of its log."""
    with log_path.open("wb") as log:
        try:
            process, base = launch(log, **env)
        except RuntimeError as exc:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{exc}:\n{tail}") from None
        try:
            yield base
        finally:
            stop(process)
