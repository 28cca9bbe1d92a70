"""Open streaming responses: SSE events (:class:`EventStream`) and what a stream holds.

Place in the layering: with the client core, which opens streams through its
retry loop and hands the open response here. A stream holds one checkout of
its session (:class:`StreamHold`), released exactly once: on ``aclose()``, at
the end of the body, when collected unclosed, or when left unread too long.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections import deque
from typing import Any

import anyio

from . import _observe, _runtime
from ._backends.base import StreamResponse, TimeLimit
from ._config import Prepared
from ._json import encode, in_band_error, loads
from ._registry import SessionEntry, SessionRegistry
from ._sse import SSEDecoder
from ._timeouts import name_stream_timeout, stream_timeout_text
from .errors import (
    DeadlineExceeded,
    ReadTimeout,
    ResponseInfo,
    StreamError,
    TransportError,
    UnknownApiResponseError,
)

__all__ = ("UNREAD_STREAM_SECONDS", "ByteStream", "EventStream", "StreamHold", "unread_bound")

logger = logging.getLogger("genai_async")

_WAIT: Any = object()  # EventStream._next_now: no event ready without awaiting


class EventStream:
    """The decoded events of one streaming response: ``async for event in stream``.

    Closing (``aclose()``, ``async with``, or reaching the end) releases the
    connection; closing early closes it. A response the transport has read to
    its end gives its connection back at once, read or not; one left unread
    and unfinished is closed after its time limit (see :func:`unread_bound`).
    An in-band ``{"error": ...}`` event raises the matching ``APIError`` and
    ends the stream.
    """

    def __init__(
        self,
        resp: StreamResponse,
        hold: StreamHold,
        url: str,
        deadline_at: float | None,
    ) -> None:
        self._resp = resp
        self._hold = hold
        self._url = url
        self._deadline_at = deadline_at
        self._decoder = SSEDecoder()
        self._pending: deque[bytes] = deque()
        self._eof = False
        self._complete = False  # the body was read to its end
        self._failure: BaseException | None = None  # what ended the stream, if it failed
        self._obs: _observe.CallObserver | None = None
        self._prep: Prepared | None = None  # names the timeout a read hits
        self.status = resp.status
        self.headers = resp.headers
        # Dropped without aclose(): release the connection on its loop, not at exit.
        self._finalizer = weakref.finalize(self, hold.release_soon)
        self._finalizer.atexit = False

    @property
    def response_info(self) -> ResponseInfo:
        return ResponseInfo(self.status, self._resp.reason, dict(self.headers.items()), self._url)

    def __aiter__(self) -> EventStream:
        return self

    def _next_now(self) -> Any:
        """The next event when it is already here and plainly decodes, else ``_WAIT``
        (nothing buffered, or a payload whose error :meth:`__anext__` must raise)."""
        pending = self._pending
        if not pending:
            return _WAIT
        payload = pending[0]
        try:
            obj = loads(payload)
        except ValueError:
            return _WAIT
        if type(obj) is dict and "error" in obj:
            return _WAIT
        pending.popleft()
        if self._obs is not None:
            self._obs.stream_event(obj)
        return obj

    def _payload_now(self) -> bytes | None:
        """The next event's JSON text when it is already here and cannot be an error
        event (no ``"error"`` key anywhere in it); it stays buffered until
        :meth:`_consume`. None otherwise: :meth:`__anext__` then decodes (and raises)."""
        pending = self._pending
        if pending:
            payload = pending[0]
            if b'"error"' not in payload:
                return payload
        return None

    def _consume(self) -> None:
        """Drop the event :meth:`_payload_now` returned (its caller decoded it)."""
        payload = self._pending.popleft()
        self._hold.reads += 1
        if self._obs is not None:
            self._obs.stream_event(payload)

    async def _ready(self) -> None:
        """Read until an event is buffered or the body has ended."""
        while not self._pending and not self._eof:
            await self._fill()

    async def __anext__(self) -> Any:
        self._hold.reads += 1
        obj = self._next_now()
        if obj is not _WAIT:
            return obj
        pending = self._pending
        while not pending:
            if self._eof:
                await self.aclose()
                raise StopAsyncIteration
            await self._fill()
        payload = pending.popleft()
        try:
            obj = loads(payload)
        except ValueError:
            bad = UnknownApiResponseError(
                "a stream event is not valid JSON", payload[:2000].decode("utf-8", "replace")
            )
            self._failure = bad
            await self.aclose()
            raise bad from None
        if type(obj) is dict and "error" in obj:
            error = in_band_error(obj, self.status, self.response_info)
            if error is not None:
                self._failure = error
                await self.aclose()
                raise error
        if self._obs is not None:
            self._obs.stream_event(obj)
        return obj

    async def _fill(self) -> None:
        hold = self._hold
        try:
            if hold.expired:
                raise StreamError(
                    f"the stream was closed after {hold.bound:g}s with nobody reading it"
                )
            hold.reading = True
            hold.reads += 1
            try:
                if self._deadline_at is None:
                    chunk = await self._resp.read_chunk()
                else:
                    remaining = self._deadline_at - time.monotonic()
                    try:
                        with TimeLimit(max(remaining, 0)):
                            chunk = await self._resp.read_chunk()
                    except TimeoutError as exc:
                        raise DeadlineExceeded("the deadline expired while streaming") from exc
            finally:
                hold.reading = False
            if chunk:
                self._pending.extend(self._decoder.feed(chunk))
            else:
                self._pending.extend(self._decoder.flush())
                self._eof = self._complete = True
                await self._release()
        except (TransportError, StreamError, DeadlineExceeded) as exc:
            if isinstance(exc, ReadTimeout) and self._prep is not None:
                name_stream_timeout(exc, stream_timeout_text(self._prep))
            self._failure = exc
            await self.aclose()
            raise

    async def _buffer_whole_body(self) -> None:
        """A non-SSE body: one JSON object or an array of them, each an event."""
        body = await self._resp.read_all()
        self._eof = self._complete = True
        await self._release()
        if not body.strip():
            return
        try:
            value = loads(body)
        except ValueError:
            bad = UnknownApiResponseError(
                "the stream body is neither server-sent events nor JSON",
                body[:2000].decode("utf-8", "replace"),
            )
            self._failure = bad
            raise bad from None
        items = value if isinstance(value, list) else [value]
        self._pending.extend(encode(item) for item in items)

    async def _release(self) -> None:
        self._finalizer.detach()
        await self._hold.release()

    async def aclose(self) -> None:
        """Stop reading and release the connection. Idempotent."""
        obs, self._obs = self._obs, None
        if obs is not None and self._complete and self._failure is None:
            for payload in self._pending:  # arrived but unread: the call still used them
                obs.stream_event(payload)
        self._pending.clear()
        self._eof = True
        if obs is not None:
            with anyio.CancelScope(shield=True):
                await obs.stream_end(self._failure, self._complete)
        if self._hold.released:  # released already (the body was read to its end)
            return
        with anyio.CancelScope(shield=True):
            await self._release()

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


#: How long an unfinished stream may go unread before it is closed, when the
#: request has no ``timeout``.
UNREAD_STREAM_SECONDS = 300.0
#: How often a stream on a transport that reads only when asked is looked at
#: (at most): one nobody reads takes in what has arrived (``read_ahead``).
READ_AHEAD_SECONDS = 1.0


def unread_bound(prep: Prepared) -> float:
    """The longest an unfinished stream may sit with nobody reading it: the stream's
    own time limit between chunks (``HttpOptions.timeout``, else a client-args read
    timeout), else :data:`UNREAD_STREAM_SECONDS`."""
    bound = prep.send.timeouts.stream_read
    return bound if bound is not None else UNREAD_STREAM_SECONDS


class StreamHold:
    """What an open stream holds: its response, and one checkout of its session.

    Released once, by whichever comes first: the stream's ``aclose()`` (or its
    end), the transport reading the end of the body (the connection and the
    place in line are back; :meth:`ended`), the stream being collected unclosed,
    or the watch finding it unread for ``bound`` seconds. Holds no reference to
    the stream, so the stream can be collected.
    """

    __slots__ = (
        "bound",
        "entry",
        "expired",
        "loop",
        "quiet_since",
        "reading",
        "reads",
        "registry",
        "resp",
        "resp_open",
        "seen",
        "tick",
        "timer",
    )

    def __init__(
        self,
        resp: StreamResponse,
        registry: SessionRegistry,
        entry: SessionEntry,
        loop: Any,
        bound: float,
    ) -> None:
        self.resp = resp
        self.registry = registry
        self.entry: SessionEntry | None = entry
        self.loop = loop
        self.bound = bound
        self.resp_open = True
        self.reading = False
        self.expired = False
        self.reads = self.seen = 0  # events taken and reads made, as of the last watch
        self.tick = min(bound, READ_AHEAD_SECONDS) if resp.drains else bound
        self.quiet_since = time.monotonic()  # the last look that found the stream read
        self.timer: _runtime.Timer | None = _runtime.call_later_on(loop, self.tick, self._watch)
        resp.when_ended(self.ended)

    @property
    def released(self) -> bool:
        return not self.resp_open and self.entry is None

    def ended(self) -> None:
        """The transport read the end of the body: the session's checkout ends now, and
        nothing is held any more that a watch would need to free."""
        timer, self.timer = self.timer, None
        if timer is not None:
            timer.cancel()
        entry, self.entry = self.entry, None
        if entry is not None:
            self.registry.checkin_nowait(entry)

    async def release(self) -> None:
        timer, self.timer = self.timer, None
        if timer is not None:
            timer.cancel()
        entry, self.entry = self.entry, None
        try:
            if self.resp_open:
                self.resp_open = False
                with anyio.CancelScope(shield=True):
                    await self.resp.aclose()
        finally:
            if entry is not None:
                await self.registry.checkin(entry)

    def release_soon(self) -> None:
        """The stream was collected unclosed: release on its own loop, from any thread."""
        if not self.released:
            _runtime.run_soon_on(self.loop, self.release)

    async def _watch(self) -> None:
        """Every ``tick`` seconds: close the stream if nobody took an event or read
        for ``bound`` seconds (so an unread stream is closed within its bound and
        a tick, at most twice its bound); on a transport that reads only when
        asked, a stream nobody read since the last look first takes in what has
        arrived, which gives its connection back if the body has ended."""
        self.timer = None
        if self.released or self.entry is None:
            return
        now = time.monotonic()
        if self.reading or self.reads != self.seen:
            self.seen = self.reads
            self.quiet_since = now
        elif now - self.quiet_since >= self.bound * 0.99:  # (a timer may fire a hair early)
            logger.debug("closing a stream left unread for %.1fs or more", self.bound)
            self.expired = True
            await self.release()
            return
        else:
            await self.resp.read_ahead()
            if self.entry is None or self.released:  # the body ended: all is back
                return
        self.timer = _runtime.call_later_on(self.loop, self.tick, self._watch)


class ByteStream:
    """The body of one response as it arrives: ``async for chunk in stream`` (bytes).

    Closing (``aclose()``, ``async with``, or reading to the end) releases the
    connection; closing early closes it.
    """

    __slots__ = ("__weakref__", "_finalizer", "_hold", "_resp", "headers", "status")

    def __init__(self, resp: StreamResponse, hold: StreamHold) -> None:
        self._resp = resp
        self._hold = hold
        self.status = resp.status
        self.headers = resp.headers
        self._finalizer = weakref.finalize(self, hold.release_soon)
        self._finalizer.atexit = False

    def __aiter__(self) -> ByteStream:
        return self

    async def __anext__(self) -> bytes:
        hold = self._hold
        hold.reading = True  # (the watch closes only a stream nobody reads)
        hold.reads += 1
        try:
            chunk = await self._resp.read_chunk()
        except BaseException:
            await self.aclose()
            raise
        finally:
            hold.reading = False
        if not chunk:
            await self.aclose()
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        """Release the connection. Idempotent."""
        self._finalizer.detach()
        if self._hold.released:
            return
        with anyio.CancelScope(shield=True):
            await self._hold.release()

    async def __aenter__(self) -> ByteStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
