"""``Client``: the blocking facade. Every method is one call onto the shared loop thread.

Place in the layering: the top, above ``_portal``. There is no second
implementation here: a sync method sends the async core's coroutine to the
process-wide loop (:mod:`._portal`) with role ``"sync"`` and blocks for its
result. Async iterators (streams, pagers) become plain iterators whose every
``next()`` is one such call; the async API of any object is mirrored by
:class:`BlockingProxy` without naming its methods.
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

from ._client import AsyncClient, EventStream
from ._options import HttpOptions
from ._portal import Portal, PortalLease
from ._registry import PoolStats
from .errors import ClientClosedError

__all__ = ("BlockingIterator", "BlockingProxy", "Client", "SyncStream")

_END = object()
_OWN = frozenset({"_source", "_target", "_portal", "_done"})


async def _apply(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    result = fn(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def _next_item(iterator: Any) -> Any:
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return _END


async def _aiter(iterable: Any) -> Any:
    return iterable.__aiter__()


async def _aclose(target: Any) -> None:
    aclose = getattr(target, "aclose", None)
    if aclose is not None:
        await aclose()


async def _pool_stats(client: AsyncClient) -> PoolStats:
    return client.pool_stats()


def _portal_of(source: PortalLease | Portal) -> Portal:
    return source if isinstance(source, Portal) else source.portal


def _blocking(value: Any, portal: Portal) -> Any:
    """Wrap what an async call returned: async iterators and iterables become blocking."""
    kind = type(value)
    if hasattr(kind, "__anext__"):
        return BlockingIterator(portal, value)
    if hasattr(kind, "__aiter__"):
        return BlockingProxy(portal, value)
    return value


class BlockingProxy:
    """A blocking view of an async object: each method runs on the loop and blocks.

    Attribute access mirrors the wrapped object. Methods (coroutine functions,
    or plain functions returning awaitables) become blocking functions; what
    they return is wrapped again when it is an async iterator
    (:class:`BlockingIterator`) or an async iterable such as a pager (another
    proxy, which is also a plain iterable). Other attributes pass through.

    Usage::

        models = client.models            # BlockingProxy over AsyncModels(client.aio, "sync")
        response = models.generate_content(model="gemini-2.0-flash", contents="Hi")
        for chunk in models.generate_content_stream(model="gemini-2.0-flash", contents="Hi"):
            print(chunk.text)
    """

    def __init__(self, source: PortalLease | Portal, target: Any) -> None:
        self._source = source
        self._target = target

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            raise AttributeError(name)  # not set yet (partly built object): no recursion
        value = getattr(self._target, name)
        if name.startswith("_") or not callable(value) or inspect.isclass(value):
            return value
        source = self._source

        @functools.wraps(value)
        def method(*args: Any, **kwargs: Any) -> Any:
            portal = _portal_of(source)
            return _blocking(portal.call(_apply, value, args, kwargs), portal)

        self.__dict__[name] = method
        return method

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._target)))

    def __iter__(self) -> Iterator[Any]:
        target = self._target
        if hasattr(type(target), "__aiter__"):
            portal = _portal_of(self._source)
            return BlockingIterator(portal, portal.call(_aiter, target))
        raise TypeError(f"{type(target).__name__!r} object is not iterable")

    def __len__(self) -> int:
        return len(self._target)

    def __getitem__(self, index: Any) -> Any:
        return self._target[index]

    def __repr__(self) -> str:
        return f"<blocking {self._target!r}>"


class BlockingIterator(BlockingProxy, Iterator[Any]):
    """A plain iterator over an async iterator on the loop: each ``next()`` is one call.

    Closing it (``close()``, ``with``, exhausting it, or letting it be garbage
    collected) closes the async iterator, which releases its connection.
    Other attributes (``status``, ``headers``, ...) come from the async object.
    One iterator is not meant to be advanced by two threads at once.
    """

    def __init__(self, portal: Portal, target: Any) -> None:
        super().__init__(portal, target)
        self._portal = portal
        self._done = False

    def __iter__(self) -> BlockingIterator:
        return self

    def __next__(self) -> Any:
        if self._done:
            raise StopIteration
        item = self._portal.call(_next_item, self._target)
        if item is _END:
            self._done = True
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop iterating and release the connection. Idempotent."""
        if self._done:
            return
        self._done = True
        try:
            self._portal.call(_aclose, self._target)
        except ClientClosedError:  # the loop stopped, and closed every session with it
            pass

    def __enter__(self) -> BlockingIterator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Garbage collection may run on any thread, the loop's included: never block here.
        if not self.__dict__.get("_done", True):
            self._done = True
            target = self._target
            if callable(getattr(target, "aclose", None)):
                self._portal.close_soon(target.aclose)

    def __repr__(self) -> str:
        state = "closed" if self._done else "open"
        return f"<blocking iterator {state} over {self._target!r}>"


class SyncStream:
    """What ``Client.stream(...)`` returns: ``with`` it to send the request and get the events."""

    __slots__ = ("_args", "_client", "_events")

    def __init__(self, client: Client, args: tuple[Any, ...]) -> None:
        self._client = client
        self._args = args
        self._events: BlockingIterator | None = None

    def __enter__(self) -> BlockingIterator:
        client = self._client
        client._check_open()
        portal = client._lease.portal
        method, path, json, http_options = self._args
        stream: EventStream = portal.call(
            client.aio._open_stream, method, path, json, http_options, "sync"
        )
        self._events = BlockingIterator(portal, stream)
        return self._events

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        events, self._events = self._events, None
        if events is not None:
            events.close()


class Client:
    """The sync client: google-genai's ``Client``, run on one shared background loop.

    Every method is one call onto a process-wide event loop thread that runs the
    async core (:class:`AsyncClient`); any number of threads may share one client
    and its one connection pool. ``client_args`` / ``httpx_client`` configure these
    sync calls; ``.aio`` is the async client (``async_client_args``) for your own
    event loop.

    **Parameters:** ``api_key``, ``vertexai`` (alias ``enterprise``), ``project``,
    ``location``, ``credentials`` and ``http_options`` as in google-genai.

    A call carries the caller's ``contextvars`` to the loop. Ctrl-C (any exception
    raised in the waiting thread) cancels the call on the loop, waits briefly for
    it to unwind, and propagates; the client stays usable. Calling a blocking
    method from code running on the loop itself raises ``RuntimeError``; use
    ``.aio`` there.

    Usage::

        with genai_async.Client(api_key="...") as client:
            data = client.request("POST", "models/gemini-2.0-flash:generateContent",
                                  {"contents": [{"parts": [{"text": "Hi"}]}]})
            with client.stream("POST", "models/gemini-2.0-flash:streamGenerateContent?alt=sse",
                               {"contents": [{"parts": [{"text": "Hi"}]}]}) as events:
                for event in events:
                    ...
            response = client.models.generate_content(model="gemini-2.0-flash", contents="Hi")
    """

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
        self._aio = AsyncClient(
            api_key=api_key,
            vertexai=vertexai,
            project=project,
            location=location,
            credentials=credentials,
            http_options=http_options,
            enterprise=enterprise,
            _sync_calls=True,
        )
        self._closed = True  # until the lease is held: nothing to warn about in __del__
        self._close_lock = threading.Lock()
        self._models: BlockingProxy | None = None
        self._lease = PortalLease(self._close_at_exit)
        self._closed = False

    # -- public API --------------------------------------------------------

    @property
    def aio(self) -> AsyncClient:
        """The async client behind this one, for use from your own event loop."""
        return self._aio

    @property
    def vertexai(self) -> bool:
        return self._aio.vertexai

    @property
    def models(self) -> BlockingProxy:
        """google-genai's ``client.models``: generate_content, count_tokens, ... (blocking)."""
        models = self._models
        if models is None:
            from .models import AsyncModels  # type: ignore[import-not-found, unused-ignore]

            models = self._models = BlockingProxy(self._lease, AsyncModels(self._aio, "sync"))
        return models

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        http_options: HttpOptions | dict[str, Any] | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON body (``{}`` when empty)."""
        self._check_open()
        value, _ = self._lease.portal.call(
            self._aio._call, method, path, json, http_options, "sync"
        )
        return value

    def stream(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        http_options: HttpOptions | dict[str, Any] | None = None,
    ) -> SyncStream:
        """``with client.stream(...) as events:`` - send on entry (HTTP errors raise
        there), then ``for event in events`` yields each decoded SSE event."""
        self._check_open()
        return SyncStream(self, (method, path, json, http_options))

    def pool_stats(self) -> PoolStats:
        """The pooled sessions of the shared loop (every sync client's)."""
        self._check_open()
        return self._lease.portal.call(_pool_stats, self._aio)

    def close(self) -> None:
        """Release this client's sessions. Idempotent; the client is unusable after."""
        with self._close_lock:
            if self._closed:
                return
            portal = None if self._lease.released else self._lease.portal
            if portal is not None and portal.in_loop_thread():
                raise RuntimeError(
                    "Client.close() was called on the genai_async event loop thread; "
                    "await client.aio.aclose() there instead"
                )
            self._closed = True
        try:
            if portal is not None:
                portal.call(self._aio.aclose)
        except ClientClosedError:
            pass
        finally:
            self._lease.release()

    def __enter__(self) -> Client:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        inner = repr(self._aio).removeprefix("<genai_async.AsyncClient ")
        if self._closed:
            inner = inner.replace(" open>", " closed>")
        return f"<genai_async.Client {inner}"

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            warnings.warn(
                f"unclosed {self!r}: call close() or use 'with'", ResourceWarning, stacklevel=2
            )

    # -- internals ---------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("this client was closed; create a new one")

    async def _close_at_exit(self) -> None:
        self._closed = True
        await self._aio.aclose()
