"""Write plans: how a reply or a fault becomes bytes on the wire.

A plan is ``(pieces, interval, end)``: the byte pieces of the response, the
pause between pieces (0 sends them at once), and how the connection ends
afterwards (:data:`KEEP`, :data:`CLOSE` or :data:`RESET`). Planning does no
I/O; the connection executes plans with timers on the server loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from ._faults import Fault, error_body
from ._http import CHUNKED_TERMINATOR, chunk, status_line
from ._resources import ResourceReply
from ._responses import Reply, StreamReply

__all__ = (
    "CLOSE",
    "JSON_TYPE",
    "KEEP",
    "RESET",
    "Plan",
    "fault_plan",
    "head",
    "reply_plan",
    "resource_plan",
)

KEEP, CLOSE, RESET = 0, 1, 2
Plan = tuple[list[bytes], float, int]

JSON_TYPE = b"Content-Type: application/json; charset=UTF-8\r\n"
_SSE_TYPE = b"Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
_CLOSE_HEADER = b"Connection: close\r\n"


def head(
    status: int, ctype: bytes, length: int, keep: bool, tail: bytes, extra: bytes = b""
) -> bytes:
    """Response head with a body of ``length`` bytes; ``tail`` is the last header line + CRLF."""
    return b"%s%s%sContent-Length: %d\r\n%s%s" % (
        status_line(status),
        ctype,
        extra,
        length,
        b"" if keep else _CLOSE_HEADER,
        tail,
    )


def reply_plan(reply: Reply | StreamReply, keep: bool, tail: bytes, stream_events: int) -> Plan:
    """The plan of a normal (fault-free) response."""
    end = KEEP if keep else CLOSE
    if isinstance(reply, Reply):
        body = reply.body
        return [head(reply.status, JSON_TYPE, len(body), keep, tail) + body], 0.0, end
    if reply.sse:
        return _sse_plan(reply, None, 200, b"", keep, end, tail, stream_events)
    return _array_plan(reply, None, 200, b"", keep, end, tail, stream_events)


def resource_plan(reply: ResourceReply, keep: bool, tail: bytes) -> Plan:
    """The plan of a resource reply: its content type and extra headers."""
    ctype = b"Content-Type: %s\r\n" % reply.content_type.encode("latin-1")
    extra = _header_lines(reply.headers, None)
    body = reply.body
    start = head(reply.status, ctype, len(body), keep, tail, extra)
    return [start + body], 0.0, KEEP if keep else CLOSE


def fault_plan(
    fault: Fault,
    respond: Callable[[], Reply | StreamReply],
    keep: bool,
    tail: bytes,
    stream_events: int,
) -> Plan:
    """The plan of a response shaped by ``fault``; ``respond`` computes the normal reply."""
    end = CLOSE if fault.close_after or not keep else KEEP
    if fault.drop == "before_response":
        return [], 0.0, CLOSE
    if fault.drop == "reset":
        return [], 0.0, RESET
    extra = _header_lines(fault.headers, fault.retry_after)
    ctype = JSON_TYPE
    if fault.content_type is not None:
        ctype = b"Content-Type: %s\r\n" % fault.content_type.encode("latin-1")
    status = fault.status
    body = fault.body_bytes()
    if body is None and status is not None and not 200 <= status < 300:
        body = orjson.dumps(error_body(status, fault.message, _fault_details(fault)))
    if body is not None:
        return _unary_plan(status or 200, ctype, body, extra, fault, keep, end, tail)
    reply = respond()
    if isinstance(reply, Reply):
        code = status if status is not None and reply.status == 200 else reply.status
        return _unary_plan(code, ctype, reply.body, extra, fault, keep, end, tail)
    if reply.sse:
        return _sse_plan(reply, fault, status or 200, extra, keep, end, tail, stream_events)
    return _array_plan(reply, fault, status or 200, extra, keep, end, tail, stream_events)


def _header_lines(headers: Mapping[str, str] | None, retry_after: str | float | None) -> bytes:
    lines = b""
    for name, value in (headers or {}).items():
        lines += b"%s: %s\r\n" % (name.encode("latin-1"), str(value).encode("latin-1"))
    if retry_after is not None:
        if isinstance(retry_after, str):
            text = retry_after
        elif float(retry_after).is_integer():
            text = str(int(retry_after))
        else:
            text = str(retry_after)
        lines += b"Retry-After: %s\r\n" % text.encode("latin-1")
    return lines


def _fault_details(fault: Fault) -> list[dict[str, Any]]:
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "MOCK_FAULT",
            "domain": "genai_async.testing",
        }
    ]
    if fault.retry_delay is not None:
        details.append(
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": fault.retry_delay}
        )
    return details


def _split(data: bytes, parts: int) -> list[bytes]:
    size = len(data)
    cuts = [size * i // parts for i in range(parts + 1)]
    return [data[cuts[i] : cuts[i + 1]] for i in range(parts) if cuts[i] < cuts[i + 1]]


def _error_event(fault: Fault) -> bytes:
    return orjson.dumps(error_body(500, fault.message or "An internal error has occurred."))


def _payloads(reply: StreamReply, fault: Fault | None, stream_events: int) -> list[bytes]:
    count = stream_events
    if fault is not None and fault.events is not None:
        count = fault.events
    return reply.payloads(count, fault.event_size if fault is not None else None)


def _unary_plan(
    status: int,
    ctype: bytes,
    body: bytes,
    extra: bytes,
    fault: Fault,
    keep: bool,
    end: int,
    tail: bytes,
) -> Plan:
    if status in (204, 304):
        # These statuses never carry a body (nor a Content-Length).
        body = b""
        close = b"" if keep else _CLOSE_HEADER
        start = b"%s%s%s%s" % (status_line(status), extra, close, tail)
    else:
        start = head(status, ctype, len(body), keep, tail, extra)
    if fault.drop == "after_headers":
        return [start], 0.0, CLOSE
    if fault.drop == "mid_body":
        return [start + body[: len(body) // 2]], 0.0, CLOSE
    if fault.slow_body > 0 and body:
        return [start, *_split(body, 4)], fault.slow_body, end
    return [start + body], 0.0, end


def _sse_plan(
    reply: StreamReply,
    fault: Fault | None,
    status: int,
    extra: bytes,
    keep: bool,
    end: int,
    tail: bytes,
    stream_events: int,
) -> Plan:
    close = b"" if keep else _CLOSE_HEADER
    start = b"%s%s%s%s%s" % (status_line(status), _SSE_TYPE, extra, close, tail)
    terminator = CHUNKED_TERMINATOR
    if fault is not None and fault.raw_stream is not None:
        parts = _split(fault.raw_stream, 4 if fault.slow_body > 0 else 1)
        frames = [chunk(part) for part in parts]
    else:
        payloads = _payloads(reply, fault, stream_events)
        frames = [chunk(b"data: %s\r\n\r\n" % p) for p in payloads]
    if fault is None:
        return [start + b"".join(frames) + terminator], 0.0, end
    if fault.error_event_after is not None:
        error = chunk(b"data: %s\r\n\r\n" % _error_event(fault))
        frames = [*frames[: fault.error_event_after], error]
    if fault.drop_after_events is not None:
        frames = frames[: fault.drop_after_events]
        terminator = b""
        end = CLOSE
    if fault.drop == "after_headers":
        return [start], 0.0, CLOSE
    if fault.drop == "mid_body":
        body = b"".join(frames) + terminator
        return [start + body[: len(body) // 2]], 0.0, CLOSE
    if fault.slow_body > 0 and len(frames) > 1:
        pieces = [start + frames[0], *frames[1:]]
        pieces[-1] += terminator
        return pieces, fault.slow_body, end
    return [start + b"".join(frames) + terminator], 0.0, end


def _array_plan(
    reply: StreamReply,
    fault: Fault | None,
    status: int,
    extra: bytes,
    keep: bool,
    end: int,
    tail: bytes,
    stream_events: int,
) -> Plan:
    objects = _payloads(reply, fault, stream_events)
    cut: int | None = None
    if fault is not None:
        if fault.error_event_after is not None:
            objects = [*objects[: fault.error_event_after], _error_event(fault)]
        if fault.drop_after_events is not None:
            cut = len(b"[" + b",\r\n".join(objects[: fault.drop_after_events]))
    body = b"[" + b",\r\n".join(objects) + b"]"
    if fault is None:
        return [head(status, JSON_TYPE, len(body), keep, tail) + body], 0.0, end
    if cut is not None:
        return [head(status, JSON_TYPE, len(body), keep, tail, extra) + body[:cut]], 0.0, CLOSE
    return _unary_plan(status, JSON_TYPE, body, extra, fault, keep, end, tail)
