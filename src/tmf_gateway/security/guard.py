"""Which scope each operation needs (derived from the specs), who is calling, and rate limits."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from .keys import KeyService, Principal
from .tokens import JwtVerifier

# the scope prefix of each API; GET needs <prefix>:read, every other method <prefix>:write
API_SCOPES = {
    "TMF629": "customer",
    "TMF622": "productOrder",
    "TMF621": "troubleTicket",
    "gateway-ops": "troubleTicket",  # fault notifications open tickets
    "gateway-admin": "admin",
}
SCHEMES = {
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
}


@dataclass(frozen=True)
class Operation:
    api: str
    operation_id: str
    scope: str
    customer_data: bool  # recorded in the access audit by customer id


def required_scope(api_name: str, method: str, path: str) -> str:
    prefix = API_SCOPES.get(api_name, "admin")
    if prefix == "admin":
        return "admin"
    if path.startswith("/hub"):
        return f"{prefix}:write"
    return f"{prefix}:{'read' if method.lower() == 'get' else 'write'}"


def operations(specs: dict[str, dict[str, Any]]) -> dict[tuple[str, str], Operation]:
    """(base path, operationId) -> Operation, for every operation of every served spec."""
    table = {}
    for api_name, spec in specs.items():
        base = spec["servers"][0]["url"]
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and "operationId" in op:
                    scope = required_scope(api_name, method, path)
                    customer = api_name == "TMF629" and not path.startswith("/hub")
                    table[(base, op["operationId"])] = Operation(
                        api_name, op["operationId"], scope, customer
                    )
    return table


def declare_schemes(spec: dict[str, Any], api_name: str) -> None:
    """Add the security schemes and per-operation requirements to a loaded spec (security on),
    so Swagger UI and Schemathesis know them; enforcement is the middleware's."""
    components = spec.setdefault("components", {})
    components["securitySchemes"] = {
        name: {**scheme, "x-tmf-gateway": "enforced by SecurityMiddleware"}
        for name, scheme in SCHEMES.items()
    }
    spec["security"] = [{"apiKey": []}, {"bearer": []}]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                op.setdefault("responses", {}).setdefault("401", {"description": "Unauthorized"})
                op["responses"].setdefault("403", {"description": "Forbidden"})
                op["x-required-scope"] = required_scope(api_name, method, path)


class RateLimiter:
    """A token bucket per client in this process: `rate` calls per second, `burst` at once."""

    def __init__(self, rate: float, burst: int, per_client: dict[str, float]) -> None:
        self.rate, self.burst, self.per_client = rate, burst, per_client
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """0 when the call may go ahead, else the seconds to wait."""
        rate = float(self.per_client.get(client, self.rate))
        if rate <= 0:
            return 0
        capacity = max(float(self.burst), 1.0)
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(client, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0
            self._buckets[client] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / rate))


class Authenticator:
    """API key (X-API-Key) or bearer JWT; blocking (store read, JWKS fetch): call off the loop."""

    def __init__(self, keys: KeyService, jwt: JwtVerifier | None) -> None:
        self.keys, self.jwt = keys, jwt

    def __call__(self, api_key: str | None, authorization: str | None) -> Principal | None:
        if api_key:
            return self.keys.verify(api_key)
        if authorization and self.jwt is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return self.jwt.verify(token.strip())
        return None
