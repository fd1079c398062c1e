"""The gateway's trace continues into the legacy system: each call carries `traceparent`."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.sdk.trace import TracerProvider
from tmf_gateway_legacy_rest import LegacyHttp

from tmf_gateway.errors import SouthboundUnavailable


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(dict(self.headers))
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def legacy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_calls_inside_a_span_send_its_trace_context(legacy):
    http = LegacyHttp(legacy)
    tracer = TracerProvider().get_tracer("test")
    try:
        with tracer.start_as_current_span("request") as span:
            http.request("GET", "/orders")
        http.request("GET", "/orders")  # outside any trace: nothing to send
    finally:
        http.close()
    inside, outside = _Recorder.seen
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert inside["traceparent"].split("-")[1] == trace_id
    assert "traceparent" not in outside


def test_an_open_circuit_makes_the_adapter_unhealthy():
    http = LegacyHttp("http://127.0.0.1:9", {"retries": 0, "breaker_fail_max": 1})
    try:
        assert http.breaker_state == "closed"
        http.check_health()
        with pytest.raises(SouthboundUnavailable):
            http.request("GET", "/orders")
        assert http.breaker_state == "open"
        with pytest.raises(SouthboundUnavailable, match="circuit breaker open"):
            http.check_health()
    finally:
        http.close()
