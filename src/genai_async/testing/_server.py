"""``MockServer``: an embedded Gemini / Vertex AI compatible HTTP/1.1 server for tests.

The server runs its own event loop (uvloop when importable) on a daemon thread,
so it behaves the same whatever the test uses: asyncio, uvloop, trio or plain
synchronous code. It answers the REST routes of ``generateContent``,
``streamGenerateContent`` (SSE), ``countTokens``, embeddings and model
metadata with deterministic bodies, records every request, counts
connections, and can be scripted to fail through :class:`Fault` objects.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import ssl as _ssl
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ._core import ServerCore
from ._faults import Fault
from ._protocol import Connection
from ._records import RecordedRequest, ServerStats
from ._strict import StrictRules

if TYPE_CHECKING:
    from ._process import MockServerProcess

__all__ = ("MockServer",)

_T = TypeVar("_T")
logger = logging.getLogger("genai_async.testing")
THREAD_NAME = "genai-async-mockserver"
_CALL_TIMEOUT = 10.0


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new uvloop loop when uvloop is importable, else a default asyncio loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


def _log_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # Misbehaving clients (aborted TLS handshakes, resets) must not produce noisy errors.
    logger.debug("mock server: %s", context.get("message"), exc_info=context.get("exception"))


class MockServer:
    """A real HTTP/1.1 server on loopback that speaks the Gemini / Vertex AI REST API.

    Usage::

        with MockServer() as server:
            client = AsyncClient(api_key="k", http_options={"base_url": server.url})
            ...
            assert server.last_request.header("x-goog-api-key") == "k"

        server.inject(Fault(match=":generateContent", status=503, times=2))

    **Parameters:**

    * ``host`` / ``port`` — where to listen; port 0 (default) picks a free port.
    * ``ssl`` — a server-side :class:`ssl.SSLContext` to serve HTTPS.
    * ``latency`` — seconds before each response's headers: fixed, or a ``(lo, hi)``
      range drawn uniformly from ``random.Random(seed)``.
    * ``stream_events`` — number of SSE events per ``streamGenerateContent`` response.
    * ``record_limit`` — how many recent requests are kept (0 keeps none).
    * ``page_size_default`` — page size of model listings without ``pageSize``.
    * ``models`` — total number of fake models a listing pages through.
    * ``strict`` — answer as the real API does to mistakes (the default): 404 for a
      model outside :data:`~genai_async.testing.KNOWN_MODELS` (plus ``known_models``),
      400 "Unknown name" for an unknown request field, 404 for an unknown API version
      or an empty path segment. ``strict=False`` answers any model name, field and
      version (for tests that send made-up fields on purpose).
    * ``known_models`` — model names to accept besides ``KNOWN_MODELS`` (a model newer
      than this release's list).

    ``start()`` and ``stop()`` each take a few milliseconds, so ``async with`` simply
    calls them; it briefly blocks the caller's loop and works under any async library.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl: _ssl.SSLContext | None = None,
        latency: float | tuple[float, float] = 0.0,
        stream_events: int = 3,
        record_limit: int = 10_000,
        seed: int = 0,
        page_size_default: int = 50,
        models: int = 7,
        strict: bool = True,
        known_models: Iterable[str] = (),
    ) -> None:
        self._host = host
        self._requested_port = port
        self._ssl = ssl
        self._core = ServerCore(
            latency=latency,
            stream_events=stream_events,
            record_limit=record_limit,
            seed=seed,
            page_size_default=page_size_default,
            models=models,
            tls=ssl is not None,
        )
        if strict:
            self._core.responder.strict = StrictRules(known_models)
        self._lifecycle = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> MockServer:
        """Start serving; returns once the socket listens. A no-op when already running."""
        with self._lifecycle:
            if self._thread is not None:
                return self
            ready = threading.Event()
            failure: list[BaseException] = []
            thread = threading.Thread(
                target=self._serve, args=(ready, failure), name=THREAD_NAME, daemon=True
            )
            thread.start()
            ready.wait()
            if failure:
                thread.join()
                raise failure[0]
            self._thread = thread
        return self

    def stop(self) -> None:
        """Close the listener and every connection, then join the thread. Idempotent."""
        with self._lifecycle:
            thread, loop = self._thread, self._loop
            if thread is None or loop is None:
                return
            try:
                future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
                future.result(_CALL_TIMEOUT)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(_CALL_TIMEOUT)
                self._thread = None
                self._loop = None
                self._server = None
                self._core.loop = None

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = new_event_loop()
        loop.set_exception_handler(_log_loop_error)
        try:
            try:
                server = loop.run_until_complete(
                    loop.create_server(
                        lambda: Connection(self._core),
                        self._host,
                        self._requested_port,
                        ssl=self._ssl,
                        backlog=1024,
                    )
                )
            except BaseException as exc:
                failure.append(exc)
                return
            self._server = server
            self._loop = loop
            self._core.loop = loop
            self._port = int(server.sockets[0].getsockname()[1])
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            ready.set()
            loop.close()

    async def _shutdown(self) -> None:
        server = self._server
        if server is not None:
            server.close()
        for conn in list(self._core.connections.values()):
            conn.abort()
        await self._until_gone(list(self._core.connections.values()))
        if server is not None:
            await server.wait_closed()

    async def _until_gone(self, conns: Iterable[object]) -> None:
        """Let the loop run until these connections have reported ``connection_lost``."""
        ids = {id(c) for c in conns}
        for i in range(200):
            live = {id(c) for c in self._core.connections.values()}
            if not ids & live:
                return
            await asyncio.sleep(0 if i < 20 else 0.005)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MockServer:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        if self._thread is None:
            return "<MockServer [stopped]>"
        s = self._core.stats()
        return (
            f"<MockServer {self.url} [connections: {s.connections_open} open, "
            f"{s.connections_opened} opened | requests: {s.requests} | faults: {len(self._core.faults)}]>"
        )

    # -- addresses ----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The host the server listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The bound port (only known once started)."""
        if self._port is None:
            raise RuntimeError("MockServer is not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:43211`` (``https`` when serving TLS)."""
        scheme = "https" if self._ssl is not None else "http"
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{scheme}://{host}:{self.port}"

    # -- recordings and counters --------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the recorded requests, oldest first."""
        return self._core.requests()

    @property
    def last_request(self) -> RecordedRequest | None:
        """The most recent recorded request, or ``None``."""
        return self._core.last_request()

    def stats(self) -> ServerStats:
        """Connection and request counters."""
        return self._core.stats()

    def clear(self) -> None:
        """Forget recorded requests and reset counters (open connections stay counted)."""
        self._core.clear()

    # -- faults -------------------------------------------------------------------------------

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each request gets the first matching one (FIFO)."""
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(f"expected Fault, got {type(fault).__name__}")
        self._core.faults.add(faults)

    def add_file(
        self, data: bytes, mime_type: str, name: str | None = None, *, generated: bool = True
    ) -> dict[str, Any]:
        """Store a file as the service would have made it and return its resource
        (camelCase JSON); ``generated`` files (the default) can be downloaded."""
        return self._core.resources.add_file(data, mime_type, name, generated=generated)

    def set_batch(self, *, polls: int | None = None, outcome: str | None = None) -> None:
        """Batch jobs created from now on take ``polls`` reads to finish (default 2;
        pending, then running) and end in ``outcome`` (default
        ``"BATCH_STATE_SUCCEEDED"``; also ``_FAILED``, ``_EXPIRED``, ``_CANCELLED``).
        A line whose request contains ``[error]`` gets a per-line error."""
        self._core.resources.set_batch(polls=polls, outcome=outcome)

    def set_operation_polls(self, polls: int) -> None:
        """How many polls a new long-running operation (video generation, a File Search
        import or upload) answers ``done: false`` to before it is done (default 1; with 0 a
        File Search operation is done when it is created)."""
        self._core.resources.set_operation_polls(polls)

    def drop_upload_at(self, offset: int) -> None:
        """Drop the connection of the next upload chunk that crosses byte ``offset``,
        after keeping its bytes up to ``offset`` (a resumable upload can resume)."""
        self._core.resources.drop_upload_at(offset)

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """The stored files by name (a snapshot of their resources)."""
        return self._core.resources.snapshot_files()

    def file_bytes(self, name: str) -> bytes | None:
        """The stored bytes of a file (``None`` for uploads over 64 MiB, kept as a digest)."""
        return self._core.resources.blob(name)

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self._core.faults.clear()

    # -- connection control -------------------------------------------------------------------

    def close_idle_connections(self) -> int:
        """Close (FIN) every connection idle between requests; returns how many."""

        async def close_idle() -> int:
            closing = self._core.close_idle()
            await self._until_gone(closing)
            return len(closing)

        loop = self._require_loop()
        return asyncio.run_coroutine_threadsafe(close_idle(), loop).result(_CALL_TIMEOUT)

    def set_idle_close(self, seconds: float | None) -> None:
        """Close keep-alive connections idle for more than ``seconds`` (``None``: never)."""
        if seconds is not None and seconds < 0:
            raise ValueError("seconds must be >= 0 or None")
        self._call_in_loop(lambda: self._core.set_idle_close(seconds))

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is None:
            raise RuntimeError("MockServer is not started")
        return loop

    def _call_in_loop(self, fn: Callable[[], _T]) -> _T:
        loop = self._require_loop()
        future: concurrent.futures.Future[_T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return future.result(_CALL_TIMEOUT)

    # -- separate process ---------------------------------------------------------------------

    @staticmethod
    def spawn(
        *,
        latency_ms: float = 0,
        stream_events: int = 3,
        cpu: int | None = None,
        port: int = 0,
        extra_args: Iterable[str] = (),
    ) -> MockServerProcess:
        """Run a mock server in a subprocess (``python -m genai_async.testing``).

        Returns once it listens. Use it when the server must not share the test's CPU
        or GIL, e.g. in benchmarks; ``cpu`` pins the process to one CPU.
        """
        from ._process import spawn_process

        return spawn_process(
            latency_ms=latency_ms,
            stream_events=stream_events,
            cpu=cpu,
            port=port,
            extra_args=tuple(extra_args),
        )
