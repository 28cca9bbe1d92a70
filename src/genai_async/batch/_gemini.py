"""The ``gemini-batch`` engine: a file run done by Google's Batch API (Gemini API).

The input lines that are still to do (keys not yet in the output) become the
job's JSONL file, uploaded with the resumable protocol; one batch job runs it;
its result file is downloaded streamed and written as the usual output lines.

Exactly once, across crashes: the run's state (``OUTPUT.gemini-batch.json``:
run id, uploaded file, job name) is written atomically before and after each
step. The job's display name carries a run id derived from the job input and
the model, and a run without a recorded job looks it up before creating one,
so a crash between "create sent" and "state written" never makes a second job.
A resumed run continues polling or downloading; keys already in the output are
never written twice. Ctrl-C leaves the job running (``--resume`` picks it up);
``cancel=True`` cancels it server-side.

Choice: the job input is always a file, never inlined requests. One path serves
every size, and the Batch API's inline limit (20 MB per request) would need the
file path for large inputs anyway. Inputs over the per-file limit (2 GB) are
refused with a clear error; splitting them is not done yet.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

import anyio
import orjson

from ._executor import BatchResult, error_result
from ._io import (
    BatchStartError,
    KeyIndex,
    OutputWriter,
    encode_result,
    open_input,
    parse_line,
    read_lines,
    scan_output,
)
from ._progress import BatchSummary

if TYPE_CHECKING:
    from .._async_client import AsyncClient
    from ._config import ClientConfig

__all__ = ("MAX_FILE_BYTES", "run_gemini_batch")

MAX_FILE_BYTES = 2 * 1024**3
"""The Batch API's limit on one input file."""

_DONE = ("JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED")


@dataclass(slots=True)
class _State:
    run_id: str
    model: str
    file: str | None = None
    job: str | None = None

    def save(self, path: str) -> None:
        tmp = f"{path}.tmp"
        with open(tmp, "wb") as f:
            f.write(orjson.dumps({"run_id": self.run_id, "model": self.model,
                                  "file": self.file, "job": self.job}))  # fmt: skip
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str) -> _State | None:
        try:
            with open(path, "rb") as f:
                data = orjson.loads(f.read())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            raise BatchStartError(f"cannot read the run state {path!r}: {exc}") from None
        return cls(str(data["run_id"]), str(data["model"]), data.get("file"), data.get("job"))


def _say(stream: TextIO | None, text: str) -> None:
    if stream is not None:
        print(f"gemini-batch: {text}", file=stream, flush=True)


def _prepare(
    input_path: str, job_input: str, model: str, index: KeyIndex
) -> tuple[int, list[BatchResult], list[str], int]:
    """Write the job's JSONL (keys still to do) and return (lines read, error results of
    bad lines, keys sent, bytes written)."""
    handle, _ = open_input(input_path)
    lines = 0
    bad: list[BatchResult] = []
    keys: list[str] = []
    size = 0
    digest_lines: Iterator[tuple[int, bytes]] = read_lines(handle)
    try:
        with open(job_input, "wb") as out:
            for lineno, raw in digest_lines:
                lines += 1
                item = parse_line(lineno, raw)
                if isinstance(item, BatchResult):
                    if not index.see(item.key, lineno):  # not written by an earlier run
                        bad.append(item)
                    continue
                key, request, line_model = item
                if index.see(key, lineno):
                    continue  # already in the output, or a repeated key
                if line_model is not None and line_model != model:
                    bad.append(
                        error_result(
                            key,
                            400,
                            "INVALID_ARGUMENT",
                            f"the line's model {line_model!r} differs from the job's "
                            f"model {model!r} (one Batch API job runs one model)",
                        )
                    )
                    continue
                data = orjson.dumps(
                    {"key": key, "request": request}, option=orjson.OPT_APPEND_NEWLINE
                )
                out.write(data)
                size += len(data)
                keys.append(key)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    return lines, bad, keys, size


def _run_id(job_input: str, model: str) -> str:
    digest = hashlib.sha256(model.encode())
    with open(job_input, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:20]


async def _find_job(client: AsyncClient, display_name: str) -> Any:
    async for job in await client.batches.list(config={"page_size": 100}):
        if job.display_name == display_name:
            return job
    return None


def _stats(job: Any) -> str:
    stats = (job.model_extra or {}).get("batchStats") or (job.model_extra or {}).get("batch_stats")
    if not isinstance(stats, dict):
        return ""
    done = int(stats.get("successfulRequestCount", 0) or 0) + int(
        stats.get("failedRequestCount", 0) or 0
    )
    return f", {done}/{stats.get('requestCount', '?')} requests done"


async def _run(
    client: AsyncClient,
    *,
    input_path: str,
    output_path: str,
    model: str,
    resume: bool,
    cancel: bool,
    poll_interval: float,
    stream: TextIO | None,
) -> BatchSummary:
    started = time.monotonic()
    state_path = f"{output_path}.gemini-batch.json"
    job_input = f"{output_path}.gemini-batch-input.jsonl"
    state = _State.load(state_path)
    if state is not None and not resume:
        raise BatchStartError(
            f"a gemini-batch run of {output_path!r} is in progress ({state.job or 'not started'}):"
            " pass --resume to continue it, or --resume --cancel to cancel it"
        )
    writer = OutputWriter(output_path, resume=resume)
    try:
        index = KeyIndex()
        scan = None
        if resume:
            scan, good = scan_output(output_path, index)
            if scan.truncated_bytes:
                writer.truncate(good)
        lines, bad, keys, size = await anyio.to_thread.run_sync(
            _prepare, input_path, job_input, model, index
        )
        if size > MAX_FILE_BYTES:
            raise BatchStartError(
                f"the job input is {size} bytes, over the Batch API's {MAX_FILE_BYTES}-byte "
                "limit per file; split the input (or use --engine local)"
            )
        run_id = _run_id(job_input, model)
        if state is None or state.run_id != run_id:
            if state is not None and state.job:
                _say(stream, f"the input changed since {state.job}; a new job is made for it")
            state = _State(run_id, model)
        for result in bad:
            writer.write(encode_result(result))
        ok = errors = 0
        errors += len(bad)
        if not keys:
            _say(stream, "nothing to send: every key is already in the output")
            _remove(job_input, state_path)
            return _summary(lines, ok, errors, len(bad), scan, 0, started)
        display = f"genai-async-{run_id}"
        if cancel:
            if state.job is None:
                found = await _find_job(client, display)
                state.job = found.name if found is not None else None
            if state.job is None:
                raise BatchStartError("no batch job of this run to cancel")
            await client.batches.cancel(name=state.job)
            _say(stream, f"cancelled {state.job}")
        if state.job is None:
            found = await _find_job(client, display)
            if found is not None:
                state.job = found.name
                state.save(state_path)
                _say(stream, f"found the job of this run: {state.job}")
        if state.job is None:
            if state.file is None:
                _say(stream, f"uploading {len(keys)} requests ({size} bytes)")
                file = await client.files.upload(
                    file=job_input,
                    config={"mime_type": "application/jsonl", "display_name": display},
                )
                state.file = file.name
                state.save(state_path)
            job = await client.batches.create(
                model=model, src=state.file, config={"display_name": display}
            )
            state.job = job.name
            state.save(state_path)
            _say(stream, f"created {job.name}; resume with --resume if this stops")
        assert state.job is not None
        while True:
            job = await client.batches.get(name=state.job)
            name = getattr(job.state, "name", str(job.state))
            _say(stream, f"{state.job}: {name}{_stats(job)}, {time.monotonic() - started:.0f}s")
            if name in _DONE:
                break
            await anyio.sleep(poll_interval)
        pending = {k: None for k in keys}
        if name == "JOB_STATE_SUCCEEDED" and job.dest is not None and job.dest.file_name:
            sink = _ResultSink(pending, writer)
            await client.files.download(file=job.dest.file_name, destination=sink)
            sink.close()
            ok += sink.ok
            errors += sink.failed
            reason = "the job's result file has no line for this key"
        else:
            reason = f"the batch job ended {name}"
            error = getattr(job, "error", None)
            if error is not None and getattr(error, "message", None):
                reason += f": {error.message}"
        for key in pending:
            writer.write(encode_result(error_result(key, 500, "INTERNAL", reason)))
            errors += 1
        _remove(job_input, state_path)
        return _summary(lines, ok, errors, len(bad), scan, len(keys), started)
    finally:
        writer.close()


def _remove(*paths: str) -> None:
    """Files the run no longer needs (missing ones are fine)."""
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class _ResultSink:
    """Where the result file streams to: each whole line is written as an output record."""

    def __init__(self, pending: dict[str, None], writer: OutputWriter) -> None:
        self._pending = pending
        self._writer = writer
        self._buffer = b""
        self.ok = self.failed = 0

    def write(self, chunk: bytes) -> None:
        *whole, self._buffer = (self._buffer + chunk).split(b"\n")
        for line in whole:
            self._line(line)

    def close(self) -> None:
        if self._buffer.strip():
            self._line(self._buffer)
        self._buffer = b""

    def _line(self, line: bytes) -> None:
        done = _write_result(line, self._pending, self._writer)
        if done == 1:
            self.ok += 1
        elif done == 0:
            self.failed += 1


def _write_result(line: bytes, pending: dict[str, None], writer: OutputWriter) -> int | None:
    """Write one result line if its key is still pending: 1 ok, 0 error, None skipped."""
    if not line.strip():
        return None
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    key = obj.get("key") if isinstance(obj, dict) else None
    if not isinstance(key, str) or key not in pending:
        return None
    del pending[key]
    if isinstance(obj.get("error"), dict) or "response" not in obj:
        error = (
            obj.get("error") if isinstance(obj.get("error"), dict) else {"message": "no response"}
        )
        writer.write(encode_result(BatchResult(key, error=error)))
        return 0
    writer.write(encode_result(BatchResult(key, response=obj["response"])))
    return 1


def _summary(
    lines: int, ok: int, errors: int, bad: int, scan: Any, sent: int, started: float
) -> BatchSummary:
    return BatchSummary(
        total_lines=lines,
        ok=ok,
        errors=errors,
        bad_lines=bad,
        skipped=scan.records if scan is not None else 0,
        duplicates=0,
        duplicate_lines=(),
        earlier_errors=scan.errors if scan is not None else 0,
        retries=0,
        sent=sent,
        queued=sent,
        wall_s=time.monotonic() - started,
        latency_p50_s=None,
        latency_p99_s=None,
        prompt_tokens=0,
        output_tokens=0,
    )


def run_gemini_batch(
    input_path: str,
    output_path: str,
    *,
    model: str,
    client: ClientConfig,
    resume: bool = False,
    cancel: bool = False,
    poll_interval: float = 30.0,
    stream: TextIO | None = sys.stderr,
) -> BatchSummary:
    """Run ``input_path`` as one Gemini Batch API job and write its results to
    ``output_path`` (the same lines and exit codes as the local engine)."""
    if input_path == "-":
        raise BatchStartError("--engine gemini-batch needs an input file, not standard input")

    async def main() -> BatchSummary:
        async with client.build() as built:
            if built.vertexai:
                raise BatchStartError(
                    "--engine gemini-batch runs on the Gemini Developer API; Vertex AI batch "
                    "prediction jobs read from Cloud Storage or BigQuery (not provided here)"
                )
            return await _run(
                built,
                input_path=input_path,
                output_path=output_path,
                model=model,
                resume=resume,
                cancel=cancel,
                poll_interval=poll_interval,
                stream=stream,
            )

    return anyio.run(main)
