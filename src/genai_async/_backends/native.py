"""Native backend: HTTP/1.1 spoken over anyio byte streams, parsed by httptools.

Runs on asyncio, uvloop and trio. One pool per session: idle connections are
reused last-in first-out, requests waiting for a connection are served first
come first served, idle connections expire after the keep-alive time, and the
number of connections is capped. A connection belongs to the loop that opened
it. A request knows whether it went out on a reused connection, so a failure
before any response byte on one is reported ``stale`` (one re-send). A request
cancelled or failed at any point closes its connection; it is never reused.
Errors are translated here, into ``genai_async.errors``.
"""

from __future__ import annotations

import math
import ssl
import zlib
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import anyio
import anyio.abc
import httptools

from .._headers import Headers
from .._keys import DEFAULT_CONNECT_TIMEOUT, TransportKey
from .._ssl import ssl_for
from ..errors import (
    ConnectError,
    ConnectTimeout,
    PoolTimeout,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    TLSVerificationError,
    TransportError,
)
from .base import AsyncBackend, RawResponse, StreamResponse, transport_error

__all__ = ("NativeBackend",)

_READ_SIZE = 65536
Origin = tuple[str, str, int]


class _Conn:
    """One HTTP/1.1 connection and the parser of its current response."""

    __slots__ = (
        "decoder",
        "done",
        "headers",
        "headers_done",
        "idle_since",
        "keep",
        "origin",
        "parser",
        "pieces",
        "reason",
        "status",
        "stream",
    )

    def __init__(self, stream: anyio.abc.ByteStream, origin: Origin) -> None:
        self.stream = stream
        self.origin = origin
        self.idle_since = 0.0
        self.reset()

    def reset(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.reason: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.pieces: list[bytes] = []
        self.headers_done = False
        self.done = False
        self.keep = False
        self.decoder: Any = None

    # httptools callbacks
    def on_status(self, status: bytes) -> None:
        self.reason = status.decode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.headers_done = True
        for name, value in self.headers:
            if name.lower() == "content-encoding":
                enc = value.strip().lower()
                if enc == "gzip":
                    self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
                elif enc == "deflate":
                    self.decoder = zlib.decompressobj()

    def on_body(self, body: bytes) -> None:
        self.pieces.append(self.decoder.decompress(body) if self.decoder else body)

    def on_message_complete(self) -> None:
        self.done = True
        self.keep = self.parser.should_keep_alive()

    async def fill(self) -> None:
        """Read once from the socket and feed the parser; EOF ends an EOF-delimited body."""
        try:
            data = await self.stream.receive(_READ_SIZE)
        except anyio.EndOfStream:
            data = b""
        if not data:
            if self.headers_done and not self.done:
                try:
                    self.parser.feed_data(b"")
                except httptools.HttpParserError:
                    pass
                if not self.done and _eof_delimited(self.headers):
                    self.done = True
                    self.keep = False
                    return
            raise _Closed("the server closed the connection")
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            raise _Protocol("unexpected protocol upgrade") from None
        except httptools.HttpParserError as exc:
            raise _Protocol(f"invalid HTTP response: {exc}") from exc

    def take(self) -> bytes:
        pieces, self.pieces = self.pieces, []
        data = b"".join(pieces)
        if self.done and self.decoder is not None:
            data += self.decoder.flush()
            self.decoder = None
        return data


def _eof_delimited(headers: list[tuple[str, str]]) -> bool:
    names = {n.lower() for n, _ in headers}
    return "content-length" not in names and "transfer-encoding" not in names


class _Closed(Exception):
    pass


class _Protocol(Exception):
    pass


class _Pool:
    """Connections per origin: idle ones LIFO, waiters FIFO, a cap on the total."""

    def __init__(self, cap: int, keepalive: float | None, max_idle: int | None) -> None:
        self.cap = cap
        self.keepalive = keepalive
        self.max_idle = max_idle if max_idle is not None else cap
        self.idle: dict[Origin, list[_Conn]] = {}
        self.total = 0
        self.waiters: deque[anyio.Event] = deque()
        self.closed = False

    def idle_conn(self, origin: Origin) -> _Conn | None:
        stack = self.idle.get(origin)
        now = anyio.current_time()
        while stack:
            conn = stack.pop()
            if self.keepalive is not None and now - conn.idle_since > self.keepalive:
                self._discard(conn)
                continue
            return conn
        return None

    async def acquire_slot(self, timeout: float | None) -> None:
        """Wait (FIFO) until one more connection may be opened or an idle one is free."""
        if self.total < self.cap and not self.waiters:
            self.total += 1
            return
        event = anyio.Event()
        self.waiters.append(event)
        try:
            with anyio.fail_after(timeout if timeout is not None else math.inf):
                await event.wait()
        except BaseException:
            try:
                self.waiters.remove(event)
            except ValueError:  # handed a slot just as the wait ended
                self.release_slot()
            raise

    def release_slot(self) -> None:
        """A connection closed or went idle: the first waiter gets the slot."""
        while self.waiters:
            event = self.waiters.popleft()
            event.set()
            return
        self.total -= 1

    def put_back(self, conn: _Conn) -> None:
        if self.closed:
            self.discard(conn)
            return
        conn.idle_since = anyio.current_time()
        conn.reset()
        stack = self.idle.setdefault(conn.origin, [])
        stack.append(conn)
        if sum(len(s) for s in self.idle.values()) > self.max_idle:
            self._discard(stack.pop(0))
        self.release_slot()

    def _discard(self, conn: _Conn) -> None:
        self.total -= 1
        _abort(conn.stream)

    def discard(self, conn: _Conn) -> None:
        _abort(conn.stream)
        self.release_slot()

    def close(self) -> None:
        self.closed = True
        for stack in self.idle.values():
            for conn in stack:
                self._discard(conn)
        self.idle.clear()


def _abort(stream: anyio.abc.ByteStream) -> None:
    """Close a stream without waiting (no TLS close_notify exchange)."""
    from anyio.streams.tls import TLSStream

    inner: Any = stream
    while isinstance(inner, TLSStream):
        inner = inner.transport_stream
    transport = getattr(inner, "_transport", None)
    if transport is not None and hasattr(transport, "abort"):
        transport.abort()  # asyncio
        return
    sock = getattr(inner, "_trio_socket", None)
    if sock is not None:
        sock.close()  # trio


class _Stream(StreamResponse):
    __slots__ = ("_backend", "_conn", "_idle")

    def __init__(self, backend: NativeBackend, conn: _Conn, idle: float | None) -> None:
        self._backend = backend
        self._conn: _Conn | None = conn
        self._idle = idle
        self.status = conn.status
        self.reason = conn.reason
        self.headers = Headers(conn.headers)

    async def read_chunk(self) -> bytes:
        conn = self._conn
        if conn is None:
            return b""
        try:
            while not conn.pieces and not conn.done:
                if self._idle is None:
                    await conn.fill()
                else:
                    with anyio.fail_after(self._idle):
                        await conn.fill()
            data = conn.take()
            if not data and conn.done:
                self._release()
            return data
        except BaseException as exc:
            self._conn = None
            self._backend.pool.discard(conn)
            if isinstance(exc, Exception):
                raise _map(exc, 1, reused=False) from exc
            raise

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            if conn.done and conn.keep:
                self._backend.pool.put_back(conn)
            else:
                self._backend.pool.discard(conn)

    async def aclose(self) -> None:
        self._release()


class NativeBackend(AsyncBackend):
    """Our own HTTP/1.1 pool over anyio sockets."""

    name = "native"

    def __init__(self, key: TransportKey) -> None:
        if key.proxies is not None:
            raise ValueError(
                "backend='native' does not route through proxies yet: use backend='httpx' "
                "or 'aiohttp' (or trust_env=False when no proxy is wanted)"
            )
        if dict(key.session_args).get("max_redirects") is not None or key.borrowed is not None:
            raise ValueError("backend='native' cannot honour max_redirects or a borrowed object")
        limits = key.limits
        self.pool = _Pool(
            limits.max_connections or 100, limits.keepalive_expiry, limits.max_keepalive_connections
        )
        self._tls = key.tls
        self._ssl: ssl.SSLContext | None = None

    def _context(self) -> ssl.SSLContext:
        if self._ssl is None:
            value = ssl_for(self._tls, "native")
            if value is False:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                value = ctx
            self._ssl = value
        return self._ssl

    async def _connect(self, origin: Origin, prep: Any) -> _Conn:
        scheme, host, port = origin
        extras = prep.extras
        timeout = (
            extras.connect_timeout
            if extras.connect_timeout is not None
            else DEFAULT_CONNECT_TIMEOUT
        )
        try:
            with anyio.fail_after(timeout):
                if scheme == "https":
                    stream: anyio.abc.ByteStream = await anyio.connect_tcp(
                        host,
                        port,
                        ssl_context=self._context(),
                        tls_hostname=host,
                        tls_standard_compatible=False,
                    )
                else:
                    stream = await anyio.connect_tcp(host, port)
        except TimeoutError as exc:
            raise transport_error(
                ConnectTimeout, f"timed out connecting to {host}:{port}", exc, retryable=True
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise transport_error(
                TLSVerificationError, f"{type(exc).__name__}: {exc}", exc, retryable=False
            ) from exc
        except ssl.SSLError as exc:
            raise transport_error(
                ConnectError, f"{type(exc).__name__}: {exc}", exc, retryable=False
            ) from exc
        except (OSError, anyio.BrokenResourceError) as exc:
            cert = _cert_failure(exc)
            if cert is not None:
                raise transport_error(
                    TLSVerificationError, f"{cert}", exc, retryable=False
                ) from exc
            raise transport_error(
                ConnectError, f"{type(exc).__name__}: {exc}", exc, retryable=True
            ) from exc
        return _Conn(stream, origin)

    async def _exchange(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None, prep: Any
    ) -> tuple[_Conn, bool]:
        """Send the request and read up to the response headers."""
        parts = urlsplit(url)
        scheme = parts.scheme
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        origin = (scheme, host, port)
        pool = self.pool
        conn = pool.idle_conn(origin)
        reused = conn is not None
        if conn is None:
            try:
                await pool.acquire_slot(prep.extras.pool_timeout)
            except TimeoutError as exc:
                raise transport_error(
                    PoolTimeout,
                    "timed out waiting for a connection from the pool",
                    exc,
                    retryable=True,
                ) from exc
            conn = pool.idle_conn(origin)
            reused = conn is not None
            if conn is not None:
                pool.release_slot()  # the idle connection already holds a slot
            else:
                try:
                    conn = await self._connect(origin, prep)
                except BaseException:
                    pool.release_slot()
                    raise
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        hostport = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        if ":" in host:
            hostport = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
        lines = [f"{method} {target} HTTP/1.1\r\nHost: {hostport}\r\n"]
        names = set()
        for name, value in headers.items():
            names.add(name.lower())
            lines.append(f"{name}: {value}\r\n")
        if "accept-encoding" not in names:
            lines.append("Accept-Encoding: gzip, deflate\r\n")
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}\r\n")
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        try:
            await conn.stream.send(head + body if body else head)
            while not conn.headers_done:
                await conn.fill()
        except BaseException as exc:
            pool.discard(conn)
            if isinstance(exc, Exception):
                stale = (
                    reused
                    and not conn.headers
                    and isinstance(
                        exc,
                        (_Closed, OSError, anyio.BrokenResourceError, anyio.ClosedResourceError),
                    )
                )
                raise _map(exc, 0, reused=stale) from exc
            raise
        return conn, reused

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        limit: float | None,
    ) -> RawResponse:
        try:
            with anyio.fail_after(limit if limit is not None else math.inf):
                conn, _ = await self._exchange(method, url, headers, body, prep)
                try:
                    while not conn.done:
                        await conn.fill()
                except BaseException as exc:
                    self.pool.discard(conn)
                    if isinstance(exc, Exception):
                        raise _map(exc, 1, reused=False) from exc
                    raise
        except TimeoutError as exc:
            raise transport_error(
                ReadTimeout, "timed out waiting for the response", exc, retryable=True
            ) from exc
        data = conn.take()
        raw = RawResponse(conn.status, conn.reason, Headers(conn.headers), data)
        if conn.keep:
            self.pool.put_back(conn)
        else:
            self.pool.discard(conn)
        return raw

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        limit: float | None,
    ) -> StreamResponse:
        try:
            with anyio.fail_after(limit if limit is not None else math.inf):
                conn, _ = await self._exchange(method, url, headers, body, prep)
        except TimeoutError as exc:
            raise transport_error(
                ReadTimeout, "timed out waiting for the response", exc, retryable=True
            ) from exc
        idle = prep.settings.timeout
        if prep.extras.read_timeout is not None:
            idle = prep.extras.read_timeout if idle is None else min(idle, prep.extras.read_timeout)
        return _Stream(self, conn, idle)

    async def aclose(self) -> None:
        self.pool.close()

    def connection_count(self) -> int | None:
        return self.pool.total


def _cert_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        current = current.__cause__ or current.__context__
    return None


def _map(exc: BaseException, phase: int, *, reused: bool) -> TransportError:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, TransportError):
        return exc
    if isinstance(exc, TimeoutError):
        return transport_error(
            ReadTimeout, f"timed out reading the response ({text})", exc, retryable=phase == 0
        )
    if isinstance(exc, _Protocol):
        return transport_error(RemoteProtocolError, text, exc, retryable=True)
    return transport_error(ReadError, text, exc, retryable=True, stale=reused and phase == 0)
