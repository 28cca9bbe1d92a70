"""httpx backend: one long-lived ``httpx.AsyncClient`` per transport key and loop.

Runs on asyncio and trio (through anyio), and is the backend for HTTP/2. Our
clients keep no cookies (a jar whose policy refuses everything), read no
environment (``trust_env=False``: proxies and CA bundle were resolved into the
key), and route to proxies per request with :class:`_ProxyRouter`. Exceptions
are translated in :func:`map_httpx_error` and nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import http.cookiejar
import ssl
import time
from collections.abc import Mapping
from typing import Any

import anyio
import httpcore
import httpx

from .._ssl import ssl_for
from .._transport import DEFAULT_CONNECT_TIMEOUT, ProxyConfig, TransportKey
from ..errors import (
    ConnectError,
    ConnectTimeout,
    PoolTimeout,
    ProxyError,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    TLSVerificationError,
    TransportError,
)
from .base import (
    AsyncBackend,
    RawResponse,
    StreamResponse,
    new_line,
    pool_timeout,
    transport_error,
)

__all__ = ("HttpxBackend", "map_httpx_error")

_PROXY_EXT = "genai_async.proxy"
_NEW_CONNECTION_EXT = "genai_async.new_connection"


class _RefuseAll(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


class _ProxyRouter(httpx.AsyncBaseTransport):
    """Sends each request direct or through the proxy its settings resolved to."""

    def __init__(self, direct: httpx.AsyncBaseTransport, factory: Any) -> None:
        self._direct = direct
        self._factory = factory
        self._proxied: dict[ProxyConfig, httpx.AsyncBaseTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = request.extensions.get(_PROXY_EXT)
        if not isinstance(proxy, ProxyConfig):
            return await self._direct.handle_async_request(request)
        transport = self._proxied.get(proxy)
        if transport is None:
            transport = self._proxied[proxy] = self._factory(proxy)
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._proxied.values():
            await transport.aclose()


def _reset_abandoned_streams(transport: httpx.AsyncHTTPTransport) -> None:
    """Make the HTTP/2 connections of our own ``transport`` reset abandoned streams.

    Two httpcore 1.0 HTTP/2 faults make cancellation expensive:

    * It frees its stream slot when a request is cancelled, times out or has its
      response closed early, but never tells h2 (encode/httpcore#943): h2 keeps
      counting the stream as open until the server ends it, so after enough
      cancellations every new request fails with "Max outbound streams is 100,
      100 open", and DATA still arriving for those streams is never credited back
      to the connection's flow-control window. Resetting the stream (RST_STREAM
      CANCEL) keeps both counts equal and tells the server to stop.
    * A task cancelled while it writes frames interrupts a TLS record half sent;
      anyio and trio then mark the TLS stream broken, and every other request
      multiplexed on the connection fails. Writes are finished under a shield
      (bounded by :data:`_SHIELDED_WRITE_SECONDS`) before the cancellation lands.

    Applied by class swap to the pool and the connections it creates, so that
    the user's own httpx objects are never touched.
    """
    pool = getattr(transport, "_pool", None)
    if pool is None or not isinstance(pool, httpcore.AsyncConnectionPool):
        return
    pool.__class__ = _mixed(type(pool), _ResettingPool)


def _assign_in_one_pass(transport: httpx.AsyncHTTPTransport) -> bool:
    """Give our own HTTP/1.1 ``transport`` the pool logic of :class:`_LinePool`;
    False when its pool is not the httpcore 1.0 pool that logic was written for."""
    pool = getattr(transport, "_pool", None)
    if not httpcore.__version__.startswith("1.0."):
        return False  # written against httpcore 1.0's private pool state
    if type(pool) is httpcore.AsyncConnectionPool and all(
        hasattr(pool, name)
        for name in ("_connections", "_requests", "_max_connections", "_max_keepalive_connections")
    ):
        pool.__class__ = _mixed(type(pool), _LinePool)
        return True
    return False


_SWEEP_SECONDS = 1.0
"""How often a :class:`_LinePool` looks at every connection (expiry, closed ones)."""


class _LinePool:
    """Pool mixin: httpcore's decisions without its per-request scans.

    For a pool of HTTP/1.1 connections whose requests wait in line in front of it
    (:class:`HttpxBackend`), so at most ``max_connections`` requests are ever in it.
    httpcore 1.0, each time a request starts or a response closes, re-checks every
    connection against every waiting request, asks the socket of every idle
    connection whether the server closed it (a system call each), and can hand one
    idle connection to several requests at once, all but one of which then start
    over. Here:

    * a request waiting for a connection gets the first idle one not already handed
      to another request, checked for expiry (keep-alive time, or closed by the
      server) as it is handed out; else a new one, room permitting;
    * every connection is looked at (closed ones dropped, expired idle ones and idle
      ones beyond ``max_keepalive_connections`` closed) at most once per
      :data:`_SWEEP_SECONDS`, and whenever the pool is full;
    * each request is told whether its connection was opened for it (the request's
      extensions are the httpx request's), so no trace hook is needed to tell a
      failed new connection from a stale kept-alive one.
    """

    _connections: list[Any]
    _requests: list[Any]
    _max_connections: int
    _max_keepalive_connections: int
    _next_sweep = 0.0
    create_connection: Any  # httpcore's, after this mixin in the MRO

    def _taken(self) -> set[int]:
        """Connections handed to a request (which may not have started on it yet)."""
        return {id(r.connection) for r in self._requests if r.connection is not None}

    def _sweep(self, closing: list[Any], taken: set[int]) -> None:
        self._next_sweep = time.monotonic() + _SWEEP_SECONDS
        kept: list[Any] = []
        idle = 0
        for connection in self._connections:
            if connection.is_closed():
                continue
            if id(connection) not in taken and connection.is_idle():
                if idle >= self._max_keepalive_connections or connection.has_expired():
                    closing.append(connection)
                    continue
                idle += 1
            kept.append(connection)
        self._connections[:] = kept

    def _assign_requests_to_connections(self) -> list[Any]:
        closing: list[Any] = []
        if time.monotonic() >= self._next_sweep:
            self._sweep(closing, self._taken())
        queued = [r for r in self._requests if r.connection is None]
        if not queued:
            return closing
        connections = self._connections
        taken = self._taken()
        for pool_request in queued:
            origin = pool_request.request.url.origin
            chosen = None
            for connection in connections:
                if (
                    id(connection) not in taken
                    and connection.is_available()
                    and connection.can_handle_request(origin)
                ):
                    chosen = connection
                    break
            if chosen is not None and chosen.has_expired():
                self._sweep(closing, taken)  # it expired; others may have too
                chosen = next(
                    (
                        c
                        for c in connections
                        if id(c) not in taken and c.is_available() and c.can_handle_request(origin)
                    ),
                    None,
                )
            new = chosen is None
            if new:
                if len(connections) >= self._max_connections:
                    self._sweep(closing, taken)
                if len(connections) >= self._max_connections:
                    spare = next(
                        (c for c in connections if id(c) not in taken and c.is_idle()), None
                    )
                    if spare is None:
                        continue  # stays queued until a response closes
                    connections.remove(spare)
                    closing.append(spare)
                chosen = self.create_connection(origin)
                connections.append(chosen)
            pool_request.request.extensions[_NEW_CONNECTION_EXT] = new
            taken.add(id(chosen))
            pool_request.assign_to_connection(chosen)
        return closing


_SHIELDED_WRITE_SECONDS = 5.0
"""How long a cancelled HTTP/2 request may keep writing to finish its frames."""


class _ResettingPool:
    """Pool mixin: every connection it creates resets abandoned HTTP/2 streams."""

    def create_connection(self, origin: Any) -> Any:
        connection = super().create_connection(origin)  # type: ignore[misc]
        connection.__class__ = _mixed(type(connection), _ResettingConnection)
        return connection


class _ResettingConnection:
    """Connection mixin: the HTTP/2 connection httpcore builds on first use (directly
    or inside a proxy tunnel) is stored through this property and upgraded."""

    @property
    def _connection(self) -> Any:
        return self.__dict__.get("_connection")

    @_connection.setter
    def _connection(self, value: Any) -> None:
        if type(value) is httpcore.AsyncHTTP2Connection:
            value.__class__ = _resetting_http2()
        self.__dict__["_connection"] = value


_MIXED: dict[tuple[type[Any], type[Any]], type[Any]] = {}


def _mixed(base: type[Any], mixin: type[Any]) -> type[Any]:
    """``base`` with ``mixin`` in front, built once per pair."""
    klass = _MIXED.get((base, mixin))
    if klass is None:
        klass = type(base.__name__, (mixin, base), {"__module__": __name__})
        klass = _MIXED.setdefault((base, mixin), klass)
    return klass


@functools.cache
def _resetting_http2() -> type[Any]:
    import h2.errors
    import h2.exceptions

    class ResettingHTTP2Connection(httpcore.AsyncHTTP2Connection):
        async def _write_outgoing_data(self, request: httpcore.Request) -> None:
            with anyio.CancelScope(shield=True) as scope:
                scope.deadline = anyio.current_time() + _SHIELDED_WRITE_SECONDS
                await super()._write_outgoing_data(request)
            if scope.cancelled_caught:  # the peer stopped reading: the stream is lost
                exc = httpcore.WriteTimeout("the connection stopped accepting data")
                self._write_exception = exc
                self._connection_error = True
                raise exc

        async def _response_closed(self, stream_id: int) -> None:
            # Queued, not flushed: this runs shielded during teardown, where taking the
            # write lock could deadlock; the next frame written carries the reset.
            stream = self._h2_state.streams.get(stream_id)
            if stream is not None and not stream.closed:
                with contextlib.suppress(h2.exceptions.ProtocolError):
                    self._h2_state.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
            await super()._response_closed(stream_id)

    return ResettingHTTP2Connection


class _Body(httpx.AsyncByteStream):
    """A request body that is not an async generator (see :func:`_finish`): a
    cancelled send leaves nothing behind for trio to warn about."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __aiter__(self) -> _BodyIterator:
        return _BodyIterator(self._body)


class _BodyIterator:
    __slots__ = ("_body",)

    def __init__(self, body: bytes | None) -> None:
        self._body = body

    def __aiter__(self) -> _BodyIterator:
        return self

    async def __anext__(self) -> bytes:
        body, self._body = self._body, None
        if body is None:
            raise StopAsyncIteration
        return body


class _Probe:
    """httpcore trace hook: notes whether this request opened a new connection (for
    pools without :class:`_LinePool`, which says so in the request's extensions)."""

    __slots__ = ("new_connection",)

    def __init__(self) -> None:
        self.new_connection = False

    async def __call__(self, event: str, info: Any) -> None:
        if event == "connection.connect_tcp.started":
            self.new_connection = True


def _reused(request: httpx.Request, probe: _Probe | None) -> bool:
    """Whether ``request`` went out on a connection kept alive from an earlier one."""
    if probe is not None:
        return not probe.new_connection
    return request.extensions.get(_NEW_CONNECTION_EXT) is False


class _Stream(StreamResponse):
    __slots__ = ("_gate", "_iter", "_resp")

    def __init__(self, resp: httpx.Response, gate: anyio.Semaphore | None) -> None:
        self._resp = resp
        self._iter = resp.aiter_bytes()
        self._gate = gate  # held until the stream is closed
        self.status = resp.status_code
        self.reason = resp.reason_phrase
        self.headers = resp.headers

    async def read_chunk(self) -> bytes:
        try:
            return await anext(self._iter, b"")
        except (httpx.HTTPError, httpx.StreamError, OSError, TimeoutError) as exc:
            raise map_httpx_error(exc, phase=1) from exc

    async def aclose(self) -> None:
        try:
            await self._resp.aclose()
        finally:
            try:
                await _finish(self._iter)
            finally:
                gate, self._gate = self._gate, None
                if gate is not None:
                    gate.release()


async def _finish(iterator: Any) -> None:
    """Run httpx's nested body generators to their end once the response is closed.

    Closing only the outer generator leaves the inner ones to the garbage
    collector, and trio warns about each (encode/httpx#3686). Under an already
    cancelled scope every pending read fails at once, and that failure unwinds
    every level. Cancellation is level-triggered in anyio and trio, so an outer
    cancellation swallowed here is delivered again at the caller's next await.
    """
    with anyio.CancelScope() as scope:
        scope.cancel()
        try:
            while True:
                await anext(iterator)
        except BaseException:
            pass


class HttpxBackend(AsyncBackend):
    """An ``httpx.AsyncClient`` of our own (or one you lent us).

    On a pool we build for HTTP/1.1, at most ``max_connections`` requests are
    inside httpx at once; the others wait in line here, first come first
    served. httpcore's pool scans every connection and every waiting request
    each time a request starts or a response closes (encode/httpx#3215), so
    letting hundreds of requests wait inside it makes each request cost
    milliseconds of CPU; waiting here costs nothing. A pool timeout
    (``httpx.Timeout(pool=...)``) bounds the wait in line, as it would in httpx.
    """

    name = "httpx"

    client: httpx.AsyncClient

    def __init__(self, key: TransportKey) -> None:
        self._timeouts: dict[tuple[float | None, ...], httpx.Timeout] = {}
        self._gate: anyio.Semaphore | None = None
        self._places = 0
        self._line_pools = False  # every pool is a _LinePool: no trace hook needed
        borrowed = key.borrowed
        if isinstance(borrowed, httpx.AsyncClient) or type(borrowed).__name__ == "AsyncClient":
            self.client = borrowed
            self.owned = False
            return
        session = dict(key.session_args)
        limits = key.limits
        hx_limits = httpx.Limits(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections
            if limits.max_keepalive_connections is not None
            else limits.max_connections,
            keepalive_expiry=limits.keepalive_expiry,
        )
        gated = borrowed is None and "mounts" not in session and not key.http2
        lined: list[bool] = []
        verify = ssl_for(key.tls, "httpx")
        if isinstance(verify, ssl.SSLContext) or verify is False:
            pass
        else:  # an aiohttp fingerprint cannot reach here: it needs the aiohttp backend
            verify = True

        def transport_for(proxy: ProxyConfig | None) -> httpx.AsyncHTTPTransport:
            hx_proxy = None
            if proxy is not None:
                hx_proxy = httpx.Proxy(
                    proxy.url,
                    auth=proxy.auth,
                    headers=dict(proxy.headers) if proxy.headers else None,
                )
            hx_transport = httpx.AsyncHTTPTransport(
                verify=verify,
                http1=key.http1,
                http2=key.http2,
                limits=hx_limits,
                trust_env=False,
                proxy=hx_proxy,
            )
            if key.http2:
                _reset_abandoned_streams(hx_transport)
            elif gated:
                lined.append(_assign_in_one_pass(hx_transport))
            return hx_transport

        transport: httpx.AsyncBaseTransport | None = borrowed
        self._own_transport: httpx.AsyncBaseTransport | None = None
        if transport is None:
            direct = transport_for(None)
            transport = _ProxyRouter(direct, transport_for) if key.proxies is not None else direct
            self._own_transport = transport
            self._line_pools = gated and all(lined)
        # Closing the AsyncClient would close a borrowed transport or mounts too.
        self._close_client = borrowed is None and "mounts" not in session
        if gated:
            # HTTP/1.1: one request per connection, so the line holds what the pool cannot.
            self._places = hx_limits.max_connections or 1
            self._gate = new_line(self._places)
        hooks = {name: list(items) for name, items in session.get("event_hooks", ())}
        self.client = httpx.AsyncClient(
            transport=transport,
            mounts=dict(session["mounts"]) if "mounts" in session else None,
            event_hooks=hooks or None,
            cookies=http.cookiejar.CookieJar(policy=_RefuseAll()),
            timeout=None,
            follow_redirects=True,
            max_redirects=session.get("max_redirects", 20),
            trust_env=False,
        )
        self.owned = True

    def _timeout(self, prep: Any, read: float | None) -> httpx.Timeout:
        extras = prep.extras
        connect = (
            extras.connect_timeout
            if extras.connect_timeout is not None
            else DEFAULT_CONNECT_TIMEOUT
        )
        if extras.read_timeout is not None:
            read = extras.read_timeout if read is None else min(read, extras.read_timeout)
        key = (connect, read, extras.write_timeout, extras.pool_timeout)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = httpx.Timeout(
                connect=connect, read=read, write=extras.write_timeout, pool=extras.pool_timeout
            )
            if len(self._timeouts) < 512:
                self._timeouts[key] = timeout
        return timeout

    def _request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        read: float | None,
        probe: _Probe | None,
    ) -> httpx.Request:
        extensions: dict[str, Any] = {"trace": probe} if probe is not None else {}
        if isinstance(prep.proxy, ProxyConfig):
            extensions[_PROXY_EXT] = prep.proxy
        request = self.client.build_request(
            method,
            url,
            headers=headers,
            content=body,
            timeout=self._timeout(prep, read),
            extensions=extensions,
        )
        if body:
            request.stream = _Body(body)  # Content-Length was set from the bytes above
        return request

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        limit: float | None,
    ) -> RawResponse:
        probe = None if self._line_pools else _Probe()
        request = self._request(method, url, headers, body, prep, None, probe)
        extras = prep.extras
        phase = 0
        gate = self._gate
        scope = anyio.fail_after(limit) if limit is not None else contextlib.nullcontext()
        started = anyio.current_time() if gate is not None else 0.0
        in_line = gate is not None
        try:
            with scope:
                if gate is not None:
                    await _enter(gate, extras.pool_timeout)
                    in_line = False
                try:
                    resp = await self.client.send(
                        request,
                        stream=True,
                        follow_redirects=extras.follow_redirects,
                        **({"auth": extras.auth} if extras.auth is not None else {}),
                    )
                    phase = 1
                    try:
                        data = await resp.aread()
                    finally:
                        await resp.aclose()
                finally:
                    if gate is not None:
                        gate.release()
        except (httpx.HTTPError, httpx.StreamError, OSError, TimeoutError) as exc:
            if in_line:
                raise self._full(started) from None
            raise map_httpx_error(exc, phase, reused=_reused(request, probe)) from exc
        if resp.status_code == 407 and isinstance(prep.proxy, ProxyConfig):
            raise _proxy_refused(prep.proxy, resp.status_code, resp.reason_phrase)
        return RawResponse(resp.status_code, resp.reason_phrase, resp.headers, data)

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        limit: float | None,
    ) -> StreamResponse:
        probe = None if self._line_pools else _Probe()
        request = self._request(method, url, headers, body, prep, prep.settings.timeout, probe)
        extras = prep.extras
        gate = self._gate
        scope = anyio.fail_after(limit) if limit is not None else contextlib.nullcontext()
        started = anyio.current_time() if gate is not None else 0.0
        in_line = gate is not None
        try:
            with scope:
                if gate is not None:
                    await _enter(gate, extras.pool_timeout)
                    in_line = False
                try:
                    resp = await self.client.send(
                        request,
                        stream=True,
                        follow_redirects=extras.follow_redirects,
                        **({"auth": extras.auth} if extras.auth is not None else {}),
                    )
                except BaseException:
                    if gate is not None:
                        gate.release()
                    raise
        except (httpx.HTTPError, httpx.StreamError, OSError, TimeoutError) as exc:
            if in_line:
                raise self._full(started) from None
            raise map_httpx_error(exc, 0, reused=_reused(request, probe)) from exc
        stream = _Stream(resp, gate)  # releases the gate when closed
        if resp.status_code == 407 and isinstance(prep.proxy, ProxyConfig):
            await stream.aclose()
            raise _proxy_refused(prep.proxy, resp.status_code, resp.reason_phrase)
        return stream

    def _full(self, started: float) -> PoolTimeout:
        """A wait in line ran out (the pool timeout, or the attempt's time limit)."""
        gate = self._gate
        held = self._places - (gate.value if gate is not None else 0)
        return pool_timeout(self._places, held, anyio.current_time() - started)

    async def aclose(self) -> None:
        if not self.owned or self.client.is_closed:
            return
        if self._close_client:
            await self.client.aclose()
        elif self._own_transport is not None:
            await self._own_transport.aclose()  # ours only; the user's objects stay open

    def connection_count(self) -> int | None:
        return pooled_connections(self.client, _ProxyRouter)


def pooled_connections(client: httpx.AsyncClient | httpx.Client, router: type[Any]) -> int | None:
    """Open connections of an httpx client's pools (through our proxy ``router``
    type, every route's), or None when a transport does not expose its pool."""
    transport: Any = getattr(client, "_transport", None)
    transports = [transport]
    if isinstance(transport, router):
        transports = [transport._direct, *transport._proxied.values()]
    total = 0
    for item in transports:
        connections = getattr(getattr(item, "_pool", None), "connections", None)
        if connections is None:
            return None
        total += len(connections)
    return total


async def _enter(gate: anyio.Semaphore, wait: float | None) -> None:
    """Take a place in the pool's line; the pool timeout bounds the wait, as in httpx
    (running out raises ``TimeoutError``: the caller names the full pool)."""
    if wait is None:
        await gate.acquire()
        return
    with anyio.fail_after(wait):
        await gate.acquire()


def _proxy_refused(proxy: ProxyConfig, status: int, reason: str | None) -> ProxyError:
    """A plain-HTTP request the proxy answered with 407 (see the aiohttp backend)."""
    err = ProxyError(f"the proxy {proxy.url} refused the request: {status} {reason or ''}".strip())
    err.retryable = False
    return err


def _cert_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind ``exc``, if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        current = current.__cause__ or current.__context__
    return None


def map_httpx_error(exc: BaseException, phase: int, *, reused: bool = False) -> TransportError:
    """The genai_async error for an httpx failure (``phase`` as in the aiohttp backend)."""
    before = phase == 0
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return transport_error(ConnectTimeout, text, exc, retryable=True)
    if isinstance(exc, httpx.PoolTimeout):
        return transport_error(PoolTimeout, text, exc, retryable=True)
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        message = (
            "timed out waiting for the response" if before else "timed out reading the response"
        )
        return transport_error(ReadTimeout, f"{message} ({text})", exc, retryable=before)
    if isinstance(exc, httpx.ProxyError):
        # httpcore's text is the CONNECT status: a 407 will not change on retry
        refused = str(exc).startswith("407")
        return transport_error(ProxyError, text, exc, retryable=not refused)
    if isinstance(exc, httpx.ConnectError):
        cert_error = _cert_failure(exc)
        if cert_error is not None:
            # Under trio the httpx error has no text: name the verification failure.
            if not str(exc):
                text = f"{text}: {cert_error}"
            return transport_error(TLSVerificationError, text, exc, retryable=False)
        return transport_error(ConnectError, text, exc, retryable=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        message = str(exc)
        closed = any(
            part in message
            for part in (
                "without sending a response",
                "Server disconnected",
                "peer closed connection",
            )
        )
        cls = ReadError if closed else RemoteProtocolError
        return transport_error(cls, text, exc, retryable=True, stale=before and reused and closed)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.CloseError)):
        return transport_error(ReadError, text, exc, retryable=True, stale=before and reused)
    if isinstance(exc, OSError):
        return transport_error(ReadError, text, exc, retryable=True)
    return transport_error(TransportError, text, exc, retryable=False)
