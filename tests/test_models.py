"""``client.models`` end to end against the embedded server, over real sockets.

Every test runs on asyncio, uvloop and trio, with each HTTP backend that runs
there. Gemini API paths use an API key; Vertex AI paths use fake OAuth
credentials (``token``/``valid``/``expiry``/``refresh``) or express mode.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import anyio
import pydantic
import pytest

import genai_async as genai
from genai_async import errors, types
from genai_async.models import AsyncPager, GenerateContentStream
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio


class FakeCredentials:
    """google-auth's credentials protocol; ``refresh`` is counted."""

    def __init__(self, expired: bool = True, delay: float = 0.0, lifetime: float = 3600) -> None:
        self.token: str | None = None if expired else "tok-0"
        self.valid = not expired
        self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(
            hours=-1 if expired else 1
        )
        self.quota_project_id: str | None = None
        self.refreshes = 0
        self.delay = delay
        self.lifetime = lifetime
        self._lock = threading.Lock()

    def refresh(self, request: Any) -> None:
        with self._lock:
            if self.delay:
                import time

                time.sleep(self.delay)
            self.refreshes += 1
            self.token = f"tok-{self.refreshes}"
            self.valid = True
            self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(
                seconds=self.lifetime
            )


def gemini(server: MockServer, backend: str, **options: Any) -> genai.AsyncClient:
    return genai.AsyncClient(
        api_key="k", http_options={"base_url": server.url, "backend": backend, **options}
    )


def vertex(server: MockServer, backend: str, credentials: Any = None) -> genai.AsyncClient:
    return genai.AsyncClient(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=credentials or FakeCredentials(expired=False),
        http_options={"base_url": server.url, "backend": backend},
    )


def express(server: MockServer, backend: str) -> genai.AsyncClient:
    return genai.AsyncClient(
        vertexai=True, api_key="vk", http_options={"base_url": server.url, "backend": backend}
    )


class Answer(pydantic.BaseModel):
    echo: str


# -- generate_content ------------------------------------------------------------------------


async def test_generate_content_gemini(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite",
            contents="Name three prime numbers.",
            config=types.GenerateContentConfig(
                system_instruction="Answer tersely.",
                safety_settings=[
                    types.SafetySetting(
                        category=types.HarmCategory.HARM_CATEGORY_HARASSMENT,
                        threshold=types.HarmBlockThreshold.BLOCK_ONLY_HIGH,
                    )
                ],
                temperature=0.2,
                max_output_tokens=64,
                response_mime_type="text/plain",
                thinking_config=types.ThinkingConfig(thinking_budget=0),
            ),
        )
    req = server.last_request
    assert req is not None
    assert req.method == "POST"
    assert req.path == "/v1beta/models/gemini-2.5-flash-lite:generateContent"
    assert req.header("x-goog-api-key") == "k"
    assert req.header("content-type") == "application/json"
    assert req.json() == {
        "contents": [{"parts": [{"text": "Name three prime numbers."}], "role": "user"}],
        "systemInstruction": {"parts": [{"text": "Answer tersely."}], "role": "user"},
        "safetySettings": [
            {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}
        ],
        "generationConfig": {
            "temperature": 0.2,
            "maxOutputTokens": 64,
            "responseMimeType": "text/plain",
            "thinkingConfig": {"thinkingBudget": 0},
        },
    }
    assert b'": ' not in req.body  # compact JSON
    assert b'", "' not in req.body
    assert isinstance(response, types.GenerateContentResponse)
    assert response.text == "Echo: Name three prime numbers."
    assert response.candidates[0].finish_reason is types.FinishReason.STOP  # type: ignore[index]
    assert response.usage_metadata.prompt_token_count == 4  # type: ignore[union-attr]
    assert response.model_version == "gemini-2.5-flash-lite-001"
    assert response.sdk_http_response.headers["content-type"].startswith("application/json")  # type: ignore[union-attr,index]


async def test_generate_content_parsed_and_per_request_options(
    server: MockServer, http_backend: str
) -> None:
    async with gemini(server, http_backend) as client:
        response = await client.models.generate_content(
            model="models/gemini-2.5-flash-lite",
            contents=[{"role": "user", "parts": [{"text": "json please"}]}],
            config={
                "response_mime_type": "application/json",
                "response_schema": Answer,
                "http_options": {"headers": {"X-Request-Tag": "t1"}, "api_version": "v1"},
            },
        )
    req = server.last_request
    assert req is not None
    assert req.path == "/v1/models/gemini-2.5-flash-lite:generateContent"
    assert req.header("x-request-tag") == "t1"
    assert req.json()["generationConfig"]["responseSchema"] == {
        "type": "OBJECT",
        "title": "Answer",
        "properties": {"echo": {"type": "STRING", "title": "Echo"}},
        "required": ["echo"],
    }
    assert response.parsed == Answer(echo="Echo: json please")


async def test_should_return_http_response(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite",
            contents="hi",
            config={"should_return_http_response": True},
        )
        assert response.candidates is None
        assert response.sdk_http_response is not None
        assert '"Echo: hi"' in (response.sdk_http_response.body or "")
        with pytest.raises(ValueError, match="not supported for streams"):
            await client.models.generate_content_stream(
                model="gemini-2.5-flash-lite",
                contents="hi",
                config={"should_return_http_response": True},
            )


async def test_http_errors_raise_the_status_class(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(match=":generateContent", status=404))
    async with gemini(server, http_backend) as client:
        with pytest.raises(errors.NotFoundError) as info:
            await client.models.generate_content(model="gemini-2.5-flash-lite", contents="hi")
    assert info.value.code == 404
    assert info.value.status == "NOT_FOUND"


async def test_conversion_errors_send_nothing(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        with pytest.raises(ValueError, match="temprature"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"temprature": 1}
            )
        with pytest.raises(ValueError, match="routing_config"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"routing_config": {}}
            )
        with pytest.raises(TypeError, match="automatic function calling"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"tools": [print]}
            )
    assert server.stats().requests == 0


# -- streams ---------------------------------------------------------------------------------


async def test_stream_chunks_are_typed(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="one two three four five"
        )
        assert isinstance(stream, GenerateContentStream)
        chunks: list[types.GenerateContentResponse] = []
        async with stream:
            async for chunk in stream:
                chunks.append(chunk)
    req = server.last_request
    assert req is not None
    assert req.path == "/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent"
    assert req.query == "alt=sse"
    assert req.header("accept") == "text/event-stream"
    assert len(chunks) == 3
    assert all(isinstance(c, types.GenerateContentResponse) for c in chunks)
    assert "".join(c.text or "" for c in chunks) == "Echo: one two three four five"
    assert chunks[-1].candidates[0].finish_reason == "STOP"  # type: ignore[index]
    assert chunks[0].sdk_http_response is chunks[-1].sdk_http_response
    assert chunks[0].sdk_http_response.headers["content-type"].startswith("text/event-stream")  # type: ignore[union-attr,index]


async def test_stream_in_band_error_raises_the_status_class(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(match="streamGenerateContent", error_event_after=1))
    async with gemini(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b c"
        )
        seen = []
        with pytest.raises(errors.ServerError) as info:
            async for chunk in stream:
                seen.append(chunk)
        assert len(seen) == 1
        assert seen[0].text
        assert info.value.code == 500
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()


async def test_stream_in_band_error_without_code_maps_its_status(
    server: MockServer, http_backend: str
) -> None:
    raw = (
        b'data: {"candidates":[{"content":{"parts":[{"text":"partial"}]}}]}\n\n'
        b'data: {"error":{"message":"slow down","status":"RESOURCE_EXHAUSTED"}}\n\n'
    )
    server.inject(Fault(match="streamGenerateContent", raw_stream=raw))
    async with gemini(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="x"
        )
        async with stream:
            first = await stream.__anext__()
            assert first.text == "partial"
            with pytest.raises(errors.RateLimitError) as info:
                await stream.__anext__()
    assert info.value.status == "RESOURCE_EXHAUSTED"
    assert info.value.message == "slow down"


async def test_stream_http_error_raises_at_await(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(match="streamGenerateContent", status=429))
    async with gemini(server, http_backend) as client:
        with pytest.raises(errors.RateLimitError):
            await client.models.generate_content_stream(model="gemini-2.5-flash-lite", contents="x")


async def test_stream_early_close_releases_the_connection(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(match="streamGenerateContent", events=50))
    async with gemini(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="gemini-2.5-flash-lite", contents="a b"
        )
        async with stream:
            async for _ in stream:
                break
        await stream.aclose()  # idempotent
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="after"
        )
        assert response.text == "Echo: after"


# -- count tokens, embeddings, metadata ------------------------------------------------------


async def test_count_tokens(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        result = await client.models.count_tokens(
            model="gemini-2.5-flash-lite", contents=["hello", "world"]
        )
        with pytest.raises(ValueError, match="system_instruction"):
            await client.models.count_tokens(
                model="gemini-2.5-flash-lite", contents="x", config={"system_instruction": "s"}
            )
    req = server.last_request
    assert req is not None
    assert req.path == "/v1beta/models/gemini-2.5-flash-lite:countTokens"
    assert req.json() == {
        "contents": [{"parts": [{"text": "hello"}, {"text": "world"}], "role": "user"}]
    }
    assert isinstance(result, types.CountTokensResponse)
    assert result.total_tokens == 2


async def test_embed_content_gemini(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        result = await client.models.embed_content(
            model="text-embedding-004",
            contents=["alpha", "beta"],
            config=types.EmbedContentConfig(task_type="RETRIEVAL_QUERY", output_dimensionality=8),
        )
    req = server.last_request
    assert req is not None
    assert req.path == "/v1beta/models/text-embedding-004:batchEmbedContents"
    assert req.json()["requests"][1] == {
        "model": "models/text-embedding-004",
        "content": {"parts": [{"text": "beta"}], "role": "user"},
        "taskType": "RETRIEVAL_QUERY",
        "outputDimensionality": 8,
    }
    assert isinstance(result, types.EmbedContentResponse)
    assert [len(e.values or []) for e in result.embeddings or []] == [8, 8]
    assert result.embeddings[0].values != result.embeddings[1].values  # type: ignore[index]


async def test_get_model(server: MockServer, http_backend: str) -> None:
    async with gemini(server, http_backend) as client:
        model = await client.models.get(model="gemini-2.5-flash", config={"http_options": {}})
    req = server.last_request
    assert req is not None
    assert (req.method, req.path, req.body) == ("GET", "/v1beta/models/gemini-2.5-flash", b"")
    assert isinstance(model, types.Model)
    assert model.name == "models/gemini-2.5-flash"
    assert model.supported_actions == ["generateContent", "streamGenerateContent", "countTokens"]
    assert model.input_token_limit == 1_048_576


async def test_list_pages_through_every_model(http_backend: str) -> None:
    with MockServer(models=7) as server:
        async with gemini(server, http_backend) as client:
            pager = await client.models.list(config={"page_size": 3, "filter": "a b&c=d/e:*"})
            assert isinstance(pager, AsyncPager)
            assert len(pager.page) == 3
            assert pager.page_size == 3
            names = [model.name async for model in pager]
        requests = server.requests
    assert len(names) == 7
    assert len(set(names)) == 7
    assert names[0] == "models/gemini-2.5-pro"
    assert len(requests) == 3
    for req in requests:
        assert req.path == "/v1beta/models"
        params = req.query_params()
        assert params["pageSize"] == ["3"]
        assert params["filter"] == ["a b&c=d/e:*"]  # '&', '=' and ' ' were percent-encoded
    assert "pageToken" not in requests[0].query_params()
    assert requests[1].query_params()["pageToken"] != requests[2].query_params()["pageToken"]


async def test_list_next_page_and_tuned_models(http_backend: str) -> None:
    with MockServer(models=5) as server:
        async with gemini(server, http_backend) as client:
            pager = await client.models.list(config=types.ListModelsConfig(page_size=4))
            assert [m.name for m in pager.page][:1] == ["models/gemini-2.5-pro"]
            assert pager.config["page_token"]
            second = await pager.next_page()
            assert len(second) == 1
            with pytest.raises(IndexError):
                await pager.next_page()
            tuned = await client.models.list(config={"query_base": False})
            assert [m.name async for m in tuned][0]  # noqa: RUF015 == "tunedModels/tuned-mock-0000"
        assert server.last_request.path == "/v1beta/tunedModels"  # type: ignore[union-attr]


async def test_list_empty_catalog(http_backend: str) -> None:
    with MockServer(models=0) as server:
        async with gemini(server, http_backend) as client:
            pager = await client.models.list()
            assert [m async for m in pager] == []


# -- Vertex AI -------------------------------------------------------------------------------


async def test_vertex_oauth_calls(server: MockServer, http_backend: str) -> None:
    creds = FakeCredentials(expired=True)
    async with vertex(server, http_backend, creds) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite",
            contents="hi",
            config={"routing_config": {"auto_mode": {"model_routing_preference": "BALANCED"}}},
        )
        req = server.last_request
        assert req is not None
        assert req.path == (
            "/v1beta1/projects/p/locations/us-central1/publishers/google/models/"
            "gemini-2.5-flash-lite:generateContent"
        )
        assert req.header("authorization") == "Bearer tok-1"
        assert req.header("x-goog-api-key") is None
        assert req.json()["generationConfig"] == {
            "routingConfig": {"autoMode": {"modelRoutingPreference": "BALANCED"}}
        }
        assert response.text == "Echo: hi"

        tokens = await client.models.count_tokens(
            model="gemini-2.5-flash-lite", contents="a b", config={"system_instruction": "s"}
        )
        assert tokens.total_tokens == 2
        assert server.last_request.json()["systemInstruction"] == {  # type: ignore[union-attr]
            "parts": [{"text": "s"}],
            "role": "user",
        }

        predict = await client.models.embed_content(
            model="text-embedding-004",
            contents=["alpha", "beta"],
            config={"output_dimensionality": 4, "task_type": "RETRIEVAL_QUERY"},
        )
        assert server.last_request.path.endswith("/text-embedding-004:predict")  # type: ignore[union-attr]
        assert [len(e.values or []) for e in predict.embeddings or []] == [4, 4]
        assert predict.embeddings[0].statistics.token_count == 1  # type: ignore[index,union-attr]
        assert predict.metadata.billable_character_count == 9  # type: ignore[union-attr]

        single = await client.models.embed_content(
            model="gemini-embedding-001", contents="alpha", config={"output_dimensionality": 4}
        )
        assert server.last_request.path.endswith("/gemini-embedding-001:embedContent")  # type: ignore[union-attr]
        assert server.last_request.json() == {  # type: ignore[union-attr]
            "content": {"parts": [{"text": "alpha"}], "role": "user"},
            "embedContentConfig": {"outputDimensionality": 4},
        }
        assert single.embeddings[0].values == predict.embeddings[0].values  # type: ignore[index]
        assert single.embeddings[0].statistics.token_count == 1  # type: ignore[index,union-attr]
        batch = await client.models.embed_content(model="gemini-embedding-001", contents=["a", "b"])
        assert server.last_request.path.endswith("/gemini-embedding-001:batchEmbedContents")  # type: ignore[union-attr]
        assert len(batch.embeddings or []) == 2

        model = await client.models.get(model="gemini-2.5-flash")
        assert server.last_request.path == "/v1beta1/publishers/google/models/gemini-2.5-flash"  # type: ignore[union-attr]
        assert model.version == "001"

        base = await client.models.list(config={"page_size": 4})
        assert len([m async for m in base]) == 7
        assert server.last_request.path == "/v1beta1/publishers/google/models"  # type: ignore[union-attr]

        tuned = await client.models.list(config={"query_base": False})
        first = [m async for m in tuned][0]  # noqa: RUF015
        req = server.last_request
        assert req is not None
        assert req.path == "/v1beta1/projects/p/locations/us-central1/models"
        assert req.query_params()["filter"] == ["labels.tune-type:*"]
        assert first.endpoints[0].deployed_model_id == "1000000000"  # type: ignore[index]
        assert first.tuned_model_info.create_time.year == 2025  # type: ignore[union-attr]
    assert creds.refreshes == 1


async def test_vertex_stream(server: MockServer, http_backend: str) -> None:
    async with vertex(server, http_backend) as client:
        stream = await client.models.generate_content_stream(
            model="google/gemini-2.5-flash-lite", contents="s t"
        )
        async with stream:
            text = "".join([c.text or "" async for c in stream])
    assert text == "Echo: s t"
    req = server.last_request
    assert req is not None
    assert req.path.endswith(
        "/publishers/google/models/gemini-2.5-flash-lite:streamGenerateContent"
    )


async def test_vertex_express_mode(server: MockServer, http_backend: str) -> None:
    async with express(server, http_backend) as client:
        response = await client.models.generate_content(
            model="gemini-2.5-flash-lite", contents="hi"
        )
        assert response.text == "Echo: hi"
        req = server.last_request
        assert req is not None
        assert req.path == "/v1beta1/publishers/google/models/gemini-2.5-flash-lite:generateContent"
        assert req.header("x-goog-api-key") == "vk"
        with pytest.raises(ValueError, match="store"):
            await client.models.generate_content(
                model="gemini-2.5-flash-lite", contents="x", config={"store": True}
            )


async def test_concurrent_vertex_calls_refresh_the_token_once(
    server: MockServer, http_backend: str
) -> None:
    creds = FakeCredentials(expired=True, delay=0.05)
    async with vertex(server, http_backend, creds) as client:
        results: list[str | None] = []

        async def one(i: int) -> None:
            r = await client.models.count_tokens(model="gemini-2.5-flash-lite", contents=f"w{i}")
            results.append(str(r.total_tokens))

        async with anyio.create_task_group() as tg:
            for i in range(500):
                tg.start_soon(one, i)
    assert len(results) == 500
    assert creds.refreshes == 1
    assert {r.header("authorization") for r in server.requests} == {"Bearer tok-1"}


async def test_short_lived_tokens_are_refreshed_once(server: MockServer, http_backend: str) -> None:
    creds = FakeCredentials(expired=True, lifetime=120)
    async with vertex(server, http_backend, creds) as client:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(
                    lambda: client.models.count_tokens(model="gemini-2.5-flash-lite", contents="x")
                )
        for _ in range(5):
            await client.models.count_tokens(model="gemini-2.5-flash-lite", contents="x")
    assert creds.refreshes == 1
