"""The driver of a file run, shared by both engines, and the local engine.

:class:`FileRun` owns everything that makes a run exactly-once: it streams the
input, turns bad lines into ``"line:N"`` error records, skips keys the output
already holds (resume), refuses repeated keys, and is the only writer of the
output. An engine only turns the items it is given into results and hands each
one back to :meth:`FileRun.record` (the local engine in this process, the Dask
engine from its workers' returned chunks).
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

import anyio

from ._config import RunConfig
from ._executor import BatchResult, Item, execute
from ._io import (
    BatchStartError,
    KeyIndex,
    OutputWriter,
    ResumeScan,
    encode_result,
    open_input,
    parse_line,
    read_lines,
    scan_output,
)
from ._limits import Gate
from ._progress import BatchSummary, Progress, Stats

if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ("FileRun", "run_local")

_MAX_NOTES = 20  # bad-line and duplicate messages printed before they are only counted
_DUPLICATE_LINES_KEPT = 20


class FileRun:
    """One run from ``input_path`` to ``output_path``; use as a context manager.

    ``stream`` receives notes and progress (``None``: silent); ``progress`` forces the
    bar on or off (``None``: a bar when ``stream`` is a terminal, plain lines otherwise).
    """

    def __init__(
        self,
        input_path: str,
        output_path: str,
        *,
        resume: bool = False,
        retry_errors: bool = False,
        dry_run: bool = False,
        stream: TextIO | None = None,
        progress: bool | None = None,
    ) -> None:
        self.input_path = input_path
        self.output_path = output_path
        self.resume = resume or retry_errors
        self.retry_errors = retry_errors
        self.dry_run = dry_run
        self.stream = stream
        self.stats = Stats()
        self.index = KeyIndex()
        self.lines = 0
        self.queued = 0
        self.scan: ResumeScan | None = None
        self._handle: BinaryIO | None = None
        self._writer: OutputWriter | None = None
        self._notes = 0
        self._started = time.monotonic()
        tty = progress if progress is not None else bool(stream is not None and stream.isatty())
        self.progress = Progress(self.stats, stream, tty=tty, total=None)

    # -- set-up ------------------------------------------------------------------------------

    def __enter__(self) -> FileRun:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> None:
        if os.path.abspath(self.input_path) == os.path.abspath(self.output_path):
            raise BatchStartError("the output must not be the input file")
        if not self.dry_run and os.path.exists(f"{self.output_path}.gemini-batch.json"):
            raise BatchStartError(
                f"a gemini-batch run of {self.output_path!r} is in progress: finish it "
                "(--engine gemini-batch --resume) or cancel it (--resume --cancel) first"
            )
        self._handle, total = open_input(self.input_path)
        self.progress.total = total
        if not self.dry_run:
            self._writer = OutputWriter(self.output_path, resume=self.resume)
        elif not self.resume and _non_empty(self.output_path):
            raise BatchStartError(
                f"output {self.output_path!r} exists and is not empty: pass --resume to continue it"
            )
        if self.resume and os.path.exists(self.output_path):
            retry = self.retry_errors
            try:
                scan, good_end = scan_output(self.output_path, self.index, skip_errors=retry)
            except OSError as exc:
                raise BatchStartError(
                    f"cannot read output {self.output_path!r}: {exc.strerror or exc}"
                ) from None
            self.scan = scan
            self.stats.earlier_errors = 0 if retry else scan.errors
            if self._writer is not None:
                if retry and scan.errors:
                    self._writer.drop_error_records()  # also drops a cut-off last line
                elif scan.truncated_bytes:
                    self._writer.truncate(good_end)
            self._note_resume(scan)

    def _note_resume(self, scan: ResumeScan) -> None:
        text = f"resume: {scan.records} records already in {self.output_path}"
        if scan.truncated_bytes:
            verb = "would cut" if self.dry_run else "cut"
            text += f"; {verb} a partial last line ({scan.truncated_bytes} bytes)"
        if scan.unreadable:
            text += f"; {scan.unreadable} unreadable lines left as they are"
        if self.retry_errors:
            verb = "would be" if self.dry_run else "are"
            text += f"; {scan.errors} error records {verb} replaced (their keys sent again)"
        self.note(text)

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None and handle.fileno() > 2:
            handle.close()
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    # -- the run -----------------------------------------------------------------------------

    def note(self, text: str) -> None:
        """A message for the user, between progress updates."""
        stream = self.stream
        if stream is None:
            return
        prefix = "\r\x1b[K" if self.progress.tty else ""
        stream.write(f"{prefix}{text}\n")
        stream.flush()

    def items(self) -> Iterator[Item]:
        """The items to send, in input order; bad lines come as finished error results.

        Skipped (already written) and repeated keys are counted here and never yielded.
        """
        assert self._handle is not None
        index, stats, progress = self.index, self.stats, self.progress
        for lineno, raw in read_lines(self._handle):
            self.lines += 1
            item = parse_line(lineno, raw)
            key = item.key if isinstance(item, BatchResult) else item[0]
            seen = index.see(key, lineno)
            if seen == KeyIndex.NEW:
                if isinstance(item, BatchResult):
                    stats.bad_lines += 1
                    message = item.error["message"] if item.error else "bad line"
                    self._limited_note(f"line {lineno}: {message}")
                else:
                    self.queued += 1
                yield item
            elif seen == KeyIndex.DONE:
                stats.skipped += 1
                progress.maybe_render()
            else:
                stats.duplicates += 1
                if len(stats.duplicate_lines) < _DUPLICATE_LINES_KEPT:
                    stats.duplicate_lines.append(lineno)
                self._limited_note(
                    f"line {lineno}: duplicate key {key!r} (first on line {seen}): not sent again"
                )
        progress.total = self.lines  # now known exactly (blank lines are not counted)

    def _limited_note(self, text: str) -> None:
        self._notes += 1
        if self._notes <= _MAX_NOTES:
            self.note(text)
        elif self._notes == _MAX_NOTES + 1:
            self.note("(more bad or duplicate lines are only counted; see the summary)")

    def record(self, result: BatchResult) -> None:
        """Write one result line and count it."""
        writer = self._writer
        assert writer is not None
        writer.write(encode_result(result))
        self.stats.add(result)
        self.progress.maybe_render()

    def record_line(
        self,
        line: bytes,
        ok: bool,
        attempts: int,
        latency: float,
        prompt_tokens: int,
        output_tokens: int,
    ) -> None:
        """Write one result line encoded elsewhere (a Dask worker) and count it."""
        writer = self._writer
        assert writer is not None
        writer.write(line)
        self.stats.add_values(ok, attempts, latency, prompt_tokens, output_tokens)
        self.progress.maybe_render()

    def dry_scan(self) -> None:
        """Read the whole input without sending (``dry_run``)."""
        stats = self.stats
        for item in self.items():
            if type(item) is BatchResult:
                stats.errors += 1

    def summary(self) -> BatchSummary:
        s = self.stats
        return BatchSummary(
            total_lines=self.lines,
            ok=s.ok,
            errors=s.errors,
            bad_lines=s.bad_lines,
            skipped=s.skipped,
            duplicates=s.duplicates,
            duplicate_lines=tuple(s.duplicate_lines),
            earlier_errors=s.earlier_errors,
            retries=s.retries,
            sent=s.sent,
            queued=self.queued,
            wall_s=time.monotonic() - self._started,
            latency_p50_s=s.percentile(0.50),
            latency_p99_s=s.percentile(0.99),
            prompt_tokens=s.prompt_tokens,
            output_tokens=s.output_tokens,
            dry_run=self.dry_run,
        )


def _non_empty(path: str) -> bool:
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


async def _tick(progress: Progress) -> None:
    while True:
        await anyio.sleep(progress.interval)
        progress.maybe_render()


async def _local_main(run: FileRun, config: RunConfig) -> None:
    client = config.client.build(pool_size=config.concurrency)
    async with client:
        gate = Gate(config.concurrency, config.rpm, config.tpm)

        async def emit(result: BatchResult) -> None:
            run.record(result)

        async with anyio.create_task_group() as tg:
            if run.stream is not None:
                tg.start_soon(_tick, run.progress)
            await execute(
                run.items(),
                emit,
                client=client,
                model=config.model,
                gate=gate,
                max_attempts=config.max_attempts,
                initial_delay=config.initial_delay,
            )
            tg.cancel_scope.cancel()


def run_local(run: FileRun, config: RunConfig, loop: str = "auto") -> None:
    """Run the local engine on a new event loop (``loop``: auto, asyncio, uvloop, trio)."""
    backend, options = _backend(loop)
    anyio.run(_local_main, run, config, backend=backend, backend_options=options)


def check_loop(loop: str) -> None:
    """Raise :class:`BatchStartError` now (before any file is opened) when ``loop``
    is unknown or its library is not installed."""
    _backend(loop)


def _backend(loop: str) -> tuple[str, dict[str, object]]:
    if loop == "trio":
        try:
            import trio  # noqa: F401  (anyio runs it; asked here for a clear error)
        except ImportError:
            raise BatchStartError(
                'the trio event loop needs trio: pip install "genai-async[trio]"'
            ) from None
        return "trio", {}
    if loop == "asyncio":
        return "asyncio", {}
    if loop not in ("auto", "uvloop"):
        raise BatchStartError(f"unknown event loop {loop!r}: use auto, asyncio, uvloop or trio")
    # anyio imports uvloop itself; we only ask whether it is there (as _portal does)
    if importlib.util.find_spec("uvloop") is None:
        if loop == "uvloop":
            raise BatchStartError("uvloop is not installed")
        return "asyncio", {}
    return "asyncio", {"use_uvloop": True}
