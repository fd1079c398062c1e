"""The built-in product catalog: offerings read once from a YAML file (example shipped)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigurationError
from ..ports import Offering

EXAMPLE = "example-catalog.yaml"
ACTIONS = ("add", "modify", "delete", "noChange")
RULES = {
    "needsInstallAddress": "needs_install_address",
    "needsFeasibility": "needs_feasibility",
    "needsAcceptance": "needs_acceptance",
}


def offering_from(entry: dict[str, Any]) -> Offering:
    """One `productOffering` entry of the file (TMF620 names plus the gateway's rules)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ConfigurationError(f"catalog entry without a text 'id': {entry!r}")
    actions = tuple(entry.get("actions") or ACTIONS)
    unknown = set(actions) - set(ACTIONS)
    if unknown:
        raise ConfigurationError(f"offering '{entry['id']}': unknown actions {sorted(unknown)}")
    names = entry.get("characteristics")
    price = entry.get("productOfferingPrice")
    return Offering(
        id=entry["id"],
        name=str(entry.get("name") or entry["id"]),
        sellable=bool(entry.get("isSellable", True))
        and entry.get("lifecycleStatus", "Launched") in ("Launched", "Active"),
        actions=actions,
        characteristics=tuple(str(n) for n in names) if names is not None else None,
        price=str(price) if price else None,
        **{field: bool(entry.get(key, False)) for key, field in RULES.items()},
    )


class FileCatalog:
    """Offerings by id from a YAML file with a `productOffering` list."""

    def __init__(self, offerings: dict[str, Offering]) -> None:
        self._offerings = offerings

    @classmethod
    def from_path(cls, path: str | None = None) -> FileCatalog:
        """The file at `path`, or the example shipped with the gateway."""
        source = Path(path) if path else resources.files(__package__) / EXAMPLE
        try:
            with source.open() as handle:
                data = yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigurationError(f"catalog file {source}: {exc}") from exc
        entries = data.get("productOffering") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ConfigurationError(f"catalog file {source}: no 'productOffering' list")
        offerings = [offering_from(entry) for entry in entries]
        return cls({o.id: o for o in offerings})

    def offering(self, offering_id: str) -> Offering | None:
        return self._offerings.get(offering_id)

    def offerings(self) -> list[Offering]:
        return list(self._offerings.values())
