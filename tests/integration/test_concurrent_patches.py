"""Concurrent PATCHes on SQLite, through two gateway processes on one file: a patch is prepared
outside the writer lock and written only if the resource did not change meanwhile, so these
check that no change is lost and that If-Match still lets exactly one writer win per version."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests

from tests.livesrv import serve

BASE = "/tmf-api/customerManagement/v4/customer"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture(scope="module")
def gateways(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-gateways")
    url = f"sqlite:///{folder / 'shared.db'}"
    with ExitStack() as stack:  # each process logs to its own gwN.log
        yield [stack.enter_context(serve(folder / f"gw{n}.db", database_url=url))
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
