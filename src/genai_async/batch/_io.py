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

import contextlib
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
    "compact_path",
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


def _record_of(line: bytes) -> tuple[str, bool] | None:
    """``(key, is_error)`` of one whole output line, or ``None`` when it is no record."""
    match = _LINE_KEY.match(line)
    if match is not None:
        return orjson.loads(match.group(1)), match.group(2) == b"error"
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    key: object = obj.get("key")
    if not isinstance(key, str):
        return None
    return key, "error" in obj


def scan_output(path: str, index: KeyIndex, *, skip_errors: bool = False) -> tuple[ResumeScan, int]:
    """Add the key of every whole line of ``path`` to ``index``.

    With ``skip_errors`` the keys of error records are left out of ``index`` (so they
    are sent again: ``--retry-errors``); they are still counted in ``errors``.
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
            if line.isspace():
                continue
            record = _record_of(line)
            if record is None:
                unreadable += 1
                continue
            key, is_error = record
            records += 1
            errors += is_error
            if not (is_error and skip_errors):
                index.add_written(key)
        size = os.fstat(handle.fileno()).st_size
    return ResumeScan(records, errors, unreadable, size - good_end), good_end


def compact_path(path: str) -> str:
    """The file a ``--retry-errors`` run builds next to ``path`` before renaming it over."""
    return f"{path}.retry-tmp"


class OutputWriter:
    """The output file, opened for appending and locked against a second run.

    Refuses an existing non-empty file unless ``resume`` is true.
    """

    __slots__ = ("_fd", "path")

    def __init__(self, path: str, *, resume: bool) -> None:
        self.path = path
        for _ in range(10):
            fd = _open_locked(path)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except OSError:
                same = False
            if same:
                break
            os.close(fd)  # a --retry-errors run renamed a new file over it meanwhile
        else:
            raise BatchStartError(f"output {path!r} keeps being replaced by another run")
        try:
            if not resume and os.fstat(fd).st_size > 0:
                raise BatchStartError(
                    f"output {path!r} exists and is not empty: pass --resume to continue it "
                    "(keys already in it are skipped), or choose another file"
                )
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def drop_error_records(self) -> int:
        """Replace the file by a copy without its error records (``--retry-errors``).

        The copy is written next to the output, synced and renamed over it, so a crash
        at any moment leaves either the old file or the new one, never a mix; it is
        locked before the rename, so the lock is never given up. A cut-off last line
        is dropped as well. Returns how many records were dropped (0: nothing changed).
        """
        tmp = compact_path(self.path)
        fd = _open_locked(tmp)
        renamed = False
        try:
            os.ftruncate(fd, 0)  # a copy left by a crash before its rename
            dropped = 0
            pending: list[bytes] = []
            size = 0
            with open(self.path, "rb") as source:
                for line in source:
                    if not line.endswith(b"\n"):
                        break
                    record = None if line.isspace() else _record_of(line)
                    if record is not None and record[1]:
                        dropped += 1
                        continue
                    pending.append(line)
                    size += len(line)
                    if size >= _READ_CHUNK:
                        _write_all(fd, b"".join(pending))
                        pending, size = [], 0
            if dropped:
                _write_all(fd, b"".join(pending))
                os.fsync(fd)
                os.replace(tmp, self.path)
                renamed = True
                _sync_dir(self.path)
        finally:
            if not renamed:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        old, self._fd = self._fd, fd
        os.close(old)
        return dropped

    def write(self, data: bytes) -> None:
        """Append one whole line (one ``os.write``, repeated only after a short write)."""
        _write_all(self._fd, data)

    def truncate(self, size: int) -> None:
        os.ftruncate(self._fd, size)

    def close(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)  # also releases the lock


def _open_locked(path: str) -> int:
    """``path`` opened for appending (created when missing) and locked for this run."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise BatchStartError(f"cannot open output {path!r}: {exc.strerror or exc}") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BatchStartError(f"output {path!r} is in use by another batch run") from None
    return fd


def _write_all(fd: int, data: bytes) -> None:
    written = os.write(fd, data)
    while written < len(data):
        data = data[written:]
        written = os.write(fd, data)


def _sync_dir(path: str) -> None:
    """Make a rename in the directory of ``path`` durable (best effort)."""
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
