"""The services the console's views use, found on the gateway the app factory built."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import flask

from ..domain.resources import (
    CANCEL_PRODUCT_ORDER,
    CUSTOMER,
    PRODUCT_ORDER,
    TROUBLE_TICKET,
    ResourceType,
)
from ..errors import GatewayError
from ..events.dispatcher import Dispatcher
from ..ports import Page
from ..security.keys import now
from ..security.storage import Access, SecurityStore
from ..services.context import Caller
from ..services.order_desk import OrderDesk
from ..services.resources import ResourceService
from ..tmf.query import parse_query
from ..tmf.schema import ResourceSchema

if TYPE_CHECKING:
    from ..gateway import Gateway

log = logging.getLogger("tmf_gateway.console")
SPEC_OF = {CUSTOMER.kind: "TMF629", PRODUCT_ORDER.kind: "TMF622", TROUBLE_TICKET.kind: "TMF621"}


class Console:
    """One per app: the views' way to the services bootstrap() built."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    @property
    def settings(self) -> Any:
        return self.gateway.settings

    def service(self, rt: ResourceType) -> ResourceService:
        return self.gateway.services.resources.by_kind()[rt.kind]

    def schema(self, rt: ResourceType) -> ResourceSchema:
        spec = self.gateway.specs[SPEC_OF.get(rt.kind, "TMF622")]
        return ResourceSchema(spec["components"]["schemas"], rt.schema)

    def list(self, rt: ResourceType, pairs: Iterable[tuple[str, str]]) -> Page:
        """A TMF630 list through the resource's service: the same query engine as the API."""
        query = parse_query(
            list(pairs), self.schema(rt), self.settings.default_limit, self.settings.max_limit
        )
        return self.service(rt).list(query)

    def count(self, rt: ResourceType, pairs: Iterable[tuple[str, str]]) -> int:
        return self.list(rt, [*pairs, ("limit", "1"), ("fields", "id")]).total

    @cached_property
    def desk(self) -> OrderDesk:
        priority = str(self.settings.ordering.get("jeopardy_priority", "0"))
        return OrderDesk(
            self.service(PRODUCT_ORDER), self.service(CANCEL_PRODUCT_ORDER),
            self.gateway.services.ordering.processor, priority,
        )

    @property
    def events(self) -> Dispatcher:
        return self.gateway.services.events

    @property
    def security_store(self) -> SecurityStore:
        return self.gateway.services.security.store

    @property
    def secured(self) -> bool:
        return self.settings.security == "on"

    def caller(self) -> Caller:
        """Who is signed in: their client id goes into audit trails and the access log."""
        base = self.settings.public_url or flask.request.host_url.rstrip("/")
        who = flask.session.get("who") or "anonymous"
        return Caller(actor=who, base_url=base, admin="admin" in flask.session.get("scopes", ()))

    def record(self, operation: str, status: int, customer_id: str | None = None) -> None:
        """Every console action goes into the access log (security on) and the gateway's log,
        with the signed-in client."""
        who = flask.session.get("who") or "anonymous"
        log.info("console action %s by %s: %s", operation, who, status)
        access = Access(now(), who, f"console.{operation}", customer_id, status, 0)
        self.security_store.append(access)


def console() -> Console:
    return flask.current_app.extensions["tmf_console"]


def perform(operation: str, action: Any, done: str, back: str, customer_id: str | None = None,
            ) -> flask.Response:
    """Run one action; flash what happened (a refusal as the API's TMF error), log who did it,
    and go back to the page (post/redirect/get)."""
    try:
        action()
    except GatewayError as exc:
        console().record(operation, exc.status, customer_id)
        flask.flash(exc.to_body(), "error")
    else:
        console().record(operation, 200, customer_id)
        flask.flash({"message": done}, "ok")
    return flask.redirect(back)


PAGE_SIZE = 20  # rows per page of the console's lists


def page_of(kind: ResourceType, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """One page of a TMF630 list as the console's list templates take it: the page asked for
    (`page` in the query string), its items, the total, or the TMF error of a bad filter."""
    args = flask.request.args
    page = max(int(args["page"]) if args.get("page", "").isdigit() else 1, 1)
    pairs = [*pairs, ("offset", str((page - 1) * PAGE_SIZE)), ("limit", str(PAGE_SIZE))]
    try:
        result = console().list(kind, pairs)
    except GatewayError as exc:
        return {"items": [], "total": 0, "page": page, "size": PAGE_SIZE,
                "error": exc.to_body()}
    return {"items": result.items, "total": result.total, "page": page, "size": PAGE_SIZE,
            "error": None}
