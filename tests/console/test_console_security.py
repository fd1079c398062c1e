"""Console sign-in: the `ops` scope, the session cookie's flags, CSRF, and the access log."""

from __future__ import annotations

from tests.console.conftest import csrf_of
from tmf_gateway.testing.gateway import gateway_app, settings_for_tests


def login(app, credential: str):
    client = app.test_client(follow_redirects=False)
    token = csrf_of(client.get("/console/login").text)
    return client, client.post("/console/login", data={"credential": credential, "csrf": token})


def test_pages_redirect_to_the_login_form_until_signed_in(console_app):
    client = console_app.test_client(follow_redirects=False)
    for path in ("/console/", "/console/orders", "/console/tickets", "/console/events"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["location"].startswith("/console/login")


def test_a_key_without_the_ops_scope_is_refused_with_the_tmf_reason(console_app, make_key):
    _, answer = login(console_app, make_key("reader", "productOrder:read"))
    assert answer.status_code == 403
    assert "ERR403" in answer.text and "needs the scope &#39;ops&#39;" in answer.text
    _, answer = login(console_app, "tmfk_nothing_here")
    assert answer.status_code == 401
    assert "not valid" in answer.text


def test_a_bearer_token_with_the_ops_scope_signs_in(console_app, make_token):
    _, refused = login(console_app, make_token("reporter", "troubleTicket:read"))
    assert refused.status_code == 403
    client, answer = login(console_app, "Bearer " + make_token("tom", "ops troubleTicket:read"))
    assert answer.status_code == 302
    assert "Signed in as <b id=\"who\">tom</b>" in client.get("/console/tickets").text
    _, forged = login(console_app, make_token("tom", "ops")[:-4] + "AAAA")
    assert forged.status_code == 401


def test_sign_in_sets_a_strict_httponly_session_cookie(console_app, make_key):
    client, answer = login(console_app, make_key("bob", "ops"))
    assert answer.status_code == 302 and answer.headers["location"] == "/console/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    page = client.get("/console/")
    assert page.status_code == 200 and "Signed in as <b id=\"who\">bob</b>" in page.text


def test_a_form_without_its_csrf_token_changes_nothing(console_app, signed_in, api):
    client, _ = signed_in
    order = api.post("/tmf-api/productOrderingManagement/v4/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre"}}]
    }).json()
    for data in ({}, {"csrf": "forged"}, {"csrf": "ünïcode"}):
        answer = client.post(f"/console/orders/{order['id']}/escalate", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    again = api.get(f"/tmf-api/productOrderingManagement/v4/productOrder/{order['id']}").json()
    assert "priority" not in again and again.get("note", []) == []


def test_actions_are_logged_with_who_did_them(console_app, signed_in, api):
    client, csrf = signed_in
    order = api.post("/tmf-api/productOrderingManagement/v4/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre"}}]
    }).json()
    client.post(f"/console/orders/{order['id']}/note", data={"text": "called", "csrf": csrf})
    log = list(console_app.gateway.services.security.store.accesses())
    assert any(a.client == "alice" and a.operation == "console.noteOrder" and a.status == 200
               for a in log)
    trail = console_app.gateway.services.resources.product_order.audit_trail(order["id"])
    assert trail[-1].actor == "alice"


def test_signing_out_ends_the_session(signed_in):
    client, csrf = signed_in
    assert client.post("/console/logout", data={"csrf": csrf}).status_code == 302
    assert client.get("/console/orders").status_code == 302


def test_pages_load_nothing_from_elsewhere(signed_in):
    client, _ = signed_in
    page = client.get("/console/orders")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http://" not in page.text.replace("http://testserver", "")
    assert "https://" not in page.text


def test_the_console_can_be_left_out():
    settings = settings_for_tests(store="memory", database_url="memory://", console=False)
    with gateway_app(settings) as app:
        answer = app.test_client().get("/console/")
        assert answer.status_code == 404 and answer.json()["code"] == "ERR404"
