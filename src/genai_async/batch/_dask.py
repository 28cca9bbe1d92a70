"""The Dask engine: input chunks sent to workers, results written by the driver.

Driver (this process): reads the input through :class:`FileRun` (so resume,
bad lines and duplicates work exactly as in the local engine), packs the items
to send into chunks of ``chunk_size`` (one orjson blob each), keeps at most two
chunks per worker outstanding (backpressure: memory stays bounded however large
the input), and writes every returned line itself as futures complete. A chunk
whose task fails (after one Dask retry) becomes error records.

Worker: each worker process keeps one daemon thread running one event loop
(uvloop when installed) with one pooled ``AsyncClient`` and one :class:`Gate`
per run configuration, created by the first task and reused by every later
one; a worker plugin closes them when the worker shuts down. ``concurrency``
applies per worker; the driver divides ``rpm`` and ``tpm`` evenly among the
workers present when the run starts.
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import queue
import threading
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from ._config import ClientConfig, RunConfig
from ._executor import BatchResult, execute
from ._io import BatchStartError, encode_result
from ._limits import Gate

if TYPE_CHECKING:
    from .._async_client import AsyncClient
    from ._driver import FileRun

__all__ = ("check_available", "process_chunk", "run_dask")

_T = TypeVar("_T")
PLUGIN_NAME = "genai-async-batch"
# Per record: (ok, attempts, latency_s, prompt_tokens, output_tokens).
RecordStats = tuple[bool, int, float, int, int]
ChunkResult = tuple[list[bytes], list[RecordStats]]


def check_available() -> None:
    """Raise :class:`BatchStartError` naming the extra when Dask is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise BatchStartError(
            "the dask engine needs Dask: pip install 'genai-async[dask]'"
        ) from None


# -- worker side -----------------------------------------------------------------------------


class _WorkerLoop:
    """One event loop on a daemon thread, its clients and gates (one per configuration)."""

    def __init__(self) -> None:
        try:
            import uvloop

            self.loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
        except ImportError:
            self.loop = asyncio.new_event_loop()
        self.clients: dict[ClientConfig, AsyncClient] = {}
        self.gates: dict[RunConfig, Gate] = {}
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="genai-async-batch-loop", daemon=True
        )
        self.thread.start()

    def call(self, coro: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _close_clients(self) -> None:
        clients, self.clients = list(self.clients.values()), {}
        self.gates.clear()
        for client in clients:
            await client.aclose()

    def close(self) -> None:
        if not self.thread.is_alive():
            return
        try:
            self.call(self._close_clients())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            if not self.thread.is_alive():
                self.loop.close()

    async def process(self, config: RunConfig, payload: bytes) -> ChunkResult:
        client = self.clients.get(config.client)
        if client is None:
            client = self.clients[config.client] = config.client.build(config.concurrency)
        gate = self.gates.get(config)
        if gate is None:
            gate = self.gates[config] = Gate(config.concurrency, config.rpm, config.tpm)
        lines: list[bytes] = []
        stats: list[RecordStats] = []

        async def emit(r: BatchResult) -> None:
            lines.append(encode_result(r))
            stats.append(
                (r.error is None, r.attempts, r.latency_s, r.prompt_tokens, r.output_tokens)
            )

        items = [(key, request, model) for key, request, model in orjson.loads(payload)]
        await execute(
            items,
            emit,
            client=client,
            model=config.model,
            gate=gate,
            max_attempts=config.max_attempts,
            initial_delay=config.initial_delay,
        )
        return lines, stats


_state_lock = threading.Lock()
_state: _WorkerLoop | None = None


def _worker_loop() -> _WorkerLoop:
    global _state
    with _state_lock:
        if _state is None:
            _state = _WorkerLoop()
            atexit.register(close_worker_state)
        return _state


def close_worker_state() -> None:
    """Close this process's worker loop and clients (worker teardown; idempotent)."""
    global _state
    with _state_lock:
        state, _state = _state, None
    if state is not None:
        state.close()


def process_chunk(config: RunConfig, payload: bytes) -> ChunkResult:
    """The Dask task: send one chunk (an orjson array of ``[key, request, model]``) on this
    worker's loop; returns the output lines and per-record statistics."""
    state = _worker_loop()
    _leave_thread_pool()
    return state.call(state.process(config, payload))


def _leave_thread_pool() -> None:
    """Let the worker start its next chunk while this one waits on the loop.

    The task only waits (the loop thread does the work), so it secedes from the
    worker's thread pool: the next chunk then starts at once and its requests fill
    the concurrency the tail of this chunk leaves free (the worker's shared gate
    still caps the total). Outside a Dask worker this does nothing.
    """
    try:
        from distributed import get_worker, secede

        get_worker()
    except (ImportError, ValueError):
        return
    secede()  # type: ignore[no-untyped-call]


def _teardown_plugin() -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class BatchTeardown(WorkerPlugin):
        """Closes the batch loop and its pooled clients when a worker shuts down."""

        def teardown(self, worker: Any) -> None:
            close_worker_state()

    return BatchTeardown()


# -- driver side -----------------------------------------------------------------------------


def _chunks(run: FileRun, size: int) -> Iterator[list[tuple[str, dict[str, Any], str | None]]]:
    chunk: list[tuple[str, dict[str, Any], str | None]] = []
    for item in run.items():
        if type(item) is BatchResult:
            run.record(item)  # a bad line: its error record needs no worker
            continue
        chunk.append(item)  # type: ignore[arg-type]
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _split(value: float | None, workers: int) -> float | None:
    return value / workers if value else None


def run_dask(
    run: FileRun,
    config: RunConfig,
    *,
    scheduler: str | None,
    workers: int | None,
    chunk_size: int,
) -> None:
    """Run ``run`` on the cluster at ``scheduler`` or on a new local cluster."""
    check_available()
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or 2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
    try:
        with Client(  # type: ignore[no-untyped-call]
            cluster if cluster is not None else scheduler, set_as_default=False
        ) as dc:
            dc.wait_for_workers(1, timeout=120)
            n_workers = max(1, len(dc.scheduler_info()["workers"]))
            dc.register_plugin(_teardown_plugin(), name=PLUGIN_NAME)
            worker_config = dataclasses.replace(
                config, rpm=_split(config.rpm, n_workers), tpm=_split(config.tpm, n_workers)
            )
            run.note(
                f"dask: {n_workers} workers at {dc.scheduler.address}, chunks of {chunk_size}, "
                f"concurrency {config.concurrency} per worker"
            )
            _drive(dc, run, worker_config, chunk_size, max_outstanding=2 * n_workers)
    finally:
        if cluster is not None:
            cluster.close()


def _drive(dc: Any, run: FileRun, config: RunConfig, chunk_size: int, max_outstanding: int) -> None:
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()  # futures, put by their done callbacks
    pending: dict[Any, list[str]] = {}  # future -> keys of its chunk

    def collect(until_below: int) -> None:
        while pending and len(pending) >= until_below:
            try:
                future = done.get(timeout=run.progress.interval)
            except queue.Empty:
                run.progress.maybe_render()
                continue
            _record_chunk(run, future, pending.pop(future))

    for chunk in _chunks(run, chunk_size):
        future = dc.submit(process_chunk, config, orjson.dumps(chunk), pure=False, retries=1)
        pending[future] = [item[0] for item in chunk]
        future.add_done_callback(done.put)
        collect(max_outstanding)
    collect(1)


def _record_chunk(run: FileRun, future: Any, keys: list[str]) -> None:
    try:
        lines, stats = future.result()
    except Exception as exc:  # the task failed even after Dask's retry
        message = f"the Dask task failed: {type(exc).__name__}: {exc}"
        for key in keys:
            run.record(
                BatchResult(key, None, {"code": 0, "status": "INTERNAL", "message": message})
            )
        return
    for line, (ok, attempts, latency, prompt, output) in zip(lines, stats, strict=True):
        run.record_line(line, ok, attempts, latency, prompt, output)
