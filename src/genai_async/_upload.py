"""Google's resumable upload protocol, with resume: what ``files.upload`` sends.

Place in the layering: next to the API-surface helpers, over the client core's
raw requests. One ``start`` request (JSON metadata; the answer's
``X-Goog-Upload-URL`` names the session), then the bytes in chunks of
:data:`CHUNK_SIZE`, each ``upload`` at its offset, the last one ``upload,
finalize``. Only the chunk being sent is in memory, so memory stays bounded
whatever the file size.

A chunk that fails on the transport or with a retryable status is not sent
again blindly: the session is asked how much it holds (``query``) and the
upload resumes from there (inside the current chunk, which is still in
memory, so even unseekable streams resume). google-genai starts over instead.
"""

from __future__ import annotations

import inspect
import logging
import os
import random
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from ._json import encode, loads
from ._retry import RetryPolicy, next_delay
from .errors import APIError, TransportError, UnknownApiResponseError

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("CHUNK_SIZE", "MIN_RESUMES", "Source", "resumable_upload")

logger = logging.getLogger("genai_async")

CHUNK_SIZE = 8 * 1024 * 1024
"""Bytes per upload request (google-genai's chunk size)."""

MIN_RESUMES = 3
"""Resumes per chunk when the client's retry options allow fewer (none by default)."""


class Source:
    """What to upload: a path, a binary file object (sync or async) or bytes, with its size."""

    __slots__ = ("_data", "_file", "_path", "file_name", "size")

    def __init__(self, value: Any) -> None:
        self._path: str | None = None
        self._file: Any = None
        self._data: memoryview | None = None
        self.file_name: str | None = None
        if isinstance(value, (bytes, bytearray, memoryview)):
            self._data = memoryview(value).cast("B")
            self.size = len(self._data)
        elif isinstance(value, (str, os.PathLike)):
            path = os.fspath(value)
            if not path or not os.path.isfile(path):
                raise FileNotFoundError(f"{value} is not a valid file path.")
            self._path = path
            self.file_name = os.path.basename(path)
            self.size = os.path.getsize(path)
        elif hasattr(value, "read"):
            mode = getattr(value, "mode", "b")
            if isinstance(mode, str) and "b" not in mode:
                raise ValueError("file: the file must be opened in binary mode")
            self._file = value
            self.size = self._remaining(value)
        else:
            raise TypeError(
                "file must be a path, a binary file object or bytes, "
                f"not {type(value).__qualname__}"
            )

    @staticmethod
    def _remaining(file: Any) -> int:
        if inspect.iscoroutinefunction(getattr(file, "read", None)):
            raise TypeError("file: an async file object needs its size; pass its path instead")
        try:
            start = file.tell()
            file.seek(0, os.SEEK_END)
            end = file.tell()
            file.seek(start, os.SEEK_SET)
        except (AttributeError, OSError) as exc:
            raise ValueError("file: the file object must be seekable so its size is known") from exc
        return int(end - start)

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        """The bytes in order, :data:`CHUNK_SIZE` at a time."""
        if self._data is not None:
            for start in range(0, self.size, CHUNK_SIZE):
                yield bytes(self._data[start : start + CHUNK_SIZE])
            return
        if self._path is not None:
            async with await anyio.open_file(self._path, "rb") as f:
                while chunk := await f.read(CHUNK_SIZE):
                    yield chunk
            return
        file = self._file
        while chunk := await anyio.to_thread.run_sync(file.read, CHUNK_SIZE):
            yield bytes(chunk)


def _status(headers: Mapping[str, str]) -> str | None:
    value = headers.get("x-goog-upload-status")
    return value.lower() if value else None


def _resumable(exc: BaseException, policy: RetryPolicy) -> bool:
    if isinstance(exc, TransportError):
        return exc.retryable
    return isinstance(exc, APIError) and policy.retries_status(exc.code)


async def resumable_upload(
    client: ClientCore,
    source: Source,
    start_body: dict[str, Any],
    start_headers: Mapping[str, str],
    http_options: Any,
    role: str,
    *,
    path: str = "upload/{api_version}/files",
) -> dict[str, Any]:
    """Upload ``source`` with a session started at ``path`` and return the final
    answer's JSON (``{"file": {...}}`` for the Files API, an operation for a store)."""
    start = await client._call_raw(
        "POST", path, encode(start_body), start_headers, http_options, role
    )
    url = start.headers.get("x-goog-upload-url")
    if not url:
        raise UnknownApiResponseError(
            "the upload was not started: the answer has no X-Goog-Upload-URL header"
        )
    policy = client._prepared(http_options, role).settings.retry
    size = source.size
    if size == 0:
        empty: dict[str, Any] = await _send(
            client, url, b"", 0, True, start_headers, http_options, role
        )
        return empty
    async with aclosing(source.chunks()) as chunks:
        return await _send_chunks(
            client, url, chunks, size, policy, start_headers, http_options, role
        )


async def _send_chunks(
    client: ClientCore,
    url: str,
    chunks: AsyncIterator[bytes],
    size: int,
    policy: RetryPolicy,
    start_headers: Mapping[str, str],
    http_options: Any,
    role: str,
) -> dict[str, Any]:
    resumes = max(policy.attempts - 1, MIN_RESUMES)
    rand = random.Random()
    offset = 0  # bytes the session held before the current chunk
    async for chunk in chunks:
        last = offset + len(chunk) >= size
        sent = 0  # bytes of this chunk the session holds
        failures = 0
        while True:
            try:
                answer = await _send(
                    client,
                    url,
                    chunk[sent:],
                    offset + sent,
                    last,
                    start_headers,
                    http_options,
                    role,
                )
                break
            except (TransportError, APIError) as exc:
                failures += 1
                if not _resumable(exc, policy) or failures > resumes:
                    raise
                delay = next_delay(policy, failures, None, rand)
                logger.info(
                    "upload chunk at byte %d failed (%s); resuming from what the session "
                    "holds in %.2fs",
                    offset + sent,
                    exc,
                    delay,
                )
                await anyio.sleep(delay)
                held, done = await _query(client, url, start_headers, http_options, role)
                if done is not None:
                    finished: dict[str, Any] = done
                    return finished
                if not offset <= held <= offset + len(chunk):
                    raise UnknownApiResponseError(
                        f"the upload session holds {held} bytes, outside the chunk "
                        f"{offset}..{offset + len(chunk)} being sent"
                    ) from exc
                sent = held - offset
                if sent == len(chunk) and not last:
                    break  # all of it arrived; only the answer was lost
        offset += len(chunk)
        if last:
            result: dict[str, Any] = answer
            return result
    raise UnknownApiResponseError(
        f"the upload ended after {offset} of {size} bytes (did the file shrink while it was read?)"
    )


async def _send(
    client: ClientCore,
    url: str,
    data: bytes,
    offset: int,
    last: bool,
    start_headers: Mapping[str, str],
    http_options: Any,
    role: str,
) -> Any:
    headers = {
        **start_headers,
        "X-Goog-Upload-Command": "upload, finalize" if last else "upload",
        "X-Goog-Upload-Offset": str(offset),
    }
    resp = await client._call_raw("POST", url, data, headers, http_options, role, retry=False)
    status = _status(resp.headers)
    if last:
        if status != "final":
            raise UnknownApiResponseError(
                f"the upload was not finalized (X-Goog-Upload-Status: {status})"
            )
        return loads(resp.body) if resp.body else {}
    if status != "active":
        raise UnknownApiResponseError(
            f"the upload session ended early (X-Goog-Upload-Status: {status})"
        )
    return None


async def _query(
    client: ClientCore,
    url: str,
    start_headers: Mapping[str, str],
    http_options: Any,
    role: str,
) -> tuple[int, Any]:
    """How many bytes the session holds, and its final answer when it is complete."""
    headers = {**start_headers, "X-Goog-Upload-Command": "query"}
    resp = await client._call_raw("POST", url, None, headers, http_options, role)
    if _status(resp.headers) == "final":
        return -1, loads(resp.body) if resp.body else {}
    held = resp.headers.get("x-goog-upload-size-received")
    if held is None or not held.isdigit():
        raise UnknownApiResponseError(
            "the upload session did not say how much it holds (X-Goog-Upload-Size-Received)"
        )
    return int(held), None
