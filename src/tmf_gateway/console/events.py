"""Console pages for events and the customer inventory: subscriptions, parked deliveries and
replay; a customer's audit and access logs; data-quality results."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any

import flask

from ..built import ResourceServices
from ..domain.resources import CUSTOMER
from ..errors import GatewayError
from ..inventory import audit as quality_audit
from ..services.hub import HubService
from .context import console, perform

HUBS: tuple[tuple[str, Callable[[ResourceServices], HubService]], ...] = (
    ("TMF629 Customer", lambda s: s.customer_hub),
    ("TMF622 Product Ordering", lambda s: s.product_order_hub),
    ("TMF621 Trouble Ticket", lambda s: s.trouble_ticket_hub),
)
MAX_ROWS = 200


def events_page() -> Any:
    ctx = console()
    resources = ctx.gateway.services.resources
    hubs = [(title, hub(resources).subscriptions(MAX_ROWS)) for title, hub in HUBS]
    parked = ctx.events.deliveries("parked", None, MAX_ROWS, 0)
    return flask.render_template(
        "console/events.html", hubs=hubs, parked=parked, backlog=ctx.events.backlog(),
    )


def replay_one(delivery_id: int) -> Any:
    return perform(
        "replayDelivery", lambda: console().events.replay([delivery_id]),
        f"delivery {delivery_id} queued again", flask.url_for("console.events_page"),
    )


def replay_all() -> Any:
    return perform(
        "replayParked", lambda: console().events.replay(None, None),
        "every parked delivery queued again", flask.url_for("console.events_page"),
    )


def customer_logs() -> Any:
    """Manage Customer Inventory: who changed (audit trail) and who read (access log) one
    customer."""
    ctx = console()
    customer_id = flask.request.args.get("id", "").strip()
    trail, accesses, customer, error = [], [], None, None
    if customer_id:
        try:
            customer = ctx.service(CUSTOMER).get(customer_id).doc
        except GatewayError as exc:
            error = exc.to_body()
        trail = ctx.service(CUSTOMER).audit_trail(customer_id)
        if ctx.security_store is not None:
            accesses = list(islice(ctx.security_store.accesses("", customer_id), MAX_ROWS))
        ctx.record("viewCustomerLogs", 200, customer_id)
    return flask.render_template(
        "console/customer.html", customer_id=customer_id, customer=customer, trail=trail,
        accesses=accesses, error=error, secured=ctx.secured,
    )


def data_quality() -> Any:
    """The inventory's data-quality audit (read only; fixing stays with the CLI's --fix)."""
    report = None
    if flask.request.method == "POST":
        report = quality_audit.run(console().gateway.store)
        console().record("runQualityAudit", 200)
    return flask.render_template(
        "console/quality.html", report=report,
        findings=report.findings[:MAX_ROWS] if report else [],
    )


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/events", view_func=events_page)
    bp.add_url_rule("/events/replay/<int:delivery_id>", view_func=replay_one, methods=["POST"])
    bp.add_url_rule("/events/replay", view_func=replay_all, methods=["POST"])
    bp.add_url_rule("/customers", view_func=customer_logs)
    bp.add_url_rule("/quality", view_func=data_quality, methods=["GET", "POST"])
