"""Tests of ``genai_async.testing.MockServer`` using only stdlib clients (and trustme for TLS)."""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import trustme

from genai_async.testing import (
    Fault,
    MockServer,
    MockServerProcess,
    RecordedRequest,
    ServerStats,
)
from genai_async.testing import _server as _server_module

GEN = "/v1beta/models/gemini-2.5-flash-lite:generateContent"
STREAM = "/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent"


# -- helpers ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, params=["uvloop", "asyncio"])
def server_loop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test with the server on uvloop (its default) and on the stdlib loop."""
    if request.param == "asyncio":
        monkeypatch.setattr(_server_module, "new_event_loop", asyncio.new_event_loop)
    else:
        pytest.importorskip("uvloop")
    return str(request.param)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    strict = request.node.get_closest_marker("lenient") is None  # as tests/conftest.py
    with MockServer(strict=strict) as s:
        yield s


def gen_request(text: str = "hello brave new world", **extra: Any) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], **extra}


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    payload: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = None if payload is None else json.dumps(payload).encode()
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, body=body, headers=all_headers)
    resp = conn.getresponse()
    return Response(resp.status, resp.getheaders(), resp.read())


def call(server: MockServer, method: str, path: str, payload: Any = None, **kw: Any) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        return request(conn, method, path, payload, **kw)
    finally:
        conn.close()


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            piece = sock.recv(65536)
            if not piece:
                return b"".join(chunks)
            chunks.append(piece)


def wait_for(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.005)


def sse_events(body: bytes) -> list[dict[str, Any]]:
    frames = body.split(b"\r\n\r\n")
    assert frames[-1] == b""
    events = []
    for frame in frames[:-1]:
        assert frame.startswith(b"data: ")
        events.append(json.loads(frame[6:]))
    return events


def stream_text(events: list[dict[str, Any]]) -> str:
    return "".join(e["candidates"][0]["content"]["parts"][0]["text"] for e in events)


# -- routes -------------------------------------------------------------------------------------


def test_generate_content_shape(server: MockServer) -> None:
    resp = call(server, "POST", GEN, gen_request("hello brave new world"))
    assert resp.status == 200
    assert resp.header("Content-Type") == "application/json; charset=UTF-8"
    assert resp.header("Content-Length") == str(len(resp.body))
    assert resp.header("x-mock-connection-id") == "1"
    data = resp.json()
    assert data["candidates"] == [
        {
            "content": {"role": "model", "parts": [{"text": "Echo: hello brave new world"}]},
            "finishReason": "STOP",
            "index": 0,
        }
    ]
    assert data["usageMetadata"] == {
        "promptTokenCount": 4,
        "candidatesTokenCount": 5,
        "totalTokenCount": 9,
    }
    assert data["modelVersion"] == "gemini-2.5-flash-lite-001"
    assert isinstance(data["responseId"], str)
    again = call(server, "POST", GEN, gen_request("hello brave new world")).json()
    assert again["responseId"] != data["responseId"]
    assert again["candidates"] == data["candidates"]


def test_generate_content_counts_all_parts_and_echoes_last_user_text(server: MockServer) -> None:
    payload = {
        "contents": [
            {"role": "user", "parts": [{"text": "one two"}, {"text": "three"}]},
            {"role": "model", "parts": [{"text": "four five six"}]},
            {"parts": [{"inlineData": {"mimeType": "image/png", "data": "AA=="}}]},
        ]
    }
    data = call(server, "POST", GEN, payload).json()
    assert data["candidates"][0]["content"]["parts"][0]["text"] == "Echo: three"
    assert data["usageMetadata"]["promptTokenCount"] == 6


def test_generate_content_without_text_and_truncation(server: MockServer) -> None:
    empty = call(server, "POST", GEN, {"contents": []}).json()
    text = empty["candidates"][0]["content"]["parts"][0]["text"]
    assert text
    assert not text.startswith("Echo:")
    assert empty["usageMetadata"]["promptTokenCount"] == 1
    long = call(server, "POST", GEN, gen_request("x" * 5000)).json()
    assert len(long["candidates"][0]["content"]["parts"][0]["text"]) == 2000


def test_generate_content_snake_case_json_mime_and_candidates(server: MockServer) -> None:
    payload = {
        "contents": [{"role": "user", "parts": [{"text": 'say "hi"'}]}],
        "generation_config": {"response_mime_type": "application/json", "candidate_count": 3},
    }
    data = call(server, "POST", GEN, payload).json()
    assert [c["index"] for c in data["candidates"]] == [0, 1, 2]
    parsed = json.loads(data["candidates"][0]["content"]["parts"][0]["text"])
    assert parsed == {"echo": 'Echo: say "hi"'}
    camel = {**gen_request("a"), "generationConfig": {"responseMimeType": "application/json"}}
    json.loads(
        call(server, "POST", GEN, camel).json()["candidates"][0]["content"]["parts"][0]["text"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/v1beta/models/gemini-2.5-flash-lite:generateContent",
        "/v1/models/gemini-2.5-flash-lite:generateContent",
        "/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        "/v1beta1/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        "/publishers/google/models/gemini-2.5-flash-lite:generateContent",
        "/gw/v1beta/models/gemini-2.5-flash-lite:generateContent",
    ],
)
@pytest.mark.lenient  # (a gateway's path without an API version among them)
def test_model_is_taken_from_any_path_form(server: MockServer, path: str) -> None:
    data = call(server, "POST", path, gen_request()).json()
    assert data["modelVersion"] == "gemini-2.5-flash-lite-001"


def test_tuned_model_path(server: MockServer) -> None:
    data = call(server, "POST", "/v1beta/tunedModels/my-tune:generateContent", gen_request())
    assert data.json()["modelVersion"] == "my-tune-001"


def test_stream_sse_framing_and_fragments(server: MockServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        unary = request(conn, "POST", GEN, gen_request("the quick brown fox jumps")).json()
        resp = request(conn, "POST", STREAM + "?alt=sse", gen_request("the quick brown fox jumps"))
        assert resp.status == 200
        assert resp.header("Content-Type") == "text/event-stream"
        assert resp.header("Transfer-Encoding") == "chunked"
        assert resp.header("Content-Length") is None
        events = sse_events(resp.body)
        assert len(events) == 3
        assert stream_text(events) == unary["candidates"][0]["content"]["parts"][0]["text"]
        assert ["finishReason" in e["candidates"][0] for e in events] == [False, False, True]
        assert events[-1]["candidates"][0]["finishReason"] == "STOP"
        counts = [e["usageMetadata"]["candidatesTokenCount"] for e in events]
        assert counts == sorted(counts)
        assert events[-1]["usageMetadata"] == unary["usageMetadata"]
        assert len({e["responseId"] for e in events}) == 1
        # The chunked body leaves the connection reusable.
        again = request(conn, "POST", GEN, gen_request())
        assert again.header("x-mock-connection-id") == resp.header("x-mock-connection-id")
    finally:
        conn.close()


def test_stream_raw_bytes_on_the_wire(server: MockServer) -> None:
    body = json.dumps(gen_request("a b")).encode()
    raw = raw_exchange(
        server.port,
        b"POST %s?alt=sse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (STREAM.encode(), len(body), body),
    )
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert rest.endswith(b"\r\n0\r\n\r\n")
    size_line, _, _ = rest.partition(b"\r\n")
    first_chunk = rest[len(size_line) + 2 : len(size_line) + 2 + int(size_line, 16)]
    assert first_chunk.startswith(b"data: {")
    assert first_chunk.endswith(b"}\r\n\r\n")


def test_stream_without_sse_is_a_json_array(server: MockServer) -> None:
    resp = call(server, "POST", STREAM, gen_request("one two three"))
    assert resp.header("Content-Type") == "application/json; charset=UTF-8"
    events = resp.json()
    assert isinstance(events, list)
    assert len(events) == 3
    assert stream_text(events) == "Echo: one two three"


def test_stream_events_constructor_argument() -> None:
    with MockServer(stream_events=6) as s:
        events = sse_events(call(s, "POST", STREAM + "?alt=sse", gen_request("abc")).body)
        assert len(events) == 6
        assert stream_text(events) == "Echo: abc"


def test_count_tokens(server: MockServer) -> None:
    path = "/v1beta/models/gemini-2.5-flash-lite:countTokens"
    assert call(server, "POST", path, gen_request("a b c")).json() == {"totalTokens": 3}
    wrapped = {
        "generateContentRequest": {"model": "models/gemini-2.5-flash-lite", **gen_request("a b")}
    }
    assert call(server, "POST", path, wrapped).json() == {"totalTokens": 2}


def test_embed_content_gemini_and_vertex(server: MockServer) -> None:
    path = "/v1beta/models/text-embedding-004:embedContent"
    content = {"parts": [{"text": "alpha beta"}]}
    gemini = call(server, "POST", path, {"content": content}).json()
    assert list(gemini) == ["embedding"]
    values = gemini["embedding"]["values"]
    assert len(values) == 8
    assert all(isinstance(v, float) and -1 <= v <= 1 and round(v, 6) == v for v in values)
    assert call(server, "POST", path, {"content": content}).json() == gemini
    other = call(server, "POST", path, {"content": {"parts": [{"text": "gamma"}]}}).json()
    assert other != gemini
    sized = call(server, "POST", path, {"content": content, "outputDimensionality": 16}).json()
    assert len(sized["embedding"]["values"]) == 16
    vertex_path = (
        "/v1beta1/projects/p/locations/l/publishers/google/models/gemini-embedding-001:embedContent"
    )
    vertex = call(
        server,
        "POST",
        vertex_path,
        {"content": content, "embedContentConfig": {"outputDimensionality": 4}},
    ).json()
    assert len(vertex["embedding"]["values"]) == 4
    assert vertex["usageMetadata"] == {"promptTokenCount": 2}
    assert vertex["truncated"] is False


def test_batch_embed_contents(server: MockServer) -> None:
    path = "/v1beta/models/text-embedding-004:batchEmbedContents"
    single = call(
        server,
        "POST",
        "/v1beta/models/text-embedding-004:embedContent",
        {"content": {"parts": [{"text": "beta"}]}},
    ).json()
    payload = {
        "requests": [
            {"model": "models/text-embedding-004", "content": {"parts": [{"text": t}]}}
            for t in ("alpha", "beta", "gamma")
        ]
    }
    data = call(server, "POST", path, payload).json()
    assert len(data["embeddings"]) == 3
    assert data["embeddings"][1] == single["embedding"]
    assert len({tuple(e["values"]) for e in data["embeddings"]}) == 3


def test_predict(server: MockServer) -> None:
    path = "/v1beta1/projects/p/locations/l/publishers/google/models/text-embedding-004:predict"
    payload = {
        "instances": [{"content": "alpha beta", "task_type": "RETRIEVAL_QUERY"}, {"content": "c"}],
        "parameters": {"outputDimensionality": 5},
    }
    data = call(server, "POST", path, payload).json()
    first = data["predictions"][0]["embeddings"]
    assert len(first["values"]) == 5
    assert first["statistics"] == {"token_count": 2, "truncated": False}
    assert len(data["predictions"]) == 2
    assert data["metadata"] == {"billableCharacterCount": 11}


def test_get_model_forms(server: MockServer) -> None:
    gemini = call(server, "GET", "/v1beta/models/gemini-2.5-flash-lite").json()
    assert gemini["name"] == "models/gemini-2.5-flash-lite"
    for key in (
        "version",
        "displayName",
        "description",
        "inputTokenLimit",
        "outputTokenLimit",
        "supportedGenerationMethods",
        "temperature",
        "maxTemperature",
        "topP",
        "topK",
        "thinking",
    ):
        assert key in gemini
    tuned = call(server, "GET", "/v1beta/tunedModels/my-tune").json()
    assert tuned["name"] == "tunedModels/my-tune"
    publisher = call(
        server, "GET", "/v1beta1/publishers/google/models/gemini-2.5-flash-lite"
    ).json()
    assert publisher["name"] == "publishers/google/models/gemini-2.5-flash-lite"
    assert "versionId" in publisher
    vertex_tuned = call(server, "GET", "/v1beta1/projects/p/locations/l/models/123").json()
    assert vertex_tuned["name"] == "projects/p/locations/l/models/123"
    assert "versionId" in vertex_tuned


def list_all(server: MockServer, path: str, key: str, page_size: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = ""
    pages = 0
    while True:
        query = f"?pageSize={page_size}" + (f"&pageToken={token}" if token else "")
        data = call(server, "GET", path + query).json()
        assert set(data) <= {key, "nextPageToken"}
        items.extend(data.get(key, []))
        pages += 1
        token = data.get("nextPageToken", "")
        if not token:
            break
        assert len(data[key]) == page_size
    assert pages == -(-len(items) // page_size)
    return items


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/v1beta/models", "models"),
        ("/v1beta/tunedModels", "tunedModels"),
        ("/v1beta1/publishers/google/models", "publisherModels"),
        ("/v1beta1/projects/p/locations/l/models", "models"),
    ],
)
def test_list_models_paging(path: str, key: str) -> None:
    with MockServer(models=7) as s:
        items = list_all(s, path, key, 3)
        assert len(items) == 7
        assert len({i["name"] for i in items}) == 7


def test_list_models_default_page_size_and_cap() -> None:
    with MockServer(models=120, page_size_default=50) as s:
        first = call(s, "GET", "/v1beta/models").json()
        assert len(first["models"]) == 50
        assert first["nextPageToken"]
        everything = call(s, "GET", "/v1beta/models?pageSize=5000").json()
        assert len(everything["models"]) == 120
        assert "nextPageToken" not in everything
        assert len(list_all(s, "/v1beta/models", "models", 50)) == 120
        bad = call(s, "GET", "/v1beta/models?pageToken=garbage")
        assert bad.status == 400


def test_unknown_routes_are_404(server: MockServer) -> None:
    for method, path in [
        ("GET", "/v1beta/somethingElse"),
        ("POST", "/v1beta/models/gemini-2.5-flash-lite:frobnicate"),
        ("GET", "/v1beta/models/gemini-2.5-flash-lite:generateContent"),
        ("POST", "/"),
    ]:
        resp = call(server, method, path, {} if method == "POST" else None)
        assert resp.status == 404
        error = resp.json()["error"]
        assert error["code"] == 404
        assert error["status"] == "NOT_FOUND"
        assert error["message"]


def test_invalid_json_is_400_and_connection_survives(server: MockServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("POST", GEN, body=b"{not json")
        resp = conn.getresponse()
        assert resp.status == 400
        assert json.loads(resp.read())["error"]["status"] == "INVALID_ARGUMENT"
        assert request(conn, "POST", GEN, gen_request()).status == 200
    finally:
        conn.close()


# -- HTTP handling ------------------------------------------------------------------------------


def test_chunked_request_body(server: MockServer) -> None:
    body = json.dumps(gen_request("chunky bacon")).encode()
    parts = [body[:10], body[10:25], body[25:]]
    encoded = (
        b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\nX-Trailer: 1\r\n\r\n"
    )
    raw = raw_exchange(
        server.port,
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n%s"
        % (GEN.encode(), encoded),
    )
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Echo: chunky bacon" in raw
    assert server.last_request is not None
    assert server.last_request.body == body


def test_pipelined_and_partial_requests(server: MockServer) -> None:
    def req(text: str, close: bool = False) -> bytes:
        body = json.dumps(gen_request(text)).encode()
        extra = b"Connection: close\r\n" if close else b""
        return b"POST %s HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n%s" % (
            GEN.encode(),
            extra,
            len(body),
            body,
        )

    data = req("first") + req("second") + req("third", close=True)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data[:7])
        time.sleep(0.02)
        for i in range(7, len(data), 97):
            sock.sendall(data[i : i + 97])
        chunks = []
        while piece := sock.recv(65536):
            chunks.append(piece)
    raw = b"".join(chunks)
    assert raw.count(b"HTTP/1.1 200 OK") == 3
    assert raw.index(b"Echo: first") < raw.index(b"Echo: second") < raw.index(b"Echo: third")
    assert raw.count(b"Connection: close") == 1
    assert [r.connection_id for r in server.requests] == [1, 1, 1]


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad : space\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_request_gets_400_and_close(server: MockServer, data: bytes) -> None:
    raw = raw_exchange(server.port, data)
    assert raw.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Connection: close\r\n" in raw
    assert json.loads(raw.partition(b"\r\n\r\n")[2])["error"]["code"] == 400
    # The server keeps serving other clients.
    assert call(server, "POST", GEN, gen_request()).status == 200


def test_connection_close_and_http10(server: MockServer) -> None:
    raw = raw_exchange(
        server.port,
        b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    assert raw.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in raw
    raw10 = raw_exchange(server.port, b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.0\r\n\r\n")
    assert raw10.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in raw10


def test_expect_100_continue(server: MockServer) -> None:
    body = json.dumps(gen_request("waiting")).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST %s HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n" % (GEN.encode(), len(body))
        )
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        rest = b""
        while piece := sock.recv(65536):
            rest += piece
    assert rest.startswith(b"HTTP/1.1 200 OK")
    assert b"Echo: waiting" in rest


def test_half_closed_client_still_gets_delayed_response() -> None:
    with MockServer(latency=0.05) as s:
        with socket.create_connection(("127.0.0.1", s.port), timeout=5) as sock:
            sock.sendall(b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
            data = b""
            while piece := sock.recv(65536):
                data += piece
        assert data.startswith(b"HTTP/1.1 200 OK")


def test_large_request_body(server: MockServer) -> None:
    text = "word " * 1_000_000
    resp = call(
        server, "POST", "/v1beta/models/gemini-2.5-flash-lite:countTokens", gen_request(text)
    )
    assert resp.json() == {"totalTokens": 1_000_000}
    assert server.last_request is not None
    assert len(server.last_request.body) > 5_000_000


# -- recording and stats ------------------------------------------------------------------------


def test_recorded_request_details(server: MockServer) -> None:
    body = b'{"contents": []}'
    raw_exchange(
        server.port,
        b"POST /v1beta/models/gemini-2.5-flash-lite:countTokens?alt=sse&key=&x=1&x=2 HTTP/1.1\r\nHost: h\r\n"
        b"X-Goog-Api-Key: secret\r\nx-dup: a\r\nX-Dup: b\r\nContent-Length: %d\r\n"
        b"Connection: close\r\n\r\n%s" % (len(body), body),
    )
    rec = server.last_request
    assert isinstance(rec, RecordedRequest)
    assert rec.method == "POST"
    assert rec.path == "/v1beta/models/gemini-2.5-flash-lite:countTokens"
    assert rec.query == "alt=sse&key=&x=1&x=2"
    assert rec.query_params() == {"alt": ["sse"], "key": [""], "x": ["1", "2"]}
    assert rec.headers == (
        ("Host", "h"),
        ("X-Goog-Api-Key", "secret"),
        ("x-dup", "a"),
        ("X-Dup", "b"),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    )
    assert rec.header("x-goog-api-key") == "secret"
    assert rec.header("X-DUP") == "a"
    assert rec.header_all("x-dup") == ["a", "b"]
    assert rec.header("missing") is None
    assert rec.body == body
    assert rec.json() == {"contents": []}
    assert rec.peer_cert is None
    assert abs(rec.time - time.time()) < 5
    with pytest.raises(AttributeError):
        rec.method = "GET"  # type: ignore[misc]


def test_get_request_has_empty_body(server: MockServer) -> None:
    call(server, "GET", "/v1beta/models/gemini-2.5-flash-lite")
    rec = server.last_request
    assert rec is not None
    assert rec.body == b""
    assert rec.json() is None


def test_connection_ids_and_clear(server: MockServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        request(conn, "POST", GEN, gen_request())
        request(conn, "GET", "/v1beta/models")
    finally:
        conn.close()
    call(server, "POST", GEN, gen_request())
    ids = [r.connection_id for r in server.requests]
    assert ids[0] == ids[1]
    assert ids[2] > ids[1]
    assert server.stats().requests == 3
    wait_for(lambda: server.stats().connections_open == 0)
    server.clear()
    assert server.requests == []
    assert server.last_request is None
    assert server.stats() == ServerStats(0, 0, 0, 0)


def test_record_limit() -> None:
    with MockServer(record_limit=2) as s:
        for word in ("a", "b", "c"):
            call(s, "POST", GEN, gen_request(word))
        assert [r.json()["contents"][0]["parts"][0]["text"] for r in s.requests] == ["b", "c"]
        assert s.stats().requests == 3
    with MockServer(record_limit=0) as s:
        call(s, "POST", GEN, gen_request())
        assert s.requests == []
        assert s.stats().requests == 1


def test_stats_with_concurrent_sockets(server: MockServer) -> None:
    socks = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(5)]
    try:
        wait_for(lambda: server.stats().connections_open == 5)
    finally:
        for sock in socks:
            sock.close()
    wait_for(lambda: server.stats().connections_open == 0)
    stats = server.stats()
    assert stats.connections_opened == 5
    assert stats.peak_connections_open == 5
    assert stats.requests == 0
    call(server, "POST", GEN, gen_request())
    wait_for(lambda: server.stats().connections_open == 0)
    assert server.stats() == ServerStats(6, 0, 5, 1)


def test_control_endpoints_in_process(server: MockServer) -> None:
    resp = call(server, "POST", "/_mock/faults", {"status": 503, "match": ":generateContent"})
    assert resp.json()["injected"] == 1
    assert call(server, "POST", GEN, gen_request()).status == 503
    call(server, "POST", "/_mock/faults", [{"status": 500, "times": None}])
    call(server, "DELETE", "/_mock/faults")
    assert call(server, "POST", GEN, gen_request()).status == 200
    wait_for(lambda: server.stats().connections_open == 0)
    stats = call(server, "GET", "/_mock/stats").json()
    assert stats == {
        "connections_opened": 2,
        "connections_open": 0,
        "peak_connections_open": 1,
        "requests": 2,
    }
    assert call(server, "POST", "/_mock/faults", {"bogus": 1}).status == 400
    assert call(server, "GET", "/_mock/nothing").status == 404
    call(server, "POST", "/_mock/clear", {})
    assert server.requests == []
    assert server.stats().requests == 0


# -- faults -------------------------------------------------------------------------------------


def test_fault_status_retry_after_and_retry_delay(server: MockServer) -> None:
    server.inject(Fault(status=429, retry_after=7, retry_delay="2s", headers={"x-extra": "1"}))
    resp = call(server, "POST", GEN, gen_request())
    assert resp.status == 429
    assert resp.header("Retry-After") == "7"
    assert resp.header("x-extra") == "1"
    assert resp.header("Content-Type") == "application/json; charset=UTF-8"
    error = resp.json()["error"]
    assert error["code"] == 429
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"]
    retry = [d for d in error["details"] if d["@type"].endswith("google.rpc.RetryInfo")]
    assert retry == [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]
    assert call(server, "POST", GEN, gen_request()).status == 200


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (403, "PERMISSION_DENIED"),
        (404, "NOT_FOUND"),
        (500, "INTERNAL"),
        (503, "UNAVAILABLE"),
        (504, "DEADLINE_EXCEEDED"),
    ],
)
def test_fault_status_names(server: MockServer, code: int, name: str) -> None:
    server.inject(Fault(status=code, message="custom", retry_after="0.5"))
    resp = call(server, "POST", GEN, gen_request())
    assert resp.status == code
    assert resp.header("Retry-After") == "0.5"
    assert resp.json()["error"] == {
        "code": code,
        "message": "custom",
        "status": name,
        "details": resp.json()["error"]["details"],
    }


def test_fault_body_replacements(server: MockServer) -> None:
    server.inject(
        Fault(body={"error": {"code": 500, "message": "in a 200", "status": "INTERNAL"}}),
        Fault(body=b'{"candidates": ['),
        Fault(status=502, body="<html>Bad Gateway</html>", content_type="text/html"),
        Fault(status=201),
        Fault(status=204, headers={"x-empty": "yes"}),
    )
    first = call(server, "POST", GEN, gen_request())
    assert first.status == 200
    assert first.json()["error"]["message"] == "in a 200"
    truncated = call(server, "POST", GEN, gen_request())
    assert truncated.status == 200
    assert truncated.body == b'{"candidates": ['
    html = call(server, "POST", GEN, gen_request())
    assert html.status == 502
    assert html.header("Content-Type") == "text/html"
    assert html.body == b"<html>Bad Gateway</html>"
    created = call(server, "POST", GEN, gen_request("ok"))
    assert created.status == 201
    assert "candidates" in created.json()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        empty = request(conn, "POST", GEN, gen_request())
        assert empty.status == 204
        assert empty.body == b""
        assert empty.header("Content-Length") is None
        assert empty.header("x-empty") == "yes"
        assert request(conn, "POST", GEN, gen_request()).status == 200
    finally:
        conn.close()


def test_fault_times_and_match(server: MockServer) -> None:
    server.inject(
        Fault(match=":streamGenerateContent", status=500, times=None),
        Fault(match=":generateContent", status=503, times=2),
        Fault(status=404),
    )
    assert [call(server, "POST", GEN, gen_request()).status for _ in range(2)] == [503, 503]
    assert call(server, "GET", "/v1beta/models").status == 404
    assert call(server, "POST", GEN, gen_request()).status == 200
    for _ in range(3):
        assert call(server, "POST", STREAM + "?alt=sse", gen_request()).status == 500
    server.clear_faults()
    assert call(server, "POST", STREAM + "?alt=sse", gen_request()).status == 200


def test_fault_drop_before_response(server: MockServer) -> None:
    server.inject(Fault(drop="before_response"))
    with pytest.raises(http.client.RemoteDisconnected):
        call(server, "POST", GEN, gen_request())
    assert server.stats().requests == 1
    assert call(server, "POST", GEN, gen_request()).status == 200


def test_fault_drop_reset(server: MockServer) -> None:
    server.inject(Fault(drop="reset"))
    body = json.dumps(gen_request()).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST %s HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s" % (GEN.encode(), len(body), body)
        )
        with pytest.raises(ConnectionResetError):
            sock.recv(65536)  # nothing is sent before the RST
    assert call(server, "POST", GEN, gen_request()).status == 200


def test_fault_drop_mid_body_and_after_headers(server: MockServer) -> None:
    server.inject(Fault(drop="mid_body"), Fault(drop="after_headers", status=200))
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            conn.request("POST", GEN, body=json.dumps(gen_request()))
            resp = conn.getresponse()
            assert resp.status == 200
            with pytest.raises(http.client.IncompleteRead) as info:
                resp.read()
            expected = int(resp.getheader("Content-Length") or 0)
            assert expected > 0
            assert len(info.value.partial) in (0, expected // 2)
        finally:
            conn.close()


def test_fault_drop_mid_body_on_stream(server: MockServer) -> None:
    server.inject(Fault(drop="mid_body"))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", STREAM + "?alt=sse", body=json.dumps(gen_request()))
        resp = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead):
            resp.read()
    finally:
        conn.close()


def test_fault_only_reused(server: MockServer) -> None:
    server.inject(Fault(only_reused=True, drop="before_response"))
    assert call(server, "POST", GEN, gen_request()).status == 200  # fresh connection
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        assert request(conn, "POST", GEN, gen_request()).status == 200
        with pytest.raises(http.client.RemoteDisconnected):
            request(conn, "POST", GEN, gen_request())
    finally:
        conn.close()


def test_fault_close_after(server: MockServer) -> None:
    server.inject(Fault(close_after=True))
    body = json.dumps(gen_request()).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST %s HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s" % (GEN.encode(), len(body), body)
        )
        raw = b""
        while piece := sock.recv(65536):
            raw += piece
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" not in head
    assert json.loads(payload)["candidates"]


def test_fault_delay_and_latency_timing(server: MockServer) -> None:
    server.inject(Fault(delay=0.2))
    start = time.monotonic()
    assert call(server, "POST", GEN, gen_request()).status == 200
    assert time.monotonic() - start >= 0.19
    with MockServer(latency=0.1) as slow:
        start = time.monotonic()
        call(slow, "GET", "/v1beta/models/gemini-2.5-flash-lite")
        assert time.monotonic() - start >= 0.09
    with MockServer(latency=(0.05, 0.1), seed=3) as ranged:
        start = time.monotonic()
        call(ranged, "GET", "/v1beta/models/gemini-2.5-flash-lite")
        assert time.monotonic() - start >= 0.045


def test_fault_slow_body(server: MockServer) -> None:
    server.inject(Fault(slow_body=0.05))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        start = time.monotonic()
        conn.request("POST", GEN, body=json.dumps(gen_request("slow words")))
        resp = conn.getresponse()
        headers_at = time.monotonic() - start
        body = resp.read()
        total = time.monotonic() - start
    finally:
        conn.close()
    assert headers_at < 0.05
    assert total >= 0.19
    assert json.loads(body)["candidates"][0]["content"]["parts"][0]["text"] == "Echo: slow words"


def test_stream_fault_events_and_slow_body(server: MockServer) -> None:
    server.inject(Fault(match=":stream", events=5, slow_body=0.03))
    start = time.monotonic()
    resp = call(server, "POST", STREAM + "?alt=sse", gen_request("five events here"))
    assert time.monotonic() - start >= 0.11
    events = sse_events(resp.body)
    assert len(events) == 5
    assert stream_text(events) == "Echo: five events here"


def test_stream_fault_event_size_16mib(server: MockServer) -> None:
    size = 16 * 1024 * 1024
    server.inject(Fault(events=2, event_size=size))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("POST", STREAM + "?alt=sse", body=json.dumps(gen_request()))
        body = conn.getresponse().read()
    finally:
        conn.close()
    lines = body.split(b"\r\n\r\n")
    assert len(lines) == 3
    assert lines[2] == b""
    for line in lines[:2]:
        assert len(line) >= size
        event = json.loads(line[6:])
        assert len(event["candidates"][0]["content"]["parts"][0]["text"]) > size - 1000


def test_stream_fault_error_event_after(server: MockServer) -> None:
    server.inject(Fault(error_event_after=1, message="boom"))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        resp = request(conn, "POST", STREAM + "?alt=sse", gen_request())
        events = sse_events(resp.body)
        assert len(events) == 2
        assert "candidates" in events[0]
        assert events[1] == {"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}
        # Ended cleanly: the connection is still usable.
        assert request(conn, "POST", GEN, gen_request()).status == 200
    finally:
        conn.close()


def test_stream_fault_drop_after_events(server: MockServer) -> None:
    server.inject(Fault(drop_after_events=2, events=4))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", STREAM + "?alt=sse", body=json.dumps(gen_request()))
        resp = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead) as info:
            resp.read()
        assert info.value.partial.count(b"data: ") == 2
    finally:
        conn.close()


def test_stream_fault_raw_stream(server: MockServer) -> None:
    raw = b'data:{"no":"space"}\n\n: comment\r\nevent: x\rdata: {"a": 1}'
    server.inject(Fault(raw_stream=raw), Fault(raw_stream=raw, slow_body=0.01))
    for _ in range(2):
        resp = call(server, "POST", STREAM + "?alt=sse", gen_request())
        assert resp.status == 200
        assert resp.header("Content-Type") == "text/event-stream"
        assert resp.body == raw


def test_stream_json_array_faults(server: MockServer) -> None:
    server.inject(Fault(events=4, error_event_after=2))
    data = call(server, "POST", STREAM, gen_request()).json()
    assert len(data) == 3
    assert data[2]["error"]["code"] == 500


# -- keep-alive control -------------------------------------------------------------------------


def test_close_idle_connections(server: MockServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        assert request(conn, "POST", GEN, gen_request()).status == 200
        assert server.close_idle_connections() == 1
        assert server.stats().connections_open == 0
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            request(conn, "POST", GEN, gen_request())
    finally:
        conn.close()


def test_set_idle_close(server: MockServer) -> None:
    server.set_idle_close(0.05)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\n\r\n")
        data = b""
        while piece := sock.recv(65536):
            data += piece
    assert data.startswith(b"HTTP/1.1 200 OK")
    server.set_idle_close(None)
    with socket.create_connection(("127.0.0.1", server.port), timeout=0.2) as sock:
        sock.sendall(b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
        with pytest.raises(TimeoutError):
            sock.recv(65536)


# -- TLS ----------------------------------------------------------------------------------------


def test_tls_with_client_certificate() -> None:
    ca = trustme.CA()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_ctx)
    ca.configure_trust(server_ctx)
    server_ctx.verify_mode = ssl.CERT_OPTIONAL
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    with MockServer(ssl=server_ctx) as s:
        assert s.url == f"https://127.0.0.1:{s.port}"
        conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=client_ctx, timeout=5)
        try:
            assert request(conn, "POST", GEN, gen_request()).status == 200
        finally:
            conn.close()
        assert s.last_request is not None
        assert s.last_request.peer_cert is None
        ca.issue_cert("client.example", common_name="mock-client").configure_cert(client_ctx)
        conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=client_ctx, timeout=5)
        try:
            events = sse_events(request(conn, "POST", STREAM + "?alt=sse", gen_request()).body)
            assert len(events) == 3
        finally:
            conn.close()
        cert = s.last_request.peer_cert if s.last_request else None
        assert cert is not None
        assert ("commonName", "mock-client") in [item for rdn in cert["subject"] for item in rdn]


# -- lifecycle ----------------------------------------------------------------------------------


def _server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "genai-async-mockserver"]


def test_lifecycle_stop_is_idempotent_and_closes_connections() -> None:
    before = len(_server_threads())
    s = MockServer()
    with pytest.raises(RuntimeError):
        _ = s.url
    s.start()
    assert s.start() is s
    threads = _server_threads()
    assert len(threads) == before + 1
    assert all(t.daemon for t in threads)
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        wait_for(lambda: s.stats().connections_open == 1)
        s.stop()
        assert sock.recv(10) == b""
    finally:
        sock.close()
    s.stop()
    assert len(_server_threads()) == before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", s.port), timeout=1).close()


def test_stop_during_delayed_response() -> None:
    s = MockServer().start()
    s.inject(Fault(delay=30))
    errors: list[BaseException] = []

    def client() -> None:
        try:
            call(s, "POST", GEN, gen_request())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=client)
    thread.start()
    wait_for(lambda: s.stats().requests == 1)
    start = time.monotonic()
    s.stop()
    thread.join(5)
    assert time.monotonic() - start < 2
    assert len(errors) == 1
    assert isinstance(errors[0], (http.client.RemoteDisconnected, ConnectionError))


def test_start_fails_cleanly_when_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            MockServer(port=taken.getsockname()[1]).start()


def test_async_context_manager_under_asyncio() -> None:
    async def main() -> bytes:
        async with MockServer() as s:
            reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
            writer.write(
                b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\nConnection: close\r\n\r\n"
            )
            data = await reader.read()
            writer.close()
            await writer.wait_closed()
            return data

    assert asyncio.run(main()).startswith(b"HTTP/1.1 200 OK")


def test_async_context_manager_under_trio() -> None:
    trio = pytest.importorskip("trio")

    async def main() -> bytes:
        async with MockServer() as s:
            stream = await trio.open_tcp_stream("127.0.0.1", s.port)
            async with stream:
                await stream.send_all(
                    b"GET /v1beta/models/gemini-2.5-flash-lite HTTP/1.1\r\nConnection: close\r\n\r\n"
                )
                data = b""
                while chunk := await stream.receive_some(65536):
                    data += chunk
            return data

    assert trio.run(main).startswith(b"HTTP/1.1 200 OK")


def test_pytest_fixture(genai_mock_server: MockServer) -> None:
    assert call(genai_mock_server, "POST", GEN, gen_request()).status == 200
    assert genai_mock_server.stats().requests == 1


@pytest.mark.genai_mock_server(stream_events=4)
def test_pytest_fixture_marker(genai_mock_server: MockServer) -> None:
    body = call(genai_mock_server, "POST", STREAM + "?alt=sse", gen_request()).body
    assert len(sse_events(body)) == 4


# -- separate process ---------------------------------------------------------------------------


class TestIndependentOfServerLoop:
    """Tests that do not run an in-process server: no need to repeat them per loop."""

    @pytest.fixture
    def server_loop(self) -> str:
        return "none"

    def test_fault_round_trip_dict(self) -> None:
        fault = Fault(
            match=":x",
            times=None,
            status=429,
            body=b"\x00\xffbytes",
            headers={"a": "b"},
            raw_stream=b"data: 1\n\n",
            retry_after=1.5,
        )
        data = fault.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert "body_b64" in data
        assert base64.b64decode(data["body_b64"]) == b"\x00\xffbytes"
        assert Fault.from_dict(data) == fault
        assert Fault.from_dict({"body": {"k": 1}, "raw_stream": "text"}).raw_stream == b"text"
        with pytest.raises(ValueError):
            Fault.from_dict({"nope": 1})
        with pytest.raises(ValueError):
            Fault(drop="sideways")
        with pytest.raises(ValueError):
            Fault(times=0)

    def test_spawn_process_with_control_endpoints(self) -> None:
        with MockServer.spawn(stream_events=2) as proc:
            assert isinstance(proc, MockServerProcess)
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", proc.url)
            port = int(proc.url.rsplit(":", 1)[1])
            proc.inject(Fault(match=":generateContent", status=503, retry_delay="1s"))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                failed = request(conn, "POST", GEN, gen_request())
                assert failed.status == 503
                assert failed.json()["error"]["status"] == "UNAVAILABLE"
                assert request(conn, "POST", GEN, gen_request()).status == 200
                stream = request(conn, "POST", STREAM + "?alt=sse", gen_request())
                assert len(sse_events(stream.body)) == 2
            finally:
                conn.close()
            stats = proc.stats()
            assert stats.requests == 3
            assert stats.connections_opened == 1
            proc.inject(Fault(body=b"raw", times=None))
            proc.clear_faults()
            proc.clear()
            assert proc.stats().requests == 0
        assert proc.returncode == 0
        proc.stop()

    def test_spawn_failure_reports_stderr(self) -> None:
        with pytest.raises(RuntimeError, match="did not start"):
            MockServer.spawn(extra_args=["--no-such-option"])

    def test_cli_serves_tls(self, tmp_path: Any) -> None:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
        cert.cert_chain_pems[0].write_to_path(str(cert_file))
        cert.private_key_pem.write_to_path(str(key_file))
        tls_args = ["--tls-cert", str(cert_file), "--tls-key", str(key_file)]
        with MockServer.spawn(extra_args=tls_args) as proc:
            assert proc.url.startswith("https://127.0.0.1:")
            context = ssl.create_default_context()
            ca.configure_trust(context)
            port = int(proc.url.rsplit(":", 1)[1])
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
            try:
                assert request(conn, "GET", "/v1beta/models/gemini-2.5-flash-lite").status == 200
            finally:
                conn.close()
            assert proc.stats().requests == 1

    def test_cli_prints_listening_line_and_stops_on_signal(self) -> None:
        process = subprocess.Popen(
            [sys.executable, "-m", "genai_async.testing", "--port", "0", "--latency-ms", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline().decode()
            match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)\n", line)
            assert match is not None
            raw = raw_exchange(
                int(match.group(1)), b"GET /v1beta/models HTTP/1.1\r\nConnection: close\r\n\r\n"
            )
            assert raw.startswith(b"HTTP/1.1 200 OK")
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
            assert process.returncode == 0, err
            assert out == b""
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
