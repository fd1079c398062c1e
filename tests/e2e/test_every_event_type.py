"""Every event type our TMF specs declare is emitted by some process: one story over HTTP
(customer, order, cancellation, ticket) and the outbox compared with the specs' list."""

from __future__ import annotations

import yaml

from tmf_gateway.specs import spec_path
from tmf_gateway.testing.gateway import create_customer, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
MERGE = {"Content-Type": "application/merge-patch+json"}
SPECS = ("tmf629-customer-v4.yaml", "tmf622-product-ordering-v4.yaml",
         "tmf621-trouble-ticket-v4.yaml")


def spec_event_types() -> set[str]:
    """The event schemas of the specs (`<Resource><Something>Event` with an eventType)."""
    found = set()
    for name in SPECS:
        schemas = yaml.safe_load(spec_path(name).read_text())["components"]["schemas"]
        found |= {key for key, schema in schemas.items()
                  if key.endswith("Event") and "eventType" in (schema.get("properties") or {})}
    return found


def outbox_types(app) -> dict[str, list[str]]:
    with app.gateway.store.unit_of_work() as uow:
        events = uow.outbox_after(0, 1_000_000)
    found: dict[str, list[str]] = {}
    for event in events:
        found.setdefault(event.event_type, []).append(event.resource_id)
    return found


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_the_spec_list_is_what_we_expect():
    assert {"TroubleTicketResolvedEvent", "TroubleTicketInformationRequiredEvent",
            "CancelProductOrderInformationRequiredEvent"} <= spec_event_types()
    assert len(spec_event_types()) >= 18


def test_every_event_type_in_our_specs_is_emitted(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0}}) as app, \
            app.test_client() as http:
        processor = app.gateway.services.ordering.processor
        cancellations = app.gateway.services.ordering.cancellations
        # customers: create, change, state change, delete
        passing = create_customer(http, "Passing")
        ok(http.patch(f"{CUSTOMERS}/customer/{passing['id']}", headers=MERGE,
                      json={"status": "Approved", "description": "moved"}))
        ok(http.delete(f"{CUSTOMERS}/customer/{passing['id']}"), 204)
        customer = create_customer(http, "Ada")
        party = [{"id": customer["id"], "@referredType": "Customer", "role": "Customer"}]
        # orders: one missing details (information required), one awaiting acceptance
        vague = ok(http.post(f"{ORDERS}/productOrder", json={
            "productOrderItem": [{"id": "1", "action": "add"}], "relatedParty": party}), 201)
        accept = ok(http.post(f"{ORDERS}/productOrder", json={
            "productOrderItem": [{"id": "1", "action": "add",
                                  "productOffering": {"id": "fibre-accept"}}],
            "relatedParty": party}), 201)
        processor.submit_pending()
        processor.poll()
        assert ok(http.get(f"{ORDERS}/productOrder/{accept['id']}"))["state"] == "pending"
        ok(http.patch(f"{ORDERS}/productOrder/{vague['id']}", headers=MERGE,
                      json={"description": "no idea yet"}))
        # cancellations: one waiting for the customer's acceptance, one carried out
        ok(http.post(f"{ORDERS}/cancelProductOrder",
                     json={"productOrder": {"id": accept["id"]}}), 201)
        ok(http.post(f"{ORDERS}/cancelProductOrder",
                     json={"productOrder": {"id": vague["id"]}}), 201)
        waiting = ok(http.post(f"{ORDERS}/cancelProductOrder",
                               json={"productOrder": {"id": accept["id"]}}), 201)
        cancellations.run()
        assert ok(http.get(f"{ORDERS}/productOrder/{vague['id']}"))["state"] == "cancelled"
        # the delivery awaits the customer's answer: the cancellation waits for it
        assert ok(http.get(f"{ORDERS}/cancelProductOrder/{waiting['id']}"))["state"] == (
            "acknowledged")
        assert ok(http.get(f"{ORDERS}/productOrder/{accept['id']}"))["state"] == "pending"
        ok(http.delete(f"{ORDERS}/productOrder/{vague['id']}"), 204)
        # tickets: pending (information required), resolved, changed, deleted
        ticket = ok(http.post(f"{TICKETS}/troubleTicket", json={
            "description": "no sync", "severity": "Major", "ticketType": "Incident",
            "relatedParty": party}), 201)
        url = f"{TICKETS}/troubleTicket/{ticket['id']}"
        for status in ("inProgress", "pending", "inProgress", "resolved"):
            ok(http.patch(url, headers=MERGE, json={"status": status}))
        ok(http.patch(url, headers=MERGE, json={"description": "no sync since Monday"}))
        ok(http.delete(url), 204)
        emitted = outbox_types(app)
        missing = spec_event_types() - set(emitted)
        assert not missing, f"declared in our specs, never emitted: {sorted(missing)}"
        assert emitted["TroubleTicketResolvedEvent"] == [ticket["id"]]
        assert emitted["TroubleTicketInformationRequiredEvent"] == [ticket["id"]]
        assert len(emitted["CancelProductOrderInformationRequiredEvent"]) == 2
