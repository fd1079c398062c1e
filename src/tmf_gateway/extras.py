"""Which optional extra provides a missing module, for a one-line hint instead of a traceback."""

from __future__ import annotations

import importlib.util
from typing import Any

# top-level module -> the extra of tmf-gateway that installs it
EXTRAS = {
    "psycopg": "postgres",
    "psycopg_binary": "postgres",
    "pika": "amqp",
    "redis": "redis",
    "opentelemetry": "otel",
    "schemathesis": "conformance",
    "hypothesis": "conformance",
}


def missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The hint for a module an extra provides, or None when it is not an optional part."""
    top = (exc.name or "").split(".", 1)[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return None
    return (
        f"this needs the '{extra}' extra (module {top} is missing):"
        f" pip install 'tmf-gateway[{extra}]'"
    )


def check_settings(settings: Any) -> None:
    """Before anything starts: raise ModuleNotFoundError (for `missing_extra`) when a setting
    needs an extra that is not installed, rather than fail later inside a worker process."""
    needed = []
    if settings.store == "postgresql" or settings.database_url.startswith("postgres"):
        needed.append("psycopg")
    if settings.broker_url:
        needed.append("pika")
    if settings.rate_limit_storage.startswith("redis"):
        needed.append("redis")
    if settings.tracing != "off":
        needed.append("opentelemetry.sdk")
    for module in needed:
        if importlib.util.find_spec(module.split(".")[0]) is None:
            raise ModuleNotFoundError(f"No module named '{module}'", name=module)
