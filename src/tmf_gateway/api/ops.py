"""Handlers of the gateway's own operations API (/tmf-gateway/v1): fault notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.resources import TROUBLE_TICKET
from ..services.fault import FaultService
from . import request
from .resources import Handler

if TYPE_CHECKING:
    from ..app import Gateway


def ops_handlers(gateway: Gateway) -> dict[str, Handler]:
    def fault_service() -> FaultService:
        # built on first use: the TMF621 and TMF622 services are registered by then
        return FaultService(
            gateway.store,
            gateway.services[TROUBLE_TICKET.kind],
            lambda: "product_order" in gateway.services,
        )

    def notify_fault(body: dict[str, Any], **_: Any) -> Any:
        result = fault_service().notify(body, request.caller(gateway.settings.public_url))
        return result, 200

    return {"createFaultNotification": notify_fault}
