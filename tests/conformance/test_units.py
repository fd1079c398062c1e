"""Pieces of the conformance tool that need no server: operation keys, auth, curl, verdict."""

from __future__ import annotations

import pytest
import requests

from tmf_gateway.conformance.command import headers_from
from tmf_gateway.conformance.profiles import PROFILES, operation_key
from tmf_gateway.conformance.report import Report, markdown, summary
from tmf_gateway.conformance.results import CheckResult, Outcome, curl_for
from tmf_gateway.conformance.safety import Ownership, UnsafeRequest, read_only_spec


def test_operation_keys_follow_the_profiles():
    assert operation_key("GET", "/customer") == "GET list"
    assert operation_key("GET", "/customer/{id}") == "GET by id"
    assert operation_key("PATCH", "/customer/{id}") == "PATCH merge"
    assert operation_key("PATCH", "/customer/{id}", "application/json-patch+json") == "PATCH json"
    assert operation_key("POST", "/hub") == "hub"
    assert PROFILES["TMF622"].requirement("DELETE") == "optional"
    assert PROFILES["TMF629"].requirement("DELETE") == "mandatory"
    assert PROFILES["TMF621"].requirement("PATCH merge") == "mandatory"


def test_auth_becomes_an_authorization_header():
    assert headers_from("Bearer abc", []) == {"Authorization": "Bearer abc"}
    assert headers_from("u:p", ["X-Api-Key: k"]) == {
        "Authorization": "Basic dTpw", "X-Api-Key": "k"
    }


def test_curl_reproduces_the_request():
    request = requests.Request(
        "PATCH", "http://h/x/1", json={"a": "it's"},
        headers={"Content-Type": "application/merge-patch+json"},
    ).prepare()
    curl = curl_for(request)
    assert curl.startswith("curl -X PATCH -H 'Content-Type: application/merge-patch+json'")
    assert curl.endswith("http://h/x/1") and "it'\"'\"'s" in curl


def _result(outcome: Outcome, requirement: str) -> CheckResult:
    return CheckResult("c", "tmf", "DELETE", requirement, outcome, "why", "curl x", "DELETE /x")


def test_only_mandatory_failures_make_a_server_not_conformant():
    optional = Report("TMF622", "http://h", "s", [
        _result(Outcome.FAILED, "optional"), _result(Outcome.MISSING, "optional"),
        _result(Outcome.PASSED, "mandatory"),
    ])
    assert optional.conformant
    assert "Optional feature missing" in summary(optional)
    broken = Report("TMF629", "http://h", "s", [_result(Outcome.FAILED, "mandatory")])
    assert not broken.conformant
    assert "```sh\ncurl x\n```" in markdown(broken)


def test_unsafe_requests_reach_only_resources_the_run_created():
    owned = Ownership("r1")
    owned.record("POST", "/productOrder", 201, {"id": "mine"}, "http://h/api/productOrder")
    for method in ("PATCH", "DELETE"):
        params = {"id": "someone-elses"}
        owned.guard(method, "/productOrder/{id}", params, None)
        assert params == {"id": "conf-r1-not-ours"}
        params = {"id": "mine"}
        owned.guard(method, "/productOrder/{id}", params, None)
        assert params == {"id": "mine"}
    reads = {"id": "someone-elses"}
    owned.guard("GET", "/productOrder/{id}", reads, None)
    assert reads == {"id": "someone-elses"}
    # a cancellation request acts on the order it names
    body = {"productOrder": {"id": "someone-elses"}}
    owned.guard("POST", "/cancelProductOrder", {}, body)
    assert body == {"productOrder": {"id": "conf-r1-not-ours"}}
    assert list(owned.urls()) == ["http://h/api/productOrder/mine"]


def test_read_only_run_refuses_to_send_anything_unsafe():
    with pytest.raises(UnsafeRequest):
        Ownership("r2", read_only=True).guard("POST", "/customer", {}, {})
    spec = {"paths": {"/customer": {"get": {"responses": {}}, "post": {"responses": {
        "201": {"links": {"x": {}}}}}}, "/customer/{id}": {"patch": {}, "delete": {},
                                                          "get": {"responses": {}}}}}
    assert read_only_spec(spec)["paths"] == {"/customer": {"get": {"responses": {}}},
                                             "/customer/{id}": {"get": {"responses": {}}}}
