"""The ``gemini-batch`` engine: a file run done by Google's Batch API (Gemini API).

The input lines that are still to do (keys not yet in the output) become JSONL
files, one per model (a line's ``"model"`` or the run's), split where a file
would pass the API's per-file limit; each is uploaded with the resumable
protocol and run by one batch job (all submitted before any is polled); each
result file is downloaded streamed and written as the usual output lines.

Exactly once, across crashes: the run's state (``OUTPUT.gemini-batch.json``:
per job its run id, uploaded file, job name, done) is written atomically after
each step. A job's display name carries a run id derived from its input and
model, and a job not recorded is looked up by that name before it is created,
so a crash between "create sent" and "state written" never makes a second job.
A resumed run continues polling or downloading; keys already in the output are
never written twice. Ctrl-C leaves the job running (``--resume`` picks it up);
``cancel=True`` cancels it server-side.

Choice: the job input is always a file, never inlined requests. One path serves
every size, and the Batch API's inline limit (20 MB per request) would need the
file path for large inputs anyway.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

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
class _Part:
    """One job of a run: its model, JSONL file, keys, and where it stands."""

    model: str
    path: str
    keys: list[str] = field(default_factory=list)
    size: int = 0
    run_id: str = ""
    file: str | None = None
    job: str | None = None
    done: bool = False

    @property
    def display_name(self) -> str:
        return f"genai-async-{self.run_id}"


def _save_state(path: str, parts: list[_Part]) -> None:
    """The run's state, written atomically (a crash leaves the old or the new one)."""
    data = [
        {"run_id": p.run_id, "model": p.model, "file": p.file, "job": p.job, "done": p.done}
        for p in parts
    ]
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(orjson.dumps({"parts": data}))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _load_state(path: str) -> dict[str, dict[str, Any]] | None:
    """The recorded parts by run id, or ``None`` when no run is in progress."""
    try:
        with open(path, "rb") as f:
            data = orjson.loads(f.read())
        return {str(p["run_id"]): p for p in data["parts"]}
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise BatchStartError(f"cannot read the run state {path!r}: {exc}") from None


def _say(stream: TextIO | None, text: str) -> None:
    if stream is not None:
        print(f"gemini-batch: {text}", file=stream, flush=True)


def _prepare(
    input_path: str, output_path: str, model: str, index: KeyIndex, max_file_bytes: int
) -> tuple[int, list[BatchResult], list[_Part]]:
    """Write the jobs' JSONL files (keys still to do; one job per model, a new one when a
    file would pass ``max_file_bytes``) and return (lines read, bad lines, the parts)."""
    handle, _ = open_input(input_path)
    lines = 0
    bad: list[BatchResult] = []
    parts: list[_Part] = []
    current: dict[str, tuple[_Part, BinaryIO]] = {}
    try:
        for lineno, raw in read_lines(handle):
            lines += 1
            item = parse_line(lineno, raw)
            if isinstance(item, BatchResult):
                if not index.see(item.key, lineno):  # not written by an earlier run
                    bad.append(item)
                continue
            key, request, line_model = item
            if index.see(key, lineno):
                continue  # already in the output, or a repeated key
            data = orjson.dumps({"key": key, "request": request}, option=orjson.OPT_APPEND_NEWLINE)
            job_model = line_model or model
            found = current.get(job_model)
            if found is None or found[0].size + len(data) > max_file_bytes:
                if found is not None:
                    found[1].close()
                part = _Part(job_model, f"{output_path}.gemini-batch-{len(parts)}.jsonl")
                parts.append(part)
                found = current[job_model] = (part, open(part.path, "wb"))  # noqa: SIM115
            found[1].write(data)
            found[0].size += len(data)
            found[0].keys.append(key)
    finally:
        for _, out in current.values():
            out.close()
        if handle is not sys.stdin.buffer:
            handle.close()
    for part in parts:
        part.run_id = _run_id(part.path, part.model)
    return lines, bad, parts


def _run_id(job_input: str, model: str) -> str:
    digest = hashlib.sha256(model.encode())
    with open(job_input, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:20]


async def _find_jobs(client: AsyncClient) -> dict[str, str]:
    """Job names by display name, for the jobs the API lists."""
    found: dict[str, str] = {}
    async for job in await client.batches.list(config={"page_size": 100}):
        if job.display_name and job.name:
            found.setdefault(job.display_name, job.name)
    return found


def _stats(job: Any) -> str:
    extra = job.model_extra or {}
    stats = extra.get("batchStats") or extra.get("batch_stats")
    if not isinstance(stats, dict):
        return ""
    done = int(stats.get("successfulRequestCount", 0) or 0) + int(
        stats.get("failedRequestCount", 0) or 0
    )
    return f", {done}/{stats.get('requestCount', '?')} requests done"


async def _submit(
    client: AsyncClient, part: _Part, parts: list[_Part], state_path: str, stream: TextIO | None
) -> None:
    if part.file is None:
        _say(stream, f"uploading {len(part.keys)} requests for {part.model} ({part.size} bytes)")
        file = await client.files.upload(
            file=part.path,
            config={"mime_type": "application/jsonl", "display_name": part.display_name},
        )
        part.file = file.name
        _save_state(state_path, parts)
    job = await client.batches.create(
        model=part.model, src=part.file, config={"display_name": part.display_name}
    )
    part.job = job.name
    _save_state(state_path, parts)
    _say(stream, f"created {job.name}; resume with --resume if this stops")


async def _collect(
    client: AsyncClient, part: _Part, job: Any, name: str, writer: OutputWriter
) -> tuple[int, int]:
    """Write the records of a finished job; returns (ok, errors)."""
    pending = dict.fromkeys(part.keys)
    ok = errors = 0
    if name == "JOB_STATE_SUCCEEDED" and job.dest is not None and job.dest.file_name:
        sink = _ResultSink(pending, writer)
        await client.files.download(file=job.dest.file_name, destination=sink)
        sink.close()
        ok, errors = sink.ok, sink.failed
        reason = "the job's result file has no line for this key"
    else:
        reason = f"the batch job ended {name}"
        error = getattr(job, "error", None)
        if error is not None and getattr(error, "message", None):
            reason += f": {error.message}"
    for key in pending:
        writer.write(encode_result(error_result(key, 500, "INTERNAL", reason)))
        errors += 1
    return ok, errors


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
    max_file_bytes: int,
) -> BatchSummary:
    started = time.monotonic()
    state_path = f"{output_path}.gemini-batch.json"
    recorded = _load_state(state_path)
    if recorded is not None and not resume:
        raise BatchStartError(
            f"a gemini-batch run of {output_path!r} is in progress: pass --resume to "
            "continue it, or --resume --cancel to cancel it"
        )
    writer = OutputWriter(output_path, resume=resume)
    try:
        index = KeyIndex()
        scan = None
        if resume:
            scan, good = scan_output(output_path, index)
            if scan.truncated_bytes:
                writer.truncate(good)
        lines, bad, parts = await anyio.to_thread.run_sync(
            _prepare, input_path, output_path, model, index, max_file_bytes
        )
        for part in parts:
            if part.size > max_file_bytes:
                raise BatchStartError(
                    f"one request line is over the Batch API's {max_file_bytes}-byte limit "
                    "per file; send it with --engine local"
                )
            seen = (recorded or {}).get(part.run_id)
            if seen is not None:
                part.file, part.job = seen.get("file"), seen.get("job")
        for result in bad:
            writer.write(encode_result(result))
        ok, errors = 0, len(bad)
        if not parts:
            _say(stream, "nothing to send: every key is already in the output")
            _remove(state_path)
            return _summary(lines, ok, errors, len(bad), scan, 0, started)
        if any(p.job is None for p in parts):
            listed = await _find_jobs(client)
            for part in parts:
                if part.job is None and part.display_name in listed:
                    part.job = listed[part.display_name]
                    _say(stream, f"found the job of this run: {part.job}")
        _save_state(state_path, parts)
        if cancel:
            names = [p.job for p in parts if p.job is not None]
            if not names:
                raise BatchStartError("no batch job of this run to cancel")
            for job_name in names:
                await client.batches.cancel(name=job_name)
                _say(stream, f"cancelled {job_name}")
        for part in parts:
            if part.job is None:
                await _submit(client, part, parts, state_path, stream)
        while not all(p.done for p in parts):
            for part in parts:
                if part.done:
                    continue
                assert part.job is not None
                job = await client.batches.get(name=part.job)
                name = getattr(job.state, "name", str(job.state))
                _say(stream, f"{part.job}: {name}{_stats(job)}, {time.monotonic() - started:.0f}s")
                if name in _DONE:
                    done_ok, done_errors = await _collect(client, part, job, name, writer)
                    ok += done_ok
                    errors += done_errors
                    part.done = True
                    _save_state(state_path, parts)
                    _remove(part.path)
            if not all(p.done for p in parts):
                await anyio.sleep(poll_interval)
        _remove(state_path)
        sent = sum(len(p.keys) for p in parts)
        return _summary(lines, ok, errors, len(bad), scan, sent, started)
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
    max_file_bytes: int = MAX_FILE_BYTES,
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
                max_file_bytes=max_file_bytes,
            )

    return anyio.run(main)
