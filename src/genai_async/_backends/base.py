"""The backend interface: send a request, open a stream, close the session.

Backends know nothing of retries, URLs or the API; the client drives them.
Timeouts arrive as plain seconds: ``limit`` bounds a whole unary attempt (or a
stream up to its headers), ``Prepared.settings.timeout`` is a stream's idle gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import TransportError

__all__ = ("AsyncBackend", "RawResponse", "StreamResponse", "transport_error")


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
        prep: Any,
        limit: float | None,
    ) -> RawResponse:
        raise NotImplementedError

    async def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        prep: Any,
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
    failure looks like a reused keep-alive connection closed before any response."""
    err = cls(message)
    err.retryable = retryable
    err.stale = stale
    err.__cause__ = cause
    return err
