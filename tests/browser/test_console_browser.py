"""The ops console in a real browser: sign in, escalate an order in jeopardy, replay a parked
event to a listener, resolve a ticket; each step leaves a screenshot."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import requests

from tests.browser.conftest import sign_in
from tests.integration.listeners import Listener

ORDERS = "/tmf-api/productOrderingManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def api(live, keys, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, live[0] + path, headers={"X-API-Key": keys["api"]},
                            timeout=10, **kwargs)


def new_ticket(live, keys, description: str) -> dict:
    answer = api(live, keys, "POST", f"{TICKETS}/troubleTicket", json={
        "description": description, "severity": "major", "ticketType": "incident",
        "name": description})
    assert answer.status_code == 201
    return answer.json()


def test_sign_in(page, live, keys, shot):
    page.goto("/console/orders")
    assert "/console/login" in page.url
    shot(page, "login")
    page.get_by_label("API key or bearer token").fill("tmfk_wrong_key")
    page.get_by_role("button", name="Sign in").click()
    assert "not valid" in page.locator(".flash.error").inner_text()
    sign_in(page, keys["ops"])
    assert page.locator("#who").inner_text() == "olga"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/login")


def test_escalate_an_order_in_jeopardy(page, live, keys, shot):
    due = (datetime.now(UTC) + timedelta(hours=2)).isoformat(timespec="seconds")
    order = api(live, keys, "POST", f"{ORDERS}/productOrder", json={
        "externalId": f"jeopardy-{live[2]}", "requestedCompletionDate": due.replace("+00:00", "Z"),
        "productOrderItem": [{"id": "1", "action": "add",
                              "productOffering": {"id": "fibre-hold"}}],
    }).json()
    path = f"{ORDERS}/productOrder/{order['id']}"
    # the simulator holds the item; the jeopardy job flags the order
    flagged = wait_for(lambda: api(live, keys, "GET", path).json().get(
        "productOrderJeopardyAlert") and api(live, keys, "GET", path).json())
    assert "priority" not in flagged
    sign_in(page, keys["ops"])
    page.get_by_role("link", name="Orders", exact=True).click()
    page.get_by_label("In jeopardy").check()
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("link", name=f"jeopardy-{live[2]}")
    row.wait_for()
    shot(page, "jeopardy-list")
    row.click()
    page.get_by_label("Why").fill("customer called twice")
    page.locator("#escalate").click()
    assert "order escalated" in page.locator(".flash.ok").inner_text()
    assert page.locator("#order-priority").inner_text() == "0"
    shot(page, "order")
    stored = api(live, keys, "GET", path).json()
    assert stored["priority"] == "0" and stored["note"][-1]["author"] == "olga"
    assert "escalated by olga: customer called twice" in stored["note"][-1]["text"]


def test_replay_a_parked_event_to_a_listener(page, live, keys, shot):
    listener = Listener(status=500).start()  # down: the delivery is parked after one attempt
    try:
        hub = api(live, keys, "POST", f"{TICKETS}/hub", json={"callback": listener.url})
        assert hub.status_code == 201
        ticket = new_ticket(live, keys, f"replay me {live[2]}")
        admin = "/tmf-gateway/admin/v1/delivery"

        def parked_create() -> list:
            parked = api(live, keys, "GET", admin, params={
                "status": "parked", "subscription": hub.json()["id"]}).json()
            return [d for d in parked if d["eventType"] == "TroubleTicketCreateEvent"]

        delivery = wait_for(parked_create)[0]
        listener.status = 201  # the listener is back
        sign_in(page, keys["ops"])
        page.get_by_role("link", name="Events", exact=True).click()
        page.locator("#parked").wait_for()
        shot(page, "parked")
        page.get_by_role("button", name=f"Replay delivery {delivery['id']}").click()
        assert "queued again" in page.locator(".flash.ok").inner_text()
        received = wait_for(lambda: [e for e in listener.received
                                     if e["eventId"] == delivery["eventId"]])
        assert received[0]["eventType"] == "TroubleTicketCreateEvent"
        assert received[0]["event"]["troubleTicket"]["id"] == ticket["id"]
        api(live, keys, "DELETE", f"{TICKETS}/hub/{hub.json()['id']}")
    finally:
        listener.stop()


def test_move_a_ticket_to_resolved(page, live, keys, shot):
    ticket = new_ticket(live, keys, f"no dial tone {live[2]}")
    sign_in(page, keys["ops"])
    page.get_by_role("link", name="Tickets", exact=True).click()
    page.get_by_role("link", name=f"no dial tone {live[2]}").click()
    for status in ("inProgress", "resolved"):
        page.get_by_label("New status").select_option(status)
        page.get_by_label("Reason").fill("line repaired")
        page.locator("#move").click()
        assert f"ticket moved to {status}" in page.locator(".flash.ok").inner_text()
    assert page.locator("#ticket-status").inner_text() == "resolved"
    shot(page, "ticket")
    stored = api(live, keys, "GET", f"{TICKETS}/troubleTicket/{ticket['id']}").json()
    assert stored["status"] == "resolved"
    trail = live[1].gateway.services.resources.trouble_ticket.audit_trail(ticket["id"])
    moves = [e.actor for e in trail
             if e.action == "update" and any(c["path"] == "/status" for c in e.changes)]
    assert moves == ["olga", "olga"]  # (the ticket desk's forwarding is its own change)


def test_every_page_from_the_menu(page, live, keys, shot):
    """Last, so the pages show what the tests above left behind."""
    sign_in(page, keys["ops"])
    shot(page, "overview")
    menu = page.get_by_role("navigation", name="Console")
    for name, step in (("Orders", "orders"), ("Tickets", "tickets"), ("Events", "events")):
        menu.get_by_role("link", name=name).click()
        page.locator("h1").wait_for()
        shot(page, step)
    email = f"shared-{live[2]}@example.com"
    customers = [api(live, keys, "POST", CUSTOMERS, json={
        "name": name, "engagedParty": {"id": name, "@referredType": "Individual"},
        "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": email}}],
    }).json() for name in ("Ada", "Grace")]
    api(live, keys, "GET", f"{CUSTOMERS}/{customers[0]['id']}")  # read by the crm client
    menu.get_by_role("link", name="Customers").click()
    page.get_by_label("Customer id").fill(customers[0]["id"])
    page.get_by_label("Customer id").press("Enter")
    changes = page.locator("section", has=page.locator("#h-trail")).inner_text()
    reads = page.locator("section", has=page.locator("#h-access")).inner_text()
    assert "crm" in changes and "create" in changes
    assert "crm" in reads and "retrieveCustomer" in reads
    shot(page, "customers")
    menu.get_by_role("link", name="Data quality").click()
    page.locator("#run-quality").click()
    assert "2 customers checked" in page.locator("#h-summary").inner_text()
    assert "shared-contact-medium" in page.locator("main").inner_text()
    shot(page, "quality")


def test_keyboard_only_on_a_phone(browser, live, keys, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live[0])
    tab = context.new_page()
    try:
        tab.goto("/console/")
        # the credential field takes the focus by itself (autofocus)
        tab.wait_for_function("document.activeElement && document.activeElement.id === "
                              "'credential'")
        tab.keyboard.type(keys["ops"])
        with tab.expect_navigation(url="**/console/"):
            tab.keyboard.press("Enter")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
        tab.keyboard.press("Enter")
        assert tab.evaluate("document.activeElement.id") == "main"
        tab.get_by_role("link", name="Tickets", exact=True).focus()
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/console/tickets")
        for path in ("/console/", "/console/tickets", "/console/events"):
            tab.goto(path)
            # nothing wider than the phone's screen but the tables' own scrolling boxes
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(tab, "phone")
    finally:
        context.close()
