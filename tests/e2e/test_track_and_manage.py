"""Track & Manage over HTTP: notes are append-only, and the background jobs see every open
order however many there are (SQLite, the simulator at zero delay)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tmf_gateway.testing.gateway import gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
MERGE = {"Content-Type": "application/merge-patch+json"}


def soon(hours: float) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("track") / "gw.db"
    with gateway_app(database_url=f"sqlite:///{db}",
                     southbound_options={"fulfilment": {"delay": 0}},
                     ordering={"job_page_size": 2}) as application:
        yield application



def post_order(http, offering="fibre-hold", **extra):
    body = {"productOrderItem": [{"id": "1", "action": "add",
                                  "productOffering": {"id": offering}}], **extra}
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_client_note_is_added_and_the_gateway_notes_stay(app, http):
    order = post_order(http, "fibre-feasib")  # gets a special-handling note from the gateway
    assert [n["author"] for n in order["note"]] == ["tmf-gateway/ordering"]
    url = f"{ORDERS}/productOrder/{order['id']}"
    first = http.patch(url, json={"note": [{"text": "call before 10"}]}, headers=MERGE)
    assert first.status_code == 200, first.text
    second = http.patch(url, json={"note": [{"text": "gate code 1234"}]}, headers=MERGE)
    texts = [n["text"] for n in second.json()["note"]]
    assert texts[0].startswith("special handling")
    assert texts[1:] == ["call before 10", "gate code 1234"]
    emptied = http.patch(url, json={"note": []}, headers=MERGE)
    assert [n["text"] for n in emptied.json()["note"]] == texts
    assert [n["text"] for n in http.get(url).json()["note"]] == texts


def test_a_ticket_keeps_the_captured_customer_contact_when_a_client_adds_a_note(http):
    from tmf_gateway.testing.gateway import create_customer

    customer = create_customer(http, "Grace")
    ticket = http.post(f"{TICKETS}/troubleTicket", json={
        "description": "no sync", "severity": "Major", "ticketType": "Incident",
        "relatedParty": [{"id": customer["id"], "@referredType": "Customer"}]}).json()
    url = f"{TICKETS}/troubleTicket/{ticket['id']}"
    noted = http.patch(url, json={"note": [{"text": "rebooted the router"}]}, headers=MERGE)
    assert noted.status_code == 200, noted.text
    ids = [n.get("id") for n in noted.json()["note"]]
    assert f"customer-contact-{customer['id']}" in ids
    assert noted.json()["note"][-1]["text"] == "rebooted the router"


def test_jeopardy_flags_every_open_order_beyond_the_first_page(app, http):
    """The jobs read open orders page by page (`job_page_size` 2 here): five orders due within
    the margin are five alerts, not the first page's two."""
    due = [post_order(http, requestedCompletionDate=soon(2))["id"] for _ in range(5)]
    app.gateway.services.ordering.processor.check_jeopardy()
    for order_id in due:
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert [a["jeopardyType"] for a in order["productOrderJeopardyAlert"]] == ["approaching"]


def test_submission_reaches_every_new_order_beyond_the_first_page(app, http):
    created = [post_order(http, "fibre-1g")["id"] for _ in range(5)]
    app.gateway.services.ordering.processor.submit_pending()
    for order_id in created:
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert order["fulfilment"]["submitted"] is True, order_id


def test_work_does_not_start_before_the_requested_start_date(app, http):
    later = post_order(http, "fibre-1g", requestedStartDate=soon(1))
    now = post_order(http, "fibre-1g")
    processor = app.gateway.services.ordering.processor
    processor.submit_pending()
    processor.poll()
    waiting = http.get(f"{ORDERS}/productOrder/{later['id']}").json()
    assert waiting["state"] == "acknowledged"
    assert waiting["fulfilment"]["submitted"] is False
    assert http.get(f"{ORDERS}/productOrder/{now['id']}").json()["state"] == "completed"
    # the client brings the start forward to a moment that has come: the work starts
    moved = http.patch(f"{ORDERS}/productOrder/{later['id']}",
                       json={"requestedStartDate": soon(0.0003)}, headers=MERGE)
    assert moved.status_code == 200, moved.text
    import time

    time.sleep(1.2)
    processor.submit_pending()
    processor.poll()
    assert http.get(f"{ORDERS}/productOrder/{later['id']}").json()["state"] == "completed"


def test_the_adapter_commitment_sets_the_expected_completion_date_and_drives_jeopardy(
    tmp_path,
):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0,
                                                        "commitment_seconds": 3600}},
                     ordering={"jeopardy_margin_seconds": 7200}) as application, \
            application.test_client() as client:
        order = post_order(client, "fibre-hold")
        assert "expectedCompletionDate" not in order
        processor = application.gateway.services.ordering.processor
        processor.submit_pending()
        stored = client.get(f"{ORDERS}/productOrder/{order['id']}").json()
        committed = datetime.fromisoformat(stored["expectedCompletionDate"].replace("Z", "+00:00"))
        assert timedelta(minutes=59) < committed - datetime.now(UTC) <= timedelta(hours=1)
        processor.check_jeopardy()  # no requestedCompletionDate: the commitment alone counts
        alerts = client.get(f"{ORDERS}/productOrder/{order['id']}").json()[
            "productOrderJeopardyAlert"]
        assert [a["jeopardyType"] for a in alerts] == ["approaching"]


def test_items_can_change_until_they_are_submitted(tmp_path):
    """While the order system is down the order stays acknowledged and its items can still be
    changed, however long that takes; what reaches the order system is the changed items."""
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0, "unavailable": True}},
                     ordering={"submit_retry_base_seconds": 0}) as application, \
            application.test_client() as client:
        order = post_order(client, "fibre-1g")
        processor = application.gateway.services.ordering.processor
        processor.submit_pending()  # refused: the system is down
        url = f"{ORDERS}/productOrder/{order['id']}"
        assert client.get(url).json()["productOrderErrorMessage"]
        changed = client.patch(url, headers=MERGE, json={"productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "fibre-fail"}}]})
        assert changed.status_code == 200, changed.text
        simulator = application.gateway.southbound.fulfilment
        simulator.unavailable = False
        processor.submit_pending()
        processor.poll()
        done = client.get(url).json()
        assert done["state"] == "failed"  # the simulator fails 'fail' offerings: the new item
        late = client.patch(url, headers=MERGE, json={"productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}}]})
        assert late.status_code == 409


def test_items_cannot_change_while_they_are_on_their_way(tmp_path):
    """A PATCH of the items racing the submission is refused (409), so the order system never
    works on items the order no longer has."""
    import threading

    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0, "latency": 1.0}}) \
            as application, application.test_client() as client:
        order = post_order(client, "fibre-1g")
        processor = application.gateway.services.ordering.processor
        submitting = threading.Thread(target=processor.submit_pending)
        submitting.start()
        url = f"{ORDERS}/productOrder/{order['id']}"
        try:
            import time

            deadline = time.monotonic() + 5
            while not client.get(url).json()["fulfilment"].get("submitting"):
                assert time.monotonic() < deadline
                time.sleep(0.02)
            late = client.patch(url, headers=MERGE, json={"productOrderItem": [
                {"id": "1", "action": "add", "productOffering": {"id": "fibre-fail"}}]})
            assert late.status_code == 409, late.text
            assert "being submitted" in late.json()["message"]
            noted = client.patch(url, headers=MERGE, json={"note": [{"text": "still fine"}]})
            assert noted.status_code == 200
        finally:
            submitting.join(10)
        stored = client.get(url).json()
        assert stored["fulfilment"]["submitted"] is True
        assert "submitting" not in stored["fulfilment"]
        assert stored["productOrderItem"][0]["productOffering"]["id"] == "fibre-1g"
