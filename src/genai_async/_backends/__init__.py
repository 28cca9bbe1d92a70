"""HTTP backends: one small adapter per library, behind :class:`base.AsyncBackend`.

aiohttp is imported only by ``aiohttp.py`` and httpx only by ``httpx.py``; each
translates its library's exceptions into ``genai_async.errors`` in one place.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import anyio

from .. import _ssl

if TYPE_CHECKING:
    from .._keys import TransportKey
    from .base import AsyncBackend

__all__ = ("create_backend", "prepare_backend")

_MODULES = {"aiohttp": "aiohttp", "native": "native", "httpx-sync": "httpx_sync", "httpx": "httpx"}
#: The name each backend builds its TLS context under (see ``_ssl.ssl_for``).
_TLS_NAMES = {"aiohttp": "aiohttp", "native": "native", "httpx-sync": "httpx", "httpx": "httpx"}


async def prepare_backend(key: TransportKey) -> None:
    """Do the slow one-time parts of building ``key``'s first session in a worker
    thread, so the event loop keeps serving its other tasks meanwhile: importing the
    backend and its library (~100 ms for aiohttp) and loading the CA bundle into a
    TLS context (memoised by ``_ssl``). Nothing to do once both are done."""
    module = f"{__name__}.{_MODULES[key.backend]}"
    tls = key.tls
    build_tls = (
        tls.verify
        and tls.context is None
        and tls.fingerprint is None
        and not _ssl.is_cached(tls, _TLS_NAMES[key.backend])
    )
    if module in sys.modules and not build_tls:
        return

    def prepare() -> None:
        importlib.import_module(module)
        if build_tls:
            _ssl.ssl_for(tls, _TLS_NAMES[key.backend])

    await anyio.to_thread.run_sync(prepare)


def create_backend(key: TransportKey) -> AsyncBackend:
    """Build the session for ``key`` on the running loop."""
    if key.backend == "aiohttp":
        from .aiohttp import AiohttpBackend

        return AiohttpBackend(key)
    if key.backend == "native":
        from .native import NativeBackend

        return NativeBackend(key)
    if key.backend == "httpx-sync":
        from .httpx_sync import HttpxSyncBackend

        return HttpxSyncBackend(key)
    from .httpx import HttpxBackend

    return HttpxBackend(key)
