"""The line in front of the aiohttp backend's connector: a bounded number of places,
handed out first come, first served within a pass-over bound. asyncio only (so is
aiohttp); imports no HTTP library.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque

from ..errors import PoolTimeout
from .base import pool_timeout

__all__ = ("_PASS_OVER_SECONDS", "_Line", "_enter")


_PASS_OVER_SECONDS = 0.05
"""How long a waiting request may be passed over by one that just finished.

Measured with ``benchmarks/run.py`` (raw-aiohttp,genai_async; 3 rounds; 2-CPU VM;
ratios to raw aiohttp in the same run): 0.5 s: p99 510 ms at 256 in flight and
543 ms at 1,024, CPU 1.27x / 1.30x. 0 (strict first come, first served): p99
60 ms at 256, but at 1,024 every request hands its place over and CPU grows to
1.7-1.9x (p99 216 ms). 0.05 s: p99 74-77 ms at 256 and 140-190 ms at 1,024, CPU
1.36-1.46x / 1.51-1.56x. Raw aiohttp's own pool starves waiters instead: its
longest wait was the whole 12 s run at 256 and 1,024, behind a p99 of 6-13 ms."""


class _Line:
    """A line of ``places`` places in front of our connector, fair within a bound.

    asyncio only (so is aiohttp). A place given back goes to the first one
    waiting once it has waited :data:`_PASS_OVER_SECONDS` (zero: at once, first
    come first served); otherwise the request that gave it back may take it again
    for its next request, and a place nobody took back by the next loop turn goes
    to the first one waiting. So no request waits much longer than that bound
    past its turn, however sustained the load (aiohttp's waiting room alone lets
    waiters be passed over until their connect timeout).

    A wait that outlasts its time limit leaves the line with :class:`TimeoutError`;
    one timer, armed for the earliest deadline, serves every waiter.
    """

    __slots__ = ("_free", "_kick_due", "_loop", "_timer", "_timer_at", "_waiting", "places")

    def __init__(self, places: int, loop: asyncio.AbstractEventLoop) -> None:
        self.places = places
        self._free = places
        self._loop = loop
        # (since, deadline, place) in arrival order
        self._waiting: deque[tuple[float, float, asyncio.Future[bool]]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = math.inf
        self._kick_due = False

    def __repr__(self) -> str:
        return f"<line free={self._free} waiting={len(self._waiting)}>"

    def full(self, waited: float) -> PoolTimeout:
        """The error of a wait for a place that ran out of time."""
        return pool_timeout(self.places, self.places - self._free, waited)

    async def enter(self, limit: float | None) -> float:
        """Take a place; returns the seconds spent waiting for it."""
        if self._free > 0:
            self._free -= 1
            return 0.0
        loop = self._loop
        start = loop.time()
        place: asyncio.Future[bool] = loop.create_future()
        deadline = math.inf if limit is None else start + limit
        self._waiting.append((start, deadline, place))
        if deadline < self._timer_at:
            self._arm(deadline)
        try:
            got = await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled() and place.result():
                self.leave()  # handed a place just as the wait was cancelled
            raise
        if not got:
            raise TimeoutError
        return loop.time() - start

    def leave(self) -> None:
        """Give a place back: to the first one waiting if it has waited long enough,
        else to whoever asks first (this task's next request, or the line next turn)."""
        waiting = self._waiting
        while waiting:
            since, _, place = waiting[0]
            if place.done():
                waiting.popleft()
                continue
            if self._loop.time() - since >= _PASS_OVER_SECONDS:
                waiting.popleft()
                place.set_result(True)
                return
            break
        self._free += 1
        if waiting and not self._kick_due:
            self._kick_due = True
            self._loop.call_soon(self._kick)

    def _kick(self) -> None:
        """Hand the places nobody took back to the ones waiting."""
        self._kick_due = False
        waiting = self._waiting
        while self._free > 0 and waiting:
            place = waiting.popleft()[2]
            if not place.done():
                self._free -= 1
                place.set_result(True)

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = self._loop.call_at(when, self._expire)

    def _expire(self) -> None:
        self._timer, self._timer_at = None, math.inf
        now = self._loop.time() + 0.001  # a timer may fire a hair early
        kept: deque[tuple[float, float, asyncio.Future[bool]]] = deque()
        soonest = math.inf
        for since, deadline, place in self._waiting:
            if place.done():
                continue
            if deadline <= now:
                place.set_result(False)
                continue
            kept.append((since, deadline, place))
            soonest = min(soonest, deadline)
        self._waiting = kept
        if soonest < math.inf:
            self._arm(soonest)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer, self._timer_at = None, math.inf


async def _enter(line: _Line, wait: float | None) -> float:
    """Take a place in the pool's line; returns the seconds spent waiting. The wait is
    bounded by the pool timeout (``Timeouts.pool``: by default the connect timeout,
    as aiohttp bounds a wait for its own pool); a wait that runs out raises
    :class:`PoolTimeout`, not a timeout about the host."""
    try:
        return await line.enter(wait)
    except TimeoutError:
        raise line.full(wait or 0.0) from None
