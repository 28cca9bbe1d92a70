"""Incremental server-sent-events decoder for ``streamGenerateContent?alt=sse``.

Bytes in, event payloads out (wire.md §6.3): the WHATWG line grammar (``\\r\\n``,
``\\n`` or ``\\r`` line ends; ``:`` comments; one optional space after the
field colon; ``data`` lines joined with ``\\n``; dispatch on an empty line),
a final event without its blank line still dispatched at end of body, and stray
unframed JSON (a pretty-printed error object written into the stream) reassembled
with a string-aware bracket scanner. Any split of the byte stream gives the same
events. Pure; no I/O.
"""

from __future__ import annotations

__all__ = ("DEFAULT_MAX_EVENT_BYTES", "SSEDecoder")

from .errors import StreamError

DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024


class _JsonScanner:
    """Tracks bracket depth across lines, ignoring brackets inside JSON strings."""

    __slots__ = ("depth", "escape", "in_string", "lines")

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.escape = False
        self.lines: list[bytes] = []

    def feed(self, line: bytes) -> bool:
        """Add a line; True when the value it belongs to is complete."""
        self.lines.append(line)
        depth, in_string, escape = self.depth, self.in_string, self.escape
        for byte in line:
            if in_string:
                if escape:
                    escape = False
                elif byte == 0x5C:  # backslash
                    escape = True
                elif byte == 0x22:  # quote
                    in_string = False
            elif byte == 0x22:
                in_string = True
            elif byte in (0x7B, 0x5B):  # { [
                depth += 1
            elif byte in (0x7D, 0x5D):  # } ]
                depth -= 1
        self.depth, self.in_string, self.escape = depth, in_string, escape
        return depth <= 0 and not in_string

    def text(self) -> bytes:
        return b"\n".join(self.lines)


class SSEDecoder:
    """Feed bytes with :meth:`feed`, finish with :meth:`flush`; both return payloads.

    A payload is the ``data`` of one event (or one stray JSON value) as bytes,
    ready for a JSON parser. Lines longer than ``max_event_bytes`` raise
    :class:`~genai_async.errors.StreamError`.
    """

    __slots__ = ("_data", "_data_size", "_max", "_partial", "_partial_size", "_raw")

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._max = max_event_bytes
        self._partial: list[bytes] = []  # pieces of the line not yet ended
        self._partial_size = 0
        self._data: list[bytes] = []  # data values of the event being built
        self._data_size = 0
        self._raw: _JsonScanner | None = None

    def feed(self, chunk: bytes) -> list[bytes]:
        if not chunk:
            return []
        if self._partial:
            if b"\n" not in chunk and b"\r" not in chunk and not self._partial[-1].endswith(b"\r"):
                self._hold(chunk)
                return []
            chunk = b"".join(self._partial) + chunk
            self._partial = []
            self._partial_size = 0
        held_cr = False
        if b"\r" in chunk:
            # A trailing CR may be the first half of a CRLF split across chunks: the
            # line it ends is kept (with its CR) until the next byte is known.
            if chunk.endswith(b"\r"):
                chunk = chunk[:-1]
                held_cr = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = chunk.split(b"\n")
        tail = lines.pop()
        out: list[bytes] = []
        for line in lines:
            self._line(line, out)
        if held_cr:
            self._hold(tail + b"\r")
        elif tail:
            self._hold(tail)
        return out

    def flush(self) -> list[bytes]:
        """End of body: dispatch whatever is buffered (wire.md §6.3 leniency)."""
        out: list[bytes] = []
        if self._partial:
            rest = b"".join(self._partial)
            self._partial = []
            self._partial_size = 0
            self._line(rest[:-1] if rest.endswith(b"\r") else rest, out)
        if self._raw is not None:
            out.append(self._raw.text())
            self._raw = None
        if self._data:
            out.append(b"\n".join(self._data))
            self._data = []
            self._data_size = 0
        return out

    def _hold(self, piece: bytes) -> None:
        self._partial.append(piece)
        self._partial_size += len(piece)
        if self._partial_size > self._max:
            raise StreamError(f"server-sent event line longer than {self._max} bytes")

    def _line(self, line: bytes, out: list[bytes]) -> None:
        if len(line) > self._max:
            raise StreamError(f"server-sent event line longer than {self._max} bytes")
        raw = self._raw
        if raw is not None:
            if not line:
                # JSON never holds a blank line: the stray value ended malformed. Hand it
                # on (its parse fails loudly) rather than swallow the events after it.
                out.append(raw.text())
                self._raw = None
            elif raw.feed(line):
                out.append(raw.text())
                self._raw = None
            return
        if not line:
            if self._data:
                out.append(self._data[0] if len(self._data) == 1 else b"\n".join(self._data))
                self._data = []
                self._data_size = 0
            return
        first = line[0]
        if first == 0x3A:  # ':' comment
            return
        if line.startswith(b"data:"):
            value = line[6:] if line[5:6] == b" " else line[5:]
            self._data.append(value)
            self._data_size += len(value)
            if self._data_size > self._max:
                raise StreamError(f"server-sent event larger than {self._max} bytes")
            return
        stripped = line.lstrip()
        if stripped[:1] in (b"{", b"["):
            scanner = _JsonScanner()
            if scanner.feed(line):
                out.append(scanner.text())
            else:
                self._raw = scanner
            return
        # event:, id:, retry: and unknown fields carry nothing we use.
