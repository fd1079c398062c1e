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
    """Every setting of the gateway; the README's configuration table documents each."""

    store: str = "sqlite"
    database_url: str = "sqlite:///var/tmf-gateway.db"
    southbound: str = "simulator"
    # a capability from another adapter than `southbound` ("" = that one); docs/adapters.md
    southbound_fulfilment: str = ""
    southbound_feasibility: str = ""
    southbound_ticket_desk: str = ""
    southbound_customer_directory: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    threads: int = 10  # Flask handler threads per server process
    public_url: str = ""
    validate_responses: bool = False
    default_limit: int = 100
    max_limit: int = 1000
    background: bool = True  # run background jobs in this process (off in unit tests)
    migrate_on_start: bool = True  # bring a SQL store's schema to the newest revision on start
    southbound_options: dict[str, Any] = field(default_factory=dict)
    ordering: dict[str, Any] = field(default_factory=dict)  # docs/ordering.md
    # event delivery (docs/events.md)
    delivery_timeout: float = 5.0  # seconds per POST to a listener
    delivery_max_attempts: int = 8  # then the event is parked for that subscription
    delivery_backoff_base: float = 1.0  # seconds before the 2nd attempt, doubling each time
    delivery_backoff_max: float = 300.0  # ceiling of one backoff delay
    delivery_concurrency: int = 8  # listeners posted to at the same time, per process
    dispatch_interval: float = 0.2  # seconds between dispatcher polls of the outbox
    broker_url: str = ""  # amqp://guest:guest@127.0.0.1:5672/ publishes every event (amqp extra)
    # security (docs/security.md): off for a first look, on in production
    security: str = "off"  # off | on
    security_jwks: str = ""  # JWKS file path or https URL; empty = API keys only
    security_jwt_issuer: str = ""
    security_jwt_audience: str = ""
    rate_limit: float = 0.0  # calls per second per client (security on); 0 = no limit
    rate_limit_burst: int = 20
    rate_limits: dict[str, Any] = field(default_factory=dict)  # client -> calls/s; TOML only
    # JWT client id -> the scopes the gateway grants it, replacing the token's; TOML only
    client_scopes: dict[str, Any] = field(default_factory=dict)
    rate_limit_storage: str = "memory://"  # redis://127.0.0.1:6379 shares limits across workers
    max_body_bytes: int = 1_048_576  # larger request bodies get 413; 0 = no limit
    max_json_depth: int = 100  # deeper JSON bodies get 400 (api/guard.py)
    max_filter_values: int = 500  # values in one query's filters; more get 400
    idempotency_ttl: float = 86_400.0  # seconds an Idempotency-Key is remembered

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **overrides)


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigurationError(f"{PREFIX}{name.upper()} must be true or false, not '{raw}'")
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{PREFIX}{name.upper()} must be a number") from exc
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{PREFIX}{name.upper()} must be an integer") from exc
    if isinstance(default, dict):
        raise ConfigurationError(f"{PREFIX}{name.upper()} can only be set in the TOML file")
    return raw


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the TOML file named by TMF_GATEWAY_CONFIG, then the environment."""
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
    for name in known:
        raw = env.get(PREFIX + name.upper())
        if raw is not None:
            values[name] = _coerce(name, raw, getattr(defaults, name))
    return replace(defaults, **values)
