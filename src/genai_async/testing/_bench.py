"""The benchmark server: ``python -m genai_async.testing --bench``.

The far end of throughput benchmarks has to cost far less than the clients it
measures. This server answers ``generateContent``, ``countTokens`` and
``streamGenerateContent`` (server-sent events, ``?alt=sse``; a JSON array
without it) from bytes built once at start-up, on a bare
:class:`asyncio.Protocol` (uvloop when importable): keep-alive, pipelining,
``Content-Length`` or chunked request bodies, an optional fixed delay before
each response. It records nothing and injects no faults; use
:class:`~genai_async.testing.MockServer` for that.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Any, cast

import orjson

__all__ = ("BenchResponses", "BenchServer", "run")

_MAX_HEAD = 64 * 1024
_MAX_CHUNKED = 16 * 1024 * 1024
_TEXT = "2, 3 and 5 are the first three prime numbers; 7 and 11 come next."


def _head(status: bytes, ctype: bytes, length: int | None, close: bool) -> bytes:
    lines = [b"HTTP/1.1 " + status, b"Content-Type: " + ctype]
    if length is None:
        lines.append(b"Transfer-Encoding: chunked")
    else:
        lines.append(b"Content-Length: %d" % length)
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class BenchResponses:
    """Every response the server can send, as complete byte strings (kept-alive and
    closing variants)."""

    def __init__(self, stream_events: int = 8) -> None:
        words = _TEXT.split(" ")
        usage = {"promptTokenCount": 9, "candidatesTokenCount": 18, "totalTokenCount": 27}
        unary = {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": _TEXT}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": usage,
            "modelVersion": "gemini-bench-001",
            "responseId": "bench-0000000001",
        }
        events = []
        count = max(stream_events, 1)
        for k in range(count):
            piece = " ".join(words[len(words) * k // count : len(words) * (k + 1) // count])
            candidate: dict[str, Any] = {
                "content": {"role": "model", "parts": [{"text": piece + " "}]},
                "index": 0,
            }
            if k == count - 1:
                candidate["finishReason"] = "STOP"
            events.append(
                {
                    "candidates": [candidate],
                    "usageMetadata": {
                        "promptTokenCount": 9,
                        "candidatesTokenCount": k + 1,
                        "totalTokenCount": 10 + k,
                    },
                    "modelVersion": "gemini-bench-001",
                    "responseId": "bench-0000000001",
                }
            )
        json_type = b"application/json; charset=UTF-8"
        sse = b"".join(_chunk(b"data: " + orjson.dumps(e) + b"\r\n\r\n") for e in events)
        sse += b"0\r\n\r\n"
        bodies: dict[str, tuple[bytes, bytes, bytes]] = {
            "generate": (b"200 OK", json_type, orjson.dumps(unary)),
            "count": (b"200 OK", json_type, orjson.dumps({"totalTokens": 9})),
            "array": (b"200 OK", json_type, orjson.dumps(events)),
            "missing": (
                b"404 Not Found",
                json_type,
                orjson.dumps(
                    {"error": {"code": 404, "message": "Not found.", "status": "NOT_FOUND"}}
                ),
            ),
        }
        self.responses: dict[tuple[str, bool], bytes] = {}
        for name, (status, ctype, body) in bodies.items():
            for close in (False, True):
                self.responses[name, close] = _head(status, ctype, len(body), close) + body
        for close in (False, True):
            self.responses["sse", close] = _head(b"200 OK", b"text/event-stream", None, close) + sse
        self.bad_request = _head(b"400 Bad Request", b"text/plain", 0, True)

    def for_target(self, target: bytes, close: bool) -> bytes:
        """The response to a request for ``target`` (path and query)."""
        if b":generateContent" in target:
            name = "generate"
        elif b":streamGenerateContent" in target:
            name = "sse" if b"alt=sse" in target else "array"
        elif b":countTokens" in target:
            name = "count"
        else:
            name = "missing"
        return self.responses[name, close]


class _Connection(asyncio.Protocol):
    """One client connection: parse heads, skip bodies, answer from precomputed bytes."""

    __slots__ = ("_buf", "_closing", "_later", "_need", "_responses", "_transport")

    def __init__(self, responses: BenchResponses, delay: float) -> None:
        self._responses = responses
        self._buf = b""
        self._need = 0  # body bytes of the current request still to skip
        self._closing = False
        self._transport: asyncio.Transport | None = None
        self._later = delay

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        need = self._need
        if need:
            if len(data) <= need:
                self._need = need - len(data)
                return
            data = data[need:]
            self._need = 0
        buf = self._buf + data if self._buf else data
        out: list[bytes] = []
        pos = 0
        size = len(buf)
        while pos < size:
            end = buf.find(b"\r\n\r\n", pos)
            if end < 0:
                if size - pos > _MAX_HEAD:
                    self._fail(out)
                    return
                break
            line_end = buf.find(b"\r\n", pos)
            line = buf[pos:line_end]
            body_start = end + 4
            # From the CRLF ending the request line to the CRLF ending the last header,
            # so every header name is found as b"\r\nname:".
            length, close = _framing(buf[line_end : end + 2])
            if length is None:
                self._fail(out)
                return
            if length >= 0:
                body_end = body_start + length
            else:
                chunked_end = _chunked_end(buf, body_start)
                if chunked_end is None:  # wait for the rest of the body
                    if size - pos > _MAX_CHUNKED:
                        self._fail(out)
                        return
                    break
                body_end = chunked_end
            close = close or line.endswith(b"HTTP/1.0")
            out.append(
                self._responses.for_target(line[line.find(b" ") + 1 : line.rfind(b" ")], close)
            )
            if close:
                self._closing = True
                pos = size
                break
            if body_end > size:  # the body is still arriving: skip it as it comes
                self._need = body_end - size
                pos = size
                break
            pos = body_end
        self._buf = buf[pos:] if pos < size else b""
        if out:
            self._write(b"".join(out) if len(out) > 1 else out[0])

    def _write(self, payload: bytes) -> None:
        transport = self._transport
        if transport is None:
            return
        if self._later:
            loop = asyncio.get_running_loop()
            loop.call_later(self._later, self._deliver, payload, self._closing)
            return
        transport.write(payload)
        if self._closing:
            transport.close()

    def _deliver(self, payload: bytes, close: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(payload)
        if close:
            transport.close()

    def _fail(self, out: list[bytes]) -> None:
        self._closing = True
        out.append(self._responses.bad_request)
        self._write(b"".join(out))


def _framing(head: bytes) -> tuple[int | None, bool]:
    """Body length (-1: chunked; None: malformed) and ``Connection: close`` of a head.

    The usual spellings are found without copying the head; anything else takes
    the case-insensitive path.
    """
    close = False
    if b"lose" in head or b"LOSE" in head:
        close = b"\r\nconnection: close" in head.lower()
    if (b"hunked" in head or b"HUNKED" in head) and b"\r\ntransfer-encoding:" in head.lower():
        return -1, close
    at = head.find(b"\r\nContent-Length:")
    if at < 0:
        at = head.find(b"\r\ncontent-length:")
        if at < 0:
            at = head.lower().find(b"\r\ncontent-length:")
            if at < 0:
                return 0, close
    try:
        return int(head[at + 17 : head.find(b"\r\n", at + 2)]), close
    except ValueError:
        return None, close


def _chunked_end(buf: bytes, pos: int) -> int | None:
    """The end of a chunked body starting at ``pos``, or None while it is incomplete."""
    size = len(buf)
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        try:
            length = int(buf[pos:line_end].split(b";", 1)[0], 16)
        except ValueError:
            return None
        pos = line_end + 2
        if length == 0:
            # trailers, then an empty line
            while True:
                line_end = buf.find(b"\r\n", pos)
                if line_end < 0:
                    return None
                if line_end == pos:
                    return pos + 2
                pos = line_end + 2
        pos += length + 2
        if pos > size:
            return None


class BenchServer:
    """The benchmark server on the running loop.

    **Parameters:** ``host``, ``port`` (0 picks a free one), ``stream_events`` (SSE
    events per stream), ``latency`` (seconds before each response).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        stream_events: int = 8,
        latency: float = 0.0,
    ) -> None:
        self.host = host
        self.port = port
        self.responses = BenchResponses(stream_events)
        self.latency = latency
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> str:
        """Listen; returns the base URL."""
        loop = asyncio.get_running_loop()
        responses, latency = self.responses, self.latency
        self._server = await loop.create_server(
            lambda: _Connection(responses, latency),
            self.host,
            self.port,
            backlog=4096,
            reuse_address=True,
        )
        sock = self._server.sockets[0]
        self.port = sock.getsockname()[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def aclose(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def _serve(host: str, port: int, stream_events: int, latency: float) -> None:
    server = BenchServer(host, port, stream_events=stream_events, latency=latency)
    url = await server.start()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening on {url}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.aclose()


def run(host: str, port: int, *, stream_events: int = 8, latency: float = 0.0) -> None:
    """Serve until SIGINT or SIGTERM (uvloop when importable)."""
    coro = _serve(host, port, stream_events, latency)
    try:
        import uvloop
    except ImportError:
        asyncio.run(coro)
    else:
        uvloop.run(coro)
