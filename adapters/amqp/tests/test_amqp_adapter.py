"""The amqp adapter against RabbitMQ on 127.0.0.1: the contract, kill -9, an order end to end."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pika
import pytest
from tmf_gateway_amqp import AmqpFulfilment, create_adapter

from tmf_gateway.config import Settings
from tmf_gateway.errors import SouthboundError, SouthboundUnavailable
from tmf_gateway.ports import ItemUpdate
from tmf_gateway.testing import FulfilmentHarness, OrderFulfilmentContract, contract_tests
from tmf_gateway.testing.gateway import gateway_app

pytestmark = pytest.mark.broker
OFFERINGS = {"complete": "bb-100", "fail": "bb-fail", "refuseCancel": "bb-hold-nocancel"}
_ids = itertools.count(1)


def _order(offering: str = "bb-100") -> dict[str, Any]:
    return {"id": f"amqp-{time.time_ns()}-{next(_ids)}", "productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": offering}}]}


def _publish(url: str, queue: str, body: bytes) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue, durable=True)
    channel.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
    connection.close()


class BotHarness(FulfilmentHarness):
    timeout = 3.0  # cancel_timeout is 1 s
    settle_seconds = 5.0

    def __init__(self, queues: dict[str, Any], bot: Any) -> None:
        self.queues, self.bot = queues, bot
        self.fulfilment: AmqpFulfilment | None = None

    def adapter(self) -> AmqpFulfilment:
        self.fulfilment = AmqpFulfilment(self.queues)
        return self.fulfilment

    def order(self, outcome: str) -> dict[str, Any] | None:
        if outcome == "reject":
            return {"id": "amqp-empty", "productOrderItem": []}
        return _order(OFFERINGS[outcome]) if outcome in OFFERINGS else None

    @contextmanager
    def down(self) -> Iterator[None]:
        assert self.fulfilment is not None
        self.fulfilment.close()
        self.fulfilment.url = "amqp://guest:guest@127.0.0.1:1/%2F"  # nothing listens there
        try:
            yield
        finally:
            self.fulfilment.url = self.queues["url"]

    @contextmanager
    def slow(self) -> Iterator[None]:
        self.bot.slow = True
        try:
            yield
        finally:
            self.bot.slow = False

    @contextmanager
    def garbled(self) -> Iterator[None]:
        _publish(self.queues["url"], self.queues["updates_queue"], b"{not json")
        yield


TestAmqpFulfilment = contract_tests(OrderFulfilmentContract, BotHarness, "queues", "bot")


def test_a_poison_update_is_dropped_and_good_ones_come_back(queues):
    fulfilment = AmqpFulfilment(queues)
    good = {"orderId": "o", "itemId": "1", "state": "inProgress"}
    _publish(queues["url"], queues["updates_queue"], json.dumps(good).encode())
    _publish(queues["url"], queues["updates_queue"], b'{"orderId": "o"}')
    with pytest.raises(SouthboundError, match="without"):
        fulfilment.poll_updates()
    assert fulfilment.poll_updates() == [ItemUpdate("o", "1", "inProgress", "")]
    assert fulfilment.poll_updates() == []
    fulfilment.close()


CRASHING_GATEWAY = """
import json, os, signal, sys
from tmf_gateway_amqp import AmqpFulfilment
options, order = json.loads(sys.argv[1]), json.loads(sys.argv[2])
fulfilment = AmqpFulfilment(options)
fulfilment.submit(order)
print(json.dumps([u.state for u in fulfilment.poll_updates()]), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # before the next poll would have acked
"""


def test_kill_9_between_publish_and_ack_loses_nothing(queues):
    for state in ("inProgress", "completed"):
        update = {"orderId": "k9", "itemId": "1", "state": state}
        _publish(queues["url"], queues["updates_queue"], json.dumps(update).encode())
    order = _order()
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_GATEWAY, json.dumps(queues), json.dumps(order)],
        capture_output=True, text=True, timeout=60, check=False)
    assert child.returncode == -9, child.stderr
    assert json.loads(child.stdout) == ["inProgress", "completed"]
    restarted = AmqpFulfilment(queues)
    assert [u.state for u in restarted.poll_updates()] == ["inProgress", "completed"]
    connection = pika.BlockingConnection(pika.URLParameters(queues["url"]))
    method, props, body = connection.channel().basic_get(queues["orders_queue"], auto_ack=True)
    connection.close()
    assert method is not None and props.message_id == order["id"]
    assert json.loads(body) == order
    restarted.close()


def test_an_unreachable_broker_is_southbound_unavailable(queues):
    fulfilment = create_adapter({**queues, "url": "amqp://guest:guest@127.0.0.1:1/%2F"}).fulfilment
    with pytest.raises(SouthboundUnavailable, match=r"127\.0\.0\.1:1"):
        fulfilment.submit(_order())


def test_an_order_completes_through_the_gateway_and_rabbitmq(tmp_path, queues, bot):
    settings = Settings(catalog_unknown_offerings="pass",
                        database_url=f"sqlite:///{tmp_path / 'gw.db'}", validate_responses=True,
                        background=False, southbound="amqp", southbound_options=queues)
    with gateway_app(settings) as app, app.test_client() as http:
            orders = "/tmf-api/productOrderingManagement/v4/productOrder"
            created = http.post(orders, json={"productOrderItem": [
                {"id": "1", "action": "add", "productOffering": {"id": "bb-100"}}]})
            assert created.status_code == 201, created.text
            order_id = created.json()["id"]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                app.gateway.runner.run_pending(force=True)
                if http.get(f"{orders}/{order_id}").json()["state"] == "completed":
                    break
                time.sleep(0.1)
            assert http.get(f"{orders}/{order_id}").json()["state"] == "completed"
            assert [o["id"] for o in bot.received] == [order_id]


CRASHING_GATEWAY_APP = """
import json, os, signal, sys
from tmf_gateway.app import create_app
from tmf_gateway.config import Settings
settings = Settings(catalog_unknown_offerings="pass",
                    database_url=sys.argv[1], background=False, southbound="amqp",
                    southbound_options=json.loads(sys.argv[2]))
app = create_app(settings)
with app.test_client() as http:
    created = http.post("/tmf-api/productOrderingManagement/v4/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "bb-1"}}]})
    app.gateway.runner.run_pending(force=True)  # published, confirmed, marked submitted
    print(created.json()["id"], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_gateway_killed_after_publishing_completes_the_order_after_restart(
    tmp_path, queues, bot
):
    database_url = f"sqlite:///{tmp_path / 'gw.db'}"
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_GATEWAY_APP, database_url, json.dumps(queues)],
        capture_output=True, text=True, timeout=120, check=False)
    assert child.returncode == -9, child.stderr
    order_id = child.stdout.strip()
    settings = Settings(catalog_unknown_offerings="pass",
                        database_url=database_url, validate_responses=True, background=False,
                        southbound="amqp", southbound_options=queues)
    with gateway_app(settings) as app:
        with app.test_client() as http:
            url = f"/tmf-api/productOrderingManagement/v4/productOrder/{order_id}"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and http.get(url).json()["state"] != "completed":
                app.gateway.runner.run_pending(force=True)
                time.sleep(0.1)
            assert http.get(url).json()["state"] == "completed"
        assert [o["id"] for o in bot.received] == [order_id]  # submitted once, not again


@pytest.mark.broker
def test_orders_published_inside_a_trace_carry_its_context(queues):
    from opentelemetry.sdk.trace import TracerProvider

    fulfilment = AmqpFulfilment(queues)
    order = {"id": "traced", "productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": "fibre"}}]}
    try:
        with TracerProvider().get_tracer("test").start_as_current_span("request") as span:
            fulfilment.submit(order)
    finally:
        fulfilment.close()
    connection = pika.BlockingConnection(pika.URLParameters(queues["url"]))
    try:
        _, properties, _ = connection.channel().basic_get(queues["orders_queue"], auto_ack=True)
    finally:
        connection.close()
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert properties.headers["traceparent"].split("-")[1] == trace_id
