"""``genai-async batch`` killed with SIGKILL at random moments, resumed until done.

The promise tested is the README's: the output is appended as results arrive, so a
crash loses only the requests in flight, and ``--resume`` after a ``kill -9`` at any
moment ends with every key exactly once. Precisely, for every kill:

* a key whose record was whole in OUTPUT at the kill is never sent again;
* the keys sent by the killed run but missing from OUTPUT (the ones sent again) are
  at most the requests in flight: ``concurrency``, plus the one whose line the kill cut;

so over the whole job a key is sent at most once more than needed per kill that caught
it in flight, and in total at most ``kills * (concurrency + 1)`` requests are repeated.

Size: 20,000 lines by default; ``GENAI_ASYNC_CRASH_LINES=100000`` (and optionally
``GENAI_ASYNC_CRASH_SEED``) runs the long version::

    GENAI_ASYNC_CRASH_LINES=100000 PYTHONPATH=src python -m pytest tests/test_batch_crash.py
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from genai_async.testing import MockServer, RecordedRequest

LINES = int(os.environ.get("GENAI_ASYNC_CRASH_LINES", "20000"))
SEED = int(os.environ.get("GENAI_ASYNC_CRASH_SEED", "1307"))
CONCURRENCY = 64
KILLS = 6


def write_input(path: Path, n: int) -> list[str]:
    keys = [f"k{i:06d}" for i in range(n)]
    with path.open("w") as f:
        for key in keys:
            request = {"contents": [{"role": "user", "parts": [{"text": f"item={key}"}]}]}
            f.write(json.dumps({"key": key, "request": request}) + "\n")
    return keys


def sent_keys(requests: list[RecordedRequest]) -> Counter[str]:
    return Counter(
        r.json()["contents"][0]["parts"][0]["text"].removeprefix("item=")
        for r in requests
        if r.path.endswith(":generateContent")
    )


def whole_records(path: Path) -> Counter[str]:
    """Keys of the whole lines of ``path`` (a line cut off by the kill is not a record)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Counter()
    return Counter(json.loads(line)["key"] for line in data[: data.rfind(b"\n") + 1].splitlines())


def count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_at_random_points_then_resume_ends_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    keys = write_input(source, LINES)
    env = {**os.environ, "GOOGLE_API_KEY": "test-key"}
    kills = 0
    total_sent: Counter[str] = Counter()
    with MockServer(latency=0.005, record_limit=LINES + 10_000) as server:
        base = [sys.executable, "-m", "genai_async", "batch", str(source), "-o", str(output),
                "--base-url", server.url, "--concurrency", str(CONCURRENCY), "-q"]  # fmt: skip
        for attempt in range(KILLS + 1):
            args = base if attempt == 0 else [*base, "--resume"]
            before = whole_records(output)
            with subprocess.Popen(
                args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            ) as proc:
                if attempt < KILLS:
                    # a random moment: during start-up, the resume scan or the sending
                    target = len(before) + rng.randint(0, max(1, LINES // (KILLS + 1)))
                    deadline = time.monotonic() + rng.uniform(0.0, 1.0) + 60
                    while proc.poll() is None and time.monotonic() < deadline:
                        if count_lines(output) >= target:
                            break
                        time.sleep(rng.uniform(0.0, 0.02))
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGKILL)
                        kills += 1
                _, err = proc.communicate(timeout=300)
            time.sleep(0.1)  # requests already on the wire are read by now
            sent = sent_keys(server.requests)
            server.clear()
            written = whole_records(output)
            assert max(written.values(), default=1) == 1, "a key written twice"
            assert not set(before) & set(sent), "an answered key was sent again"
            assert max(sent.values(), default=1) == 1, "a key sent twice in one run"
            assert set(written) - set(before) <= set(sent)
            if proc.returncode == 0:
                assert set(sent) == set(written) - set(before)
                total_sent += sent
                break
            assert proc.returncode == -signal.SIGKILL, err
            in_flight = set(sent) - set(written)  # the keys the next run sends again
            print(f"kill {kills}: {len(written)} records, {len(in_flight)} in flight")
            assert len(in_flight) <= CONCURRENCY + 1
            total_sent += sent
        else:
            pytest.fail("the last run did not finish")

    assert whole_records(output) == Counter(keys)  # every key exactly once
    assert output.read_bytes().endswith(b"\n")
    assert kills >= KILLS - 1  # (a run may finish before its kill)
    assert max(total_sent.values()) <= 1 + kills
    assert sum(total_sent.values()) - LINES <= kills * (CONCURRENCY + 1)
