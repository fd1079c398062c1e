"""Discovery of storage and southbound plugins through entry points, built-ins included."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .errors import ConfigurationError

STORAGE_GROUP = "tmf_gateway.storage"
SOUTHBOUND_GROUP = "tmf_gateway.southbound"
GROUPS = (STORAGE_GROUP, SOUTHBOUND_GROUP)


def installed(group: str) -> dict[str, EntryPoint]:
    """Entry points of one group, by name."""
    return {ep.name: ep for ep in entry_points(group=group)}


def load(group: str, name: str) -> Any:
    """The object registered as `name` in `group`; an unknown name lists what is installed."""
    found = installed(group)
    if name not in found:
        names = ", ".join(sorted(found)) or "none"
        raise ConfigurationError(f"no plugin '{name}' in {group}; installed: {names}")
    return found[name].load()


def describe() -> list[dict[str, str]]:
    """Every installed plugin with its distribution and version, for `tmf-gateway plugins`."""
    rows = []
    for group in GROUPS:
        for name, ep in sorted(installed(group).items()):
            dist = ep.dist
            rows.append(
                {
                    "group": group,
                    "name": name,
                    "target": ep.value,
                    "distribution": dist.name if dist else "?",
                    "version": dist.version if dist else "?",
                }
            )
    return rows
