"""Retry policy as data plus pure functions (http-options.md §3-4).

The client's retry loop only asks :func:`next_delay` how long to sleep and
:meth:`RetryPolicy.retries_status` whether a status is worth another try.
No I/O, no event-loop library.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .errors import _parse_retry_after as parse_retry_after
from .errors import _retry_info_delay as retry_info_delay

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
