"""Every way an order's state can change goes through the domain's state machines: a client's
PATCH, the cancellation job, a legacy system's callback and polled updates, and the jeopardy
job. An illegal move through any of them is refused and leaves the stored order as it was."""

from __future__ import annotations

import pytest

from tests.e2e.v4client import MERGE, ORDERS, events
from tmf_gateway.domain.resources import CANCEL_PRODUCT_ORDER
from tmf_gateway.errors import IllegalTransition
from tmf_gateway.ports import ItemUpdate
from tmf_gateway.services.callback import CallbackReceiver, SignatureCheck, sign
from tmf_gateway.services.callback_log import for_store as signature_log

SECRET = b"state-machine-paths"


def new_order(http, offering: str, **extra) -> dict:
    body = {"productOrderItem": [{"id": "1", "action": "add",
                                  "productOffering": {"id": offering}}], **extra}
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def stored(app, order_id: str):
    return app.gateway.services.ordering.processor.orders.get(order_id)


def running(app, http, offering: str = "fibre-hold", **extra) -> dict:
    """An order the simulator accepted (fibre-hold stays open, fibre-1g completes)."""
    order = new_order(http, offering, **extra)
    processor = app.gateway.services.ordering.processor
    processor.submit_pending()
    processor.poll()
    return stored(app, order["id"]).doc


def test_a_client_patch_cannot_skip_the_order_lifecycle(app, http):
    order = new_order(http, "fibre-hold")
    before = stored(app, order["id"])
    response = http.patch(f"{ORDERS}/productOrder/{order['id']}", json={"state": "completed"},
                          headers=MERGE)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == IllegalTransition.code
    assert "allowed next states: inProgress, pending, rejected" in response.json()["message"]
    assert stored(app, order["id"]) == before


def test_a_legacy_update_the_item_lifecycle_forbids_changes_nothing(app, http):
    order = running(app, http, "fibre-1g")
    assert order["state"] == "completed"
    before = stored(app, order["id"])
    processor = app.gateway.services.ordering.processor
    with pytest.raises(IllegalTransition):
        processor.apply_update(ItemUpdate(order["id"], "1", "acknowledged"))
    assert stored(app, order["id"]) == before


class CallbackAdapter:
    """A legacy system that POSTs item states as {"order": .., "item": .., "state": ..}."""

    def callback_secret(self) -> bytes:
        return SECRET

    def parse_callback(self, body: dict) -> list[ItemUpdate]:
        return [ItemUpdate(body["order"], body["item"], body["state"])]


def test_a_callback_the_item_lifecycle_forbids_is_left_alone(app, http):
    order = running(app, http, "fibre-1g")
    before = stored(app, order["id"])
    store = app.gateway.store
    receiver = CallbackReceiver("crm", CallbackAdapter(), store,
                                app.gateway.services.ordering.processor.apply_update,
                                SignatureCheck(signature_log(store)))
    raw = b'{"order": "%s", "item": "1", "state": "inProgress"}' % order["id"].encode()
    counts = receiver.receive("crm", raw, sign(SECRET, raw))
    assert counts == {"received": 1, "applied": 0, "ignored": 1}
    assert stored(app, order["id"]) == before


def test_the_cancellation_job_does_not_move_a_task_that_already_ended(app, http):
    order = running(app, http)
    task = http.post(f"{ORDERS}/cancelProductOrder",
                     json={"productOrder": {"id": order["id"]}}).json()
    cancellations = app.gateway.services.ordering.cancellations
    assert cancellations.start(task["id"])
    assessing = stored(app, order["id"])
    assert assessing.doc["state"] == "assessingCancellation"
    with app.gateway.store.unit_of_work(write=True) as uow:  # ended by someone else meanwhile
        ended = uow.get(CANCEL_PRODUCT_ORDER.kind, task["id"])
        uow.replace(CANCEL_PRODUCT_ORDER.kind, task["id"],
                    {**ended.doc, "state": "terminatedWithError"}, ended.version)
    with pytest.raises(IllegalTransition):
        cancellations.carry_out(task["id"])  # terminatedWithError -> done
    assert stored(app, order["id"]) == assessing


def test_the_jeopardy_job_flags_open_orders_once_and_final_ones_never(app, http):
    soon = {"requestedCompletionDate": "2099-01-01T00:00:00Z"}
    open_order = running(app, http, "fibre-hold", **soon)
    done = running(app, http, "fibre-1g", **soon)
    assert open_order["state"] in ("inProgress", "held") and done["state"] == "completed"
    before = stored(app, done["id"])
    processor = app.gateway.services.ordering.processor
    processor.ctx.options["jeopardy_margin_seconds"] = 10 ** 10  # 2099 is "near"
    try:
        processor.check_jeopardy()
        processor.check_jeopardy()
    finally:
        del processor.ctx.options["jeopardy_margin_seconds"]
    alerts = stored(app, open_order["id"]).doc["productOrderJeopardyAlert"]
    assert [a["jeopardyType"] for a in alerts] == ["approaching"]
    assert len(events(app, open_order["id"], "ProductOrderJeopardyAlertEvent")) == 1
    assert stored(app, done["id"]) == before
    assert events(app, done["id"], "ProductOrderJeopardyAlertEvent") == []
