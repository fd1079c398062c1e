"""CancelProductOrder never loses a race the client cannot see, and every state move (orders,
cancel tasks, tickets) is recorded and announced by its own event (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.e2e.v4client import MERGE, ORDERS, TICKETS, events, run_jobs


def new_order(http, offering="fibre-hold"):
    body = {"productOrderItem": [{"id": "1", "action": "add",
                                  "productOffering": {"id": offering}}]}
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def cancel(http, order_id, **extra):
    return http.post(f"{ORDERS}/cancelProductOrder",
                     json={"productOrder": {"id": order_id}, **extra})


def get(http, path):
    response = http.get(f"{ORDERS}/{path}")
    assert response.status_code == 200, response.text
    return response.json()


def order_moves(order):
    return [e["state"] for e in order["stateChange"] if "productOrderItemId" not in e]


def announced(app, resource_id, event_type, key):
    return [e["event"][key]["state" if key != "troubleTicket" else "status"]
            for e in events(app, resource_id, event_type)]


def jobs(app):
    """The order jobs themselves, one at a time, so each test decides what happens first."""
    return app.gateway.services.ordering.processor, app.gateway.services.ordering.cancellations


def test_cancel_right_after_create_is_accepted_and_carried_out(app, http):
    order = new_order(http)
    task = cancel(http, order["id"], cancellationReason="changed my mind")
    assert task.status_code == 201, task.text
    assert task.json()["state"] == "acknowledged"
    assert get(http, f"productOrder/{order['id']}")["state"] == "acknowledged"
    processor, cancellations = jobs(app)
    processor.submit_pending()
    processor.poll()
    cancellations.run()
    done = get(http, f"cancelProductOrder/{task.json()['id']}")
    assert done["state"] == "done" and done["effectiveCancellationDate"]
    cancelled = get(http, f"productOrder/{order['id']}")
    assert cancelled["state"] == "cancelled" and cancelled["cancellationReason"] == (
        "changed my mind")
    assert order_moves(cancelled)[-3:] == [
        "assessingCancellation", "pendingCancellation", "cancelled"]
    task_id = task.json()["id"]
    assert announced(app, task_id, "CancelProductOrderStateChangeEvent",
                     "cancelProductOrder") == ["inProgress", "done"]
    assert announced(app, order["id"], "ProductOrderStateChangeEvent", "productOrder") == (
        order_moves(cancelled)[1:])


def test_cancel_of_an_order_that_finishes_first_ends_with_the_reason(app, http):
    order = new_order(http, "fibre-1g")
    task = cancel(http, order["id"]).json()
    processor, cancellations = jobs(app)
    processor.submit_pending()
    processor.poll()
    assert get(http, f"productOrder/{order['id']}")["state"] == "completed"
    cancellations.run()
    ended = get(http, f"cancelProductOrder/{task['id']}")
    assert ended["state"] == "terminatedWithError"
    assert "completed" in ended["errorMessage"]["message"]
    assert get(http, f"productOrder/{order['id']}")["state"] == "completed"


def test_refused_cancellation_puts_the_order_back_and_ends_the_task(app, http):
    order = new_order(http, "fibre-hold-nocancel")
    processor, cancellations = jobs(app)
    processor.submit_pending()
    processor.poll()
    before = get(http, f"productOrder/{order['id']}")["state"]
    task = cancel(http, order["id"]).json()
    cancellations.run()
    assert get(http, f"productOrder/{order['id']}")["state"] == before
    ended = get(http, f"cancelProductOrder/{task['id']}")
    assert ended["state"] == "terminatedWithError"
    assert "refused" in ended["errorMessage"]["message"]


def test_an_order_pending_for_missing_details_is_cancelled_without_the_legacy_system(app, http):
    response = http.post(f"{ORDERS}/productOrder",
                         json={"productOrderItem": [{"id": "1", "action": "add"}]})
    order = response.json()
    processor, cancellations = jobs(app)
    processor.submit_pending()
    assert get(http, f"productOrder/{order['id']}")["state"] == "pending"
    task = cancel(http, order["id"]).json()
    cancellations.run()
    assert get(http, f"cancelProductOrder/{task['id']}")["state"] == "done"
    assert get(http, f"productOrder/{order['id']}")["state"] == "cancelled"


def test_what_the_client_can_see_is_refused_at_once(app, http):
    unknown = cancel(http, "no-such-order")
    assert unknown.status_code == 404 and unknown.json()["code"] == "ERR404"
    order = new_order(http, "fibre-1g")
    run_jobs(app)
    final = cancel(http, order["id"])
    assert final.status_code == 409 and "completed" in final.json()["message"]


def test_a_confirmation_that_passes_through_in_progress_announces_both_moves(app, http):
    order = new_order(http, "tv-accept")
    run_jobs(app)
    assert get(http, f"productOrder/{order['id']}")["state"] == "pending"
    confirmed = http.patch(f"{ORDERS}/productOrder/{order['id']}", json={"state": "completed"},
                           headers=MERGE)
    assert confirmed.status_code == 200, confirmed.text
    moves = order_moves(confirmed.json())
    assert moves[-3:] == ["pending", "inProgress", "completed"]
    assert announced(app, order["id"], "ProductOrderStateChangeEvent", "productOrder") == (
        moves[1:])


def test_moves_the_lifecycle_does_not_allow_are_refused_naming_the_next_states(app, http):
    order = new_order(http)
    skipped = http.patch(f"{ORDERS}/productOrder/{order['id']}", json={"state": "completed"},
                         headers=MERGE)
    assert skipped.status_code == 409
    assert "allowed next states" in skipped.json()["message"]
    ticket = http.post(f"{TICKETS}/troubleTicket", json={
        "description": "down", "severity": "Major", "ticketType": "incident"}).json()
    url = f"{TICKETS}/troubleTicket/{ticket['id']}"
    closed = http.patch(url, json={"status": "closed"}, headers=MERGE)
    assert closed.status_code == 409 and "inProgress" in closed.json()["message"]
    for status in ("inProgress", "resolved", "closed"):
        assert http.patch(url, json={"status": status}, headers=MERGE).status_code == 200
    history = [e["status"] for e in http.get(url).json()["statusChange"]]
    assert history == ["acknowledged", "inProgress", "resolved", "closed"]
    assert announced(app, ticket["id"], "TroubleTicketStatusChangeEvent", "troubleTicket") == (
        history[1:])


def test_an_acknowledged_order_is_withdrawn_without_the_legacy_system(app, http):
    """Legacy system down or not: an order not submitted yet is cancelled by the gateway alone,
    along the path LIFECYCLES.md gives, and DELETE tells the client how to get there."""
    order = new_order(http, "fibre-1g")
    refused = http.delete(f"{ORDERS}/productOrder/{order['id']}")
    assert refused.status_code == 409
    assert "cancelProductOrder" in refused.json()["message"]
    assert order["id"] in refused.json()["message"]
    task = cancel(http, order["id"], cancellationReason="legacy system down").json()
    processor, cancellations = jobs(app)
    cancellations.run()
    assert get(http, f"cancelProductOrder/{task['id']}")["state"] == "done"
    cancelled = get(http, f"productOrder/{order['id']}")
    assert order_moves(cancelled) == ["acknowledged", "inProgress", "assessingCancellation",
                                      "pendingCancellation", "cancelled"]
    assert cancelled["productOrderItem"][0]["state"] == "cancelled"
    assert announced(app, order["id"], "ProductOrderStateChangeEvent", "productOrder") == (
        order_moves(cancelled)[1:])
    processor.submit_pending()  # never reaches the legacy system afterwards
    assert not (get(http, f"productOrder/{order['id']}").get("fulfilment") or {}).get(
        "submitted")
    assert http.delete(f"{ORDERS}/productOrder/{order['id']}").status_code == 204


def test_a_cancellation_waits_while_the_order_is_being_submitted(app, http):
    order = new_order(http, "fibre-hold")
    task = cancel(http, order["id"]).json()
    processor, cancellations = jobs(app)
    name = f"order-submit:{order['id']}"
    assert processor.claims.take(name, processor.owner, 30)  # as submit_pending does
    try:
        cancellations.run()
        assert get(http, f"cancelProductOrder/{task['id']}")["state"] == "acknowledged"
        assert get(http, f"productOrder/{order['id']}")["state"] == "acknowledged"
    finally:
        processor.claims.release(name, processor.owner)
    processor.submit(order["id"])
    processor.poll()
    cancellations.run()
    assert get(http, f"cancelProductOrder/{task['id']}")["state"] == "done"
