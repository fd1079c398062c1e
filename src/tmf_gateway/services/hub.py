"""Hub subscriptions: listeners registered with POST /hub on each API."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..domain.resources import ResourceType
from ..errors import InvalidResource, NotFound
from ..events.matching import EventFilter
from ..ports import Store
from ..tmf.query import Query
from .context import Caller


def check_callback(callback: str) -> None:
    """A listener is reached over HTTP(S): refuse anything else before it is stored."""
    parts = urlsplit(callback)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidResource(f"'callback' must be an absolute http(s) URL, not '{callback}'")


def check_query(query: str | None, event_filter: EventFilter | None = None) -> None:
    """Refuse a subscription query that is not a well-formed TMF630 query string, or (given
    the API's event filter) that names attributes its events do not have."""
    if not query:
        return
    if event_filter is not None:
        event_filter.parse(query)
        return
    try:
        parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InvalidResource(f"'query' is not a valid filter: {exc}") from None


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """The EventSubscription as clients see it (no owner; no query when none was given)."""
    return {key: doc[key] for key in ("id", "callback", "query") if doc.get(key) is not None}


def owned(doc: dict[str, Any], caller: Caller | None) -> bool:
    """Subscriptions belong to the client that registered them (admins see all)."""
    return caller is None or caller.admin or doc.get("owner", "anonymous") == caller.actor


class HubService:
    """Stores subscriptions; delivering events to them is the dispatcher's job."""

    def __init__(
        self, store: Store, hub: ResourceType, event_filter: EventFilter | None = None
    ) -> None:
        self.store = store
        self.hub = hub
        self.event_filter = event_filter

    def register(self, body: dict[str, Any], caller: Caller) -> dict[str, Any]:
        check_callback(body["callback"])
        check_query(body.get("query"), self.event_filter)
        doc = {"id": uuid.uuid4().hex, "callback": body["callback"], "query": body.get("query")}
        with self.store.unit_of_work(write=True) as uow:
            # events committed before the subscription existed are not owed to it
            uow.add(
                self.hub.kind,
                {**doc, "owner": caller.actor, "afterSeq": uow.outbox_last_seq()},
            )
        return public(doc)

    def get(self, subscription_id: str, caller: Caller | None = None) -> dict[str, Any]:
        with self.store.unit_of_work() as uow:
            stored = uow.get(self.hub.kind, subscription_id)
        if stored is None or not owned(stored.doc, caller):
            raise NotFound(f"subscription '{subscription_id}' does not exist")
        return public(stored.doc)

    def unregister(self, subscription_id: str, caller: Caller | None = None) -> None:
        with self.store.unit_of_work(write=True) as uow:
            stored = uow.get(self.hub.kind, subscription_id)
            # another client's subscription is answered as absent: its id reveals nothing
            if stored is None or not owned(stored.doc, caller):
                raise NotFound(f"subscription '{subscription_id}' does not exist")
            uow.delete(self.hub.kind, subscription_id)
            uow.drop_pending(subscription_id)

    def location(self, caller: Caller, subscription_id: str) -> str:
        return self.hub.href(caller.base_url, subscription_id)

    def subscriptions(self, limit: int = 200) -> list[dict[str, Any]]:
        """Every client's subscriptions with their owner, for operators (the ops console)."""
        with self.store.unit_of_work() as uow:
            docs = uow.query(self.hub.kind, Query(limit=limit)).items
        return [{**public(doc), "owner": doc.get("owner", "anonymous")} for doc in docs]
