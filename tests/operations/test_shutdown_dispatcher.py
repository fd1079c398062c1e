"""At shutdown the dispatcher's deliveries in flight finish (within the bound) and are recorded."""

from __future__ import annotations

import time

from tests.integration.listeners import Listener
from tmf_gateway.ops.setup import shutdown
from tmf_gateway.testing.gateway import gateway_app, sqlite_in

CUSTOMERS = "/tmf-api/customerManagement/v4"


def test_a_delivery_in_flight_at_shutdown_completes_and_is_recorded(tmp_path):
    listener = Listener(delay=1.0).start()
    try:
        with gateway_app(database_url=sqlite_in(tmp_path), background=True,
                         dispatch_interval=0.05, shutdown_timeout=5) as app:
            with app.test_client() as http:
                http.post(f"{CUSTOMERS}/hub", json={"callback": listener.url})
                body = {"name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
                assert http.post(f"{CUSTOMERS}/customer", json=body).status_code == 201
                deadline = time.monotonic() + 10
                while listener.calls == 0 and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert listener.calls == 1  # the listener is answering, slowly
                started = time.monotonic()
                shutdown(app.gateway)
                took = time.monotonic() - started
            dispatcher = app.gateway.services.events
            assert dispatcher.idle()
            assert 0.5 < took < 5
            assert [d.status for d in dispatcher.deliveries()] == ["delivered"]
            assert len(listener.received) == 1
    finally:
        listener.stop()
