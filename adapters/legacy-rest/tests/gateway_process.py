"""A gateway as a real server process, configured by a TOML file, for multi-process tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tmf_gateway.testing.process import gateway_process as serve


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


@contextmanager
def gateway_process(workdir: Path, name: str, **settings: Any) -> Iterator[str]:
    """Start `tmf-gateway serve` with `settings` (the [tmf_gateway] table); yield its URL."""
    config = workdir / f"{name}.toml"
    lines = [f"{key} = {_toml(value)}\n" for key, value in settings.items()]
    config.write_text("[tmf_gateway]\n" + "".join(lines))
    with serve(workdir / f"{name}.log", TMF_GATEWAY_CONFIG=str(config)) as base:
        yield base
