"""Every exception genai_async raises, in one tree.

The names of google-genai's ``errors`` module (``APIError``, ``ClientError``,
``ServerError``, ``UnknownApiResponseError``) are kept so ``except`` clauses
port unchanged; finer classes sit underneath and transport failures beside::

    GenAIError
    ├── APIError                      an HTTP status other than 2xx, or an in-band error
    │   ├── ClientError               4xx
    │   │   ├── BadRequestError       400
    │   │   ├── UnauthenticatedError  401
    │   │   ├── PermissionDeniedError 403
    │   │   ├── NotFoundError         404
    │   │   └── RateLimitError        429
    │   └── ServerError               5xx
    ├── UnknownApiResponseError       a 2xx body that is not the JSON we expect (also ValueError)
    ├── TransportError                no usable HTTP response
    │   ├── ConnectError              could not connect (refused, DNS, proxy) (also OSError)
    │   │   ├── ProxyError
    │   │   └── TLSVerificationError  certificate not trusted; never retried
    │   ├── ReadError                 connection lost while sending or reading
    │   ├── RemoteProtocolError       the peer broke HTTP
    │   └── RequestTimeout            a timeout or deadline expired (also builtins.TimeoutError)
    │       ├── ConnectTimeout
    │       ├── ReadTimeout
    │       ├── PoolTimeout
    │       └── DeadlineExceeded      HttpOptions.deadline spent
    ├── StreamError                   a malformed server-sent-events body (also ValueError)
    └── ClientClosedError             the client was used after aclose()/close() (also RuntimeError)

Every error pickles, and no error text ever contains an API key or token: the
library builds messages from redacted values only.
"""

from __future__ import annotations

import builtins
import email.utils
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = (
    "STATUS_TO_CODE",
    "APIError",
    "BadRequestError",
    "ClientClosedError",
    "ClientError",
    "ConnectError",
    "ConnectTimeout",
    "DeadlineExceeded",
    "FunctionInvocationError",
    "GenAIError",
    "NotFoundError",
    "NotProvidedError",
    "PermissionDeniedError",
    "PoolTimeout",
    "ProxyError",
    "RateLimitError",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "RequestTimeout",
    "ResponseInfo",
    "ServerError",
    "StreamError",
    "TLSVerificationError",
    "TimeoutUnitWarning",
    "TransportError",
    "UnauthenticatedError",
    "UnknownApiResponseError",
    "UnknownFunctionCallArgumentError",
    "UnsupportedFunctionError",
    "WriteTimeout",
    "error_class_for",
)

# Canonical google.rpc status names -> HTTP status, for in-band errors that carry
# only ``status`` (wire.md §9.1).
STATUS_TO_CODE: dict[str, int] = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ABORTED": 409,
    "ALREADY_EXISTS": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "INTERNAL": 500,
    "UNKNOWN": 500,
    "DATA_LOSS": 500,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}


class GenAIError(Exception):
    """Root of every genai_async exception."""


@dataclass(frozen=True)
class ResponseInfo:
    """What an error keeps of the HTTP response: plain, picklable, without secrets.
    Header names are lowercase."""

    status: int
    reason: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    url: str | None = None

    def __post_init__(self) -> None:
        # Lowercase names, so plain-dict lookups such as headers["retry-after"] work
        # whatever case the server used.
        if any(name != name.lower() for name in self.headers):
            object.__setattr__(self, "headers", {k.lower(): v for k, v in self.headers.items()})


class APIError(GenAIError):
    """The API answered with an error.

    Attributes mirror google-genai: ``code`` (the HTTP status, or ``error.code``
    of an in-band stream error), ``status`` (the Google status name such as
    ``"RESOURCE_EXHAUSTED"``, or the HTTP reason phrase for non-JSON bodies),
    ``message``, ``details`` (the **whole** parsed body) and ``response``
    (a :class:`ResponseInfo` with the status, headers and URL; never the live
    transport object).
    """

    code: int
    status: str | None
    message: str | None
    details: Any
    response: Any

    def __init__(self, code: int, details: Any, response: Any = None) -> None:
        self.code = code
        self.details = details
        self.response = response
        self.status = _pick(details, "status")
        self.message = _pick(details, "message")
        status = self.status if self.status is not None else ""
        super().__init__(f"{code} {status}. {details}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.details, self.response))

    @property
    def error_details(self) -> list[Any]:
        """The ``error.details`` list of Google's error envelope (empty if absent)."""
        err = self.details.get("error") if isinstance(self.details, dict) else None
        details = err.get("details") if isinstance(err, dict) else None
        return details if isinstance(details, list) else []

    @property
    def retry_delay(self) -> float | None:
        """Seconds the server asked to wait, read as the retry loop reads them: the
        ``retry-after-ms`` or ``Retry-After`` header (seconds or an HTTP date), else
        ``google.rpc.RetryInfo.retryDelay`` of the body; ``None`` when it sent neither."""
        headers = getattr(self.response, "headers", None)
        delay = None
        if isinstance(headers, Mapping) and headers:
            delay = _parse_retry_after({str(k).lower(): str(v) for k, v in headers.items()})
        return delay if delay is not None else _retry_info_delay(self.details)

    @property
    def request_id(self) -> str | None:
        """The server's request id header, when the response carried one."""
        headers = getattr(self.response, "headers", None)
        if not headers:
            return None
        for name in ("x-request-id", "x-goog-request-id"):
            value = headers.get(name)
            if value:
                return str(value)
        return None

    @classmethod
    def from_response(cls, code: int, details: Any, response: Any = None) -> APIError:
        """The most specific class for ``code`` (google-genai's ``raise_error``)."""
        return error_class_for(code)(code, details, response)


class ClientError(APIError):
    """4xx."""


class BadRequestError(ClientError):
    """400."""


class UnauthenticatedError(ClientError):
    """401."""


class PermissionDeniedError(ClientError):
    """403."""


class NotFoundError(ClientError):
    """404."""


class RateLimitError(ClientError):
    """429: quota or rate limit. ``retry_delay`` holds the server's hint, if any."""


class ServerError(APIError):
    """5xx."""


_BY_CODE: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthenticatedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def error_class_for(code: int) -> type[APIError]:
    """The exception class google-genai's mapping gives ``code``, refined by status."""
    cls = _BY_CODE.get(code)
    if cls is not None:
        return cls
    if 400 <= code < 500:
        return ClientError
    if 500 <= code < 600:
        return ServerError
    return APIError


class UnknownApiResponseError(GenAIError, ValueError):
    """A success response whose body is not the JSON the API promises.

    ``body`` holds (a prefix of) the raw text for diagnosis.
    """

    def __init__(self, message: str, body: str = "") -> None:
        self.body = body
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.args[0], self.body))


class TransportError(GenAIError):
    """No usable HTTP response: the original library exception is ``__cause__``.

    ``retryable`` says whether a retry policy may try again (a certificate that
    fails verification, for one, is permanent).
    """

    retryable: bool = True
    stale: bool = False


class ConnectError(TransportError, OSError):
    """The connection could not be established."""


class ProxyError(ConnectError):
    """The proxy refused or failed the connection."""


class TLSVerificationError(ConnectError):
    """The server's certificate failed verification (not retried: it is permanent)."""


class ReadError(TransportError):
    """The connection broke while the request was sent or the response read."""


class RemoteProtocolError(TransportError):
    """The peer violated HTTP (malformed status line, bad chunking, ...)."""


class RequestTimeout(TransportError, builtins.TimeoutError):
    """A timeout expired. Catch this one class for every kind of expiry."""


class ConnectTimeout(RequestTimeout):
    """Connecting (TCP, TLS or proxy) took too long."""


class ReadTimeout(RequestTimeout):
    """The response (or the next stream event) did not arrive in time."""


class WriteTimeout(RequestTimeout):
    """The connection took none of the request's bytes for the write timeout (the
    client-args ``timeout``'s write phase): the peer stopped reading."""


class PoolTimeout(RequestTimeout):
    """No pooled connection became free in time: the pool was full. The message names
    the pool size, how many requests held its connections and how long this one waited."""


class DeadlineExceeded(RequestTimeout):
    """``HttpOptions.deadline`` was spent across attempts and retry sleeps."""


class TimeoutUnitWarning(UserWarning):
    """``HttpOptions.timeout`` or ``deadline`` under 1,000: both are milliseconds (as in
    google-genai), so ``timeout=30`` is 30 ms, not 30 seconds."""


class StreamError(GenAIError, ValueError):
    """A server-sent-events body could not be decoded."""


class ClientClosedError(GenAIError, RuntimeError):
    """A client was used after it was closed."""


class NotProvidedError(GenAIError, NotImplementedError, AttributeError):
    """A google-genai surface genai_async does not provide (yet): raised on first use.

    Also an ``AttributeError``, so ``hasattr()`` and ``getattr(obj, name, default)``
    treat the surface as absent.
    """


class UnknownFunctionCallArgumentError(GenAIError, ValueError):
    """Automatic function calling: an argument the model sent does not fit the
    function's parameter annotation (sent back to the model as the call's error)."""


class UnsupportedFunctionError(GenAIError, ValueError):
    """Automatic function calling: a tool that cannot be called automatically."""


class FunctionInvocationError(GenAIError, ValueError):
    """Automatic function calling: a Python tool raised (sent back to the model as
    the call's error; the original exception is the ``__cause__``)."""


def _pick(details: Any, field: str) -> str | None:
    if not isinstance(details, dict):
        return None
    value = details.get(field)
    if value is None:
        err = details.get("error")
        if isinstance(err, dict):
            value = err.get(field)
    return None if value is None else str(value)


# -- server delay hints (used by the retry loop too; kept here so errors imports nothing) --

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)s\s*$")


def _parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, then ``Retry-After``
    as seconds or as an HTTP date. ``None`` when absent or unparseable."""
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            ms = float(value)
        except ValueError:
            pass
        else:
            if ms >= 0 and ms == ms and ms != float("inf"):
                return ms / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
        return max(0.0, seconds)
    if seconds != seconds or seconds == float("inf"):
        return None
    return max(0.0, seconds)


def _retry_info_delay(body: Any) -> float | None:
    """``google.rpc.RetryInfo.retryDelay`` of an error body, in seconds."""
    err = body.get("error") if isinstance(body, dict) else None
    details = err.get("details") if isinstance(err, dict) else None
    if not isinstance(details, list):
        return None
    for item in details:
        if not isinstance(item, dict):
            continue
        kind = item.get("@type")
        if not isinstance(kind, str) or not kind.endswith("google.rpc.RetryInfo"):
            continue
        delay = item.get("retryDelay", item.get("retry_delay"))
        if isinstance(delay, str):
            match = _DURATION.match(delay)
            if match:
                return max(0.0, float(match.group(1)))
        elif isinstance(delay, dict):
            try:
                seconds = float(delay.get("seconds", 0)) + float(delay.get("nanos", 0)) / 1e9
            except (TypeError, ValueError):
                return None
            return max(0.0, seconds)
    return None
