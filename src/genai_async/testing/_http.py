"""Minimal incremental HTTP/1.1 request parser and response framing for the mock server.

The parser accepts bytes as they arrive, yields complete requests one at a time
(so pipelined requests on one connection are handled in order) and understands
``Content-Length`` as well as ``Transfer-Encoding: chunked`` request bodies.
It is deliberately small and allocation-light: the mock server is also the
far end of throughput benchmarks, so its per-request cost must stay low.
"""

from __future__ import annotations

from http import HTTPStatus

__all__ = (
    "CHUNKED_TERMINATOR",
    "CONTINUE_RESPONSE",
    "ParseError",
    "Request",
    "RequestParser",
    "chunk",
    "status_line",
)

MAX_HEAD_BYTES = 64 * 1024
MAX_CHUNK_LINE_BYTES = 4 * 1024
CONTINUE_RESPONSE = b"HTTP/1.1 100 Continue\r\n\r\n"
CHUNKED_TERMINATOR = b"0\r\n\r\n"

_HEX_DIGITS = b"0123456789abcdefABCDEF"
_STATUS_LINES: dict[int, bytes] = {
    s.value: b"HTTP/1.1 %d %s\r\n" % (s.value, s.phrase.encode("latin-1")) for s in HTTPStatus
}


def status_line(status: int) -> bytes:
    """Return the ``HTTP/1.1 <code> <reason>\\r\\n`` line for ``status``."""
    line = _STATUS_LINES.get(status)
    if line is None:
        line = b"HTTP/1.1 %d Unknown\r\n" % status
    return line


def chunk(data: bytes) -> bytes:
    """Frame ``data`` as one chunk of a chunked transfer-coded body."""
    return b"%x\r\n%s\r\n" % (len(data), data)


class ParseError(Exception):
    """The bytes received on a connection are not a valid HTTP/1.x request."""


class Request:
    """One parsed request: request line, headers in wire order, and the decoded body."""

    __slots__ = ("body", "headers", "keep_alive", "method", "target")

    def __init__(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, str]],
        body: bytes,
        keep_alive: bool,
    ) -> None:
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive


def _values(headers: list[tuple[str, str]], lname: str) -> list[str]:
    return [value for name, value in headers if name.lower() == lname]


class RequestParser:
    """Incremental parser: :meth:`feed` bytes, then call :meth:`next_request` until ``None``.

    After a :class:`ParseError` the parser is unusable; the connection must be closed.
    ``continue_pending`` becomes true once the head of a request carrying
    ``Expect: 100-continue`` has been read and its body is still missing; the
    caller answers with :data:`CONTINUE_RESPONSE` and resets the flag.
    """

    __slots__ = (
        "_body_len",
        "_buf",
        "_chunk_left",
        "_chunks",
        "_head",
        "continue_pending",
    )

    def __init__(self) -> None:
        self._buf = bytearray()
        # Head of the request whose body is still incomplete.
        self._head: tuple[str, str, list[tuple[str, str]], bool] | None = None
        self._body_len = 0  # >= 0: Content-Length; -1: chunked
        self._chunk_left: int | None = None  # None: expecting a size line; -1: trailers
        self._chunks: list[bytes] = []
        self.continue_pending = False

    @property
    def idle(self) -> bool:
        """True when no byte of a next request has been received yet."""
        return not self._buf and self._head is None

    def feed(self, data: bytes) -> None:
        """Append received bytes."""
        self._buf += data

    def next_request(self) -> Request | None:
        """Return the next complete request, or ``None`` if more bytes are needed."""
        buf = self._buf
        if self._head is None:
            if not buf:
                return None
            # Tolerate stray CRLFs between requests (RFC 9112 §2.2).
            while buf[:2] == b"\r\n":
                del buf[:2]
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_HEAD_BYTES:
                    raise ParseError("request head too large")
                return None
            if end > MAX_HEAD_BYTES:
                raise ParseError("request head too large")
            text = buf[:end].decode("latin-1")
            del buf[: end + 4]
            self._parse_head(text)
        if self._body_len >= 0:
            n = self._body_len
            if len(buf) < n:
                return None
            body = bytes(buf[:n])
            del buf[:n]
        else:
            chunked_body = self._read_chunked()
            if chunked_body is None:
                return None
            body = chunked_body
        head = self._head
        assert head is not None
        self._head = None
        self.continue_pending = False
        return Request(head[0], head[1], head[2], body, head[3])

    def _parse_head(self, text: str) -> None:
        line_end = text.find("\r\n")
        request_line = text if line_end < 0 else text[:line_end]
        parts = request_line.split(" ")
        if len(parts) != 3:
            raise ParseError("malformed request line")
        method, target, version = parts
        if not method.isalpha() or not method.isupper() or not method.isascii():
            raise ParseError("malformed method")
        if version != "HTTP/1.1" and version != "HTTP/1.0":
            raise ParseError("unsupported HTTP version")
        if target[:1] != "/":
            if target.startswith(("http://", "https://")):
                # Absolute form (as sent to proxies): keep only the path and query.
                slash = target.find("/", target.find("//") + 2)
                target = target[slash:] if slash >= 0 else "/"
            else:
                raise ParseError("malformed request target")
        keep_alive = version == "HTTP/1.1"
        headers: list[tuple[str, str]] = []
        content_length = 0
        chunked = False
        if line_end >= 0:
            block = text[line_end + 2 :]
            for line in block.split("\r\n"):
                name, sep, value = line.partition(":")
                # Field names are tokens: reject whitespace before the colon and line folding.
                if not sep or not name or name[-1] in " \t" or name[0] in " \t":
                    raise ParseError("malformed header line")
                headers.append((name, value.strip(" \t")))
            # Cheap pre-checks; the exact per-header look-ups run only when they hit.
            lowered = block.lower()
            at = lowered.find("content-length:")
            if at >= 0:
                content_length = self._content_length(block, lowered, at, headers)
            if "transfer-encoding" in lowered:
                chunked = self._chunked(headers)
                if chunked and _values(headers, "content-length"):
                    raise ParseError("both Content-Length and Transfer-Encoding")
            if "connection" in lowered:
                tokens = ",".join(_values(headers, "connection")).lower()
                if "close" in tokens:
                    keep_alive = False
                elif "keep-alive" in tokens:
                    keep_alive = True
            if "100-continue" in lowered and any(
                v.lower() == "100-continue" for v in _values(headers, "expect")
            ):
                self.continue_pending = chunked or len(self._buf) < content_length
        if chunked:
            self._body_len = -1
            self._chunk_left = None
            self._chunks = []
        else:
            self._body_len = content_length
        self._head = (method, target, headers, keep_alive)

    @staticmethod
    def _content_length(block: str, lowered: str, at: int, headers: list[tuple[str, str]]) -> int:
        if (at == 0 or lowered[at - 1] == "\n") and lowered.find("content-length:", at + 15) < 0:
            # The usual case: exactly one Content-Length header; read it in place.
            stop = block.find("\r", at)
            value = block[at + 15 : stop if stop >= 0 else len(block)].strip(" \t")
            values = {value}
        else:
            values = set(_values(headers, "content-length"))
            if not values:
                return 0
        if len(values) != 1:
            raise ParseError("conflicting Content-Length headers")
        value = values.pop()
        if not value.isdigit() or not value.isascii():
            raise ParseError("malformed Content-Length")
        return int(value)

    @staticmethod
    def _chunked(headers: list[tuple[str, str]]) -> bool:
        values = _values(headers, "transfer-encoding")
        if not values:
            return False
        codings = [c.strip().lower() for c in ",".join(values).split(",")]
        if codings.count("chunked") != 1 or codings[-1] != "chunked":
            raise ParseError("unsupported Transfer-Encoding")
        return True

    def _read_chunked(self) -> bytes | None:
        buf = self._buf
        while True:
            left = self._chunk_left
            if left is None:
                i = buf.find(b"\r\n")
                if i < 0:
                    if len(buf) > MAX_CHUNK_LINE_BYTES:
                        raise ParseError("chunk size line too long")
                    return None
                size_text = bytes(buf[:i]).split(b";", 1)[0].strip(b" \t")
                if not size_text or size_text.translate(None, _HEX_DIGITS):
                    raise ParseError("malformed chunk size")
                del buf[: i + 2]
                size = int(size_text, 16)
                self._chunk_left = size if size else -1
            elif left < 0:
                # Trailer section: skip header lines up to the empty line.
                i = buf.find(b"\r\n")
                if i < 0:
                    if len(buf) > MAX_HEAD_BYTES:
                        raise ParseError("trailers too large")
                    return None
                del buf[: i + 2]
                if i == 0:
                    body = b"".join(self._chunks)
                    self._chunks = []
                    self._chunk_left = None
                    return body
            else:
                need = left + 2
                if len(buf) < need:
                    return None
                if buf[left:need] != b"\r\n":
                    raise ParseError("chunk data not followed by CRLF")
                self._chunks.append(bytes(buf[:left]))
                del buf[:need]
                self._chunk_left = None
