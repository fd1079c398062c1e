"""With security on, the request log names the client (never its credential)."""

from __future__ import annotations

import logging

from tmf_gateway.ops.logs import REQUEST_LOGGER

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def test_client_identity_is_logged_when_security_is_on(secure_client, make_key, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    headers = make_key("billing-app", "customer:read")
    assert secure_client.get(CUSTOMERS, headers=headers).status_code == 200
    (record,) = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    assert record.client == "billing-app"
    assert headers["X-API-Key"] not in caplog.text
