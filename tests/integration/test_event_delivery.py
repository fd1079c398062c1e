"""Hub listeners receive every matching event over real HTTP, in order, despite failures."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.integration.listeners import Listener
from tmf_gateway.testing.gateway import create_customer, gateway_app

BASE = "/tmf-api/customerManagement/v4"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("events") / "events.db"
    with gateway_app(
        database_url=f"sqlite:///{db}",
        delivery_timeout=0.5,
        delivery_max_attempts=3,
        delivery_backoff_base=0.05,
        delivery_backoff_max=0.2,
    ) as app:
        yield app


@pytest.fixture
def dispatcher(app):
    return app.gateway.services.events


@pytest.fixture
def listener():
    started = Listener().start()
    yield started
    started.stop()


def subscribe(http, callback: str, query: str | None = None) -> str:
    body = {"callback": callback, **({"query": query} if query else {})}
    response = http.post(f"{BASE}/hub", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def new_customer(http, name: str) -> dict:
    return create_customer(http, name)


def patch(http, customer_id: str, **changes) -> None:
    response = http.patch(
        f"{BASE}/customer/{customer_id}",
        json=changes,
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text


def unique() -> str:
    return f"ev-{uuid.uuid4().hex[:10]}"


def drain(dispatcher, until, timeout: float = 20.0) -> None:
    """Pump the dispatcher (retries included) until `until()` holds."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "events did not arrive in time"
        dispatcher.pump()
        time.sleep(0.02)


def test_listener_receives_only_matching_events_in_order_with_envelope(
    http, dispatcher, listener
):
    name = unique()
    query = f"eventType=CustomerStateChangeEvent&event.customer.name={name}"
    subscribe(http, listener.url, query)
    customer = new_customer(http, name)
    for status in ("Approved", "Suspended", "Approved"):
        patch(http, customer["id"], status=status)
    patch(http, customer["id"], description="no state change")
    new_customer(http, unique())  # another customer: not for this listener
    drain(dispatcher, lambda: len(listener.received) >= 3)
    dispatcher.run_until_idle()
    assert listener.event_types() == ["CustomerStateChangeEvent"] * 3
    assert [e["event"]["customer"]["status"] for e in listener.received] == [
        "Approved", "Suspended", "Approved"
    ]
    event = listener.received[0]
    assert {"eventId", "eventTime", "eventType", "correlationId", "description", "event"} <= set(
        event
    )
    assert event["fieldPath"] == "status"
    assert event["event"]["customer"]["id"] == customer["id"]
    assert event["event"]["customer"]["href"] == customer["href"]
    assert len({e["eventId"] for e in listener.received}) == 3


def test_subscription_without_query_gets_every_event_of_its_api(http, dispatcher, listener):
    subscribe(http, listener.url)
    customer = new_customer(http, unique())
    patch(http, customer["id"], description="changed")
    assert http.delete(f"{BASE}/customer/{customer['id']}").status_code == 204
    drain(dispatcher, lambda: len(listener.received) >= 3)
    assert listener.event_types() == [
        "CustomerCreateEvent", "CustomerAttributeValueChangeEvent", "CustomerDeleteEvent"
    ]
    assert listener.received[1]["fieldPath"] == "description"


def test_events_before_registration_are_not_delivered(http, dispatcher, listener):
    name = unique()
    new_customer(http, name)
    dispatcher.run_until_idle()
    subscribe(http, listener.url, f"event.customer.name={name}")
    dispatcher.run_until_idle()
    assert listener.received == []


@pytest.mark.parametrize(
    "query",
    [
        "event.customer.nosuch=1",
        "colour=red",
        "eventTime.gt=not-a-date",
        "eventType",
        "a=1&&b=2",
        "limit=1",
    ],
)
def test_invalid_queries_are_refused_at_registration(http, query):
    response = http.post(f"{BASE}/hub", json={"callback": "http://127.0.0.1:9/x", "query": query})
    assert response.status_code == 400, response.text


def test_failing_listener_is_retried_with_backoff_and_every_attempt_recorded(
    http, dispatcher
):
    flaky = Listener(fail_first=2).start()
    try:
        name = unique()
        sub = subscribe(http, flaky.url, f"event.customer.name={name}")
        new_customer(http, name)
        drain(dispatcher, lambda: len(flaky.received) == 1)
        dispatcher.run_until_idle()
        [delivery] = dispatcher.deliveries(subscription_id=sub)
        assert delivery.status == "delivered" and delivery.attempts == 3
        attempts = dispatcher.attempts(delivery.id)
        assert [a.status_code for a in attempts] == [500, 500, 201]
        assert attempts[0].error == "listener answered 500" and attempts[2].error is None
        assert all(a.duration_ms >= 0 for a in attempts)
    finally:
        flaky.stop()


def test_slow_listener_times_out_and_does_not_hold_up_others(http, dispatcher, listener):
    slow = Listener(delay=2.0).start()
    try:
        name = unique()
        slow_sub = subscribe(http, slow.url, f"event.customer.name={name}")
        good_sub = subscribe(http, listener.url, f"event.customer.name={name}")
        new_customer(http, name)
        drain(dispatcher, lambda: len(listener.received) == 1)
        drain(dispatcher, lambda: dispatcher.deliveries(subscription_id=slow_sub)[0].status
              == "parked")
        slow_attempts = dispatcher.attempts(dispatcher.deliveries(subscription_id=slow_sub)[0].id)
        assert {a.error for a in slow_attempts} == {"timed out after 0.5 s"}
        good = dispatcher.attempts(dispatcher.deliveries(subscription_id=good_sub)[0].id)
        # recorded before the slow listener's first attempt had even timed out: not behind it
        assert [a.status_code for a in good] == [201]
        assert good[0].at < slow_attempts[0].at
    finally:
        slow.stop()


def test_listener_down_then_back_receives_everything_in_order(http, dispatcher):
    down = Listener(fail_first=10**6).start()  # answers 500 until told otherwise
    try:
        name = unique()
        subscribe(http, down.url, f"event.customer.name={name}")
        customer = new_customer(http, name)
        for i in range(5):
            patch(http, customer["id"], description=f"change {i}")
        drain(dispatcher, lambda: down.calls >= 1)  # refused meanwhile (3 refusals would park)
        down.fail_first = 0
        drain(dispatcher, lambda: len(down.received) == 6, timeout=30)
        assert [e.get("fieldPath") for e in down.received] == [None] + ["description"] * 5
        assert [e["event"]["customer"]["description"] for e in down.received[1:]] == [
            f"change {i}" for i in range(5)
        ]
    finally:
        down.stop()


def test_refused_listener_parks_then_replays_once_up(http, dispatcher):
    gone = Listener()  # not started: connections are refused
    name = unique()
    sub = subscribe(http, gone.url, f"event.customer.name={name}")
    customer = new_customer(http, name)
    patch(http, customer["id"], description="later")
    drain(dispatcher, lambda: dispatcher.backlog()["pending"] == 0 and len(
        dispatcher.deliveries(status="parked", subscription_id=sub)) == 2)
    parked = dispatcher.deliveries(status="parked", subscription_id=sub)
    assert parked[0].attempts == 3 and "connection failed" in parked[0].last_error
    assert parked[1].last_error.startswith("parked behind event")
    gone.start()
    try:
        assert dispatcher.replay(subscription_id=sub) == 2
        # the listener has an event a moment before the dispatcher records its delivery
        drain(dispatcher, lambda: len(gone.received) == 2 and {
            d.status for d in dispatcher.deliveries(subscription_id=sub)} == {"delivered"})
        assert gone.event_types() == ["CustomerCreateEvent", "CustomerAttributeValueChangeEvent"]
    finally:
        gone.stop()


def test_removed_subscription_gets_nothing_more(http, dispatcher):
    gone = Listener()
    name = unique()
    sub = subscribe(http, gone.url, f"event.customer.name={name}")
    new_customer(http, name)
    dispatcher.fan_out()
    assert http.delete(f"{BASE}/hub/{sub}").status_code == 204
    dispatcher.run_until_idle()
    assert [d.status for d in dispatcher.deliveries(subscription_id=sub)] == ["dropped"]


def test_api_request_does_not_wait_for_delivery(http, dispatcher):
    slow = Listener(delay=0.2).start()
    try:
        name = unique()
        sub = subscribe(http, slow.url, f"event.customer.name={name}")
        new_customer(http, name)  # answered with the event only in the outbox
        assert slow.calls == 0
        assert dispatcher.backlog()["not_fanned_out"] >= 1
        dispatcher.run_until_idle()  # delivery is the dispatcher's job, afterwards
        assert slow.calls == 1
        assert [d.status for d in dispatcher.deliveries(subscription_id=sub)] == ["delivered"]
    finally:
        slow.stop()
        dispatcher.run_until_idle()


def test_admin_endpoint_lists_parked_replays_and_shows_backlog(http, dispatcher):
    admin = "/tmf-gateway/admin/v1"
    gone = Listener()
    name = unique()
    sub = subscribe(http, gone.url, f"event.customer.name={name}")
    new_customer(http, name)
    drain(dispatcher, lambda: len(dispatcher.deliveries(status="parked", subscription_id=sub)))
    response = http.get(f"{admin}/delivery", params={"status": "parked", "subscription": sub})
    assert response.status_code == 200, response.text
    [parked] = response.json()
    assert parked["eventType"] == "CustomerCreateEvent" and parked["attempts"] == 3
    attempts = http.get(f"{admin}/delivery/{parked['id']}/attempt").json()
    assert len(attempts) == 3 and "connection failed" in attempts[0]["error"]
    backlog = http.get(f"{admin}/backlog").json()
    assert backlog["parked"] >= 1 and backlog["not_fanned_out"] == 0
    gone.start()
    try:
        replayed = http.post(f"{admin}/replay", params={"subscription": sub})
        assert replayed.json() == {"replayed": 1}
        drain(dispatcher, lambda: len(gone.received) == 1)
        again = http.post(f"{admin}/delivery/{parked['id']}/replay")
        assert again.json() == {"replayed": 0}  # delivered now, nothing to replay
    finally:
        gone.stop()


@pytest.mark.parametrize("request_line", [
    ("GET", "/delivery/{id}/attempt"), ("POST", "/delivery/{id}/replay"),
])
def test_admin_endpoint_answers_404_for_a_delivery_that_does_not_exist(http, request_line):
    method, path = request_line
    admin = "/tmf-gateway/admin/v1"
    for missing in ("987654321", "9223372036854775807"):
        answer = http.request(method, admin + path.format(id=missing))
        assert answer.status_code == 404, answer.text
        assert answer.json()["@type"] == "Error" and missing in answer.json()["message"]
    assert http.request(method, admin + path.format(id="not-a-number")).status_code == 404


def test_events_cli_lists_and_replays(app, http, dispatcher, capsys, monkeypatch):
    from tmf_gateway import cli

    db_url = app.gateway.settings.database_url
    monkeypatch.setenv("TMF_GATEWAY_DATABASE_URL", db_url)
    gone = Listener()
    name = unique()
    sub = subscribe(http, gone.url, f"event.customer.name={name}")
    new_customer(http, name)
    drain(dispatcher, lambda: len(dispatcher.deliveries(status="parked", subscription_id=sub)))
    assert cli.main(["events", "parked", "--subscription", sub]) == 0
    assert f'"subscription_id": "{sub}"' in capsys.readouterr().out
    assert cli.main(["events", "backlog"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert cli.main(["events", "replay", "--subscription", sub]) == 0
    assert '{"replayed": 1}' in capsys.readouterr().out
    assert cli.main(["events", "backlog"]) == 0
    after = json.loads(capsys.readouterr().out)
    # other tests share this store: compare the backlog before and after this replay
    assert after["pending"] == before["pending"] + 1
    assert after["parked"] == before["parked"] - 1


def test_long_runs_to_one_listener_hand_their_slot_back_without_stalling(
    http, dispatcher, listener, monkeypatch
):
    from tmf_gateway.events import worker as worker_module

    monkeypatch.setattr(worker_module, "RUN_LENGTH", 2)
    name = unique()
    sub = subscribe(http, listener.url, f"event.customer.name={name}")
    customer = new_customer(http, name)
    for i in range(6):
        patch(http, customer["id"], description=f"d{i}")
    # A run that kept its last claim would leave the rest waiting for the lease to run out:
    # all seven must arrive, in order, at their first attempt, well inside one lease.
    started = time.monotonic()
    dispatcher.run_until_idle(timeout=dispatcher.policy.lease)
    elapsed = time.monotonic() - started
    assert [e["event"]["customer"].get("description") for e in listener.received] == [
        None, "d0", "d1", "d2", "d3", "d4", "d5",
    ]
    done = dispatcher.deliveries(subscription_id=sub)
    assert [(d.status, d.attempts) for d in done] == [("delivered", 1)] * 7
    assert elapsed < dispatcher.policy.lease / 2, f"{elapsed:.2f} s: a run stalled on a lease"


def test_events_written_while_a_subscription_is_parked_wait_and_arrive_in_order(
    http, dispatcher
):
    """A listener's later events never overtake its parked ones: they park behind them, and a
    replay delivers all of them in the order they happened."""
    gone = Listener()  # not started: connections are refused
    name = unique()
    sub = subscribe(http, gone.url, f"event.customer.name={name}")
    customer = new_customer(http, name)
    drain(dispatcher, lambda: len(dispatcher.deliveries(status="parked", subscription_id=sub)) == 1)
    for status in ("Approved", "Suspended"):  # the listener's events go on
        patch(http, customer["id"], status=status)
    dispatcher.run_until_idle()
    waiting = dispatcher.deliveries(subscription_id=sub)
    assert [d.status for d in waiting] == ["parked"] * len(waiting) and len(waiting) >= 3
    gone.start()
    try:
        dispatcher.replay(subscription_id=sub)
        drain(dispatcher, lambda: {d.status for d in dispatcher.deliveries(
            subscription_id=sub)} == {"delivered"})
        statuses = [e["event"]["customer"].get("status") for e in gone.received]
        assert gone.event_types()[0] == "CustomerCreateEvent"
        assert [s for s in statuses if s in ("Approved", "Suspended")][-2:] == [
            "Approved", "Suspended"]
        assert [e["eventId"] for e in gone.received] == [d.event_id for d in waiting]
    finally:
        gone.stop()
