"""The TMF resource services and hub services, each given its rules and collaborators."""

from __future__ import annotations

from typing import Any

from ..api.validators import create_required
from ..built import ResourceServices
from ..config import Settings
from ..domain import ordering as order_rules
from ..domain.resources import (
    CANCEL_PRODUCT_ORDER,
    CUSTOMER,
    CUSTOMER_HUB,
    PRODUCT_ORDER,
    PRODUCT_ORDER_HUB,
    TROUBLE_TICKET,
    TROUBLE_TICKET_HUB,
    ResourceType,
)
from ..events.matching import EventFilter, envelope_schema
from ..ports import ProductCatalog, ProductInventory, Store
from ..services.cancellation import CancelProductOrderRules
from ..services.customer import CustomerRules
from ..services.hub import HubService
from ..services.ordering import OrderContext, ProductOrderRules
from ..services.resources import ResourceRules, ResourceService
from ..services.trouble_ticket import TroubleTicketRules
from ..services.validation import SchemaValidator
from ..southbound import Adapter

Specs = dict[str, dict[str, Any]]


def components(specs: Specs, api_name: str) -> dict[str, Any]:
    return dict(specs[api_name]["components"]["schemas"])


def build_resource_services(
    settings: Settings, store: Store, specs: Specs, southbound: Adapter,
    catalog: ProductCatalog, inventory: ProductInventory,
) -> ResourceServices:
    """One ResourceService per TMF resource (schemas from its API's spec) and one HubService
    per API; the customer service first, since completing an order updates customers."""

    def service(api: str, rt: ResourceType, rules: ResourceRules) -> ResourceService:
        schemas = components(specs, api)
        return ResourceService(
            store, rt, SchemaValidator(schemas, rt.schema), rules,
            required=create_required(schemas, rt.schema), max_depth=settings.max_json_depth,
        )

    def hub(api: str, rt: ResourceType, served: list[ResourceType]) -> HubService:
        schema = envelope_schema(components(specs, api), served)
        return HubService(store, rt, EventFilter(schema, settings.fields_keep_identity))

    customer = service("TMF629", CUSTOMER, CustomerRules(lambda: inventory))
    ctx = order_context(settings, catalog, inventory, customer)
    tickets = TroubleTicketRules(
        has_orders=lambda: True,  # TMF622 is always served beside TMF621
        forwards=southbound.ticket_desk is not None,
        inventory=lambda: inventory,
        customer_channels=settings.ticket_customer_channels.split(","),
    )
    return ResourceServices(
        customer=customer,
        product_order=service("TMF622", PRODUCT_ORDER, ProductOrderRules(ctx)),
        cancel_product_order=service(
            "TMF622", CANCEL_PRODUCT_ORDER, CancelProductOrderRules(ctx)
        ),
        trouble_ticket=service("TMF621", TROUBLE_TICKET, tickets),
        customer_hub=hub("TMF629", CUSTOMER_HUB, [CUSTOMER]),
        product_order_hub=hub("TMF622", PRODUCT_ORDER_HUB, [PRODUCT_ORDER, CANCEL_PRODUCT_ORDER]),
        trouble_ticket_hub=hub("TMF621", TROUBLE_TICKET_HUB, [TROUBLE_TICKET]),
    )


def order_context(
    settings: Settings, catalog: ProductCatalog, inventory: ProductInventory,
    customers: ResourceService,
) -> OrderContext:
    return OrderContext(
        order_rules.Catalogue(catalog, settings.catalog_unknown_offerings),
        dict(settings.ordering), inventory, customers,
    )
