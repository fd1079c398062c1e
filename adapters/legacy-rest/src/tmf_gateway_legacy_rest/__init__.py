"""The legacy-rest adapter: a legacy HTTP/JSON order system behind ports.OrderFulfilment.

Options (`southbound_options`): `base_url`, `mapping` (a YAML/TOML file or an inline table),
`timeout`, `connect_timeout`, `retries`, `backoff`, `pool_size`, `breaker_fail_max`,
`breaker_reset_seconds`, `headers`. See docs/adapters.md.
"""

from __future__ import annotations

from typing import Any

from tmf_gateway.errors import ConfigurationError
from tmf_gateway.southbound import Adapter

from .client import LegacyHttp
from .fulfilment import LegacyRestFulfilment
from .mapping import load_mapping

__all__ = ["LegacyHttp", "LegacyRestFulfilment", "create_adapter", "load_mapping"]


def create_adapter(options: dict[str, Any]) -> Adapter:
    if not options.get("base_url") or not options.get("mapping"):
        raise ConfigurationError("legacy-rest needs southbound_options base_url and mapping")
    http = LegacyHttp(str(options["base_url"]), options)
    adapter = Adapter(name="legacy-rest")
    adapter.fulfilment = LegacyRestFulfilment(http, load_mapping(options["mapping"]))
    return adapter
