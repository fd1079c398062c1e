"""Southbound adapters: one plugin per legacy system, offering some of the port capabilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import plugins
from .config import Settings
from .errors import ConfigurationError


@dataclass
class Adapter:
    """What a southbound plugin offers; a capability it lacks stays None."""

    name: str
    fulfilment: Any = None  # ports.OrderFulfilment
    feasibility: Any = None  # ports.FeasibilityCheck
    ticket_desk: Any = None  # ports.TicketDesk
    customer_directory: Any = None  # ports.CustomerDirectory


CAPABILITIES = ("fulfilment", "feasibility", "ticket_desk", "customer_directory")


def _build(name: str, options: dict[str, Any]) -> Adapter:
    factory = plugins.load(plugins.SOUTHBOUND_GROUP, name)
    return factory(options)


def load_adapter(settings: Settings) -> Adapter:
    """The configured adapter; an unknown name stops start-up listing installed ones.

    A capability may come from another adapter (`southbound_<capability>`); that adapter gets
    the table `southbound_options.<its name>` as its options.
    """
    adapter = _build(settings.southbound, dict(settings.southbound_options))
    others: dict[str, Adapter] = {}
    for capability in CAPABILITIES:
        name = getattr(settings, f"southbound_{capability}")
        if not name or name == settings.southbound:
            continue
        if name not in others:
            options = settings.southbound_options.get(name, {})
            others[name] = _build(name, dict(options) if isinstance(options, dict) else {})
        offered = getattr(others[name], capability)
        if offered is None:
            raise ConfigurationError(f"southbound adapter '{name}' offers no {capability}")
        setattr(adapter, capability, offered)
    if settings.fulfilment_routes:
        adapter.fulfilment = _routed(settings, adapter, others)
    return adapter


def _routed(settings: Settings, adapter: Adapter, others: dict[str, Adapter]) -> Any:
    """The fulfilment of `adapter` with items routed to other adapters (docs/adapters.md,
    "Items delivered by several systems")."""
    from .routing import DEFAULT, RoutedFulfilment

    routes = settings.fulfilment_routes
    systems: dict[str, Any] = {DEFAULT: adapter.fulfilment}
    named = {*routes.get("offerings", {}).values(), *routes.get("partners", {}).values()}
    for name in sorted(named):
        if name == (settings.southbound_fulfilment or settings.southbound):
            systems[name] = adapter.fulfilment
            continue
        if name not in others:
            options = settings.southbound_options.get(name, {})
            others[name] = _build(name, dict(options) if isinstance(options, dict) else {})
        if others[name].fulfilment is None:
            raise ConfigurationError(f"southbound adapter '{name}' offers no fulfilment")
        systems[name] = others[name].fulfilment
    return RoutedFulfilment(systems, routes)


def bind_state(adapter: Adapter, store: Any) -> None:
    """Hand each capability that keeps state of its own (`ports.KeepsState`) its place in the
    gateway's store, so that state survives a restart."""
    from .storage import southbound_state

    state = None
    for capability in CAPABILITIES:
        bind = getattr(getattr(adapter, capability), "bind_state", None)
        if bind is not None:
            state = state or southbound_state.for_store(store)
            bind(state)
