"""Adapter calls counted, timed and traced: each capability wrapped at its port's methods."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any

from .. import ports
from ..southbound import CAPABILITIES, Adapter

PORTS: dict[str, type] = {
    "fulfilment": ports.OrderFulfilment,
    "feasibility": ports.FeasibilityCheck,
    "ticket_desk": ports.TicketDesk,
    "customer_directory": ports.CustomerDirectory,
}


class Instrumented:
    """Stands in for one capability object: its port methods are observed, every other
    attribute (read or written) is the object's own."""

    def __init__(self, target: Any, methods: dict[str, Callable[..., Any]]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_methods", methods)

    def __getattr__(self, name: str) -> Any:
        methods = object.__getattribute__(self, "_methods")
        if name in methods:
            return methods[name]
        return getattr(object.__getattribute__(self, "_target"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_target"), name, value)


def _observed(
    target: Any, adapter: str, capability: str, name: str, observe: Any, tracer: Any
) -> Callable[..., Any]:
    method = getattr(target, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        started, ok = time.perf_counter(), False
        with tracer.span(f"southbound {capability}.{name}", {"tmf.adapter": adapter}):
            try:
                result = method(*args, **kwargs)
                ok = True
                return result
            finally:
                observe(adapter, capability, name, ok, time.perf_counter() - started)

    return call


def instrument(adapter: Adapter, observe: Any, tracer: Any) -> None:
    """Wrap each capability the adapter offers, in place."""
    for capability in CAPABILITIES:
        target = getattr(adapter, capability)
        if target is None or isinstance(target, Instrumented):
            continue
        names = [n for n, _ in inspect.getmembers(PORTS[capability], inspect.isfunction)
                 if not n.startswith("_") and callable(getattr(target, n, None))]
        methods = {n: _observed(target, adapter.name, capability, n, observe, tracer)
                   for n in names}
        setattr(adapter, capability, Instrumented(target, methods))
