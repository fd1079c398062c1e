"""TMF622's background work wired in one place: the order processor (southbound submission,
polling, jeopardy), cancellations and the reconciler, and their periodic jobs."""

from __future__ import annotations

from ..built import OrderHandling, ResourceServices
from ..config import Settings
from ..domain.resources import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER
from ..ports import ProductCatalog, ProductInventory
from ..services.cancellation import Cancellations
from ..services.fulfilment import OrderProcessor
from ..services.reconcile import OrderReconciler
from ..southbound import Adapter
from ..tmf.schema import ResourceSchema
from ..worker import BackgroundRunner
from .resources import Specs, components, order_context


def wire_order_handling(
    settings: Settings, specs: Specs, resources: ResourceServices, southbound: Adapter,
    catalog: ProductCatalog, inventory: ProductInventory, runner: BackgroundRunner,
) -> OrderHandling:
    """Build the order processor and its companions; register their jobs on `runner`."""
    schemas = components(specs, "TMF622")
    options = settings.ordering
    processor = OrderProcessor(
        order_context(settings, catalog, inventory, resources.customer),
        resources.product_order,
        resources.cancel_product_order,
        ResourceSchema(schemas, PRODUCT_ORDER.schema),
        ResourceSchema(schemas, CANCEL_PRODUCT_ORDER.schema),
        southbound.fulfilment,
        southbound.feasibility,
        settings.public_url or f"http://{settings.host}:{settings.port}",
    )
    cancellations = Cancellations(processor.changes, processor.cancels, processor.cancel_schema,
                                  processor.fulfilment, processor.claims, processor.caller)
    reconciler = OrderReconciler(processor.submission)
    interval = float(options.get("poll_interval_seconds", 0.5))
    runner.every(interval, "order-submit", processor.submit_pending)
    runner.every(interval, "order-poll", processor.poll)
    runner.every(interval, "order-cancel", cancellations.run)
    runner.every(
        float(options.get("jeopardy_interval_seconds", 60)), "order-jeopardy",
        processor.check_jeopardy,
    )
    runner.every(
        float(options.get("reconcile_interval_seconds", 60)), "order-reconcile", reconciler.run
    )
    return OrderHandling(processor, cancellations, reconciler)
