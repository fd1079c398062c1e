"""Hub subscription queries: TMF630 filters over the event envelope, typed by the API's spec."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

from ..domain.resources import ResourceType
from ..errors import InvalidQuery, InvalidResource
from ..tmf import evaluate
from ..tmf.fields import select
from ..tmf.query import RESERVED, Query, parse_query
from ..tmf.schema import ResourceSchema

ENVELOPE = "_GatewayEventEnvelope"
QUERY_PATTERN = re.compile(r"^[^=&]+=[^&]*(&[^=&]+=[^&]*)*$")
_STRING = {"type": "string"}
_DATETIME = {"type": "string", "format": "date-time"}


def envelope_schema(
    components: dict[str, Any], resources: Sequence[ResourceType]
) -> ResourceSchema:
    """The v4 envelope, with `event.<resourceKey>` typed by each resource's own schema."""
    envelope = {
        "type": "object",
        "properties": {
            **{name: _STRING for name in (
                "id", "href", "eventId", "eventType", "correlationId", "domain", "title",
                "description", "priority", "fieldPath",
            )},
            "eventTime": _DATETIME,
            "timeOcurred": _DATETIME,
            "event": {
                "type": "object",
                "properties": {
                    rt.event_key: {"$ref": f"#/components/schemas/{rt.schema}"}
                    for rt in resources
                },
            },
        },
    }
    return ResourceSchema({**components, ENVELOPE: envelope}, ENVELOPE)


class EventFilter:
    """Parses subscription queries for one API and tells whether an event matches one."""

    def __init__(self, schema: ResourceSchema, keep_identity: bool = False) -> None:
        self._schema = schema
        self._cache: dict[str, Query] = {}
        self.keep_identity = keep_identity

    def parse(self, query: str | None) -> Query:
        """The parsed filter; InvalidResource (400) for anything malformed or unknown."""
        if not query:
            return Query()
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        if not QUERY_PATTERN.match(query):
            raise InvalidResource(f"'query' is not a valid filter: '{query}'")
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
        except ValueError as exc:
            raise InvalidResource(f"'query' is not a valid filter: {exc}") from None
        reserved = sorted({key for key, _ in pairs if key in RESERVED and key != "fields"})
        if reserved:
            raise InvalidResource(f"'query' cannot use {', '.join(reserved)} on events")
        try:
            parsed = parse_query(pairs, self._schema)
        except InvalidQuery as exc:
            raise InvalidResource(f"'query' is not a valid event filter: {exc.message}") from None
        if len(self._cache) < 10_000:
            self._cache[query] = parsed
        return parsed

    def matches(self, query: str | None, event: dict[str, Any]) -> bool:
        return evaluate.matches(event, self.parse(query))

    def shape(self, query: str | None, event: dict[str, Any]) -> dict[str, Any]:
        """The event as the subscription asked for it: with `fields=a,b` in its query, the
        resource inside carries those attributes only (as on a list: tmf/fields.py)."""
        selected = self.parse(query).fields if query else None
        if selected is None or not isinstance(event.get("event"), dict):
            return event
        inner = {
            key: select(value, selected, self.keep_identity) if isinstance(value, dict) else value
            for key, value in event["event"].items()
        }
        return {**event, "event": inner}
