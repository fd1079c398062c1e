"""Orders in flight when the gateway restarts: the simulator takes them up from the gateway's
store; when a legacy system lost them instead, the reconciliation job finds them stalled and
submits them again, and they complete; an order the legacy system has but does not move gets a
jeopardy alert."""

from __future__ import annotations

import logging
import sqlite3
import time

from tmf_gateway.testing.gateway import gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"


def _gateway(db, delay: float):
    return gateway_app(
        database_url=f"sqlite:///{db}", southbound_options={"fulfilment": {"delay": delay}},
        ordering={"stall_seconds": 0.3},
    )


def _order(app) -> str:
    with app.test_client() as http:
        body = {"name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
        cid = http.post(f"{CUSTOMERS}/customer", json=body).json()["id"]
        created = http.post(f"{ORDERS}/productOrder", json={
            "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "tv"}}],
            "relatedParty": [{"id": cid, "@referredType": "Customer", "role": "Customer"}],
        })
        assert created.status_code == 201, created.text
        return created.json()["id"]


def _state(app, order_id: str) -> dict:
    return app.gateway.services.ordering.processor.orders.get(order_id).doc


def test_an_order_in_flight_at_a_restart_completes_with_the_simulator(tmp_path):
    db = tmp_path / "gw.db"
    with _gateway(db, delay=0.05) as first:
        order_id = _order(first)
        first.gateway.services.ordering.processor.submit_pending()
    # the gateway stopped before the simulator moved the order on

    with _gateway(db, delay=0.05) as second:
        processor = second.gateway.services.ordering.processor
        for _ in range(10):
            time.sleep(0.06)
            processor.poll()
        order = _state(second, order_id)
        assert order["state"] == "completed" and "resubmissions" not in order["fulfilment"]
        with second.gateway.store.unit_of_work() as uow:  # finished: the simulator forgot it
            assert uow._conn.exec_driver_sql("select count(*) from southbound_state").scalar() == 0


def test_an_order_the_legacy_system_lost_is_resubmitted_and_completes(tmp_path, caplog):
    db = tmp_path / "gw.db"
    with _gateway(db, delay=0.05) as first:
        order_id = _order(first)
        first.gateway.services.ordering.processor.submit_pending()
        assert _state(first, order_id)["state"] == "inProgress"
        assert first.gateway.services.ordering.reconciler.run() == 0  # it just moved
    # the gateway stopped before the simulator moved the order on
    with sqlite3.connect(db) as conn:  # and the legacy system lost its orders in flight
        conn.execute("delete from southbound_state")

    with _gateway(db, delay=0.05) as second:
        processor = second.gateway.services.ordering.processor
        reconciler = second.gateway.services.ordering.reconciler
        time.sleep(0.4)
        processor.poll()  # the new simulator knows nothing of it: no news, ever
        with caplog.at_level(logging.WARNING, logger="tmf_gateway.services.reconcile"):
            assert reconciler.run() == 1
        assert "1 orders in progress without progress for 0.3 s: 1 resubmitted" in caplog.text
        for _ in range(10):
            time.sleep(0.06)
            processor.poll()
        order = _state(second, order_id)
        assert order["state"] == "completed"
        assert order["fulfilment"]["resubmissions"] == 1


def test_an_order_the_legacy_system_has_but_does_not_move_gets_one_jeopardy_alert(tmp_path):
    with _gateway(tmp_path / "gw.db", delay=3600) as app:  # accepted, then silent for an hour
        order_id = _order(app)
        processor = app.gateway.services.ordering.processor
        processor.submit_pending()
        time.sleep(0.4)
        for _ in range(2):
            app.gateway.services.ordering.reconciler.run()
        order = _state(app, order_id)
        alerts = order.get("productOrderJeopardyAlert", [])
        assert [a["jeopardyType"] for a in alerts] == ["stalled"]
        assert order["state"] == "inProgress" and "resubmissions" not in order["fulfilment"]
        with app.gateway.store.unit_of_work() as uow:
            types = [e.event_type for e in uow.outbox_after(0, 100)]
        assert types.count("ProductOrderJeopardyAlertEvent") == 1
