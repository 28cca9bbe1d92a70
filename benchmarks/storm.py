"""Cancellation storm: calls cancelled at random points, then nothing may be left behind.

For each event loop (asyncio, uvloop, trio) and HTTP backend that runs on it:
N calls (a quarter of them streams) in waves of 200, each cancelled after a
random 0-40 ms (before send, while sending, while reading, mid-stream) except
every fifth, which must succeed. After ``aclose()``: client sockets left open
(counted in /proc/self/fd; the server runs in another process), ResourceWarnings
seen, and how many of the uncancelled calls succeeded.

    python benchmarks/storm.py                 # 10,000 calls per loop/backend
    python benchmarks/storm.py --calls 2000
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
import warnings
from typing import Any

import anyio

import genai_async
from genai_async.testing import MockServer

BODY = {"contents": [{"role": "user", "parts": [{"text": "storm"}]}]}
COMBOS = [
    ("asyncio", "aiohttp"),
    ("asyncio", "httpx"),
    ("uvloop", "aiohttp"),
    ("uvloop", "httpx"),
    ("trio", "httpx"),
]


def sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            pass
    return count


async def storm(url: str, backend: str, calls: int) -> dict[str, Any]:
    rand = random.Random(11)
    before = sockets()
    must, ok, cancelled = 0, 0, 0
    client = genai_async.AsyncClient(
        api_key="k", http_options={"base_url": url, "backend": backend}
    )

    async def call(i: int) -> None:
        nonlocal must, ok, cancelled
        timeout = None if i % 5 == 0 else rand.uniform(0.0, 0.04)
        must += timeout is None
        with anyio.move_on_after(timeout) as scope:
            if i % 4 == 0:
                async with client.stream(
                    "POST", "models/m:streamGenerateContent?alt=sse", BODY
                ) as events:
                    async for _ in events:
                        await anyio.lowlevel.checkpoint()
            else:
                await client.request("POST", "models/m:generateContent", BODY)
        if scope.cancelled_caught:
            cancelled += 1
        elif timeout is None:
            ok += 1

    start = time.monotonic()
    async with client:
        for wave in range(0, calls, 200):
            async with anyio.create_task_group() as tg:
                for i in range(wave, min(calls, wave + 200)):
                    tg.start_soon(call, i)
    wall = time.monotonic() - start
    gc.collect()
    await anyio.sleep(0.2)
    return {
        "calls": calls,
        "cancelled": cancelled,
        "uncancelled_ok": f"{ok}/{must}",
        "sockets_left": sockets() - before,
        "wall_s": round(wall, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    failed = False
    print(
        "| loop | backend | calls | cancelled | uncancelled ok | sockets left | ResourceWarnings | wall s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    with MockServer.spawn(latency_ms=2, cpu=0 if (os.cpu_count() or 1) > 1 else None) as server:
        for loop, backend in COMBOS:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ResourceWarning)
                result = anyio.run(
                    storm,
                    server.url,
                    backend,
                    args.calls,
                    backend="trio" if loop == "trio" else "asyncio",
                    backend_options={"use_uvloop": True} if loop == "uvloop" else {},
                )
                gc.collect()
            leaks = sum(1 for w in caught if issubclass(w.category, ResourceWarning))
            ok, must = result["uncancelled_ok"].split("/")
            failed |= bool(result["sockets_left"]) or bool(leaks) or ok != must
            print(
                f"| {loop} | {backend} | {result['calls']:,} | {result['cancelled']:,} | "
                f"{result['uncancelled_ok']} | {result['sockets_left']} | {leaks} | {result['wall_s']} |"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
