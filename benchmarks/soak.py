"""Soak: many requests with ~1% faults through ONE client; memory and sockets must stay flat.

The server runs in its own process (``python -m genai_async.testing``); every
100 requests one fault is scripted through its control endpoint, rotating
through 503, 429 with Retry-After, a connection dropped mid-body, a reset
before the response and a slow response. The client retries per its policy.
Reported: requests done, failures left after retries, RSS at the 25% mark and
at the end (growth must stay under 10%), the most client sockets ever open
(bounded by the pool limit), wall time.

    python benchmarks/soak.py                       # 200,000 requests, uvloop
    python benchmarks/soak.py --requests 20000 --loop trio
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import anyio

import genai_async
from genai_async.testing import Fault, MockServer

BODY = {"contents": [{"role": "user", "parts": [{"text": "soak"}]}]}
FAULTS = [
    Fault(status=503),
    Fault(status=429, retry_after="0.01"),
    Fault(drop="mid_body"),
    Fault(drop="reset"),
    Fault(delay=0.05),
]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def client_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            pass
    return count


async def soak(url: str, server: Any, requests: int, concurrency: int) -> dict[str, Any]:
    options = {
        "base_url": url,
        "retry_options": {"attempts": 5, "initial_delay": 0.01, "max_delay": 0.1, "jitter": 0.01},
        "timeout": 10_000,
    }
    done = failed = 0
    peak_sockets = 0
    rss_mark: float | None = None
    base_sockets = client_sockets()
    next_fault = 0
    async with genai_async.AsyncClient(api_key="soak", http_options=options) as client:

        async def worker(count: int) -> None:
            nonlocal done, failed, next_fault, peak_sockets, rss_mark
            for _ in range(count):
                try:
                    await client.models.generate_content(
                        model="gemini-2.5-flash-lite", contents="soak"
                    )
                except genai_async.errors.GenAIError:
                    failed += 1
                done += 1
                n = done
                if n // 100 > next_fault:
                    next_fault += 1
                    await anyio.to_thread.run_sync(server.inject, FAULTS[next_fault % len(FAULTS)])
                if n % 2000 == 0:
                    peak_sockets = max(peak_sockets, client_sockets() - base_sockets)
                    if rss_mark is None and n >= requests // 4:
                        rss_mark = rss_mb()

        start = time.monotonic()
        per = requests // concurrency
        async with anyio.create_task_group() as tg:
            for _ in range(concurrency):
                tg.start_soon(worker, per)
        wall = time.monotonic() - start
        stats = client.pool_stats()
    end_rss = rss_mb()
    mark = rss_mark or end_rss
    return {
        "requests": done,
        "failed_after_retries": failed,
        "faults_injected": next_fault,
        "rss_mb_at_25pct": round(mark, 1),
        "rss_mb_end": round(end_rss, 1),
        "rss_growth_pct": round((end_rss - mark) / mark * 100, 1),
        "peak_client_sockets": peak_sockets,
        "resends": sum(s.resends for s in stats.sessions),
        "wall_s": round(wall, 1),
        "req_per_s": round(done / wall),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--loop", choices=["asyncio", "uvloop", "trio"], default="uvloop")
    args = parser.parse_args()
    with MockServer.spawn(cpu=0 if (os.cpu_count() or 1) > 1 else None) as server:
        backend = "trio" if args.loop == "trio" else "asyncio"
        backend_options = {"use_uvloop": True} if args.loop == "uvloop" else {}
        result = anyio.run(
            soak,
            server.url,
            server,
            args.requests,
            args.concurrency,
            backend=backend,
            backend_options=backend_options,
        )
    result["loop"] = args.loop
    print(json.dumps(result, indent=1))
    ok = result["rss_growth_pct"] < 10 and result["failed_after_retries"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
