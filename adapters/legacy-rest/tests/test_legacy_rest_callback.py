"""Status updates by callback: the CRM POSTs its changes, signed, to the gateway's callback
endpoint; wrong signatures, bad bodies and unknown orders are 4xx TMF errors, never 500."""

from __future__ import annotations

import json
import time

import pytest
import requests
import yaml
from legacy_crm import MAPPING

from tmf_gateway.config import Settings
from tmf_gateway.services.callback import TOLERANCE_SECONDS, sign
from tmf_gateway.testing.gateway import create_customer, gateway_app, live_server

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
CALLBACK = "/tmf-gateway/v1/southbound/legacy-rest/callback"
SECRET = "shared-with-the-crm"


@pytest.fixture
def callback_mapping(tmp_path):
    """The CRM's mapping, with its feed swapped for callbacks: the gateway never polls."""
    mapping = yaml.safe_load(MAPPING.read_text())
    updates = {k: v for k, v in mapping["updates"].items() if k == "item"}
    mapping["updates"] = {**updates, "callback": {"list": "changes"}}
    path = tmp_path / "callback-mapping.yaml"
    path.write_text(yaml.safe_dump(mapping))
    return str(path)


@pytest.fixture
def app(tmp_path, crm_options, callback_mapping):
    settings = Settings(
        catalog_unknown_offerings="pass",
        database_url=f"sqlite:///{tmp_path / 'gw.db'}", validate_responses=True,
        background=False, southbound="legacy-rest",
        southbound_options={**crm_options, "mapping": callback_mapping,
                            "callback_secret": SECRET},
    )
    with gateway_app(settings) as application:
        yield application



def _order(http) -> str:
    customer_id = create_customer(http, "Ada")["id"]
    response = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "bb-100"}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _post(http, body: bytes, signature: str | bytes | None = "sign", path: str = CALLBACK,
          at: int | None = None):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = sign(SECRET.encode(), body, at)
    if signature is not None:
        headers["X-Signature"] = signature
    return http.post(path, content=body, headers=headers)


def _change(order_id: str, status: str, seq: int = 1) -> dict:
    return {"seq": seq, "orderRef": order_id, "line": {"no": "1"}, "lineStatus": status}


def _error(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] and body["reason"] and body["message"] and body["@type"] == "Error"


def test_signed_callbacks_drive_the_order_and_replays_change_nothing(app, http):
    order_id = _order(http)
    app.gateway.runner.run_pending(force=True)  # submitted
    body = json.dumps({"changes": [_change(order_id, "WIP"), _change(order_id, "DONE", 2)]})
    answer = _post(http, body.encode())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": 2, "applied": 2, "ignored": 0}
    order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
    assert order["state"] == "completed"
    history = app.gateway.services.resources.product_order.audit_trail(order_id)
    # the CRM did not see our answer and sends it again, signed anew a second later
    again = _post(http, body.encode(), at=int(time.time()) + 1)
    assert again.json() == {"received": 2, "applied": 0, "ignored": 2}
    assert app.gateway.services.resources.product_order.audit_trail(order_id) == history


def _held_then_resumed(app, http) -> tuple[str, bytes, str]:
    """An order whose item was put on hold and resumed by callbacks; returns the order id and
    the `held` callback's body and signature, as someone who captured it would have them."""
    order_id = _order(http)
    app.gateway.runner.run_pending(force=True)
    hold = json.dumps({"changes": [_change(order_id, "HOLD")]}).encode()
    captured = sign(SECRET.encode(), hold)
    assert _post(http, hold, captured).json()["applied"] == 1
    assert _post(http, json.dumps({"changes": [_change(order_id, "WIP", 2)]}).encode()).json()[
        "applied"] == 1
    return order_id, hold, captured


def test_a_replayed_callback_is_answered_but_not_applied_again(app, http):
    order_id, hold, captured = _held_then_resumed(app, http)
    replayed = _post(http, hold, captured)  # the same bytes again, within the time allowed
    assert replayed.status_code == 200, replayed.text
    assert replayed.json() == {"received": 1, "applied": 0, "ignored": 1}
    item = http.get(f"{ORDERS}/productOrder/{order_id}").json()["productOrderItem"][0]
    assert item["state"] == "inProgress"  # not sent back to held


def test_a_replay_to_another_gateway_process_is_not_applied_either(app, http, crm_options,
                                                                  callback_mapping):
    order_id, hold, captured = _held_then_resumed(app, http)
    other = Settings(  # a second process on the same database
        database_url=app.gateway.settings.database_url, background=False,
        southbound="legacy-rest", southbound_options={
            **crm_options, "mapping": callback_mapping, "callback_secret": SECRET})
    with gateway_app(other) as second_app, second_app.test_client() as second:
        assert _post(second, hold, captured).json() == {
            "received": 1, "applied": 0, "ignored": 1}
        item = second.get(f"{ORDERS}/productOrder/{order_id}").json()["productOrderItem"][0]
        assert item["state"] == "inProgress"


@pytest.mark.parametrize("skew", [-TOLERANCE_SECONDS - 5, TOLERANCE_SECONDS + 5])
def test_a_signature_from_too_long_ago_or_ahead_is_401(app, http, skew):
    order_id = _order(http)
    app.gateway.runner.run_pending(force=True)
    body = json.dumps({"changes": [_change(order_id, "WIP")]}).encode()
    refused = _post(http, body, at=int(time.time()) + skew)
    _error(refused, 401)
    assert "from ours" in refused.json()["message"]
    item = http.get(f"{ORDERS}/productOrder/{order_id}").json()["productOrderItem"][0]
    assert item["state"] == "acknowledged"
    assert _post(http, body, at=int(time.time()) - 60).json()["applied"] == 1  # within: fine


def test_a_move_the_lifecycle_forbids_is_left_alone(app, http):
    order_id = _order(http)
    app.gateway.runner.run_pending(force=True)
    _post(http, json.dumps({"changes": [_change(order_id, "DONE")]}).encode())
    late = _post(http, json.dumps({"changes": [_change(order_id, "HOLD", 2)]}).encode())
    assert late.json() == {"received": 1, "applied": 0, "ignored": 1}
    order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
    assert order["productOrderItem"][0]["state"] == "completed"


@pytest.mark.parametrize("signature", [
    None, "", "sha256=" + "0" * 64, "md5=abc", "garbage", "t=,sha256=", b"t=\xb2,sha256=ab",
    f"t={int(time.time())},sha256={'0' * 64}", f"t={int(time.time())}",
])
def test_a_missing_or_wrong_signature_is_401(app, http, signature):
    order_id = _order(http)
    body = json.dumps({"changes": [_change(order_id, "WIP")]}).encode()
    refused = _post(http, body, signature)
    _error(refused, 401)
    assert refused.json()["code"] == "ERR401-SIGNATURE"
    assert refused.headers["WWW-Authenticate"].startswith("HMAC-SHA256")
    assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "acknowledged"


def test_a_signature_of_another_body_is_401(app, http):
    order_id = _order(http)
    body = json.dumps({"changes": [_change(order_id, "WIP")]}).encode()
    _error(_post(http, body, sign(SECRET.encode(), body + b" ")), 401)
    _error(_post(http, body, sign(b"not-the-secret", body)), 401)
    captured = sign(SECRET.encode(), body, int(time.time()) - 3600)
    refreshed = f"t={int(time.time())}," + captured.split(",")[1]  # the time is signed too
    _error(_post(http, body, refreshed), 401)


@pytest.mark.parametrize("body", [
    b"{not json", b'{"changes": "WIP"}', b'{"nothing": []}',
    b'{"changes": [{"orderRef": "x", "lineStatus": "???", "line": {"no": 1}}]}',
    b'{"changes": [42]}', b"[]",
])
def test_a_malformed_body_is_400_and_applies_nothing(app, http, body):
    _error(_post(http, body), 400)


def test_an_unknown_order_or_item_is_404_and_applies_nothing(app, http):
    order_id = _order(http)
    app.gateway.runner.run_pending(force=True)
    body = {"changes": [_change(order_id, "WIP"), _change("no-such-order", "WIP", 2)]}
    _error(_post(http, json.dumps(body).encode()), 404)
    wrong_item = {"changes": [{**_change(order_id, "WIP"), "line": {"no": "9"}}]}
    _error(_post(http, json.dumps(wrong_item).encode()), 404)
    assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "inProgress"
    assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["productOrderItem"][0][
        "state"] == "acknowledged"


def test_another_adapter_name_is_404(app, http):
    body = b'{"changes": []}'
    _error(_post(http, body, path=CALLBACK.replace("legacy-rest", "simulator")), 404)


def test_without_a_secret_the_callback_is_off(tmp_path, crm_options, callback_mapping):
    settings = Settings(catalog_unknown_offerings="pass",
                        database_url=f"sqlite:///{tmp_path / 'off.db'}", background=False,
                        southbound="legacy-rest",
                        southbound_options={**crm_options, "mapping": callback_mapping})
    with gateway_app(settings) as application, application.test_client() as client:
        body = b'{"changes": []}'
        _error(_post(client, body), 404)


@pytest.fixture
def live(app):
    """The gateway as a real HTTP server on 127.0.0.1, for the CRM to call back."""
    with live_server(app) as url:
        yield url


def test_an_order_completes_through_callbacks_only(app, live, crm):
    crm.call_back(live + CALLBACK, SECRET, tick=0.1)
    customer = requests.post(f"{live}{CUSTOMERS}/customer", timeout=5, json={
        "name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}).json()
    order = requests.post(f"{live}{ORDERS}/productOrder", timeout=5, json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "bb-100"}},
                             {"id": "2", "action": "add", "productOffering": {"id": "bb-tv"}}],
        "relatedParty": [{"id": customer["id"], "@referredType": "Customer",
                          "role": "Customer"}],
    }).json()
    app.gateway.runner.run_pending(force=True)  # the submission (the poll finds no feed)
    deadline = time.monotonic() + 15
    while True:
        state = requests.get(f"{live}{ORDERS}/productOrder/{order['id']}", timeout=5).json()
        if state["state"] == "completed" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state["state"] == "completed", state
    assert {i["state"] for i in state["productOrderItem"]} == {"completed"}
    assert crm.feed_reads == []  # never polled
    assert crm.callback_answers and set(crm.callback_answers) == {200}


def test_with_security_on_the_signature_not_an_api_key_lets_the_crm_in(
    tmp_path, crm_options, callback_mapping
):
    settings = Settings(catalog_unknown_offerings="pass",
                        database_url=f"sqlite:///{tmp_path / 'secure.db'}", background=False,
                        validate_responses=True, security="on", southbound="legacy-rest",
                        southbound_options={**crm_options, "mapping": callback_mapping,
                                            "callback_secret": SECRET})
    with gateway_app(settings) as application, application.test_client() as client:
        body = b'{"changes": []}'
        answer = _post(client, body)  # no X-API-Key, no bearer token
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"received": 0, "applied": 0, "ignored": 0}
        _error(_post(client, body, None), 401)
        _error(client.get(f"{ORDERS}/productOrder"), 401)  # the rest still needs a key


def test_a_completion_during_a_cancellation_is_refused_for_now_and_applied_when_sent_again(
    app, http
):
    customer_id = create_customer(http, "Ada")["id"]
    order_id = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add",
                              "productOffering": {"id": "bb-nocancel"}}],  # refuses to cancel
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    }).json()["id"]
    app.gateway.runner.run_pending(force=True)  # submitted
    assert _post(http, json.dumps({"changes": [_change(order_id, "WIP")]}).encode()).json()[
        "applied"] == 1
    task = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": order_id}})
    assert task.status_code == 201, task.text
    # the order-cancel job takes the order into assessment before asking the CRM
    assert app.gateway.services.ordering.cancellations.start(task.json()["id"])
    done = json.dumps({"changes": [_change(order_id, "DONE", 2)]}).encode()
    deferred = _post(http, done)  # the CRM finished before it heard of the cancellation
    _error(deferred, 409)
    assert deferred.json()["code"] == "ERR409-DEFERRED"
    app.gateway.runner.run_pending(force=True)  # the CRM refuses the cancellation
    assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "inProgress"
    again = _post(http, done, at=int(time.time()) + 1)  # the CRM sends it again
    assert again.json() == {"received": 1, "applied": 1, "ignored": 0}
    assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "completed"
