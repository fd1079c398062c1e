"""The app factory: bootstrap() builds the gateway, this serves it over HTTP with Connexion."""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import connexion
from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolver

from . import console
from .api import errors as api_errors
from .api import frameworks
from .api.guard import RequestGuard
from .api.idempotency import IdempotencyMiddleware
from .api.registry import API_TABLE, OPS_TABLE, ApiDefinition, OpsApiDefinition
from .api.streaming import validator_map
from .bootstrap import bootstrap
from .config import Settings, load_settings
from .errors import ConfigurationError
from .gateway import Gateway
from .ops import setup as ops_setup
from .ports import Store
from .security import setup as security
from .security.middleware import HeadersMiddleware

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None, store: Store | None = None,
    spec_dir: Path | Traversable | None = None,
    tracer_provider: Any = None, **overrides: Any,
) -> connexion.AsyncApp | connexion.FlaskApp:
    """Build the gateway (bootstrap(); `overrides` are its keyword arguments, e.g. `adapter`),
    served by the Connexion app class `settings.app` names (api/frameworks.py); nothing is
    opened or started before this is called."""
    gateway = bootstrap(settings or load_settings(), store=store, spec_dir=spec_dir,
                        tracer_provider=tracer_provider, **overrides)
    try:
        return serve(gateway)
    except BaseException:
        gateway.services.events.close()
        if store is None:
            gateway.store.close()
        raise


def serve(gateway: Gateway) -> connexion.AsyncApp | connexion.FlaskApp:
    """The Connexion app for a built gateway: one API per spec, handler tables from its
    services, the middlewares, the error handlers and the console."""
    settings = gateway.settings
    app = frameworks.build(settings, ops_setup.lifespan(gateway))
    limiter = frameworks.thread_limiter(settings)
    allowed = api_errors.AllowedMethods()
    apis: list[ApiDefinition | OpsApiDefinition] = [*API_TABLE, *OPS_TABLE]
    for api in apis:
        spec = gateway.specs[api.name]
        handlers = api.build_handlers(spec, gateway)
        allowed.add_spec(spec["servers"][0]["url"], spec)
        missing = {
            op["operationId"]
            for item in spec["paths"].values()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        } - set(handlers)
        if missing:
            raise ConfigurationError(f"{api.spec_file}: no handler for {sorted(missing)}")
        served = frameworks.adapt_handlers(app, handlers, limiter)
        app.add_api(
            spec,
            resolver=Resolver(function_resolver=served.__getitem__),
            validator_map=validator_map(),
            **security.api_options(settings, spec, api.name),
        )
    _install_middlewares(app, gateway)
    for exc_class, handler in api_errors.middleware_handlers(allowed).items():
        app.add_error_handler(exc_class, handler)
    _quiet_connexion_logs()
    if isinstance(app, connexion.FlaskApp):
        app.app.extensions["tmf_gateway"] = gateway  # for Flask extensions mounted on it
    if settings.console:
        frameworks.mount(app, console.PREFIX, console.asgi_app(gateway))
    app.gateway = gateway  # type: ignore[attr-defined]
    if settings.background:
        gateway.runner.start()
    return app


def _install_middlewares(app: Any, gateway: Gateway) -> None:
    """Headers, request hygiene (api/guard.py) and idempotent retries always; the access log,
    or authentication, scopes and rate limits (security on); metrics, logs and traces."""
    settings, parts = gateway.settings, gateway.services.security
    app.add_middleware(HeadersMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        RequestGuard,
        position=MiddlewarePosition.BEFORE_ROUTING,
        max_body=settings.max_body_bytes,
        max_depth=settings.max_json_depth,
        max_filter_values=settings.max_filter_values,
    )
    app.add_middleware(
        IdempotencyMiddleware,
        position=MiddlewarePosition.BEFORE_VALIDATION,
        log=parts.idempotency,
        ttl=settings.idempotency_ttl,
    )
    security.install(app, settings, gateway.specs, parts.store, parts.authenticator)
    ops_setup.install(app, gateway.operations)


class _ChosenContentType(logging.Filter):
    """Connexion warns on every request to an operation that accepts several media types (each
    PATCH: merge and JSON patch) that it picked one. That is our design, not a problem: a
    WARNING line per PATCH would bury real ones, and emitting it cost a sixth of a PATCH's CPU."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("this operation accepts multiple content types")


def _quiet_connexion_logs() -> None:
    logger = logging.getLogger("connexion.operations.openapi3")
    if not any(isinstance(f, _ChosenContentType) for f in logger.filters):
        logger.addFilter(_ChosenContentType())
