"""Rate limits shared by two gateway processes through the real Redis on 127.0.0.1:6379.

Two app instances stand in for two workers: each has its own limiter object, and only the
storage (Redis) is common. With `memory://` the same calls pass, because each counts alone.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from tmf_gateway.config import Settings
from tmf_gateway.security.keys import KeyService
from tmf_gateway.testing.gateway import gateway_app

pytestmark = pytest.mark.redis
REDIS_URL = "redis://127.0.0.1:6379"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def _reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def workers(tmp_path, request):
    """Two apps on one SQLite file, limiting client `limited-*` to 4 calls per 8 seconds."""
    storage = request.param
    if storage.startswith("redis") and not _reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    client = f"limited-{uuid.uuid4().hex[:8]}"  # fresh counters in Redis on every run
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'shared.db'}", background=False, security="on",
        rate_limits={client: 0.5}, rate_limit_burst=4, rate_limit_storage=storage,
    )
    with gateway_app(settings) as one, gateway_app(settings) as two:
        key = KeyService(one.gateway.services.security.store).create(
            client, ["customer:read"]
        )[1]
        with one.test_client() as first, two.test_client() as second:
            yield first, second, {"X-API-Key": key}


@pytest.mark.parametrize("workers", [REDIS_URL], indirect=True)
def test_two_workers_share_one_limit_through_redis(workers):
    first, second, key = workers
    statuses = [
        (first if n % 2 == 0 else second).get(CUSTOMERS, headers=key).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 200]  # two calls on each worker, four in all
    for worker in (first, second):
        refused = worker.get(CUSTOMERS, headers=key)
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "ERR429"
        assert 1 <= int(refused.headers["Retry-After"]) <= 8


@pytest.mark.parametrize("workers", ["memory://"], indirect=True)
def test_with_memory_storage_each_worker_counts_alone(workers):
    first, second, key = workers
    statuses = [
        (first if n % 2 == 0 else second).get(CUSTOMERS, headers=key).status_code
        for n in range(8)
    ]
    assert statuses == [200] * 8  # four on each: the limit of one process, not of the gateway
    assert first.get(CUSTOMERS, headers=key).status_code == 429
