"""ASGI middlewares: authenticate, check the scope, rate-limit and log each call; headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import Forbidden, TooManyRequests, Unauthorized
from .access import LISTS, counting, entries
from .guard import Authenticator, Operation
from .keys import Principal
from .ratelimit import RateLimiter
from .storage import SecurityStore

CONTEXT = "tmf_gateway_security"  # our key in the ASGI scope's extensions
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


class Guard:
    """What the security middleware needs, built once by the app factory."""

    def __init__(
        self,
        operations: dict[tuple[str, str], Operation],
        authenticate: Authenticator,
        limiter: RateLimiter,
        log: SecurityStore,
    ) -> None:
        self.operations, self.authenticate, self.limiter, self.log = (
            operations, authenticate, limiter, log,
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class SecurityMiddleware:
    """After routing, before Connexion's own security step (which it feeds with the client)."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        operation = self.guard.operations.get(
            (routing.get("api_base_path"), routing.get("operation_id"))
        )
        if scope["type"] != "http" or operation is None:
            await self.app(scope, receive, send)
            return
        client = "anonymous"
        call, seen = counting(self.app, scope, receive, send, operation.operation_id in LISTS)
        try:
            principal = await anyio.to_thread.run_sync(
                self.guard.authenticate,
                _header(scope, b"x-api-key"),
                _header(scope, b"authorization"),
            )
            if principal is None:
                raise Unauthorized("valid credentials are required (X-API-Key or bearer token)")
            client = principal.client
            if not principal.allows(operation.scope):
                raise Forbidden(f"this operation needs the scope '{operation.scope}'")
            limiter = self.guard.limiter
            wait = (
                await anyio.to_thread.run_sync(limiter.retry_after, client)
                if limiter.shared else limiter.retry_after(client)
            )
            if wait:
                raise TooManyRequests(f"rate limit of client '{client}' reached", wait)
            _remember(scope, principal)
            await call
        except Exception as exc:
            seen["status"] = _status_of(exc)
            raise
        finally:
            call.close()  # never awaited when the caller was refused
            body = b"".join(seen["body"]) if seen["body"] is not None else None
            found = entries(client, operation, scope, seen["status"], seen["sent"], body)
            await anyio.to_thread.run_sync(self.guard.log.append_many, found)


def _status_of(error: Exception) -> int:
    """The status the error renderer will answer with, for the access log: ours, Connexion's
    problems (e.g. a 400 from request validation) and Starlette's HTTP errors carry one."""
    for attribute in ("status", "status_code"):
        value = getattr(error, attribute, None)
        if isinstance(value, int) and 400 <= value < 600:
            return value
    return 500


def _remember(scope: Scope, principal: Principal) -> None:
    scope.setdefault("extensions", {})[CONTEXT] = {
        "sub": principal.client,
        "scopes": sorted(principal.scopes),
    }


class EnforcedScheme:
    """Connexion's security handler for our schemes: SecurityMiddleware has already checked
    the credentials; this hands its client to Connexion's context (`user`, `token_info`)."""

    def get_fn(self, security_scheme: dict[str, Any], required_scopes: Any) -> Callable:
        def verified(request: Any) -> dict[str, Any]:
            return dict(request.scope.get("extensions", {}).get(CONTEXT, {"sub": "anonymous"}))

        return verified


class HeadersMiddleware:
    """Security headers on every response, errors included (outermost)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Swagger UI pages may be cached; API answers carry customer data and must not be
        no_store = "/ui" not in scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                extra = [*SECURITY_HEADERS, *([(b"cache-control", b"no-store")] * no_store)]
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
