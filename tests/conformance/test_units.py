"""Pieces of the conformance tool that need no server: operation keys, auth, curl, verdict."""

from __future__ import annotations

import requests

from tmf_gateway.conformance.command import headers_from
from tmf_gateway.conformance.profiles import PROFILES, operation_key
from tmf_gateway.conformance.report import Report, markdown, summary
from tmf_gateway.conformance.results import CheckResult, Outcome, curl_for


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
