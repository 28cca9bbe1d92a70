"""``HttpOptions.max_connections``: one pool size for every backend."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

import genai_async
from genai_async.testing import MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
GEN = "models/gemini-2.0-flash:generateContent"


async def test_max_connections_bounds_the_pool_on_every_backend(http_backend: str) -> None:
    with MockServer(latency=0.05, record_limit=0) as server:
        options = {"base_url": server.url, "backend": http_backend, "max_connections": 3}
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            async with anyio.create_task_group() as tg:
                for _ in range(24):
                    tg.start_soon(client.request, "POST", GEN, BODY)
        stats = server.stats()
    assert stats.peak_connections_open == 3
    assert stats.requests >= 24


async def test_max_connections_above_the_default_opens_more(http_backend: str) -> None:
    with MockServer(latency=0.2, record_limit=0) as server:
        options = {"base_url": server.url, "backend": http_backend, "max_connections": 130}
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            async with anyio.create_task_group() as tg:
                for _ in range(130):
                    tg.start_soon(client.request, "POST", GEN, BODY)
        peak = server.stats().peak_connections_open
    assert peak > 100  # the default would have held it at 100


def test_max_connections_and_a_differing_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="max_connections=5 and async_client_args"):
        genai_async.AsyncClient(
            api_key="k",
            http_options={
                "max_connections": 5,
                "async_client_args": {"limits": httpx.Limits(max_connections=7)},
            },
        )
    genai_async.AsyncClient(  # the same value twice is fine
        api_key="k",
        http_options={
            "max_connections": 7,
            "async_client_args": {"limits": httpx.Limits(max_connections=7)},
        },
    )


def test_max_connections_cannot_resize_a_borrowed_client() -> None:
    with pytest.raises(ValueError, match="cannot resize"):
        genai_async.Client(
            api_key="k", http_options={"max_connections": 5, "httpx_client": httpx.Client()}
        )


@pytest.mark.parametrize("bad", [0, -1, "many"])
def test_max_connections_must_be_a_positive_int(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_connections"):
        genai_async.types.HttpOptions(max_connections=bad)
