"""The Dask engine: input chunks sent to workers, results written by the driver.

Driver (this process): reads the input through :class:`FileRun` (so resume,
bad lines and duplicates work exactly as in the local engine), packs the items
to send into small chunks of ``chunk_size`` (one orjson blob each), keeps just
enough chunks per worker outstanding to fill its concurrency twice over
(backpressure: memory stays bounded however large the input), and writes every
returned line itself as each future completes, so results and progress stream
in chunk by chunk. A chunk whose task fails (after one Dask retry) becomes error
records. Ctrl-C (SIGTERM from the command line) tells every worker to stop the
run (:func:`stop_run`): running chunks cancel what is in flight and return what
was answered, which the driver writes before it raises ``KeyboardInterrupt``; a
local cluster's workers ignore SIGINT, so a terminal's Ctrl-C reaches only the
driver and prints no worker tracebacks.

Worker: each worker process runs its requests on the library's one background
event loop (the sync ``Client``'s portal; uvloop when installed), with one
pooled ``AsyncClient`` and one :class:`Gate`
per run configuration, created by the first task and reused by every later
one; a worker plugin closes them when the worker shuts down. ``concurrency``
applies per worker; the driver divides ``rpm`` and ``tpm`` evenly among the
workers present when the run starts.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import queue
import signal
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

import anyio
import orjson

from .._portal import PortalLease
from ..errors import ClientClosedError
from ._config import ClientConfig, RunConfig
from ._executor import BatchResult, execute
from ._io import BatchStartError, encode_result
from ._limits import Gate

if TYPE_CHECKING:
    from .._async_client import AsyncClient
    from ._driver import FileRun

__all__ = ("check_available", "process_chunk", "run_dask", "stop_run")

_T = TypeVar("_T")
Ts = TypeVarTuple("Ts")
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
    """This worker's clients and gates (one per configuration), on the library's one
    background event loop (the portal the sync ``Client`` runs on: uvloop when
    installed). Chunks call in from the worker's task threads."""

    def __init__(self) -> None:
        self.lease = PortalLease(on_exit=self._close_clients)
        self.clients: dict[ClientConfig, AsyncClient] = {}
        self.gates: dict[RunConfig, Gate] = {}
        self.scopes: dict[str, set[anyio.CancelScope]] = {}  # run id -> its running chunks

    def call(self, fn: Callable[[*Ts], Awaitable[_T]], *args: *Ts) -> _T:
        return self.lease.portal.call(fn, *args)

    async def _close_clients(self) -> None:
        clients, self.clients = list(self.clients.values()), {}
        self.gates.clear()
        for client in clients:
            await client.aclose()

    def close(self) -> None:
        if self.lease.released:
            return
        try:
            self.call(self._close_clients)
        except ClientClosedError:
            pass  # the loop stopped first (interpreter exit): it closed the sessions
        finally:
            self.lease.release()

    async def _cancel(self, run_id: str) -> None:
        for scope in self.scopes.pop(run_id, ()):
            scope.cancel()

    def stop(self, run_id: str) -> None:
        """Cancel the running chunks of ``run_id`` (from any thread but the loop's)."""
        if not self.lease.released:
            try:
                self.call(self._cancel, run_id)
            except ClientClosedError:
                pass

    async def process(self, config: RunConfig, run_id: str, payload: bytes) -> ChunkResult:
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
        with anyio.CancelScope() as scope:
            if _is_stopped(run_id):
                return lines, stats  # the driver stopped the run: send nothing more
            scopes = self.scopes.setdefault(run_id, set())
            scopes.add(scope)
            try:
                await execute(
                    items,
                    emit,
                    client=client,
                    model=config.model,
                    gate=gate,
                    max_attempts=config.max_attempts,
                    initial_delay=config.initial_delay,
                )
            finally:
                scopes.discard(scope)
        return lines, stats  # all of them, or those answered before the driver stopped the run


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


_stopped_runs: set[str] = set()


def _is_stopped(run_id: str) -> bool:
    with _state_lock:
        return run_id in _stopped_runs


def stop_run(run_id: str) -> None:
    """Run on every worker when the driver is interrupted: chunks of ``run_id`` running
    here stop sending and return what was answered; later ones return at once."""
    with _state_lock:
        _stopped_runs.add(run_id)
        state = _state
    if state is not None:
        state.stop(run_id)


def process_chunk(config: RunConfig, run_id: str, payload: bytes) -> ChunkResult:
    """The Dask task: send one chunk (an orjson array of ``[key, request, model]``) on this
    worker's loop; returns the output lines and per-record statistics (of every key, or of
    the keys answered before :func:`stop_run`)."""
    state = _worker_loop()
    _leave_thread_pool()
    return state.call(state.process, config, run_id, payload)


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


def _chunks(
    run: FileRun, size: int, drive: _Drive
) -> Iterator[list[tuple[str, dict[str, Any], str | None]]]:
    chunk: list[tuple[str, dict[str, Any], str | None]] = []
    for item in run.items():
        if drive.interrupted:
            return  # what was read and not sent is sent by the resumed run
        if type(item) is BatchResult:
            run.record(item)  # a bad line: its error record needs no worker
            continue
        chunk.append(item)  # type: ignore[arg-type]
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk and not drive.interrupted:
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
    """Run ``run`` on the cluster at ``scheduler`` or on a new local cluster.

    Ctrl-C (or SIGTERM, which the command line turns into Ctrl-C) stops the workers,
    writes what they had answered and raises ``KeyboardInterrupt``.
    """
    check_available()
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        with _interrupts_ignored():  # the workers inherit it: Ctrl-C reaches the driver only
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
            # enough chunks per worker to keep its concurrency busy while results stream back
            per_worker = max(2, -(-2 * config.concurrency // chunk_size))
            _Drive(dc, run, worker_config, per_worker * n_workers).run(chunk_size)
    finally:
        if cluster is not None:
            with _interrupts_ignored():
                cluster.close()


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """SIGINT ignored for a moment (processes started meanwhile inherit that), in the
    main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_STOP_WAIT_S = 30.0  # how long an interrupted run waits for its workers' answers


class _Drive:
    """Submits chunks, writes their lines as each future completes, and on Ctrl-C stops
    the workers and writes what they answered.

    Ctrl-C only sets a flag (checked at least every 0.1 s), so it never lands between
    two lines of a chunk; a second Ctrl-C stops at once.
    """

    def __init__(self, dc: Any, run: FileRun, config: RunConfig, max_outstanding: int) -> None:
        self.dc = dc
        self.run_ = run
        self.config = config
        self.max_outstanding = max_outstanding
        self.run_id = uuid.uuid4().hex
        self.done: queue.SimpleQueue[Any] = queue.SimpleQueue()  # put by done callbacks
        self.pending: dict[Any, list[str]] = {}  # future -> keys of its chunk
        self.interrupted = False

    def _on_interrupt(self, signum: int, frame: object) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True

    def run(self, chunk_size: int) -> None:
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._on_interrupt) if main else None
        try:
            for chunk in _chunks(self.run_, chunk_size, self):
                future = self.dc.submit(
                    process_chunk,
                    self.config,
                    self.run_id,
                    orjson.dumps(chunk),
                    pure=False,
                    retries=1,
                )
                self.pending[future] = [item[0] for item in chunk]
                future.add_done_callback(self.done.put)
                self._collect(self.max_outstanding)
                if self.interrupted:
                    break
            else:
                self._collect(1)
            if self.interrupted:
                self._stop()
                raise KeyboardInterrupt
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def _collect(self, until_below: int) -> None:
        run, pending = self.run_, self.pending
        wait = min(0.1, run.progress.interval)
        while pending and len(pending) >= until_below and not self.interrupted:
            try:
                future = self.done.get(timeout=wait)
            except queue.Empty:
                run.progress.maybe_render()
                continue
            _record_chunk(run, future, pending.pop(future))

    def _stop(self) -> None:
        run, pending = self.run_, self.pending
        run.note("interrupted: stopping the workers and writing what they answered")
        before = run.stats.ok + run.stats.errors
        try:
            self.dc.run(stop_run, self.run_id, on_error="ignore")  # a lost worker: its chunks fail
        except Exception as exc:  # the scheduler is gone: nothing more comes back
            run.note(f"could not reach the workers ({type(exc).__name__}: {exc})")
        deadline = time.monotonic() + _STOP_WAIT_S
        while pending and time.monotonic() < deadline:
            try:
                future = self.done.get(timeout=0.1)
            except queue.Empty:
                continue
            keys = pending.pop(future)
            if future.status == "finished":  # a failed chunk's keys stay unanswered
                _record_chunk(run, future, keys)
        if pending:
            self.dc.cancel(list(pending))
        written = run.stats.ok + run.stats.errors - before
        run.note(f"wrote {written} answers of the stopped chunks")


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
