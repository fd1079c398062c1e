"""The ports services depend on: small Protocols with no framework or driver imports, by concern
(storage, side data, southbound systems, products, notices); every name is re-exported here."""

from .catalog import Offering, ProductCatalog, ProductInventory
from .notify import Notifier
from .records import AuditEntry, Delivery, DeliveryAttempt, OutboxEvent, Page, Stored
from .side import (
    IN_PROGRESS,
    SIDE_PORTS,
    Access,
    AccessLog,
    CallbackLog,
    IdempotencyEntry,
    IdempotencyLog,
    KeyRecord,
    KeyStore,
    WorkClaims,
    require_side,
)
from .southbound import (
    AdapterState,
    CustomerDirectory,
    DirectoryEntry,
    FeasibilityCheck,
    HealthCheck,
    ItemUpdate,
    KeepsState,
    OrderFulfilment,
    OrderStatus,
    ResumableFeed,
    TicketDesk,
    TicketUpdate,
    UpdateCallback,
)
from .storage import (
    Audit,
    Cursors,
    Deliveries,
    DeliveryReads,
    Outbox,
    Resources,
    Store,
    UnitOfWork,
)

__all__ = [
    "IN_PROGRESS", "SIDE_PORTS", "Access", "AccessLog", "AdapterState", "Audit", "AuditEntry",
    "CallbackLog", "Cursors", "CustomerDirectory", "Deliveries", "Delivery", "DeliveryAttempt",
    "DeliveryReads", "DirectoryEntry", "FeasibilityCheck", "HealthCheck", "IdempotencyEntry",
    "IdempotencyLog", "ItemUpdate", "KeepsState", "KeyRecord", "KeyStore", "Notifier",
    "Offering", "OrderFulfilment", "OrderStatus", "Outbox", "OutboxEvent", "Page",
    "ProductCatalog", "ProductInventory", "Resources", "ResumableFeed", "Store", "Stored",
    "TicketDesk", "TicketUpdate", "UnitOfWork", "UpdateCallback", "WorkClaims", "require_side",
]
