"""Handlers for /hub: register, look up and remove event listeners."""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..services.hub import HubService
from . import request
from .resources import Handler


def hub_handlers(service: HubService, settings: Settings) -> dict[str, Handler]:
    def register(body: dict[str, Any]) -> Any:
        caller = request.caller(settings.public_url)
        doc = service.register(body, caller)
        return doc, 201, {"Location": service.location(caller, doc["id"])}

    def get(id: str) -> Any:
        return service.get(id, request.caller(settings.public_url)), 200

    def unregister(id: str) -> Any:
        service.unregister(id, request.caller(settings.public_url))
        return None, 204

    return {"registerListener": register, "getListener": get, "unregisterListener": unregister}
