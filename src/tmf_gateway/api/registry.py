"""The APIs the gateway serves: spec file, resource types and operationId -> handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from ..events.matching import EventFilter, envelope_schema
from ..services.cancellation import CancelProductOrderRules
from ..services.customer import CustomerRules
from ..services.directory import start_customer_directory
from ..services.hub import HubService
from ..services.ordering import OrderContext, ProductOrderRules
from ..services.resources import ResourceRules, ResourceService
from ..services.ticket_desk import start_ticket_desk
from ..services.trouble_ticket import TroubleTicketRules
from ..services.validation import SchemaValidator
from ..tmf.schema import ResourceSchema
from .admin import admin_handlers
from .customer_products import customer_product_handlers
from .hub import hub_handlers
from .ops import ops_handlers
from .ordering import setup_ordering
from .resources import Handler, resource_handlers
from .validators import create_required

if TYPE_CHECKING:
    from ..gateway import Gateway


@dataclass(frozen=True)
class Collection:
    """A resource served by an API, with its rules and the official operationIds."""

    resource: ResourceType
    rules: Callable[[Any], ResourceRules]
    operations: dict[str, str]  # operationId -> action


@dataclass(frozen=True)
class ApiDefinition:
    name: str
    spec_file: str
    collections: tuple[Collection, ...]
    hub: ResourceType
    internal: tuple[ResourceType, ...] = ()  # stored, never served (e.g. southbound links)
    setup: Callable[[Gateway], None] | None = None  # background jobs, once services exist
    # operations of our own next to the TMF ones (extensions, docs in openapi/README.md)
    extensions: Callable[[Gateway], dict[str, Handler]] | None = None

    def resource_types(self) -> list[ResourceType]:
        return [c.resource for c in self.collections] + [self.hub, *self.internal]

    def build_handlers(self, spec: dict[str, Any], gateway: Gateway) -> dict[str, Handler]:
        components = spec["components"]["schemas"]
        handlers: dict[str, Handler] = {}
        for collection in self.collections:
            rt = collection.resource
            service = ResourceService(
                gateway.store,
                rt,
                SchemaValidator(components, rt.schema),
                collection.rules(gateway),
                required=create_required(components, rt.schema),
                max_depth=gateway.settings.max_json_depth,
            )
            gateway.services[rt.kind] = service
            actions = resource_handlers(
                service, ResourceSchema(components, rt.schema),
                gateway.settings,
            )
            for operation_id, action in collection.operations.items():
                handlers[operation_id] = actions[action]
        resources = [c.resource for c in self.collections]
        hub = HubService(
            gateway.store, self.hub,
            EventFilter(envelope_schema(components, resources),
                        gateway.settings.fields_keep_identity),
        )
        gateway.services[self.hub.kind] = hub
        handlers.update(hub_handlers(hub, gateway.settings))
        if self.extensions is not None:
            handlers.update(self.extensions(gateway))
        if self.setup is not None:
            self.setup(gateway)
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
        collections=(Collection(CUSTOMER, lambda gw: CustomerRules(lambda: gw.inventory),
                               crud("Customer")),),
        hub=CUSTOMER_HUB,
        setup=start_customer_directory,
        extensions=customer_product_handlers,
    ),
    ApiDefinition(
        name="TMF622",
        spec_file="tmf622-product-ordering-v4.yaml",
        collections=(
            Collection(
                PRODUCT_ORDER,
                lambda gw: ProductOrderRules(OrderContext.from_gateway(gw)),
                crud("ProductOrder"),
            ),
            Collection(
                CANCEL_PRODUCT_ORDER,
                lambda gw: CancelProductOrderRules(OrderContext.from_gateway(gw)),
                {
                    "listCancelProductOrder": "list",
                    "createCancelProductOrder": "create",
                    "retrieveCancelProductOrder": "retrieve",
                },
            ),
        ),
        hub=PRODUCT_ORDER_HUB,
        internal=(PRODUCT,),  # the built-in product inventory (products/stored.py)
        setup=setup_ordering,
    ),
    ApiDefinition(
        name="TMF621",
        spec_file="tmf621-trouble-ticket-v4.yaml",
        collections=(
            Collection(
                TROUBLE_TICKET,
                lambda gw: TroubleTicketRules(
                    has_orders=lambda: "product_order" in gw.services,
                    forwards=gw.southbound.ticket_desk is not None,
                    inventory=lambda: gw.inventory,
                    customer_channels=gw.settings.ticket_customer_channels.split(","),
                ),
                crud("TroubleTicket"),
            ),
        ),
        hub=TROUBLE_TICKET_HUB,
        internal=(TICKET_DESK_LINK,),
        setup=start_ticket_desk,
    ),
)

# Our own operational APIs, served next to the TMF ones (not part of the TMF conformance runs).
OPS_TABLE: tuple[OpsApiDefinition, ...] = (
    OpsApiDefinition(name="gateway-ops", spec_file="gateway-ops-v1.yaml", handlers=ops_handlers),
    OpsApiDefinition(
        name="gateway-admin", spec_file="gateway-admin-v1.yaml", handlers=admin_handlers
    ),
)
