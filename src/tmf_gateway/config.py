"""Settings from `TMF_GATEWAY_*` environment variables (and an optional TOML file)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigurationError

PREFIX = "TMF_GATEWAY_"


@dataclass(frozen=True)
class Settings:
    """Every setting of the gateway; docs/configuration.md is generated from this class and the
    comment on (or just above) each field (python -m tmf_gateway.config_docs)."""

    store: str = "sqlite"  # storage plugin: sqlite | postgresql | memory (or an installed one)
    database_url: str = "sqlite:///var/tmf-gateway.db"  # SQLAlchemy URL of the SQL store
    southbound: str = "simulator"  # southbound adapter plugin (docs/adapters.md)
    # a capability from another adapter than `southbound` ("" = that one); docs/adapters.md
    southbound_fulfilment: str = ""  # adapter for order fulfilment ("" = `southbound`)
    southbound_feasibility: str = ""  # adapter for feasibility checks ("" = `southbound`)
    southbound_ticket_desk: str = ""  # adapter for the ticket desk ("" = `southbound`)
    southbound_customer_directory: str = ""  # adapter for the CRM ("" = `southbound`)
    # items to other adapters: {offerings = {<offering id> = <adapter>}, partners = {<party id>
    # = <adapter>}}; one order, a request to each (docs/adapters.md); TOML only
    fulfilment_routes: dict[str, Any] = field(default_factory=dict)
    # SMTP server for order notices to customers (acknowledged, jeopardy, completed;
    # docs/ordering.md); "" = no notices
    smtp_host: str = ""
    smtp_port: int = 25  # port of `smtp_host`
    notice_sender: str = "tmf-gateway@localhost"  # From: address of the order notices
    # seconds between data-quality audits of the customer inventory (a background job; the
    # last result at GET /tmf-gateway/admin/v1/qualityAudit); 0 = only `tmf-gateway audit`
    audit_interval_seconds: float = 0.0
    # trouble ticket channels (channel id or name) meaning the customer reported the problem:
    # such a ticket must name its customer (docs/trouble-tickets.md); comma-separated
    ticket_customer_channels: str = "self-service,web,app,phone,email,shop,chat"
    host: str = "127.0.0.1"  # address `serve` listens on
    port: int = 8080  # port `serve` listens on
    workers: int = 1  # server processes of `serve`
    # Connexion app class `serve` runs: async (AsyncApp) or flask (FlaskApp, to mount Flask
    # extensions); both serve the same handlers (docs/performance.md)
    app: str = "async"
    threads: int = 10  # handler threads per server process (blocking store and adapter calls)
    # scheme and host used in `href` and `Location`, e.g. https://api.example.com ("" = from the
    # request)
    public_url: str = ""
    validate_responses: bool = False  # check every response against the spec (tests)
    default_limit: int = 100  # list page size when the client names no `limit`
    max_limit: int = 1000  # largest page: a larger `limit` is clamped to it (X-Result-Limit)
    fields_keep_identity: bool = False  # `fields=a` also returns id, href and @type
    background: bool = True  # run background jobs in this process (off in unit tests)
    # on start, bring a SQL store's schema to the newest revision; false stops start-up while it
    # is behind, for `tmf-gateway migrate` to run first (docs/deployment.md)
    migrate_on_start: bool = True
    # options of the adapters, `[tmf_gateway.southbound_options]` (docs/adapters.md); TOML only
    southbound_options: dict[str, Any] = field(default_factory=dict)
    # TMF622 order handling: catalogue rules, jeopardy, poll intervals (docs/ordering.md);
    # TOML only
    ordering: dict[str, Any] = field(default_factory=dict)
    # product catalog (docs/ordering.md): file (a YAML file) or tmf620 (a TMF620 server)
    catalog: str = "file"
    catalog_file: str = ""  # the YAML catalog ("" = the example shipped with the gateway)
    # TMF620 base URL for catalog=tmf620, e.g. http://catalog/tmf-api/productCatalogManagement/v4
    catalog_url: str = ""
    # an offering the catalog does not have: refuse (the order is rejected) or pass (sent on
    # without rules, to a southbound system that validates offerings itself)
    catalog_unknown_offerings: str = "refuse"
    # where customers' products are kept (docs/ordering.md): store (the gateway's own store) or
    # tmf637 (a TMF637 server)
    product_inventory: str = "store"
    # TMF637 base URL for product_inventory=tmf637, e.g. http://inv/tmf-api/productInventory/v4
    product_inventory_url: str = ""
    # event delivery (docs/events.md)
    delivery_timeout: float = 5.0  # seconds per POST to a listener
    delivery_max_attempts: int = 8  # attempts per event and subscription, then it is parked
    delivery_backoff_base: float = 1.0  # seconds before the 2nd attempt, doubling each time
    delivery_backoff_max: float = 300.0  # ceiling of one backoff delay
    delivery_concurrency: int = 8  # listeners posted to at the same time, per process
    dispatch_interval: float = 0.2  # seconds between dispatcher polls of the outbox
    # also publish every event to this broker, e.g. amqp://guest:guest@127.0.0.1:5672/ (amqp
    # extra; docs/events.md)
    broker_url: str = ""
    # security (docs/security.md): off for a first look, on in production.
    # on: every operation needs an API key or JWT with its scope; access log, rate limits
    security: str = "off"
    security_jwks: str = ""  # JWKS file path or https URL; empty = API keys only
    security_jwt_issuer: str = ""  # the `iss` a JWT must carry ("" = not checked)
    security_jwt_audience: str = ""  # the `aud` a JWT must carry ("" = not checked)
    rate_limit: float = 0.0  # calls per second per client (security on); 0 = no limit
    rate_limit_burst: int = 20  # calls a client may make at once above its rate
    rate_limits: dict[str, Any] = field(default_factory=dict)  # client -> calls/s; TOML only
    # JWT client id -> the scopes the gateway grants it, replacing the token's; TOML only
    client_scopes: dict[str, Any] = field(default_factory=dict)
    # where calls are counted (`limits` storage URI): memory:// per process;
    # redis://127.0.0.1:6379 shared by every worker (redis extra)
    rate_limit_storage: str = "memory://"
    max_body_bytes: int = 1_048_576  # larger request bodies get 413; 0 = no limit
    max_json_depth: int = 100  # deeper JSON bodies get 400 (api/guard.py)
    max_filter_values: int = 500  # values in one query's filters; more get 400
    idempotency_ttl: float = 86_400.0  # seconds an Idempotency-Key is remembered
    # operations (docs/deployment.md)
    log_level: str = "info"  # level of the gateway's and uvicorn's logs
    log_format: str = "json"  # json: one object a line, for log shippers; text: for people
    shutdown_timeout: float = 20.0  # seconds in-flight requests get to finish after SIGTERM
    # OpenTelemetry span export: otlp (to the collector the OTEL_EXPORTER_OTLP_* variables
    # name) or console; otel extra (docs/deployment.md)
    tracing: str = "off"
    # ops console at /console/ (docs/console.md)
    console: bool = True  # serve the ops console at /console/
    # key that signs console session cookies; set the same one on every gateway process
    # ("" = a random key per process: sign-ins then last until that process restarts)
    console_secret_key: str = ""
    console_session_seconds: int = 28800  # a console sign-in lasts this long

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **overrides)


CHOICES = {
    "app": ("async", "flask"),
    "catalog": ("file", "tmf620"),
    "catalog_unknown_offerings": ("refuse", "pass"),
    "product_inventory": ("store", "tmf637"),
    "security": ("off", "on"),
    "log_level": ("debug", "info", "warning", "error"),
    "log_format": ("json", "text"),
    "tracing": ("off", "console", "otlp"),
}
AT_LEAST_ONE = {
    "workers", "threads", "default_limit", "max_limit", "delivery_max_attempts",
    "delivery_concurrency", "rate_limit_burst", "console_session_seconds",
}
KINDS = {bool: "true or false", int: "an integer", float: "a number", str: "text", dict: "a table"}
ABOVE_ZERO = {"delivery_timeout", "dispatch_interval", "delivery_backoff_max"}


def _name(name: str) -> str:
    return f"{PREFIX}{name.upper()}"


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigurationError(f"{_name(name)} must be true or false, not '{raw}'")
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{_name(name)} must be a number, not '{raw}'") from exc
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{_name(name)} must be an integer, not '{raw}'") from exc
    if isinstance(default, dict):
        raise ConfigurationError(f"{_name(name)} can only be set in the TOML file")
    return raw


def problems(settings: Settings) -> list[str]:
    """One clear sentence per bad value (empty when all are good)."""
    found = []
    defaults = Settings()
    for f in fields(Settings):
        value, default = getattr(settings, f.name), getattr(defaults, f.name)
        expected = type(default)
        if expected is float and type(value) is int:
            continue  # TOML `timeout = 5` means 5.0
        if type(value) is not expected:
            found.append(f"{_name(f.name)} must be {KINDS[expected]}, not {value!r}")
        elif f.name in CHOICES and value not in CHOICES[f.name]:
            found.append(f"{_name(f.name)} must be one of {', '.join(CHOICES[f.name])},"
                         f" not '{value}'")
        elif f.name in AT_LEAST_ONE and value < 1:
            found.append(f"{_name(f.name)} must be at least 1, not {value}")
        elif f.name in ABOVE_ZERO and value <= 0:
            found.append(f"{_name(f.name)} must be above 0, not {value}")
        elif isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            found.append(f"{_name(f.name)} must not be negative, not {value}")
    if not found and not 0 <= settings.port <= 65535:
        found.append(f"{_name('port')} must be a port number (0-65535), not {settings.port}")
    if not found and settings.max_limit < settings.default_limit:
        found.append(f"{_name('max_limit')} ({settings.max_limit}) must not be below"
                     f" {_name('default_limit')} ({settings.default_limit})")
    return found


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the TOML file named by TMF_GATEWAY_CONFIG, then the environment; every bad
    value is named in one ConfigurationError, a line each."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_file = env.get(PREFIX + "CONFIG")
    if config_file:
        with Path(config_file).open("rb") as handle:
            values.update(tomllib.load(handle).get("tmf_gateway", {}))
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ConfigurationError(f"unknown settings in {config_file}: {', '.join(sorted(unknown))}")
    errors = []
    for name in sorted(known):
        raw = env.get(PREFIX + name.upper())
        if raw is not None:
            try:
                values[name] = _coerce(name, raw, getattr(defaults, name))
            except ConfigurationError as exc:
                errors.append(exc.message)
                values.pop(name, None)  # judged once: its other checks follow a good value
    settings = replace(defaults, **values)
    errors += problems(settings)
    if errors:
        raise ConfigurationError("invalid settings:\n  " + "\n  ".join(errors))
    return settings
