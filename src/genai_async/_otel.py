"""Native OpenTelemetry: GenAI client spans and metrics, HTTP attempt spans, pool gauges.

Client-core layer, loaded by :mod:`._observe` only when ``opentelemetry-api``
is importable and the application has configured a tracer or meter provider.
Attribute names follow the OpenTelemetry GenAI and HTTP client semantic
conventions (``gen_ai.provider.name`` replaces the deprecated ``gen_ai.system``).

Prompt and response content are recorded (``gen_ai.input.messages``,
``gen_ai.system_instructions``, ``gen_ai.output.messages``) only when
``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` is ``true``. No
attribute ever holds a credential: ``url.full`` has any ``key=`` value
replaced, and request headers are never recorded.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson
from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._hooks import REQUEST_ID_HEADERS, request_id
from ._version import __version__

if TYPE_CHECKING:
    from ._config import Prepared
    from ._observe import CallObserver

__all__ = ("CallTelemetry", "capture")

_SCOPE = "genai_async"
_SCHEMA = "https://opentelemetry.io/schemas/1.37.0"
_CAPTURE_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
_DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
                     40.96, 81.92)  # fmt: skip
_TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
                  16777216, 67108864)  # fmt: skip


class _Instruments:
    __slots__ = ("duration", "gauges", "tokens", "tracer")

    def __init__(self) -> None:
        self.tracer = trace.get_tracer(_SCOPE, __version__, schema_url=_SCHEMA)
        meter = metrics.get_meter(_SCOPE, __version__, schema_url=_SCHEMA)
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration",
            explicit_bucket_boundaries_advisory=list(_DURATION_BUCKETS),
        )
        self.tokens = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Number of input and output tokens used",
            explicit_bucket_boundaries_advisory=list(_TOKEN_BUCKETS),
        )
        self.gauges = (
            meter.create_observable_up_down_counter(
                "http.client.open_connections",
                callbacks=[_open_connections],
                unit="{connection}",
                description="Pooled connections, by state (active: a request in flight)",
            ),
            meter.create_observable_gauge(
                "genai_async.client.requests.waiting",
                callbacks=[_waiting],
                unit="{request}",
                description="Requests in flight beyond the open connections",
            ),
        )


_instruments: _Instruments | None = None


def _get() -> _Instruments:
    global _instruments
    inst = _instruments
    if inst is None:
        inst = _instruments = _Instruments()
    return inst


def _pool_totals() -> tuple[int, int, int]:
    """(active, idle, waiting) over every loop's registry, from its pool stats."""
    from ._registry import live_registries

    active = idle = waiting = 0
    for registry in live_registries():
        try:
            stats = registry.stats()
        except RuntimeError:
            continue
        for session in stats.sessions:
            conns = session.connections or 0
            busy = min(session.in_flight, conns)
            active += busy
            idle += conns - busy
            waiting += max(0, session.in_flight - conns) if session.connections is not None else 0
    return active, idle, waiting


def _open_connections(options: CallbackOptions) -> list[Observation]:
    active, idle, _ = _pool_totals()
    return [
        Observation(active, {"http.connection.state": "active"}),
        Observation(idle, {"http.connection.state": "idle"}),
    ]


def _waiting(options: CallbackOptions) -> list[Observation]:
    return [Observation(_pool_totals()[2])]


def capture() -> bool:
    """Whether the application opted in to recording prompt and response content."""
    return os.environ.get(_CAPTURE_ENV, "").strip().lower() in ("true", "1")


class CallTelemetry:
    """The spans and metric points of one call."""

    __slots__ = ("attempt_span", "base", "call", "span", "url_attrs")

    def __init__(self, call: CallObserver, prep: Prepared) -> None:
        inst = _get()
        self.call = call
        parts = urlsplit(call.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        provider = "gcp.vertex_ai" if prep.settings.api.vertexai else "gcp.gemini"
        base: dict[str, Any] = {
            "gen_ai.operation.name": call.operation,
            "gen_ai.provider.name": provider,
            "server.address": parts.hostname or "",
            "server.port": port,
        }
        if call.model:
            base["gen_ai.request.model"] = call.model
        self.base = base
        self.url_attrs = {
            "http.request.method": call.method,
            "url.full": call.url,
            "server.address": parts.hostname or "",
            "server.port": port,
        }
        name = f"{call.operation} {call.model}" if call.model else call.operation
        attrs = dict(base)
        body = call.body
        if type(body) is dict and capture():
            if "contents" in body:
                attrs["gen_ai.input.messages"] = _dumps(body["contents"])
            if "systemInstruction" in body:
                attrs["gen_ai.system_instructions"] = _dumps(body["systemInstruction"])
        self.span = inst.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attrs)
        self.attempt_span: Any = None

    def attempt_start(self, resend_count: int, backend: Any) -> None:
        attrs: dict[str, Any] = dict(self.url_attrs)
        if resend_count:
            attrs["http.request.resend_count"] = resend_count
        self.attempt_span = _get().tracer.start_span(
            self.call.method,
            context=trace.set_span_in_context(self.span),
            kind=SpanKind.CLIENT,
            attributes=attrs,
        )

    def attempt_done(
        self, resend_count: int, status: int | None, headers: Any, error: Any, elapsed: float
    ) -> None:
        span = self.attempt_span
        if span is None:
            return
        self.attempt_span = None
        if status is not None:
            span.set_attribute("http.response.status_code", status)
            for name in REQUEST_ID_HEADERS:
                value = headers.get(name) if headers else None
                if value:
                    span.set_attribute(f"http.response.header.{name}", [str(value)])
            if status >= 400:
                span.set_attribute("error.type", str(status))
                span.set_status(Status(StatusCode.ERROR))
        elif error is not None:
            span.set_attribute("error.type", _error_type(error))
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()

    def call_done(self, error: BaseException | None, data: Any, duration: float) -> None:
        span = self.span
        inst = _get()
        if self.attempt_span is not None:  # cancelled inside an attempt
            self.attempt_done(0, None, None, error, 0.0)
        metric_attrs = dict(self.base)
        if error is not None:
            etype = _error_type(error)
            span.set_attribute("error.type", etype)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            metric_attrs["error.type"] = etype
            rid = getattr(error, "request_id", None)
            if isinstance(rid, str):
                span.set_attribute("genai_async.request_id", rid)
        elif type(data) is dict:
            model = data.get("modelVersion")
            if isinstance(model, str):
                span.set_attribute("gen_ai.response.model", model)
                metric_attrs["gen_ai.response.model"] = model
            rid = data.get("responseId")
            if isinstance(rid, str):
                span.set_attribute("gen_ai.response.id", rid)
            candidates = data.get("candidates")
            if isinstance(candidates, list):
                reasons = [
                    str(c["finishReason"])
                    for c in candidates
                    if isinstance(c, dict) and c.get("finishReason")
                ]
                if reasons:
                    span.set_attribute("gen_ai.response.finish_reasons", reasons)
                if capture():
                    span.set_attribute(
                        "gen_ai.output.messages",
                        _dumps([c.get("content") for c in candidates if isinstance(c, dict)]),
                    )
            header_rid = request_id(self.call.last_headers)
            if header_rid is not None:
                span.set_attribute("genai_async.request_id", header_rid)
            usage = data.get("usageMetadata")
            if isinstance(usage, dict):
                for key, attr, kind in (
                    ("promptTokenCount", "gen_ai.usage.input_tokens", "input"),
                    ("candidatesTokenCount", "gen_ai.usage.output_tokens", "output"),
                ):
                    count = usage.get(key)
                    if isinstance(count, int):
                        span.set_attribute(attr, count)
                        inst.tokens.record(count, {**metric_attrs, "gen_ai.token.type": kind})
        span.end()
        inst.duration.record(duration, metric_attrs)


def _error_type(error: BaseException) -> str:
    code = getattr(error, "code", None)
    if isinstance(code, int) and type(error).__module__.startswith("genai_async"):
        return str(code)
    return type(error).__qualname__


def _dumps(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return str(value)
