"""httpx backend: one long-lived ``httpx.AsyncClient`` per transport key and loop.

Runs on asyncio and trio (through anyio), and is the backend for HTTP/2. Our
clients keep no cookies (a jar whose policy refuses everything), read no
environment (``trust_env=False``: proxies and CA bundle were resolved into the
key), and route to proxies per request with :class:`_ProxyRouter`. Exceptions
are translated in :func:`map_httpx_error` and nowhere else.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import anyio
import httpx

from .._keys import ProxyConfig, SendOptions, TransportKey
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
    WriteTimeout,
)
from ._httpcore_patches import NEW_CONNECTION_EXT, assign_in_one_pass, reset_abandoned_streams
from ._httpx_common import (
    PROXY_EXT,
    client_kwargs,
    limits_for,
    pooled_connections,
    proxy_for,
    redacted,
    route,
    timeout_for,
    verify_for,
)
from .base import (
    AsyncBackend,
    RawResponse,
    StreamResponse,
    TimeLimit,
    new_line,
    pool_timeout,
    redact_chain,
    transport_error,
)

__all__ = ("HttpxBackend", "map_httpx_error")


class _ProxyRouter(httpx.AsyncBaseTransport):
    """Sends each request direct or through the proxy its settings resolved to."""

    def __init__(self, direct: httpx.AsyncBaseTransport, factory: Any) -> None:
        self._direct = direct
        self._factory = factory
        self._proxied: dict[ProxyConfig, httpx.AsyncBaseTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = route(request, self._proxied, self._factory) or self._direct
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._proxied.values():
            await transport.aclose()


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
    return request.extensions.get(NEW_CONNECTION_EXT) is False


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
        hx_limits = limits_for(key.limits)
        gated = borrowed is None and "mounts" not in session and not key.http2
        lined: list[bool] = []
        verify = verify_for(key.tls)

        def transport_for(proxy: ProxyConfig | None) -> httpx.AsyncHTTPTransport:
            hx_transport = httpx.AsyncHTTPTransport(
                verify=verify,
                http1=key.http1,
                http2=key.http2,
                limits=hx_limits,
                trust_env=False,
                proxy=proxy_for(proxy),
            )
            if key.http2:
                reset_abandoned_streams(hx_transport)
            elif gated:
                lined.append(assign_in_one_pass(hx_transport))
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
        self.client = httpx.AsyncClient(**client_kwargs(session, transport))
        self.owned = True

    def _request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        read: float | None,
        probe: _Probe | None,
    ) -> httpx.Request:
        extensions: dict[str, Any] = {"trace": probe} if probe is not None else {}
        if options.proxy is not None:
            extensions[PROXY_EXT] = options.proxy
        request = self.client.build_request(
            method,
            url,
            headers=headers,
            content=body,
            timeout=timeout_for(self._timeouts, options.timeouts, read),
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
        options: SendOptions,
        limit: float | None,
    ) -> RawResponse:
        probe = None if self._line_pools else _Probe()
        request = self._request(method, url, headers, body, options, options.timeouts.read, probe)
        phase = 0
        gate = self._gate
        scope = TimeLimit(limit)
        started = anyio.current_time() if gate is not None else 0.0
        in_line = gate is not None
        try:
            with scope:
                if gate is not None:
                    await _enter(gate, options.timeouts.pool)
                    in_line = False
                try:
                    resp = await self.client.send(
                        request,
                        stream=True,
                        follow_redirects=options.follow_redirects,
                        **({"auth": options.auth} if options.auth is not None else {}),
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
        if resp.status_code == 407 and options.proxy is not None:
            raise _proxy_refused(options.proxy, resp.status_code, resp.reason_phrase)
        return RawResponse(resp.status_code, resp.reason_phrase, resp.headers, data)

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> StreamResponse:
        probe = None if self._line_pools else _Probe()
        request = self._request(
            method, url, headers, body, options, options.timeouts.stream_read, probe
        )
        gate = self._gate
        scope = TimeLimit(limit)
        started = anyio.current_time() if gate is not None else 0.0
        in_line = gate is not None
        try:
            with scope:
                if gate is not None:
                    await _enter(gate, options.timeouts.pool)
                    in_line = False
                try:
                    resp = await self.client.send(
                        request,
                        stream=True,
                        follow_redirects=options.follow_redirects,
                        **({"auth": options.auth} if options.auth is not None else {}),
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
        if resp.status_code == 407 and options.proxy is not None:
            await stream.aclose()
            raise _proxy_refused(options.proxy, resp.status_code, resp.reason_phrase)
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


async def _enter(gate: anyio.Semaphore, wait: float | None) -> None:
    """Take a place in the pool's line; the pool timeout bounds the wait, as in httpx
    (running out raises ``TimeoutError``: the caller names the full pool)."""
    if wait is None:
        await gate.acquire()
        return
    with TimeLimit(wait):
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
    redact_chain(exc, redacted)
    before = phase == 0
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return transport_error(ConnectTimeout, text, exc, retryable=True)
    if isinstance(exc, httpx.PoolTimeout):
        return transport_error(PoolTimeout, text, exc, retryable=True)
    if isinstance(exc, httpx.WriteTimeout):
        return transport_error(
            WriteTimeout, f"timed out sending the request ({text})", exc, retryable=True
        )
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
