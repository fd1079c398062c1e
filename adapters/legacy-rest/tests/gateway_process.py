"""A gateway as a real server process, configured by a TOML file, for multi-process tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from tmf_gateway.testing.gateway import free_port


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


@contextmanager
def gateway_process(workdir: Path, name: str, **settings: Any) -> Iterator[str]:
    """Start `tmf-gateway serve` with `settings` (the [tmf_gateway] table); yield its URL."""
    port = free_port()
    config = workdir / f"{name}.toml"
    table = {**settings, "port": port}
    config.write_text("[tmf_gateway]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in table.items()))
    log = (workdir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tmf_gateway.cli", "serve"],
        env={**os.environ, "TMF_GATEWAY_CONFIG": str(config)},
        stdout=log, stderr=subprocess.STDOUT,
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
                    tail = (workdir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"gateway {name} did not start:\n{tail}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
