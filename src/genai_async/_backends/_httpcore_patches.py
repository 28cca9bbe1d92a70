"""Every patch of httpcore's private state, in one place, behind one version check.

Place in the layering: inside ``_backends``; imported only by the httpx
backend, and applied only to transports and pools genai_async builds itself
(a user's own httpx objects are never touched). Each patch is a class swap on
httpcore 1.0's private pool and connection state, so each is applied only when
the installed httpcore is in :data:`SUPPORTED` (the range pinned in
``pyproject.toml``); otherwise httpcore's own logic runs and a DEBUG line
says which patch was left out. ``tests/test_library_patches.py`` proves each
one is active on the pinned version.

* :func:`reset_abandoned_streams` (HTTP/2): reset streams httpcore abandons
  (encode/httpcore#943) and finish frame writes under a shield.
* :func:`assign_in_one_pass` (HTTP/1.1): :class:`_LinePool`'s single-pass
  assignment of connections to the (line-bounded) waiting requests.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from typing import Any

import anyio
import httpcore
import httpx

__all__ = (
    "NEW_CONNECTION_EXT",
    "SUPPORTED",
    "assign_in_one_pass",
    "patches_supported",
    "reset_abandoned_streams",
)

logger = logging.getLogger("genai_async")

SUPPORTED = ((1, 0, 9), (1, 1, 0))
"""httpcore versions the patches were written against: ``>= 1.0.9, < 1.1``."""

NEW_CONNECTION_EXT = "genai_async.new_connection"
"""Request extension a :class:`_LinePool` sets: was the connection opened for it."""


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def patches_supported(version: str | None = None) -> bool:
    """Whether the installed (or given) httpcore version is one the patches fit."""
    low, high = SUPPORTED
    return low <= _version(version or httpcore.__version__) < high


_SKIPPED: set[str] = set()


def _skip(patch: str, why: str) -> None:
    if patch not in _SKIPPED:
        _SKIPPED.add(patch)
        logger.debug("httpcore patch %s not applied: %s (httpcore's own logic runs)", patch, why)


def reset_abandoned_streams(transport: httpx.AsyncHTTPTransport) -> None:
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
    if not patches_supported():
        return _skip("reset_abandoned_streams", f"httpcore {httpcore.__version__} is not supported")
    pool = getattr(transport, "_pool", None)
    if pool is None or not isinstance(pool, httpcore.AsyncConnectionPool):
        return _skip("reset_abandoned_streams", f"unexpected pool {type(pool).__name__}")
    pool.__class__ = _mixed(type(pool), _ResettingPool)


def assign_in_one_pass(transport: httpx.AsyncHTTPTransport) -> bool:
    """Give our own HTTP/1.1 ``transport`` the pool logic of :class:`_LinePool`;
    False when its pool is not the httpcore 1.0 pool that logic was written for."""
    if not patches_supported():
        _skip("assign_in_one_pass", f"httpcore {httpcore.__version__} is not supported")
        return False
    pool = getattr(transport, "_pool", None)
    if type(pool) is httpcore.AsyncConnectionPool and all(
        hasattr(pool, name)
        for name in ("_connections", "_requests", "_max_connections", "_max_keepalive_connections")
    ):
        pool.__class__ = _mixed(type(pool), _LinePool)
        return True
    _skip("assign_in_one_pass", f"unexpected pool {type(pool).__name__}")
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
            pool_request.request.extensions[NEW_CONNECTION_EXT] = new
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
