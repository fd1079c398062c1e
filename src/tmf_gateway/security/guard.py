"""Which scope each operation needs (derived from the specs), and who is calling."""

from __future__ import annotations

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
# an operation carrying this extension authenticates its callers itself (southbound callbacks)
OWN_AUTH = "x-tmf-gateway-auth"
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


def required_scope(
    api_name: str, method: str, path: str, operation: dict[str, Any] | None = None
) -> str:
    """The scope an operation needs: its spec's `x-required-scope` when it names one (e.g. the
    export, which must not come with `customer:read`), else by API and method."""
    declared = (operation or {}).get("x-required-scope")
    if declared:
        return str(declared)
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
                    if op.get(OWN_AUTH):
                        continue  # the handler authenticates the caller (e.g. a signature)
                    scope = required_scope(api_name, method, path, op)
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
            if isinstance(op, dict) and op.get(OWN_AUTH):
                op["security"] = []  # neither API key nor token: its own signature scheme
            elif isinstance(op, dict) and "operationId" in op:
                op.setdefault("responses", {}).setdefault("401", {"description": "Unauthorized"})
                op["responses"].setdefault("403", {"description": "Forbidden"})
                op["x-required-scope"] = required_scope(api_name, method, path, op)


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
