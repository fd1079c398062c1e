"""Prometheus metrics: request counts and latency, adapter calls, and store gauges at scrape time.

Counters and histograms live in a registry of the app's own; under several workers (the
`PROMETHEUS_MULTIPROC_DIR` variable set, as `tmf-gateway serve` does) they are written to files
there and a scrape sums every worker's. Gauges of the store (outbox, deliveries, orders) are
read at scrape time by whichever worker answers: the store is shared, so any one is right.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from ..domain.lifecycle import PRODUCT_ORDER as ORDER_LIFECYCLE
from ..domain.resources import PRODUCT_ORDER
from ..southbound import CAPABILITIES
from ..tmf.query import parse_query
from ..tmf.schema import ResourceSchema

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    """The gateway's metrics: one instance per app."""

    def __init__(self, gateway: Any) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tmf_gateway_requests", "HTTP requests served, by API, operation and status",
            ["api", "operation", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "tmf_gateway_request_duration_seconds", "time to answer, by API and operation",
            ["api", "operation"], registry=self.registry,
        )
        self.adapter_calls = Counter(
            "tmf_gateway_adapter_calls", "calls to southbound adapters, by outcome",
            ["adapter", "capability", "method", "outcome"], registry=self.registry,
        )
        self.adapter_latency = Histogram(
            "tmf_gateway_adapter_call_duration_seconds", "time of a southbound adapter call",
            ["adapter", "capability", "method"], registry=self.registry,
        )
        self.store_collector = StoreCollector(gateway)

    def observe_request(self, api: str, operation: str, status: int, seconds: float) -> None:
        self.requests.labels(api, operation, str(status)).inc()
        self.latency.labels(api, operation).observe(seconds)

    def observe_adapter_call(
        self, adapter: str, capability: str, method: str, ok: bool, seconds: float
    ) -> None:
        self.adapter_calls.labels(adapter, capability, method, "ok" if ok else "error").inc()
        self.adapter_latency.labels(adapter, capability, method).observe(seconds)

    def render(self) -> bytes:
        """The exposition text of every metric, all workers' when several share the directory."""
        registry = CollectorRegistry()
        if os.environ.get(MULTIPROC_ENV):
            MultiProcessCollector(registry)
        else:
            registry.register(_Forward(self.registry))
        registry.register(self.store_collector)
        return generate_latest(registry)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self.registry.collect()


class StoreCollector(Collector):
    """Gauges read from the store (and the adapters) at each scrape."""

    def __init__(self, gateway: Any) -> None:
        self.gateway = gateway
        self._order_schema: ResourceSchema | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            yield from self._outbox()
            yield from self._orders()
        except Exception:  # a scrape must answer even when the store does not
            log.exception("reading store metrics failed")
        yield from self._circuits()

    def _outbox(self) -> Iterator[GaugeMetricFamily]:
        from ..events.dispatcher import FANOUT_CURSOR

        with self.gateway.store.unit_of_work() as uow:
            cursor = uow.get_cursor(FANOUT_CURSOR)
            depth = uow.outbox_count_after(cursor)
            oldest = uow.outbox_after(cursor, 1)
            counts = uow.delivery_counts()
        yield GaugeMetricFamily(
            "tmf_gateway_outbox_depth", "events in the outbox not yet fanned out", value=depth
        )
        age = 0.0
        if oldest:
            age = max(0.0, time.time() - _event_time(oldest[0].payload))
        yield GaugeMetricFamily(
            "tmf_gateway_outbox_oldest_age_seconds", "age of the oldest event not yet fanned out",
            value=age,
        )
        deliveries = GaugeMetricFamily(
            "tmf_gateway_deliveries", "event deliveries to listeners, by outcome", labels=["status"]
        )
        for status in sorted({"pending", "delivered", "parked", "dropped", *counts}):
            deliveries.add_metric([status], counts.get(status, 0))
        yield deliveries
        yield GaugeMetricFamily(
            "tmf_gateway_parked_events", "deliveries parked after their last attempt",
            value=counts.get("parked", 0),
        )

    def _orders(self) -> Iterator[GaugeMetricFamily]:
        if self.gateway is None:  # not attached yet
            return
        service = self.gateway.services.resources.product_order
        by_state = GaugeMetricFamily(
            "tmf_gateway_orders", "product orders, by state", labels=["state"]
        )
        for state in sorted(ORDER_LIFECYCLE.states):
            by_state.add_metric([state], self._count(service, [("state", state)]))
        yield by_state
        yield GaugeMetricFamily(
            "tmf_gateway_orders_in_jeopardy", "open product orders with a jeopardy alert",
            value=self._count(service, [
                ("state", "acknowledged,inProgress,pending,held"),
                ("productOrderJeopardyAlert.jeopardyType", "passed,approaching"),
            ]),
        )

    def _count(self, service: Any, params: list[tuple[str, str]]) -> int:
        if self._order_schema is None:
            for spec in self.gateway.specs.values():
                components = spec.get("components", {}).get("schemas", {})
                if PRODUCT_ORDER.schema in components:
                    self._order_schema = ResourceSchema(components, PRODUCT_ORDER.schema)
        assert self._order_schema is not None
        query = parse_query([*params, ("limit", "1"), ("fields", "id")], self._order_schema)
        return int(service.list(query).total)

    def _circuits(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "tmf_gateway_adapter_circuit_open",
            "1 while a southbound adapter's circuit breaker is open (this worker's)",
            labels=["capability", "state"],
        )
        for capability in CAPABILITIES:
            part = getattr(self.gateway.southbound, capability, None)
            state = getattr(part, "circuit_state", None)
            if isinstance(state, str):
                family.add_metric([capability, state], 1 if state == "open" else 0)
        yield family


def _event_time(payload: dict[str, Any]) -> float:
    from datetime import datetime

    raw = str(payload.get("eventTime", ""))
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return time.time()
