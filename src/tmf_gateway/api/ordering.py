"""Wiring of TMF622's background work: southbound submission and polling, cancellation, jeopardy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.resources import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER
from ..services.cancellation import Cancellations
from ..services.fulfilment import OrderProcessor
from ..services.ordering import OrderContext
from ..services.reconcile import OrderReconciler
from ..tmf.schema import ResourceSchema

if TYPE_CHECKING:
    from ..gateway import Gateway


def setup_ordering(gateway: Gateway) -> None:
    """Build the order processor and register its periodic jobs on the gateway's runner."""
    components = gateway.specs["TMF622"]["components"]["schemas"]
    options = gateway.settings.ordering
    processor = OrderProcessor(
        OrderContext.from_gateway(gateway),
        gateway.services[PRODUCT_ORDER.kind],
        gateway.services[CANCEL_PRODUCT_ORDER.kind],
        ResourceSchema(components, PRODUCT_ORDER.schema),
        ResourceSchema(components, CANCEL_PRODUCT_ORDER.schema),
        gateway.southbound.fulfilment,
        gateway.southbound.feasibility,
        gateway.settings.public_url or f"http://{gateway.settings.host}:{gateway.settings.port}",
    )
    gateway.services["order_processor"] = processor
    interval = float(options.get("poll_interval_seconds", 0.5))
    gateway.runner.every(interval, "order-submit", processor.submit_pending)
    gateway.runner.every(interval, "order-poll", processor.poll)
    cancellations = Cancellations(processor.changes, processor.cancels, processor.cancel_schema,
                                  processor.fulfilment, processor.claims, processor.caller)
    gateway.services["order_cancellations"] = cancellations
    gateway.runner.every(interval, "order-cancel", cancellations.run)
    gateway.runner.every(
        float(options.get("jeopardy_interval_seconds", 60)), "order-jeopardy",
        processor.check_jeopardy,
    )
    reconciler = OrderReconciler(processor.submission)
    gateway.services["order_reconciler"] = reconciler
    gateway.runner.every(
        float(options.get("reconcile_interval_seconds", 60)), "order-reconcile", reconciler.run
    )
