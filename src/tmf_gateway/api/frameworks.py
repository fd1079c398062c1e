"""The two Connexion app classes the gateway is served by: AsyncApp (default) and FlaskApp.

Both serve the same handlers, built once by the API table (api/registry.py); only what differs
between the classes lives here. Handlers are plain functions that block on the store and on
southbound adapters, so under AsyncApp each runs in a worker thread, at most `threads` at a time
per process (a bounded pool of our own, never the event loop, never anyio's shared default).
Under FlaskApp the same bound is api/bridge.py's pool.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

import anyio
import connexion
import flask
from connexion.jsonifier import Jsonifier

from .. import jsoncodec
from ..config import Settings
from ..errors import GatewayError, NotFound
from . import errors as api_errors
from .bridge import BufferedWSGIBridge

log = logging.getLogger(__name__)

APP_CLASSES = ("async", "flask")


class _CompactJson:
    """Compact, fast JSON for Connexion's jsonifier (it pretty-prints by default)."""

    @staticmethod
    def dumps(data: Any, **_: Any) -> str:
        return jsoncodec.dumps(data)

    @staticmethod
    def loads(data: str | bytes) -> Any:
        return jsoncodec.loads(data)


def build(settings: Settings, lifespan: Any) -> Any:
    """The Connexion app of the class `settings.app` names, without APIs yet."""
    options: dict[str, Any] = {
        "lifespan": lifespan,
        "jsonifier": Jsonifier(_CompactJson),
        "validate_responses": settings.validate_responses,
        "strict_validation": False,
    }
    if settings.app == "flask":
        app = connexion.FlaskApp(__name__, **options)
        # one thread hand-off per request instead of a2wsgi's one per message (api/bridge.py)
        app._middleware_app.asgi_app = BufferedWSGIBridge(app.app.wsgi_app, settings.threads)
        _install_flask_errors(app.app)
        return app
    return connexion.AsyncApp(__name__, **options)


def adapt_handlers(app: Any, handlers: dict[str, Callable[..., Any]], limiter: Any) -> dict[
    str, Callable[..., Any]
]:
    """The handlers as `app` should call them: under AsyncApp a blocking (sync) one runs in
    the bounded pool; FlaskApp already runs them in its own threads."""
    if isinstance(app, connexion.FlaskApp):
        return handlers
    return {
        op: fn if inspect.iscoroutinefunction(fn) else in_thread(fn, limiter)
        for op, fn in handlers.items()
    }


def thread_limiter(settings: Settings) -> anyio.CapacityLimiter:
    return anyio.CapacityLimiter(settings.threads)


def in_thread(fn: Callable[..., Any], limiter: anyio.CapacityLimiter) -> Callable[..., Any]:
    """`fn` as a coroutine function running it in a worker thread, `limiter` bounding how many
    at once; the request's context (Connexion's, ours) goes with it. Connexion reads the
    signature through `__wrapped__`, so the arguments it passes are unchanged."""

    @functools.wraps(fn)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs), limiter=limiter
        )

    return run


def mount(app: Any, path: str, asgi_app: Any) -> None:
    """Serve another ASGI app (the console, say) under `path`, under either app class, behind
    the same middleware as the APIs (request guard, security, request log, metrics)."""
    from starlette.routing import Router

    if isinstance(app, connexion.FlaskApp):
        # the bridge to Flask answers whatever the mounted app does not
        router = Router(default=app._middleware_app.asgi_app)
        router.mount(path, asgi_app)
        app._middleware_app.asgi_app = router
    else:
        app._middleware_app.router.mount(path, asgi_app)


def _install_flask_errors(flask_app: flask.Flask) -> None:
    @flask_app.before_request
    def _only_routed_requests() -> flask.Response | None:
        # A view runs only for a request Connexion routed to an operation, so only after the
        # security middleware saw it: Flask's own router is laxer (control characters, merged
        # slashes, trailing-slash redirects), and what only it matches is not there.
        scope = flask.request.environ.get("asgi.scope", {})
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        if routing.get("operation_id") is None:
            return api_errors.flask_response(NotFound("no resource at this path"))
        return None

    @flask_app.errorhandler(GatewayError)
    def _gateway_error(error: GatewayError) -> flask.Response:
        return api_errors.flask_response(error)

    @flask_app.errorhandler(Exception)
    def _unexpected(error: Exception) -> flask.Response:
        if isinstance(error, UnicodeDecodeError):
            return api_errors.flask_response(GatewayError("request is not valid UTF-8"))
        log.exception("unexpected error in a handler", exc_info=error)
        return api_errors.flask_response(GatewayError("the gateway failed on this request"))
