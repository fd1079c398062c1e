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


# OAuth2 needs a token URL; the gateway only verifies tokens, so this names the role to fill
TOKEN_URL = "https://identity-provider.example/oauth2/token"


def scopes_used(spec: dict[str, Any], api_name: str) -> list[str]:
    """Every scope an operation of the spec needs (what a client must ask its token for)."""
    return sorted({
        required_scope(api_name, method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op and not op.get(OWN_AUTH)
    })


def _scope_text(scope: str) -> str:
    prefix, _, access = scope.partition(":")
    return f"{access or 'full'} access to {prefix}" if prefix != "admin" else "gateway admin"


def security_schemes(spec: dict[str, Any], api_name: str) -> dict[str, Any]:
    """The schemes a spec declares, on or off: API key, bearer JWT, and OAuth2 client
    credentials listing the scopes its operations need (a JWT carries them in `scope`)."""
    scopes = {scope: _scope_text(scope) for scope in scopes_used(spec, api_name)}
    oauth2 = {
        "type": "oauth2",
        "description": "A JWT from your identity provider (the gateway's security_jwt_issuer), "
        "sent as a bearer token; the token URL is that provider's.",
        "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": scopes}},
    }
    return {**SCHEMES, "oauth2": oauth2}


def declare_schemes(spec: dict[str, Any], api_name: str) -> None:
    """Declare the schemes and per-operation requirements in a loaded spec (security on),
    so Swagger UI and Schemathesis know them; enforcement is the middleware's."""
    components = spec.setdefault("components", {})
    components["securitySchemes"] = {
        name: {**scheme, "x-tmf-gateway": "enforced by SecurityMiddleware"}
        for name, scheme in security_schemes(spec, api_name).items()
    }
    spec["security"] = [{"apiKey": []}, {"bearer": []}]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get(OWN_AUTH):
                op["security"] = []  # neither API key nor token: its own signature scheme
            elif isinstance(op, dict) and "operationId" in op:
                op.setdefault("responses", {}).setdefault("401", {"description": "Unauthorized"})
                op["responses"].setdefault("403", {"description": "Forbidden"})
                scope = required_scope(api_name, method, path, op)
                op["x-required-scope"] = scope
                op["security"] = [{"apiKey": []}, {"bearer": []}, {"oauth2": [scope]}]


def declare_security_off(spec: dict[str, Any], api_name: str) -> None:
    """Keep the schemes declared (clients generated from the spec know them) but say that this
    server requires none: no requirement anywhere, and a note in `info`."""
    spec.setdefault("components", {})["securitySchemes"] = security_schemes(spec, api_name)
    spec["security"] = []
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                op.pop("security", None)
    info = spec.setdefault("info", {})
    info["x-tmf-gateway-security"] = "off"
    info["description"] = (
        f"{info.get('description', '').rstrip()} Security is off on this server: no credentials "
        "are needed (the declared schemes apply when it is on)."
    ).strip()


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
