"""Raw responses and request ids, against the embedded server on every backend.

The embedded server names each answer with an ``x-request-id`` header
(``mock-<connection>-<n>``), as Google's APIs do; a typed response shows it as
``sdk_http_response.request_id``, an error as ``request_id`` (next to its
``response.headers``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import genai_async
from genai_async import errors, types
from genai_async.testing import Fault, MockServer

pytestmark = pytest.mark.anyio

MODEL = "gemini-2.5-flash-lite"
MOCK_ID = re.compile(r"^mock-\d+-\d+$")


def make(server: MockServer, backend: str, **options: Any) -> genai_async.AsyncClient:
    return genai_async.AsyncClient(
        api_key="k", http_options={"base_url": server.url, "backend": backend, **options}
    )


def rid(response: Any) -> str:
    http = response.sdk_http_response
    assert isinstance(http, types.HttpResponse)
    value = http.request_id
    assert isinstance(value, str)
    assert MOCK_ID.match(value), value
    assert http.headers is not None
    assert http.headers["x-request-id"] == value
    return value


async def test_typed_responses_carry_the_request_id(server: MockServer, http_backend: str) -> None:
    async with make(server, http_backend) as client:
        ids = [
            rid(await client.models.generate_content(model=MODEL, contents="hi")),
            rid(await client.models.count_tokens(model=MODEL, contents="hi")),
            rid(await client.models.embed_content(model="text-embedding-004", contents=["a", "b"])),
            rid(await client.models.list()),
            rid(await client.files.list()),
            rid(await client.caches.list()),
            rid(await client.batches.list()),
        ]
        uploaded = await client.files.upload(file=b"abc", config={"mime_type": "text/plain"})
        assert uploaded.name is not None
        ids.append(rid(await client.files.delete(name=uploaded.name)))
        chat = client.chats.create(model=MODEL)
        ids.append(rid(await chat.send_message("hi")))
        async with await client.models.generate_content_stream(model=MODEL, contents="hi") as s:
            chunk_ids = {rid(chunk) async for chunk in s}
        assert len(chunk_ids) == 1  # one HTTP response, every chunk shows it
        ids.extend(chunk_ids)
    assert len(set(ids)) == len(ids)  # each call its own id


async def test_returned_http_response_body_and_request_id(
    server: MockServer, http_backend: str
) -> None:
    async with make(server, http_backend) as client:
        response = await client.models.generate_content(
            model=MODEL,
            contents="hi",
            config={"should_return_http_response": True},
        )
    http = response.sdk_http_response
    assert http is not None
    assert http.body is not None
    assert '"candidates"' in http.body
    rid(response)
    # read-only extra: not a field, so dumps stay google-genai's
    assert "request_id" not in http.model_dump()


async def test_errors_carry_headers_and_the_request_id(
    server: MockServer, http_backend: str
) -> None:
    server.inject(Fault(status=500, times=1), Fault(status=404, match="stream", times=1))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ServerError) as unary:
            await client.models.generate_content(model=MODEL, contents="hi")
        with pytest.raises(errors.NotFoundError) as stream:
            await client.models.generate_content_stream(model=MODEL, contents="hi")
    for info in (unary, stream):
        error = info.value
        assert error.request_id is not None
        assert MOCK_ID.match(error.request_id)
        assert error.response.headers["x-request-id"] == error.request_id
        assert error.response.headers["content-type"].startswith("application/json")
    assert unary.value.request_id != stream.value.request_id


async def test_a_servers_own_request_id_header_wins(server: MockServer, http_backend: str) -> None:
    server.inject(Fault(status=503, headers={"X-Request-Id": "from-the-fault"}, times=1))
    async with make(server, http_backend) as client:
        with pytest.raises(errors.ServerError) as info:
            await client.models.generate_content(model=MODEL, contents="hi")
    assert info.value.request_id == "from-the-fault"


def test_request_id_header_names() -> None:
    assert types.HttpResponse(headers={"X-Request-Id": "a"}).request_id == "a"
    assert types.HttpResponse(headers={"X-Goog-Request-Id": "g"}).request_id == "g"
    both = {"x-goog-request-id": "g", "x-request-id": "a"}
    assert types.HttpResponse(headers=both).request_id == "a"
    assert types.HttpResponse(headers={"content-type": "x"}).request_id is None
    assert types.HttpResponse().request_id is None
    info = errors.ResponseInfo(500, headers={"X-Goog-Request-Id": "g"})
    assert errors.ServerError(500, {}, info).request_id == "g"
    assert errors.ServerError(500, {}, None).request_id is None


def test_sync_client_responses_and_errors(server: MockServer) -> None:
    with genai_async.Client(api_key="k", http_options={"base_url": server.url}) as client:
        first = rid(client.models.generate_content(model=MODEL, contents="hi"))
        server.inject(Fault(status=400, times=1))
        with pytest.raises(errors.BadRequestError) as info:
            client.models.generate_content(model=MODEL, contents="hi")
    assert info.value.request_id is not None
    assert info.value.request_id != first
