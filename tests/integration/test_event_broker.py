"""The broker publisher against the real RabbitMQ on 127.0.0.1:5672 (guest/guest)."""

from __future__ import annotations

import json
import socket
import time
import uuid

import pika
import pytest

from tests.tcpproxy import TcpProxy
from tmf_gateway.testing.gateway import create_customer, gateway_app

pytestmark = pytest.mark.broker
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
BASE = "/tmf-api/customerManagement/v4"


def _reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def channel():
    if not _reachable():
        pytest.skip("RabbitMQ is not reachable on 127.0.0.1:5672")
    connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    yield connection.channel()
    connection.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("broker") / "broker.db"
    with gateway_app(database_url=f"sqlite:///{db}", broker_url=BROKER_URL) as app:
        yield app


def test_every_event_is_published_to_the_api_exchange_keyed_by_event_type(app, channel):
    exchange = "tmf-gateway.TMF629"
    channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, exchange, routing_key="#")
    name = f"broker-{uuid.uuid4().hex[:8]}"
    with app.test_client() as client:
        created = client.post(
            f"{BASE}/customer",
            json={"name": name, "engagedParty": {"id": "1", "@referredType": "Organization"}},
        ).json()
        client.patch(
            f"{BASE}/customer/{created['id']}",
            json={"description": "x"},
            headers={"Content-Type": "application/merge-patch+json"},
        )
    dispatcher = app.gateway.services.events
    dispatcher.run_until_idle()
    assert dispatcher.backlog()["not_published"] == 0
    received = []
    deadline = time.monotonic() + 10
    while len(received) < 2 and time.monotonic() < deadline:
        method, props, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            time.sleep(0.05)
            continue
        event = json.loads(body)
        if event["event"]["customer"]["name"] == name:
            received.append((method.routing_key, props.message_id, event))
    assert [key for key, _, _ in received] == [
        "CustomerCreateEvent", "CustomerAttributeValueChangeEvent"
    ]
    assert all(message_id == event["eventId"] for _, message_id, event in received)


def test_publishing_resumes_after_the_broker_was_unreachable(tmp_path):
    if not _reachable():
        pytest.skip("RabbitMQ is not reachable on 127.0.0.1:5672")
    from tmf_gateway.events.amqp import AmqpPublisher, BrokerUnavailable

    dead = AmqpPublisher("amqp://guest:guest@127.0.0.1:1/%2F?connection_attempts=1")
    with pytest.raises(BrokerUnavailable):
        dead.publish("TMF629", [{"eventType": "X", "eventId": "1"}])
    live = AmqpPublisher(BROKER_URL)
    live.publish("TMF629", [{"eventType": "GatewayTestEvent", "eventId": "2"}])
    live.close()


@pytest.fixture
def proxy(channel):
    started = TcpProxy(("127.0.0.1", 5672)).start()
    yield started
    started.stop()


def test_events_written_during_a_broker_outage_are_published_once_in_order_after_it(
    tmp_path, channel, proxy
):
    url = f"amqp://guest:guest@127.0.0.1:{proxy.port}/%2F?connection_attempts=1&socket_timeout=2"
    exchange = "tmf-gateway.TMF629"
    channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, exchange, routing_key="#")
    name = f"outage-{uuid.uuid4().hex[:8]}"
    with gateway_app(database_url=f"sqlite:///{tmp_path}/outage.db", broker_url=url) as app, \
            app.test_client() as client:
        dispatcher = app.gateway.services.events
        create_customer(client, f"{name}-0")
        dispatcher.run_until_idle()  # published while up: the publisher holds a connection
        assert dispatcher.backlog()["not_published"] == 0
        proxy.stop()  # the broker goes away: that connection is cut, new ones refused
        for n in (1, 2, 3):
            create_customer(client, f"{name}-{n}")
        for _ in range(2):
            dispatcher.pump()
        assert dispatcher.backlog()["not_published"] == 3
        proxy.start()
        dispatcher.run_until_idle()
        assert dispatcher.backlog()["not_published"] == 0
    received = []
    while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
        event = json.loads(message[2])
        if event["event"]["customer"]["name"].startswith(name):
            received.append((message[1].message_id, event["event"]["customer"]["name"]))
    assert [customer for _, customer in received] == [f"{name}-{n}" for n in range(4)]
    assert len({message_id for message_id, _ in received}) == 4
