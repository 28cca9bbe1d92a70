"""Scriptable faults for the mock server: the :class:`Fault` description and its FIFO queue.

A fault describes how to misbehave for the next matching request(s): an error
status, a replaced body, delays, dropped or reset connections, and stream
damage. Faults travel between processes as plain JSON dicts whose keys are the
dataclass field names (bytes values use the ``body_b64`` / ``raw_stream_b64`` keys).
"""

from __future__ import annotations

import base64
import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = ("DROP_MODES", "Fault", "FaultQueue", "canonical_status", "error_body")

DROP_MODES = frozenset(("before_response", "reset", "mid_body", "after_headers"))

_CANONICAL: dict[int, tuple[str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: ("UNAUTHENTICATED", "Request had invalid authentication credentials."),
    403: ("PERMISSION_DENIED", "The caller does not have permission."),
    404: ("NOT_FOUND", "Requested entity was not found."),
    409: ("ABORTED", "The operation was aborted."),
    412: ("FAILED_PRECONDITION", "Precondition check failed."),
    429: ("RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    499: ("CANCELLED", "The operation was cancelled."),
    500: ("INTERNAL", "An internal error has occurred."),
    501: ("UNIMPLEMENTED", "Operation is not implemented."),
    502: ("UNAVAILABLE", "The service is currently unavailable."),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
    504: ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
}


def canonical_status(code: int) -> str:
    """The canonical ``google.rpc`` status name used for HTTP status ``code``."""
    entry = _CANONICAL.get(code)
    if entry is not None:
        return entry[0]
    if 400 <= code < 500:
        return "FAILED_PRECONDITION"
    return "UNKNOWN"


def error_body(
    code: int, message: str | None = None, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A Google error envelope ``{"error": {"code", "message", "status", "details"}}``."""
    entry = _CANONICAL.get(code)
    if message is None:
        message = entry[1] if entry is not None else f"HTTP {code}"
    error: dict[str, Any] = {"code": code, "message": message, "status": canonical_status(code)}
    if details is not None:
        error["details"] = details
    return {"error": error}


@dataclass(frozen=True, kw_only=True)
class Fault:
    """How to misbehave for the requests it matches.

    **Parameters** (all optional):

    * ``match`` — substring of the request target (path, and ``?query`` when there is one);
      ``None`` matches every non-control request.
    * ``times`` — how many requests to apply to (``None``: forever). Default 1.
    * ``only_reused`` — apply only to a request on a connection that already served one.
    * ``status`` — response status; a non-2xx status without ``body`` sends a Google error body.
    * ``message`` — ``error.message`` of that error body.
    * ``body`` — replacement body (``dict``/``list`` sent as JSON, ``str`` as UTF-8).
    * ``content_type`` — replacement ``Content-Type``.
    * ``headers`` — extra response headers.
    * ``retry_after`` — value of a ``Retry-After`` header.
    * ``retry_delay`` — e.g. ``"2s"``: adds a ``google.rpc.RetryInfo`` entry to ``error.details``.
    * ``delay`` — seconds to wait before the response headers (added to the server latency).
    * ``slow_body`` — seconds between body pieces (unary: 4 pieces; stream: between events).
    * ``drop`` — ``"before_response"`` (close without answering), ``"reset"`` (RST),
      ``"mid_body"`` (headers and half the body, then close), ``"after_headers"``.
    * ``close_after`` — answer normally, then close without announcing ``Connection: close``.
    * Stream only: ``events`` (event count), ``event_size`` (pad each ``data:`` line to at
      least this many bytes), ``error_event_after`` (an in-band error event after N events),
      ``drop_after_events`` (close without the chunked terminator after N events),
      ``raw_stream`` (exact bytes to send as the event-stream body).

    Usage::

        server.inject(Fault(match=":generateContent", status=429, retry_delay="2s"))
    """

    match: str | None = None
    times: int | None = 1
    only_reused: bool = False
    status: int | None = None
    message: str | None = None
    body: bytes | str | dict[str, Any] | list[Any] | None = None
    content_type: str | None = None
    headers: Mapping[str, str] | None = None
    retry_after: str | float | None = None
    retry_delay: str | None = None
    delay: float = 0.0
    slow_body: float = 0.0
    drop: str | None = None
    close_after: bool = False
    events: int | None = None
    event_size: int | None = None
    error_event_after: int | None = None
    drop_after_events: int | None = None
    raw_stream: bytes | None = None

    def __post_init__(self) -> None:
        if self.times is not None and self.times < 1:
            raise ValueError("Fault.times must be >= 1 or None")
        if self.drop is not None and self.drop not in DROP_MODES:
            raise ValueError(f"Fault.drop must be one of {sorted(DROP_MODES)}, not {self.drop!r}")
        if self.status is not None and not 200 <= self.status <= 999:
            raise ValueError("Fault.status must be a final HTTP status (200-999)")
        if self.delay < 0 or self.slow_body < 0:
            raise ValueError("Fault.delay and Fault.slow_body must be >= 0")
        for name in ("events", "event_size", "error_event_after", "drop_after_events"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"Fault.{name} must be >= 0")

    def body_bytes(self) -> bytes | None:
        """The replacement body encoded for the wire, or ``None``."""
        body = self.body
        if body is None or isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode()
        return orjson.dumps(body)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict form (only non-default fields); inverse of :meth:`from_dict`."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value == field.default:
                continue
            if isinstance(value, bytes):
                out[field.name + "_b64"] = base64.b64encode(value).decode("ascii")
            elif isinstance(value, Mapping):
                out[field.name] = dict(value)
            else:
                out[field.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fault:
        """Build a fault from its dict form (keys are field names; ``*_b64`` for bytes)."""
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("body_b64", "raw_stream_b64"):
                kwargs[key[:-4]] = base64.b64decode(value)
            elif key in names:
                kwargs[key] = value
            else:
                raise ValueError(f"unknown Fault field {key!r}")
        raw = kwargs.get("raw_stream")
        if isinstance(raw, str):
            kwargs["raw_stream"] = raw.encode()
        return cls(**kwargs)


class FaultQueue:
    """Thread-safe FIFO of faults with remaining-use counters."""

    __slots__ = ("_lock", "entries")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # [fault, remaining uses or None]; read without the lock only to test emptiness.
        self.entries: list[list[Any]] = []

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, faults: tuple[Fault, ...] | list[Fault]) -> None:
        """Append faults in order."""
        with self._lock:
            self.entries.extend([f, f.times] for f in faults)

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self.entries.clear()

    def take(self, path: str, reused: bool) -> Fault | None:
        """Return the first fault matching this request and consume one use of it."""
        with self._lock:
            for i, entry in enumerate(self.entries):
                fault: Fault = entry[0]
                if fault.match is not None and fault.match not in path:
                    continue
                if fault.only_reused and not reused:
                    continue
                if entry[1] is not None:
                    entry[1] -= 1
                    if entry[1] <= 0:
                        del self.entries[i]
                return fault
        return None
