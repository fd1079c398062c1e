"""Concurrent PATCHes through two gateway processes on one SQLite file and on one PostgreSQL
schema: a patch is prepared outside the writer lock and written only if the resource did not
change meanwhile, else re-applied under a lock, so these check that every patch without If-Match
succeeds, no change is lost, and If-Match still lets exactly one writer win per version."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests

from tests.livesrv import serve
from tests.pg import fresh_schema

BASE = "/tmf-api/customerManagement/v4/customer"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                 marks=pytest.mark.postgres)])
def gateways(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"{request.param}-gateways")
    with ExitStack() as stack:  # each process logs to its own gwN.log
        if request.param == "sqlite":
            url, env = f"sqlite:///{folder / 'shared.db'}", {}
        else:
            url, env = stack.enter_context(fresh_schema()), {"TMF_GATEWAY_STORE": "postgresql"}
        yield [stack.enter_context(serve(folder / f"gw{n}.db", database_url=url,
                                         TMF_GATEWAY_BACKGROUND="false", **env))
               for n in (1, 2)]


def _create(base: str) -> dict:
    body = {"name": f"c-{uuid.uuid4().hex[:8]}",
            "engagedParty": {"id": "500", "@referredType": "Organization"}}
    response = requests.post(base + BASE, json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def test_concurrent_patches_of_different_fields_all_survive(gateways):
    created = _create(gateways[0])
    fields = ("description", "statusReason", "name")
    jobs = [(gateways[i % 2], fields[i % 3], f"{fields[i % 3]}-{i}") for i in range(24)]

    def patch(job: tuple[str, str, str]) -> int:
        base, field, value = job
        return requests.patch(f"{base}{BASE}/{created['id']}", json={field: value},
                              headers=MERGE, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert set(pool.map(patch, jobs)) == {200}
    final = requests.get(f"{gateways[1]}{BASE}/{created['id']}", timeout=10)
    assert final.headers["etag"] == '"25"'  # every one of the 24 changes was written, in turn
    doc = final.json()
    for field in fields:  # each field holds one of the values written to it
        assert doc[field] in {value for _, f, value in jobs if f == field}


def test_concurrent_if_match_patches_one_winner(gateways):
    created = _create(gateways[0])

    def patch(n: int) -> int:
        return requests.patch(f"{gateways[n % 2]}{BASE}/{created['id']}",
                              json={"description": f"w{n}"},
                              headers={**MERGE, "If-Match": '"1"'}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(patch, range(30)))
    assert sorted(set(statuses)) == [200, 412] and statuses.count(200) == 1
    final = requests.get(f"{gateways[1]}{BASE}/{created['id']}", timeout=10)
    assert final.headers["etag"] == '"2"'


def test_a_hundred_concurrent_patches_of_different_fields_all_succeed(gateways):
    """100 clients, half on each process, patch one customer without If-Match: every one gets
    200 (none a 412 'keeps changing') and every change is written."""
    created = _create(gateways[0])
    url = f"{BASE}/{created['id']}"

    def patch(n: int) -> int:
        body = {"description": f"d{n}"} if n % 2 else {"statusReason": f"r{n}"}
        return requests.patch(gateways[n % 2] + url, json=body, headers=MERGE,
                              timeout=60).status_code

    with ThreadPoolExecutor(max_workers=100) as pool:
        statuses = list(pool.map(patch, range(100)))
    assert statuses == [200] * 100
    final = requests.get(gateways[0] + url, timeout=10)
    assert final.headers["etag"] == '"101"'  # all 100 changes written, one after another
