"""One JSON line per request with its id (given or generated, always echoed), never a body or
a credential; the client's identity when security is on."""

from __future__ import annotations

import json
import logging
import re

import pytest

from tmf_gateway.ops.logs import REQUEST_LOGGER, json_formatter

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
SECRET = "s3cr3t-never-logged"


@pytest.fixture
def request_lines(caplog):
    """The request log as an operator reads it: each record through the JSON formatter."""
    formatter = json_formatter()
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)

    def lines() -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records
                if r.name == REQUEST_LOGGER]

    return lines


def test_a_given_request_id_is_echoed_and_logged(client, request_lines):
    response = client.get(CUSTOMERS, headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    (line,) = request_lines()
    assert line["request_id"] == "abc-123"
    assert (line["method"], line["path"], line["status"]) == ("GET", CUSTOMERS, 200)
    assert line["operation"] == "listCustomer"
    assert line["level"] == "INFO" and line["duration_ms"] >= 0


def test_a_missing_or_unusable_request_id_is_generated(client, request_lines):
    generated = client.get(CUSTOMERS).headers["x-request-id"]
    replaced = client.get(CUSTOMERS, headers={"X-Request-ID": "x" * 500}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated) and re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert generated != replaced
    assert [line["request_id"] for line in request_lines()] == [generated, replaced]


def test_errors_are_logged_with_their_status_and_id(client, request_lines):
    response = client.get(f"{CUSTOMERS}/no-such-id", headers={"X-Request-ID": "r-404"})
    assert response.status_code == 404 and response.headers["x-request-id"] == "r-404"
    assert request_lines()[0]["status"] == 404


def test_bodies_and_credentials_are_never_logged(client, caplog, request_lines):
    body = {"name": SECRET, "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
    client.post(CUSTOMERS, json=body, headers={"X-API-Key": SECRET,
                                               "Authorization": f"Bearer {SECRET}"})
    assert request_lines()
    assert SECRET not in caplog.text
    assert all(SECRET not in json.dumps(line) for line in request_lines())
