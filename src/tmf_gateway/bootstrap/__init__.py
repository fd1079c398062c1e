"""The one composition root: bootstrap() builds the whole object graph from Settings and hands
each part its collaborators as constructor arguments. The app factory (app.py), the CLI and
tests all build gateways through it, with overrides for the parts they bring themselves."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..api.registry import API_TABLE, OPS_TABLE
from ..built import Services
from ..catalog import load_catalog
from ..config import Settings, load_settings
from ..domain.resources import ResourceType
from ..gateway import Gateway
from ..ops import setup as ops_setup
from ..ports import ProductCatalog, ProductInventory, Store
from ..products import load_inventory
from ..southbound import Adapter, bind_state, load_adapter
from ..specs import SPEC_DIR
from ..worker import BackgroundRunner
from .jobs import (
    wire_customer_directory,
    wire_dispatcher,
    wire_order_notices,
    wire_quality_audits,
    wire_ticket_desk,
)
from .ordering import wire_order_handling
from .parts import load_spec, open_store
from .resources import build_resource_services
from .security import build_security

__all__ = ["bootstrap", "load_spec", "open_store", "served_resource_types"]


def served_resource_types() -> list[ResourceType]:
    """Every resource type the APIs serve or keep (what a store is opened for)."""
    return [rt for api in [*API_TABLE, *OPS_TABLE] for rt in api.resource_types()]


def bootstrap(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    adapter: Adapter | None = None,
    catalog: ProductCatalog | None = None,
    inventory: ProductInventory | None = None,
    spec_dir: Path | Traversable | None = None,
    tracer_provider: Any = None,
) -> Gateway:
    """Build a gateway: every part from `settings` unless passed in. Nothing runs yet: the
    background jobs are registered on `gateway.runner`, which the caller starts."""
    settings = settings or load_settings()
    spec_dir = spec_dir or SPEC_DIR
    specs = {api.name: load_spec(spec_dir / api.spec_file) for api in [*API_TABLE, *OPS_TABLE]}
    opened = store is None
    store = store if store is not None else open_store(settings, served_resource_types())
    try:
        return _build(settings, specs, store, adapter, catalog, inventory, tracer_provider)
    except BaseException:
        if opened:  # a bad setting found late must not leave the database open
            store.close()
        raise


def _build(
    settings: Settings, specs: dict[str, dict[str, Any]], store: Store, adapter: Adapter | None,
    catalog: ProductCatalog | None, inventory: ProductInventory | None, tracer_provider: Any,
) -> Gateway:
    adapter = adapter if adapter is not None else load_adapter(settings)
    catalog = catalog if catalog is not None else load_catalog(settings)
    inventory = inventory if inventory is not None else load_inventory(settings, store)
    bind_state(adapter, store)  # adapters that keep state keep it in the store
    operations = ops_setup.build(settings, tracer_provider)
    store = ops_setup.observed(operations, store, adapter)  # before any service holds them

    runner = BackgroundRunner()
    resources = build_resource_services(settings, store, specs, adapter, catalog, inventory)
    directory = wire_customer_directory(store, adapter, runner)
    ordering = wire_order_handling(settings, specs, resources, adapter, catalog, inventory, runner)
    ticket_desk = wire_ticket_desk(store, resources, adapter, runner)
    services = Services(
        resources=resources,
        ordering=ordering,
        events=wire_dispatcher(settings, store, resources, runner),
        security=build_security(settings, store),
        quality_audits=wire_quality_audits(settings, store, runner),
        customer_directory=directory,
        ticket_desk=ticket_desk,
        order_notices=wire_order_notices(settings, store, runner),
    )
    gateway = Gateway(settings, store, adapter, services, specs, catalog, inventory, operations,
                      runner)
    operations.attach(gateway)
    return gateway
