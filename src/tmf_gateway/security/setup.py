"""Wiring for the app factory: the schemes in the specs and the middlewares, per settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connexion.middleware import MiddlewarePosition

from ..api.guard import RequestGuard
from ..api.idempotency import IdempotencyMiddleware
from ..errors import ConfigurationError
from ..services.idempotency import for_store as idempotency_log
from .access import AccessLogMiddleware
from .guard import Authenticator, declare_schemes, declare_security_off, operations
from .keys import KeyService
from .middleware import (
    EnforcedScheme,
    Guard,
    HeadersMiddleware,
    SecurityMiddleware,
)
from .ratelimit import RateLimiter
from .storage import for_store
from .tokens import JwtVerifier, client_grants

if TYPE_CHECKING:
    import connexion

    from ..config import Settings
    from ..gateway import Gateway


def enabled(settings: Settings) -> bool:
    if settings.security not in ("on", "off"):
        raise ConfigurationError(f"security must be 'on' or 'off', not '{settings.security}'")
    return settings.security == "on"


def api_options(settings: Settings, spec: dict[str, Any], api_name: str) -> dict[str, Any]:
    """Extra `add_api` arguments; the spec declares our schemes, and whether they are required."""
    if not enabled(settings):
        declare_security_off(spec, api_name)
        return {}
    declare_schemes(spec, api_name)
    return {
        "security_map": {"apiKey": EnforcedScheme, "bearer": EnforcedScheme,
                         "oauth2": EnforcedScheme}
    }


def install(app: connexion.FlaskApp, gateway: Gateway) -> None:
    """Headers, request hygiene (api/guard.py) and the access log always; authentication,
    scopes and rate limits only with security on."""
    settings = gateway.settings
    app.add_middleware(HeadersMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        RequestGuard,
        position=MiddlewarePosition.BEFORE_ROUTING,
        max_body=settings.max_body_bytes,
        max_depth=settings.max_json_depth,
        max_filter_values=settings.max_filter_values,
    )
    keys = idempotency_log(gateway.store)
    gateway.services["idempotency"] = keys
    app.add_middleware(
        IdempotencyMiddleware,
        position=MiddlewarePosition.BEFORE_VALIDATION,
        log=keys,
        ttl=settings.idempotency_ttl,
    )
    store = for_store(gateway.store)
    gateway.services["security_store"] = store
    if not enabled(settings):
        # no authentication, but access to customer data is still logged (docs/security.md)
        app.add_middleware(AccessLogMiddleware, position=MiddlewarePosition.BEFORE_SECURITY,
                           operations=operations(gateway.specs), log=store)
        return
    grants = client_grants(settings.client_scopes)
    if grants and not settings.security_jwks:
        raise ConfigurationError("client_scopes apply to JWT clients: set security_jwks too")
    verifier = (
        JwtVerifier(
            settings.security_jwks,
            settings.security_jwt_issuer,
            settings.security_jwt_audience,
            grants,
        )
        if settings.security_jwks
        else None
    )
    authenticator = Authenticator(KeyService(store), verifier)
    gateway.services["authenticator"] = authenticator  # the ops console signs people in with it
    guard = Guard(
        operations(gateway.specs),
        authenticator,
        RateLimiter(
            settings.rate_limit,
            settings.rate_limit_burst,
            settings.rate_limits,
            settings.rate_limit_storage,
        ),
        store,
    )
    app.add_middleware(SecurityMiddleware, position=MiddlewarePosition.BEFORE_SECURITY, guard=guard)
