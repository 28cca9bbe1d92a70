"""Pooled sessions: one registry per event loop, one session per transport key.

Every client on a loop shares the session of a key, so two clients that differ
only in API key share one pool and building a client costs no session. Clients
*lease* keys; a session closes when no client holds its key and nothing is in
flight. A bound (LRU) and an idle expiry *retire* sessions: a retired session
serves no new request and is closed by whoever finishes its last one (the
lesson of urllib3 a80c248c: never close a pool under a request).

A cache hit is one dict lookup and no await; only a miss takes the lock.
Registries are held weakly by loop (asyncio loop or trio run token); entries
of closed loops are dropped. After ``os.fork()`` the child forgets every
inherited session without closing it (the parent still owns those sockets).
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio

from . import _runtime
from ._backends import create_backend
from ._backends.base import AsyncBackend
from ._keys import TransportKey

__all__ = (
    "PoolStats",
    "SessionEntry",
    "SessionRegistry",
    "SessionStats",
    "live_registries",
    "registry_for",
    "stats_for_loop",
)

logger = logging.getLogger("genai_async")

DEFAULT_MAX_SESSIONS = 64
DEFAULT_IDLE_EXPIRY = 300.0


@dataclass(frozen=True, slots=True)
class SessionStats:
    """One pooled session, as seen by :meth:`SessionRegistry.stats`."""

    backend: str
    key: str
    leases: int
    in_flight: int
    retired: bool
    requests: int
    resends: int
    connections: int | None
    borrowed: bool


@dataclass(frozen=True, slots=True)
class PoolStats:
    """A read-only view of the sessions of one event loop."""

    sessions: tuple[SessionStats, ...]
    created: int
    closed: int

    @property
    def live(self) -> int:
        return sum(1 for s in self.sessions if not s.retired)

    @property
    def in_flight(self) -> int:
        return sum(s.in_flight for s in self.sessions)

    @property
    def connections(self) -> int:
        return sum(s.connections or 0 for s in self.sessions)


class SessionEntry:
    """A session with its bookkeeping. ``in_flight`` is changed only on its loop."""

    __slots__ = (
        "backend",
        "closed",
        "in_flight",
        "key",
        "last_used",
        "requests",
        "resends",
        "retired",
    )

    def __init__(self, key: TransportKey, backend: AsyncBackend) -> None:
        self.key = key
        self.backend = backend
        self.in_flight = 0
        self.retired = False
        self.closed = False
        self.last_used = time.monotonic()
        self.requests = 0
        self.resends = 0


def describe_key(key: TransportKey) -> str:
    """A printable summary of a key (no secrets: proxies print without credentials)."""
    parts = [key.backend]
    if not key.tls.verify:
        parts.append("verify=False")
    if key.tls.context is not None:
        parts.append("ssl=<user context>")
    if key.tls.ca_file:
        parts.append(f"ca_file={key.tls.ca_file}")
    if key.tls.cert is not None:
        parts.append("client-cert")
    if key.proxies is not None:
        parts.append(f"proxy={key.proxies.https or key.proxies.http}")
    if key.http2:
        parts.append("http2")
    parts.append(f"max_connections={key.limits.max_connections}")
    if key.borrowed is not None:
        parts.append(f"borrowed={type(key.borrowed).__name__}")
    parts.extend(name for name, _ in key.session_args)
    return " ".join(parts)


class SessionRegistry:
    """The sessions of one event loop."""

    def __init__(self, library: str, loop: Any) -> None:
        self.library = library
        self._loop_ref = weakref.ref(loop)
        self.sessions: dict[TransportKey, SessionEntry] = {}
        self.leases: dict[TransportKey, int] = {}
        self.retired: set[SessionEntry] = set()
        self.max_sessions = DEFAULT_MAX_SESSIONS
        self.idle_expiry = DEFAULT_IDLE_EXPIRY
        self.created = 0
        self.closed = 0
        self.abandoned = False
        self._lock: anyio.Lock | None = None
        self._watcher: Any = None

    def __repr__(self) -> str:
        live = len(self.sessions)
        leases = sum(self.leases.values())
        in_flight = sum(e.in_flight for e in self.sessions.values()) + sum(
            e.in_flight for e in self.retired
        )
        return (
            f"<SessionRegistry {self.library} [sessions: {live} live, {len(self.retired)} retired "
            f"| leases: {leases} | in flight: {in_flight}]>"
        )

    def is_dead(self) -> bool:
        loop = self._loop_ref()
        if loop is None:
            return True
        return isinstance(loop, asyncio.AbstractEventLoop) and loop.is_closed()

    async def acquire(self, key: TransportKey, lease: bool) -> SessionEntry:
        """The live session for ``key``, built on a miss; ``lease`` adds one lease."""
        if lease:
            self.leases[key] = self.leases.get(key, 0) + 1
        entry = self.sessions.get(key)
        if entry is not None:
            return entry
        if self._lock is None:
            self._lock = anyio.Lock()
        if self._watcher is None:
            await self._watch_loop_end()
        to_close: list[SessionEntry] = []
        try:
            async with self._lock:
                entry = self.sessions.get(key)
                if entry is None:
                    backend = create_backend(key)
                    if not backend.is_usable_here():
                        raise RuntimeError(
                            "the aiohttp session or connector you passed belongs to another event "
                            "loop; aiohttp objects can only be used on the loop they were made on"
                        )
                    if not key.tls.verify:
                        logger.warning(
                            "TLS certificate verification is disabled for a %s session", key.backend
                        )
                    entry = SessionEntry(key, backend)
                    self.sessions[key] = entry
                    self.created += 1
                    to_close = self._sweep(keep=key)
        except BaseException:
            if lease:
                self._drop_lease(key)
            raise
        await self._close_all(to_close)
        return entry

    async def _watch_loop_end(self) -> None:
        """Close this loop's sessions when the loop shuts down.

        ``asyncio.run`` (and anyio, uvloop, trio at the end of a run) closes every
        async generator still alive before the loop closes. One parked here runs
        its ``finally`` then, on the loop, so sessions of clients nobody closed
        are closed instead of leaking their sockets into a dead loop.
        """
        watcher = _until_loop_end(self)
        self._watcher = watcher  # a strong reference: only the loop's shutdown ends it
        await watcher.__anext__()

    def _drop_lease(self, key: TransportKey) -> int:
        count = self.leases.get(key, 0) - 1
        if count > 0:
            self.leases[key] = count
        else:
            self.leases.pop(key, None)
        return max(count, 0)

    def _retire(self, entry: SessionEntry) -> bool:
        """Take ``entry`` out of service; True when it can be closed right away."""
        if self.sessions.get(entry.key) is entry:
            del self.sessions[entry.key]
        entry.retired = True
        if entry.in_flight == 0:
            return True
        self.retired.add(entry)
        return False

    def _sweep(self, keep: TransportKey) -> list[SessionEntry]:
        """Retire idle-expired sessions and the least recently used beyond the bound."""
        now = time.monotonic()
        closable = []
        for entry in list(self.sessions.values()):
            idle = entry.in_flight == 0 and now - entry.last_used > self.idle_expiry
            if entry.key != keep and idle and self._retire(entry):
                closable.append(entry)
        while len(self.sessions) > self.max_sessions:
            victim = min(
                (e for e in self.sessions.values() if e.key != keep), key=lambda e: e.last_used
            )
            if self._retire(victim):
                closable.append(victim)
        return closable

    async def release(self, keys: Iterable[TransportKey]) -> None:
        """A client let go of ``keys``: close sessions nobody holds any more."""
        closable = []
        for key in keys:
            if self._drop_lease(key) == 0:
                entry = self.sessions.get(key)
                if entry is not None and self._retire(entry):
                    closable.append(entry)
        await self._close_all(closable)

    async def finished(self, entry: SessionEntry) -> None:
        """The last in-flight request of a retired session ended: close it."""
        if entry.retired and entry.in_flight == 0 and not entry.closed:
            self.retired.discard(entry)
            await self._close_all([entry])

    async def _close_all(self, entries: list[SessionEntry]) -> None:
        if not entries:
            return
        with anyio.CancelScope(shield=True):
            for entry in entries:
                if entry.closed:
                    continue
                entry.closed = True
                self.retired.discard(entry)
                try:
                    await entry.backend.aclose()
                except Exception:  # a failing close must not break the caller
                    logger.debug("closing a %s session failed", entry.key.backend, exc_info=True)
                self.closed += 1

    async def aclose(self) -> None:
        """Close every session now (used when a loop is being torn down)."""
        entries = list(self.sessions.values()) + list(self.retired)
        self.sessions.clear()
        self.retired.clear()
        self.leases.clear()
        for entry in entries:
            entry.retired = True
        await self._close_all(entries)

    def stats(self) -> PoolStats:
        entries = list(self.sessions.values()) + list(self.retired)
        return PoolStats(
            sessions=tuple(
                SessionStats(
                    backend=e.key.backend,
                    key=describe_key(e.key),
                    leases=self.leases.get(e.key, 0) if not e.retired else 0,
                    in_flight=e.in_flight,
                    retired=e.retired,
                    requests=e.requests,
                    resends=e.resends,
                    connections=e.backend.connection_count(),
                    borrowed=not e.backend.owned,
                )
                for e in entries
            ),
            created=self.created,
            closed=self.closed,
        )

    def abandon(self) -> None:
        """Forget every session without closing it (forked child)."""
        self.abandoned = True
        for entry in list(self.sessions.values()) + list(self.retired):
            entry.retired = True
            entry.closed = True
            _ABANDONED.append(entry)
        self.sessions.clear()
        self.retired.clear()
        self.leases.clear()


async def _until_loop_end(registry: SessionRegistry) -> Any:
    try:
        yield
    finally:
        registry.abandoned = True
        loop = registry._loop_ref()
        if loop is not None and _REGISTRIES.get(loop) is registry:
            del _REGISTRIES[loop]
        await registry.aclose()


_REGISTRIES: weakref.WeakKeyDictionary[Any, SessionRegistry] = weakref.WeakKeyDictionary()
# Sessions inherited through fork: kept referenced so they are never closed nor
# collected (which would warn) in the child.
_ABANDONED: list[SessionEntry] = []


def registry_for(library: str, loop: Any) -> SessionRegistry:
    """The registry of ``loop``, created on first use."""
    registry = _REGISTRIES.get(loop)
    if registry is None:
        for other_loop, other in list(_REGISTRIES.items()):
            if other.is_dead():
                _REGISTRIES.pop(other_loop, None)
        registry = _REGISTRIES[loop] = SessionRegistry(library, loop)
    return registry


def live_registries() -> list[SessionRegistry]:
    """Every event loop's registry (a snapshot; safe from any thread)."""
    for _ in range(3):
        try:
            return list(_REGISTRIES.values())
        except RuntimeError:  # changed while copied by another thread: try again
            continue
    return []


def stats_for_loop(loop: Any) -> PoolStats:
    """The pool stats of ``loop``'s registry (empty when it has none)."""
    registry = _REGISTRIES.get(loop)
    if registry is None:
        return PoolStats(sessions=(), created=0, closed=0)
    return registry.stats()


def current_registry() -> SessionRegistry | None:
    """The registry of the running loop, if it has one."""
    _, loop = _runtime.current_loop()
    return _REGISTRIES.get(loop)


def _forget_after_fork() -> None:
    for registry in list(_REGISTRIES.values()):
        registry.abandon()
    _REGISTRIES.clear()


_runtime.after_fork(_forget_after_fork)
