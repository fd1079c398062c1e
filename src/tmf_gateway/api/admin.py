"""Handlers of the event delivery admin API (/tmf-gateway/admin/v1): deliveries, replay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NotFound
from ..ports import Delivery, DeliveryAttempt
from ..services.directory import with_directory_lag
from .resources import Handler

if TYPE_CHECKING:
    from ..gateway import Gateway


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id, "eventSeq": d.event_seq, "eventId": d.event_id, "eventType": d.event_type,
        "subscriptionId": d.subscription_id, "hubKind": d.hub_kind, "callback": d.callback,
        "status": d.status, "attempts": d.attempts, "nextAttemptAt": d.next_attempt_at,
        "lastStatus": d.last_status, "lastError": d.last_error, "createdAt": d.created_at,
        "updatedAt": d.updated_at,
    }


def _attempt(a: DeliveryAttempt) -> dict[str, Any]:
    return {
        "deliveryId": a.delivery_id, "attempt": a.attempt, "at": a.at,
        "statusCode": a.status_code, "error": a.error, "durationMs": a.duration_ms,
    }


def admin_handlers(gateway: Gateway) -> dict[str, Handler]:
    def events() -> Any:
        return gateway.services.events

    def list_delivery(
        status: str | None = None, subscription: str | None = None, offset: int = 0,
        limit: int = 100, **_: Any,
    ) -> Any:
        return [_delivery(d) for d in events().deliveries(status, subscription, limit, offset)], 200

    def list_attempts(id: int, **_: Any) -> Any:
        return [_attempt(a) for a in events().attempts(int(id))], 200

    def replay_delivery(id: int, **_: Any) -> Any:
        return {"replayed": events().replay([int(id)])}, 200

    def replay_parked(subscription: str | None = None, **_: Any) -> Any:
        return {"replayed": events().replay(None, subscription)}, 200

    def backlog(**_: Any) -> Any:
        return with_directory_lag(gateway.services.customer_directory, events().backlog()), 200

    def quality_audit(**_: Any) -> Any:
        last = gateway.services.quality_audits.last()
        if last is None:
            raise NotFound("no data-quality audit has run yet (set audit_interval_seconds, or "
                           "run `tmf-gateway audit quality`)")
        return last, 200

    return {
        "retrieveQualityAudit": quality_audit,
        "listDelivery": list_delivery,
        "listDeliveryAttempt": list_attempts,
        "replayDelivery": replay_delivery,
        "replayParked": replay_parked,
        "retrieveBacklog": backlog,
    }
