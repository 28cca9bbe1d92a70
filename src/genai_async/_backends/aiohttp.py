"""aiohttp backend: one long-lived ``ClientSession`` per transport key and loop.

Our sessions: a bounded ``TCPConnector`` carrying the key's SSL context, no
cookie jar (``DummyCookieJar``: nothing a server sets leaks into another
request), ``trust_env=False`` (proxies were resolved once, into the key, and
are passed per request). Exceptions are translated in :func:`map_aiohttp_error`
and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextvars
import errno
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp

from .._ssl import ssl_for
from .._transport import DEFAULT_CONNECT_TIMEOUT, ProxyConfig, TransportKey
from ..errors import (
    ConnectError,
    ConnectTimeout,
    ProxyError,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    TLSVerificationError,
    TransportError,
)
from .base import AsyncBackend, RawResponse, StreamResponse, transport_error

__all__ = ("AiohttpBackend", "map_aiohttp_error")

logger = logging.getLogger("genai_async")

# Set when the connector opened a new connection for the current request, so a
# failure can be told apart from a stale keep-alive connection.
_NEW_CONNECTION: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "genai_async_new_connection", default=False
)
_STALE_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


class _Connector(aiohttp.TCPConnector):
    """A TCPConnector that marks requests served by a freshly opened connection."""

    async def _create_connection(self, req: Any, traces: Any, timeout: Any) -> Any:
        proto = await super()._create_connection(req, traces, timeout)
        _NEW_CONNECTION.set(True)
        return proto


class _Stream(StreamResponse):
    __slots__ = ("_resp",)

    def __init__(self, resp: aiohttp.ClientResponse) -> None:
        self._resp = resp
        self.status = resp.status
        self.reason = resp.reason
        self.headers = resp.headers

    async def read_chunk(self) -> bytes:
        try:
            return await self._resp.content.readany()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise map_aiohttp_error(exc, phase=1) from exc

    async def aclose(self) -> None:
        resp = self._resp
        if resp.content.at_eof():
            resp.release()
        else:
            resp.close()  # unread body: the connection cannot be reused


class AiohttpBackend(AsyncBackend):
    name = "aiohttp"

    def __init__(self, key: TransportKey) -> None:
        borrowed = key.borrowed
        self._loop = asyncio.get_running_loop()
        self._timeouts: dict[
            tuple[float | None, float | None, float | None], aiohttp.ClientTimeout
        ] = {}
        if isinstance(borrowed, aiohttp.ClientSession):
            self.session = borrowed
            self.owned = False
            self._connector = borrowed.connector
            return
        session_args = dict(key.session_args)
        if borrowed is not None:
            connector: aiohttp.BaseConnector = borrowed
        else:
            limits = key.limits
            connector = _Connector(
                limit=limits.max_connections or 0,
                limit_per_host=limits.max_connections_per_host or 0,
                keepalive_timeout=limits.keepalive_expiry if limits.keepalive_expiry else 15.0,
                ssl=ssl_for(key.tls, "aiohttp"),
            )
        self._connector = connector
        self.session = aiohttp.ClientSession(
            connector=connector,
            connector_owner=borrowed is None,
            cookie_jar=session_args.get("cookie_jar") or aiohttp.DummyCookieJar(),
            trust_env=False,
            timeout=aiohttp.ClientTimeout(total=None, connect=DEFAULT_CONNECT_TIMEOUT),
            trace_configs=list(session_args.get("trace_configs", ())) or None,
            middlewares=tuple(session_args.get("middlewares", ())),
            auto_decompress=True,
        )
        self.owned = True

    def is_usable_here(self) -> bool:
        loop = getattr(self.session, "_loop", None) or getattr(self._connector, "_loop", None)
        return loop is None or loop is asyncio.get_running_loop()

    def _kwargs(self, prep: Any) -> dict[str, Any]:
        cache = prep.backend_cache
        kwargs: dict[str, Any] | None = cache.get("aiohttp")
        if kwargs is None:
            extras = prep.extras
            kwargs = dict(extras.aiohttp_kwargs)
            if not extras.follow_redirects:
                kwargs["allow_redirects"] = False
            if extras.max_redirects is not None:
                kwargs["max_redirects"] = extras.max_redirects
            if extras.ssl_per_request:
                kwargs["ssl"] = ssl_for(prep.choice.base_key.tls, "aiohttp")
            proxy = prep.proxy
            if isinstance(proxy, ProxyConfig):
                kwargs["proxy"] = proxy.url
                proxy_headers = dict(proxy.headers)
                auth = proxy.basic_auth_header()
                if auth is not None and prep.settings.base_url.startswith("https:"):
                    proxy_headers["Proxy-Authorization"] = auth  # sent on CONNECT
                if proxy_headers:
                    kwargs["proxy_headers"] = proxy_headers
            cache["aiohttp"] = kwargs
        return kwargs

    def _timeout(
        self, total: float | None, prep: Any, idle: float | None = None
    ) -> aiohttp.ClientTimeout:
        extras = prep.extras
        connect = (
            extras.connect_timeout
            if extras.connect_timeout is not None
            else DEFAULT_CONNECT_TIMEOUT
        )
        if total is not None and total < connect:
            connect = total
        read = extras.read_timeout
        if idle is not None:
            read = idle if read is None else min(read, idle)
        key = (total, connect, read)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=total, connect=connect, sock_read=read)
            if len(self._timeouts) < 512:
                self._timeouts[key] = timeout
        return timeout

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
        limit: float | None,
    ) -> RawResponse:
        _NEW_CONNECTION.set(False)
        phase = 0
        try:
            async with self.session.request(
                method,
                url,
                headers=headers,
                data=body,
                timeout=self._timeout(limit, prep),
                **self._kwargs(prep),
            ) as resp:
                phase = 1
                data = await resp.read()
                raw = RawResponse(resp.status, resp.reason, resp.headers, data)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise map_aiohttp_error(exc, phase, reused=not _NEW_CONNECTION.get()) from exc
        if raw.status == 407 and isinstance(prep.proxy, ProxyConfig):
            raise _proxy_refused(prep.proxy, raw.status, raw.reason)
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
        _NEW_CONNECTION.set(False)
        timeout = self._timeout(None, prep, idle=prep.settings.timeout)
        try:
            if limit is None:
                resp = await self.session.request(
                    method, url, headers=headers, data=body, timeout=timeout, **self._kwargs(prep)
                )
            else:
                async with asyncio.timeout(limit):
                    resp = await self.session.request(
                        method,
                        url,
                        headers=headers,
                        data=body,
                        timeout=timeout,
                        **self._kwargs(prep),
                    )
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise map_aiohttp_error(exc, 0, reused=not _NEW_CONNECTION.get()) from exc
        if resp.status == 407 and isinstance(prep.proxy, ProxyConfig):
            resp.close()
            raise _proxy_refused(prep.proxy, resp.status, resp.reason)
        return _Stream(resp)

    async def aclose(self) -> None:
        if self.owned and not self.session.closed:
            await self.session.close()

    def connection_count(self) -> int | None:
        connector = self._connector
        if connector is None:
            return None
        acquired = getattr(connector, "_acquired", ())
        idle = getattr(connector, "_conns", {})
        return len(acquired) + sum(len(v) for v in idle.values())


def _proxy_refused(proxy: ProxyConfig, status: int, reason: str | None) -> ProxyError:
    """A plain-HTTP request the proxy answered with 407: the proxy's error, not the API's,
    and not retried (the same outcome as a refused HTTPS ``CONNECT``)."""
    err = ProxyError(f"the proxy {proxy.url} refused the request: {status} {reason or ''}".strip())
    err.retryable = False
    return err


def map_aiohttp_error(exc: BaseException, phase: int, *, reused: bool = False) -> TransportError:
    """The genai_async error for an aiohttp failure. ``phase`` 0: before the response
    headers; 1: while reading the body."""
    before = phase == 0
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return transport_error(TLSVerificationError, text, exc, retryable=False)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return transport_error(ProxyError, text, exc, retryable=exc.status != 407)
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return transport_error(ProxyError, text, exc, retryable=True)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return transport_error(ConnectTimeout, text, exc, retryable=True)
    if isinstance(exc, (aiohttp.ClientSSLError, aiohttp.ServerFingerprintMismatch)):
        return transport_error(ConnectError, text, exc, retryable=False)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return transport_error(ConnectError, text, exc, retryable=True)
    if isinstance(exc, asyncio.TimeoutError):
        message = (
            "timed out waiting for the response" if before else "timed out reading the response"
        )
        return transport_error(ReadTimeout, f"{message} ({text})", exc, retryable=before)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return transport_error(ReadError, text, exc, retryable=True, stale=before and reused)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return transport_error(ReadError, text, exc, retryable=True)
    if isinstance(exc, aiohttp.ClientOSError):
        stale = before and reused and exc.errno in _STALE_ERRNOS
        return transport_error(ReadError, text, exc, retryable=True, stale=stale)
    if isinstance(exc, aiohttp.ClientResponseError):
        return transport_error(RemoteProtocolError, text, exc, retryable=True)
    if isinstance(exc, aiohttp.TooManyRedirects):
        return transport_error(TransportError, text, exc, retryable=False)
    if isinstance(exc, aiohttp.InvalidURL):
        return transport_error(TransportError, text, exc, retryable=False)
    if isinstance(exc, OSError):
        return transport_error(ReadError, text, exc, retryable=True)
    return transport_error(TransportError, text, exc, retryable=False)
