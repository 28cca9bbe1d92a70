"""Observing calls: user hooks and native OpenTelemetry, fed by the one retry loop.

Client-core layer: ``AsyncClient._call`` / ``_open_stream`` ask :func:`start`
for a :class:`CallObserver`; ``_exchange`` hands it each attempt, response and
retry. :func:`start` returns ``None`` when nothing listens (no hook set and no
OpenTelemetry provider configured), and the request path then runs exactly as
without this module: one ``is None`` test per step.

Hooks are plain or async callables taking one event object. A hook that
raises is logged (logger ``genai_async``, level WARNING, with the traceback)
and otherwise ignored: it never fails, retries or delays the call beyond its
own run time. OpenTelemetry is in :mod:`._otel`, loaded only when
``opentelemetry-api`` is importable.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import os
import time
from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._hooks import (
    AttemptStart,
    CallEnd,
    CallStart,
    Hook,
    Hooks,
    Outcome,
    ResponseReceived,
    RetryScheduled,
    request_id,
)
from ._json import decode_success, loads

if TYPE_CHECKING:
    from ._config import Prepared
    from ._keys import SendOptions

__all__ = ("CallObserver", "redact_url", "request_id", "start")

logger = logging.getLogger("genai_async")


def redact_url(url: str) -> str:
    """``url`` without a ``key=`` query parameter's value."""
    if "key=" not in url:
        return url
    parts = urlsplit(url)
    query = [(k, "REDACTED" if k == "key" else v) for k, v in parse_qsl(parts.query, True)]
    return urlunsplit(parts._replace(query=urlencode(query)))


_OPERATIONS = {
    "generateContent": "generate_content",
    "streamGenerateContent": "generate_content",
    "embedContent": "embeddings",
    "batchEmbedContents": "embeddings",
    "predict": "embeddings",
    "countTokens": "count_tokens",
    "computeTokens": "compute_tokens",
}


def operation_of(method: str, path: str) -> tuple[str, str | None]:
    """(gen_ai.operation.name, model) of a request path such as
    ``models/gemini-2.0-flash:generateContent?alt=sse``."""
    path = path.split("?", 1)[0]
    resource, _, verb = path.rpartition(":")
    if not resource:
        resource, verb = path, ""
    model = None
    marker = resource.rfind("models/")
    if marker >= 0:
        model = resource[marker + 7 :] or None
    if verb:
        name = _OPERATIONS.get(verb)
        if name is None:
            name = "".join("_" + c.lower() if c.isupper() else c for c in verb)
        return name, model
    if model is None and resource.rstrip("/").endswith("models"):
        return "list_models", None
    return ("get_model" if model and method == "GET" else method.lower()), model


_ids = itertools.count(1)


async def _run(hook: Hook, event: Any) -> None:
    try:
        result = hook(event)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.warning("a genai_async hook raised; the call goes on", exc_info=True)


def start(
    prep: Prepared, method: str, url: str, path: str, body: Any, *, stream: bool = False
) -> CallObserver | None:
    """An observer for one call, or ``None`` when nobody listens."""
    hooks = prep.settings.hooks
    otel = _otel_wanted()
    if not hooks and not otel:
        return None
    return CallObserver(prep, method, url, path, body, hooks, otel, stream)


class CallObserver:
    """One call's observation: forwards each step to the hooks and to OpenTelemetry."""

    __slots__ = (
        "attempts",
        "body",
        "call_id",
        "capture",
        "hooks",
        "last_headers",
        "last_status",
        "method",
        "model",
        "operation",
        "otel",
        "sends",
        "started",
        "stream",
        "summary",
        "url",
    )

    def __init__(
        self,
        prep: Prepared,
        method: str,
        url: str,
        path: str,
        body: Any,
        hooks: tuple[Hooks, ...],
        otel: bool,
        stream: bool,
    ) -> None:
        self.call_id = next(_ids)
        self.method = method
        self.url = redact_url(url)
        self.operation, self.model = operation_of(method, path)
        self.hooks = hooks
        self.stream = stream
        self.body = body
        self.attempts = 0
        self.sends = 0
        self.last_status: int | None = None
        self.last_headers: Mapping[str, str] | None = None
        self.started = time.monotonic()
        self.summary: dict[str, Any] | None = None
        self.capture = False
        self.otel: Any = None
        if otel:
            from ._otel import CallTelemetry, capture

            self.otel = CallTelemetry(self, prep)
            self.capture = capture()

    async def call_start(self) -> None:
        if self.hooks:
            event = CallStart(
                self.call_id, self.method, self.url, self.operation, self.model, self.stream
            )
            for h in self.hooks:
                if h.on_call_start is not None:
                    await _run(h.on_call_start, event)

    async def _attempt(self, attempt: int, backend: Any) -> float:
        resend = attempt == self.attempts
        self.attempts = attempt
        self.sends += 1
        if self.hooks:
            event = AttemptStart(
                self.call_id, attempt, resend, getattr(backend, "name", type(backend).__name__),
                None, None,
            )  # fmt: skip
            for h in self.hooks:
                if h.on_attempt_start is not None:
                    await _run(h.on_attempt_start, event)
        return time.monotonic()

    async def _response(self, attempt: int, status: int, headers: Any, sent: float) -> None:
        elapsed = time.monotonic() - sent
        self.last_status, self.last_headers = status, headers
        if self.otel is not None:
            self.otel.attempt_done(self.sends - 1, status, headers, None, elapsed)
        if self.hooks:
            event = ResponseReceived(
                self.call_id, attempt, status, headers, elapsed, request_id(headers)
            )
            for h in self.hooks:
                if h.on_response is not None:
                    await _run(h.on_response, event)

    async def exchange(
        self,
        attempt: int,
        backend: Any,
        stream: bool,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        options: SendOptions,
        limit: float | None,
    ) -> Any:
        """``backend.send`` (or ``open_stream``) with the attempt and its response observed."""
        sent = await self._attempt(attempt, backend)
        if self.otel is not None:
            self.otel.attempt_start(self.sends - 1, backend)
        try:
            if stream:
                resp = await backend.open_stream(method, url, headers, body, options, limit)
            else:
                resp = await backend.send(method, url, headers, body, options, limit)
        except BaseException as exc:
            if self.otel is not None:
                self.otel.attempt_done(self.sends - 1, None, None, exc, time.monotonic() - sent)
            raise
        await self._response(attempt, resp.status, resp.headers, sent)
        return resp

    async def retry(
        self,
        attempt: int,
        reason: str,
        delay: float,
        server_delay: float | None,
        server_source: str,
        error: BaseException,
    ) -> None:
        if not self.hooks:
            return
        used_server = server_delay is not None and delay <= server_delay
        source: Any = server_source if used_server else "schedule"
        event = RetryScheduled(self.call_id, attempt, reason, delay, source, error)
        for h in self.hooks:
            if h.on_retry is not None:
                await _run(h.on_retry, event)

    async def unary(self, exchange: Awaitable[Any]) -> tuple[Any, Any]:
        """Run the call (``exchange``: the retry loop), decode it, report its end."""
        await self.call_start()
        try:
            resp = await exchange
            data = decode_success(resp.body)
        except BaseException as exc:
            await self.end(exc, None)
            raise
        await self.end(None, data)
        return data, resp.headers

    async def stream_opened(self, exchange: Awaitable[Any]) -> Any:
        """Open a stream (``exchange``: the retry loop); a failure ends the call,
        success leaves its end to the stream's close."""
        await self.call_start()
        try:
            return await exchange
        except BaseException as exc:
            await self.end(exc, None)
            raise

    def stream_event(self, event: Any) -> None:
        """Note what one stream event (a dict, or its JSON text) tells of the call:
        the last ``usageMetadata``, ``modelVersion`` and ``responseId``, and each
        candidate's finish reason (and, when content is captured, its parts)."""
        if type(event) is not dict:
            if not self.capture and b'"usageMetadata"' not in event and b'"finish' not in event:
                return
            try:
                event = loads(event)
            except ValueError:
                return
            if type(event) is not dict:
                return
        summary = self.summary
        if summary is None:
            summary = self.summary = {}
        for key in ("usageMetadata", "modelVersion", "responseId"):
            value = event.get(key)
            if value is not None:
                summary[key] = value
        candidates = event.get("candidates")
        if type(candidates) is list:
            seen: dict[Any, dict[str, Any]] = summary.setdefault("candidates", {})
            for pos, candidate in enumerate(candidates):
                if type(candidate) is not dict:
                    continue
                entry = seen.setdefault(candidate.get("index", pos), {})
                reason = candidate.get("finishReason")
                if reason:
                    entry["finishReason"] = reason
                content = candidate.get("content")
                if self.capture and type(content) is dict:
                    merged = entry.setdefault("content", {"role": content.get("role", "model")})
                    parts = content.get("parts")
                    if type(parts) is list:
                        _merge_parts(merged.setdefault("parts", []), parts)

    def stream_data(self) -> dict[str, Any]:
        """What the stream's events told, shaped as one generateContent response."""
        summary = dict(self.summary or {})
        candidates = summary.pop("candidates", None)
        if candidates:
            summary["candidates"] = [{"index": i, **c} for i, c in candidates.items()]
        return summary

    async def stream_end(self, error: BaseException | None, complete: bool) -> None:
        """A stream ended: read to its end (``complete``), failed, or closed early
        (reported as ``"cancelled"``)."""
        await self.end(error, self.stream_data(), closed_early=error is None and not complete)

    async def end(self, error: BaseException | None, data: Any, closed_early: bool = False) -> None:
        duration = time.monotonic() - self.started
        if error is None:
            outcome: Outcome = "cancelled" if closed_early else "ok"
        elif isinstance(error, Exception):
            outcome = "error"
        else:
            outcome = "cancelled"
        usage = data.get("usageMetadata") if type(data) is dict else None
        if self.otel is not None:
            self.otel.call_done(error, data, duration)
        if self.hooks:
            status = getattr(error, "code", None) if error is not None else self.last_status
            headers = self.last_headers
            if error is not None:
                headers = getattr(getattr(error, "response", None), "headers", None) or headers
            event = CallEnd(
                self.call_id,
                outcome,
                self.attempts,
                duration,
                status if isinstance(status, int) else None,
                error,
                usage if isinstance(usage, dict) else None,
                request_id(headers),
                _finish_reasons(data),
            )
            for h in self.hooks:
                if h.on_call_end is not None:
                    if outcome == "cancelled":
                        import anyio

                        with anyio.CancelScope(shield=True):
                            await _run(h.on_call_end, event)
                    else:
                        await _run(h.on_call_end, event)


def _merge_parts(into: list[Any], parts: list[Any]) -> None:
    """Append a chunk's parts, joining text that continues the previous text part."""
    for part in parts:
        last = into[-1] if into else None
        if (
            type(part) is dict
            and type(last) is dict
            and part.keys() == {"text"}
            and last.keys() == {"text"}
        ):
            into[-1] = {"text": f"{last['text']}{part['text']}"}
        else:
            into.append(part)


def _finish_reasons(data: Any) -> tuple[str, ...]:
    candidates = data.get("candidates") if type(data) is dict else None
    if type(candidates) is not list:
        return ()
    return tuple(
        str(c["finishReason"]) for c in candidates if type(c) is dict and c.get("finishReason")
    )


# -- is OpenTelemetry configured? ------------------------------------------

_trace: Any = None
_metrics: Any = None
_ProxyTracer: Any = None
_ProxyMeter: Any = None
try:  # opentelemetry-api is optional
    from opentelemetry import metrics as _metrics
    from opentelemetry import trace as _trace
    from opentelemetry.metrics import _internal as _metrics_internal

    _ProxyTracer = _trace.ProxyTracerProvider
    _ProxyMeter = type(_metrics_internal._PROXY_METER_PROVIDER)
except ImportError:  # pragma: no cover - exercised without the extra
    _trace = None


# Where OpenTelemetry keeps the providers an application set (None until then), and
# the environment variables that make its getters load one; both read directly when
# this OpenTelemetry lays them out so, because the getters test the environment on
# every call (~2.5 us a request with no provider set).
_ENV_DATA: Any = getattr(os.environ, "_data", None)
_ENV_KEYS = tuple(
    getattr(os.environ, "encodekey", str)(name)
    for name in ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")
)
_wanted = False


def _otel_wanted() -> bool:
    """True once the application has set a tracer or meter provider (for good:
    OpenTelemetry does not let a provider be replaced or removed)."""
    global _wanted
    if _wanted:
        return True
    if _trace is None:
        return False
    if (
        getattr(_trace, "_TRACER_PROVIDER", 0) is None
        and getattr(_metrics_internal, "_METER_PROVIDER", 0) is None
        and type(_ENV_DATA) is dict
        and _ENV_KEYS[0] not in _ENV_DATA
        and _ENV_KEYS[1] not in _ENV_DATA
    ):
        return False  # nothing set, nothing to load
    _wanted = not isinstance(_trace.get_tracer_provider(), _ProxyTracer) or not isinstance(
        _metrics.get_meter_provider(), _ProxyMeter
    )
    return _wanted
