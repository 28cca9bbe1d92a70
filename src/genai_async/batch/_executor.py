"""Sending a batch: a pool of worker tasks, the per-request retry loop, result records.

:func:`execute` pulls items from a :class:`Source`, sends each one as
``POST <model>:generateContent`` through ``AsyncClient._call`` (with no client
retry policy: this loop is the only one), and hands every :class:`BatchResult`
to an ``emit`` coroutine as it completes. Admission (concurrency, pause,
RPM/TPM) is the :class:`~genai_async.batch._limits.Gate`'s job; this module
classifies outcomes and tells the gate about them.

Retried: HTTP 408, 429, 500, 502, 503, 504 and transport errors marked
``retryable``, up to ``max_attempts`` attempts, sleeping ``next_delay`` (raised
to the server's ``Retry-After``/``RetryInfo`` hint, which also pauses the whole run).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import anyio
import orjson

from .._retry import DEFAULT_STATUS_CODES, RetryPolicy, next_delay, parse_retry_after
from .._urls import normalize_model
from ..errors import APIError, RequestTimeout, TransportError

if TYPE_CHECKING:
    from .._async_client import AsyncClient
    from ._limits import Gate

__all__ = (
    "BatchResult",
    "Item",
    "Source",
    "error_result",
    "estimate_tokens",
    "execute",
    "validate_item",
)

logger = logging.getLogger("genai_async")

DEFAULT_OUTPUT_ESTIMATE = 256  # tokens assumed for a reply when maxOutputTokens is not set
_RETRY_STATUS = DEFAULT_STATUS_CODES


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The outcome of one request of a batch.

    **Attributes:** ``key``; ``response`` (the decoded ``GenerateContentResponse``
    JSON, or ``None``) or ``error`` (``{"code", "status", "message"}``, or ``None``);
    ``attempts`` (0 for an item that was never sent); ``latency_s`` (first send to
    final answer, retry waits included); ``prompt_tokens`` and ``output_tokens``
    from ``usageMetadata`` (output counts candidates and thoughts).
    """

    key: str
    response: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    attempts: int = 0
    latency_s: float = 0.0
    prompt_tokens: int = 0
    output_tokens: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


# An item to send (key, GenerateContentRequest JSON, model or None), or a finished result
# (an input that could not be sent) that is passed through as it is.
Item: TypeAlias = tuple[str, dict[str, Any], str | None] | BatchResult


def error_result(key: str, code: int, status: str, message: str, attempts: int = 0) -> BatchResult:
    return BatchResult(key, None, {"code": code, "status": status, "message": message}, attempts)


def validate_item(obj: Any, fallback_key: str) -> Item:
    """``{"key", "request", ["model"]}`` -> an item to send, or an error result keyed
    ``fallback_key`` (e.g. ``"line:7"``) saying what is wrong."""
    problem = None
    if not isinstance(obj, dict):
        problem = "expected a JSON object"
    else:
        key = obj.get("key")
        request = obj.get("request")
        model = obj.get("model")
        if key is not None and not isinstance(key, str):
            problem = _non_string_key(key, fallback_key)
        elif not key:
            problem = "missing or empty 'key' (a non-empty string)"
        elif not isinstance(request, dict):
            problem = f"key {key!r}: missing 'request' object"
        elif model is not None and (not isinstance(model, str) or not model):
            problem = f"key {key!r}: 'model' must be a non-empty string"
        else:
            return (key, request, model)
    return error_result(fallback_key, 400, "INVALID_ARGUMENT", problem)


def _non_string_key(key: Any, where: str) -> str:
    """The problem of a ``key`` that is JSON but not a string (``"key": 17``)."""
    kind = (
        "a boolean"
        if isinstance(key, bool)
        else "a number"
        if isinstance(key, (int, float))
        else "an array"
        if isinstance(key, (list, tuple))
        else "an object"
        if isinstance(key, dict)
        else type(key).__name__
    )
    shown = orjson.dumps(key, default=repr).decode()
    if len(shown) > 40:
        shown = shown[:37] + "..."
    quoted = orjson.dumps(shown).decode()
    place = where.replace(":", " ", 1)
    return f"{place}: 'key' must be a string, not {kind} ({shown}); quote it: \"key\": {quoted}"


class Source:
    """Items from a plain or async iterable, handed out one at a time to many workers."""

    __slots__ = ("_aiter", "_iter", "_lock")

    def __init__(self, items: Iterable[Item] | AsyncIterable[Item]) -> None:
        self._iter: Iterator[Item] | None = None
        self._aiter: Any = None
        if isinstance(items, AsyncIterable):
            self._aiter = items.__aiter__()
            self._lock: anyio.Lock | None = anyio.Lock()
        else:
            self._iter = iter(items)
            self._lock = None

    async def next(self) -> Item | None:
        """The next item, or ``None`` at the end."""
        if self._iter is not None:
            return next(self._iter, None)  # no await: workers cannot interleave here
        assert self._lock is not None
        async with self._lock:
            if self._aiter is None:
                return None
            try:
                item: Item = await self._aiter.__anext__()
            except StopAsyncIteration:
                self._aiter = None
                return None
            return item


def estimate_tokens(request: dict[str, Any]) -> int:
    """A token estimate made before sending: prompt characters / 4 + the reply budget."""
    chars = 0
    contents = request.get("contents")
    if isinstance(contents, dict):
        contents = [contents]
    items = list(contents) if isinstance(contents, list) else []
    system = request.get("systemInstruction")
    if system is not None:
        items.append(system)
    for content in items:
        parts = content.get("parts") if isinstance(content, dict) else None
        if isinstance(parts, list):
            for part in parts:
                text = part.get("text") if isinstance(part, dict) else None
                if isinstance(text, str):
                    chars += len(text)
        elif isinstance(content, str):
            chars += len(content)
    config = request.get("generationConfig")
    budget = config.get("maxOutputTokens") if isinstance(config, dict) else None
    if not isinstance(budget, int) or budget <= 0:
        budget = DEFAULT_OUTPUT_ESTIMATE
    return chars // 4 + budget


def _usage(body: Any) -> tuple[int, int, int]:
    usage = body.get("usageMetadata") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return 0, 0, 0
    prompt = usage.get("promptTokenCount") or 0
    output = (usage.get("candidatesTokenCount") or 0) + (usage.get("thoughtsTokenCount") or 0)
    total = usage.get("totalTokenCount") or 0
    if not isinstance(prompt, int) or not isinstance(output, int) or not isinstance(total, int):
        return 0, 0, 0
    return prompt, output, total or prompt + output


def _error_of(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, APIError):
        message = exc.message if exc.message is not None else str(exc)
        return {"code": exc.code, "status": exc.status or "", "message": message}
    status = "UNKNOWN"
    if isinstance(exc, RequestTimeout):
        status = "DEADLINE_EXCEEDED"
    elif isinstance(exc, TransportError):
        status = "UNAVAILABLE"
    return {"code": 0, "status": status, "message": f"{type(exc).__name__}: {exc}"}


def _server_delay(exc: APIError) -> float | None:
    headers = getattr(exc.response, "headers", None)
    delay = None
    if headers:
        delay = parse_retry_after({str(k).lower(): v for k, v in headers.items()})
    return delay if delay is not None else exc.retry_delay


class _Executor:
    __slots__ = (
        "_client",
        "_emit",
        "_gate",
        "_max_attempts",
        "_model",
        "_options",
        "_paths",
        "_policy",
        "_rand",
        "_source",
    )

    def __init__(
        self,
        source: Source,
        emit: Callable[[BatchResult], Awaitable[None]],
        client: AsyncClient,
        model: str,
        gate: Gate,
        max_attempts: int,
        initial_delay: float,
    ) -> None:
        self._source = source
        self._emit = emit
        self._client = client
        self._model = model
        self._gate = gate
        self._max_attempts = max(1, max_attempts)
        self._policy = RetryPolicy(
            attempts=self._max_attempts,
            initial_delay=initial_delay,
            max_delay=60.0,
            jitter=initial_delay,
        )
        self._rand = random.Random()
        self._paths: dict[str, str] = {}
        # This loop does the retrying: a client policy must not retry underneath it
        # (an equal override each time: resolved once by the client, then a lookup).
        self._options: Any = {"retry_options": {"attempts": 1}}

    async def worker(self) -> None:
        source, emit = self._source, self._emit
        while True:
            item = await source.next()
            if item is None:
                return
            if type(item) is BatchResult:
                await emit(item)
                continue
            assert isinstance(item, tuple)
            key, request, model = item
            try:
                path = self._path(model or self._model)
            except (TypeError, ValueError) as exc:
                await emit(error_result(key, 400, "INVALID_ARGUMENT", str(exc)))
                continue
            await emit(await self._send(key, path, request))

    def _path(self, model: str) -> str:
        path = self._paths.get(model)
        if path is None:
            path = normalize_model(model, vertexai=self._client.vertexai) + ":generateContent"
            self._paths[model] = path
        return path

    async def _send(self, key: str, path: str, request: dict[str, Any]) -> BatchResult:
        gate, client = self._gate, self._client
        est = estimate_tokens(request) if gate.counts_tokens else 0
        attempts = 0
        started = 0.0
        while True:
            attempts += 1
            seq = await gate.admit(est)
            if attempts == 1:
                started = time.perf_counter()  # not the loop clock: uvloop's ticks in ms
            try:
                try:
                    body = await client.request("POST", path, request, http_options=self._options)
                finally:
                    gate.release()
            except APIError as exc:
                gate.refund(est)
                server_delay = _server_delay(exc)
                if exc.code == 429:
                    gate.on_throttle(seq)
                if server_delay:
                    gate.pause(server_delay)
                if exc.code not in _RETRY_STATUS or attempts >= self._max_attempts:
                    return self._failed(key, exc, attempts, started)
                delay = next_delay(self._policy, attempts, server_delay, self._rand)
            except TransportError as exc:
                gate.refund(est)
                if not exc.retryable or attempts >= self._max_attempts:
                    return self._failed(key, exc, attempts, started)
                delay = next_delay(self._policy, attempts, None, self._rand)
            except Exception as exc:  # an unexpected body or a bug: this record fails, not the run
                gate.refund(est)
                return self._failed(key, exc, attempts, started)
            else:
                prompt, output, total = _usage(body)
                gate.on_success(est, total)
                if not isinstance(body, dict):
                    body = {"value": body}
                latency = time.perf_counter() - started
                return BatchResult(key, body, None, attempts, latency, prompt, output)
            await anyio.sleep(delay)

    @staticmethod
    def _failed(key: str, exc: BaseException, attempts: int, started: float) -> BatchResult:
        return BatchResult(key, None, _error_of(exc), attempts, time.perf_counter() - started)


async def _warm_up(client: AsyncClient) -> None:
    """Build the client's pooled session now, so its one-time cost (importing the HTTP
    library, TLS set-up) neither bunches the first paced requests nor counts as latency."""
    try:
        await client.warm_up()
    except Exception:  # the first request will meet the same problem and report it
        logger.debug("warming up the client failed", exc_info=True)


async def execute(
    items: Iterable[Item] | AsyncIterable[Item],
    emit: Callable[[BatchResult], Awaitable[None]],
    *,
    client: AsyncClient,
    model: str,
    gate: Gate,
    max_attempts: int = 5,
    initial_delay: float = 1.0,
) -> None:
    """Send every item, awaiting ``emit(result)`` for each as it completes.

    Runs ``gate.max_concurrency`` worker tasks (each handles one item at a time).
    """
    executor = _Executor(
        Source(items), emit, client, model, gate, max_attempts, max(0.0, initial_delay)
    )
    await _warm_up(client)
    async with anyio.create_task_group() as tg:
        for _ in range(gate.max_concurrency):
            tg.start_soon(executor.worker)
