"""Several gateway processes on one PostgreSQL database: shared state, If-Match, events once."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack

import pytest
import requests

from tests.integration.listeners import Listener
from tests.livesrv import serve
from tests.pg import fresh_schema

pytestmark = pytest.mark.postgres

BASE = "/tmf-api/customerManagement/v4"
PG_ENV = {"TMF_GATEWAY_STORE": "postgresql", "TMF_GATEWAY_DISPATCH_INTERVAL": "0.05"}


@pytest.fixture(scope="module")
def gateways(tmp_path_factory):
    """Two gateway processes, one fresh PostgreSQL schema."""
    logs = tmp_path_factory.mktemp("pg-gateways")
    with fresh_schema() as url, ExitStack() as stack:
        yield [
            stack.enter_context(serve(logs / f"gw{n}.db", database_url=url, **PG_ENV))
            for n in (1, 2)
        ]


def _create(base: str, **extra) -> dict:
    body = {
        "name": f"c-{uuid.uuid4().hex[:8]}",
        "engagedParty": {"id": "500", "@referredType": "Organization"},
        **extra,
    }
    response = requests.post(f"{base}{BASE}/customer", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def test_created_through_one_is_read_patched_and_listed_through_the_other(gateways):
    one, two = gateways
    created = _create(one, description="via one")
    got = requests.get(f"{two}{BASE}/customer/{created['id']}", timeout=10)
    assert got.status_code == 200 and got.json()["name"] == created["name"]
    patched = requests.patch(
        f"{two}{BASE}/customer/{created['id']}",
        json={"description": "via two"},
        headers={"If-Match": got.headers["etag"]},
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    listed = requests.get(f"{one}{BASE}/customer", params={"name": created["name"]}, timeout=10)
    assert [c["description"] for c in listed.json()] == ["via two"]
    again = requests.get(f"{one}{BASE}/customer/{created['id']}", timeout=10)
    assert again.headers["etag"] == '"2"'


def test_events_are_delivered_once_with_two_dispatchers(gateways):
    one = gateways[0]
    listener = Listener().start()
    try:
        tag = uuid.uuid4().hex[:8]
        sub = requests.post(
            f"{one}{BASE}/hub",
            json={"callback": listener.url, "query": "eventType=CustomerCreateEvent"},
            timeout=10,
        )
        assert sub.status_code == 201, sub.text
        names = [f"ev-{tag}-{n}" for n in range(20)]
        for n, name in enumerate(names):
            _create(gateways[n % 2], name=name)
        deadline = time.monotonic() + 30

        def owed() -> int:  # once nothing is pending or unfanned, nothing more can arrive
            backlog = requests.get(f"{one}/tmf-gateway/admin/v1/backlog", timeout=10).json()
            return int(backlog["pending"] + backlog["not_fanned_out"])

        while (len(listener.received) < len(names) or owed()) and time.monotonic() < deadline:
            time.sleep(0.1)
        got = [e["event"]["customer"]["name"] for e in listener.received]
        assert sorted(got) == sorted(names)  # each exactly once
        assert got == names  # in order, for one subscription
    finally:
        listener.stop()


def _patch_with_if_match(job: tuple[str, str, int]) -> tuple[int, str, int]:
    """GET the ETag, then PATCH with If-Match: (status, ETag used, worker number)."""
    base, resource, n = job
    url = f"{base}{BASE}/customer/{resource}"
    tag = requests.get(url, timeout=30).headers["etag"]
    response = requests.patch(
        url, json={"description": f"w{n}"}, headers={"If-Match": tag}, timeout=30
    )
    return response.status_code, tag, n


def _patch_field(job: tuple[str, str, str, str]) -> int:
    base, resource, field, value = job
    response = requests.patch(f"{base}{BASE}/customer/{resource}", json={field: value}, timeout=30)
    return response.status_code


def test_100_concurrent_if_match_patches_one_winner_per_version(gateways):
    created = _create(gateways[0])
    jobs = [(gateways[n % 2], created["id"], n) for n in range(100)]
    with ProcessPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_patch_with_if_match, jobs))
    assert {status for status, _, _ in results} <= {200, 412}
    winners = [(tag, n) for status, tag, n in results if status == 200]
    by_version: dict[str, int] = {}
    for tag, _ in winners:
        by_version[tag] = by_version.get(tag, 0) + 1
    assert all(count == 1 for count in by_version.values()), by_version
    final = requests.get(f"{gateways[1]}{BASE}/customer/{created['id']}", timeout=10)
    assert final.headers["etag"] == f'"{1 + len(winners)}"'  # no update lost
    last = max(winners, key=lambda w: int(w[0].strip('"')))
    assert final.json()["description"] == f"w{last[1]}"


def test_concurrent_patches_of_different_fields_without_if_match_both_survive(gateways):
    for _ in range(5):
        created = _create(gateways[0])
        jobs = [
            (gateways[0], created["id"], "description", "from one"),
            (gateways[1], created["id"], "statusReason", "from two"),
        ] * 4
        with ProcessPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(_patch_field, jobs)) == {200}
        final = requests.get(f"{gateways[1]}{BASE}/customer/{created['id']}", timeout=10).json()
        assert (final["description"], final["statusReason"]) == ("from one", "from two")
