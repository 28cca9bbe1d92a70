"""aiohttp backend: one long-lived ``ClientSession`` per transport key and loop.

Our sessions: a bounded ``TCPConnector`` carrying the key's SSL context, no
cookie jar (``DummyCookieJar``: nothing a server sets leaks into another
request), ``trust_env=False`` (proxies were resolved once, into the key, and
are passed per request). Exceptions are translated in :func:`map_aiohttp_error`
and nowhere else.

Requests beyond the connector's limit wait in a line in front of it
(:class:`_Line`). aiohttp's own waiting room lets a request that arrives while
a connection is being handed back take it first, so under sustained load the
requests that had to wait can wait until their connect timeout; our line is
first come, first served (a place given back goes to the first one waiting). The wait counts against the
connect timeout, as a wait for aiohttp's pool does, and against the attempt's
time limit; running out of either there raises ``PoolTimeout``.
"""

from __future__ import annotations

import asyncio
import contextvars
import errno
import io
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from .._keys import DEFAULT_CONNECT_TIMEOUT, ProxyConfig, SendOptions, TLSConfig, TransportKey
from .._ssl import ssl_for
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
from ._line import _enter, _Line
from .base import (
    WRITE_PIECE,
    AsyncBackend,
    EndingStream,
    RawResponse,
    StreamResponse,
    WriteStalled,
    redact_chain,
    redacted_headers,
    send_in_pieces,
    transport_error,
)

__all__ = ("AiohttpBackend", "map_aiohttp_error")

logger = logging.getLogger("genai_async")

# Set when the connector opened a new connection for the current request, so a
# failure can be told apart from a stale keep-alive connection.
_NEW_CONNECTION: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "genai_async_new_connection", default=False
)
_STALE_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


def _ssl_arg(tls: TLSConfig) -> Any:
    """aiohttp's ``ssl=``: a pinned certificate digest becomes an ``aiohttp.Fingerprint``."""
    if tls.fingerprint is not None and tls.context is None:
        return aiohttp.Fingerprint(tls.fingerprint)
    return ssl_for(tls, "aiohttp")


# The one patch of aiohttp's private surface: TCPConnector._create_connection is the
# hook through which aiohttp opens every new connection. When it is missing (a future
# aiohttp), no failure may count as a stale keep-alive connection, or a POST that
# failed on a fresh connection would be re-sent: reused_connection() then says "new".
_HOOK_ACTIVE = callable(getattr(aiohttp.TCPConnector, "_create_connection", None))
if not _HOOK_ACTIVE:
    logger.debug(
        "aiohttp %s has no TCPConnector._create_connection: stale-connection re-sends are off",
        aiohttp.__version__,
    )


class _Connector(aiohttp.TCPConnector):
    """A TCPConnector that marks requests served by a freshly opened connection."""

    async def _create_connection(self, *args: Any, **kwargs: Any) -> Any:
        proto = await super()._create_connection(*args, **kwargs)
        _NEW_CONNECTION.set(True)
        return proto


def reused_connection() -> bool:
    """Whether the current request went out on a kept-alive connection."""
    return _HOOK_ACTIVE and not _NEW_CONNECTION.get()


class _Stream(EndingStream):
    __slots__ = ("_gate", "_resp")

    def __init__(self, resp: aiohttp.ClientResponse, gate: _Line | None) -> None:
        super().__init__()
        self._resp = resp
        self._gate = gate  # held until the body has arrived or the stream is closed
        self.status = resp.status
        self.reason = resp.reason
        self.headers = resp.headers
        # aiohttp reads ahead of us and hands the connection back to its pool the
        # moment the body is complete (ClientResponse._response_eof); the place in
        # our line goes back with it, read or not.
        resp.content.on_eof(self._eof)

    def _eof(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.leave()
        self._tell_ended()

    async def read_chunk(self) -> bytes:
        try:
            return await self._resp.content.readany()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise map_aiohttp_error(exc, phase=1) from exc

    async def aclose(self) -> None:
        resp = self._resp
        try:
            if resp.content.at_eof():
                resp.release()
            else:
                resp.close()  # unread body: the connection cannot be reused
        finally:
            gate, self._gate = self._gate, None
            if gate is not None:
                gate.leave()


class AiohttpBackend(AsyncBackend):
    name = "aiohttp"

    def __init__(self, key: TransportKey) -> None:
        borrowed = key.borrowed
        self._gate: _Line | None = None
        self._loop = asyncio.get_running_loop()
        self._timeouts: dict[
            tuple[float | None, float | None, float | None], aiohttp.ClientTimeout
        ] = {}
        self._request_kwargs: dict[SendOptions, dict[str, Any]] = {}
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
                ssl=_ssl_arg(key.tls),
            )
            if limits.max_connections and not limits.max_connections_per_host:
                self._gate = _Line(limits.max_connections, self._loop)
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

    def _kwargs(self, options: SendOptions) -> dict[str, Any]:
        """aiohttp's per-request keyword arguments for ``options`` (memoised)."""
        kwargs = self._request_kwargs.get(options)
        if kwargs is None:
            kwargs = dict(options.aiohttp_kwargs)
            if not options.follow_redirects:
                kwargs["allow_redirects"] = False
            if options.max_redirects is not None:
                kwargs["max_redirects"] = options.max_redirects
            if options.tls is not None:
                kwargs["ssl"] = _ssl_arg(options.tls)
            proxy = options.proxy
            if proxy is not None:
                kwargs["proxy"] = proxy.url
                if options.proxy_headers:
                    kwargs["proxy_headers"] = dict(options.proxy_headers)
            if len(self._request_kwargs) < 512:
                self._request_kwargs[options] = kwargs
        return kwargs

    def _timeout(
        self, total: float | None, options: SendOptions, read: float | None
    ) -> aiohttp.ClientTimeout:
        """aiohttp's timeout for an attempt of at most ``total`` seconds (memoised)."""
        connect = options.timeouts.connect
        if total is not None and total < connect:
            connect = total
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
        options: SendOptions,
        limit: float | None,
    ) -> RawResponse:
        _NEW_CONNECTION.set(False)
        phase = 0
        gate = self._gate
        try:
            read = options.timeouts.read
            timeout = self._timeout(limit, options, read)
            if gate is not None:
                pool = options.timeouts.pool
                waited = await _enter(gate, pool if limit is None else min(pool, limit))
                if waited and limit is not None:
                    timeout = self._timeout(max(limit - waited, 0.001), options, read)
            try:
                async with self.session.request(
                    method,
                    url,
                    headers=headers,
                    data=_payload(body, options.timeouts.write),
                    timeout=timeout,
                    **self._kwargs(options),
                ) as resp:
                    phase = 1
                    data = await resp.read()
                    raw = RawResponse(resp.status, resp.reason, resp.headers, data)
            finally:
                if gate is not None:
                    gate.leave()
        except PoolTimeout:
            raise
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise map_aiohttp_error(exc, phase, reused=reused_connection()) from exc
        if raw.status == 407 and options.proxy is not None:
            raise _proxy_refused(options.proxy, raw.status, raw.reason)
        return raw

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> StreamResponse:
        _NEW_CONNECTION.set(False)
        timeout = self._timeout(None, options, options.timeouts.stream_read)
        gate = self._gate
        started = self._loop.time()
        in_line = [gate is not None]  # cleared once a place is taken
        try:
            if limit is None:
                resp = await self._open(method, url, headers, body, options, timeout, in_line)
            else:
                async with asyncio.timeout(limit):
                    resp = await self._open(method, url, headers, body, options, timeout, in_line)
        except PoolTimeout:
            raise
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            if gate is not None and in_line[0] and isinstance(exc, TimeoutError):
                raise gate.full(self._loop.time() - started) from None
            raise map_aiohttp_error(exc, 0, reused=reused_connection()) from exc
        stream = _Stream(resp, self._gate)  # gives the place in line back when closed
        if resp.status == 407 and options.proxy is not None:
            await stream.aclose()
            raise _proxy_refused(options.proxy, resp.status, resp.reason)
        return stream

    async def _open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        timeout: aiohttp.ClientTimeout,
        in_line: list[bool],
    ) -> aiohttp.ClientResponse:
        """Take a place in line and send; the place is held by the response's stream."""
        gate = self._gate
        if gate is not None:
            await _enter(gate, options.timeouts.pool)
            in_line[0] = False
        try:
            return await self.session.request(
                method,
                url,
                headers=headers,
                data=_payload(body, options.timeouts.write),
                timeout=timeout,
                **self._kwargs(options),
            )
        except BaseException:
            if gate is not None:
                gate.leave()
            raise

    async def aclose(self) -> None:
        if self._gate is not None:
            self._gate.close()
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


def _redacted(value: Any) -> Any | None:
    """A credential-free replacement for what aiohttp keeps on its exceptions: the
    request's headers (``RequestInfo``), the proxy's password (a connection key's
    ``proxy_auth``); read-only header proxies become plain multidicts, which pickle.
    ``None`` for anything else (see :func:`.base.redact_chain`)."""
    if isinstance(value, aiohttp.RequestInfo):
        headers: Any = CIMultiDict(redacted_headers(value.headers.items()))
        return aiohttp.RequestInfo(value.url, value.method, headers, value.real_url)
    if isinstance(value, CIMultiDictProxy):
        return CIMultiDict(value)
    if (
        isinstance(value, tuple)
        and getattr(value, "proxy_auth", None) is not None
        and hasattr(value, "_replace")
    ):
        return value._replace(proxy_auth=None)
    return None


def map_aiohttp_error(exc: BaseException, phase: int, *, reused: bool = False) -> TransportError:
    """The genai_async error for an aiohttp failure. ``phase`` 0: before the response
    headers; 1: while reading the body."""
    redact_chain(exc, _redacted)
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
    if isinstance(exc, WriteStalled):
        return transport_error(
            WriteTimeout, f"timed out sending the request ({exc})", exc, retryable=True
        )
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


_LARGE_BODY = 1 << 20
"""aiohttp writes bytes bodies above this in one blocking call (and warns); larger
bodies go as a BytesIO payload, which it writes in pieces."""


class _TimedBody(aiohttp.payload.Payload):
    """A bytes body written in pieces, each bounded by the write timeout: aiohttp has
    no write timeout of its own (its read timer starts once the body is sent)."""

    _value: bytes

    def __init__(self, value: bytes, limit: float) -> None:
        super().__init__(value, content_type="application/octet-stream")
        self._size = len(value)
        self._limit = limit

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return self._value.decode(encoding, errors)

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        data = self._value if content_length is None else self._value[:content_length]
        await send_in_pieces(writer.write, data, self._limit)


def _payload(body: bytes | None, write: float | None) -> bytes | io.BytesIO | _TimedBody | None:
    if body is None:
        return None
    if write is not None and len(body) > WRITE_PIECE:
        return _TimedBody(body, write)
    if len(body) > _LARGE_BODY:
        return io.BytesIO(body)
    return body
