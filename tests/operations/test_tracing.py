"""OpenTelemetry (otel extra): a span per request continuing the caller's trace, child spans for
the store and the adapters, and the trace context carried into outbox events."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tmf_gateway.testing.gateway import gateway_app, sqlite_in

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
TRACE_ID, PARENT_ID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with gateway_app(database_url=sqlite_in(tmp_path_factory.mktemp("traced")),
                     southbound_options={"fulfilment": {"delay": 0}},
                     tracer_provider=provider) as app, app.test_client() as http:
        yield app, http, exporter


def _create(http, **headers) -> dict:
    body = {"name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
    response = http.post(CUSTOMERS, json=body, headers=headers)
    assert response.status_code == 201
    return response.json()


def test_a_request_span_continues_the_callers_trace_with_store_children(traced):
    _, http, exporter = traced
    exporter.clear()
    _create(http, traceparent=f"00-{TRACE_ID}-{PARENT_ID}-01", **{"X-Request-ID": "t-1"})
    spans = exporter.get_finished_spans()
    (server,) = [s for s in spans if s.kind == SpanKind.SERVER]
    assert server.name == "POST createCustomer"
    assert format(server.context.trace_id, "032x") == TRACE_ID
    assert format(server.parent.span_id, "016x") == PARENT_ID
    assert server.attributes["http.response.status_code"] == 201
    assert server.attributes["tmf.request_id"] == "t-1"
    store_spans = [s for s in spans if s.name == "store.unit_of_work"]
    assert store_spans
    assert all(s.parent.span_id == server.context.span_id for s in store_spans)


def test_a_request_without_trace_context_starts_a_new_trace(traced):
    _, http, exporter = traced
    exporter.clear()
    http.get(CUSTOMERS)
    (server,) = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert server.name == "GET listCustomer" and server.parent is None


def test_outbox_events_carry_the_trace_context(traced):
    app, http, _ = traced
    created = _create(http, traceparent=f"00-{TRACE_ID}-{PARENT_ID}-01")
    with app.gateway.store.unit_of_work() as uow:
        events = [e for e in uow.outbox_after(0, 1000) if e.resource_id == created["id"]]
    assert events
    traceparent = events[0].payload["traceparent"]
    assert traceparent.startswith(f"00-{TRACE_ID}-")


def test_adapter_calls_have_spans(traced):
    app, http, exporter = traced
    customer = _create(http)
    order = {
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre"}}],
        "relatedParty": [{"id": customer["id"], "@referredType": "Customer", "role": "Customer"}],
    }
    assert http.post("/tmf-api/productOrderingManagement/v4/productOrder",
                     json=order).status_code == 201
    exporter.clear()
    app.gateway.runner.run_pending(force=True)
    names = {s.name for s in exporter.get_finished_spans()}
    assert "southbound fulfilment.submit" in names
    (submit,) = [s for s in exporter.get_finished_spans()
                 if s.name == "southbound fulfilment.submit"]
    assert submit.attributes["tmf.adapter"] == "simulator"
