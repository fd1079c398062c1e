"""Console actions go through the same services and rules as the APIs: the same outcome, and
a refusal shows the same TMF reason the API gives."""

from __future__ import annotations

import html
import re

ORDERS = "/tmf-api/productOrderingManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"


def new_order(api, offering: str = "fibre") -> dict:
    return api.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": offering}}]
    }).json()


def new_ticket(api) -> dict:
    answer = api.post(TICKETS, json={"description": "line down", "severity": "major",
                                     "ticketType": "incident"})
    assert answer.status_code == 201
    return answer.json()


def flash(page: str) -> str:
    """The page's text as a reader sees it (tags gone, entities decoded)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)))


def test_escalate_raises_priority_and_notes_who(console_app, signed_in, api):
    client, csrf = signed_in
    order = new_order(api)
    page = client.post(f"/console/orders/{order['id']}/escalate",
                       data={"reason": "customer called twice", "csrf": csrf},
                       follow_redirects=True)
    assert "order escalated" in page.text
    stored = api.get(f"{ORDERS}/productOrder/{order['id']}").json()
    assert stored["priority"] == "0"
    assert stored["note"][-1]["author"] == "alice"
    assert "customer called twice" in stored["note"][-1]["text"]


def test_a_refused_ticket_move_shows_the_api_reason(console_app, signed_in, api):
    client, csrf = signed_in
    ticket = new_ticket(api)
    refused = api.patch(f"{TICKETS}/{ticket['id']}", json={"status": "resolved"},
                        headers={"Content-Type": "application/merge-patch+json"})
    assert refused.status_code == 409
    page = client.post(f"/console/tickets/{ticket['id']}/move",
                       data={"status": "resolved", "csrf": csrf}, follow_redirects=True)
    body = refused.json()
    assert f"409 {body['code']} {body['reason']}: {body['message']}" in flash(page.text)
    assert api.get(f"{TICKETS}/{ticket['id']}").json()["status"] == "acknowledged"


def test_ticket_moves_along_its_lifecycle(console_app, signed_in, api):
    client, csrf = signed_in
    ticket = new_ticket(api)
    for status in ("inProgress", "resolved"):
        page = client.post(f"/console/tickets/{ticket['id']}/move",
                           data={"status": status, "reason": "fixed the line", "csrf": csrf},
                           follow_redirects=True)
        assert f"ticket moved to {status}" in page.text
    stored = api.get(f"{TICKETS}/{ticket['id']}").json()
    assert stored["status"] == "resolved" and "resolutionDate" in stored
    assert [c["status"] for c in stored["statusChange"]] == [
        "acknowledged", "inProgress", "resolved"]


def test_cancel_creates_the_cancel_task_or_shows_the_api_refusal(console_app, signed_in, api):
    client, csrf = signed_in
    order = new_order(api)
    page = client.post(f"/console/orders/{order['id']}/cancel",
                       data={"reason": "customer moved", "csrf": csrf}, follow_redirects=True)
    assert "CancelProductOrder task created" in page.text
    tasks = api.get(f"{ORDERS}/cancelProductOrder?productOrder.id={order['id']}").json()
    assert [t["cancellationReason"] for t in tasks] == ["customer moved"]
    trail = console_app.gateway.services.resources.cancel_product_order.audit_trail(tasks[0]["id"])
    assert trail[0].actor == "alice"
    console_app.gateway.services.ordering.processor.submit_pending()  # simulator: inProgress
    console_app.gateway.services.ordering.cancellations.run()  # the task carries it out
    assert api.get(f"{ORDERS}/productOrder/{order['id']}").json()["state"] == "cancelled"
    refused = api.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": order["id"]}})
    assert refused.status_code == 409  # final: nothing left to cancel
    page = client.post(f"/console/orders/{order['id']}/cancel", data={"csrf": csrf},
                       follow_redirects=True)
    assert refused.json()["message"] in flash(page.text)


def test_retry_sends_a_failed_submission_again(console_app, signed_in, api):
    client, csrf = signed_in
    order_system = console_app.gateway.southbound.fulfilment
    processor = console_app.gateway.services.ordering.processor
    order = new_order(api)
    refused = client.post(f"/console/orders/{order['id']}/retry", data={"csrf": csrf},
                          follow_redirects=True)
    assert "no failed southbound request to retry" in refused.text
    order_system.unavailable = True
    try:
        processor.submit_pending()
        page = client.post(f"/console/orders/{order['id']}/retry", data={"csrf": csrf},
                           follow_redirects=True)
        assert "503" in page.text and "unavailable" in page.text
        stored = api.get(f"{ORDERS}/productOrder/{order['id']}").json()
        assert stored["fulfilment"]["attempts"] == 2 and stored["state"] == "acknowledged"
    finally:
        order_system.unavailable = False
    page = client.post(f"/console/orders/{order['id']}/retry", data={"csrf": csrf},
                       follow_redirects=True)
    assert "sent to the order system again" in page.text
    stored = api.get(f"{ORDERS}/productOrder/{order['id']}").json()
    assert stored["state"] == "inProgress" and stored["fulfilment"]["submitted"] is True


def test_notes_on_a_final_order_are_refused_like_a_patch(console_app, signed_in, api):
    client, csrf = signed_in
    order = api.post(f"{ORDERS}/productOrder", json={
        "requestedCompletionDate": "2001-01-01T00:00:00Z",  # in the past: stored rejected
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre"}}],
    }).json()
    assert order["state"] == "rejected"
    refused = api.patch(f"{ORDERS}/productOrder/{order['id']}",
                        json={"note": [{"text": "x"}]},
                        headers={"Content-Type": "application/merge-patch+json"})
    page = client.post(f"/console/orders/{order['id']}/note", data={"text": "x", "csrf": csrf},
                       follow_redirects=True)
    assert refused.status_code == 409 and refused.json()["message"] in flash(page.text)


def test_order_list_filters_with_the_tmf630_engine(console_app, signed_in, api):
    client, _ = signed_in
    order = new_order(api, "filterme")
    page = client.get("/console/orders?query=productOrderItem.productOffering.id%3Dfilterme")
    assert order["id"] in page.text and "1 in all" in page.text
    bad = client.get("/console/orders?query=nosuchfield%3D1")
    assert "ERR400" in bad.text
    detail = client.get(f"/console/orders/{order['id']}")
    assert detail.status_code == 200 and "Timeline of state moves" in detail.text


def test_order_page_shows_each_event_and_its_deliveries(console_app, signed_in, api):
    client, csrf = signed_in
    hub = api.post(f"{ORDERS}/hub", json={"callback": "http://127.0.0.1:9/listener"}).json()
    try:
        order = new_order(api)
        client.post(f"/console/orders/{order['id']}/note", data={"text": "hi", "csrf": csrf})
        console_app.gateway.services.events.fan_out()
        page = flash(client.get(f"/console/orders/{order['id']}").text)
        events = page[page.index("Events and their deliveries"):page.index("Every change")]
        assert "ProductOrderCreateEvent" in events
        assert "ProductOrderAttributeValueChangeEvent" in events
        assert events.count("pending http://127.0.0.1:9/listener") == 2
    finally:
        api.delete(f"{ORDERS}/hub/{hub['id']}")


def test_overview_counts_what_the_api_counts(console_app, signed_in, api):
    client, _ = signed_in
    soon = "2099-01-01T00:00:00Z"
    order = api.post(f"{ORDERS}/productOrder", json={
        "requestedCompletionDate": soon,
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre"}}],
    }).json()
    processor = console_app.gateway.services.ordering.processor
    processor.ctx.options["jeopardy_margin_seconds"] = 10 ** 10  # 2099 is "near"
    try:
        processor.check_jeopardy()
    finally:
        del processor.ctx.options["jeopardy_margin_seconds"]
    flagged = api.get(f"{ORDERS}/productOrder?productOrderJeopardyAlert.jeopardyType="
                      "approaching,passed&state=acknowledged,inProgress,pending,held&fields=id")
    assert order["id"] in {o["id"] for o in flagged.json()}
    page = client.get("/console/").text
    assert f'In jeopardy: <b id="jeopardy-count">{len(flagged.json())}</b>' in page
    listed = client.get("/console/orders?jeopardy=1").text
    assert order["id"] in listed and f"{len(flagged.json())} in all" in listed


def test_order_list_pages(console_app, signed_in, api):
    client, _ = signed_in
    for _ in range(22):
        new_order(api, "pager-x")
    first = client.get("/console/orders?query=productOrderItem.productOffering.id%3Dpager-x")
    assert "page 1 of 2 · 22 in all" in first.text
    following = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert following
    second = client.get(html.unescape(following.group(1)))
    assert "page 2 of 2" in second.text
    assert second.text.count("/console/orders/") == 2
