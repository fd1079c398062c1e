"""`fields` in a hub subscription query shapes the notifications as it shapes a list: exactly the
named attributes of the resource (the envelope stays whole)."""

from __future__ import annotations

import pytest

from tests.e2e.v4client import CUSTOMERS, INSTANT
from tests.integration.listeners import Listener
from tmf_gateway.testing.gateway import gateway_app, sqlite_in


@pytest.mark.parametrize("keep_identity", [False, True])
def test_subscription_fields_select_the_event_resource_attributes(tmp_path, keep_identity):
    shaped, whole = Listener().start(), Listener().start()
    try:
        with gateway_app(database_url=sqlite_in(tmp_path), fields_keep_identity=keep_identity,
                         southbound_options=INSTANT) as app, app.test_client() as http:
            for listener, query in ((shaped, "eventType=CustomerCreateEvent&fields=name,status"),
                                    (whole, "eventType=CustomerCreateEvent")):
                answer = http.post(f"{CUSTOMERS}/hub",
                                   json={"callback": listener.url, "query": query})
                assert answer.status_code == 201, answer.text
            created = http.post(f"{CUSTOMERS}/customer", json={
                "name": "Ada", "engagedParty": {"id": "p", "@referredType": "Individual"}})
            assert created.status_code == 201
            app.gateway.services.events.run_until_idle()
        customer = created.json()
        expected = {"name": "Ada", "status": customer["status"]}
        if keep_identity:
            expected.update({key: customer[key] for key in ("id", "href", "@type")})
        assert [e["event"]["customer"] for e in shaped.received] == [expected]
        assert shaped.received[0]["eventType"] == "CustomerCreateEvent"
        assert whole.received[0]["event"]["customer"] == customer
    finally:
        shaped.stop()
        whole.stop()
