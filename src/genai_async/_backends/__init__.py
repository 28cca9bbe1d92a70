"""HTTP backends: one small adapter per library, behind :class:`base.AsyncBackend`.

aiohttp is imported only by ``aiohttp.py`` and httpx only by ``httpx.py``; each
translates its library's exceptions into ``genai_async.errors`` in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._keys import TransportKey
    from .base import AsyncBackend

__all__ = ("create_backend",)


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
