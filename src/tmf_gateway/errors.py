"""The gateway's one exception hierarchy; every error a client sees is rendered from it.

    GatewayError                    500  anything unexpected that we still want as a TMF body
    ├── BadRequest                  400  malformed input the schema could not catch
    │   ├── InvalidQuery            400  a TMF630 query (filter, sort, fields, paging) we refuse
    │   └── InvalidResource         400  a resource that breaks a business rule or the schema
    ├── Unauthorized                401
    │   └── BadSignature            401  a southbound callback without its HMAC signature
    ├── Forbidden                   403
    ├── NotFound                    404
    ├── MethodNotAllowed            405
    ├── Conflict                    409
    │   ├── IllegalTransition       409  a lifecycle move the state machine forbids
    │   └── UpdateDeferred          409  a southbound update that cannot apply yet; kept, retried
    ├── PreconditionFailed          412  If-Match did not match the stored version
    ├── PayloadTooLarge             413  a request body over the `max_body_bytes` setting
    ├── UnsupportedMediaType        415
    ├── TooManyRequests             429
    ├── ConfigurationError          (start-up only: unknown plugin, bad setting)
    └── SouthboundError             502  a legacy system failed; adapters raise these, never
        ├── SouthboundUnavailable   503  their driver's own exceptions
        └── SouthboundRejected      422
"""

from __future__ import annotations

from typing import Any


class GatewayError(Exception):
    """Base of every error the gateway raises on purpose."""

    status = 500
    code = "ERR500"
    reason = "Internal error"

    def __init__(self, message: str = "", **details: Any) -> None:
        super().__init__(message or self.reason)
        self.message = message or self.reason
        self.details = details

    def to_body(self) -> dict[str, Any]:
        """The TMF `Error` body (code, reason, message, status, @type)."""
        return {
            "code": self.code,
            "reason": self.reason,
            "message": self.message,
            "status": str(self.status),
            "@type": "Error",
        }

    def headers(self) -> dict[str, str]:
        return {}


class BadRequest(GatewayError):
    status, code, reason = 400, "ERR400", "Bad request"


class InvalidQuery(BadRequest):
    code, reason = "ERR400-QUERY", "Invalid query"


class InvalidResource(BadRequest):
    code, reason = "ERR400-RESOURCE", "Invalid resource"


class Unauthorized(GatewayError):
    status, code, reason = 401, "ERR401", "Unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="tmf-gateway"'}


class BadSignature(Unauthorized):
    code, reason = "ERR401-SIGNATURE", "Bad signature"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'HMAC-SHA256 header="X-Signature"'}


class Forbidden(GatewayError):
    status, code, reason = 403, "ERR403", "Forbidden"


class NotFound(GatewayError):
    status, code, reason = 404, "ERR404", "Not found"


class MethodNotAllowed(GatewayError):
    status, code, reason = 405, "ERR405", "Method not allowed"

    def __init__(self, message: str = "", allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.allowed = allowed

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(self.allowed)} if self.allowed else {}


class Conflict(GatewayError):
    status, code, reason = 409, "ERR409", "Conflict"


class UpdateDeferred(Conflict):
    """The order keeps changing, or its cancellation is being decided: apply the update later."""

    code, reason = "ERR409-DEFERRED", "Update deferred"


class IllegalTransition(Conflict):
    code, reason = "ERR409-TRANSITION", "Illegal state transition"

    def __init__(self, field: str, current: str, requested: str, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none (final state)"
        super().__init__(
            f"{field} cannot change from '{current}' to '{requested}'; "
            f"allowed next states: {allowed_text}"
        )
        self.allowed = allowed


class PreconditionFailed(GatewayError):
    status, code, reason = 412, "ERR412", "Precondition failed"


class PayloadTooLarge(GatewayError):
    status, code, reason = 413, "ERR413", "Payload too large"


class UnsupportedMediaType(GatewayError):
    status, code, reason = 415, "ERR415", "Unsupported media type"


class TooManyRequests(GatewayError):
    status, code, reason = 429, "ERR429", "Too many requests"

    def __init__(self, message: str = "", retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ConfigurationError(GatewayError):
    code, reason = "ERR500-CONFIG", "Configuration error"


class SouthboundError(GatewayError):
    status, code, reason = 502, "ERR502", "Southbound system error"


class SouthboundUnavailable(SouthboundError):
    status, code, reason = 503, "ERR503", "Southbound system unavailable"


class SouthboundRejected(SouthboundError):
    status, code, reason = 422, "ERR422", "Rejected by southbound system"
