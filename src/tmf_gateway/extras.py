"""Which optional extra provides a missing module, for a one-line hint instead of a traceback."""

from __future__ import annotations

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
