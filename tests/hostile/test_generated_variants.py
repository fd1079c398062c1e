"""Generated hostile variants (Hypothesis, seeded): JSON documents of every shape with one
poison injected (NaN, Infinity, out-of-range numbers, NUL, lone surrogates, invalid UTF-8,
deep nesting, truncation) sent to every operation that takes a body, and query strings with a
poison sent to every operation. Each must get a TMF 4xx and change nothing stored.
`TMF_GATEWAY_HOSTILE_EXAMPLES` sets the number per store, `TMF_GATEWAY_HOSTILE_SEEDED=0` draws
new variants each run (`make hostile-long` does both)."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES
from .http import assert_tmf_error

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # the same variants on every run; `make hostile-long` draws new ones, and more of them
    derandomize=os.environ.get("TMF_GATEWAY_HOSTILE_SEEDED", "1") != "0",
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
MEDIA = ["application/json", "application/merge-patch+json", "application/json-patch+json",
         "application/json; charset=utf-8"]
MARK = "\u2603"  # where the poison goes, in a string no client sends
POISONS = {
    "NaN": b"NaN",
    "Infinity": b"Infinity",
    "-Infinity": b"-Infinity",
    "1e400": b"1e400",
    "-1e999": b"-1e999",
    "NUL": b'"a\\u0000b"',
    "lone high surrogate": b'"\\ud800"',
    "lone low surrogate": b'"x\\udc00y"',
    "invalid UTF-8": b'"\xff\xfe"',
    "overlong UTF-8": b'"\xc0\xaf"',
}
ATTRIBUTES = ["name", "description", "status", "state", "severity", "@type", "externalId",
              "engagedParty", "relatedParty", "characteristic", "note", "callback", "query"]
leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                              allow_infinity=False) | st.text()
documents = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(ATTRIBUTES) | st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
objects = st.dictionaries(st.sampled_from(ATTRIBUTES), documents, max_size=5)


def _inject(doc: dict, poison: str, where: int) -> bytes:
    """The document with the poison as the value of one attribute (or as a new one)."""
    keys = list(doc) or ["name"]
    doc = {**doc, keys[where % len(keys)]: MARK}
    return json.dumps(doc).encode().replace(json.dumps(MARK).encode(), POISONS[poison], 1)


@st.composite
def hostile_bodies(draw) -> tuple[str, bytes]:
    doc = draw(objects)
    how = draw(st.sampled_from([*POISONS, "deep", "truncated"]))
    if how == "deep":
        depth = draw(st.integers(101, 3000))
        return how, b'{"name":' + b"[" * depth + json.dumps(doc).encode() + b"]" * depth + b"}"
    if how == "truncated":
        raw = json.dumps(doc).encode()
        return how, raw[: draw(st.integers(1, len(raw) - 1))]  # never empty: that is no body
    return how, _inject(doc, how, draw(st.integers(0, 10)))


@st.composite
def hostile_queries(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(ATTRIBUTES) | st.text(min_size=1, max_size=6))
    value = draw(st.text(max_size=10))
    how = draw(st.sampled_from(["NUL", "too many values", "invalid UTF-8"]))
    if how == "NUL":
        cut = draw(st.integers(0, len(value)))
        value = quote(value[:cut], safe="") + "%00" + quote(value[cut:], safe="")
    elif how == "too many values":
        count = draw(st.integers(501, 3000))
        value = quote(value, safe="") + "," * count
    else:
        value = quote(value, safe="") + "%ff"
    op_suffix = draw(st.sampled_from(["", ".in", ".ne", ".gt", ".regex", ".eq"]))
    return how, f"{quote(name, safe='')}{op_suffix}={value}"


def test_generated_hostile_bodies(gateway, every_operation, unchanged):
    with_body = [op for op in every_operation if op.method in ("POST", "PATCH")]

    @SETTINGS
    @given(op=st.sampled_from(with_body), body=hostile_bodies(),
           media=st.sampled_from(MEDIA))
    def check(op, body, media):
        how, payload = body
        response = requests.request(op.method, gateway + op.path, data=payload,
                                    headers={"Content-Type": media}, timeout=30)
        assert_tmf_error(response.status_code, response.content, f"{how} to {op}")

    check()


def test_generated_hostile_queries(gateway, every_operation, unchanged):
    @SETTINGS
    @given(op=st.sampled_from(every_operation), query=hostile_queries())
    def check(op, query):
        how, text = query
        response = requests.request(op.method, f"{gateway}{op.path}?{text}", timeout=30)
        assert_tmf_error(response.status_code, response.content, f"{how} to {op}: {text[:80]}")

    check()
