"""The gateway's built parts, as the app factory hands them to handlers, services, the CLI and
background workers (its own module, so that nothing below the factory imports `app`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Settings
from .ports import Store
from .southbound import Adapter
from .worker import BackgroundRunner


@dataclass
class Gateway:
    """What the app factory built, for tests, the CLI and background workers."""

    settings: Settings
    store: Store
    southbound: Adapter
    runner: BackgroundRunner = field(default_factory=BackgroundRunner)
    services: dict[str, Any] = field(default_factory=dict)
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)
    catalog: Any = None  # ports.ProductCatalog
    inventory: Any = None  # ports.ProductInventory
