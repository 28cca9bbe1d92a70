"""Bulk ``generateContent`` runs: crash-safe, rate-limited, resumable.

Two levels:

* :func:`run` sends an (async) iterable of ``{"key", "request", ["model"]}`` dicts
  through an :class:`~genai_async.AsyncClient` and yields a :class:`BatchResult`
  per request as it completes, with bounded memory.
* :func:`run_file` runs a whole JSONL file in the Gemini Batch API format to an
  output JSONL file, on this machine or on a Dask cluster; it is what
  ``genai-async batch`` runs.

Limits, per run (with the Dask engine ``concurrency`` applies per worker and
``rpm``/``tpm`` are divided evenly among the workers): at most ``concurrency``
requests in flight, ``rpm`` requests and ``tpm`` tokens per minute
(tokens estimated as prompt characters / 4 + ``maxOutputTokens`` before sending,
corrected from ``usageMetadata.totalTokenCount`` after). A 429 halves the
concurrency window, successes grow it back (AIMD), and a server delay
(``Retry-After`` or ``RetryInfo``) pauses every new send of the run. HTTP
408/429/500/502/503/504 and transient transport errors are retried up to
``max_attempts`` times with exponential backoff and jitter.

Output lines are ``{"key": ..., "response": {...}}`` or
``{"key": ..., "error": {"code", "status", "message"}}``, appended (one
``os.write`` per line) as results arrive. With ``resume=True`` the keys already
in the output are skipped, and a cut-off last line (a crash mid-write) is
removed first, so a run interrupted at any moment and resumed ends with every
input key exactly once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TextIO

import anyio

from ._config import ClientConfig, RunConfig
from ._executor import BatchResult, Item, execute, validate_item
from ._io import BatchStartError
from ._limits import Gate
from ._progress import BatchSummary, format_summary

if TYPE_CHECKING:
    from .._async_client import AsyncClient

__all__ = (
    "BatchResult",
    "BatchStartError",
    "BatchSummary",
    "ClientConfig",
    "format_summary",
    "run",
    "run_file",
)


async def run(
    requests: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
    *,
    client: AsyncClient,
    model: str,
    concurrency: int = 64,
    rpm: float | None = None,
    tpm: float | None = None,
    max_attempts: int = 5,
    initial_delay: float = 1.0,
) -> AsyncGenerator[BatchResult, None]:
    """Send every request and yield its :class:`BatchResult` as it completes.

    ``requests`` holds ``{"key": str, "request": GenerateContentRequest JSON,
    "model": optional override}`` dicts; it is read lazily (about ``concurrency``
    requests are held at a time), so it may be a generator over a huge file. An item
    that is not of that shape yields an error result keyed ``"item:N"`` (N counts
    from 1). ``initial_delay`` is the first retry's backoff in seconds (it doubles
    per retry, plus up to as much jitter, capped at 60 s).

    The client should have no retry policy of its own (this loop retries; one set
    on the client is overridden per request), and its connection pool (100
    connections unless configured) also bounds the concurrency reached; ``run_file``
    sizes its own client's pool to ``concurrency``. Runs on asyncio, uvloop and trio.
    Stopping early: close the generator in the task that iterates it, e.g. with
    ``contextlib.aclosing``.

    Usage::

        from contextlib import aclosing
        from genai_async import AsyncClient, batch

        requests = ({"key": f"q{i}", "request": {"contents": [{"parts": [{"text": q}]}]}}
                    for i, q in enumerate(questions))
        async with AsyncClient() as client:
            async with aclosing(batch.run(requests, client=client, model="gemini-2.5-flash",
                                          concurrency=32, rpm=600)) as results:
                async for result in results:
                    print(result.key, result.error or result.response["candidates"][0])
    """
    gate = Gate(concurrency, rpm, tpm)
    send, receive = anyio.create_memory_object_stream[BatchResult](concurrency)

    async def emit(result: BatchResult) -> None:
        try:
            send.send_nowait(result)  # the usual case: no scheduling round per result
        except anyio.WouldBlock:
            await send.send(result)

    async def produce() -> None:
        async with send:
            await execute(
                _validated(requests),
                emit,
                client=client,
                model=model,
                gate=gate,
                max_attempts=max_attempts,
                initial_delay=initial_delay,
            )

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(produce)
            try:
                while True:
                    try:
                        result = receive.receive_nowait()
                    except anyio.WouldBlock:
                        try:
                            result = await receive.receive()
                        except anyio.EndOfStream:
                            break
                    except anyio.EndOfStream:
                        break
                    yield result
            except GeneratorExit:
                pass  # closed early: end quietly (a task group would wrap GeneratorExit)
            finally:
                tg.cancel_scope.cancel()
    finally:
        receive.close()  # only now: a worker finishing its last step may still send


def _validated(
    requests: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
) -> Iterable[Item] | AsyncIterable[Item]:
    if isinstance(requests, AsyncIterable):

        async def checked() -> AsyncIterator[Item]:
            n = 0
            async for obj in requests:
                n += 1
                yield validate_item(obj, f"item:{n}")

        return checked()
    return (validate_item(obj, f"item:{n}") for n, obj in enumerate(requests, 1))


def run_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    model: str,
    client: ClientConfig | None = None,
    concurrency: int = 64,
    rpm: float | None = None,
    tpm: float | None = None,
    max_attempts: int = 5,
    initial_delay: float = 1.0,
    resume: bool = False,
    retry_errors: bool = False,
    dry_run: bool = False,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = 50,
    loop: str = "auto",
    stream: TextIO | None = sys.stderr,
    progress: bool | None = None,
) -> BatchSummary:
    """Run a Gemini Batch API JSONL file to an output JSONL file; blocks until done.

    Input lines are ``{"key", "request", ["model"]}``; the input is streamed (a
    first pass counts the lines of a regular file for the progress total; ``"-"``
    reads standard input). An existing non-empty output is refused unless
    ``resume`` is true; ``dry_run`` reads everything and sends nothing.
    ``retry_errors`` (implies ``resume``) sends again the keys whose record in the
    output is an error: the output is first rewritten without its error records (a
    copy synced and renamed over it, so a crash leaves the old or the new file), then
    the run goes on as a resumed one, appending the new records.

    ``engine="local"`` runs in this process on a new event loop (``loop``: ``"auto"``
    picks uvloop when installed, or ``"asyncio"``, ``"uvloop"``, ``"trio"``).
    ``engine="dask"`` (extra ``genai-async[dask]``) sends chunks of ``chunk_size``
    lines (results are written as each chunk returns) to the Dask cluster at ``scheduler``, or to a new local cluster of
    ``workers`` processes (default 2); ``concurrency`` applies per worker and
    ``rpm``/``tpm`` are divided evenly among the workers. Either way this process
    alone writes the output.

    Notes, progress and nothing else go to ``stream`` (``None``: silent); the
    summary is returned (:func:`format_summary` renders it). Raises
    :class:`BatchStartError` when the run cannot start: bad arguments, unreadable
    input, an output refused or locked by another run, missing credentials (checked
    before anything is read, with an OAuth token fetched up front for Vertex AI).

    Usage::

        summary = run_file("prompts.jsonl", "results.jsonl", model="gemini-2.5-flash",
                           rpm=1000, resume=True)
        print(format_summary(summary)); raise SystemExit(summary.exit_code)
    """
    from ._driver import FileRun, check_loop, run_local

    if concurrency < 1 or max_attempts < 1 or chunk_size < 1:
        raise BatchStartError("concurrency, max_attempts and chunk_size must be at least 1")
    if (rpm is not None and rpm <= 0) or (tpm is not None and tpm <= 0):
        raise BatchStartError("rpm and tpm must be positive")
    if engine not in ("local", "dask"):
        raise BatchStartError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    config = RunConfig(
        model=model,
        client=client or ClientConfig(),
        concurrency=concurrency,
        rpm=rpm,
        tpm=tpm,
        max_attempts=max_attempts,
        initial_delay=initial_delay,
    )
    if not dry_run:
        if engine == "local":
            check_loop(loop)
        if engine == "dask":
            from ._dask import check_available

            check_available()
        try:
            config.client.check()
        except Exception as exc:
            raise BatchStartError(f"no usable credentials: {exc}") from exc
    with FileRun(
        os.fspath(input_path),
        os.fspath(output_path),
        resume=resume,
        retry_errors=retry_errors,
        dry_run=dry_run,
        stream=stream,
        progress=progress,
    ) as file_run:
        try:
            if dry_run:
                file_run.dry_scan()
            elif engine == "dask":
                from ._dask import run_dask

                run_dask(
                    file_run, config, scheduler=scheduler, workers=workers, chunk_size=chunk_size
                )
            else:
                run_local(file_run, config, loop)
        finally:
            if not dry_run:
                file_run.progress.close()
        return file_run.summary()


for _name in ("BatchResult", "BatchStartError", "BatchSummary", "ClientConfig"):
    globals()[_name].__module__ = __name__
del _name
