"""The fault catalogue: each fault ends in success (a retry the policy allows) or one typed error.

Never a hang past the timeout, never an unrelated exception type, never a
response handed to the wrong caller. Real sockets against the embedded server.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest

import genai_async
from genai_async import errors
from genai_async._registry import registry_for
from genai_async._runtime import current_loop
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
RETRY = {"attempts": 4, "initial_delay": 0.02, "jitter": 0, "max_delay": 1}


def body(text: str) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


def echo(data: dict[str, Any]) -> str:
    return str(data["candidates"][0]["content"]["parts"][0]["text"])


def _registry() -> Any:
    return registry_for(*current_loop())


def make(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key="k", http_options={"base_url": server.url, "backend": backend, **options}
    )


@pytest.mark.parametrize("drop", ["before_response", "reset", "mid_body", "after_headers"])
async def test_dropped_connection_is_retried_or_typed(
    server: MockServer, http_backend: str, drop: str
) -> None:
    server.inject(Fault(drop=drop))
    async with make(server, http_backend, retry_options=RETRY) as client:
        assert echo(await client.request("POST", GEN, body("again"))) == "Echo: again"
    await _registry().aclose()  # a fresh connection: a reused one would be re-sent once
    server.clear()
    server.inject(Fault(drop=drop))
    async with make(server, http_backend, timeout=3000) as client:
        start = time.monotonic()
        with pytest.raises((errors.ReadError, errors.RemoteProtocolError)):
            await client.request("POST", GEN, body("once"))
        assert time.monotonic() - start < 2.5
    assert server.stats().requests == 1


async def test_truncated_json_body(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(body=b'{"candidates": [{"content": '))
    async with make(server, http_backend, retry_options=RETRY) as client:
        with pytest.raises(errors.UnknownApiResponseError):
            await client.request("POST", GEN, body("x"))
    assert server.stats().requests == 1  # a bad success body is not a transient failure


@pytest.mark.parametrize(
    "raw",
    [
        b'data: {"candidates": [\n\n',  # truncated event
        b"data: not json at all\n\n",
        b'data: {"a": 1}\n\n{"error": {"code": 500,\n\ndata: {"b": 2}\n\n',  # broken stray JSON
    ],
)
async def test_malformed_sse_is_one_typed_error(
    server: MockServer, http_backend: str, raw: bytes
) -> None:
    server.inject(Fault(raw_stream=raw))
    async with make(server, http_backend) as client:
        with pytest.raises((errors.UnknownApiResponseError, errors.StreamError)):
            async with client.stream("POST", STREAM, body("x")) as events:
                async for _ in events:
                    pass
        assert client.pool_stats().in_flight == 0


async def test_lines_that_are_not_sse_fields_are_ignored(
    server: MockServer, http_backend: str
) -> None:
    """Per the SSE grammar a line without a known field is skipped, so binary noise
    between events costs nothing and the events around it still arrive."""
    server.inject(Fault(raw_stream=b'\xff\xfe garbage \x00\n\ndata: {"ok": 1}\n\nevent: ping\n\n'))
    async with make(server, http_backend) as client:
        async with client.stream("POST", STREAM, body("x")) as events:
            assert [e async for e in events] == [{"ok": 1}]


async def test_sse_event_of_16_mib(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(events=1, event_size=16 * 1024 * 1024))
    async with make(server, http_backend) as client:
        async with client.stream("POST", STREAM, body("big")) as events:
            got = [e async for e in events]
    text = echo(got[0])
    assert len(text) >= 16 * 1024 * 1024 - 4096


async def test_rate_limit_storm_with_retry_after_and_retry_info(
    server: MockServer, http_backend: str
) -> None:
    server.inject(
        Fault(status=429, retry_after="0.05", times=30),
        Fault(status=429, retry_delay="0.05s", times=30),
    )
    retry = {"attempts": 8, "initial_delay": 0.01, "jitter": 0.01, "max_delay": 0.2}
    async with make(server, http_backend, retry_options=retry) as client:
        results: dict[int, str] = {}

        async def call(i: int) -> None:
            results[i] = echo(await client.request("POST", GEN, body(f"caller {i}")))

        async with anyio.create_task_group() as tg:
            for i in range(40):
                tg.start_soon(call, i)
    assert results == {i: f"Echo: caller {i}" for i in range(40)}  # nobody got another's answer
    assert server.stats().requests == 100


async def test_5xx_burst_then_recovery(server: MockServer, http_backend: str) -> None:
    server.inject(
        Fault(status=500, times=2), Fault(status=502, times=2), Fault(status=503, times=2)
    )
    async with make(server, http_backend, retry_options={**RETRY, "attempts": 8}) as client:
        texts = [echo(await client.request("POST", GEN, body(f"n{i}"))) for i in range(5)]
    assert texts == [f"Echo: n{i}" for i in range(5)]


async def test_slow_headers_and_slow_body_respect_the_timeout(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(delay=5.0), Fault(slow_body=2.0))
    async with make(server, http_backend, timeout=300) as client:
        for _ in range(2):
            start = time.monotonic()
            with pytest.raises(errors.RequestTimeout):
                await client.request("POST", GEN, body("slow"))
            assert time.monotonic() - start < 1.5


async def test_server_restarted_mid_run(http_backend: str) -> None:
    first = MockServer().start()
    port = first.port
    try:
        async with genai_async.AsyncClient(
            api_key="k",
            http_options={"base_url": first.url, "backend": http_backend, "retry_options": RETRY},
        ) as client:
            assert echo(await client.request("POST", GEN, body("before"))) == "Echo: before"
            first.stop()
            second = MockServer(port=port).start()
            try:
                # The pooled connection died with the old server; the call still succeeds.
                assert echo(await client.request("POST", GEN, body("after"))) == "Echo: after"
                assert second.stats().requests == 1
            finally:
                second.stop()
    finally:
        first.stop()


async def test_concurrent_callers_never_get_each_others_answers(
    server: MockServer, http_backend: str
) -> None:
    # Faults scattered over the run: drops, 503s and slow responses, 1 in ~7 requests.
    faults = [
        Fault(drop="mid_body"),
        Fault(status=503),
        Fault(delay=0.05),
        Fault(drop="before_response"),
    ]
    server.inject(*[faults[i % 4] for i in range(40)])
    async with make(server, http_backend, retry_options={**RETRY, "attempts": 6}) as client:
        wrong: list[tuple[int, str]] = []

        async def caller(i: int) -> None:
            for j in range(6):
                text = f"caller {i} request {j}"
                got = echo(await client.request("POST", GEN, body(text)))
                if got != f"Echo: {text}":
                    wrong.append((i, got))

        async with anyio.create_task_group() as tg:
            for i in range(48):
                tg.start_soon(caller, i)
    assert wrong == []


async def test_a_head_response_has_no_body_and_keeps_its_connection(http_backend: str) -> None:
    """A response to HEAD announces the length of the body it does not send; the
    client must not wait for that body, and the connection serves the next request."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[str] = []

    def serve() -> None:
        conn, _ = listener.accept()
        accepted.append("one")
        with conn:
            buf = b""
            for _ in range(2):
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                body = b'{"answer": 42}'
                length = f"Content-Length: {len(body)}\r\n".encode()
                reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + length
                reply += b"\r\n" if head.startswith(b"HEAD ") else b"\r\n" + body
                conn.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    options: dict[str, Any] = {"base_url": f"http://127.0.0.1:{port}", "backend": http_backend}
    try:
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            with anyio.fail_after(5):
                assert await client.request("HEAD", "models/x") == {}
                assert await client.request("GET", "models/x") == {"answer": 42}
        assert accepted == ["one"]  # both on one connection
    finally:
        listener.close()
        thread.join(timeout=5)
