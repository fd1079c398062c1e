"""The services the composition root (bootstrap/) built, as typed fields: handlers, the CLI,
the console and tests take the one they need by name, never by a string key."""

from __future__ import annotations

from dataclasses import dataclass

from .events.dispatcher import Dispatcher
from .inventory.scheduled import QualityAudits
from .security.guard import Authenticator
from .security.storage import SecurityStore
from .services.cancellation import Cancellations
from .services.directory import CustomerDirectorySync
from .services.fulfilment import OrderProcessor
from .services.hub import HubService
from .services.idempotency import KeyLog
from .services.notices import OrderNotices
from .services.reconcile import OrderReconciler
from .services.resources import ResourceService
from .services.ticket_desk import TicketDeskSync


@dataclass(frozen=True)
class ResourceServices:
    """One service per TMF resource served, and one hub service per API."""

    customer: ResourceService
    product_order: ResourceService
    cancel_product_order: ResourceService
    trouble_ticket: ResourceService
    customer_hub: HubService
    product_order_hub: HubService
    trouble_ticket_hub: HubService

    def by_kind(self) -> dict[str, ResourceService]:
        """The resource services keyed by their resource kind (the CLI's `--kind`, the
        console's generic list pages)."""
        services = (self.customer, self.product_order, self.cancel_product_order,
                    self.trouble_ticket)
        return {service.resource.kind: service for service in services}

    def hubs(self) -> tuple[HubService, ...]:
        return (self.customer_hub, self.product_order_hub, self.trouble_ticket_hub)


@dataclass(frozen=True)
class OrderHandling:
    """TMF622's background work: southbound submission and polling, cancellation, reconcile."""

    processor: OrderProcessor
    cancellations: Cancellations
    reconciler: OrderReconciler


@dataclass(frozen=True)
class SecurityParts:
    """What authentication, the access log and idempotent retries run on."""

    store: SecurityStore
    idempotency: KeyLog
    authenticator: Authenticator | None  # None with security off


@dataclass(frozen=True)
class Services:
    """Every service of one gateway; optional ones are None when their part is not set up."""

    resources: ResourceServices
    ordering: OrderHandling
    events: Dispatcher
    security: SecurityParts
    quality_audits: QualityAudits
    customer_directory: CustomerDirectorySync | None = None
    ticket_desk: TicketDeskSync | None = None
    order_notices: OrderNotices | None = None
