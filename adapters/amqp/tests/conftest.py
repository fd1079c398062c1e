"""Fixtures for the amqp adapter: the RabbitMQ server on this machine, queues per test."""

from __future__ import annotations

import uuid

import pika
import pytest
from amqp_legacy_bot import LegacyBot

from tmf_gateway.testing import ci

# the CI rule of tests/conftest.py, here too: under CI=true a broker test must not skip
pytest_collection_modifyitems = ci.pytest_collection_modifyitems
pytest_runtest_makereport = ci.pytest_runtest_makereport

BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


@pytest.fixture(scope="session")
def broker_url():
    try:
        pika.BlockingConnection(pika.URLParameters(BROKER_URL + "?connection_attempts=1")).close()
    except pika.exceptions.AMQPError:
        pytest.skip("RabbitMQ is not reachable on 127.0.0.1:5672")
    return BROKER_URL


@pytest.fixture
def queues(broker_url):
    """Fresh queue names, deleted afterwards."""
    suffix = uuid.uuid4().hex[:8]
    names = {"url": broker_url, "orders_queue": f"test.orders.{suffix}",
             "updates_queue": f"test.updates.{suffix}", "cancel_timeout": 1.0}
    yield names
    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    channel = connection.channel()
    for queue in (names["orders_queue"], names["updates_queue"]):
        channel.queue_delete(queue)
    connection.close()


@pytest.fixture
def bot(queues):
    legacy = LegacyBot(queues["url"], queues["orders_queue"], queues["updates_queue"]).start()
    yield legacy
    legacy.stop()
