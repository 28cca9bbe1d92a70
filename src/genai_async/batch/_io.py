"""Files of a batch run: the streamed JSONL input, the append-only output, the resume scan.

Output lines are ``{"key": ..., "response": ...}`` or ``{"key": ..., "error": ...}``,
each written with one ``os.write`` on an ``O_APPEND`` descriptor, so a crash leaves
whole lines plus at most one cut-off last line. The output is locked
(``flock``) for the whole run, so two runs never append to the same file.

Keys are remembered as 128-bit BLAKE2b hashes (Python ints) in one dict,
:class:`KeyIndex`, which serves both resume (keys already written) and duplicate
detection (keys already read, with the line they were first read on).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import orjson

from ..errors import GenAIError
from ._executor import BatchResult, Item, error_result, validate_item

__all__ = (
    "BatchStartError",
    "KeyIndex",
    "OutputWriter",
    "ResumeScan",
    "count_lines",
    "encode_result",
    "key_hash",
    "open_input",
    "parse_line",
    "read_lines",
    "scan_output",
)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock
    fcntl = None  # type: ignore[assignment]

_READ_CHUNK = 1 << 20
# The key of a line this module wrote: '{"key":"<escaped string>","response"|"error"'.
_LINE_KEY = re.compile(rb'\{"key":("(?:[^"\\]|\\.)*"),"(response|error)"')


class BatchStartError(GenAIError):
    """A batch run could not start: bad arguments, unreadable input, refused output."""


def key_hash(key: str) -> int:
    """A 128-bit hash of ``key`` (collisions are negligible below billions of keys)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest, "little")


def encode_result(result: BatchResult) -> bytes:
    """The output line of one result, newline included."""
    if result.error is None:
        obj = {"key": result.key, "response": result.response}
    else:
        obj = {"key": result.key, "error": result.error}
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)


class KeyIndex:
    """Keys already written to the output and keys already read from the input.

    One dict from key hash to a line number: ``0`` means "in the output, not read
    yet"; a positive number is the input line the key was first read on.
    """

    NEW = 0
    DONE = -1

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def add_written(self, key: str) -> None:
        self._lines.setdefault(key_hash(key), 0)

    def see(self, key: str, lineno: int) -> int:
        """Read ``key`` on ``lineno``: :attr:`NEW` (send it), :attr:`DONE` (already in the
        output) or the line it was first read on (a duplicate)."""
        h = key_hash(key)
        lines = self._lines
        first = lines.get(h)
        if first is None:
            lines[h] = lineno
            return self.NEW
        if first == 0:
            lines[h] = lineno
            return self.DONE
        return first


def open_input(path: str) -> tuple[BinaryIO, int | None]:
    """Open the input (``"-"``: standard input) and count its lines when it is a regular file."""
    if path == "-":
        return sys.stdin.buffer, None
    try:
        handle = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    except OSError as exc:
        raise BatchStartError(f"cannot read input {path!r}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return handle, None
        total = count_lines(handle)
        handle.seek(0)
    except OSError as exc:
        handle.close()
        raise BatchStartError(f"cannot read input {path!r}: {exc.strerror or exc}") from None
    return handle, total


def count_lines(handle: BinaryIO) -> int:
    """Lines in a file, a last line without a newline included (blank lines too)."""
    count = 0
    last = b"\n"
    while chunk := handle.read(_READ_CHUNK):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    return count + (last != b"\n")


def read_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw line)`` of every line that is not blank; numbers start at 1."""
    for lineno, line in enumerate(handle, 1):
        if not line.isspace():
            yield lineno, line


def parse_line(lineno: int, raw: bytes) -> Item:
    """One input line -> an item to send, or an error result keyed ``"line:N"``."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return error_result(f"line:{lineno}", 400, "INVALID_ARGUMENT", f"invalid JSON ({exc})")
    return validate_item(obj, f"line:{lineno}")


@dataclass(frozen=True, slots=True)
class ResumeScan:
    """What the resume scan found: whole records, earlier error records, lines it could
    not read, and the bytes cut off a partial last line."""

    records: int
    errors: int
    unreadable: int
    truncated_bytes: int


def scan_output(path: str, index: KeyIndex) -> tuple[ResumeScan, int]:
    """Add the key of every whole line of ``path`` to ``index``.

    Returns the scan and the length of the whole-line prefix of the file (what the
    file must be truncated to when its last line was cut off mid-write).
    """
    records = errors = unreadable = 0
    good_end = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break  # a cut-off last line: dropped, so its key is sent again
            good_end += len(line)
            match = _LINE_KEY.match(line)
            key: object
            if match is not None:
                key = orjson.loads(match.group(1))
                is_error = match.group(2) == b"error"
            else:
                if line.isspace():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    unreadable += 1
                    continue
                key = obj.get("key") if isinstance(obj, dict) else None
                is_error = isinstance(obj, dict) and "error" in obj
            if not isinstance(key, str):
                unreadable += 1
                continue
            index.add_written(key)
            records += 1
            errors += is_error
        size = os.fstat(handle.fileno()).st_size
    return ResumeScan(records, errors, unreadable, size - good_end), good_end


class OutputWriter:
    """The output file, opened for appending and locked against a second run.

    Refuses an existing non-empty file unless ``resume`` is true.
    """

    __slots__ = ("_fd", "path")

    def __init__(self, path: str, *, resume: bool) -> None:
        self.path = path
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise BatchStartError(f"cannot open output {path!r}: {exc.strerror or exc}") from None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise BatchStartError(
                        f"output {path!r} is in use by another batch run"
                    ) from None
            if not resume and os.fstat(fd).st_size > 0:
                raise BatchStartError(
                    f"output {path!r} exists and is not empty: pass --resume to continue it "
                    "(keys already in it are skipped), or choose another file"
                )
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def write(self, data: bytes) -> None:
        """Append one whole line (one ``os.write``, repeated only after a short write)."""
        fd = self._fd
        written = os.write(fd, data)
        while written < len(data):
            data = data[written:]
            written = os.write(fd, data)

    def truncate(self, size: int) -> None:
        os.ftruncate(self._fd, size)

    def close(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)  # also releases the lock
