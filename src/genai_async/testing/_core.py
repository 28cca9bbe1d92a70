"""Shared state of one mock server: settings, counters, recordings, faults and live connections.

The server thread mutates this state; test threads read it. Counters and
recordings are guarded by one lock held only for a few operations at a time.
The connection registry is touched only from the server thread.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import deque
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from ._faults import FaultQueue
from ._records import RecordedRequest, ServerStats
from ._resources import Resources
from ._responses import Reply, Responder
from ._stores import FileSearchStores

if TYPE_CHECKING:
    import asyncio

__all__ = ("ServerCore",)


class _Conn(Protocol):
    id: int
    counted: bool
    peak_before: int
    epoch: int

    def is_idle(self) -> bool: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...
    def arm_idle_timer(self) -> None: ...


class ServerCore:
    """Everything a connection needs to know about its server."""

    def __init__(
        self,
        *,
        latency: float | tuple[float, float],
        stream_events: int,
        record_limit: int,
        seed: int,
        page_size_default: int,
        models: int,
        tls: bool,
    ) -> None:
        if isinstance(latency, tuple):
            lo, hi = float(latency[0]), float(latency[1])
            if lo < 0 or hi < lo:
                raise ValueError("latency range must satisfy 0 <= lo <= hi")
            self.latency_range: tuple[float, float] | None = (lo, hi)
            self.fixed_latency = 0.0
        else:
            if latency < 0:
                raise ValueError("latency must be >= 0")
            self.latency_range = None
            self.fixed_latency = float(latency)
        if stream_events < 0 or record_limit < 0 or models < 0 or page_size_default < 1:
            raise ValueError("stream_events, record_limit and models must be >= 0, page size >= 1")
        self._rng = random.Random(seed)
        self.tls = tls
        self.loop: asyncio.AbstractEventLoop | None = None
        self.responder = Responder(
            models=models, page_size_default=page_size_default, stream_events=stream_events
        )
        self.faults = FaultQueue()
        self.resources = Resources(page_size_default, self._generate)
        self.resources.stores = FileSearchStores(self.resources)
        self.idle_close: float | None = None
        self.connections: dict[int, _Conn] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._records: deque[RecordedRequest] = deque(maxlen=record_limit)
        self.recording = record_limit > 0
        self._opened = 0
        self._open = 0
        self._peak = 0
        self._requests = 0
        self._epoch = 0  # incremented by clear()

    def _generate(self, model: str, request: dict[str, Any]) -> dict[str, Any]:
        """The mock model's generateContent answer (batch jobs answer their lines with it)."""
        reply = self.responder.respond(
            "POST",
            f"/v1beta/models/{model.rsplit('/', 1)[-1]}:generateContent",
            "",
            orjson.dumps(request),
        )
        data: dict[str, Any] = orjson.loads(reply.body) if isinstance(reply, Reply) else {}
        return data

    @property
    def stream_events(self) -> int:
        return self.responder.stream_events

    def latency(self) -> float:
        """Seconds to wait before the next response's headers."""
        span = self.latency_range
        if span is None:
            return self.fixed_latency
        return self._rng.uniform(span[0], span[1])

    # -- connections (server thread) ----------------------------------------------------------

    def connection_opened(self, conn: _Conn) -> int:
        """Register a new connection and return its id."""
        conn_id = next(self._ids)
        self.connections[conn_id] = conn
        with self._lock:
            conn.peak_before = self._peak
            conn.epoch = self._epoch
            self._opened += 1
            self._open += 1
            if self._open > self._peak:
                self._peak = self._open
        return conn_id

    def connection_closed(self, conn: _Conn) -> None:
        self.connections.pop(conn.id, None)
        if conn.counted:
            conn.counted = False
            with self._lock:
                self._open -= 1

    def uncount(self, conn: _Conn) -> None:
        """Exclude a connection that turned out to serve control endpoints from the stats."""
        if not conn.counted:
            return
        conn.counted = False
        with self._lock:
            self._open -= 1
            # Peak values reached while this connection was open included it.
            base = 0
            if conn.epoch == self._epoch:
                self._opened -= 1
                base = conn.peak_before
            if self._peak > base:
                self._peak = max(base, self._peak - 1, self._open)

    def set_idle_close(self, seconds: float | None) -> None:
        self.idle_close = seconds
        for conn in list(self.connections.values()):
            conn.arm_idle_timer()

    def close_idle(self) -> list[_Conn]:
        closing = [c for c in self.connections.values() if c.is_idle()]
        for conn in closing:
            conn.close()
        return closing

    # -- recording (server thread writes, any thread reads) -----------------------------------

    def count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._records.append(request)
            self._requests += 1

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._records)

    def last_request(self) -> RecordedRequest | None:
        with self._lock:
            return self._records[-1] if self._records else None

    def stats(self) -> ServerStats:
        with self._lock:
            return ServerStats(
                connections_opened=self._opened,
                connections_open=self._open,
                peak_connections_open=self._peak,
                requests=self._requests,
            )

    def clear(self) -> None:
        """Forget recordings and reset counters; open connections stay counted as open."""
        with self._lock:
            self._records.clear()
            self._epoch += 1
            self._opened = 0
            self._peak = self._open
            self._requests = 0
