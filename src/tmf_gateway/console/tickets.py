"""Console pages for trouble tickets: the queue, one ticket, and lifecycle moves."""

from __future__ import annotations

from typing import Any

import flask

from ..domain import lifecycle
from ..domain.resources import TROUBLE_TICKET
from ..errors import GatewayError, InvalidResource
from ..tmf.patch import MERGE
from ..tmf.values import now_iso
from .context import console, page_of, perform

SEVERITIES = ("critical", "major", "minor", "warning")


def queue() -> Any:
    args = flask.request.args
    pairs = [(name, args[name]) for name in ("status", "severity") if args.get(name)]
    if not args.get("status"):
        pairs.append(("status", "acknowledged,inProgress,pending,held,resolved"))
    listed = page_of(TROUBLE_TICKET, [*pairs, ("sort", "-creationDate")])
    return flask.render_template(
        "console/tickets.html", tickets=listed.pop("items"), **listed, args=args,
        statuses=sorted(lifecycle.TROUBLE_TICKET.states), severities=SEVERITIES,
    )


def show_ticket(ticket_id: str) -> Any:
    ctx = console()
    try:
        stored = ctx.service(TROUBLE_TICKET).get(ticket_id)
    except GatewayError as exc:
        return flask.render_template("console/error.html", error=exc.to_body()), exc.status
    ctx.record("viewTicket", 200)
    status = stored.doc.get("status", "")
    return flask.render_template(
        "console/ticket.html", ticket=stored.doc, trail=ctx.service(TROUBLE_TICKET).audit_trail(
            ticket_id), next_states=lifecycle.TROUBLE_TICKET.allowed(status),
        all_states=sorted(lifecycle.TROUBLE_TICKET.states - {status}),
    )


def move(ticket_id: str) -> Any:
    """A status change exactly as a PATCH of the API would make it (same lifecycle checks)."""
    form = flask.request.form
    body: dict[str, Any] = {"status": form.get("status", "")}
    if form.get("reason", "").strip():
        body["statusChangeReason"] = form["reason"].strip()
    return perform(
        "moveTicket",
        lambda: console().service(TROUBLE_TICKET).patch(
            ticket_id, body, MERGE, None, console().caller()),
        f"ticket moved to {body['status']}",
        flask.url_for("console.show_ticket", ticket_id=ticket_id),
    )


def note(ticket_id: str) -> Any:
    ctx = console()
    text = flask.request.form.get("text", "").strip()

    def add() -> None:
        if not text:
            raise InvalidResource("a note needs some text")
        service = ctx.service(TROUBLE_TICKET)
        stored = service.get(ticket_id)
        entry = {"author": ctx.caller().actor, "date": now_iso(), "text": text, "@type": "Note"}
        service.patch(ticket_id, {"note": [*stored.doc.get("note", []), entry]}, MERGE,
                      f'"{stored.version}"', ctx.caller())

    return perform("noteTicket", add, "note added",
                   flask.url_for("console.show_ticket", ticket_id=ticket_id))


def register(bp: flask.Blueprint) -> None:
    bp.add_url_rule("/tickets", view_func=queue)
    bp.add_url_rule("/tickets/<ticket_id>", view_func=show_ticket)
    bp.add_url_rule("/tickets/<ticket_id>/move", "ticket_move", view_func=move, methods=["POST"])
    bp.add_url_rule("/tickets/<ticket_id>/note", "ticket_note", view_func=note, methods=["POST"])
