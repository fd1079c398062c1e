"""The dispatcher's parts on the memory store with fake listeners and a fake broker: fan-out
by subscription query, retries with backoff, parking, replay, and the broker cursor."""

from __future__ import annotations

from typing import Any

import pytest

from tests.schemas import SCHEMAS, THING
from tmf_gateway.config import Settings
from tmf_gateway.domain.resources import hub_type
from tmf_gateway.errors import NotFound
from tmf_gateway.events.delivery import PostResult
from tmf_gateway.events.envelope import build_event
from tmf_gateway.events.matching import EventFilter, envelope_schema
from tmf_gateway.events.routes import HubRoute
from tmf_gateway.events.setup import build_dispatcher
from tmf_gateway.storage.memory import MemoryStore

THING_HUB = hub_type(THING.api_root, "thing_hub")
THING_EVENTS = EventFilter(envelope_schema(SCHEMAS, [THING]))
ROUTES = {THING.kind: HubRoute(THING_HUB.kind, "thing", THING_EVENTS)}


class FakeListeners:
    """Answers each callback URL with the status it was told to; records what it received."""

    def __init__(self) -> None:
        self.status: dict[str, int] = {}
        self.received: list[tuple[str, bytes]] = []

    def post(self, url: str, body: bytes, event_id: str, timeout: float) -> PostResult:
        self.received.append((url, body))
        status = self.status.get(url, 200)
        return PostResult(status, None if status < 300 else f"listener answered {status}", 1.0)


class FakeBroker:
    def __init__(self) -> None:
        self.published: list[tuple[str, str]] = []
        self.down = False

    def publish(self, api_name: str, events: list[dict[str, Any]]) -> None:
        if self.down:
            raise ConnectionError("broker down")
        self.published += [(api_name, e["eventType"]) for e in events]

    def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store():
    built = MemoryStore([THING, THING_HUB])
    yield built
    built.close()


@pytest.fixture
def listeners():
    return FakeListeners()


@pytest.fixture
def clock():
    return Clock()


def dispatcher_on(store, listeners, clock, publisher=None, **settings: Any):
    options = {"delivery_max_attempts": 3, "delivery_backoff_base": 10.0,
               "delivery_backoff_max": 15.0, **settings}
    return build_dispatcher(Settings(**options), store, ROUTES, sender=listeners,
                            publisher=publisher, clock=clock)


def subscribe(store, sub_id: str, query: str | None = None) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.add(THING_HUB.kind, {"id": sub_id, "callback": f"http://{sub_id}", "query": query})


def change(store, thing_id: str, **doc: Any) -> None:
    with store.unit_of_work(write=True) as uow:
        event = build_event(THING, "CreateEvent", {"id": thing_id, "name": "n", **doc})
        uow.record_event(event, THING.kind, thing_id)


def test_each_event_is_owed_to_the_subscriptions_whose_query_matches(store, listeners, clock):
    dispatcher = dispatcher_on(store, listeners, clock)
    subscribe(store, "all")
    subscribe(store, "vips", "event.thing.vip=true")
    change(store, "1", vip=True)
    change(store, "2", vip=False)
    assert dispatcher.fan_out() == 2
    owed = [(d.subscription_id, d.event_seq) for d in dispatcher.deliveries()]
    assert sorted(owed) == [("all", 1), ("all", 2), ("vips", 1)]
    assert dispatcher.fan_out() == 0  # the cursor moved on
    assert dispatcher.backlog()["not_fanned_out"] == 0
    dispatcher.close()


def test_a_failing_listener_is_retried_with_backoff_then_parked_and_replayed(
    store, listeners, clock
):
    dispatcher = dispatcher_on(store, listeners, clock)
    subscribe(store, "down")
    listeners.status["http://down"] = 503
    change(store, "1")
    dispatcher.run_until_idle()
    [delivery] = dispatcher.deliveries(subscription_id="down")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert 1005.0 <= delivery.next_attempt_at <= 1010.0  # base 10 s, jittered
    for _ in range(2):  # the next attempts, each once its backoff has passed
        clock.now += 15.0
        dispatcher.run_until_idle()
    [parked] = dispatcher.deliveries(status="parked")
    assert parked.attempts == 3
    assert [a.status_code for a in dispatcher.attempts(parked.id)] == [503, 503, 503]
    listeners.status.clear()
    assert dispatcher.replay([parked.id]) == 1
    dispatcher.run_until_idle()
    assert [d.status for d in dispatcher.deliveries()] == ["delivered"]
    dispatcher.close()


def test_operators_asking_for_a_delivery_that_is_not_there_get_not_found(
    store, listeners, clock
):
    dispatcher = dispatcher_on(store, listeners, clock)
    with pytest.raises(NotFound):
        dispatcher.attempts(99)
    with pytest.raises(NotFound):
        dispatcher.replay([99])
    dispatcher.close()


def test_the_broker_gets_every_event_and_its_cursor_waits_while_it_is_down(
    store, listeners, clock
):
    broker = FakeBroker()
    dispatcher = dispatcher_on(store, listeners, clock, publisher=broker)
    broker.down = True
    change(store, "1")
    dispatcher.pump()  # the failure is logged, not raised: deliveries go on
    assert broker.published == [] and dispatcher.backlog()["not_published"] == 1
    broker.down = False
    dispatcher.pump()
    assert broker.published == [("thing", "ThingCreateEvent")]
    assert dispatcher.backlog()["not_published"] == 0
    dispatcher.close()


def test_without_a_broker_publishing_is_refused_and_the_backlog_does_not_mention_it(
    store, listeners, clock
):
    dispatcher = dispatcher_on(store, listeners, clock)
    with pytest.raises(RuntimeError, match="broker"):
        dispatcher.publish_to_broker()
    assert "not_published" not in dispatcher.backlog()
    dispatcher.close()
