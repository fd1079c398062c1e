"""Every class of hostile input from issue 22, sent to every operation of every API over HTTP on
SQLite and PostgreSQL: never a 5xx, every 4xx a TMF error body, nothing stored changes."""

from __future__ import annotations

import pytest
import requests

from .http import assert_tmf_error, raw

DEEP = b'{"name":"x","a":' + b"[" * 2000 + b"]" * 2000 + b"}"
BODIES = {  # hostile JSON bodies, each sent as application/json (merge patch for PATCH)
    "nested 2000 deep": DEEP,
    "nested 150 deep": b'{"name":"x","a":' + b"[" * 150 + b"]" * 150 + b"}",
    "NaN": b'{"name":"x","description":NaN}',
    "Infinity": b'{"name":"x","description":-Infinity}',
    "1e400": b'{"name":"x","description":1e400}',
    "lone surrogate": b'{"name":"\\ud800","description":"x"}',
    "NUL escaped": b'{"name":"a\\u0000b"}',
    "NUL in a key": b'{"na\\u0000me":"x"}',
    "not UTF-8": b'{"name":"\xff\xfe"}',
    "truncated": b'{"name":"x"',
    "array": b"[]",  # this and the next two: well-formed JSON of the wrong shape, which an
    "scalar": b"42",  # operation declaring no body may ignore
    "null": b"null",
}
WRONG_SHAPE = {"array", "scalar", "null"}


def _media(method: str) -> str:
    return "application/merge-patch+json" if method == "PATCH" else "application/json"


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_hostile_bodies_on_every_operation(gateway, every_operation, unchanged, kind):
    for op in every_operation:
        if op.method not in ("POST", "PATCH") or (kind in WRONG_SHAPE and not op.takes_body):
            continue
        response = requests.request(op.method, gateway + op.path, data=BODIES[kind],
                                    headers={"Content-Type": _media(op.method)}, timeout=30)
        assert_tmf_error(response.status_code, response.content, f"{kind}: {op}")


def test_a_body_without_content_type_is_415(gateway, every_operation, unchanged):
    """Not guessed to be JSON: a client that forgets the header learns it at once."""
    body = b'{"name":"No CT","engagedParty":{"id":"500","@referredType":"Organization"}}'
    for op in every_operation:
        if op.method in ("POST", "PATCH"):
            status, payload = raw(gateway, f"{op.method} {op.path} HTTP/1.1\r\n"
                                  f"Content-Length: {len(body)}", body)
            assert_tmf_error(status, payload, op)
            assert status == 415, op


def test_two_content_type_headers_are_400(gateway, every_operation, unchanged):
    body = b'{"description":"two"}'
    for op in every_operation:
        if op.method in ("POST", "PATCH"):
            status, payload = raw(
                gateway, f"{op.method} {op.path} HTTP/1.1\r\nContent-Type: application/json\r\n"
                f"Content-Type: application/merge-patch+json\r\nContent-Length: {len(body)}", body)
            assert_tmf_error(status, payload, op)
            assert status == 400, op


@pytest.mark.parametrize("chunked", [True, False])
def test_a_body_over_the_limit_is_413_chunked_or_not(gateway, every_operation, unchanged,
                                                     chunked):
    big = b'{"name":"' + b"x" * 1_100_000 + b'"}'
    for op in every_operation:
        if op.method not in ("POST", "PATCH"):
            continue
        head = f"{op.method} {op.path} HTTP/1.1\r\nContent-Type: {_media(op.method)}"
        if chunked:
            status, payload = raw(gateway, head + "\r\nTransfer-Encoding: chunked",
                                  b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big))
        else:
            status, payload = raw(gateway, head + f"\r\nContent-Length: {len(big)}", big)
        assert_tmf_error(status, payload, op)
        assert status == 413, op


FIVE_HUNDRED = ",".join(f"v{i}" for i in range(500))
QUERIES = {
    "NUL in a filter": "name=%00",
    "NUL in a name": "na%00me=x",
    "1200 values in .in": "name.in=" + ",".join(f"n{i}" for i in range(1200)),
    "1200 repeated values": "&".join(f"status=s{i}" for i in range(1200)),
    "not UTF-8": "name=%ff%fe",
    "limit not a number": "limit=abc",
    "negative offset": "offset=-1",
    "offset past 64 bits": "offset=99999999999999999999999",
    "offset at 64 bits": "limit=1&offset=9223372036854775807",
    "broken regex": "name.regex=(((",
    "400 sort keys": "sort=" + ",".join(["name", "-status"] * 200),
    # the most values allowed (max_filter_values), where SQLite refused deep OR chains
    "500 values on a JSON path": "contactMedium.characteristic.emailAddress.in=" + FIVE_HUNDRED,
    "500 values on a column": "name.in=" + FIVE_HUNDRED,
    "500 lower bounds": "name.gt=" + FIVE_HUNDRED,
    "500 upper bounds on a JSON path": "contactMedium.characteristic.emailAddress.lt="
    + FIVE_HUNDRED,
}
READ_ONLY = {"limit not a number", "negative offset", "offset past 64 bits", "offset at 64 bits",
             "broken regex", "400 sort keys", "500 values on a JSON path", "500 values on a column",
             "500 lower bounds", "500 upper bounds on a JSON path"}  # to reads; 2xx is fine too


@pytest.mark.parametrize("kind", sorted(QUERIES))
def test_hostile_queries_on_every_operation(gateway, every_operation, unchanged, kind):
    paging = kind in READ_ONLY
    for op in every_operation:
        if op.method == "POST" or (paging and op.method != "GET"):
            continue  # POST: the generated cases; paging is hostile to reads only
        response = requests.request(op.method, f"{gateway}{op.path}?{QUERIES[kind]}",
                                    timeout=30)
        if paging and 200 <= response.status_code < 300:
            continue  # a read may answer these (an empty page, parameters it ignores)
        assert_tmf_error(response.status_code, response.content, f"{kind}: {op}")


def test_query_parameter_errors_name_the_parameter(gateway):
    response = requests.get(gateway + "/tmf-api/customerManagement/v4/customer?limit=abc",
                            timeout=10)
    assert_tmf_error(response.status_code, response.content, "limit=abc")
    message = response.json()["message"]
    assert "'limit'" in message and "Failed validating" not in message and "{" not in message
    many = requests.get(gateway + "/tmf-api/customerManagement/v4/customer?" + QUERIES[
        "1200 values in .in"], timeout=10).json()["message"]
    assert "max_filter_values" in many


def _variants(path: str) -> list[str]:
    head, _, tail = path.rpartition("/")
    return ["/" + path, path.replace("/", "//", 2), path + "/", f"{head}/./{tail}",
            f"{head}/x/../{tail}", path + "%0A", path + "/%00"]


def test_path_variants_are_404_never_a_redirect(gateway, every_operation, unchanged):
    for op in every_operation:
        for variant in _variants(op.path):
            status, payload = raw(gateway, f"{op.method} {variant} HTTP/1.1\r\n"
                                  "Content-Type: application/json\r\nContent-Length: 2", b"{}")
            assert_tmf_error(status, payload, f"{op.method} {variant}")
            assert status in (404, 405), f"{op.method} {variant}: {status}"


@pytest.mark.parametrize("method", ["PROPFIND", "PURGE", "TRACE", "SEARCH", "PUT", "BREW"])
def test_an_unknown_method_is_a_tmf_405(gateway, every_operation, unchanged, method):
    """Methods the HTTP server parses but no operation has, and a token outside the registry of
    HTTP methods (`BREW`), which uvicorn's parser refuses before the app sees the request."""
    for op in every_operation:
        status, payload = raw(gateway, f"{method} {op.path} HTTP/1.1\r\nContent-Length: 0")
        assert_tmf_error(status, payload, f"{method} {op.path}")
        # a made-up id that fails the path's type (an integer) matches no path at all
        expected = {405, 404} if "no-such-id" in op.path else {405}
        assert status in expected, f"{method} {op.path}: {payload[:200]!r}"


def test_long_values_in_indexed_attributes_are_stored_and_found(gateway):
    """PostgreSQL's VARCHAR(255) and B-tree limits are gone (migration 0004): a 1,400-character
    name, status, @type, party id and external id are stored and filtered exactly."""
    long = "é" * 1400  # 2,800 bytes: over the B-tree entry limit
    customers = gateway + "/tmf-api/customerManagement/v4/customer"
    body = {"name": long, "status": long + "s", "@type": "Customer",
            "engagedParty": {"id": long + "p", "@referredType": "Organization"}}
    created = requests.post(customers, json=body, timeout=10)
    assert created.status_code == 201, created.text
    for query in ({"name": long}, {"status": long + "s"}, {"engagedParty.id": long + "p"}):
        found = requests.get(customers, params=query, timeout=10)
        assert [c["id"] for c in found.json()] == [created.json()["id"]], query
    tickets = gateway + "/tmf-api/troubleTicket/v4/troubleTicket"
    ticket = requests.post(tickets, json={"description": "d", "severity": "Minor",
                                          "ticketType": "incident", "externalId": long},
                           timeout=10)
    assert ticket.status_code == 201, ticket.text
    found = requests.get(tickets, params={"externalId": long}, timeout=10).json()
    assert [t["id"] for t in found] == [ticket.json()["id"]]
    assert requests.delete(f"{customers}/{created.json()['id']}", timeout=10).status_code == 204


def test_a_method_outside_the_http_registry_is_a_tmf_405_in_process(client):
    """What uvicorn's parser refuses on the wire, the gateway itself answers as TMF."""
    response = client.request("BREW", "/tmf-api/customerManagement/v4/customer")
    assert_tmf_error(response.status_code, response.content, "BREW")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"


def test_a_request_the_http_parser_refuses_is_a_tmf_400(gateway):
    status, payload = raw(gateway, "GET /tmf-api/customerManagement/v4/customer HTTP/1.1\r\n"
                          "Bad Header Name: x")
    assert_tmf_error(status, payload, "malformed header")
    assert status == 400
