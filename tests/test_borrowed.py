"""Borrowed transports: ``httpx_async_client``, ``aiohttp_client`` and an aiohttp
``connector`` serve every request of their kind (counted by the library's own hooks),
and are still open and usable after the genai_async client closes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

import genai_async
from _servers import ASYNCIO_LOOPS
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "borrowed"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"
RETRY = {"attempts": 2, "initial_delay": 0, "jitter": 0}


async def exercise(
    client: genai_async.AsyncClient, server: MockServer, args: dict[str, Any] | None = None
) -> int:
    """Every kind of call, including a retried one and per-request overrides.
    ``args``: the client's ``async_client_args`` (a per-request value replaces them, so
    it repeats them). Returns how many HTTP requests it made."""
    await client.request("POST", GEN, BODY)
    async with client.stream("POST", STREAM, BODY) as events:
        assert len([e async for e in events]) == 3
    await client.request("GET", "models/gemini-2.5-flash-lite")
    await client.request("POST", GEN, BODY, http_options={"headers": {"X-Per-Request": "1"}})
    cookies = {"async_client_args": {**(args or {}), "cookies": {"c": "1"}}}
    await client.request("POST", GEN, BODY, http_options=cookies)
    server.inject(Fault(status=503))
    await client.request("POST", GEN, BODY)  # 503, then retried
    assert server.requests[-4].header("x-per-request") == "1"
    assert server.requests[-3].header("cookie") == "c=1"
    return 7


async def test_borrowed_httpx_async_client(server: MockServer, anyio_backend: Any) -> None:
    seen: Counter[str] = Counter()

    async def on_request(request: httpx.Request) -> None:
        seen["request"] += 1

    async def on_response(response: httpx.Response) -> None:
        seen["response"] += 1

    borrowed = httpx.AsyncClient(event_hooks={"request": [on_request], "response": [on_response]})
    try:
        options = {"base_url": server.url, "httpx_async_client": borrowed, "retry_options": RETRY}
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            made = await exercise(client, server)
            sessions = client.pool_stats().sessions
            assert [(s.backend, s.borrowed) for s in sessions] == [("httpx", True)]
            with pytest.raises(ValueError, match="verify"):
                await client.request(
                    "POST", GEN, BODY, http_options={"async_client_args": {"verify": False}}
                )
        assert seen == {"request": made, "response": made}
        assert server.stats().requests == made
        assert not borrowed.is_closed
        resp = await borrowed.get(server.url + "/v1beta/models/gemini-2.5-flash-lite")
        assert resp.status_code == 200
    finally:
        await borrowed.aclose()


@ASYNCIO_LOOPS
async def test_borrowed_aiohttp_client() -> None:
    import aiohttp

    seen: Counter[str] = Counter()

    async def on_request_start(*_: Any) -> None:
        seen["request"] += 1

    async def on_request_end(*_: Any) -> None:
        seen["response"] += 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    trace.on_request_end.append(on_request_end)
    with MockServer() as server:
        session = aiohttp.ClientSession(trace_configs=[trace])
        try:
            options = {"base_url": server.url, "aiohttp_client": session, "retry_options": RETRY}
            async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
                made = await exercise(client, server)
                sessions = client.pool_stats().sessions
                assert [(s.backend, s.borrowed) for s in sessions] == [("aiohttp", True)]
            assert seen == {"request": made, "response": made}
            assert server.stats().requests == made
            assert not session.closed
            async with session.get(server.url + "/v1beta/models/gemini-2.5-flash-lite") as resp:
                assert resp.status == 200
        finally:
            await session.close()


@ASYNCIO_LOOPS
async def test_borrowed_aiohttp_connector() -> None:
    import aiohttp

    class CountingConnector(aiohttp.TCPConnector):
        """Counts the connections handed out for requests (new or pooled)."""

        handed_out = 0

        async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
            CountingConnector.handed_out += 1
            return await super().connect(req, traces, timeout)

    with MockServer() as server:
        connector = CountingConnector(limit=4)
        try:
            args = {"connector": connector}
            options = {"base_url": server.url, "async_client_args": args, "retry_options": RETRY}
            async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
                await client.request("POST", GEN, BODY)
                made = 1 + await exercise(client, server, args)
                sessions = client.pool_stats().sessions
                # our session around your connector: the connector is yours, never closed
                assert len(sessions) == 1
                assert sessions[0].backend == "aiohttp"
            assert CountingConnector.handed_out == made
            assert server.stats().requests == made
            assert not connector.closed
            async with (
                aiohttp.ClientSession(connector=connector, connector_owner=False) as session,
                session.get(server.url + "/v1beta/models/gemini-2.5-flash-lite") as resp,
            ):
                assert resp.status == 200
            assert CountingConnector.handed_out == made + 1
        finally:
            await connector.close()


async def test_borrowed_httpx_transport_and_mounts_stay_open(
    server: MockServer, anyio_backend: Any
) -> None:
    closed: list[str] = []

    class Counting(httpx.AsyncHTTPTransport):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

        async def aclose(self) -> None:
            closed.append(self.name)
            await super().aclose()

    transport, mounted = Counting("transport"), Counting("mounted")
    try:
        for args in ({"transport": transport}, {"mounts": {"all://127.0.0.2": mounted}}):
            options = {"base_url": server.url, "async_client_args": args}
            async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
                await client.request(
                    "POST", "models/gemini-2.5-flash-lite:generateContent", {"contents": []}
                )
        assert closed == []  # the client closed its own session, never the user's objects
    finally:
        await transport.aclose()
        await mounted.aclose()
