"""The native backend's connections: HTTP/1.1 responses parsed by httptools, the pool
that holds them (idle ones reused last in, first out; requests waiting served first
come, first served; a cap on the total; keep-alive expiry), the ``CONNECT``
tunnel through a proxy, httpx's redirect rule, and the translation of their
failures into ``genai_async.errors``. :mod:`.native` sends requests with them.
"""

from __future__ import annotations

import math
import ssl
import zlib
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import anyio
import anyio.abc
import httptools

from .._keys import ProxyConfig
from .._runtime import Timer, call_later_on, current_loop
from ..errors import (
    ProxyError,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    TransportError,
    WriteTimeout,
)
from .base import WriteStalled, transport_error

__all__ = (
    "Origin",
    "_Closed",
    "_Conn",
    "_Pool",
    "_Protocol",
    "_Waiter",
    "_cert_failure",
    "_map",
    "_origin",
    "_proxy_error",
    "_redirected",
    "_tunnel",
    "_unsupported",
)

_READ_SIZE = 65536
_MAX_PROXY_HEAD = 65536
# (scheme, host, port, proxy): a proxied connection is a tunnel or a link to the proxy
Origin = tuple[str, str, int, ProxyConfig | None]


class _Conn:
    """One HTTP/1.1 connection and the state of its current response. One parser
    reads every response of the connection (llhttp starts on the next message once
    one is complete and kept alive); a connection whose parse failed is never reused."""

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
        "served",
        "status",
        "stream",
    )

    def __init__(self, stream: anyio.abc.ByteStream, origin: Origin) -> None:
        self.stream = stream
        self.origin = origin
        self.idle_since = 0.0
        self.served = 0  # responses read to the end on this connection
        self.parser = httptools.HttpResponseParser(self)
        self.reset()

    def reset(self) -> None:
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

    def no_body(self) -> None:
        """The response (to HEAD) has ended with its headers, whatever length they
        announce; the parser, which cannot be told so, is replaced for the next one."""
        self.done = True
        self.keep = self.parser.should_keep_alive()
        self.parser = httptools.HttpResponseParser(self)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

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

    async def close(self) -> None:
        """Close without waiting (no TLS close_notify exchange); safe under cancellation."""
        await anyio.aclose_forcefully(self.stream)


def _eof_delimited(headers: list[tuple[str, str]]) -> bool:
    names = {n.lower() for n, _ in headers}
    return "content-length" not in names and "transfer-encoding" not in names


class _Closed(Exception):
    pass


class _Protocol(Exception):
    pass


class _Waiter:
    """A request waiting for a connection until ``deadline``: handed an idle one, or a
    slot to open one, or told its time ran out (``expired``)."""

    __slots__ = ("conn", "deadline", "event", "expired", "granted", "origin")

    def __init__(self, origin: Origin, deadline: float) -> None:
        self.origin = origin
        self.deadline = deadline
        self.event = anyio.Event()
        self.conn: _Conn | None = None
        self.granted = False
        self.expired = False


class _Pool:
    """Connections per origin: idle ones LIFO, waiters FIFO, a cap on the total.

    ``total`` counts the open connections and the connections being opened; it
    never exceeds ``cap``. The pool's bookkeeping is synchronous; the methods
    that give a connection up return it, and the caller closes it.

    Waiters wait without cancel scopes of their own: one timer, armed for the
    earliest deadline of those waiting, tells the ones whose time ran out. (On
    trio a cancel scope costs microseconds, and at saturation every request
    waits; the timer is re-armed only when a waiter's deadline is earlier than
    every other's, about once per pool timeout under steady load.)
    """

    trust_env = False  # proxies and CA bundle were resolved into the key: no environment

    def __init__(self, cap: int, keepalive: float | None, max_idle: int | None) -> None:
        self.cap = cap
        self.keepalive = keepalive
        self.max_idle = max_idle if max_idle is not None else cap
        self.idle: dict[Origin, list[_Conn]] = {}
        self.idle_count = 0
        self.conns: set[_Conn] = set()
        self.total = 0
        self.waiters: deque[_Waiter] = deque()
        self.closed = False
        self._timer: Timer | None = None
        self._timer_at = math.inf

    @property
    def held(self) -> int:
        """Connections serving a request (or being opened for one)."""
        return self.total - self.idle_count

    def _take_idle(self, origin: Origin, expired: list[_Conn]) -> _Conn | None:
        stack = self.idle.get(origin)
        if not stack:
            return None
        now = anyio.current_time()
        while stack:
            conn = stack.pop()
            self.idle_count -= 1
            if self.keepalive is not None and now - conn.idle_since > self.keepalive:
                self._lose(conn)
                expired.append(conn)
                continue
            return conn
        return None

    def _evict_oldest(self) -> _Conn | None:
        oldest: list[_Conn] | None = None
        for stack in self.idle.values():
            if stack and (oldest is None or stack[0].idle_since < oldest[0].idle_since):
                oldest = stack
        if oldest is None:
            return None
        conn = oldest.pop(0)
        self.idle_count -= 1
        self._lose(conn)
        return conn

    def _lose(self, conn: _Conn) -> None:
        """``conn`` is gone: its slot goes to the first one waiting."""
        if conn in self.conns:
            self.conns.remove(conn)
            self.total -= 1
            self._grant()

    def _grant(self) -> None:
        while self.waiters and self.total < self.cap:
            waiter = self.waiters.popleft()
            waiter.granted = True
            self.total += 1
            waiter.event.set()

    async def acquire(self, origin: Origin, wait: float) -> _Conn | None:
        """An idle connection to ``origin``, or None: a slot to open one is held.
        Waits (FIFO) at most ``wait`` seconds, then raises ``TimeoutError``."""
        doomed: list[_Conn] = []
        try:
            conn = self._take_idle(origin, doomed)
            if conn is not None:
                return conn
            if not self.waiters:
                if self.total >= self.cap and self.idle_count:
                    evicted = self._evict_oldest()  # an idle connection to another origin
                    if evicted is not None:
                        doomed.append(evicted)
                if self.total < self.cap:
                    self.total += 1
                    return None
        finally:
            for dead in doomed:
                await dead.close()
        waiter = _Waiter(origin, anyio.current_time() + wait)
        self.waiters.append(waiter)
        if waiter.deadline < self._timer_at:
            self._arm(waiter.deadline)
        try:
            await waiter.event.wait()
        except BaseException:
            if not waiter.event.is_set():
                self.waiters.remove(waiter)
            elif waiter.conn is not None:  # handed a connection just as the wait ended
                spare = self.put_back(waiter.conn)
                if spare is not None:
                    await spare.close()
            elif waiter.granted:
                self.cancel_slot()
            raise
        if waiter.expired:
            raise TimeoutError
        return waiter.conn

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        delay = max(when - anyio.current_time(), 0.0)
        self._timer = call_later_on(current_loop()[1], delay, self._expire)

    async def _expire(self) -> None:
        """Tell the waiters whose time ran out; re-arm for the earliest of the rest."""
        self._timer, self._timer_at = None, math.inf
        now = anyio.current_time() + 0.001  # a timer may fire a hair early
        kept: deque[_Waiter] = deque()
        soonest = math.inf
        for waiter in self.waiters:
            if waiter.deadline <= now:
                waiter.expired = True
                waiter.event.set()
            else:
                kept.append(waiter)
                soonest = min(soonest, waiter.deadline)
        self.waiters = kept
        if soonest < math.inf:
            self._arm(soonest)

    def cancel_slot(self) -> None:
        """A slot taken to open a connection was not used (the connect failed)."""
        self.total -= 1
        self._grant()

    def add(self, conn: _Conn) -> None:
        """A connection opened with a slot from :meth:`acquire`."""
        self.conns.add(conn)

    def put_back(self, conn: _Conn) -> _Conn | None:
        """A response was read to its end on a keep-alive connection: hand it to the
        first one waiting, or keep it idle. Returns a connection to close, if any."""
        if self.closed or conn not in self.conns:
            self._lose(conn)
            return conn
        conn.reset()
        conn.served += 1
        conn.idle_since = anyio.current_time()
        if self.waiters:
            waiter = self.waiters[0]
            if waiter.origin == conn.origin:
                self.waiters.popleft()
                waiter.conn = conn
                waiter.event.set()
                return None
            self._lose(conn)  # the first one waiting wants another origin: its slot
            return conn
        self.idle.setdefault(conn.origin, []).append(conn)
        self.idle_count += 1
        if self.idle_count > self.max_idle:
            return self._evict_oldest()
        return None

    def discard(self, conn: _Conn) -> None:
        """A connection that cannot be reused; the caller closes it."""
        self._lose(conn)

    def close(self) -> list[_Conn]:
        """Stop pooling; returns every open connection (idle or serving) to close."""
        self.closed = True
        conns = list(self.conns)
        self.conns.clear()
        self.idle.clear()
        self.idle_count = 0
        self.total = 0
        return conns


async def _tunnel(link: anyio.abc.ByteStream, proxy: ProxyConfig, host: str, port: int) -> None:
    """Ask the proxy for a tunnel to ``host:port`` and read its answer."""
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n"]
    lines.extend(f"{name}: {value}\r\n" for name, value in proxy.headers)
    auth = proxy.basic_auth_header()
    if auth is not None and not any(n.lower() == "proxy-authorization" for n, _ in proxy.headers):
        lines.append(f"Proxy-Authorization: {auth}\r\n")
    lines.append("\r\n")
    try:
        await link.send("".join(lines).encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            try:
                data = await link.receive(_READ_SIZE)
            except anyio.EndOfStream:
                data = b""
            if not data:
                raise _proxy_error(f"the proxy {proxy.url} closed the connection on CONNECT")
            answer += data
            if len(answer) > _MAX_PROXY_HEAD:
                raise _proxy_error(f"the proxy {proxy.url} sent an oversized answer to CONNECT")
    except (OSError, anyio.BrokenResourceError) as exc:
        if isinstance(exc, TransportError):
            raise
        err = _proxy_error(f"the proxy {proxy.url} failed on CONNECT: {type(exc).__name__}")
        err.__cause__ = exc
        raise err from exc
    head, _, rest = answer.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    words = status_line.split(None, 2)
    try:
        status = int(words[1])
    except (IndexError, ValueError):
        raise _proxy_error(
            f"the proxy {proxy.url} answered CONNECT with {status_line[:80]!r}"
        ) from None
    if not 200 <= status < 300:
        reason = words[2] if len(words) > 2 else ""
        # a 407 will not change on retry
        raise _proxy_error(
            f"the proxy {proxy.url} refused the tunnel to {target}: {status} {reason}".strip(),
            retryable=status != 407,
        )
    if rest:
        raise _proxy_error(f"the proxy {proxy.url} sent data ahead of the tunnel")


def _proxy_error(message: str, *, retryable: bool = True) -> ProxyError:
    err = ProxyError(message)
    err.retryable = retryable
    return err


def _redirected(
    status: int,
    method: str,
    url: str,
    location: str,
    headers: Mapping[str, str],
    body: bytes | None,
) -> tuple[str, str, Mapping[str, str], bytes | None]:
    """The next request of a redirect, by httpx's rules: 301 (POST), 302 and 303 become
    GET without a body; ``Authorization`` goes to the same origin only (or its HTTPS
    upgrade); the ``Cookie`` header is not sent again."""
    new_url = urljoin(url, location.strip())
    if urlsplit(new_url).scheme not in ("http", "https"):
        raise _unsupported(new_url)
    new_method = method
    if (status in (302, 303) and method != "HEAD") or (status == 301 and method == "POST"):
        new_method = "GET"
    old, new = urlsplit(url), urlsplit(new_url)
    same = _origin(old) == _origin(new)
    upgrade = (
        old.scheme == "http"
        and new.scheme == "https"
        and old.hostname == new.hostname
        and _origin(old)[2] == 80
        and _origin(new)[2] == 443
    )
    drop = {"cookie"}
    if not same:
        drop.add("host")
        if not upgrade:
            drop.add("authorization")
    if new_method != method and new_method == "GET":
        drop.update(("content-length", "transfer-encoding"))
        body = None
    kept = {name: value for name, value in headers.items() if name.lower() not in drop}
    return new_method, new_url, kept, body


def _origin(parts: Any) -> tuple[str, str, int]:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname or "", port


def _unsupported(url: str) -> TransportError:
    err = TransportError(f"unsupported URL scheme in {urlsplit(url).scheme!r}: http or https only")
    err.retryable = False
    return err


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
    if isinstance(exc, WriteStalled):
        return transport_error(
            WriteTimeout, f"timed out sending the request ({exc})", exc, retryable=True
        )
    if isinstance(exc, TimeoutError):
        doing = "waiting for" if phase == 0 else "reading"
        return transport_error(
            ReadTimeout, f"timed out {doing} the response ({text})", exc, retryable=phase == 0
        )
    if isinstance(exc, _Protocol):
        return transport_error(RemoteProtocolError, text, exc, retryable=True)
    return transport_error(ReadError, text, exc, retryable=True, stale=reused and phase == 0)
