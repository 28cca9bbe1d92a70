"""client.caches on both APIs: every request as google-genai 3.6.1 sends it, the cache's
life on the embedded server, and the sync twin."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from google import genai as google_genai
from google.genai import types as gtypes

import genai_async as genai
from genai_async import errors, types
from genai_async.testing import MockServer
from test_oracle import Creds, assert_same_request

pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["gemini", "vertex"])
async def clients(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Any, Any, MockServer]]:
    with MockServer() as server:
        if request.param == "vertex":
            common: dict[str, Any] = {
                "vertexai": True,
                "project": "p",
                "location": "us-central1",
                "http_options": {"base_url": server.url},
            }
            theirs = google_genai.Client(credentials=Creds(), **common)  # type: ignore[arg-type]
            ours = genai.AsyncClient(credentials=Creds(), **common)
        else:
            theirs = google_genai.Client(
                api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
            )
            ours = genai.AsyncClient(api_key="k", http_options={"base_url": server.url})
        async with ours:
            yield theirs.aio, ours, server
        await theirs.aio.aclose()


def get_weather(city: str) -> str:
    """Weather."""
    return city


CONFIGS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "contents": (
        {"contents": ["a long document", "in two parts"], "ttl": "600s", "display_name": "doc"},
        {"contents": ["a long document", "in two parts"], "ttl": "600s", "display_name": "doc"},
    ),
    "everything": (
        {
            "contents": [types.Content(role="user", parts=[types.Part(text="doc")])],
            "system_instruction": "You answer from the document.",
            "tools": [
                get_weather,
                types.Tool(google_search=types.GoogleSearch()),
            ],  # ours: a def too
            "tool_config": {"function_calling_config": {"mode": "AUTO"}},
            "expire_time": dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        },
        {
            "contents": [gtypes.Content(role="user", parts=[gtypes.Part(text="doc")])],
            "system_instruction": "You answer from the document.",
            "tools": [
                gtypes.Tool(
                    function_declarations=[
                        gtypes.FunctionDeclaration.from_callable_with_api_option(
                            callable=get_weather, use_json_schema=True
                        )
                    ]
                ),
                gtypes.Tool(google_search=gtypes.GoogleSearch()),
            ],
            "tool_config": {"function_calling_config": {"mode": "AUTO"}},
            "expire_time": dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
async def test_cache_lifecycle_matches_google_genai(clients: Any, case: str) -> None:
    theirs, ours, server = clients
    our_config, their_config = CONFIGS[case]
    model = "gemini-2.5-flash"
    their_cache = await theirs.caches.create(model=model, config=their_config)
    our_cache = await ours.caches.create(
        model=model, config=types.CreateCachedContentConfig(**our_config)
    )
    assert_same_request(server)
    assert our_cache.model == their_cache.model
    assert (
        our_cache.usage_metadata.total_token_count == their_cache.usage_metadata.total_token_count
    )

    short = our_cache.name.rsplit("/", 1)[-1]  # a bare id is completed the same way
    for name in (our_cache.name, short):
        their_got = await theirs.caches.get(name=name)
        our_got = await ours.caches.get(name=name)
        assert_same_request(server)
        assert our_got.name == their_got.name == our_cache.name

    await theirs.caches.update(name=our_cache.name, config={"ttl": "1200s"})
    updated = await ours.caches.update(name=our_cache.name, config={"ttl": "1200s"})
    assert_same_request(server)
    now = dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=1100) < updated.expire_time - now < dt.timedelta(seconds=1300)

    their_pager = await theirs.caches.list(config={"page_size": 1})
    our_pager = await ours.caches.list(config={"page_size": 1})
    assert_same_request(server)
    assert [c.name async for c in our_pager] == [c.name async for c in their_pager]

    await theirs.caches.delete(name=their_cache.name)
    await ours.caches.delete(name=our_cache.name)
    their_delete, our_delete = server.requests[-2:]
    assert our_delete.method == their_delete.method == "DELETE"
    assert our_delete.path.rsplit("/", 1)[0] == their_delete.path.rsplit("/", 1)[0]
    with pytest.raises(errors.NotFoundError):
        await ours.caches.get(name=our_cache.name)


async def test_generate_content_with_a_cache(clients: Any) -> None:
    _, ours, server = clients
    cache = await ours.caches.create(model="gemini-2.5-flash", config={"contents": ["doc"]})
    await ours.models.generate_content(
        model="gemini-2.5-flash", contents="Summarise", config={"cached_content": cache.name}
    )
    assert server.requests[-1].json()["cachedContent"] == cache.name


async def test_kms_key_is_vertex_only(clients: Any) -> None:
    _, ours, server = clients
    config = {"contents": ["doc"], "kms_key_name": "projects/p/keys/k"}
    if ours.vertexai:
        await ours.caches.create(model="gemini-2.5-flash", config=config)
        assert server.requests[-1].json()["encryptionSpec"] == {"kmsKeyName": "projects/p/keys/k"}
    else:
        with pytest.raises(ValueError, match="kms_key_name"):
            await ours.caches.create(model="gemini-2.5-flash", config=config)


def test_sync_caches(server: MockServer) -> None:
    with genai.Client(api_key="k", http_options={"base_url": server.url}) as client:
        cache = client.caches.create(model="gemini-2.5-flash", config={"contents": ["doc"]})
        assert cache.name.startswith("cachedContents/")
        assert [c.name for c in client.caches.list()] == [cache.name]
        assert client.caches.update(name=cache.name, config={"ttl": "60s"}).name == cache.name
        client.caches.delete(name=cache.name)
        assert list(client.caches.list()) == []
        with pytest.raises(ValueError, match="unknown CreateCachedContentConfig field 'contnets'"):
            client.caches.create(model="gemini-2.5-flash-lite", config={"contnets": ["x"]})
