"""The app factory: the one composition root that builds stores, services and the HTTP app."""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import connexion
import yaml
from connexion.resolver import Resolver

from . import console, plugins, southbound
from .api import errors as api_errors
from .api import frameworks
from .api.registry import API_TABLE, OPS_TABLE, ApiDefinition
from .api.streaming import validator_map
from .catalog import load_catalog
from .config import Settings, load_settings
from .domain.resources import ResourceType
from .errors import ConfigurationError
from .events.dispatcher import HubRoute
from .events.setup import build_dispatcher
from .gateway import Gateway
from .inventory import scheduled as scheduled_audits
from .ops import setup as ops_setup
from .ports import Store
from .products import load_inventory
from .security import setup as security
from .services import notices
from .southbound import load_adapter
from .specs import SPEC_DIR

log = logging.getLogger(__name__)




def load_spec(path: Path | Traversable) -> dict[str, Any]:
    with path.open() as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def open_store(settings: Settings, resources: list[ResourceType]) -> Store:
    """The configured store; a SQL one is brought to the newest schema revision first (or, with
    `migrate_on_start` off, start-up stops when it is behind)."""
    store_class = plugins.load(plugins.STORAGE_GROUP, settings.store)
    store = store_class.from_url(settings.database_url, resources)
    migrate = getattr(store, "migrate", None)  # the memory store needs no migrations
    if migrate is not None:
        try:
            applied = migrate(apply=settings.migrate_on_start)
        except BaseException:
            store.close()
            raise
        for step in applied:
            log.info("schema migration %s applied: %s", step.revision, step.description)
    return store


def create_app(
    settings: Settings | None = None, store: Store | None = None,
    spec_dir: Path | Traversable | None = None,
    tracer_provider: Any = None,
) -> connexion.AsyncApp | connexion.FlaskApp:
    """Build the gateway, served by the Connexion app class `settings.app` names (api/
    frameworks.py); nothing is opened or started before this is called."""
    settings = settings or load_settings()
    spec_dir = spec_dir or SPEC_DIR
    apis: list[ApiDefinition] = [*API_TABLE, *OPS_TABLE]  # type: ignore[list-item]
    resources = [rt for api in apis for rt in api.resource_types()]
    if store is None:
        store = open_store(settings, resources)
    gateway = Gateway(settings, store, load_adapter(settings), catalog=load_catalog(settings),
                      inventory=load_inventory(settings, store))
    southbound.bind_state(gateway.southbound, store)
    ops = ops_setup.build(gateway, tracer_provider)  # wraps the store and adapters first

    app = frameworks.build(settings, ops_setup.lifespan(gateway))
    limiter = frameworks.thread_limiter(settings)
    allowed = api_errors.AllowedMethods()
    for api in apis:
        spec = load_spec(spec_dir / api.spec_file)
        gateway.specs[api.name] = spec
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
    security.install(app, gateway)
    ops_setup.install(app, ops)
    for exc_class, handler in api_errors.middleware_handlers(allowed).items():
        app.add_error_handler(exc_class, handler)
    _quiet_connexion_logs()
    dispatcher = build_dispatcher(settings, store, _hub_routes(apis, gateway))
    gateway.services["events"] = dispatcher
    gateway.runner.every(settings.dispatch_interval, "events", dispatcher.pump)
    scheduled_audits.install(gateway)
    notices.install(gateway)
    if isinstance(app, connexion.FlaskApp):
        app.app.extensions["tmf_gateway"] = gateway  # for Flask extensions mounted on it
    if settings.console:
        frameworks.mount(app, console.PREFIX, console.asgi_app(gateway))
    app.gateway = gateway  # type: ignore[attr-defined]
    if settings.background:
        gateway.runner.start()
    return app


def _hub_routes(apis: list[ApiDefinition], gateway: Gateway) -> dict[str, HubRoute]:
    """Each resource kind's events go to its own API's hub subscriptions only."""
    routes = {}
    for api in apis:
        hub = getattr(api, "hub", None)  # APIs of our own (admin, ops) have no hub
        for collection in getattr(api, "collections", ()):
            event_filter = gateway.services[hub.kind].event_filter
            routes[collection.resource.kind] = HubRoute(hub.kind, api.name, event_filter)
    return routes


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
