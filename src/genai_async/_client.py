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

import dataclasses
import logging
import random
import time
import warnings
from collections.abc import Mapping
from contextlib import nullcontext
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

import anyio

from . import _observe, _runtime
from ._auth import TokenSource
from ._backends.base import RawResponse
from ._config import Prepared, Settings, resolve_api_config
from ._headers import server_timeout_value
from ._json import api_error, decode_success, encode, merge_extra_body
from ._keys import Role, TransportKey
from ._options import HttpOptions, coerce_http_options
from ._registry import Lease, PoolStats, SessionEntry, registry_for, stats_for
from ._retry import next_delay, parse_retry_after, retry_info_delay
from ._stream import ByteStream, EventStream, StreamHold, unread_bound
from ._timeouts import name_attempt_timeout
from ._unsupported import missing
from ._urls import join_url
from .errors import (
    ClientClosedError,
    DeadlineExceeded,
    ReadTimeout,
    RequestTimeout,
    TransportError,
)

__all__ = ("ClientCore", "EventStream")

logger = logging.getLogger("genai_async")

_OPEN, _CLOSED = 0, 1
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

    async def warm_up(self, *, session: bool = True) -> None:
        """Do the one-time work of the first request now: build the pooled session for
        this client's settings on the running loop (importing the HTTP library, TLS
        set-up; skipped with ``session=False``) and, with OAuth credentials, fetch a
        token. Raises what the first request would (bad credentials, an unusable
        option). Optional: requests do it themselves when needed."""
        await self._warm_up("async", session)

    async def _warm_up(self, role: Role, session: bool = True) -> None:
        self._check_open()
        if session:
            await self._entry(self._prepared(None, role))
        if self._auth is not None:
            await self._auth.headers()

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
        limit = prep.send.timeouts.attempt
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
        extra_headers: Mapping[str, str] | None = None,
        retry: bool = True,
    ) -> Any:
        """The retry loop. Unary: returns the 2xx RawResponse. Stream (``stream_state``
        given): returns the open 2xx StreamResponse and leaves its session's
        in-flight count raised (checked out); ``stream_state`` receives (lease, entry).
        ``extra_headers`` replace the prepared ones of the same name; ``retry=False``
        sends once (a caller with its own recovery, such as a resumable upload)."""
        policy = prep.settings.retry
        if not retry:
            policy = dataclasses.replace(policy, attempts=1)
        deadline = prep.settings.deadline
        base_headers = prep.stream_headers if stream_state is not None else prep.unary_headers
        if extra_headers:
            base_headers = _with_headers(base_headers, extra_headers)
        attempt = 0
        resent = not retry  # no re-send on a stale connection either: the caller recovers
        auth = self._auth
        while True:
            attempt += 1
            if deadline_at is None:
                headers, limit = base_headers, prep.send.timeouts.attempt
            else:
                headers, limit = self._attempt(prep, base_headers, deadline_at)
            if auth is not None and not _has_authorization(headers):
                headers = {**headers, **await auth.headers()}  # never over the user's own
            lease, key, ready = self._cached_entry(prep)
            entry = ready if ready is not None else await lease.entry_for(key)
            backend = entry.backend
            registry = lease.registry
            registry.checkout(entry)
            keep_open = False
            started = time.monotonic()
            try:
                if stream_state is None:
                    if obs is None:
                        resp = await backend.send(method, url, headers, body, prep.send, limit)
                    else:
                        resp = await obs.exchange(
                            attempt, backend, False, method, url, headers, body, prep.send, limit
                        )
                    status = resp.status
                    if 200 <= status < 300:
                        return resp
                    error = api_error(status, resp.reason, resp.headers, resp.body, url)
                    headers_in = resp.headers
                else:
                    if obs is None:
                        sresp = await backend.open_stream(
                            method, url, headers, body, prep.send, limit
                        )
                    else:
                        sresp = await obs.exchange(
                            attempt, backend, True, method, url, headers, body, prep.send, limit
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
                if isinstance(exc, ReadTimeout):
                    name_attempt_timeout(
                        exc, prep, limit, time.monotonic() - started, stream_state is not None
                    )
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

    def _raw_url(self, prep: Prepared, path: str) -> str:
        """``path`` as an absolute URL: kept when it is one (its scheme and host taken
        from the base URL, as google-genai does for upload URLs), else joined to the
        base URL with ``{api_version}`` filled in (``upload/{api_version}/files``)."""
        base = prep.settings.base_url
        if "://" in path:
            ours, theirs = urlsplit(base), urlsplit(path)
            return urlunsplit(theirs._replace(scheme=ours.scheme, netloc=ours.netloc))
        return join_url(base, path.replace("{api_version}", prep.settings.api_version or ""))

    async def _call_raw(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: Mapping[str, str],
        http_options: Any,
        role: str,
        *,
        retry: bool = True,
    ) -> RawResponse:
        """One request with a byte body and extra headers to a path outside the API
        version (or an absolute URL, see :meth:`_raw_url`); the 2xx response whole."""
        if self._state == _CLOSED:
            raise ClientClosedError("this client was closed; create a new one")
        prep = self._prepared(http_options, role)
        url = self._raw_url(prep, path)
        deadline = prep.settings.deadline
        deadline_at = time.monotonic() + deadline if deadline is not None else None
        resp: RawResponse = await self._exchange(
            prep, method, url, body, None, deadline_at, None, headers, retry
        )
        return resp

    async def _open_bytes(self, method: str, path: str, http_options: Any, role: str) -> ByteStream:
        """Send a request and return its open 2xx body as a :class:`ByteStream`."""
        if self._state == _CLOSED:
            raise ClientClosedError("this client was closed; create a new one")
        prep = self._prepared(http_options, role)
        url = prep.url(method, path)
        slot: list[Any] = []
        deadline = prep.settings.deadline
        deadline_at = time.monotonic() + deadline if deadline is not None else None
        sresp = await self._exchange(
            prep, method, url, None, slot, deadline_at, None, {"Accept": "*/*"}
        )
        lease, entry = slot
        hold = StreamHold(sresp, lease.registry, entry, lease.loop, unread_bound(prep))
        return ByteStream(sresp, hold)

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
        hold = StreamHold(sresp, lease.registry, entry, lease.loop, unread_bound(prep))
        stream = EventStream(sresp, hold, url, deadline_at)
        stream._obs = obs
        stream._prep = prep
        try:
            content_type = sresp.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                await stream._buffer_whole_body()
        except BaseException as exc:
            stream._failure = exc
            await stream.aclose()
            raise
        return stream


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


def _with_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` on top, header names compared without case."""
    replaced = {name.lower() for name in extra}
    out = {k: v for k, v in base.items() if k.lower() not in replaced}
    out.update(extra)
    return out


def _has_authorization(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "authorization" for name in headers)
