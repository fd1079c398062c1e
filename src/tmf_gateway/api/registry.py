"""The APIs the gateway serves: spec file, resource types, and the handler table (operationId ->
handler) built from the services bootstrap() made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..built import ResourceServices
from ..domain.resources import (
    CANCEL_PRODUCT_ORDER,
    CUSTOMER,
    CUSTOMER_HUB,
    PRODUCT,
    PRODUCT_ORDER,
    PRODUCT_ORDER_HUB,
    TICKET_DESK_LINK,
    TROUBLE_TICKET,
    TROUBLE_TICKET_HUB,
    ResourceType,
)
from ..gateway import Gateway
from ..services.hub import HubService
from ..services.resources import ResourceService
from ..tmf.schema import ResourceSchema
from .admin import admin_handlers
from .customer_products import customer_product_handlers
from .hub import hub_handlers
from .ops import ops_handlers
from .resources import Handler, resource_handlers


@dataclass(frozen=True)
class Collection:
    """A resource served by an API, the service that handles it and the official operationIds."""

    resource: ResourceType
    service: Callable[[ResourceServices], ResourceService]
    operations: dict[str, str]  # operationId -> action


@dataclass(frozen=True)
class ApiDefinition:
    name: str
    spec_file: str
    collections: tuple[Collection, ...]
    hub: ResourceType
    hub_service: Callable[[ResourceServices], HubService]
    internal: tuple[ResourceType, ...] = ()  # stored, never served (e.g. southbound links)
    # operations of our own next to the TMF ones (extensions, docs in openapi/README.md)
    extensions: Callable[[Gateway], dict[str, Handler]] | None = None

    def resource_types(self) -> list[ResourceType]:
        return [c.resource for c in self.collections] + [self.hub, *self.internal]

    def build_handlers(self, spec: dict[str, Any], gateway: Gateway) -> dict[str, Handler]:
        """operationId -> handler, each calling the service bootstrap() built for it."""
        components = spec["components"]["schemas"]
        resources = gateway.services.resources
        handlers: dict[str, Handler] = {}
        for collection in self.collections:
            actions = resource_handlers(
                collection.service(resources),
                ResourceSchema(components, collection.resource.schema),
                gateway.settings,
            )
            for operation_id, action in collection.operations.items():
                handlers[operation_id] = actions[action]
        handlers.update(hub_handlers(self.hub_service(resources), gateway.settings))
        if self.extensions is not None:
            handlers.update(self.extensions(gateway))
        return handlers


@dataclass(frozen=True)
class OpsApiDefinition:
    """An API of our own (not TMF): a spec file and its operationId -> handler map."""

    name: str
    spec_file: str
    handlers: Callable[[Gateway], dict[str, Handler]]
    collections: tuple[Collection, ...] = ()  # no TMF resources, hence no hub or events

    def resource_types(self) -> list[ResourceType]:
        return []

    def build_handlers(self, spec: dict[str, Any], gateway: Gateway) -> dict[str, Handler]:
        return self.handlers(gateway)


def crud(name: str) -> dict[str, str]:
    return {
        f"list{name}": "list",
        f"create{name}": "create",
        f"retrieve{name}": "retrieve",
        f"patch{name}": "patch",
        f"delete{name}": "delete",
    }


API_TABLE: tuple[ApiDefinition, ...] = (
    ApiDefinition(
        name="TMF629",
        spec_file="tmf629-customer-v4.yaml",
        collections=(Collection(CUSTOMER, lambda s: s.customer, crud("Customer")),),
        hub=CUSTOMER_HUB,
        hub_service=lambda s: s.customer_hub,
        extensions=customer_product_handlers,
    ),
    ApiDefinition(
        name="TMF622",
        spec_file="tmf622-product-ordering-v4.yaml",
        collections=(
            Collection(
                PRODUCT_ORDER,
                lambda s: s.product_order,
                crud("ProductOrder"),
            ),
            Collection(
                CANCEL_PRODUCT_ORDER,
                lambda s: s.cancel_product_order,
                {
                    "listCancelProductOrder": "list",
                    "createCancelProductOrder": "create",
                    "retrieveCancelProductOrder": "retrieve",
                },
            ),
        ),
        hub=PRODUCT_ORDER_HUB,
        hub_service=lambda s: s.product_order_hub,
        internal=(PRODUCT,),  # the built-in product inventory (products/stored.py)
    ),
    ApiDefinition(
        name="TMF621",
        spec_file="tmf621-trouble-ticket-v4.yaml",
        collections=(
            Collection(
                TROUBLE_TICKET,
                lambda s: s.trouble_ticket,
                crud("TroubleTicket"),
            ),
        ),
        hub=TROUBLE_TICKET_HUB,
        hub_service=lambda s: s.trouble_ticket_hub,
        internal=(TICKET_DESK_LINK,),
    ),
)

# Our own operational APIs, served next to the TMF ones (not part of the TMF conformance runs).
OPS_TABLE: tuple[OpsApiDefinition, ...] = (
    OpsApiDefinition(name="gateway-ops", spec_file="gateway-ops-v1.yaml", handlers=ops_handlers),
    OpsApiDefinition(
        name="gateway-admin", spec_file="gateway-admin-v1.yaml", handlers=admin_handlers
    ),
)
