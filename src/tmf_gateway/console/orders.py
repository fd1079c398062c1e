"""Console pages for product orders: the filtered list, one order, and the manual actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import flask

from ..domain import lifecycle
from ..domain.resources import PRODUCT_ORDER
from ..errors import GatewayError
from ..services.event_history import resource_history
from .context import console, page_of, perform

EVENT_ROWS = 100  # the newest events shown on an order's page
JEOPARDY = ("productOrderJeopardyAlert.jeopardyType", "approaching,passed")
OPEN_STATES = "acknowledged,inProgress,pending,held"


def order_filters(args: Any) -> list[tuple[str, str]]:
    """The form's fields as TMF630 query pairs (plus any the operator typed in `query`)."""
    pairs: list[tuple[str, str]] = []
    if args.get("state"):
        pairs.append(("state", args["state"]))
    if args.get("customer"):
        pairs.append(("relatedParty.id", args["customer"].strip()))
    if args.get("from"):
        pairs.append(("orderDate.gte", args["from"] + ("T00:00:00Z" * (len(args["from"]) == 10))))
    if args.get("to"):
        pairs.append(("orderDate.lte", args["to"] + ("T23:59:59Z" * (len(args["to"]) == 10))))
    if args.get("jeopardy"):
        pairs += [JEOPARDY, ("state", OPEN_STATES)] if not args.get("state") else [JEOPARDY]
    pairs += parse_qsl(args.get("query", ""), keep_blank_values=True)
    return pairs


def list_orders() -> Any:
    args = flask.request.args
    pairs = order_filters(args)
    if not any(key == "sort" for key, _ in pairs):
        pairs.append(("sort", "-orderDate"))
    listed = page_of(PRODUCT_ORDER, pairs)
    return flask.render_template(
        "console/orders.html", orders=listed.pop("items"), **listed, args=args,
        states=sorted(lifecycle.PRODUCT_ORDER.states),
    )


def timeline(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every state move of the order and its items, oldest first."""
    return sorted(doc.get("stateChange", []), key=lambda e: e.get("changeDate", ""))


def show_order(order_id: str) -> Any:
    ctx = console()
    try:
        stored = ctx.service(PRODUCT_ORDER).get(order_id)
    except GatewayError as exc:
        return flask.render_template("console/error.html", error=exc.to_body()), exc.status
    trail = ctx.service(PRODUCT_ORDER).audit_trail(order_id)
    ctx.record("viewOrder", 200)
    return flask.render_template(
        "console/order.html", order=stored.doc, version=stored.version,
        timeline=timeline(stored.doc), trail=trail,
        events=resource_history(ctx.gateway.store, PRODUCT_ORDER.kind, order_id, EVENT_ROWS),
        southbound=[e for e in trail if e.actor.startswith("tmf-gateway")],
    )


def _back(order_id: str) -> str:
    return flask.url_for("console.show_order", order_id=order_id)


def escalate(order_id: str) -> Any:
    reason = flask.request.form.get("reason", "")
    return perform(
        "escalateOrder", lambda: console().desk.escalate(order_id, reason, console().caller()),
        "order escalated", _back(order_id),
    )


def retry(order_id: str) -> Any:
    return perform(
        "retryOrderSubmission", lambda: console().desk.retry(order_id, console().caller()),
        "order sent to the order system again", _back(order_id),
    )


def cancel(order_id: str) -> Any:
    reason = flask.request.form.get("reason", "")
    return perform(
        "cancelOrder", lambda: console().desk.cancel(order_id, reason, console().caller()),
        "cancellation requested (CancelProductOrder task created)", _back(order_id),
    )


def note(order_id: str) -> Any:
    text = flask.request.form.get("text", "")
    return perform(
        "noteOrder", lambda: console().desk.add_note(order_id, text, console().caller()),
        "note added", _back(order_id),
    )


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/orders", view_func=list_orders)
    bp.add_url_rule("/orders/<order_id>", view_func=show_order)
    for action in (escalate, retry, cancel, note):
        bp.add_url_rule(f"/orders/<order_id>/{action.__name__}", f"order_{action.__name__}",
                        view_func=action, methods=["POST"])
