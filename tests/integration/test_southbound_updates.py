"""Item updates from the legacy order system are never dropped: not when the order keeps
changing under them, not when they arrive while a cancellation is being decided."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.config import Settings
from tmf_gateway.domain.resources import PRODUCT_ORDER
from tmf_gateway.services.fulfilment import RETRIES
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.testing.gateway import gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
RESOURCES = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]


class ContendedStore:
    """A real memory store where, while `busy` is above zero, another writer changes the order
    between every read and write (its version moves on, so the stale write is refused by the
    store's own version check)."""

    def __init__(self) -> None:
        self.inner = MemoryStore(RESOURCES)
        self.busy = 0
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @contextmanager
    def unit_of_work(self, write: bool = False) -> Iterator[Any]:
        with self.inner.unit_of_work(write) as uow:
            yield _ContendedUnit(self, uow)


class _ContendedUnit:
    def __init__(self, store: ContendedStore, uow: Any) -> None:
        self.store, self.uow = store, uow

    def __getattr__(self, name: str) -> Any:
        return getattr(self.uow, name)

    def replace(self, kind: str, resource_id: str, doc: dict[str, Any], expected: int) -> Any:
        if kind == PRODUCT_ORDER.kind and self.store.busy > 0:
            self.store.busy -= 1
            self.store.refused += 1
            current = self.uow.get(kind, resource_id)
            self.uow.replace(kind, resource_id, current.doc, current.version)  # the other writer
        return self.uow.replace(kind, resource_id, doc, expected)


@pytest.fixture
def store():
    return ContendedStore()


@pytest.fixture
def app(store):
    settings = Settings(store="memory", validate_responses=True, background=False,
                        southbound_options={"fulfilment": {"delay": 0}})
    with gateway_app(settings, store=store) as application:
        yield application



def place(http, offering: str) -> str:
    body = {"productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": offering}}]}
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def order_of(http, order_id: str) -> dict[str, Any]:
    return http.get(f"{ORDERS}/productOrder/{order_id}").json()


def test_an_update_that_loses_every_retry_is_kept_and_applied_later(app, http, store):
    processor = app.gateway.services.ordering.processor
    order_id = place(http, "fibre-1g")
    processor.submit_pending()
    assert order_of(http, order_id)["state"] == "inProgress"
    store.busy = RETRIES  # the order changes under every attempt of the first update
    processor.poll()
    assert store.refused == RETRIES
    assert [u.state for u in processor.deferred] == ["inProgress", "completed"]
    assert order_of(http, order_id)["productOrderItem"][0]["state"] == "acknowledged"
    processor.poll()  # the other writer is done: the kept updates apply, in order
    done = order_of(http, order_id)
    assert processor.deferred == []
    assert (done["state"], done["productOrderItem"][0]["state"]) == ("completed", "completed")
    items = [e["state"] for e in done["stateChange"] if e.get("productOrderItemId") == "1"]
    assert items == ["inProgress", "completed"]


def test_a_completion_during_a_refused_cancellation_is_applied_after_it(app, http):
    processor = app.gateway.services.ordering.processor
    order_id = place(http, "fibre-nocancel")  # completes; the order system refuses to cancel
    processor.submit_pending()
    task = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": order_id}})
    assert task.status_code == 201, task.text
    cancellations = app.gateway.services.ordering.cancellations
    assert cancellations.start(task.json()["id"])  # the order system is to be asked now
    assert order_of(http, order_id)["state"] == "assessingCancellation"
    processor.poll()  # the completion arrives while the cancellation is being decided
    assert order_of(http, order_id)["state"] == "assessingCancellation"
    cancellations.carry_out(task.json()["id"])
    assert order_of(http, order_id)["state"] == "inProgress"
    processor.poll()
    done = order_of(http, order_id)
    assert (done["state"], done["productOrderItem"][0]["state"]) == ("completed", "completed")
    refused = http.get(f"{ORDERS}/cancelProductOrder/{task.json()['id']}").json()
    assert refused["state"] == "terminatedWithError"
