"""OpenTelemetry traces (the `otel` extra): spans of requests, store and adapter calls, and the
trace context for outgoing calls. With tracing off nothing of OpenTelemetry is imported."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from ..config import Settings


class Tracer:
    """Spans when tracing is on (a tracer provider given or set up from the settings); no-ops
    otherwise."""

    def __init__(self, provider: Any = None) -> None:
        self.enabled = provider is not None
        self._tracer = provider.get_tracer("tmf_gateway") if provider is not None else None

    @contextlib.contextmanager
    def span(self, name: str, attributes: Mapping[str, Any] | None = None) -> Iterator[Any]:
        if self._tracer is None:
            yield None
            return
        with self._tracer.start_as_current_span(name, attributes=dict(attributes or {})) as span:
            yield span

    @contextlib.contextmanager
    def request_span(self, name: str, headers: Mapping[str, str]) -> Iterator[Any]:
        """A server span continuing the caller's trace (W3C `traceparent`) when it sent one."""
        if self._tracer is None:
            yield None
            return
        from opentelemetry import propagate, trace

        context = propagate.extract(dict(headers))
        with self._tracer.start_as_current_span(
            name, context=context, kind=trace.SpanKind.SERVER
        ) as span:
            yield span


def from_settings(settings: Settings) -> Tracer:
    """The tracer the `tracing` setting asks for (console or OTLP exporter)."""
    if settings.tracing == "off":
        return Tracer()
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": "tmf-gateway"}))
    if settings.tracing == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    return Tracer(provider)


def outgoing_headers() -> dict[str, str]:
    """The current trace context as headers for a southbound HTTP call ({} without tracing);
    adapters add these to their requests."""
    try:
        from opentelemetry import propagate
    except ModuleNotFoundError:
        return {}
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier
