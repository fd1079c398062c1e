"""Liveness and readiness: is the process up, and can it serve (store, schema, adapters, jobs)?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..southbound import CAPABILITIES


@dataclass(frozen=True)
class Check:
    """One part readiness depends on, and what is wrong with it (None: nothing)."""

    name: str
    problem: str | None


def _store(gateway: Any) -> Check:
    try:
        with gateway.store.unit_of_work() as uow:
            uow.outbox_last_seq()
    except Exception as exc:  # any failure of the store is "not reachable"
        return Check("store", f"not reachable: {type(exc).__name__}: {exc}")
    return Check("store", None)


def _schema(gateway: Any) -> Check:
    engine = getattr(gateway.store, "engine", None)
    if engine is None:  # the memory store has no schema
        return Check("migrations", None)
    from ..storage import migrations

    try:
        with engine.connect() as conn:
            current = migrations.current_revision(conn)
    except Exception as exc:
        return Check("migrations", f"cannot read the schema revision: {type(exc).__name__}")
    head = migrations.head()
    if current != head:
        return Check("migrations", f"database at revision {current}, the gateway needs {head}:"
                                   " run `tmf-gateway migrate`")
    return Check("migrations", None)


def _adapters(gateway: Any) -> list[Check]:
    """Each capability whose adapter offers `check_health()` (ports.HealthCheck)."""
    checks = []
    seen: set[int] = set()
    parts = [(f"southbound.{c}", getattr(gateway.southbound, c, None)) for c in CAPABILITIES]
    # the product catalog and inventory ports, when a remote system backs them
    parts += [("catalog", getattr(gateway, "catalog", None)),
              ("product_inventory", getattr(gateway, "inventory", None))]
    for name, part in parts:
        check: Callable[[], None] | None = getattr(part, "check_health", None)
        if part is None or check is None or id(part) in seen:
            continue
        seen.add(id(part))
        try:
            check()
        except Exception as exc:
            checks.append(Check(name, str(exc) or type(exc).__name__))
        else:
            checks.append(Check(name, None))
    return checks


def _dispatcher(gateway: Any) -> Check:
    if not gateway.settings.background:
        return Check("dispatcher", None)  # not enabled in this process
    if not gateway.runner.running:
        return Check("dispatcher", "the background runner is not running")
    return Check("dispatcher", None)


def readiness(gateway: Any) -> list[Check]:
    return [_store(gateway), _schema(gateway), *_adapters(gateway), _dispatcher(gateway)]


def report(checks: list[Check]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 200 when every part is fine, else 503 naming the failing ones."""
    failing = {c.name: c.problem for c in checks if c.problem is not None}
    body = {
        "status": "fail" if failing else "pass",
        "checks": {c.name: c.problem or "ok" for c in checks},
    }
    if failing:
        body["failing"] = sorted(failing)
    return (503 if failing else 200), body
