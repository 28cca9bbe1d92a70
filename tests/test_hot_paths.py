"""The fast paths keep the library's behaviour.

* Requests beyond a pool's size wait in a first-come-first-served line: under
  sustained load no request starves (aiohttp's own waiting room lets newcomers
  take a released connection first); the wait is bounded by the connect timeout
  (aiohttp) or the pool timeout (httpx).
* httpx pools serve hundreds of waiting requests without handing one connection
  to two requests and without opening more than their limit.
* A burst of first requests gets one session, leased once.
* Stream chunks validated from their JSON text equal the ones validated from the
  decoded dict; an error event, or a chunk that does not validate, takes the
  decoding path and raises what it raised before.
* The benchmark server (``python -m genai_async.testing --bench``) speaks enough
  HTTP/1.1: keep-alive, pipelining, chunked request bodies, ``Connection: close``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp
import anyio
import httpx
import orjson
import pytest

import genai_async
from _servers import ASYNCIO_LOOPS
from genai_async import errors
from genai_async._wire.convert import parse_generate, parse_generate_json
from genai_async.testing import Fault, MockServer
from genai_async.testing._bench import BenchResponses, _chunked_end, _framing

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "line"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"


def client_for(url: str, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key="test-key", http_options={"base_url": url, "backend": backend, **options}
    )


async def run_for(
    client: genai_async.AsyncClient, tasks: int, seconds: float, slowest: list[float] | None = None
) -> list[int]:
    """``tasks`` tasks each sending requests back to back; requests done per task
    (and the longest a finished request took, in ``slowest``; each task's first
    request, which opens the connections, does not count)."""
    done = [0] * tasks
    longest = [0.0]

    async def worker(index: int) -> None:
        while True:
            began = time.monotonic()
            await client.request("POST", GEN, BODY)
            if done[index]:
                longest[0] = max(longest[0], time.monotonic() - began)
            done[index] += 1

    async with anyio.create_task_group() as tg:
        for index in range(tasks):
            tg.start_soon(worker, index)
        await anyio.sleep(seconds)
        tg.cancel_scope.cancel()
    if slowest is not None:
        slowest.append(longest[0])
    return done


# -- the line in front of a pool -----------------------------------------------------------


@ASYNCIO_LOOPS
async def test_aiohttp_requests_beyond_the_pool_are_served_in_turn() -> None:
    import gc

    slowest: list[float] = []
    gc.collect()
    gc.disable()  # a collection of a long suite's heap would pause every request alike
    try:
        with MockServer(latency=0.005, record_limit=0) as server:
            async with client_for(server.url, "aiohttp") as client:
                # our default pool: 100 connections
                done = await run_for(client, 120, 3.0, slowest)
            assert server.stats().peak_connections_open <= 100
    finally:
        gc.enable()
    assert min(done) > 0, f"{done.count(0)} of 120 tasks never got a connection"
    # passed over for 50 ms at most (aiohttp alone: up to the connect timeout; our line
    # used to allow half a second)
    assert slowest[0] < 0.45


@ASYNCIO_LOOPS
async def test_aiohttp_wait_in_line_is_bounded_by_the_connect_timeout() -> None:
    # connect= bounds the wait in line plus the TCP connect: generous enough for a loaded
    # machine to open 100 connections, well short of the server's answer.
    with MockServer(latency=3.0, record_limit=0) as server:
        args = {"timeout": aiohttp.ClientTimeout(connect=1.0)}
        async with client_for(server.url, "aiohttp", async_client_args=args) as client:
            outcomes: list[BaseException | None] = []

            async def one() -> None:
                try:
                    await client.request("POST", GEN, BODY)
                    outcomes.append(None)
                except errors.GenAIError as exc:
                    outcomes.append(exc)

            start = time.monotonic()
            async with anyio.create_task_group() as tg:
                for _ in range(101):
                    tg.start_soon(one)
            elapsed = time.monotonic() - start
    failed = [exc for exc in outcomes if exc is not None]
    assert len(failed) == 1
    assert isinstance(failed[0], errors.PoolTimeout)  # a full pool says so
    assert elapsed < 6.0


async def test_httpx_requests_beyond_the_pool_are_served_in_turn(anyio_backend: Any) -> None:
    with MockServer(latency=0.005, record_limit=0) as server:
        args = {"limits": httpx.Limits(max_connections=5)}
        async with client_for(server.url, "httpx", async_client_args=args) as client:
            done = await run_for(client, 40, 1.5)
            assert client.pool_stats().sessions[0].resends == 0
        stats = server.stats()
    assert min(done) > 0
    assert stats.peak_connections_open == 5


async def test_httpx_wait_in_line_is_bounded_by_the_pool_timeout(anyio_backend: Any) -> None:
    with MockServer(latency=1.0, record_limit=0) as server:
        args = {
            "limits": httpx.Limits(max_connections=1),
            "timeout": httpx.Timeout(5.0, pool=0.2),
        }
        async with client_for(server.url, "httpx", async_client_args=args) as client:
            results: list[BaseException | None] = []

            async def one() -> None:
                try:
                    await client.request("POST", GEN, BODY)
                    results.append(None)
                except errors.GenAIError as exc:
                    results.append(exc)

            async with anyio.create_task_group() as tg:
                tg.start_soon(one)
                await anyio.sleep(0.05)
                tg.start_soon(one)
    assert results[0] is not None
    assert isinstance(results[0], errors.PoolTimeout)
    assert results[1] is None


async def test_httpx_stream_holds_its_place_until_closed(anyio_backend: Any) -> None:
    with MockServer(record_limit=0) as server:
        server.inject(Fault(match="streamGenerateContent", events=4))
        args = {"limits": httpx.Limits(max_connections=1)}
        async with client_for(server.url, "httpx", async_client_args=args) as client:
            stream = await client.models.generate_content_stream(
                model="gemini-2.5-flash-lite", contents="a"
            )
            with anyio.move_on_after(0.3) as scope:
                await client.request("POST", GEN, BODY)  # no place while the stream is open
            assert scope.cancelled_caught
            async with stream:
                assert len([chunk async for chunk in stream]) == 4
            await client.request("POST", GEN, BODY)


async def test_burst_of_first_requests_gets_one_session(
    server: MockServer, http_backend: str
) -> None:
    async with client_for(server.url, http_backend) as client:
        async with anyio.create_task_group() as tg:
            for _ in range(300):
                tg.start_soon(client.request, "POST", GEN, BODY)
        stats = client.pool_stats()
    assert len(stats.sessions) == 1
    assert stats.sessions[0].leases == 1
    assert stats.sessions[0].requests == 300
    assert stats.created == 1


# -- stream chunks from their JSON text -------------------------------------------------------

CHUNKS = [
    b'{"candidates":[{"content":{"role":"model","parts":[{"text":"2, 3"}]},"index":0}],'
    b'"usageMetadata":{"promptTokenCount":"9","totalTokenCount":12},"modelVersion":"m"}',
    b'{"candidates":[{"content":{"parts":[{"text":"x","thought":true,"thoughtSignature":"YWJj"},'
    b'{"inlineData":{"mimeType":"image/png","data":"_-8"}},{"functionCall":{"name":"f",'
    b'"args":{"error":1}}}]},"finishReason":"new_reason","citationMetadata":{"citationSources":'
    b'[{"uri":"u"}]}}],"createTime":"2024-05-01T12:34:56.789Z","somethingNew":{"a":[1,null]}}',
    b'{"candidates":[{"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT",'
    b'"probability":"NEGLIGIBLE"}],"finishReason":"STOP"}],"promptFeedback":{}}',
    b"{}",
]


@pytest.mark.parametrize("payload", CHUNKS)
def test_chunk_from_json_text_equals_chunk_from_dict(payload: bytes) -> None:
    from_text = parse_generate_json(payload, None)
    from_dict = parse_generate(orjson.loads(payload), None)
    assert from_text is not None
    assert from_text == from_dict
    assert from_text.model_fields_set == from_dict.model_fields_set
    assert from_text.raw == from_dict.raw
    assert repr(from_text) == repr(from_dict)


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b'{"candidates": 3}'])
def test_chunk_that_does_not_validate_takes_the_dict_path(payload: bytes) -> None:
    assert parse_generate_json(payload, None) is None


async def test_typed_stream_errors_are_unchanged(server: MockServer, http_backend: str) -> None:
    raw = (
        b'data: {"candidates":[{"content":{"parts":[{"text":"say \\"error\\""}]}}]}\n\n'
        b'data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"f",'
        b'"args":{"error":"none"}}}]}}]}\n\n'
        b"data: {not json\n\n"
    )
    server.inject(Fault(match="streamGenerateContent", raw_stream=raw))
    async with client_for(server.url, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="x"
        )
        async with stream:
            first = await stream.__anext__()
            second = await stream.__anext__()
            with pytest.raises(errors.UnknownApiResponseError):
                await stream.__anext__()
    assert first.text == 'say "error"'
    assert second.function_calls is not None
    assert second.function_calls[0].args == {"error": "none"}


# -- the benchmark server ---------------------------------------------------------------------


def test_bench_framing_helpers() -> None:
    assert _framing(b"\r\nHost: x\r\nContent-Length: 12\r\n") == (12, False)
    assert _framing(b"\r\ncontent-length: 3\r\nConnection: close\r\n") == (3, True)
    assert _framing(b"\r\nCONTENT-LENGTH: 4\r\n") == (4, False)
    assert _framing(b"\r\nTransfer-Encoding: chunked\r\n") == (-1, False)
    assert _framing(b"\r\nHost: x\r\n") == (0, False)
    assert _framing(b"\r\nContent-Length: x\r\n") == (None, False)
    body = b"4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nTrailer: t\r\n\r\nNEXT"
    end = _chunked_end(body, 0)
    assert end is not None
    assert body[end:] == b"NEXT"
    assert _chunked_end(body[:10], 0) is None


def test_bench_responses_are_complete_http() -> None:
    responses = BenchResponses(stream_events=5)
    sse = responses.for_target(b"/v1beta/models/x:streamGenerateContent?alt=sse", False)
    assert sse.startswith(b"HTTP/1.1 200 OK\r\n")
    assert sse.count(b"data: ") == 5
    assert sse.endswith(b"0\r\n\r\n")
    unary = responses.for_target(b"/v1beta/models/x:generateContent", True)
    head, _, body = unary.partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    assert b"Content-Length: %d" % len(body) in head
    assert orjson.loads(body)["candidates"][0]["finishReason"] == "STOP"
    missing = responses.for_target(b"/v1beta/models", False)
    assert missing.startswith(b"HTTP/1.1 404 ")


def _exchange(sock: socket.socket, data: bytes, responses: int) -> bytes:
    sock.sendall(data)
    got = b""
    while got.count(b"HTTP/1.1 ") < responses or not _complete(got):
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += chunk
    return got


def _complete(data: bytes) -> bool:
    last = data.rfind(b"HTTP/1.1 ")
    head, sep, body = data[last:].partition(b"\r\n\r\n")
    if not sep:
        return False
    if b"Transfer-Encoding: chunked" in head:
        return body.endswith(b"0\r\n\r\n")
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    return len(body) >= length


def test_bench_server_command_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "genai_async.testing", "--bench", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            body = b'{"contents":[]}'
            post = b"POST /v1beta/models/x:%s HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s"
            # pipelined, one of them with a chunked body, then one that closes
            pipelined = (
                post
                % (b"generateContent", len(body), body)
                + b"POST /v1beta/models/x:countTokens HTTP/1.1\r\nHost: h\r\n"
                b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n'
                + post
                % (b"streamGenerateContent?alt=sse", len(body), body)
            )
            got = _exchange(sock, pipelined, 3)
            assert got.count(b"HTTP/1.1 200 OK") == 3
            assert b'{"totalTokens":9}' in got
            assert got.count(b"data: ") == 8
            # the same connection, a body split across writes, then Connection: close
            sock.sendall(b"POST /v1beta/models/x:generateContent HTTP/1.1\r\nHost: h\r\n")
            time.sleep(0.05)
            closing = b"Connection: close\r\nContent-Length: 4\r\n\r\n{}"
            sock.sendall(closing)
            time.sleep(0.05)
            got = _exchange(sock, b"{}", 1)
            assert got.startswith(b"HTTP/1.1 200 OK\r\n")
            assert b"Connection: close" in got
            assert sock.recv(100) == b""  # closed by the server
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
