"""Security per settings: the parts bootstrap() builds (key store, idempotency log,
authenticator) and the middlewares app.py installs (access log, or authentication, scopes and
rate limits with security on)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connexion.middleware import MiddlewarePosition

from ..errors import ConfigurationError
from .access import AccessLogMiddleware
from .guard import Authenticator, declare_schemes, declare_security_off, operations
from .keys import KeyService
from .middleware import EnforcedScheme, Guard, SecurityMiddleware
from .ratelimit import RateLimiter
from .storage import SecurityStore
from .tokens import JwtVerifier, client_grants

if TYPE_CHECKING:
    import connexion

    from ..config import Settings


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


def build_authenticator(settings: Settings, store: SecurityStore) -> Authenticator | None:
    """API keys and (with `security_jwks`) JWT bearer tokens; None with security off."""
    if not enabled(settings):
        return None
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
    return Authenticator(KeyService(store), verifier)


def install(
    app: connexion.FlaskApp, settings: Settings, specs: dict[str, dict[str, Any]],
    store: SecurityStore, authenticator: Authenticator | None,
) -> None:
    """The access log always; authentication, scopes and rate limits only with security on."""
    if authenticator is None:
        # no authentication, but access to customer data is still logged (docs/security.md)
        app.add_middleware(AccessLogMiddleware, position=MiddlewarePosition.BEFORE_SECURITY,
                           operations=operations(specs), log=store)
        return
    guard = Guard(
        operations(specs),
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
