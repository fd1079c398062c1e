"""Handlers of the gateway's own operations API (/tmf-gateway/v1): fault notifications and
customer export and southbound status callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..services.callback import SIGNATURE_HEADER, CallbackReceiver, SignatureCheck
from ..services.callback_log import for_store as signature_log
from ..services.fault import FaultService
from . import request
from .customer_export import export_handlers
from .resources import Handler

if TYPE_CHECKING:
    from ..gateway import Gateway


def ops_handlers(gateway: Gateway) -> dict[str, Handler]:
    tickets = gateway.services.resources.trouble_ticket
    faults = FaultService(gateway.store, tickets, gateway.inventory)

    def notify_fault(body: dict[str, Any], **_: Any) -> Any:
        result = faults.notify(body, request.caller(gateway.settings.public_url))
        return result, 200

    signatures = SignatureCheck(signature_log(gateway.store))  # shared by every process

    settings = gateway.settings
    receiver = CallbackReceiver(
        settings.southbound_fulfilment or settings.southbound,
        gateway.southbound.fulfilment,
        gateway.store,
        gateway.services.ordering.processor.apply_update,
        signatures,
    )

    def southbound_callback(adapter: str) -> Any:
        # the signature covers the raw bytes, not Connexion's decoded body
        raw = request.raw_body()
        return receiver.receive(adapter, raw, request.header(SIGNATURE_HEADER)), 200

    return {
        "createFaultNotification": notify_fault,
        "createSouthboundCallback": southbound_callback,
        **export_handlers(gateway),
    }
