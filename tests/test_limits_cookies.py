"""Connection limits, cookies and aiohttp's ``ClientTimeout`` on the wire.

* ``httpx.Limits(max_connections=10)`` and an aiohttp ``TCPConnector(limit=10)`` /
  ``limit_per_host=10`` passed as ``connector``: at 200 concurrent requests the server
  never sees more than 10 connections. ``connector=None`` is our pooled default; a
  connector you pass is borrowed and stays open.
* ``cookies`` reach the server on every request; per-request cookies open no new pool;
  cookies a server sets never reach anyone.
* ``timeout=aiohttp.ClientTimeout(...)``: ``HttpOptions.timeout`` wins for the call when
  set; otherwise ``total`` bounds each attempt; ``connect``/``sock_connect`` bound
  connecting (TCP + TLS); ``sock_read`` bounds each read.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import httpx
import pytest

import genai_async
from _servers import ASYNCIO_LOOPS, SilentListener
from genai_async.errors import ConnectTimeout, ReadTimeout, RequestTimeout, WriteTimeout
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "limits"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
RETRY_TWICE = {"attempts": 2, "initial_delay": 0, "jitter": 0}


def client_for(base_url: str, backend: str, **options: Any) -> genai_async.AsyncClient:
    opts: dict[str, Any] = {"base_url": base_url, "backend": backend, **options}
    return genai_async.AsyncClient(api_key="test-key", http_options=opts)


async def storm(client: genai_async.AsyncClient, n: int = 200) -> None:
    async with anyio.create_task_group() as tg:
        for _ in range(n):
            tg.start_soon(client.request, "POST", GEN, BODY)


# -- limits -------------------------------------------------------------------------------


async def test_httpx_limits_cap_connections(anyio_backend: Any) -> None:
    with MockServer(latency=0.01) as server:
        args = {"limits": httpx.Limits(max_connections=10)}
        async with client_for(server.url, "httpx", async_client_args=args) as client:
            await storm(client)
        stats = server.stats()
    assert stats.requests == 200
    assert stats.peak_connections_open == 10


@ASYNCIO_LOOPS
@pytest.mark.parametrize("limit", ["limit", "limit_per_host"])
async def test_aiohttp_connector_limits_cap_connections(limit: str) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(**{limit: 10})
    try:
        with MockServer(latency=0.01) as server:
            args = {"connector": connector}
            async with client_for(server.url, "aiohttp", async_client_args=args) as client:
                await storm(client)
                assert client.pool_stats().sessions[0].connections == 10
            stats = server.stats()
            assert stats.requests == 200
            assert stats.peak_connections_open == 10
            # borrowed: still open after the client closed, and usable
            assert not connector.closed
            async with (
                aiohttp.ClientSession(connector=connector, connector_owner=False) as session,
                session.get(server.url + "/v1beta/models/gemini-2.5-flash-lite") as resp,
            ):
                assert resp.status == 200
    finally:
        await connector.close()


@ASYNCIO_LOOPS
async def test_connector_none_is_the_pooled_default() -> None:
    with MockServer(latency=0.01) as server:
        default = client_for(server.url, "aiohttp")
        explicit = client_for(server.url, "aiohttp", async_client_args={"connector": None})
        async with default, explicit:
            await default.request("POST", GEN, BODY)
            await storm(explicit)
            stats = explicit.pool_stats()
        assert len(stats.sessions) == 1  # one shared pooled session
        assert stats.sessions[0].leases == 2
        assert not stats.sessions[0].borrowed
        assert server.stats().peak_connections_open <= 100  # our default bound


# -- cookies ------------------------------------------------------------------------------


async def test_client_cookies_on_every_request(server: MockServer, http_backend: str) -> None:
    args = {"cookies": {"session": "abc123", "team": "blue"}}
    async with client_for(server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
        async with client.stream("POST", STREAM, BODY) as events:
            assert len([e async for e in events]) == 3
        await client.request("GET", "models/gemini-2.5-flash-lite")
    assert [r.header("cookie") for r in server.requests] == ["session=abc123; team=blue"] * 3


async def test_per_request_cookies_reuse_the_pool(server: MockServer, http_backend: str) -> None:
    args = {"cookies": {"session": "abc123"}}
    async with client_for(server.url, http_backend, async_client_args=args) as client:
        await client.request("POST", GEN, BODY)
        before = client.pool_stats()
        for i in range(3):
            override = {"async_client_args": {"cookies": {"session": f"req{i}"}}}
            await client.request("POST", GEN, BODY, http_options=override)
        await client.request("POST", GEN, BODY)
        after = client.pool_stats()
    assert (len(after.sessions), after.created) == (len(before.sessions), before.created) == (1, 1)
    assert [r.header("cookie") for r in server.requests] == [
        "session=abc123",
        "session=req0",
        "session=req1",
        "session=req2",
        "session=abc123",
    ]
    assert server.stats().connections_opened == 1


async def test_server_cookies_never_leak_between_clients(
    server: MockServer, http_backend: str
) -> None:
    a = client_for(server.url, http_backend, async_client_args={"cookies": {"who": "a"}})
    b = client_for(server.url, http_backend)
    async with a, b:
        server.inject(Fault(headers={"Set-Cookie": "tracker=a-secret; Path=/"}, times=3))
        for _ in range(3):
            await a.request("POST", GEN, BODY)
        await b.request("POST", GEN, BODY)
        await a.request("POST", GEN, BODY)
        stats = a.pool_stats()
        assert len(stats.sessions) == 1  # both clients share one pooled session
        assert stats.sessions[0].leases == 2
    cookies = [r.header("cookie") for r in server.requests]
    assert cookies == ["who=a", "who=a", "who=a", None, "who=a"]


# -- aiohttp ClientTimeout ----------------------------------------------------------------


def _client_timeout(**kwargs: Any) -> Any:
    import aiohttp

    return aiohttp.ClientTimeout(**kwargs)


@ASYNCIO_LOOPS
async def test_client_timeout_total_bounds_each_attempt() -> None:
    with MockServer() as server:
        server.inject(Fault(delay=1.5, times=2))
        args = {"timeout": _client_timeout(total=0.3)}
        options = {"async_client_args": args, "retry_options": RETRY_TWICE}
        async with client_for(server.url, "aiohttp", **options) as client:
            start = time.monotonic()
            with pytest.raises(ReadTimeout):
                await client.request("POST", GEN, BODY)
            elapsed = time.monotonic() - start
        assert 0.55 < elapsed < 1.4  # two attempts of 0.3 s, not one of 0.3 s nor 2 x 1.5 s
        assert server.stats().requests == 2
        assert [r.header("x-server-timeout") for r in server.requests] == ["1", "1"]


@ASYNCIO_LOOPS
async def test_http_options_timeout_wins_over_client_timeout_total() -> None:
    with MockServer() as server:
        server.inject(Fault(delay=0.4))
        args = {"timeout": _client_timeout(total=0.1)}
        async with client_for(
            server.url, "aiohttp", async_client_args=args, timeout=3000
        ) as client:
            await client.request("POST", GEN, BODY)  # 0.4 s > total, < HttpOptions.timeout
            assert server.last_request.header("x-server-timeout") == "3"  # type: ignore[union-attr]
            server.inject(Fault(delay=1.0))
            start = time.monotonic()
            with pytest.raises(ReadTimeout):
                await client.request(
                    "POST", GEN, BODY, http_options={"timeout": 200}
                )  # total=0.1 would not matter; 0.2 s does
            assert 0.15 < time.monotonic() - start < 0.8


@ASYNCIO_LOOPS
async def test_client_timeout_sock_read_bounds_each_read() -> None:
    with MockServer() as server:
        args = {"timeout": _client_timeout(sock_read=0.25)}
        async with client_for(server.url, "aiohttp", async_client_args=args) as client:
            # body pieces 0.12 s apart: 0.36 s in all, but no single read waits 0.25 s
            server.inject(Fault(slow_body=0.12))
            await client.request("POST", GEN, BODY)
            # slow headers
            server.inject(Fault(delay=0.6))
            with pytest.raises(ReadTimeout):
                await client.request("POST", GEN, BODY)
            # slow body
            server.inject(Fault(slow_body=0.6))
            with pytest.raises(ReadTimeout):
                await client.request("POST", GEN, BODY)
            # a stream: the gap between events
            server.inject(Fault(match="streamGenerate", slow_body=0.6))
            with pytest.raises(ReadTimeout):
                async with client.stream("POST", STREAM, BODY) as events:
                    async for _ in events:
                        pass
        assert server.stats().requests == 4


@ASYNCIO_LOOPS
@pytest.mark.parametrize("field", ["connect", "sock_connect"])
async def test_client_timeout_connect_bounds_connecting(field: str) -> None:
    """A TLS server that accepts and never answers: the handshake is part of connecting."""
    with SilentListener() as silent:
        args = {"timeout": _client_timeout(**{field: 0.3})}
        base_url = f"https://127.0.0.1:{silent.port}"
        async with client_for(base_url, "aiohttp", async_client_args=args) as client:
            start = time.monotonic()
            with pytest.raises(ConnectTimeout):
                await client.request("POST", GEN, BODY)
            assert 0.25 < time.monotonic() - start < 1.5
        assert silent.accepted == 1


@pytest.mark.parametrize("timeout", ["number", "httpx"])
async def test_the_write_timeout_bounds_a_stalled_upload(
    anyio_backend: Any, http_backend: str, timeout: str
) -> None:
    """A server that accepts and never reads: a 48 MiB body fills the socket buffers and
    the write stalls. A client-args write timeout of 0.4 s ends it with a
    ``WriteTimeout`` on every backend (aiohttp has no write timeout of its own and times
    reads only once the body is sent: before, this waited forever there and on native)."""
    if timeout == "httpx" and http_backend != "httpx":
        pytest.skip("httpx.Timeout is an httpx argument")
    value: Any = 0.4 if timeout == "number" else httpx.Timeout(30.0, write=0.4)
    body = {"contents": "x" * (48 << 20)}
    with SilentListener() as silent:
        base_url = f"http://127.0.0.1:{silent.port}"
        options = {"async_client_args": {"timeout": value}, "retry_options": {"attempts": 1}}
        async with client_for(base_url, http_backend, **options) as client:
            start = time.monotonic()
            with pytest.raises(RequestTimeout) as caught, anyio.fail_after(10):
                await client.request("POST", GEN, body)
            elapsed = time.monotonic() - start
    assert 0.3 < elapsed < 5.0
    assert isinstance(caught.value, WriteTimeout), repr(caught.value)
    assert "0.4 s" in str(caught.value) or "WriteTimeout" in str(caught.value)
