"""The public hook types: ``Hooks`` and the events it is called with.

Pure values (no I/O, no imports of the library's other modules): ``HttpOptions``
validates ``hooks`` with :func:`coerce_hooks`; the client core
(:mod:`._observe`) builds the events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = (
    "AttemptStart",
    "CallEnd",
    "CallStart",
    "Hooks",
    "ResponseReceived",
    "RetryScheduled",
    "coerce_hooks",
)

DelaySource = Literal["schedule", "retry-after", "retry-info"]
Outcome = Literal["ok", "error", "cancelled"]


@dataclass(frozen=True, slots=True)
class CallStart:
    """A call begins (before its first attempt). ``url`` never holds a key."""

    call_id: int
    method: str
    url: str
    operation: str
    model: str | None
    stream: bool


@dataclass(frozen=True, slots=True)
class AttemptStart:
    """One HTTP attempt is about to be sent.

    ``attempt`` counts from 1 and does not grow on ``resend`` (the one immediate
    re-send after a pooled connection turned out closed). ``connection_reused``
    and ``pool_wait`` (seconds waited for a connection) are ``None``: neither
    backend reports them per request.
    """

    call_id: int
    attempt: int
    resend: bool
    backend: str
    connection_reused: bool | None
    pool_wait: float | None


@dataclass(frozen=True, slots=True)
class ResponseReceived:
    """An attempt got an HTTP response. ``elapsed`` is the seconds from sending to
    the status line and headers (streams) or the whole body (unary calls)."""

    call_id: int
    attempt: int
    status: int
    headers: Mapping[str, str]
    elapsed: float
    request_id: str | None


@dataclass(frozen=True, slots=True)
class RetryScheduled:
    """An attempt failed and another follows after ``delay`` seconds. ``source``:
    ``"schedule"`` (the retry policy's backoff), ``"retry-after"`` (the
    ``Retry-After``/``retry-after-ms`` header) or ``"retry-info"`` (the body's
    ``google.rpc.RetryInfo``)."""

    call_id: int
    attempt: int
    reason: str
    delay: float
    source: DelaySource
    error: BaseException


@dataclass(frozen=True, slots=True)
class CallEnd:
    """A call ended. For a stream: when it is read to its end, fails, or is closed
    (closed before the body has ended: ``outcome == "cancelled"``, ``error`` None).

    ``usage`` is the response's ``usageMetadata`` (for a stream, the last one its
    events carried), else ``None``; ``finish_reasons`` the candidates'
    ``finishReason`` values, in candidate order."""

    call_id: int
    outcome: Outcome
    attempts: int
    duration: float
    status: int | None
    error: BaseException | None
    usage: Mapping[str, Any] | None
    request_id: str | None
    finish_reasons: tuple[str, ...] = ()


Hook = Callable[[Any], "Awaitable[None] | None"]


@dataclass(frozen=True, slots=True)
class Hooks:
    """Callables that observe calls, set through ``HttpOptions(hooks=...)`` on a
    client or on one request (a request's hooks run after the client's).

    Each takes one event (:class:`CallStart`, :class:`AttemptStart`,
    :class:`ResponseReceived`, :class:`RetryScheduled`, :class:`CallEnd`) and may
    be ``async``. A hook that raises is logged and ignored.

    Usage::

        def log_retry(event: genai_async.RetryScheduled) -> None:
            print(event.reason, event.delay, event.source)

        client = genai_async.AsyncClient(http_options={"hooks": genai_async.Hooks(on_retry=log_retry)})
    """

    on_call_start: Hook | None = None
    on_attempt_start: Hook | None = None
    on_response: Hook | None = None
    on_retry: Hook | None = None
    on_call_end: Hook | None = None

    def __post_init__(self) -> None:
        for name in ("on_call_start", "on_attempt_start", "on_response", "on_retry", "on_call_end"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(f"Hooks.{name} must be callable, not {type(value).__qualname__}")


def coerce_hooks(value: Any) -> tuple[Hooks, ...]:
    """``HttpOptions.hooks`` (one :class:`Hooks` or a sequence of them) -> a tuple."""
    if value is None:
        return ()
    if isinstance(value, Hooks):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(h, Hooks) for h in value):
        return tuple(value)
    raise TypeError(
        "hooks must be a genai_async.Hooks or a list of them, not " + type(value).__qualname__
    )


REQUEST_ID_HEADERS = ("x-request-id", "x-goog-request-id")


def request_id(headers: Mapping[str, str] | None) -> str | None:
    """The server's request id header, when the response carried one. Names match
    in any case (a transport's mapping or a plain dict a user built)."""
    if headers:
        for name in REQUEST_ID_HEADERS:
            value = headers.get(name)
            if value:
                return str(value)
        if type(headers) is dict:
            lowered = {k.lower(): v for k, v in headers.items()}
            for name in REQUEST_ID_HEADERS:
                value = lowered.get(name)
                if value:
                    return str(value)
    return None
