"""The gateway's built parts, as bootstrap() hands them to the app, the CLI, the console and
tests (its own module, so that nothing below the composition root imports `app`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .built import Services
from .config import Settings
from .ops.setup import Operations
from .ports import ProductCatalog, ProductInventory, Store
from .southbound import Adapter
from .worker import BackgroundRunner


@dataclass
class Gateway:
    """What bootstrap() built: settings, the store, the adapters, the services, the specs."""

    settings: Settings
    store: Store
    southbound: Adapter
    services: Services
    specs: dict[str, dict[str, Any]]
    catalog: ProductCatalog
    inventory: ProductInventory
    operations: Operations  # metrics and tracing around the store and the adapters
    runner: BackgroundRunner = field(default_factory=BackgroundRunner)
