"""Retry schedule and server hints as pure functions (spec §3.1, §4.3)."""

from __future__ import annotations

import email.utils
import random
import time

import pytest

from genai_async import types
from genai_async._retry import (
    RetryPolicy,
    next_delay,
    parse_retry_after,
    retry_info_delay,
    schedule_delay,
)


def test_default_schedule_bounds() -> None:
    policy = RetryPolicy.from_options(types.HttpRetryOptions())
    rand = random.Random(1)
    for retry, low in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)]:
        for _ in range(200):
            delay = schedule_delay(policy, retry, rand)
            assert low <= delay <= low + 1.0


def test_schedule_without_jitter_is_exact_and_capped() -> None:
    policy = RetryPolicy(attempts=9, initial_delay=0.5, max_delay=3.0, exp_base=3.0, jitter=0.0)
    assert [schedule_delay(policy, k) for k in (1, 2, 3)] == [0.5, 1.5, 3.0]


def test_server_hint_raises_delay_but_max_delay_caps() -> None:
    policy = RetryPolicy(attempts=3, initial_delay=0.1, max_delay=5.0, jitter=0.0)
    assert next_delay(policy, 1, 2.0) == 2.0
    assert next_delay(policy, 1, 0.01) == 0.1
    assert next_delay(policy, 1, 100.0) == 5.0


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    parsed = parse_retry_after({"retry-after": date}, now=now)
    assert parsed is not None
    assert 28.0 <= parsed <= 31.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "-3"}) == 0.0


@pytest.mark.parametrize(
    ("delay", "seconds"), [("17s", 17.0), ("0.5s", 0.5), ({"seconds": 2, "nanos": 500000000}, 2.5)]
)
def test_retry_info_delay(delay: object, seconds: float) -> None:
    body = {
        "error": {
            "code": 429,
            "details": [
                {"@type": "type.googleapis.com/google.rpc.Help"},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay},
            ],
        }
    }
    assert retry_info_delay(body) == seconds


def test_retry_info_absent() -> None:
    assert retry_info_delay({"error": {"code": 429}}) is None
    assert retry_info_delay("not a dict") is None
