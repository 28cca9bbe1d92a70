"""Native backend: HTTP/1.1 spoken over anyio byte streams, parsed by httptools.

Runs on asyncio, uvloop and trio. One pool per session: idle connections are
reused last-in first-out, requests waiting for a connection are served first
come first served, idle connections expire after the keep-alive time, and the
number of connections is capped. A connection belongs to the loop that opened
it. A request knows whether it went out on a reused connection, so a failure
before any response byte on one is reported ``stale`` (one re-send). A request
cancelled or failed at any point closes its connection; it is never reused.

Proxies: plain HTTP is forwarded (absolute-form request target, the proxy's
credentials on each request); HTTPS goes through a ``CONNECT`` tunnel (the
credentials on the ``CONNECT`` only) with TLS to the API inside it. Redirects
are followed as the httpx backend follows them. Errors are translated here,
into ``genai_async.errors``.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

import anyio
import anyio.abc
from anyio.streams.tls import TLSStream

from .._headers import Headers
from .._keys import ProxyConfig, ProxyRoutes, SendOptions, TransportKey
from .._ssl import ssl_for
from ..errors import (
    ConnectError,
    ConnectTimeout,
    ProxyError,
    ReadTimeout,
    TLSVerificationError,
    TransportError,
)
from ._native_conn import (
    Origin,
    _cert_failure,
    _Closed,
    _Conn,
    _map,
    _Pool,
    _proxy_error,
    _redirected,
    _tunnel,
    _unsupported,
)
from .base import (
    AsyncBackend,
    EndingStream,
    RawResponse,
    StreamResponse,
    TimeLimit,
    pool_timeout,
    send_in_pieces,
    transport_error,
)

__all__ = ("NativeBackend",)

_DEFAULT_MAX_REDIRECTS = 20  # as httpx
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Attempt:
    """One attempt's deadline, and since when it waits for room in the pool (if it does)."""

    __slots__ = ("deadline", "waiting_since")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.waiting_since: float | None = None


_AHEAD_MAX = 262144  # bytes a stream nobody reads may take in (aiohttp pauses at 128 KiB)
_AHEAD_WAIT = 0.05  # how long one read-ahead waits for more to arrive


class _Stream(EndingStream):
    """Reads when asked; the read that reaches the end of the body gives the
    connection back at once (the data read stays with the caller). While nobody
    reads, :meth:`read_ahead` takes in what has arrived, so a short response left
    unread gives its connection back too."""

    __slots__ = (
        "_ahead",
        "_backend",
        "_busy",
        "_conn",
        "_failed",
        "_idle",
        "_reading",
        "_scope",
    )

    drains = True

    def __init__(self, backend: NativeBackend, conn: _Conn, idle: float | None) -> None:
        super().__init__()
        self._backend = backend
        self._conn: _Conn | None = conn
        self._idle = idle
        self._busy: anyio.Event | None = None  # set while a read-ahead runs
        self._scope: anyio.CancelScope | None = None
        self._ahead = b""  # the rest of a body taken in by a read-ahead
        self._failed: TransportError | None = None
        self._reading = False
        self.status = conn.status
        self.reason = conn.reason
        self.headers = Headers(conn.headers)

    async def read_chunk(self) -> bytes:
        if self._busy is not None:
            await self._stop_reading_ahead()
        conn = self._conn
        if conn is None:
            data, self._ahead = self._ahead, b""
            failed = self._failed
            if not data and failed is not None:
                self._failed = None
                raise failed
            return data
        self._reading = True
        try:
            while not conn.pieces and not conn.done:
                if self._idle is None:
                    await conn.fill()
                else:
                    with TimeLimit(self._idle):
                        await conn.fill()
            data = conn.take()
        except BaseException as exc:
            self._conn = None
            await self._backend.drop(conn)
            if isinstance(exc, Exception):
                raise _map(exc, 1, reused=False) from exc
            raise
        finally:
            self._reading = False
        if conn.done:  # the end has arrived: the connection goes back, read on or not
            await self._end()
        return data

    async def read_ahead(self) -> None:
        conn = self._conn
        if conn is None or self._busy is not None or self._reading:
            return  # (a reader is waiting for bytes: it takes them itself)
        self._busy = busy = anyio.Event()
        try:
            with anyio.CancelScope() as self._scope:
                while not conn.done and sum(map(len, conn.pieces)) < _AHEAD_MAX:
                    with anyio.move_on_after(_AHEAD_WAIT) as waited:
                        await conn.fill()  # (cancelled only while waiting for bytes)
                    if waited.cancelled_caught:
                        break
                if conn.done:
                    self._ahead = conn.take()
                    await self._end()
        except Exception as exc:
            self._conn = None
            self._ahead = b"".join(conn.pieces)  # what arrived before the failure, then it
            await self._backend.drop(conn)
            self._failed = _map(exc, 1, reused=False)
            await self._end()  # the connection is gone: so is the stream's place
        finally:
            self._busy = self._scope = None
            busy.set()

    async def _end(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._backend.release(conn)
        self._tell_ended()

    async def _stop_reading_ahead(self) -> None:
        """A reader is back (or the stream closes): a read-ahead stops at once."""
        busy, scope = self._busy, self._scope
        if busy is not None:
            if scope is not None:
                scope.cancel()
            await busy.wait()

    async def aclose(self) -> None:
        if self._busy is not None:
            await self._stop_reading_ahead()
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._backend.release(conn)


class NativeBackend(AsyncBackend):
    """Our own HTTP/1.1 pool over anyio sockets."""

    name = "native"

    def __init__(self, key: TransportKey) -> None:
        if key.borrowed is not None:
            raise ValueError(
                "backend='native' cannot use a borrowed client, connector or transport"
            )
        routes = key.proxies
        if routes is not None:
            for proxy in (routes.http, routes.https):
                if proxy is not None and not proxy.url.startswith(("http://", "https://")):
                    raise ValueError(
                        "backend='native' routes through http:// and https:// proxies only: "
                        "use backend='httpx' for a SOCKS proxy"
                    )
        self._routes: ProxyRoutes | None = routes
        max_redirects = dict(key.session_args).get("max_redirects")
        self._max_redirects = (
            int(max_redirects) if max_redirects is not None else _DEFAULT_MAX_REDIRECTS
        )
        limits = key.limits
        self.pool = _Pool(
            limits.max_connections or 100, limits.keepalive_expiry, limits.max_keepalive_connections
        )
        self._tls = key.tls
        self._ssl: ssl.SSLContext | None = None
        if key.tls.context is not None:
            self._context()  # a user's context is claimed now, as the other backends do

    @property
    def client(self) -> _Pool:
        """The pool (the httpx backend's ``client``): it reads no environment."""
        return self.pool

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

    # -- connections ----------------------------------------------------------------

    async def drop(self, conn: _Conn) -> None:
        """Close a connection that cannot be reused (failed, cancelled, unread body)."""
        self.pool.discard(conn)
        await conn.close()

    async def release(self, conn: _Conn) -> None:
        """A response is finished with: keep its connection if it can serve another."""
        if conn.done and conn.keep:
            spare = self.pool.put_back(conn)
            if spare is not None:
                await spare.close()
        else:
            await self.drop(conn)

    async def _checkout(self, origin: Origin, options: SendOptions, attempt: _Attempt) -> _Conn:
        """A connection to ``origin``: an idle one, or a new one once the pool has room.
        The wait for room is bounded by the pool timeout (by default the connect
        timeout, as on the aiohttp backend) and by the attempt's time limit; running
        out of either raises ``PoolTimeout``."""
        pool = self.pool
        started = anyio.current_time()
        wait = min(options.timeouts.pool, attempt.deadline - started)
        attempt.waiting_since = started
        try:
            conn = await pool.acquire(origin, wait)
        except TimeoutError:
            raise pool_timeout(pool.cap, pool.held, anyio.current_time() - started) from None
        attempt.waiting_since = None  # (left set when the attempt's limit ends the wait)
        if conn is not None:
            return conn
        try:
            conn = await self._open(origin, options.timeouts.connect)
        except BaseException:
            pool.cancel_slot()
            raise
        pool.add(conn)
        return conn

    async def _open(self, origin: Origin, timeout: float) -> _Conn:
        scheme, host, port, proxy = origin
        where = f"{host}:{port}" if proxy is None else f"{host}:{port} through {proxy.url}"
        try:
            with TimeLimit(timeout):
                if proxy is not None:
                    stream = await self._through(proxy, scheme, host, port)
                elif scheme == "https":
                    stream = await anyio.connect_tcp(
                        host,
                        port,
                        ssl_context=self._context(),
                        tls_hostname=host,
                        tls_standard_compatible=False,
                    )
                else:
                    stream = await anyio.connect_tcp(host, port)
        except TransportError:
            raise
        except TimeoutError as exc:
            raise transport_error(
                ConnectTimeout, f"timed out connecting to {where}", exc, retryable=True
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise transport_error(
                TLSVerificationError, f"{type(exc).__name__}: {exc}", exc, retryable=False
            ) from exc
        except ssl.SSLError as exc:
            raise transport_error(
                ConnectError, f"{type(exc).__name__}: {exc}", exc, retryable=False
            ) from exc
        except (OSError, anyio.BrokenResourceError, anyio.EndOfStream) as exc:
            cert = _cert_failure(exc)
            if cert is not None:
                raise transport_error(
                    TLSVerificationError, f"{cert}", exc, retryable=False
                ) from exc
            text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise transport_error(
                ConnectError, f"connecting to {where}: {text}", exc, retryable=True
            ) from exc
        return _Conn(stream, origin)

    async def _through(
        self, proxy: ProxyConfig, scheme: str, host: str, port: int
    ) -> anyio.abc.ByteStream:
        """A stream to the proxy (plain HTTP: requests are forwarded on it), or a
        ``CONNECT`` tunnel through it with TLS to ``host`` inside (HTTPS)."""
        parts = urlsplit(proxy.url)
        proxy_host = parts.hostname or ""
        proxy_tls = parts.scheme == "https"
        proxy_port = parts.port or (443 if proxy_tls else 80)
        try:
            if proxy_tls:
                link: anyio.abc.ByteStream = await anyio.connect_tcp(
                    proxy_host,
                    proxy_port,
                    ssl_context=self._context(),
                    tls_hostname=proxy_host,
                    tls_standard_compatible=False,
                )
            else:
                link = await anyio.connect_tcp(proxy_host, proxy_port)
        except (OSError, anyio.BrokenResourceError) as exc:
            if _cert_failure(exc) is not None or isinstance(exc, ssl.SSLError):
                raise
            text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise transport_error(
                ProxyError, f"cannot reach the proxy {proxy.url}: {text}", exc, retryable=True
            ) from exc
        if scheme != "https":
            return link
        try:
            await _tunnel(link, proxy, host, port)
            return await TLSStream.wrap(
                link,
                hostname=host,
                ssl_context=self._context(),
                standard_compatible=False,
            )
        except BaseException:
            await anyio.aclose_forcefully(link)
            raise

    # -- requests -------------------------------------------------------------------

    async def _exchange(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        proxy: ProxyConfig | None,
        attempt: _Attempt,
    ) -> _Conn:
        """Send one request and read up to its response headers."""
        parts = urlsplit(url)
        scheme = parts.scheme
        if scheme not in ("http", "https"):
            raise _unsupported(url)
        host = parts.hostname or ""
        default_port = 443 if scheme == "https" else 80
        port = parts.port or default_port
        forward = proxy is not None and scheme == "http"
        conn = await self._checkout((scheme, host, port, proxy), options, attempt)
        reused = conn.served > 0
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        hostport = host if port == default_port else f"{host}:{port}"
        if ":" in host:
            hostport = f"[{host}]" if port == default_port else f"[{host}]:{port}"
        if forward:
            target = f"{scheme}://{hostport}{target}"
        names = set()
        lines = []
        for name, value in headers.items():
            lower = name.lower()
            if lower == "proxy-authorization" and self._routes is not None:
                continue  # only the proxy's own credentials, and only to a forwarding proxy
            if lower == "host":
                hostport = value
                continue
            names.add(lower)
            lines.append(f"{name}: {value}\r\n")
        if forward:
            assert proxy is not None
            lines.extend(f"{name}: {value}\r\n" for name, value in proxy.headers)
            auth = proxy.basic_auth_header()
            if auth is not None and not any(
                n.lower() == "proxy-authorization" for n, _ in proxy.headers
            ):
                lines.append(f"Proxy-Authorization: {auth}\r\n")
        if "accept-encoding" not in names:
            lines.append("Accept-Encoding: gzip, deflate\r\n")
        if "content-length" not in names and (
            body is not None or method in ("POST", "PUT", "PATCH")
        ):
            lines.append(f"Content-Length: {len(body or b'')}\r\n")
        lines.append("\r\n")
        head = f"{method} {target} HTTP/1.1\r\nHost: {hostport}\r\n{''.join(lines)}"
        data = head.encode("latin-1")
        try:
            data = data + body if body else data
            write_timeout = options.timeouts.write
            if write_timeout is None:
                await conn.stream.send(data)
            else:
                await send_in_pieces(conn.stream.send, data, write_timeout)
            read_timeout = options.timeouts.read  # per read, as aiohttp's and httpx's
            while not conn.headers_done:
                if read_timeout is None:
                    await conn.fill()
                else:
                    with TimeLimit(read_timeout):
                        await conn.fill()
        except BaseException as exc:
            await self.drop(conn)
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
        if method == "HEAD" and not conn.done:
            conn.no_body()
        return conn

    async def _head(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        attempt: _Attempt,
        idle: float | None,
    ) -> _Conn:
        """Send the request, following redirects as httpx does, up to the headers of
        the final response."""
        proxy = options.proxy
        hops = 0
        most = options.max_redirects if options.max_redirects is not None else self._max_redirects
        while True:
            conn = await self._exchange(method, url, headers, body, options, proxy, attempt)
            status = conn.status
            if status == 407 and proxy is not None and url.startswith("http:"):
                await self.drop(conn)
                raise _proxy_refused(proxy, status, conn.reason)
            if status not in _REDIRECTS or not options.follow_redirects:
                return conn
            location = conn.header("location")
            if location is None:
                return conn
            await self._discard_body(conn, idle)
            hops += 1
            if hops > most:
                err = TransportError(f"exceeded the maximum of {most} redirects")
                err.retryable = False
                raise err
            method, url, headers, body = _redirected(status, method, url, location, headers, body)
            if self._routes is not None:
                parts = urlsplit(url)
                proxy = self._routes.for_origin(parts.scheme, parts.hostname or "", parts.port)

    async def _discard_body(self, conn: _Conn, idle: float | None) -> None:
        """Read a redirect's body to its end and give the connection back."""
        await self._read_body(conn, idle)
        conn.take()
        await self.release(conn)

    async def _read_body(self, conn: _Conn, idle: float | None) -> None:
        try:
            while not conn.done:
                if idle is None:
                    await conn.fill()
                else:
                    with TimeLimit(idle):
                        await conn.fill()
        except BaseException as exc:
            await self.drop(conn)
            if isinstance(exc, Exception):
                raise _map(exc, 1, reused=False) from exc
            raise

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> RawResponse:
        idle = options.timeouts.read
        phase = 0
        try:
            with TimeLimit(limit) as scope:
                attempt = _Attempt(scope.deadline)
                conn = await self._head(method, url, headers, body, options, attempt, idle)
                phase = 1
                await self._read_body(conn, idle)
        except TransportError:
            raise
        except TimeoutError as exc:
            self._full(attempt)
            message = (
                "timed out waiting for the response"
                if phase == 0
                else "timed out reading the response"
            )
            raise transport_error(ReadTimeout, message, exc, retryable=phase == 0) from exc
        raw = RawResponse(conn.status, conn.reason, Headers(conn.headers), conn.take())
        await self.release(conn)
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
        idle = options.timeouts.stream_read
        try:
            with TimeLimit(limit) as scope:
                attempt = _Attempt(scope.deadline)
                conn = await self._head(method, url, headers, body, options, attempt, idle)
        except TransportError:
            raise
        except TimeoutError as exc:
            self._full(attempt)
            raise transport_error(
                ReadTimeout, "timed out waiting for the response", exc, retryable=True
            ) from exc
        return _Stream(self, conn, idle)

    def _full(self, attempt: _Attempt) -> None:
        """The attempt's time limit ran out: while it waited for room in the pool, that
        is a ``PoolTimeout`` (not a timeout about the host), as on the other backends."""
        since = attempt.waiting_since
        if since is not None:
            pool = self.pool
            raise pool_timeout(pool.cap, pool.held, anyio.current_time() - since) from None

    async def aclose(self) -> None:
        for conn in self.pool.close():
            await conn.close()

    def connection_count(self) -> int | None:
        return len(self.pool.conns)


def _proxy_refused(proxy: ProxyConfig, status: int, reason: str | None) -> ProxyError:
    """A plain-HTTP request the proxy answered with 407 (as on the other backends)."""
    return _proxy_error(
        f"the proxy {proxy.url} refused the request: {status} {reason or ''}".strip(),
        retryable=False,
    )
