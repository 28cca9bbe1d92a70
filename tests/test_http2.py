"""HTTP/2 on the wire: ``async_client_args={"http2": True}`` against hypercorn over TLS
with ALPN h2. Requests really use HTTP/2, multiplex over one connection, and a storm of
cancelled requests does not use up the connection's streams."""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import anyio
import pytest

import genai_async
from _servers import Certs, H2Server

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "over h2"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"
STREAM = "models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"


@pytest.fixture(scope="module")
def h2_server(certs: Certs) -> Iterator[H2Server]:
    pytest.importorskip("hypercorn", reason="hypercorn is needed for the HTTP/2 tests")
    pytest.importorskip("h2", reason="h2 is needed for httpx http2=True")
    server = H2Server(certs).start()
    yield server
    server.stop()


@pytest.fixture
def h2(h2_server: H2Server) -> H2Server:
    h2_server.app.records.clear()
    h2_server.app.disconnected = 0
    return h2_server


def h2_client(server: H2Server, certs: Certs, **options: Any) -> genai_async.AsyncClient:
    args = {"http2": True, "verify": certs.ca_file, **options.pop("async_client_args", {})}
    opts: dict[str, Any] = {"base_url": server.url, "async_client_args": args, **options}
    return genai_async.AsyncClient(api_key="test-key", http_options=opts)


async def test_requests_use_http2_and_share_one_connection(
    h2: H2Server, certs: Certs, anyio_backend: Any
) -> None:
    results: list[str] = []
    async with h2_client(h2, certs) as client:

        async def unary(i: int) -> None:
            data = await client.request(
                "POST", GEN, BODY, http_options={"headers": {"x-delay": "0.05"}}
            )
            results.append(data["candidates"][0]["content"]["parts"][0]["text"])

        async def stream() -> None:
            async with client.stream("POST", STREAM, BODY) as events:
                results.extend(
                    [e["candidates"][0]["content"]["parts"][0]["text"] async for e in events]
                )

        async with anyio.create_task_group() as tg:
            for i in range(40):
                tg.start_soon(unary, i)
            for _ in range(5):
                tg.start_soon(stream)
        stats = client.pool_stats()
    assert len(results) == 40 + 5 * 3
    assert [s.backend for s in stats.sessions] == ["httpx"]
    records = h2.app.records
    assert len(records) == 45
    assert {r.http_version for r in records} == {"2"}
    assert len(h2.app.connections()) == 1


async def test_cancelled_requests_do_not_exhaust_streams(
    h2: H2Server, certs: Certs, anyio_backend: Any
) -> None:
    """1,000 requests cancelled in flight (batches of 100, the server's stream limit),
    then requests still succeed on the same connection."""
    slow = {"headers": {"x-delay": "5"}}
    cancelled = 0
    async with h2_client(h2, certs) as client:
        await client.request("POST", GEN, BODY)  # open the connection
        for _ in range(10):
            seen = len(h2.app.records)
            async with anyio.create_task_group() as tg:
                for _ in range(100):
                    tg.start_soon(partial(client.request, "POST", GEN, BODY, http_options=slow))
                end = time.monotonic() + 5
                while len(h2.app.records) < seen + 100 and time.monotonic() < end:
                    await anyio.sleep(0.002)
                tg.cancel_scope.cancel()
            cancelled += 100
        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                for _ in range(150):
                    tg.start_soon(client.request, "POST", GEN, BODY)
    assert cancelled == 1000
    records = h2.app.records
    assert len(records) == 1 + 1000 + 150
    assert len(h2.app.connections()) == 1  # no cancelled write broke the TLS stream
    # every abandoned stream was reset, so the server stopped working on it
    end = time.monotonic() + 5
    while h2.app.disconnected < 1000 and time.monotonic() < end:
        await anyio.sleep(0.01)
    assert h2.app.disconnected == 1000


def test_http2_is_refused_on_aiohttp() -> None:
    with pytest.raises(ValueError, match=r"backend='aiohttp'.*http2"):
        genai_async.AsyncClient(
            api_key="k",
            http_options={"backend": "aiohttp", "async_client_args": {"http2": True}},
        )


async def test_http2_with_auto_backend_routes_to_httpx(
    h2: H2Server, certs: Certs, anyio_backend: Any
) -> None:
    async with h2_client(h2, certs, backend="auto") as client:
        await client.request("POST", GEN, BODY)
        assert [s.backend for s in client.pool_stats().sessions] == ["httpx"]
    assert [r.http_version for r in h2.app.records] == ["2"]


async def test_without_http2_the_same_server_speaks_http11(
    h2: H2Server, certs: Certs, anyio_backend: Any
) -> None:
    """Control: the recorded version is the negotiated one."""
    opts = {"base_url": h2.url, "backend": "httpx", "async_client_args": {"verify": certs.ca_file}}
    async with genai_async.AsyncClient(api_key="k", http_options=opts) as client:
        await client.request("POST", GEN, BODY)
    assert [r.http_version for r in h2.app.records] == ["1.1"]
