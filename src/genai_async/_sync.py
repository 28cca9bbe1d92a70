"""``Client``: the blocking facade. Every method is one call onto the shared loop thread.

Place in the layering: the top, above the API surfaces. There is no second
implementation here: a sync method sends the async core's coroutine to the
process-wide loop (:mod:`._portal`) with role ``"sync"`` and blocks for its
result. Each surface's typed sync twin (``models.Models``, ...) is written
next to its async class over :class:`._blocking.SyncSurface`.
"""

from __future__ import annotations

import threading
import warnings
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._async_client import AsyncClient
from ._blocking import BlockingIterator, BlockingProxy
from ._client import EventStream
from ._options import HttpOptions
from ._portal import PortalLease
from ._registry import PoolStats
from ._unsupported import missing
from .errors import ClientClosedError

if TYPE_CHECKING:
    from .batches import Batches
    from .caches import Caches
    from .chats import Chats
    from .file_search_stores import FileSearchStores
    from .files import Files
    from .models import Models
    from .operations import Operations
    from .tunings import Tunings

__all__ = ("BlockingIterator", "BlockingProxy", "Client", "SyncStream")


async def _pool_stats(client: AsyncClient) -> PoolStats:
    return client.pool_stats()


class SyncStream:
    """What ``Client.stream(...)`` returns: ``with`` it to send the request and get the events."""

    __slots__ = ("_args", "_client", "_events")

    def __init__(self, client: Client, args: tuple[Any, ...]) -> None:
        self._client = client
        self._args = args
        self._events: BlockingIterator[Any] | None = None

    def __enter__(self) -> BlockingIterator[Any]:
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
        self._aio = AsyncClient._for_sync_calls(
            api_key=api_key,
            vertexai=vertexai,
            project=project,
            location=location,
            credentials=credentials,
            http_options=http_options,
            enterprise=enterprise,
        )
        self._closed = True  # until the lease is held: nothing to warn about in __del__
        self._close_lock = threading.Lock()
        self._models: Models | None = None
        self._chats: Chats | None = None
        self._files: Files | None = None
        self._caches: Caches | None = None
        self._operations: Operations | None = None
        self._batches: Batches | None = None
        self._tunings: Tunings | None = None
        self._file_search_stores: FileSearchStores | None = None
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
    def models(self) -> Models:
        """google-genai's ``client.models``: generate_content, count_tokens, ... (blocking)."""
        models = self._models
        if models is None:
            from .models import AsyncModels, Models

            models = self._models = Models(self._lease, AsyncModels(self._aio, "sync"))
        return models

    @property
    def chats(self) -> Chats:
        """google-genai's ``client.chats``: multi-turn chat sessions (blocking)."""
        chats = self._chats
        if chats is None:
            from .chats import AsyncChats, Chats

            chats = self._chats = Chats(self._lease, AsyncChats(self.models._async))
        return chats

    @property
    def files(self) -> Files:
        """google-genai's ``client.files``: upload, get, list, delete, download (blocking)."""
        files = self._files
        if files is None:
            from .files import AsyncFiles, Files

            files = self._files = Files(self._lease, AsyncFiles(self._aio, "sync"))
        return files

    @property
    def caches(self) -> Caches:
        """google-genai's ``client.caches``: context caching (blocking)."""
        caches = self._caches
        if caches is None:
            from .caches import AsyncCaches, Caches

            caches = self._caches = Caches(self._lease, AsyncCaches(self._aio, "sync"))
        return caches

    @property
    def operations(self) -> Operations:
        """google-genai's ``client.operations``: poll long-running operations (blocking)."""
        operations = self._operations
        if operations is None:
            from .operations import AsyncOperations, Operations

            operations = self._operations = Operations(
                self._lease, AsyncOperations(self._aio, "sync")
            )
        return operations

    @property
    def batches(self) -> Batches:
        """google-genai's ``client.batches``: the server-side Batch API (blocking)."""
        batches = self._batches
        if batches is None:
            from .batches import AsyncBatches, Batches

            batches = self._batches = Batches(self._lease, AsyncBatches(self._aio, "sync"))
        return batches

    @property
    def tunings(self) -> Tunings:
        """google-genai's ``client.tunings``: model tuning jobs (blocking)."""
        tunings = self._tunings
        if tunings is None:
            from .tunings import AsyncTunings, Tunings

            tunings = self._tunings = Tunings(self._lease, AsyncTunings(self._aio, "sync"))
        return tunings

    @property
    def file_search_stores(self) -> FileSearchStores:
        """google-genai's ``client.file_search_stores``: File Search stores and their
        documents (blocking)."""
        stores = self._file_search_stores
        if stores is None:
            from .file_search_stores import AsyncFileSearchStores, FileSearchStores

            stores = self._file_search_stores = FileSearchStores(
                self._lease, AsyncFileSearchStores(self._aio, "sync")
            )
        return stores

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

    def warm_up(self, *, session: bool = True) -> None:
        """Do the one-time work of the first request now (see ``AsyncClient.warm_up``):
        the pooled session on the shared loop, and an OAuth token when needed."""
        self._check_open()
        self._lease.portal.call(self._aio._warm_up, "sync", session)

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

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: google-genai names we lack say so.
        raise missing("client", name)

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
