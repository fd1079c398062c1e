"""The resource types the gateway serves, and which of their attributes are indexed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Indexed columns every resource table has; each type maps some of its paths onto them.
INDEX_COLUMNS = ("type", "state", "date", "party_id", "label")


@dataclass(frozen=True)
class ResourceType:
    """One TMF resource: where it lives, what it is called, and what is indexed."""

    kind: str  # table name and internal key, e.g. "customer"
    path: str  # collection path segment, e.g. "customer"
    type_name: str  # default @type, and prefix of its events, e.g. "Customer"
    api_root: str  # e.g. "/tmf-api/customerManagement/v4"
    schema: str  # component schema of the full representation
    state_field: str | None = None
    state_event: str = "StateChangeEvent"  # TroubleTicket says StatusChangeEvent
    # the list recording each state move ({state|status, ...}); entries naming an item
    # (productOrderItemId) are moves of that item, not of the resource
    state_history: str | None = None
    indexed: dict[str, str] = field(default_factory=dict)  # attribute path -> column
    server_owned: tuple[str, ...] = ("id", "href")
    # state -> event suffix written whenever the resource enters that state (after its
    # StateChange event), e.g. a ticket entering `resolved` -> TroubleTicketResolvedEvent
    entry_events: dict[str, str] = field(default_factory=dict)

    def moves(self, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
        """The states the resource passed through from `old` to `new`, in order (one StateChange
        event each); just the new state when the resource keeps no history."""
        assert self.state_field is not None
        target = new.get(self.state_field)
        if not self.state_history:
            return [target]
        before = len(old.get(self.state_history) or [])
        moves = [
            entry.get(self.state_field) for entry in (new.get(self.state_history) or [])[before:]
            if isinstance(entry, dict) and "productOrderItemId" not in entry
        ]
        return moves if moves and moves[-1] == target else [target]

    @property
    def event_key(self) -> str:
        """The key of the resource inside an event's `event` object (camelCase)."""
        return self.type_name[0].lower() + self.type_name[1:]

    def href(self, base_url: str, resource_id: str) -> str:
        return f"{base_url}{self.api_root}/{self.path}/{resource_id}"


CUSTOMER = ResourceType(
    kind="customer",
    path="customer",
    type_name="Customer",
    api_root="/tmf-api/customerManagement/v4",
    schema="Customer",
    state_field="status",
    indexed={
        "@type": "type",
        "status": "state",
        "validFor.startDateTime": "date",
        "engagedParty.id": "party_id",
        "name": "label",
    },
)


def hub_type(api_root: str, kind: str) -> ResourceType:
    """Event subscriptions registered on one API's /hub."""
    return ResourceType(
        kind=kind,
        path="hub",
        type_name="EventSubscription",
        api_root=api_root,
        schema="EventSubscription",
        indexed={},
    )


CUSTOMER_HUB = hub_type(CUSTOMER.api_root, "customer_hub")


TROUBLE_TICKET = ResourceType(
    kind="trouble_ticket",
    path="troubleTicket",
    type_name="TroubleTicket",
    api_root="/tmf-api/troubleTicket/v4",
    schema="TroubleTicket",
    state_field="status",
    state_event="StatusChangeEvent",
    state_history="statusChange",
    entry_events={"resolved": "ResolvedEvent", "pending": "InformationRequiredEvent"},
    indexed={
        "@type": "type",
        "status": "state",
        "creationDate": "date",
        "externalId": "label",
    },
)

TROUBLE_TICKET_HUB = hub_type(TROUBLE_TICKET.api_root, "trouble_ticket_hub")

# Not served by any API: which tickets still have to be forwarded to the legacy ticket desk.
TICKET_DESK_LINK = ResourceType(
    kind="ticket_desk_link",
    path="ticketDeskLink",
    type_name="TicketDeskLink",
    api_root="/internal",
    schema="TicketDeskLink",
    state_field="state",
    indexed={"state": "state", "legacyId": "label"},
)


PRODUCT_ORDER = ResourceType(
    kind="product_order",
    path="productOrder",
    type_name="ProductOrder",
    api_root="/tmf-api/productOrderingManagement/v4",
    schema="ProductOrder",
    state_field="state",
    state_history="stateChange",
    indexed={"@type": "type", "state": "state", "orderDate": "date", "externalId": "label"},
    server_owned=(
        "id", "href", "orderDate", "stateChange", "productOrderJeopardyAlert",
        "productOrderErrorMessage", "fulfilment",
    ),
)

CANCEL_PRODUCT_ORDER = ResourceType(
    kind="cancel_product_order",
    path="cancelProductOrder",
    type_name="CancelProductOrder",
    api_root=PRODUCT_ORDER.api_root,
    schema="CancelProductOrder",
    state_field="state",
    indexed={"@type": "type", "state": "state", "productOrder.id": "label"},
)

PRODUCT_ORDER_HUB = hub_type(PRODUCT_ORDER.api_root, "product_order_hub")

# Not served as a collection: the customers' products of the built-in product inventory
# (products/stored.py), read through GET /customer/{id}/product.
PRODUCT = ResourceType(
    kind="product",
    path="product",
    type_name="Product",
    api_root="/tmf-api/productInventory/v4",
    schema="Product",
    state_field="status",
    indexed={"@type": "type", "status": "state", "startDate": "date",
             "productOffering.id": "label"},
)


# every resource type the gateway itself serves or keeps, in the order its APIs list them (the
# tables a store is opened and migrated with; a test holds this to the API tables)
BUILTIN: tuple[ResourceType, ...] = (
    CUSTOMER, CUSTOMER_HUB, PRODUCT_ORDER, CANCEL_PRODUCT_ORDER, PRODUCT_ORDER_HUB, PRODUCT,
    TROUBLE_TICKET, TROUBLE_TICKET_HUB, TICKET_DESK_LINK,
)
