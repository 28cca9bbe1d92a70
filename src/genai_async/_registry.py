"""Pooled sessions: one registry per event loop, one session per transport key.

Layering: above the backends, below the client core. This module owns every
session's books; the client asks it and never writes an entry's fields.

Every client on a loop shares the session of a key, so two clients that differ
only in API key share one pool and building a client costs no session. A
client holds a :class:`Lease` per loop (the keys it uses, and the last session
it used, found again by identity). Each request is one :meth:`SessionRegistry.checkout`
and one :meth:`~SessionRegistry.checkin`. A session outlives the clients that
leased it: clients built per request find it still there. An idle expiry, a
bound (LRU) and the loop's end *retire* sessions: a retired session serves no
new request and is closed when its last request checks in (the lesson of
urllib3 a80c248c: never close a pool under a request).

A cache hit is one identity check and no await; only a miss takes the lock.
Registries are held weakly by loop (asyncio loop or trio run token); entries
of closed loops are dropped. After ``os.fork()`` the child forgets every
inherited session without closing it (the parent still owns those sockets).
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from typing import Any

import anyio

from . import _runtime
from ._backends import create_backend, prepare_backend
from ._backends.base import AsyncBackend
from ._keys import PoolStats, SessionStats, TransportKey, describe_key

__all__ = (
    "Lease",
    "PoolStats",
    "SessionEntry",
    "SessionRegistry",
    "SessionStats",
    "live_registries",
    "registry_for",
    "stats_for",
)

logger = logging.getLogger("genai_async")

DEFAULT_MAX_SESSIONS = 64
DEFAULT_IDLE_EXPIRY = 300.0


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


class SessionRegistry:
    """The sessions of one event loop.

    ``max_sessions`` (default 64) bounds the live sessions (least recently used
    retire first) and ``idle_expiry`` (seconds, default 300) retires a session
    nobody has used for that long; set both with :meth:`configure`.
    """

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
        self._reaper: _runtime.Timer | None = None
        self._reaper_at = math.inf

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

    def configure(
        self, *, max_sessions: int | None = None, idle_expiry: float | None = None
    ) -> tuple[int, float]:
        """Set the LRU bound and the idle expiry (seconds); returns the previous pair."""
        previous = (self.max_sessions, self.idle_expiry)
        if max_sessions is not None:
            if max_sessions < 1:
                raise ValueError(f"max_sessions must be at least 1, not {max_sessions!r}")
            self.max_sessions = max_sessions
        if idle_expiry is not None:
            if not idle_expiry > 0:
                raise ValueError(
                    f"idle_expiry must be a positive number of seconds, not {idle_expiry!r}"
                )
            self.idle_expiry = float(idle_expiry)
        return previous

    def is_dead(self) -> bool:
        loop = self._loop_ref()
        return loop is None or _runtime.loop_is_closed(loop)

    # -- one request: checkout, then checkin ---------------------------------------

    @staticmethod
    def checkout(entry: SessionEntry) -> None:
        """A request starts on ``entry``; every checkout is matched by one checkin."""
        entry.in_flight += 1
        entry.requests += 1

    @staticmethod
    def note_resend(entry: SessionEntry) -> None:
        """A reused connection of ``entry`` died before any response: sent again."""
        entry.resends += 1

    def _checked_in(self, entry: SessionEntry) -> bool:
        """The one release: True when ``entry`` is retired and now idle (close it)."""
        entry.in_flight -= 1
        entry.last_used = time.monotonic()
        return entry.retired and entry.in_flight == 0 and not entry.closed

    async def checkin(self, entry: SessionEntry) -> None:
        """A request on ``entry`` ended; closes a retired session after its last one."""
        if self._checked_in(entry):
            self.retired.discard(entry)
            await self._close_all([entry])

    def checkin_nowait(self, entry: SessionEntry) -> None:
        """:meth:`checkin` from a callback on the loop: a close is scheduled, not awaited."""
        if self._checked_in(entry):
            self.retired.discard(entry)
            self._soon(self._close_all, [entry])

    def _soon(self, fn: Any, *args: Any) -> None:
        loop = self._loop_ref()
        if loop is not None:
            _runtime.run_soon_on(loop, fn, *args)

    # -- sessions ------------------------------------------------------------------

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
                    await prepare_backend(key)  # the slow first-time work, off the loop
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

    def _sweep(self, keep: TransportKey | None = None) -> list[SessionEntry]:
        """Retire idle-expired sessions and the least recently used beyond the bound."""
        now = time.monotonic()
        closable = []
        for entry in list(self.sessions.values()):
            idle = entry.in_flight == 0 and now - entry.last_used >= self.idle_expiry
            if entry.key != keep and idle and self._retire(entry):
                closable.append(entry)
        while len(self.sessions) > self.max_sessions:
            victim = min(
                (e for e in self.sessions.values() if e.key != keep), key=lambda e: e.last_used
            )
            if self._retire(victim):
                closable.append(victim)
        return closable

    async def release(self, keys: set[TransportKey]) -> None:
        """A client let go of ``keys``. Its sessions stay for the next client until
        their idle expiry (a timer closes an unleased session then)."""
        for key in keys:
            self._drop_lease(key)
        await self._close_all(self._sweep())
        self._arm_reaper()

    def _arm_reaper(self) -> None:
        """Arm one timer for the soonest idle expiry of a session nobody leases."""
        soonest = min(
            (
                e.last_used + self.idle_expiry
                for e in self.sessions.values()
                if e.key not in self.leases
            ),
            default=math.inf,
        )
        if soonest >= self._reaper_at:
            return
        loop = self._loop_ref()
        if loop is None or self.abandoned:
            return
        if self._reaper is not None:
            self._reaper.cancel()
        self._reaper_at = soonest
        self._reaper = _runtime.call_later_on(
            loop, max(soonest - time.monotonic(), 0.0), self._reap
        )

    async def _reap(self) -> None:
        self._reaper, self._reaper_at = None, math.inf
        if self.abandoned:
            return
        await self._close_all(self._sweep())
        self._arm_reaper()

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
        self._cancel_reaper()
        for entry in entries:
            entry.retired = True
        await self._close_all(entries)

    def _cancel_reaper(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
        self._reaper, self._reaper_at = None, math.inf

    def lease(self, loop: Any) -> Lease:
        """A new client's hold on this registry (``loop`` is the registry's loop)."""
        return Lease(self, loop)

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
        self._reaper, self._reaper_at = None, math.inf  # the parent's timer, not ours
        for entry in list(self.sessions.values()) + list(self.retired):
            entry.retired = True
            entry.closed = True
            _ABANDONED.append(entry)
        self.sessions.clear()
        self.retired.clear()
        self.leases.clear()


class Lease:
    """One client's hold on one loop's registry: the keys it leased and its sessions.

    ``ready(key)`` finds the session of the key used last by identity (a
    prepared key is one object), so the usual request hashes no key and awaits
    nothing. ``fetching`` holds, per key, the event of the one request getting
    its session: the many first requests of a burst wait for it together
    instead of queueing one by one on the registry's lock.
    """

    __slots__ = (
        "entries",
        "fetching",
        "generation",
        "last_entry",
        "last_key",
        "leased",
        "loop",
        "registry",
    )

    def __init__(self, registry: SessionRegistry, loop: Any) -> None:
        self.registry = registry
        self.loop = loop
        self.generation = _runtime.fork_generation()
        self.entries: dict[TransportKey, SessionEntry] = {}
        self.leased: set[TransportKey] = set()
        self.fetching: dict[TransportKey, anyio.Event] = {}
        self.last_key: TransportKey | None = None
        self.last_entry: SessionEntry | None = None

    def is_current(self, loop: Any) -> bool:
        """Whether this lease still serves ``loop`` (same loop, not forked, loop alive)."""
        return (
            self.loop is loop
            and self.generation == _runtime._generation
            and not self.registry.abandoned
        )

    def holds_sessions(self) -> bool:
        """Whether this lease pins sessions of a loop that is still running."""
        return bool(self.leased) and not self.registry.abandoned

    def ready(self, key: TransportKey) -> SessionEntry | None:
        """The live session already leased for ``key``, if any (no await)."""
        if key is self.last_key:
            entry = self.last_entry
        else:
            entry = self.entries.get(key)
            if entry is not None:
                self.last_key, self.last_entry = key, entry
        if entry is None or entry.retired:
            return None
        return entry

    async def entry_for(self, key: TransportKey) -> SessionEntry:
        """The session for ``key``, leasing the key on its first use."""
        while (fetching := self.fetching.get(key)) is not None:
            await fetching.wait()
            entry = self.ready(key)
            if entry is not None:
                return entry
        done = self.fetching[key] = anyio.Event()
        # Mark the lease before awaiting, so concurrent first requests lease once.
        lease = key not in self.leased
        if lease:
            self.leased.add(key)
        try:
            entry = await self.registry.acquire(key, lease)
        except BaseException:
            if lease:
                self.leased.discard(key)
            raise
        finally:
            del self.fetching[key]
            done.set()
        self.entries[key] = entry
        self.last_key, self.last_entry = key, entry
        return entry

    async def release(self) -> None:
        """Give the keys back, on the registry's loop."""
        keys, self.leased = self.leased, set()
        self.entries.clear()
        self.last_key = self.last_entry = None
        if keys and self.generation == _runtime._generation and not self.registry.abandoned:
            await self.registry.release(keys)

    def release_soon(self) -> None:
        """:meth:`release` from another loop or thread (fire and forget)."""
        if self.leased and self.generation == _runtime._generation:
            _runtime.run_soon_on(self.loop, self.release)


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


def stats_for(loop: Any) -> PoolStats:
    """The pool statistics of ``loop`` (empty when it has no registry)."""
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
