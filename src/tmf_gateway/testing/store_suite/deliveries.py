"""Delivery bookkeeping: every store gives the same answers (fan-out, claims, parking, replay)."""

from __future__ import annotations

from tmf_gateway.events.envelope import build_event
from tmf_gateway.ports import Delivery, DeliveryAttempt
from tmf_gateway.testing.things import THING


def _events(store, count: int) -> None:
    for i in range(count):
        with store.unit_of_work(write=True) as uow:
            uow.record_event(build_event(THING, "CreateEvent", {"id": str(i)}), "thing", str(i))


def _owe(store, subscription: str, seqs) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.add_deliveries(
            [Delivery(0, s, "", "", subscription, "thing_hub", "http://x", "pending", 0, 0.0)
             for s in seqs]
        )


def _attempt(delivery_id: int, code: int | None) -> DeliveryAttempt:
    return DeliveryAttempt(delivery_id, 1, "2024-01-01T00:00:00Z", code, None, 1.0)


def test_outbox_reads_in_order_and_cursor_persists(store):
    _events(store, 3)
    with store.unit_of_work(write=True) as uow:
        events = uow.outbox_after(0, 10)
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[0].resource_kind == "thing" and events[0].payload["eventType"]
        assert uow.outbox_last_seq() == 3 and uow.outbox_count_after(1) == 2
        assert uow.get_cursor("fanout") == 0
        uow.set_cursor("fanout", 2)
        uow.set_cursor("fanout", 3)
    with store.unit_of_work() as uow:
        assert uow.get_cursor("fanout") == 3
        assert [e.seq for e in uow.outbox_after(2, 10)] == [3]


def test_claims_take_the_head_of_each_line_once(store):
    _events(store, 3)
    _owe(store, "a", [1, 2, 3])
    _owe(store, "b", [2])
    with store.unit_of_work(write=True) as uow:
        claimed = uow.claim_deliveries(100.0, 30.0, 10)
        assert sorted((c.subscription_id, c.event_seq) for c in claimed) == [("a", 1), ("b", 2)]
        assert all(c.payload and c.payload["eventId"] == c.event_id for c in claimed)
        assert uow.claim_deliveries(101.0, 30.0, 10) == []  # leased
    head = next(c for c in claimed if c.subscription_id == "a")
    with store.unit_of_work(write=True) as uow:
        uow.record_attempt(_attempt(head.id, 201), "delivered", 101.0)
        [nxt] = [c for c in uow.claim_deliveries(102.0, 30.0, 10) if c.subscription_id == "a"]
        assert nxt.event_seq == 2
        assert uow.claim_deliveries(200.0, 30.0, 10) != []  # leases run out
        assert [a.status_code for a in uow.delivery_attempts(head.id)] == [201]
        found = uow.get_delivery(head.id)
        assert found is not None and (found.subscription_id, found.event_seq) == ("a", 1)
        assert found.status == "delivered" and found.attempts == 1
        assert uow.get_delivery(head.id + 1000) is None


def test_rollback_undoes_delivery_changes(store):
    _events(store, 1)
    _owe(store, "a", [1])
    try:
        with store.unit_of_work(write=True) as uow:
            uow.claim_deliveries(100.0, 30.0, 10)
            uow.set_cursor("fanout", 1)
            raise RuntimeError
    except RuntimeError:
        pass
    with store.unit_of_work(write=True) as uow:
        assert uow.get_cursor("fanout") == 0
        assert len(uow.claim_deliveries(100.0, 30.0, 10)) == 1


def test_park_replay_drop_and_counts(store):
    _events(store, 3)
    _owe(store, "a", [1, 2, 3])
    with store.unit_of_work(write=True) as uow:
        [head] = uow.claim_deliveries(100.0, 30.0, 10)
        uow.record_attempt(_attempt(head.id, 500), "parked", 100.0)
        assert uow.park_pending("a", "behind") == 2
        assert uow.delivery_counts()["parked"] == 3
        parked = uow.list_deliveries(status="parked")
        assert [d.event_seq for d in parked] == [1, 2, 3]
        assert parked[0].attempts == 1 and parked[0].last_status == 500
        assert parked[1].last_error == "behind"
        assert uow.replay(150.0, delivery_ids=[parked[0].id]) == 1
        assert uow.replay(150.0, subscription_id="a") == 2
        assert uow.claim_deliveries(150.0, 30.0, 10)[0].attempts == 0
        assert uow.drop_pending("a") == 3
        assert uow.delivery_counts() == {"pending": 0, "delivered": 0, "parked": 0, "dropped": 3}


def test_events_owed_after_a_parked_one_wait_behind_it_until_replayed(store):
    _events(store, 4)
    _owe(store, "a", [1, 2])
    with store.unit_of_work(write=True) as uow:
        [head] = uow.claim_deliveries(100.0, 30.0, 10)
        uow.record_attempt(_attempt(head.id, 500), "parked", 100.0)
        uow.park_pending("a", "behind")
    _owe(store, "a", [3, 4])  # the listener's events go on being owed while it is parked
    with store.unit_of_work(write=True) as uow:
        assert uow.claim_deliveries(200.0, 30.0, 10) == []
        assert uow.delivery_counts()["pending"] == 0  # none of them can be delivered now
        assert uow.replay(200.0, subscription_id="a") == 4
    delivered = []
    for moment in range(300, 305):
        with store.unit_of_work(write=True) as uow:
            for claimed in uow.claim_deliveries(float(moment), 30.0, 10):
                delivered.append(claimed.event_seq)
                uow.record_attempt(_attempt(claimed.id, 201), "delivered", float(moment))
    assert delivered == [1, 2, 3, 4]


def test_two_processes_creating_the_same_cursor_both_succeed(store):
    """Two dispatchers starting on a fresh database: the second waits for the first's row and
    then moves it (an upsert), it does not fail on the primary key."""
    import threading
    import time

    errors: list[BaseException] = []
    first_wrote = threading.Event()

    def second() -> None:
        first_wrote.wait()
        try:
            with store.unit_of_work(write=True) as uow:
                uow.set_cursor("fanout", 7)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    with store.unit_of_work(write=True) as uow:
        uow.set_cursor("fanout", 5)
        first_wrote.set()
        time.sleep(0.3)  # the second transaction meets the uncommitted row
    thread.join(timeout=20)
    assert errors == []
    with store.unit_of_work() as uow:
        assert uow.get_cursor("fanout") == 7


def test_outbox_reads_only_the_kinds_asked_for(store):
    for i in range(6):
        with store.unit_of_work(write=True) as uow:
            kind = "thing" if i % 3 == 0 else "other"
            uow.record_event(build_event(THING, "CreateEvent", {"id": str(i)}), kind, str(i))
    with store.unit_of_work() as uow:
        assert [e.seq for e in uow.outbox_after(0, 10, ("thing",))] == [1, 4]
        assert [e.seq for e in uow.outbox_after(1, 1, ("thing",))] == [4]
        assert uow.outbox_count_after(1, ("thing",)) == 1
        assert uow.outbox_count_after(1) == 5


def test_events_of_one_resource_and_their_deliveries(store):
    _events(store, 3)
    with store.unit_of_work(write=True) as uow:
        for _ in range(2):
            uow.record_event(build_event(THING, "AttributeValueChangeEvent", {"id": "1"}),
                             "thing", "1")
    _owe(store, "a", [2, 4])
    _owe(store, "b", [4])
    with store.unit_of_work() as uow:
        events = uow.resource_events("thing", "1", 10)
        assert [e.seq for e in events] == [2, 4, 5]
        assert events[0].event_type.endswith("CreateEvent")
        assert all(e.resource_id == "1" and e.payload["eventId"] == e.event_id for e in events)
        assert [e.seq for e in uow.resource_events("thing", "1", 2)] == [4, 5]  # the newest
        assert uow.resource_events("thing", "nope", 10) == []
        owed = uow.event_deliveries([e.seq for e in events])
        assert sorted((d.subscription_id, d.event_seq) for d in owed) == [
            ("a", 2), ("a", 4), ("b", 4)]
        assert all(d.event_id and d.payload is None for d in owed)
        assert uow.event_deliveries([]) == []
