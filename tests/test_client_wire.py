"""AsyncClient against the embedded server over real sockets: what reaches the wire.

Every field of HttpOptions is visible on the wire or refused; merge rules of
http-options.md §5; headers of wire.md §3. Parametrised over asyncio, uvloop and
trio, and over both HTTP backends where both run.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

import genai_async
from genai_async import types
from genai_async._headers import LIBRARY_LABEL
from genai_async.testing import MockServer

pytestmark = pytest.mark.anyio

BODY = {"contents": [{"role": "user", "parts": [{"text": "Name three primes — ünïcode"}]}]}
GEN = "models/gemini-2.5-flash-lite:generateContent"


def client_for(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    opts: dict[str, Any] = {"base_url": server.url, "backend": backend, **options}
    return genai_async.AsyncClient(api_key="test-key", http_options=opts)


async def test_round_trip_and_default_headers(server: MockServer, http_backend: str) -> None:
    async with client_for(server, http_backend) as client:
        data = await client.request("POST", GEN, BODY)
    assert data["candidates"][0]["content"]["parts"][0]["text"].startswith(
        "Echo: Name three primes"
    )
    req = server.last_request
    assert req is not None
    assert req.method == "POST"
    assert req.path == "/v1beta/models/gemini-2.5-flash-lite:generateContent"
    assert req.header("x-goog-api-key") == "test-key"
    assert req.header("content-type") == "application/json"
    assert req.header("accept") == "application/json"
    assert req.header_all("user-agent") == [LIBRARY_LABEL]
    assert req.header_all("x-goog-api-client") == [LIBRARY_LABEL]
    assert req.header("x-server-timeout") is None
    # compact UTF-8 JSON, not ASCII-escaped
    assert req.body == orjson.dumps(BODY)
    assert "ü".encode() in req.body


async def test_api_version_and_collection_scope_on_the_wire(
    server: MockServer, http_backend: str
) -> None:
    async with client_for(server, http_backend, api_version="v1") as client:
        await client.request("POST", GEN, BODY)
        assert server.last_request.path == "/v1/models/gemini-2.5-flash-lite:generateContent"  # type: ignore[union-attr]
        await client.request("POST", GEN, BODY, http_options={"api_version": "v1alpha"})
        assert server.last_request.path == "/v1alpha/models/gemini-2.5-flash-lite:generateContent"  # type: ignore[union-attr]
        await client.request(
            "POST",
            GEN,
            BODY,
            http_options={
                "base_url": server.url + "/gw/v1beta",
                "base_url_resource_scope": "COLLECTION",
            },
        )
        assert server.last_request.path == "/gw/v1beta/models/gemini-2.5-flash-lite:generateContent"  # type: ignore[union-attr]


async def test_user_agent_once_user_value_after_label(
    server: MockServer, http_backend: str
) -> None:
    headers = {"X-Custom-Header": "custom-value", "User-Agent": "MyApp/1.0"}
    async with client_for(server, http_backend, headers=headers) as client:
        await client.request("POST", GEN, BODY)
    req = server.last_request
    assert req is not None
    assert req.header_all("user-agent") == [f"{LIBRARY_LABEL} MyApp/1.0"]
    assert req.header("x-custom-header") == "custom-value"


@pytest.mark.lenient
async def test_worked_merge_example(server: MockServer, http_backend: str) -> None:
    """http-options.md §5.4."""
    client = client_for(
        server, http_backend, headers={"X-A": "1"}, timeout=10000, extra_body={"a": 1}
    )
    async with client:
        await client.request(
            "POST",
            GEN,
            BODY,
            http_options={
                "headers": {"x-a": "2", "X-B": "3"},
                "timeout": 2500,
                "extra_body": {"b": 2},
            },
        )
        per_request = server.last_request
        await client.request("POST", GEN, BODY)
        client_level = server.last_request
    assert per_request is not None
    assert client_level is not None
    assert per_request.header_all("x-a") == ["2"]
    assert per_request.header("x-b") == "3"
    assert per_request.header_all("x-server-timeout") == ["3"]
    body = per_request.json()
    assert body["b"] == 2
    assert "a" not in body
    # the per-request values did not leak into the client
    assert client_level.header_all("x-a") == ["1"]
    assert client_level.header("x-b") is None
    assert client_level.header("x-server-timeout") == "10"
    assert client_level.json()["a"] == 1


async def test_user_server_timeout_header_wins_any_case(
    server: MockServer, http_backend: str
) -> None:
    async with client_for(
        server, http_backend, timeout=5000, headers={"x-server-timeout": "99"}
    ) as client:
        await client.request("POST", GEN, BODY)
    assert server.last_request.header_all("X-Server-Timeout") == ["99"]  # type: ignore[union-attr]


async def test_timeout_zero_per_request_means_none(server: MockServer, http_backend: str) -> None:
    async with client_for(server, http_backend, timeout=5000) as client:
        await client.request("POST", GEN, BODY, http_options={"timeout": 0})
    assert server.last_request.header("x-server-timeout") is None  # type: ignore[union-attr]


@pytest.mark.lenient
async def test_extra_body_deep_merge_on_the_wire(server: MockServer, http_backend: str) -> None:
    body = {**BODY, "generationConfig": {"temperature": 0.2, "stopSequences": ["a"]}}
    extra = {"generation_config": {"top_k": 3, "stopSequences": ["z"]}, "customParam": "value"}
    async with client_for(server, http_backend, extra_body=extra) as client:
        await client.request("POST", GEN, body)
    sent = server.last_request.json()  # type: ignore[union-attr]
    assert sent["generationConfig"] == {"temperature": 0.2, "stopSequences": ["z"], "top_k": 3}
    assert sent["customParam"] == "value"
    assert "generation_config" not in sent
    assert body["generationConfig"] == {
        "temperature": 0.2,
        "stopSequences": ["a"],
    }  # caller's dict untouched


async def test_async_client_args_request_level_keys_reach_the_wire(
    server: MockServer, http_backend: str
) -> None:
    args = {
        "cookies": {"session": "abc123"},
        "headers": {"X-Arg": "1", "X-Both": "arg"},
        "params": {"trace": "on"},
    }
    async with client_for(
        server, http_backend, async_client_args=args, headers={"X-Both": "opt"}
    ) as client:
        await client.request("POST", GEN, BODY)
        await client.request("POST", GEN, BODY)
    for req in server.requests[-2:]:
        assert req.header("cookie") == "session=abc123"
        assert req.header("x-arg") == "1"
        assert req.header_all("x-both") == ["opt"]  # option headers win over client-args headers
        assert req.query_params() == {"trace": ["on"]}


async def test_cookies_set_by_the_server_never_come_back(
    server: MockServer, http_backend: str
) -> None:
    from genai_async.testing import Fault

    server.inject(Fault(headers={"Set-Cookie": "tracker=1; Path=/"}, times=None))
    async with client_for(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
        await client.request("POST", GEN, BODY)
    assert all(r.header("cookie") is None for r in server.requests)


async def test_header_injection_refused_before_sending(
    server: MockServer, http_backend: str
) -> None:
    async with client_for(server, http_backend) as client:
        with pytest.raises(ValueError, match="CR, LF"):
            await client.request(
                "POST", GEN, BODY, http_options={"headers": {"X-A": "v\r\nX-Evil: 1"}}
            )
    assert server.stats().requests == 0


async def test_client_args_and_httpx_client_refused_on_async_client(server: MockServer) -> None:
    with pytest.raises(ValueError, match="client_args"):
        genai_async.AsyncClient(
            api_key="k", http_options={"base_url": server.url, "client_args": {"http2": True}}
        )
    sync = httpx.Client()
    try:
        with pytest.raises(ValueError, match="httpx_client"):
            genai_async.AsyncClient(api_key="k", http_options=types.HttpOptions(httpx_client=sync))
    finally:
        sync.close()


async def test_backend_option_picks_the_session(server: MockServer, http_backend: str) -> None:
    async with client_for(server, http_backend) as client:
        await client.request("POST", GEN, BODY)
        stats = client.pool_stats()
    assert [s.backend for s in stats.sessions] == [http_backend]


async def test_borrowed_httpx_client_serves_requests_and_stays_open(
    server: MockServer, anyio_backend: Any
) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(str(request.url))

    borrowed = httpx.AsyncClient(event_hooks={"request": [hook]})
    try:
        options = types.HttpOptions(base_url=server.url, httpx_async_client=borrowed)
        async with genai_async.AsyncClient(api_key="k", http_options=options) as client:
            await client.request("POST", GEN, BODY)
            await client.request("POST", GEN, BODY)
            assert client.pool_stats().sessions[0].borrowed
        assert len(seen) == 2
        assert not borrowed.is_closed
        resp = await borrowed.get(server.url + "/v1beta/models/gemini-2.5-flash")
        assert resp.status_code == 200
    finally:
        await borrowed.aclose()


@pytest.mark.lenient
async def test_every_request_of_a_sequence_reuses_one_connection(
    server: MockServer, http_backend: str
) -> None:
    async with client_for(server, http_backend) as client:
        for i in range(200):
            await client.request(
                "POST",
                GEN,
                BODY,
                http_options={
                    "headers": {"X-Seq": str(i)},
                    "timeout": 1000 + i,
                    "extra_body": {"i": i},
                },
            )
        sessions = client.pool_stats().sessions
    assert server.stats().connections_opened == 1
    assert len(sessions) == 1
    assert server.requests[-1].json()["i"] == 199


async def test_concurrency_opens_at_most_c_connections(
    server: MockServer, http_backend: str
) -> None:
    import anyio

    async with client_for(server, http_backend) as client:

        async def worker() -> None:
            for _ in range(10):
                await client.request("POST", GEN, BODY)

        async with anyio.create_task_group() as tg:
            for _ in range(16):
                tg.start_soon(worker)
    stats = server.stats()
    assert stats.requests == 160
    assert stats.connections_opened <= 16


async def test_pool_limit_bounds_connections(http_backend: str) -> None:
    import anyio

    with MockServer(latency=0.01) as server:
        args: dict[str, Any] = (
            {"limits": httpx.Limits(max_connections=5)} if http_backend == "httpx" else {}
        )
        client = client_for(server, http_backend, async_client_args=args)
        async with client, anyio.create_task_group() as tg:
            for _ in range(60):
                tg.start_soon(client.request, "POST", GEN, BODY)
        limit = 5 if http_backend == "httpx" else 100
        assert server.stats().peak_connections_open <= limit
        assert server.stats().requests == 60


async def test_per_request_transport_options_pick_one_session_per_key(
    server: MockServer, anyio_backend: Any
) -> None:
    async with genai_async.AsyncClient(
        api_key="k", http_options={"base_url": server.url}
    ) as client:
        await client.request("POST", GEN, BODY)
        before = len(client.pool_stats().sessions)
        for _ in range(3):
            await client.request(
                "POST", GEN, BODY, http_options={"async_client_args": {"verify": False}}
            )
            await client.request(
                "POST",
                GEN,
                BODY,
                http_options={"async_client_args": {"headers": {"X-Not-A-Key": "1"}}},
            )
        after = client.pool_stats()
    assert before == 1
    assert len(after.sessions) == 2  # verify=False is one new key; a header is not a key
    assert server.last_request.header("x-not-a-key") == "1"  # type: ignore[union-attr]


async def test_clients_differing_only_in_api_key_share_one_session(
    server: MockServer, http_backend: str
) -> None:
    a = client_for(server, http_backend)
    b = genai_async.AsyncClient(
        api_key="other", http_options={"base_url": server.url, "backend": http_backend}
    )
    async with a, b:
        await a.request("POST", GEN, BODY)
        await b.request("POST", GEN, BODY)
        stats = a.pool_stats()
        assert len(stats.sessions) == 1
        assert stats.sessions[0].leases == 2
    keys = [r.header("x-goog-api-key") for r in server.requests]
    assert keys == ["test-key", "other"]
    assert server.stats().connections_opened == 1


async def test_session_outlives_its_last_lease_until_idle_expiry(
    server: MockServer, http_backend: str
) -> None:
    a = client_for(server, http_backend)
    b = client_for(server, http_backend)
    await a.request("POST", GEN, BODY)
    await b.request("POST", GEN, BODY)
    created_closed = (a.pool_stats().created, a.pool_stats().closed)
    await a.aclose()
    assert b.pool_stats().live == 1
    await b.aclose()
    stats = b.pool_stats()
    assert stats.live == 1  # kept for the next client: no reconnect per client
    assert stats.sessions[0].leases == 0
    c = client_for(server, http_backend)
    await c.request("POST", GEN, BODY)
    assert c.pool_stats().created == created_closed[0]  # the same session again
    await c.aclose()
    assert server.stats().connections_opened == 1


async def test_close_is_idempotent_and_final(server: MockServer, http_backend: str) -> None:
    client = client_for(server, http_backend)
    await client.request("POST", GEN, BODY)
    await client.aclose()
    await client.aclose()
    with pytest.raises(genai_async.errors.ClientClosedError):
        await client.request("POST", GEN, BODY)
    with pytest.raises(RuntimeError):
        async with client.stream("POST", "models/m:streamGenerateContent?alt=sse", BODY):
            pass


async def test_api_key_never_printed(
    server: MockServer, http_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from genai_async.testing import Fault

    server.inject(Fault(status=503, times=1))
    secret = "AIza-very-secret-key"
    options = {
        "base_url": server.url,
        "backend": http_backend,
        "retry_options": {"attempts": 2, "initial_delay": 0, "jitter": 0},
    }
    with caplog.at_level(logging.DEBUG):
        async with genai_async.AsyncClient(api_key=secret, http_options=options) as client:
            assert secret not in repr(client)
            await client.request("POST", GEN, BODY)
            server.inject(Fault(status=400))
            with pytest.raises(genai_async.errors.ClientError) as info:
                await client.request("POST", GEN, BODY)
    assert secret not in str(info.value)
    assert secret not in repr(info.value.response)
    assert secret not in caplog.text
    assert "retrying" in caplog.text


class _TokenCreds:
    token = "oauth-token"
    valid = True
    expired = False
    quota_project_id = None

    def refresh(self, request: Any) -> None:  # never needed: the token is valid
        raise AssertionError("unexpected refresh")


async def test_a_gateway_url_ignores_the_environments_project_and_location(
    server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "us-east1")
    options = {"base_url": server.url, "headers": {"Authorization": "Bearer gateway"}}
    async with genai_async.AsyncClient(vertexai=True, http_options=options) as client:
        await client.models.generate_content(model="gemini-2.5-flash", contents="hi")
    request = server.last_request
    assert request is not None
    assert "projects/" not in request.path
    assert request.header("authorization") == "Bearer gateway"


async def test_the_users_authorization_header_is_never_replaced(server: MockServer) -> None:
    options = {"base_url": server.url, "headers": {"Authorization": "Bearer mine"}}
    async with genai_async.AsyncClient(
        vertexai=True, project="p", location="us-central1", credentials=_TokenCreds(),
        http_options=options,
    ) as client:  # fmt: skip
        await client.models.generate_content(model="gemini-2.5-flash", contents="hi")
        await client.models.generate_content(
            model="gemini-2.5-flash", contents="hi", config={"http_options": {"headers": {}}}
        )
    for request in server.requests[-2:]:
        assert request.path.startswith("/v1beta1/projects/p/locations/us-central1/")
        assert request.header("authorization") == "Bearer mine"
    async with genai_async.AsyncClient(
        vertexai=True, project="p", location="us-central1", credentials=_TokenCreds(),
        http_options={"base_url": server.url},
    ) as client:  # fmt: skip
        await client.models.generate_content(model="gemini-2.5-flash", contents="hi")
    assert server.last_request is not None
    assert server.last_request.header("authorization") == "Bearer oauth-token"
