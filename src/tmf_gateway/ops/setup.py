"""Health, metrics, request logs, traces and graceful shutdown: built by bootstrap(), wired into
the HTTP app by app.py."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import anyio
import connexion
from connexion.middleware import MiddlewarePosition

from .metrics import Metrics
from .middleware import OpsMiddleware
from .southbound import instrument
from .tracing import Tracer, from_settings, outgoing_headers

log = logging.getLogger(__name__)


@dataclass
class Operations:
    """What the ops middleware needs: the gateway (once built), its metrics and its tracer."""

    metrics: Metrics
    tracer: Tracer
    gateway: Any = None  # set by attach(): health checks and store gauges read the built gateway

    def attach(self, gateway: Any) -> None:
        self.gateway = gateway
        self.metrics.store_collector.gateway = gateway


def build(settings: Any, tracer_provider: Any = None) -> Operations:
    """Metrics and the tracer, before any service exists (they wrap the store and adapters)."""
    tracer = Tracer(tracer_provider) if tracer_provider is not None else from_settings(settings)
    return Operations(Metrics(None), tracer)


def observed(ops: Operations, store: Any, southbound: Any) -> Any:
    """Adapter calls counted and traced; the store (traced only with tracing on) to use."""
    instrument(southbound, ops.metrics.observe_adapter_call, ops.tracer)
    return TracedStore(store, ops.tracer) if ops.tracer.enabled else store


def install(app: connexion.FlaskApp, ops: Operations) -> None:
    app.add_middleware(OpsMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, ops=ops)


def lifespan(gateway: Any) -> Any:
    """Connexion's lifespan: on shutdown (after the server has stopped accepting and finished
    its requests) the background jobs stop and the dispatcher's current deliveries finish."""

    @contextlib.asynccontextmanager
    async def span(_app: Any) -> AsyncIterator[None]:
        yield
        await anyio.to_thread.run_sync(shutdown, gateway)

    return span


def shutdown(gateway: Any) -> None:
    gateway.runner.stop()
    dispatcher = gateway.services.events
    deadline = time.monotonic() + gateway.settings.shutdown_timeout
    while not dispatcher.idle() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not dispatcher.idle():
        log.warning("deliveries still running at shutdown; their leases expire and they retry")


class TracedStore:
    """The store with a span per unit of work (tracing on only); every other attribute is the
    store's own."""

    def __init__(self, store: Any, tracer: Tracer) -> None:
        self._store = store
        self._tracer = tracer

    @contextlib.contextmanager
    def unit_of_work(self, write: bool = False) -> Iterator[Any]:
        with self._tracer.span("store.unit_of_work", {"tmf.write": write}), \
                self._store.unit_of_work(write=write) as uow:
            yield _TracedUnitOfWork(uow) if write else uow

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _TracedUnitOfWork:
    """Events recorded while a trace is active carry its context, as the CloudEvents tracing
    extension does (`traceparent`, `tracestate`): a listener continues the trace."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        self._uow.record_event({**event, **outgoing_headers()}, kind, resource_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)
