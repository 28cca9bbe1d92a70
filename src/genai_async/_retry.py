"""Retry policy as data plus pure functions (http-options.md §3-4).

The client's retry loop only asks :func:`next_delay` how long to sleep and
:meth:`RetryPolicy.retries_status` whether a status is worth another try.
No I/O, no event-loop library.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = (
    "DEFAULT_STATUS_CODES",
    "NO_RETRY",
    "RetryPolicy",
    "next_delay",
    "parse_retry_after",
    "retry_info_delay",
    "schedule_delay",
)

DEFAULT_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})
_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)s\s*$")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A resolved ``HttpRetryOptions``: every field known, immutable, hashable."""

    attempts: int = 5
    initial_delay: float = 1.0
    max_delay: float = 60.0
    exp_base: float = 2.0
    jitter: float = 1.0
    status_codes: frozenset[int] = DEFAULT_STATUS_CODES

    @classmethod
    def from_options(cls, options: Any) -> RetryPolicy:
        """``HttpRetryOptions`` (or ``None``) -> policy; unset fields take the defaults.

        ``None`` means "no policy": exactly one attempt.
        """
        if options is None:
            return NO_RETRY
        attempts = 5 if options.attempts is None else max(1, options.attempts)
        return cls(
            attempts=attempts,
            initial_delay=1.0 if options.initial_delay is None else float(options.initial_delay),
            max_delay=60.0 if options.max_delay is None else float(options.max_delay),
            exp_base=2.0 if options.exp_base is None else float(options.exp_base),
            jitter=1.0 if options.jitter is None else float(options.jitter),
            status_codes=frozenset(options.http_status_codes or DEFAULT_STATUS_CODES),
        )

    def retries_status(self, status: int) -> bool:
        return status in self.status_codes


NO_RETRY = RetryPolicy(attempts=1)


def schedule_delay(policy: RetryPolicy, retry: int, rand: random.Random | None = None) -> float:
    """Delay before retry number ``retry`` (1 = first retry), spec §3.1 exactly."""
    jitter = (rand or random).uniform(0, policy.jitter) if policy.jitter else 0.0
    delay = policy.initial_delay * policy.exp_base ** (retry - 1) + jitter
    return max(0.0, min(policy.max_delay, delay))


def next_delay(
    policy: RetryPolicy,
    retry: int,
    server_delay: float | None = None,
    rand: random.Random | None = None,
) -> float:
    """The schedule's delay, raised to the server's hint, capped by ``max_delay``."""
    delay = schedule_delay(policy, retry, rand)
    if server_delay is not None and server_delay > delay:
        delay = min(policy.max_delay, server_delay)
    return delay


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
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


def retry_info_delay(body: Any) -> float | None:
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
