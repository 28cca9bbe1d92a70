"""``AsyncClient``: the client core with google-genai's API surfaces attached.

Place in the layering: above the surfaces (``models``, ...), which depend only
on the core (:class:`._client.ClientCore`); below the sync facade. Surfaces are
built on first use, so building a client imports and builds no pydantic type.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import TYPE_CHECKING, Any

from ._client import ClientCore

if TYPE_CHECKING:
    from .batches import AsyncBatches
    from .caches import AsyncCaches
    from .chats import AsyncChats
    from .file_search_stores import AsyncFileSearchStores
    from .files import AsyncFiles
    from .models import AsyncModels
    from .operations import AsyncOperations
    from .tunings import AsyncTunings

__all__ = ("AsyncClient",)

_warm_lock = threading.Lock()
_warming: threading.Thread | None = None


def _warm_models() -> None:
    """Import the ``models`` surface (its pydantic types: ~100-200 ms) in a thread, once
    per process, from the first client's construction. A first call on an event loop
    then finds it imported, instead of stalling the loop's other tasks while the
    ``models`` property imports it (importing in a thread is safe here: the package
    has no import cycles, which CI checks)."""
    global _warming
    if "genai_async.models" in sys.modules:
        return
    with _warm_lock:
        if _warming is None:
            _warming = threading.Thread(
                target=importlib.import_module,
                args=("genai_async.models",),
                name="genai-async-import",
                daemon=True,
            )
            _warming.start()


class AsyncClient(ClientCore):
    """The async client. Use one per application and share it; it is cheap to build.

    **Parameters:** ``api_key``, ``vertexai`` (alias ``enterprise``), ``project``,
    ``location``, ``credentials`` and ``http_options`` as in google-genai; unset
    values come from the environment (``GOOGLE_API_KEY``, ``GOOGLE_CLOUD_PROJECT``, ...).

    Usage::

        async with genai_async.AsyncClient(api_key="...") as client:
            data = await client.request("POST", "models/gemini-2.0-flash:generateContent",
                                        {"contents": [{"parts": [{"text": "Hi"}]}]})
            async with client.stream("POST", "models/gemini-2.0-flash:streamGenerateContent?alt=sse",
                                     {"contents": [{"parts": [{"text": "Hi"}]}]}) as events:
                async for event in events:
                    ...
    """

    _models: AsyncModels | None = None
    _chats: AsyncChats | None = None
    _files: AsyncFiles | None = None
    _caches: AsyncCaches | None = None
    _operations: AsyncOperations | None = None
    _batches: AsyncBatches | None = None
    _tunings: AsyncTunings | None = None
    _file_search_stores: AsyncFileSearchStores | None = None

    def _setup(self, *args: Any) -> None:
        super()._setup(*args)
        _warm_models()

    @property
    def models(self) -> AsyncModels:
        """google-genai's ``client.aio.models``: generate_content, count_tokens, ..."""
        models = self._models
        if models is None:
            from .models import AsyncModels

            models = self._models = AsyncModels(self, "async")
        return models

    @property
    def chats(self) -> AsyncChats:
        """google-genai's ``client.aio.chats``: multi-turn chat sessions."""
        chats = self._chats
        if chats is None:
            from .chats import AsyncChats

            chats = self._chats = AsyncChats(self.models)
        return chats

    @property
    def files(self) -> AsyncFiles:
        """google-genai's ``client.aio.files``: upload, get, list, delete, download."""
        files = self._files
        if files is None:
            from .files import AsyncFiles

            files = self._files = AsyncFiles(self, "async")
        return files

    @property
    def caches(self) -> AsyncCaches:
        """google-genai's ``client.aio.caches``: context caching."""
        caches = self._caches
        if caches is None:
            from .caches import AsyncCaches

            caches = self._caches = AsyncCaches(self, "async")
        return caches

    @property
    def operations(self) -> AsyncOperations:
        """google-genai's ``client.aio.operations``: poll long-running operations."""
        operations = self._operations
        if operations is None:
            from .operations import AsyncOperations

            operations = self._operations = AsyncOperations(self, "async")
        return operations

    @property
    def batches(self) -> AsyncBatches:
        """google-genai's ``client.aio.batches``: the server-side Batch API."""
        batches = self._batches
        if batches is None:
            from .batches import AsyncBatches

            batches = self._batches = AsyncBatches(self, "async")
        return batches

    @property
    def tunings(self) -> AsyncTunings:
        """google-genai's ``client.aio.tunings``: model tuning jobs."""
        tunings = self._tunings
        if tunings is None:
            from .tunings import AsyncTunings

            tunings = self._tunings = AsyncTunings(self, "async")
        return tunings

    @property
    def file_search_stores(self) -> AsyncFileSearchStores:
        """google-genai's ``client.aio.file_search_stores``: File Search stores and their
        documents."""
        stores = self._file_search_stores
        if stores is None:
            from .file_search_stores import AsyncFileSearchStores

            stores = self._file_search_stores = AsyncFileSearchStores(self, "async")
        return stores
