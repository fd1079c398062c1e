"""The console's first page: order and ticket counts, jeopardy, outbox and adapter health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import flask

from ..domain import lifecycle
from ..domain.resources import PRODUCT_ORDER, TROUBLE_TICKET
from ..ops import health
from .context import console
from .orders import JEOPARDY, OPEN_STATES
from .tickets import SEVERITIES

CHART_HOURS = 12


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def hourly(field: str, hours: int = CHART_HOURS) -> list[tuple[str, int]]:
    """Orders whose `field` falls in each of the last hours (label, count), oldest first."""
    top = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    buckets = []
    for back in range(hours, 0, -1):
        start = top - timedelta(hours=back)
        count = console().count(PRODUCT_ORDER, [(f"{field}.gte", _iso(start)),
                                                (f"{field}.lt", _iso(start + timedelta(hours=1)))])
        buckets.append((start.strftime("%H:00"), count))
    return buckets


def adapters() -> list[dict[str, Any]]:
    """Each adapter part's health check and, where it has one, its circuit breaker state."""
    gateway = console().gateway
    rows = []
    for check in health.readiness(gateway):
        if not check.name.startswith("southbound."):
            continue
        part = getattr(gateway.southbound, check.name.split(".", 1)[1], None)
        rows.append({"name": check.name, "problem": check.problem,
                     "circuit": getattr(part, "circuit_state", None) or "n/a"})
    return rows


def overview() -> Any:
    ctx = console()
    orders = {s: ctx.count(PRODUCT_ORDER, [("state", s)])
              for s in sorted(lifecycle.PRODUCT_ORDER.states)}
    now = _iso(datetime.now(UTC))
    tickets = {s: ctx.count(TROUBLE_TICKET, [("status", s)])
               for s in sorted(lifecycle.TROUBLE_TICKET.states)}
    severities = {s: ctx.count(TROUBLE_TICKET, [("severity", s)]) for s in SEVERITIES}
    oldest = ctx.events.deliveries("pending", None, 1, 0)
    created, completed = hourly("orderDate"), hourly("completionDate")
    return flask.render_template(
        "console/overview.html",
        orders=orders,
        jeopardy=ctx.count(PRODUCT_ORDER, [JEOPARDY, ("state", OPEN_STATES)]),
        overdue=ctx.count(PRODUCT_ORDER, [("state", OPEN_STATES),
                                          ("requestedCompletionDate.lt", now)]),
        tickets=tickets, severities=severities, backlog=ctx.events.backlog(),
        oldest=oldest[0] if oldest else None, adapters=adapters(),
        chart=list(zip(created, completed, strict=True)),
        peak=max([1, *(c for _, c in created), *(c for _, c in completed)]),
    )
