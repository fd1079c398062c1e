"""Subscription queries over event envelopes, and the retry policy's backoff."""

from __future__ import annotations

import pytest

from tests.schemas import SCHEMAS, THING
from tmf_gateway.errors import InvalidResource
from tmf_gateway.events.delivery import RetryPolicy
from tmf_gateway.events.envelope import build_event
from tmf_gateway.events.matching import EventFilter, envelope_schema

FILTER = EventFilter(envelope_schema(SCHEMAS, [THING]))


def event(suffix: str, **doc) -> dict:
    return build_event(THING, suffix, {"id": "1", "name": "a", **doc})


@pytest.mark.parametrize(
    ("query", "suffix", "doc", "expected"),
    [
        (None, "CreateEvent", {}, True),
        ("eventType=ThingStateChangeEvent", "StateChangeEvent", {}, True),
        ("eventType=ThingStateChangeEvent", "CreateEvent", {}, False),
        ("eventType=ThingCreateEvent,ThingDeleteEvent", "DeleteEvent", {}, True),
        ("eventType=ThingStateChangeEvent&event.thing.status=done", "StateChangeEvent",
         {"status": "done"}, True),
        ("eventType=ThingStateChangeEvent&event.thing.status=done", "StateChangeEvent",
         {"status": "open"}, False),
        ("event.thing.rank.gt=3", "CreateEvent", {"rank": 5}, True),
        ("event.thing.rank.gt=3", "CreateEvent", {"rank": 2}, False),
        ("event.thing.relatedParty.id=p9", "CreateEvent", {"relatedParty": [{"id": "p9"}]}, True),
        ("eventType*=Change", "AttributeValueChangeEvent", {}, True),
        ("eventTime.gt=2000-01-01T00:00:00Z", "CreateEvent", {}, True),
    ],
)
def test_queries_select_events(query, suffix, doc, expected):
    assert FILTER.matches(query, event(suffix, **doc)) is expected


@pytest.mark.parametrize(
    "query",
    ["event.thing.colour=red", "nosuch=1", "event.thing.rank.gt=many", "eventType", "=x",
     "a=1&", "sort=eventTime", "event.thing=1", "eventType*=("],
)
def test_bad_queries_are_refused(query):
    with pytest.raises(InvalidResource):
        FILTER.parse(query)


def test_backoff_doubles_with_jitter_and_is_capped():
    policy = RetryPolicy(backoff_base=1.0, backoff_max=10.0)
    assert [policy.delay(n, rng=lambda: 1.0) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 8, 10]
    assert [policy.delay(n, rng=lambda: 0.0) for n in (1, 2, 3)] == [0.5, 1, 2]
    delays = {policy.delay(3) for _ in range(50)}
    assert len(delays) > 1 and all(2 <= d <= 4 for d in delays)
