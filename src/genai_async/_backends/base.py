"""The backend interface: send a request, open a stream, close the session.

Backends know nothing of retries, URLs or the API; the client drives them.
Each call gets a frozen :class:`~genai_async._keys.SendOptions` (the role's
resolved timeouts, proxy, redirects, auth, library keyword arguments) and
``limit``: the seconds this attempt may take in all (a stream's up to its
headers), already shrunk by any deadline.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any

import anyio

from .._headers import SECRET_HEADERS
from .._keys import SendOptions
from ..errors import PoolTimeout, TransportError

__all__ = (
    "WRITE_PIECE",
    "AsyncBackend",
    "EndingStream",
    "RawResponse",
    "StreamResponse",
    "TimeLimit",
    "WriteStalled",
    "new_line",
    "pool_timeout",
    "redact_chain",
    "redacted_headers",
    "send_in_pieces",
    "transport_error",
)

#: Request headers whose values never travel with an error (its cause chain included).
_REDACTED = "[redacted]"


class RawResponse:
    """A complete response: status, headers (case-insensitive mapping) and body."""

    __slots__ = ("body", "headers", "reason", "status")

    def __init__(self, status: int, reason: str | None, headers: Mapping[str, str], body: bytes):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body


class StreamResponse:
    """A response whose body is read incrementally."""

    __slots__ = ("headers", "reason", "status")

    status: int
    reason: str | None
    headers: Mapping[str, str]

    async def read_chunk(self) -> bytes:
        """The next piece of the body; ``b""`` at the end."""
        raise NotImplementedError

    async def read_all(self) -> bytes:
        parts = []
        while chunk := await self.read_chunk():
            parts.append(chunk)
        return b"".join(parts)

    async def aclose(self) -> None:
        """Release the connection; closes it if the body was not read to the end."""
        raise NotImplementedError

    #: Whether :meth:`read_ahead` takes in what arrives while nobody reads.
    drains = False

    async def read_ahead(self) -> None:
        """Nobody has read for a while: take in what has arrived (a bounded amount),
        and once that reaches the end of the body give the connection back (the
        :meth:`when_ended` callback). For a transport that reads only when asked
        (``drains``); the default does nothing."""

    def when_ended(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (on the loop) once the transport has read the end of
        the body and given its connection and place in line back, whether or not
        anyone reads further; at once if that has happened. The default never calls
        it (see :class:`EndingStream`)."""


class EndingStream(StreamResponse):
    """A stream whose transport gives the connection back when it reads the end of
    the body, and says so to :meth:`when_ended` through :meth:`_tell_ended`."""

    __slots__ = ("_ended", "_on_end")

    def __init__(self) -> None:
        self._ended = False
        self._on_end: Callable[[], None] | None = None

    def when_ended(self, callback: Callable[[], None]) -> None:
        if self._ended:
            callback()
        else:
            self._on_end = callback

    def _tell_ended(self) -> None:
        """The end of the body is in and the connection is back."""
        self._ended = True
        callback, self._on_end = self._on_end, None
        if callback is not None:
            callback()


class AsyncBackend:
    """One pooled session (an aiohttp ``ClientSession`` or an httpx ``AsyncClient``)."""

    name = "base"
    owned = True

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> RawResponse:
        raise NotImplementedError

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> StreamResponse:
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError

    def connection_count(self) -> int | None:
        """Open connections of the pool, when the library exposes them."""
        return None

    def is_usable_here(self) -> bool:
        """False when a borrowed object belongs to another event loop."""
        return True


def transport_error(
    cls: type[TransportError],
    message: str,
    cause: BaseException,
    *,
    retryable: bool,
    stale: bool = False,
) -> TransportError:
    """Build a library error: ``retryable`` under a retry policy; ``stale`` when the
    failure looks like a reused keep-alive connection closed before any response.
    A backend whose library keeps credentials on its exceptions redacts ``cause``
    first (:func:`redact_chain`)."""
    err = cls(message)
    err.retryable = retryable
    err.stale = stale
    err.__cause__ = cause
    return err


WRITE_PIECE = 256 * 1024
"""With a write timeout, a body goes out in pieces of this size, each of which the
connection must take within the limit (httpx bounds each socket write the same way),
so a slow but moving upload of a large chunk is not cut off while a stalled one is."""


class TimeLimit:
    """``with TimeLimit(seconds):`` raises ``TimeoutError`` when the block runs longer,
    as ``anyio.fail_after`` does, for a fraction of its cost: one cancel scope, entered
    directly (no generator-based context managers around it), and no scope at all for
    no limit (``None`` or infinite). On trio every cancel scope costs microseconds, and
    a request waiting for a connection holds its scopes' objects for as long as it
    waits, so the garbage collector walks them too. ``deadline`` is the limit on
    ``anyio.current_time()``'s clock (``math.inf``: none)."""

    __slots__ = ("_scope", "deadline")

    def __init__(self, seconds: float | None) -> None:
        if seconds is None or seconds == math.inf:
            self.deadline = math.inf
            self._scope: anyio.CancelScope | None = None
        else:
            self.deadline = anyio.current_time() + seconds
            self._scope = anyio.CancelScope(deadline=self.deadline)

    def __enter__(self) -> TimeLimit:
        if self._scope is not None:
            self._scope.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        scope = self._scope
        if scope is None:
            return False
        swallowed = scope.__exit__(exc_type, exc, tb)
        if scope.cancelled_caught:
            raise TimeoutError
        return bool(swallowed)


class WriteStalled(TimeoutError):
    """The connection took no piece of a body for the write timeout. A ``TimeoutError``
    without an errno, which aiohttp hands from its body writer to the response
    unchanged; each backend's error mapping turns it into ``WriteTimeout``."""


async def send_in_pieces(
    send: Callable[[bytes], Awaitable[Any]], data: bytes, limit: float
) -> None:
    """``send(piece)`` for each :data:`WRITE_PIECE` of ``data``, raising
    :class:`WriteStalled` when one is not taken within ``limit`` seconds."""
    for start in range(0, len(data), WRITE_PIECE):
        try:
            with TimeLimit(limit):
                await send(data[start : start + WRITE_PIECE])
        except TimeoutError:
            raise WriteStalled(
                f"the connection took nothing for the write timeout of {limit:g} s "
                f"({start:,} of {len(data):,} bytes sent)"
            ) from None


def pool_timeout(size: int, held: int, waited: float) -> PoolTimeout:
    """The error for a request that found the pool full for ``waited`` seconds."""
    err = PoolTimeout(
        f"the connection pool is full: waited {waited:.2f}s for a free connection; "
        f"pool size {size}, {held} requests holding connections (a larger pool, fewer "
        "requests at once, or streams closed sooner would help)"
    )
    err.retryable = True
    return err


def redacted_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` with the values of credential headers replaced."""
    return [(k, _REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers]


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception behind it (causes, contexts, group members)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)


def redact_chain(exc: BaseException, clean: Callable[[Any], Any | None]) -> BaseException:
    """Redact the credentials an HTTP library keeps on ``exc`` and every exception
    behind it, in place.

    httpx errors hold the request (its ``x-goog-api-key`` and ``Authorization``
    headers), aiohttp errors the request's headers or the proxy's password. They
    become the cause of our errors, and pickling that carries the chain (``tblib``,
    installed by Dask) would ship them to a worker, a log store or a result backend.
    In place, because Python chains the library's exception object itself (as
    ``__context__``) whatever a handler raises; a redacted copy would leave the
    original in the chain.

    ``clean(value)`` returns a redacted replacement for a value that holds
    credentials, else ``None``. It is applied to every attribute and argument of
    every exception in the chain, so the redaction does not depend on the
    library's private attribute names: a renamed attribute is still found.
    """
    for current in _chain(exc):
        fields = getattr(current, "__dict__", None)
        replaced: dict[int, Any] = {}
        if fields:
            for name, value in list(fields.items()):
                new = clean(value)
                if new is not None:
                    replaced[id(value)] = new
                    fields[name] = new
        args = current.args
        if args:
            fixed = []
            for arg in args:
                new = replaced.get(id(arg))
                if new is None:
                    new = clean(arg)
                fixed.append(arg if new is None else new)
            if any(a is not b for a, b in zip(fixed, args, strict=True)):
                current.args = tuple(fixed)
    return exc


def new_line(places: int) -> anyio.Semaphore:
    """A first-come-first-served line with ``places`` places, for the requests of one
    pool: a request takes a place before the HTTP library sees it and gives it back
    when its response is closed. A free place is taken without yielding (anyio 4.5+)."""
    try:
        return anyio.Semaphore(places, fast_acquire=True)
    except TypeError:  # anyio < 4.5
        return anyio.Semaphore(places)
