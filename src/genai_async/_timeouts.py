"""Timeout errors that say which limit ran out.

A ``ReadTimeout`` from any backend names the option that set the limit it hit and
that limit's value (``HttpOptions.timeout`` in milliseconds, client-args timeouts in
seconds), so a ``timeout=30`` meant as seconds is spotted at once. Pure functions over
``Prepared`` values; no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import RequestTimeout

if TYPE_CHECKING:
    from ._config import Prepared

__all__ = ("name_attempt_timeout", "name_stream_timeout", "stream_timeout_text")

_NAMED = "_genai_async_named"


def _option(prep: Prepared, what: str) -> str:
    seconds = prep.settings.timeout or 0.0
    return f"HttpOptions.timeout={round(seconds * 1000)} ms ({seconds:g} s, {what})"


def _client_args(prep: Prepared, phase: str, seconds: float) -> str:
    return f"{prep.choice.where}['timeout'] {phase}={seconds:g} s"


def _attempt_text(prep: Prepared, limit: float | None, elapsed: float, stream: bool) -> str | None:
    """Which limit ended an attempt that ran ``elapsed`` seconds."""
    settings, extras = prep.settings, prep.choice.extras
    read = prep.send.timeouts.read
    if limit is not None and (read is None or elapsed >= limit * 0.95 or read >= limit):
        if settings.timeout is not None and abs(limit - settings.timeout) < 1e-9:
            return _option(prep, "the wait for a stream's response" if stream else "the whole call")
        total = extras.total_timeout
        if settings.timeout is None and total is not None and abs(limit - total) < 1e-9:
            return _client_args(prep, "total", limit)
        if settings.deadline is not None:
            return f"the time left of HttpOptions.deadline ({limit:.3g} s)"
        return f"a limit of {limit:.3g} s"
    if read is not None:
        return _client_args(prep, "read", read) + " (the longest wait for data)"
    return None


def stream_timeout_text(prep: Prepared) -> str | None:
    """The limit on the silence between a stream's chunks, named, or ``None``."""
    timeout, read = prep.settings.timeout, prep.send.timeouts.read
    if read is not None and (timeout is None or read < timeout):
        return _client_args(prep, "read", read) + " (the longest silence of a stream)"
    if timeout is not None:
        return _option(prep, "the longest silence of a stream")
    return None


def _append(exc: RequestTimeout, text: str | None) -> None:
    if text is None or getattr(exc, _NAMED, False) or not exc.args:
        return
    exc.args = (f"{exc.args[0]}; hit {text}", *exc.args[1:])
    setattr(exc, _NAMED, True)


def name_attempt_timeout(
    exc: RequestTimeout, prep: Prepared, limit: float | None, elapsed: float, stream: bool
) -> None:
    """Add to ``exc`` (a read timeout of one attempt; ``stream``: while opening a stream)
    the limit it hit."""
    _append(exc, _attempt_text(prep, limit, elapsed, stream))


def name_stream_timeout(exc: RequestTimeout, text: str | None) -> None:
    """Add to ``exc`` (a timeout while reading a stream) the limit it hit."""
    _append(exc, text)
