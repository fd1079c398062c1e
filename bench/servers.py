"""Starting and stopping the servers under test, on free loopback ports."""

from __future__ import annotations

import os
import subprocess
import time

import requests

from tmf_gateway.testing.gateway import free_port
from tmf_gateway.testing.process import stop

__all__ = ["free_port", "start", "stop", "wait_for"]


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited while starting ({url})")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:  # refused, or a worker still warming up
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {url}")


def start(command: list[str], env: dict[str, str], probe: str) -> subprocess.Popen:
    """Start a server and wait until `probe` answers; its output is discarded."""
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(probe, process)
    except BaseException:
        stop(process)  # never leave a half-started server behind
        raise
    time.sleep(1)  # let every worker process finish starting
    return process
