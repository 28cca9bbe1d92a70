"""Sync httpx backend: a blocking ``httpx.Client`` driven from worker threads.

Serves transport keys with backend ``"httpx-sync"``: the sync calls of
``genai_async.Client`` when the user handed over sync httpx objects (an
``httpx.Client`` as ``httpx_client``, or a sync ``transport`` / ``mounts`` /
``event_hooks`` in ``client_args``). The async core drives it like any other
backend, so retries, deadlines and error mapping stay the one async
implementation; each blocking httpx call runs in an anyio worker thread (in
the caller's context, so event hooks see its ``contextvars``).

A borrowed ``httpx.Client`` is used as given and never closed. A client built
here mirrors ``httpx.py``: no cookie persistence, ``trust_env=False`` (proxies
and CA bundle were resolved into the key), per-request proxy routing, and it
never closes a transport it was handed.

Cancellation. A blocking call cannot be interrupted, so the worker is
abandoned: the awaiting task (cancelled, or past its ``limit``) returns at once,
and the worker finishes in the background, bounded by the per-phase httpx
timeouts derived from the limit, then releases its connection itself. A stream
read that is abandoned shuts its HTTP/1.1 socket down so the worker wakes and
closes the response; a stream opened after its caller left is closed at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from typing import Any

import anyio
import anyio.to_thread
import httpx

from .._keys import DEFAULT_LIMITS, ProxyConfig, SendOptions, TransportKey
from ._httpx_common import (
    PROXY_EXT,
    client_kwargs,
    limits_for,
    pooled_connections,
    proxy_for,
    route,
    timeout_for,
    verify_for,
)
from .base import AsyncBackend, RawResponse, StreamResponse
from .httpx import map_httpx_error

__all__ = ("HttpxSyncBackend",)

_ERRORS = (httpx.HTTPError, httpx.StreamError, OSError, TimeoutError)


class _ProxyRouter(httpx.BaseTransport):
    """Sends each request direct or through the proxy its settings resolved to."""

    def __init__(self, direct: httpx.BaseTransport, factory: Any) -> None:
        self._direct = direct
        self._factory = factory
        self._proxied: dict[ProxyConfig, httpx.BaseTransport] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:  # worker threads share the router
            transport = route(request, self._proxied, self._factory) or self._direct
        return transport.handle_request(request)

    def close(self) -> None:
        self._direct.close()
        for transport in list(self._proxied.values()):
            transport.close()


class _Probe:
    """httpcore trace hook: notes whether this request opened a new connection."""

    __slots__ = ("new_connection",)

    def __init__(self) -> None:
        self.new_connection = False

    def __call__(self, event: str, info: Any) -> None:
        if event == "connection.connect_tcp.started":
            self.new_connection = True


class _Job:
    """One blocking exchange, run in a worker thread."""

    __slots__ = (
        "abandoned",
        "backend",
        "body",
        "cap",
        "headers",
        "lock",
        "method",
        "options",
        "phase",
        "probe",
        "read",
        "response",
        "url",
    )

    def __init__(
        self,
        backend: HttpxSyncBackend,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        read: float | None,
        cap: float | None,
    ) -> None:
        self.backend = backend
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.options = options
        self.read = read
        self.cap = cap
        self.phase = 0
        self.probe = _Probe()
        self.lock = threading.Lock()
        self.abandoned = False
        self.response: httpx.Response | None = None

    def _send(self) -> httpx.Response:
        options = self.options
        backend = self.backend
        extensions: dict[str, Any] = {"trace": self.probe}
        if options.proxy is not None:
            extensions[PROXY_EXT] = options.proxy
        client = backend.client
        request = client.build_request(
            self.method,
            self.url,
            headers=self.headers,
            content=self.body,
            timeout=timeout_for(backend.timeouts, options.timeouts, self.read, self.cap),
            extensions=extensions,
        )
        return client.send(
            request,
            stream=True,
            follow_redirects=options.follow_redirects,
            **({"auth": options.auth} if options.auth is not None else {}),
        )

    def unary(self) -> RawResponse:
        resp = self._send()
        self.phase = 1
        try:
            data = resp.read()
        finally:
            resp.close()
        return RawResponse(resp.status_code, resp.reason_phrase, resp.headers, data)

    def open(self) -> httpx.Response:
        resp = self._send()
        with self.lock:
            if not self.abandoned:
                self.response = resp
                return resp
        resp.close()  # the caller left while we waited for the headers
        return resp

    def abandon(self) -> httpx.Response | None:
        """The awaiting task left: returns a response the worker already handed over."""
        with self.lock:
            self.abandoned = True
            resp, self.response = self.response, None
        return resp


class _Stream(StreamResponse):
    """A streaming response read chunk by chunk in worker threads."""

    __slots__ = ("_closed", "_iter", "_limiter", "_lock", "_reading", "_resp")

    def __init__(self, resp: httpx.Response, limiter: anyio.CapacityLimiter) -> None:
        self._resp = resp
        self._iter = resp.iter_bytes()
        self._limiter = limiter
        self._lock = threading.Lock()
        self._reading = False
        self._closed = False
        self.status = resp.status_code
        self.reason = resp.reason_phrase
        self.headers = resp.headers

    def _read(self) -> bytes:
        with self._lock:
            if self._closed:
                return b""
            self._reading = True
        try:
            return next(self._iter, b"")
        finally:
            with self._lock:
                self._reading = False
                close = self._closed
            if close:  # closed while we read: the response is ours to close
                _close_quietly(self._resp)

    async def read_chunk(self) -> bytes:
        try:
            return await anyio.to_thread.run_sync(
                self._read, abandon_on_cancel=True, limiter=self._limiter
            )
        except _ERRORS as exc:
            raise map_httpx_error(exc, phase=1) from exc

    async def aclose(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            reading = self._reading
        if reading:
            _interrupt(self._resp)  # the reader wakes up and closes the response
            return
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_close_quietly, self._resp, limiter=self._limiter)


def _close_quietly(resp: httpx.Response) -> None:
    try:
        resp.close()
    except Exception:  # closing after an interrupted read may fail; nothing to report
        pass


def _interrupt(resp: httpx.Response) -> None:
    """Wake a worker blocked reading ``resp``: shut its socket down (HTTP/1.1 only; an
    HTTP/2 connection carries other streams, so there the read runs to its timeout)."""
    if resp.http_version != "HTTP/1.1":
        return
    stream = resp.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class HttpxSyncBackend(AsyncBackend):
    """One sync ``httpx.Client`` (borrowed or built from the key), used from worker threads."""

    name = "httpx-sync"

    client: httpx.Client

    def __init__(self, key: TransportKey) -> None:
        self.timeouts: dict[tuple[float | None, ...], httpx.Timeout] = {}
        self._own_transport: httpx.BaseTransport | None = None
        limits = key.limits
        self._limiter = anyio.CapacityLimiter(
            limits.max_connections or DEFAULT_LIMITS.max_connections or 100
        )
        borrowed = key.borrowed
        if isinstance(borrowed, httpx.Client) or type(borrowed).__name__ == "Client":
            self.client = borrowed
            self.owned = False
            return
        session = dict(key.session_args)
        hx_limits = limits_for(limits)
        verify = verify_for(key.tls)

        def transport_for(proxy: ProxyConfig | None) -> httpx.HTTPTransport:
            return httpx.HTTPTransport(
                verify=verify,
                http1=key.http1,
                http2=key.http2,
                limits=hx_limits,
                trust_env=False,
                proxy=proxy_for(proxy),
            )

        transport: httpx.BaseTransport | None = borrowed
        if transport is None:
            direct = transport_for(None)
            transport = _ProxyRouter(direct, transport_for) if key.proxies is not None else direct
            self._own_transport = transport
        self.client = httpx.Client(**client_kwargs(session, transport))
        self.owned = True

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> RawResponse:
        read = options.timeouts.read
        if limit is not None and (read is None or limit < read):
            read = limit  # a worker abandoned by a cancelled call still ends in time
        job = _Job(self, method, url, headers, body, options, read, limit)
        scope = anyio.fail_after(limit) if limit is not None else contextlib.nullcontext()
        try:
            with scope:
                return await anyio.to_thread.run_sync(
                    job.unary, abandon_on_cancel=True, limiter=self._limiter
                )
        except _ERRORS as exc:
            raise map_httpx_error(exc, job.phase, reused=not job.probe.new_connection) from exc

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> StreamResponse:
        # The read timeout is the stream's longest silence; the limit bounds the headers.
        job = _Job(self, method, url, headers, body, options, options.timeouts.stream_read, limit)
        scope = anyio.fail_after(limit) if limit is not None else contextlib.nullcontext()
        try:
            with scope:
                resp = await anyio.to_thread.run_sync(
                    job.open, abandon_on_cancel=True, limiter=self._limiter
                )
        except BaseException as exc:
            late = job.abandon()
            if late is not None:
                _close_quietly(late)
            if isinstance(exc, _ERRORS):
                raise map_httpx_error(exc, 0, reused=not job.probe.new_connection) from exc
            raise
        return _Stream(resp, self._limiter)

    async def aclose(self) -> None:
        # Close only what was built here: never a borrowed client, transport or mount.
        transport, self._own_transport = self._own_transport, None
        if transport is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(transport.close, limiter=self._limiter)

    def connection_count(self) -> int | None:
        return pooled_connections(self.client, _ProxyRouter)
