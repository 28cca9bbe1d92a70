"""Hundreds of concurrent calls on trio, under cancel scopes, over one small pool.

Run it (``pip install trio``)::

    python examples/trio_app.py                      # against the embedded server
    GOOGLE_API_KEY=... python examples/trio_app.py   # against the Gemini API

With no ``GOOGLE_API_KEY`` / ``GEMINI_API_KEY`` it starts the embedded
``MockServer`` (answers after 50-150 ms) and talks to it; ``GOOGLE_GEMINI_BASE_URL``
points a real key elsewhere, as for ``examples/fastapi_app.py``.
``TRIO_APP_CALLS`` sets the number of calls (default 300).

What it shows:

* every call has its own cancel scope; every third one has a deadline shorter
  than an answer takes, so it is cancelled mid-flight (sent, or still waiting
  for one of the pool's connections);
* one group of calls (unary calls and streams read chunk by chunk) shares a
  scope that a sibling task cancels after 300 ms, as when a user hangs up
  (against the embedded server streams trickle out, so some are cut mid-stream);
* afterwards ``pool_stats()`` shows nothing in flight and no more connections
  than the pool's limit, and a follow-up burst of twice the pool size all
  succeeds: a cancelled call gave its connection back (or closed it) instead
  of keeping a place in the pool.

It prints what happened and exits 1 if the pool kept anything.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import trio

import genai_async

MODEL = os.environ.get("GENAI_MODEL", "gemini-2.0-flash")
CALLS = int(os.environ.get("TRIO_APP_CALLS", "300"))
POOL = 32


@dataclass
class Tally:
    ok: int = 0
    cancelled: int = 0
    streamed_chunks: int = 0


async def one_call(client: genai_async.AsyncClient, i: int, tally: Tally) -> None:
    # Every third call gets less time than an answer takes: cancelled mid-flight.
    with trio.move_on_after(0.02 if i % 3 == 0 else 60):
        await client.models.generate_content(model=MODEL, contents=f"Question {i}: why?")
        tally.ok += 1
        return
    tally.cancelled += 1


async def one_stream(client: genai_async.AsyncClient, i: int, tally: Tally) -> None:
    stream = await client.models.generate_content_stream(model=MODEL, contents=f"Story {i}")
    async with stream:
        async for _ in stream:
            tally.streamed_chunks += 1


async def hung_up_group(client: genai_async.AsyncClient, count: int, tally: Tally) -> None:
    """``count`` calls and streams under one scope, cancelled by a sibling after 300 ms."""
    done = Tally()
    with trio.CancelScope() as group:
        async with trio.open_nursery() as nursery:
            for i in range(count):

                async def run(i: int = i) -> None:
                    if i % 2:
                        await one_stream(client, i, done)
                    else:
                        await client.models.generate_content(model=MODEL, contents=f"Q{i}")
                    done.ok += 1

                nursery.start_soon(run)
            await trio.sleep(0.3)
            group.cancel()
    tally.ok += done.ok
    tally.cancelled += count - done.ok
    tally.streamed_chunks += done.streamed_chunks


async def main(base_url: str | None, api_key: str | None) -> int:
    options: dict[str, Any] = {"max_connections": POOL}
    if base_url is not None:
        options["base_url"] = base_url
    tally = Tally()
    group_size = CALLS // 4
    async with genai_async.AsyncClient(api_key=api_key, http_options=options) as client:
        await client.models.generate_content(model=MODEL, contents="Hello")  # warm the pool up
        start = trio.current_time()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(hung_up_group, client, group_size, tally)
            await trio.sleep(0.01)  # the group's calls queue for the pool first
            for i in range(CALLS - group_size):
                nursery.start_soon(one_call, client, i, tally)
        took = trio.current_time() - start
        stats = client.pool_stats()
        print(f"calls: {CALLS}  ok: {tally.ok}  cancelled: {tally.cancelled}  in {took:.2f}s")
        print(f"stream chunks read: {tally.streamed_chunks}")
        print(
            f"pool after: in_flight={stats.in_flight} connections={stats.connections}"
            f" (limit {POOL})"
        )
        follow = Tally()
        with trio.fail_after(30):
            async with trio.open_nursery() as nursery:
                for i in range(2 * POOL):
                    nursery.start_soon(one_call, client, 3 * i + 1, follow)  # never cut short
        print(f"follow-up: {follow.ok}/{2 * POOL} ok")
        healthy = (
            tally.ok + tally.cancelled == CALLS
            and stats.in_flight == 0
            and stats.connections <= POOL
            and follow.ok == 2 * POOL
        )
    print("pool healthy" if healthy else "POOL KEPT SOMETHING")
    return 0 if healthy else 1


def run() -> int:
    api_key = os.environ.get("GOOGLE_API_KEY") or os.environ.get("GEMINI_API_KEY")
    if api_key:
        return trio.run(main, None, None)  # key and base URL from the environment
    from genai_async.testing import Fault, MockServer

    with MockServer(latency=(0.05, 0.15)) as server:
        # Streams trickle 8 chunks, 40 ms apart, so the group is cut off mid-stream.
        server.inject(Fault(match="streamGenerateContent", slow_body=0.04, events=8, times=10**6))
        print(f"no API key: using the embedded server at {server.url}")
        return trio.run(main, server.url, "mock-key")


if __name__ == "__main__":
    sys.exit(run())
