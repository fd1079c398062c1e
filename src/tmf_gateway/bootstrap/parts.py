"""The parts everything else stands on: the specs, the store (migrated), the adapters, the
catalogue and the product inventory."""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from .. import plugins
from ..config import Settings
from ..domain.resources import ResourceType
from ..ports import Store

log = logging.getLogger(__name__)


def load_spec(path: Path | Traversable) -> dict[str, Any]:
    with path.open() as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def open_store(settings: Settings, resources: list[ResourceType]) -> Store:
    """The configured store; a SQL one is brought to the newest schema revision first (or, with
    `migrate_on_start` off, start-up stops when it is behind)."""
    store_class = plugins.load(plugins.STORAGE_GROUP, settings.store)
    store = store_class.from_url(settings.database_url, resources)
    migrate = getattr(store, "migrate", None)  # the memory store needs no migrations
    if migrate is not None:
        try:
            applied = migrate(apply=settings.migrate_on_start)
        except BaseException:
            store.close()
            raise
        for step in applied:
            log.info("schema migration %s applied: %s", step.revision, step.description)
    return store
