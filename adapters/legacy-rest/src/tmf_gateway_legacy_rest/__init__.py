"""The legacy-rest adapter: a legacy HTTP/JSON order system or CRM behind the ports its mapping
file has sections for: OrderFulfilment (`submit`, `updates`, `cancel`), FeasibilityCheck
(`feasibility`) and CustomerDirectory (`customers`).

Options (`southbound_options`): `base_url`, `mapping` (a YAML/TOML file or an inline table),
`timeout`, `connect_timeout`, `retries`, `backoff`, `pool_size`, `breaker_fail_max`,
`breaker_reset_seconds`, `breaker_window_seconds`, `slow_call_seconds`, `headers`,
`callback_secret`. See docs/adapters.md.
"""

from __future__ import annotations

from typing import Any

from tmf_gateway.errors import ConfigurationError
from tmf_gateway.southbound import Adapter

from .client import LegacyHttp
from .directory import LegacyRestDirectory
from .feasibility import LegacyRestFeasibility
from .fulfilment import LegacyRestFulfilment
from .mapping import load_mapping

__all__ = [
    "LegacyHttp",
    "LegacyRestDirectory",
    "LegacyRestFeasibility",
    "LegacyRestFulfilment",
    "create_adapter",
    "load_mapping",
]


def create_adapter(options: dict[str, Any]) -> Adapter:
    if not options.get("base_url") or not options.get("mapping"):
        raise ConfigurationError("legacy-rest needs southbound_options base_url and mapping")
    mapping = load_mapping(options["mapping"])
    http = LegacyHttp(str(options["base_url"]), options)  # one pool and breaker per system
    adapter = Adapter(name="legacy-rest")
    if "submit" in mapping:
        adapter.fulfilment = LegacyRestFulfilment(
            http, mapping, str(options.get("callback_secret") or ""))
    if "feasibility" in mapping:
        adapter.feasibility = LegacyRestFeasibility(http, mapping["feasibility"])
    if "customers" in mapping:
        adapter.customer_directory = LegacyRestDirectory(http, mapping["customers"])
    return adapter
