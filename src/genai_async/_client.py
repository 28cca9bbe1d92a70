"""The client core: URL, headers and body per request, a pooled session, the retry loop.

Place in the layering: below the API surfaces (``models``, ...), which call it;
the public ``AsyncClient`` (``_async_client``) is this core with the surfaces
attached, so nothing here imports a surface.

Layering: above the registry, below the API surfaces (``models``) and the sync facade.

The request path does no option work when a call has no override: URL,
headers and timeouts were prepared once (``_config.Prepared``); the session is
an identity check on the client's per-loop lease. Each attempt is one
registry checkout and one checkin; the client keeps no books of its own. The
retry loop is the only one in the library; the sync ``Client`` drives this
same code on its own loop.
"""

from __future__ import annotations

import logging
import random
import time
import warnings
import weakref
from collections import deque
from contextlib import nullcontext
from types import TracebackType
from typing import Any, Self

import anyio

from . import _observe, _runtime
from ._auth import TokenSource
from ._backends.base import StreamResponse
from ._config import Prepared, Settings, resolve_api_config
from ._headers import server_timeout_value
from ._json import api_error, decode_success, encode, in_band_error, loads, merge_extra_body
from ._keys import TransportKey
from ._options import HttpOptions, coerce_http_options
from ._registry import Lease, PoolStats, SessionEntry, SessionRegistry, registry_for, stats_for
from ._retry import next_delay, parse_retry_after, retry_info_delay
from ._sse import SSEDecoder
from ._unsupported import missing
from .errors import (
    ClientClosedError,
    DeadlineExceeded,
    RequestTimeout,
    ResponseInfo,
    StreamError,
    TransportError,
    UnknownApiResponseError,
)

__all__ = ("ClientCore", "EventStream")

logger = logging.getLogger("genai_async")

_OPEN, _CLOSED = 0, 1
_WAIT: Any = object()  # EventStream._next_now: no event ready without awaiting
_current_loop = _runtime.current_loop


class ClientCore:
    """Requests, streams, sessions and lifecycle of an ``AsyncClient`` (see there)."""

    def __init__(
        self,
        api_key: str | None = None,
        vertexai: bool | None = None,
        project: str | None = None,
        location: str | None = None,
        credentials: Any = None,
        http_options: HttpOptions | dict[str, Any] | None = None,
        *,
        enterprise: bool | None = None,
    ) -> None:
        self._setup(
            api_key, vertexai, project, location, credentials, http_options, enterprise, False
        )

    @classmethod
    def _for_sync_calls(cls, **kwargs: Any) -> Self:
        """The async client behind a sync ``Client``: its own calls use ``client_args``."""
        client = cls.__new__(cls)
        client._setup(
            kwargs.get("api_key"),
            kwargs.get("vertexai"),
            kwargs.get("project"),
            kwargs.get("location"),
            kwargs.get("credentials"),
            kwargs.get("http_options"),
            kwargs.get("enterprise"),
            True,
        )
        return client

    def _setup(
        self,
        api_key: str | None,
        vertexai: bool | None,
        project: str | None,
        location: str | None,
        credentials: Any,
        http_options: HttpOptions | dict[str, Any] | None,
        enterprise: bool | None,
        sync_calls: bool,
    ) -> None:
        options = coerce_http_options(http_options)
        self._api = resolve_api_config(
            api_key=api_key,
            vertexai=vertexai,
            enterprise=enterprise,
            project=project,
            location=location,
            credentials=credentials,
            options=options,
        )
        self._settings = Settings.resolve(self._api, options, sync_calls=sync_calls)
        self._auth = TokenSource(self._api.credentials) if self._api.uses_oauth else None
        self._state = _OPEN
        self._loops: dict[int, Lease] = {}
        self._hot: Lease | None = None
        self._rand = random.Random()

    # -- public API --------------------------------------------------------

    @property
    def vertexai(self) -> bool:
        return self._api.vertexai

    async def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        http_options: HttpOptions | dict[str, Any] | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON body (``{}`` when empty).

        ``path`` is relative to the API version (``"models/x:generateContent"``); the
        base URL, version and (on Vertex) ``projects/…/locations/…`` are added.
        """
        value, _ = await self._call(method, path, json, http_options, "async")
        return value

    def stream(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        http_options: HttpOptions | dict[str, Any] | None = None,
    ) -> _StreamContext:
        """``async with client.stream(...) as events:`` - send on entry (HTTP errors raise
        there), then ``async for event in events`` yields each decoded SSE event."""
        return _StreamContext(self, method, path, json, http_options, "async")

    def pool_stats(self) -> PoolStats:
        """The pooled sessions of the running event loop (call from async code)."""
        _, loop = _current_loop()
        return stats_for(loop)

    async def aclose(self) -> None:
        """Release this client's sessions. Idempotent; the client is unusable after."""
        if self._state == _CLOSED:
            return
        self._state = _CLOSED
        leases, self._loops = list(self._loops.values()), {}
        self._hot = None
        try:
            _, here = _current_loop()
        except RuntimeError:
            here = None
        for lease in leases:
            if lease.loop is here:
                await lease.release()
            else:
                lease.release_soon()

    async def __aenter__(self) -> Self:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: google-genai names we lack say so.
        raise missing("client", name)

    def __repr__(self) -> str:
        mode = "vertexai" if self._api.vertexai else "gemini"
        key = " api_key=[redacted]" if self._api.api_key else ""
        state = "closed" if self._state == _CLOSED else "open"
        return f"<genai_async.AsyncClient {mode} base_url={self._settings.base_url!r}{key} {state}>"

    def __del__(self) -> None:
        # Warn only while this client pins live sessions (a finished loop closed its own).
        if getattr(self, "_state", _CLOSED) != _CLOSED and any(
            lease.holds_sessions() for lease in getattr(self, "_loops", {}).values()
        ):
            warnings.warn(
                f"unclosed {self!r}: call aclose() or use 'async with'",
                ResourceWarning,
                stacklevel=2,
            )

    # -- internals ---------------------------------------------------------

    def _check_open(self) -> None:
        if self._state == _CLOSED:
            raise ClientClosedError("this client was closed; create a new one")

    def _prepared(self, http_options: Any, role: str) -> Prepared:
        if http_options is None:
            return self._settings.prepared(role)
        return self._settings.override(http_options).prepared(role)

    def _body(self, prep: Prepared, json: Any, override: Any) -> bytes | None:
        extra = prep.settings.extra_body
        if not extra and json is not None:
            return encode(json)  # the usual request
        if json is None:
            if extra and prep.settings.extra_body_overridden:
                raise ValueError("extra_body needs a request with a JSON body")
            return None
        if extra:
            if not isinstance(json, dict):
                raise TypeError("extra_body can only be merged into a JSON object body")
            json = merge_extra_body(json, extra)
        return encode(json)

    async def _entry(self, prep: Prepared) -> tuple[Lease, SessionEntry]:
        lease, key, entry = self._cached_entry(prep)
        if entry is None:
            entry = await lease.entry_for(key)
        return lease, entry

    def _cached_entry(self, prep: Prepared) -> tuple[Lease, TransportKey, SessionEntry | None]:
        """This loop's lease, ``prep``'s key, and its session when one is ready."""
        library, loop = _current_loop()
        lease = self._hot
        if lease is None or not lease.is_current(loop):
            lease = self._lease_for(library, loop)
        key = prep.key_for(library)
        return lease, key, lease.ready(key)

    def _lease_for(self, library: str, loop: Any) -> Lease:
        self._check_open()
        lease = self._loops.get(id(loop))
        if lease is None or not lease.is_current(loop):
            lease = registry_for(library, loop).lease(loop)
            self._loops[id(loop)] = lease
        self._hot = lease
        return lease

    def _attempt(
        self, prep: Prepared, headers: dict[str, str], deadline_at: float | None
    ) -> tuple[dict[str, str], float | None]:
        """Headers and time limit of one attempt (the deadline shrinks both)."""
        limit = prep.attempt_timeout
        if deadline_at is None:
            return headers, limit
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded("the deadline was spent before the request could be sent")
        if limit is None or remaining < limit:
            limit = remaining
        if not prep.user_server_timeout:
            headers = {**headers, "X-Server-Timeout": server_timeout_value(limit)}
        return headers, limit

    async def _call(
        self, method: str, path: str, json: Any, http_options: Any, role: str
    ) -> tuple[Any, Any]:
        if self._state == _CLOSED:
            raise ClientClosedError("this client was closed; create a new one")
        prep = self._prepared(http_options, role)
        url = prep.url(method, path)
        body = self._body(prep, json, http_options)
        deadline = prep.settings.deadline
        deadline_at = time.monotonic() + deadline if deadline is not None else None
        obs = _observe.start(prep, method, url, path, json)
        if obs is not None:
            return await obs.unary(self._exchange(prep, method, url, body, None, deadline_at, obs))
        resp = await self._exchange(prep, method, url, body, None, deadline_at)
        return decode_success(resp.body), resp.headers

    async def _exchange(
        self,
        prep: Prepared,
        method: str,
        url: str,
        body: bytes | None,
        stream_state: list[Any] | None,
        deadline_at: float | None,
        obs: _observe.CallObserver | None = None,
    ) -> Any:
        """The retry loop. Unary: returns the 2xx RawResponse. Stream (``stream_state``
        given): returns the open 2xx StreamResponse and leaves its session's
        in-flight count raised (checked out); ``stream_state`` receives (lease, entry)."""
        policy = prep.settings.retry
        deadline = prep.settings.deadline
        base_headers = prep.stream_headers if stream_state is not None else prep.unary_headers
        attempt = 0
        resent = False
        auth = self._auth
        while True:
            attempt += 1
            if deadline_at is None:
                headers, limit = base_headers, prep.attempt_timeout
            else:
                headers, limit = self._attempt(prep, base_headers, deadline_at)
            if auth is not None:
                headers = {**headers, **await auth.headers()}
            lease, key, ready = self._cached_entry(prep)
            entry = ready if ready is not None else await lease.entry_for(key)
            backend = entry.backend
            registry = lease.registry
            registry.checkout(entry)
            keep_open = False
            try:
                if stream_state is None:
                    if obs is None:
                        resp = await backend.send(method, url, headers, body, prep, limit)
                    else:
                        resp = await obs.send(
                            attempt, backend, method, url, headers, body, prep, limit
                        )
                    status = resp.status
                    if 200 <= status < 300:
                        return resp
                    error = api_error(status, resp.reason, resp.headers, resp.body, url)
                    headers_in = resp.headers
                else:
                    if obs is None:
                        sresp = await backend.open_stream(method, url, headers, body, prep, limit)
                    else:
                        sresp = await obs.open_stream(
                            attempt, backend, method, url, headers, body, prep, limit
                        )
                    status = sresp.status
                    if 200 <= status < 300:
                        keep_open = True
                        stream_state[:] = [lease, entry]
                        return sresp
                    try:
                        with anyio.fail_after(limit) if limit is not None else nullcontext():
                            data = await sresp.read_all()
                    except TimeoutError:
                        data = b""
                    finally:
                        await sresp.aclose()
                    error = api_error(status, sresp.reason, sresp.headers, data, url)
                    headers_in = sresp.headers
            except TransportError as exc:
                if exc.stale and not resent:
                    resent = True  # a pooled connection died under us: one immediate re-send
                    registry.note_resend(entry)
                    attempt -= 1
                    logger.debug("re-sending %s %s: reused connection was closed", method, url)
                    continue
                if (
                    deadline_at is not None
                    and isinstance(exc, RequestTimeout)
                    and time.monotonic() >= deadline_at - 0.001
                ):
                    raise DeadlineExceeded(f"the deadline of {deadline}s expired ({exc})") from exc
                if not exc.retryable or attempt >= policy.attempts:
                    raise
                delay = next_delay(policy, attempt, None, self._rand)
                server_delay, source = None, "schedule"
                reason = f"{type(exc).__name__}: {exc}"
                last: BaseException = exc
            else:
                if not policy.retries_status(status) or attempt >= policy.attempts:
                    raise error
                server_delay, source = parse_retry_after(headers_in), "retry-after"
                if server_delay is None:
                    server_delay, source = retry_info_delay(error.details), "retry-info"
                delay = next_delay(policy, attempt, server_delay, self._rand)
                reason = f"HTTP {status}" + (f" {error.status}" if error.status else "")
                last = error
            finally:
                if not keep_open:
                    await registry.checkin(entry)
            if deadline_at is not None and time.monotonic() + delay >= deadline_at:
                raise last
            logger.info(
                "retrying %s %s in %.2fs (attempt %d of %d) after %s",
                method,
                url,
                delay,
                attempt + 1,
                policy.attempts,
                reason,
            )
            if obs is not None:
                await obs.retry(attempt, reason, delay, server_delay, source, last)
            await anyio.sleep(delay)

    async def _open_stream(
        self, method: str, path: str, json: Any, http_options: Any, role: str
    ) -> EventStream:
        if self._state == _CLOSED:
            raise ClientClosedError("this client was closed; create a new one")
        prep = self._prepared(http_options, role)
        url = prep.url(method, path)
        body = self._body(prep, json, http_options)
        slot: list[Any] = []
        deadline = prep.settings.deadline
        deadline_at = time.monotonic() + deadline if deadline is not None else None  # whole stream
        obs = _observe.start(prep, method, url, path, json, stream=True)
        if obs is None:
            sresp = await self._exchange(prep, method, url, body, slot, deadline_at)
        else:
            sresp = await obs.stream_opened(
                self._exchange(prep, method, url, body, slot, deadline_at, obs)
            )
        lease, entry = slot
        hold = _StreamHold(sresp, lease.registry, entry, lease.loop, _unread_bound(prep))
        stream = EventStream(sresp, hold, url, deadline_at)
        stream._obs = obs
        try:
            content_type = sresp.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                await stream._buffer_whole_body()
        except BaseException:
            await stream.aclose()
            raise
        return stream


class EventStream:
    """The decoded events of one streaming response: ``async for event in stream``.

    Closing (``aclose()``, ``async with``, or reaching the end) releases the
    connection; closing early closes it. A response the transport has read to
    its end gives its connection back at once, read or not; one left unread
    and unfinished is closed after its time limit (see :func:`_unread_bound`).
    An in-band ``{"error": ...}`` event raises the matching ``APIError`` and
    ends the stream.
    """

    def __init__(
        self,
        resp: StreamResponse,
        hold: _StreamHold,
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
        self._obs: _observe.CallObserver | None = None
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
        self._pending.popleft()
        self._hold.reads += 1

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
            await self.aclose()
            raise UnknownApiResponseError(
                "a stream event is not valid JSON", payload[:2000].decode("utf-8", "replace")
            ) from None
        if type(obj) is dict and "error" in obj:
            error = in_band_error(obj, self.status, self.response_info)
            if error is not None:
                await self.aclose()
                raise error
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
                        with anyio.fail_after(max(remaining, 0)):
                            chunk = await self._resp.read_chunk()
                    except TimeoutError as exc:
                        raise DeadlineExceeded("the deadline expired while streaming") from exc
            finally:
                hold.reading = False
            if chunk:
                self._pending.extend(self._decoder.feed(chunk))
            else:
                self._pending.extend(self._decoder.flush())
                self._eof = True
                await self._release()
        except (TransportError, StreamError, DeadlineExceeded):
            await self.aclose()
            raise

    async def _buffer_whole_body(self) -> None:
        """A non-SSE body: one JSON object or an array of them, each an event."""
        body = await self._resp.read_all()
        self._eof = True
        await self._release()
        if not body.strip():
            return
        try:
            value = loads(body)
        except ValueError:
            raise UnknownApiResponseError(
                "the stream body is neither server-sent events nor JSON",
                body[:2000].decode("utf-8", "replace"),
            ) from None
        items = value if isinstance(value, list) else [value]
        self._pending.extend(encode(item) for item in items)

    async def _release(self) -> None:
        self._finalizer.detach()
        await self._hold.release()

    async def aclose(self) -> None:
        """Stop reading and release the connection. Idempotent."""
        self._pending.clear()
        self._eof = True
        obs, self._obs = self._obs, None
        if obs is not None:
            with anyio.CancelScope(shield=True):
                await obs.end(None, None)
        if self._hold.released:  # released already (the body was read to its end)
            return
        with anyio.CancelScope(shield=True):
            await self._release()

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _StreamContext:
    """What ``client.stream(...)`` returns: enter it to send the request."""

    __slots__ = ("_args", "_client", "_stream")

    def __init__(self, client: ClientCore, *args: Any) -> None:
        self._client = client
        self._args = args
        self._stream: EventStream | None = None

    async def __aenter__(self) -> EventStream:
        self._stream = await self._client._open_stream(*self._args)
        return self._stream

    async def __aexit__(self, *exc: object) -> None:
        if self._stream is not None:
            await self._stream.aclose()


#: How long an unfinished stream may go unread before it is closed, when the
#: request has no ``timeout``.
UNREAD_STREAM_SECONDS = 300.0


def _unread_bound(prep: Prepared) -> float:
    """The longest an unfinished stream may sit with nobody reading it: the stream's
    own time limit between chunks (``HttpOptions.timeout``, else a client-args read
    timeout), else :data:`UNREAD_STREAM_SECONDS`."""
    bound = prep.settings.timeout
    read = prep.extras.read_timeout
    if read is not None and (bound is None or read < bound):
        bound = read
    return bound if bound is not None else UNREAD_STREAM_SECONDS


class _StreamHold:
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
        "reading",
        "reads",
        "registry",
        "resp",
        "resp_open",
        "seen",
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
        self.timer: _runtime.Timer | None = _runtime.call_later_on(loop, bound, self._watch)
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
        """Every ``bound`` seconds: close the stream if nobody took an event or read
        since the last look (so an unread stream is closed within twice its bound)."""
        self.timer = None
        if self.released or self.entry is None:
            return
        if self.reading or self.reads != self.seen:
            self.seen = self.reads
            self.timer = _runtime.call_later_on(self.loop, self.bound, self._watch)
            return
        logger.debug("closing a stream left unread for %.1fs or more", self.bound)
        self.expired = True
        await self.release()
