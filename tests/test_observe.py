"""Hooks and native OpenTelemetry, against the embedded server on loopback.

OpenTelemetry runs with the real SDK and in-memory exporters, installed once
for this module (the global providers can be set only once per process).
"""

from __future__ import annotations

import contextvars
import json
import logging
from typing import Any

import pytest
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import genai_async
from genai_async import errors
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "one two three four"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
FAST = {"attempts": 3, "initial_delay": 0.01, "jitter": 0}
SECRET = "sk-very-secret-key-123"

EXPORTER = InMemorySpanExporter()
READER = InMemoryMetricReader()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
trace.set_tracer_provider(_provider)
metrics.set_meter_provider(MeterProvider(metric_readers=[READER]))


@pytest.fixture(autouse=True)
def fresh_spans() -> None:
    EXPORTER.clear()


def make(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key=SECRET, http_options={"base_url": server.url, "backend": backend, **options}
    )


class Recorder:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def hooks(self, *, asynchronous: bool = False) -> genai_async.Hooks:
        if asynchronous:

            async def record(event: Any) -> None:
                self.events.append(event)

            return genai_async.Hooks(record, record, record, record, record)

        return genai_async.Hooks(*[self.events.append] * 5)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


# -- hooks -------------------------------------------------------------------------


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_hooks_see_every_step_of_a_retried_call(
    server: MockServer, http_backend: str, asynchronous: bool
) -> None:
    server.inject(Fault(status=429, retry_after="0.05", times=1))
    server.inject(Fault(status=503, times=1))
    rec = Recorder()
    async with make(
        server, http_backend, retry_options=FAST, hooks=rec.hooks(asynchronous=asynchronous)
    ) as client:
        data = await client.request("POST", GEN, BODY)
    kinds = [type(e).__name__ for e in rec.events]
    assert kinds == [
        "CallStart",
        "AttemptStart", "ResponseReceived", "RetryScheduled",
        "AttemptStart", "ResponseReceived", "RetryScheduled",
        "AttemptStart", "ResponseReceived",
        "CallEnd",
    ]  # fmt: skip
    start = rec.of(genai_async.CallStart)[0]
    assert (start.operation, start.model, start.stream) == (
        "generate_content",
        "gemini-2.5-flash-lite",
        False,
    )
    assert [a.attempt for a in rec.of(genai_async.AttemptStart)] == [1, 2, 3]
    assert [r.status for r in rec.of(genai_async.ResponseReceived)] == [429, 503, 200]
    retries = rec.of(genai_async.RetryScheduled)
    assert [r.source for r in retries] == ["retry-after", "schedule"]
    assert retries[0].delay == pytest.approx(0.05)
    assert "429" in retries[0].reason
    assert isinstance(retries[0].error, errors.RateLimitError)
    end = rec.of(genai_async.CallEnd)[0]
    assert (end.outcome, end.attempts, end.status) == ("ok", 3, 200)
    assert end.usage == data["usageMetadata"]
    assert end.duration >= 0.05
    assert len({e.call_id for e in rec.events}) == 1


async def test_call_end_reports_a_failure(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=400, times=1))
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        with pytest.raises(errors.BadRequestError):
            await client.request("POST", GEN, BODY)
    end = rec.of(genai_async.CallEnd)[0]
    assert (end.outcome, end.attempts, end.status) == ("error", 1, 400)
    assert isinstance(end.error, errors.BadRequestError)


async def test_a_raising_hook_is_logged_and_never_breaks_or_retries(
    server: MockServer, http_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(event: Any) -> None:
        raise RuntimeError("hook failed")

    async def aboom(event: Any) -> None:
        raise RuntimeError("async hook failed")

    hooks = genai_async.Hooks(boom, aboom, boom, aboom, boom)
    with caplog.at_level(logging.WARNING, "genai_async"):
        async with make(server, http_backend, retry_options=FAST, hooks=hooks) as client:
            data = await client.request("POST", GEN, BODY)
    assert "candidates" in data
    assert server.stats().requests == 1
    assert sum("hook raised" in r.getMessage() for r in caplog.records) == 4


async def test_request_hooks_run_after_the_client_hooks(
    server: MockServer, http_backend: str
) -> None:
    order: list[str] = []
    client_hooks = genai_async.Hooks(on_call_end=lambda e: order.append("client"))
    request_hooks = genai_async.Hooks(on_call_end=lambda e: order.append("request"))
    async with make(server, http_backend, hooks=client_hooks) as client:
        await client.request("POST", GEN, BODY, http_options={"hooks": request_hooks})
        await client.request("POST", GEN, BODY)
    assert order == ["client", "request", "client"]


async def test_stream_call_ends_when_the_stream_closes(
    server: MockServer, http_backend: str
) -> None:
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            assert not rec.of(genai_async.CallEnd)
            chunks = [e async for e in events]
    assert chunks
    start = rec.of(genai_async.CallStart)[0]
    assert start.stream
    [end] = rec.of(genai_async.CallEnd)
    assert end.outcome == "ok"
    assert end.attempts == 1


def test_hooks_are_validated() -> None:
    with pytest.raises(TypeError, match="on_retry must be callable"):
        genai_async.Hooks(on_retry=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hooks must be"):  # a pydantic ValidationError
        genai_async.HttpOptions(hooks="nope")


# -- OpenTelemetry ------------------------------------------------------------------


async def test_call_span_and_attempt_spans(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=503, times=1))
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("parent") as parent:
        async with make(server, http_backend, retry_options=FAST) as client:
            data = await client.request("POST", GEN, BODY)
    spans = {s.name: s for s in EXPORTER.get_finished_spans()}
    call = spans["generate_content gemini-2.5-flash-lite"]
    assert call.kind is SpanKind.CLIENT
    assert call.parent is not None
    assert call.parent.span_id == parent.get_span_context().span_id
    attrs = dict(call.attributes or {})
    assert attrs["gen_ai.operation.name"] == "generate_content"
    assert attrs["gen_ai.provider.name"] == "gcp.gemini"
    assert attrs["gen_ai.request.model"] == "gemini-2.5-flash-lite"
    assert attrs["server.address"] == "127.0.0.1"
    assert attrs["server.port"] == server.port
    usage = data["usageMetadata"]
    assert attrs["gen_ai.usage.input_tokens"] == usage["promptTokenCount"]
    assert attrs["gen_ai.usage.output_tokens"] == usage["candidatesTokenCount"]
    assert list(attrs["gen_ai.response.finish_reasons"]) == [  # type: ignore[arg-type]
        c["finishReason"] for c in data["candidates"]
    ]
    if "modelVersion" in data:
        assert attrs["gen_ai.response.model"] == data["modelVersion"]
    assert "gen_ai.input.messages" not in attrs
    attempts = sorted(
        (s for s in EXPORTER.get_finished_spans() if s.name == "POST"),
        key=lambda s: s.start_time or 0,
    )
    assert len(attempts) == 2
    for s in attempts:
        assert s.parent is not None
        assert s.parent.span_id == call.context.span_id
    first, second = (dict(s.attributes or {}) for s in attempts)
    assert first["http.response.status_code"] == 503
    assert first["error.type"] == "503"
    assert attempts[0].status.status_code is StatusCode.ERROR
    assert "http.request.resend_count" not in first
    assert second["http.request.resend_count"] == 1
    assert second["http.response.status_code"] == 200
    assert second["http.request.method"] == "POST"
    assert str(second["url.full"]).startswith(server.url)


async def test_failure_marks_the_call_span(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=404, times=1))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.NotFoundError):
            await client.request("POST", GEN, BODY)
    call = next(s for s in EXPORTER.get_finished_spans() if s.name.startswith("generate_content"))
    assert call.status.status_code is StatusCode.ERROR
    assert dict(call.attributes or {})["error.type"] == "404"


async def test_metrics_record_duration_and_tokens(server: MockServer, http_backend: str) -> None:
    async with make(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
        data = READER.get_metrics_data()
    found: dict[str, Any] = {}
    for rm in data.resource_metrics if data else []:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                found[m.name] = m
    assert found["gen_ai.client.operation.duration"].unit == "s"
    tokens = found["gen_ai.client.token.usage"].data.data_points
    assert {dict(p.attributes)["gen_ai.token.type"] for p in tokens} == {"input", "output"}
    conns = found["http.client.open_connections"].data.data_points
    assert {dict(p.attributes)["http.connection.state"] for p in conns} == {"active", "idle"}
    assert sum(p.value for p in conns) >= 1
    assert "genai_async.client.requests.waiting" in found


async def test_content_only_on_opt_in(
    server: MockServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    async with make(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
    call = next(s for s in EXPORTER.get_finished_spans() if s.name.startswith("generate_content"))
    attrs = dict(call.attributes or {})
    assert "one two three four" in str(attrs["gen_ai.input.messages"])
    assert "gen_ai.output.messages" in attrs


async def test_api_key_never_in_spans(
    server: MockServer, http_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.inject(Fault(status=503, times=1))
    with caplog.at_level(logging.DEBUG, "genai_async"):
        async with make(server, http_backend, retry_options=FAST) as client:
            await client.request("POST", GEN, BODY)
            server.inject(Fault(status=503, times=1))
            with caplog.at_level(logging.WARNING, "genai_async"):
                await client.request("POST", GEN + f"?key={SECRET}", BODY)  # a key in the URL
    spans = EXPORTER.get_finished_spans()
    assert spans
    for s in spans:
        text = s.to_json()
        assert SECRET not in text
    assert SECRET not in caplog.text


def test_sync_client_spans_join_the_callers_trace(server: MockServer) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("caller") as caller:
        with genai_async.Client(api_key=SECRET, http_options={"base_url": server.url}) as client:
            client.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")
    call = next(
        s
        for s in EXPORTER.get_finished_spans()
        if s.name == "generate_content gemini-2.5-flash-lite"
    )
    assert call.parent is not None
    assert call.parent.span_id == caller.get_span_context().span_id
    assert call.context.trace_id == caller.get_span_context().trace_id
    assert contextvars.copy_context() is not None


# -- streams: usage, finish reasons, outcome ------------------------------------------


def _call_spans(name: str = "generate_content gemini-2.5-flash-lite") -> list[Any]:
    return [s for s in EXPORTER.get_finished_spans() if s.name == name]


async def test_stream_call_end_and_span_carry_usage_and_finish_reasons(
    server: MockServer, http_backend: str
) -> None:
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c"
        )
        async with stream:
            chunks = [c async for c in stream]
    last = chunks[-1]
    assert last.usage_metadata is not None
    [end] = rec.of(genai_async.CallEnd)
    assert end.outcome == "ok"
    assert end.usage is not None
    assert end.usage["candidatesTokenCount"] == last.usage_metadata.candidates_token_count
    assert end.usage["promptTokenCount"] == last.usage_metadata.prompt_token_count
    assert end.finish_reasons == ("STOP",)
    assert end.request_id == last.sdk_http_response.request_id  # type: ignore[union-attr]
    [call] = _call_spans()
    attrs = dict(call.attributes or {})
    assert attrs["gen_ai.usage.input_tokens"] == last.usage_metadata.prompt_token_count
    assert attrs["gen_ai.usage.output_tokens"] == last.usage_metadata.candidates_token_count
    assert list(attrs["gen_ai.response.finish_reasons"]) == ["STOP"]  # type: ignore[arg-type]
    assert attrs["gen_ai.response.model"] == last.model_version
    assert attrs["gen_ai.response.id"] == last.response_id
    assert attrs["genai_async.request_id"] == end.request_id
    assert call.status.status_code is StatusCode.UNSET


async def test_raw_stream_call_end_carries_usage(server: MockServer, http_backend: str) -> None:
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            chunks = [e async for e in events]
    [end] = rec.of(genai_async.CallEnd)
    assert end.usage == chunks[-1]["usageMetadata"]
    assert end.finish_reasons == ("STOP",)


async def test_stream_content_captured_on_opt_in(
    server: MockServer, http_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    async with make(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c"
        )
        async with stream:
            text = "".join([c.text or "" async for c in stream])
    [call] = _call_spans()
    output = json.loads(str(dict(call.attributes or {})["gen_ai.output.messages"]))
    assert text
    assert output == [{"role": "model", "parts": [{"text": text}]}]


async def test_stream_closed_before_its_end_is_cancelled(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(match="streamGenerateContent", slow_body=0.3, events=6, times=1))
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        async with client.stream("POST", STREAM, BODY) as events:
            async for _ in events:
                break
    [end] = rec.of(genai_async.CallEnd)
    assert end.outcome == "cancelled"
    assert end.error is None


async def test_stream_failing_mid_way_ends_the_call_with_its_error(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(match="streamGenerateContent", error_event_after=1, times=1))
    rec = Recorder()
    async with make(server, http_backend, hooks=rec.hooks()) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c"
        )
        with pytest.raises(errors.ServerError):
            async with stream:
                async for _ in stream:
                    pass
    [end] = rec.of(genai_async.CallEnd)
    assert end.outcome == "error"
    assert isinstance(end.error, errors.ServerError)
    [call] = _call_spans()
    assert call.status.status_code is StatusCode.ERROR
    assert dict(call.attributes or {})["error.type"] == "500"


# -- request ids on spans ------------------------------------------------------------


async def test_spans_carry_the_request_id(server: MockServer, http_backend: str) -> None:
    async with make(server, http_backend) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="hi"
        )
        server.inject(Fault(status=400, times=1))
        with pytest.raises(errors.BadRequestError) as info:
            await client.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")
    ok_id = response.sdk_http_response.request_id  # type: ignore[union-attr]
    assert ok_id is not None
    assert info.value.request_id is not None
    calls = sorted(_call_spans(), key=lambda s: s.start_time or 0)
    assert [dict(s.attributes or {})["genai_async.request_id"] for s in calls] == [
        ok_id,
        info.value.request_id,
    ]
    attempts = sorted(
        (s for s in EXPORTER.get_finished_spans() if s.name == "POST"),
        key=lambda s: s.start_time or 0,
    )
    assert [
        tuple(dict(s.attributes or {})["http.response.header.x-request-id"]) for s in attempts
    ] == [  # type: ignore[arg-type]
        (ok_id,),
        (info.value.request_id,),
    ]


# -- context across threads and into batch workers ------------------------------------


def test_sync_client_stream_spans_join_the_callers_trace(server: MockServer) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("caller") as caller:
        with genai_async.Client(api_key=SECRET, http_options={"base_url": server.url}) as client:
            chunks = list(
                client.models.generate_content_stream(model="gemini-2.5-flash-lite", contents="hi")
            )
    assert chunks
    [call] = _call_spans()
    assert call.parent is not None
    assert call.parent.span_id == caller.get_span_context().span_id


async def test_batch_request_spans_are_children_of_the_span_that_started_the_run(
    server: MockServer,
) -> None:
    from contextlib import aclosing

    from genai_async import batch

    tracer = trace.get_tracer("test")
    requests = [{"key": f"k{i}", "request": BODY} for i in range(20)]
    async with genai_async.AsyncClient(
        api_key=SECRET, http_options={"base_url": server.url}
    ) as client:
        with tracer.start_as_current_span("batch") as parent:
            async with aclosing(
                batch.run(requests, client=client, model="gemini-2.5-flash-lite", concurrency=4)
            ) as results:
                done = [r async for r in results]
    assert len(done) == 20
    calls = _call_spans()
    assert len(calls) == 20
    for call in calls:
        assert call.parent is not None
        assert call.parent.span_id == parent.get_span_context().span_id


@pytest.mark.parametrize("loop", ["asyncio", "trio"])
def test_run_file_spans_are_children_of_the_callers_span(
    server: MockServer, tmp_path: Any, loop: str
) -> None:
    from genai_async import batch

    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"key": f"k{i}", "request": BODY}) + "\n" for i in range(10))
    )
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("file-run") as parent:
        summary = batch.run_file(
            source,
            tmp_path / "out.jsonl",
            model="gemini-2.5-flash-lite",
            client=batch.ClientConfig(api_key="k", base_url=server.url),
            loop=loop,
            stream=None,
        )
    assert summary.ok == 10
    calls = _call_spans()
    assert len(calls) == 10
    for call in calls:
        assert call.parent is not None
        assert call.parent.span_id == parent.get_span_context().span_id


_LATE_PROVIDER = r"""
import anyio, json, sys
import genai_async
from genai_async.testing import MockServer
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

async def main():
    exporter = InMemorySpanExporter()
    with MockServer() as server:
        client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
        body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
        await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", body)
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        await client.request("POST", "models/gemini-2.5-flash-lite:generateContent", body)
        await client.aclose()
    print(json.dumps(len(exporter.get_finished_spans())))

anyio.run(main)
"""


def test_a_provider_set_after_the_first_call_is_used_from_the_next() -> None:
    """No provider is checked cheaply on every call, never cached as "none"."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    proc = subprocess.run(
        [sys.executable, "-c", _LATE_PROVIDER], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) >= 1  # the second call's span
