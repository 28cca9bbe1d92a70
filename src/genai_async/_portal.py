"""The process-wide background event loop that every sync ``Client`` runs on.

Place in the layering: above ``_client`` (it drives the async core's
coroutines), below ``_sync`` (whose every method is one :meth:`Portal.call`).

* One loop thread per process, named ``genai-async-loop`` and daemonic, started
  by the first sync client and shared by all of them through leases
  (:class:`PortalLease`); the last lease released stops it, and so does
  interpreter exit. It runs asyncio through ``anyio.run`` with uvloop when
  uvloop is importable (anyio imports it, this module never does).
* A call copies the caller's ``contextvars`` context and runs the coroutine in
  it as its own task; the caller blocks on a plain lock. Any ``BaseException``
  raised in the caller while it waits (``KeyboardInterrupt``) cancels that task,
  waits a bounded time for it to unwind, and propagates.
* A call from the loop thread itself raises ``RuntimeError`` instead of
  deadlocking.
* After ``os.fork()`` the child starts a fresh loop thread on first use and
  never touches the parent's loop or thread objects.

Why not ``anyio.from_thread.BlockingPortal``: its ``call`` goes through a
``concurrent.futures.Future`` and a task-group task per call, and it does not
cancel the task when the waiting thread is interrupted (Ctrl-C leaves the call
running), close results orphaned by an interrupted caller (open streams), or
survive ``fork``. This module keeps anyio's shape (a lease-counted provider, a
same-thread guard) with a lock-and-callback call path and those three additions.
"""

from __future__ import annotations

import _thread
import asyncio
import atexit
import contextvars
import importlib.util
import logging
import sys
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar, TypeVarTuple

import anyio

from . import _runtime
from .errors import ClientClosedError

__all__ = ("THREAD_NAME", "Portal", "PortalLease")

logger = logging.getLogger("genai_async")

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

THREAD_NAME = "genai-async-loop"
CANCEL_WAIT = 5.0
"""Seconds a cancelled call (e.g. after Ctrl-C) may take to unwind before the caller moves on."""
STOP_WAIT = 5.0
"""Seconds the loop gets to cancel leftover calls and close its sessions when it stops."""
_POLL = 1.0  # a waiting caller checks this often that the loop thread is still alive

_SAME_THREAD = (
    "a blocking genai_async.Client method was called from the genai_async event loop thread "
    "itself, which would deadlock; in code running on that loop use client.aio (async) instead"
)
_STOPPED = "the genai_async event loop thread has stopped (the client was closed)"
_FORKED = (
    "this object belongs to the genai_async event loop of the parent process; "
    "after os.fork() open it again in the child"
)


def _backend_options() -> dict[str, Any]:
    # anyio imports uvloop itself when asked; only ask when it can succeed.
    if sys.platform != "win32" and importlib.util.find_spec("uvloop") is not None:
        return {"use_uvloop": True}
    return {}


class _Call:
    """One blocking call in flight: the caller waits on ``done``; the loop fills in the outcome."""

    __slots__ = ("abandoned", "cancelled", "done", "error", "result", "task")

    def __init__(self) -> None:
        self.done = _thread.allocate_lock()
        self.done.acquire()
        self.task: asyncio.Task[Any] | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.abandoned = False


async def _invoke(fn: Callable[..., Awaitable[Any]], args: tuple[Any, ...]) -> Any:
    # The caller's context may name another async library for sniffio (e.g. a call
    # made from inside trio-asyncio); on this loop it is asyncio.
    sniffio = sys.modules.get("sniffio")
    if sniffio is not None and sniffio.current_async_library_cvar.get(None) not in (
        None,
        "asyncio",
    ):
        sniffio.current_async_library_cvar.set(None)
    return await fn(*args)


async def _quietly(fn: Callable[[], Awaitable[Any]]) -> None:
    try:
        await fn()
    except Exception:  # a background close must never surface as a loop error
        logger.debug("background close on the genai_async loop failed", exc_info=True)


class Portal:
    """One background event loop on its own thread, and the calls made onto it.

    Built and started by the lease machinery; code outside this module only
    calls :meth:`call` and :meth:`close_soon`.
    """

    def __init__(self) -> None:
        self.generation = _runtime.fork_generation()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ident: int | None = None
        self._accepting = False
        self._stop_event: asyncio.Event | None = None
        self._calls: set[asyncio.Task[Any]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._exiting = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = "running" if self._accepting else "stopped"
        return f"<genai_async Portal {state} calls={len(self._calls)}>"

    # -- lifecycle (any thread but the loop's) ----------------------------------------------

    def start(self) -> None:
        """Start the loop thread; returns once it accepts calls."""
        ready = threading.Event()
        failure: list[BaseException] = []
        kwargs: dict[str, Any] = {}
        if sys.version_info >= (3, 14):  # threads would inherit the starter's context
            kwargs["context"] = contextvars.Context()
        thread = threading.Thread(
            target=self._run, args=(ready, failure), name=THREAD_NAME, daemon=True, **kwargs
        )
        self._thread = thread
        thread.start()
        ready.wait()
        if failure:
            thread.join()
            raise RuntimeError("could not start the genai_async event loop thread") from failure[0]

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """Cancel leftover calls, close this loop's sessions, stop and join the thread."""
        with self._lock:
            first = not self._stopping
            self._stopping = True
            self._accepting = False
        loop, event, thread = self._loop, self._stop_event, self._thread
        if first and loop is not None and event is not None:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # already closed
                pass
        if thread is not None and thread.ident != threading.get_ident():
            thread.join(timeout + 1.0)

    @property
    def is_running(self) -> bool:
        return self._accepting

    def in_loop_thread(self) -> bool:
        """True when called from this portal's own loop thread."""
        return self._ident == _thread.get_ident()

    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        try:
            anyio.run(self._main, ready, backend="asyncio", backend_options=_backend_options())
        except BaseException as exc:
            if not ready.is_set():
                failure.append(exc)
            else:  # pragma: no cover - the loop itself failed
                logger.warning("the genai_async event loop thread failed", exc_info=True)
        finally:
            self._accepting = False
            ready.set()

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._ident = threading.get_ident()
        stop = self._stop_event = asyncio.Event()
        with self._lock:
            stopping = self._stopping
            self._accepting = not stopping
        ready.set()
        try:
            if not stopping:
                await stop.wait()
        finally:
            self._accepting = False
            await self._shutdown()

    async def _shutdown(self) -> None:
        # The loop's sessions are closed by the registry itself when the loop ends.
        with anyio.move_on_after(STOP_WAIT, shield=True):
            calls = [task for task in self._calls if not task.done()]
            for task in calls:
                task.cancel()
            pending = calls + [task for task in self._background if not task.done()]
            if pending:
                await asyncio.wait(pending)

    # -- calls (from any thread but the loop's) ---------------------------------------------

    def call(
        self,
        fn: Callable[[*Ts], Awaitable[T]],
        *args: *Ts,
        timeout: float | None = None,
    ) -> T:
        """Run ``await fn(*args)`` on the loop, in a copy of the caller's context; block for it.

        :raises RuntimeError: when called from the loop thread itself.
        :raises ClientClosedError: when the loop has stopped.
        :raises TimeoutError: when ``timeout`` seconds pass first (the call is cancelled).
        """
        if self._ident == _thread.get_ident():
            raise RuntimeError(_SAME_THREAD)
        if not self._accepting or self.generation != _runtime.fork_generation():
            raise ClientClosedError(
                _STOPPED if self.generation == _runtime.fork_generation() else _FORKED
            )
        call = _Call()
        loop = self._loop
        assert loop is not None
        context = contextvars.copy_context()
        try:
            loop.call_soon_threadsafe(self._spawn, call, fn, args, context)
        except RuntimeError:
            raise ClientClosedError(_STOPPED) from None
        try:  # from here on the task exists (or will): never leave it behind
            self._wait(call, timeout)
        except BaseException:
            self._abandon(call)
            raise
        error = call.error
        if error is not None:
            call.error = None
            try:
                raise error
            finally:
                del error
        if call.cancelled:
            raise ClientClosedError(_STOPPED + " while the call was in progress")
        result: T = call.result
        return result

    def close_soon(self, aclose: Callable[[], Awaitable[Any]]) -> None:
        """Schedule ``await aclose()`` on the loop and return at once (safe from any
        thread, the loop's included, and from ``__del__``). A stopped loop ignores it:
        stopping closes its sessions anyway."""
        loop = self._loop
        if not self._accepting or loop is None or self.generation != _runtime.fork_generation():
            return
        try:
            loop.call_soon_threadsafe(self._start_background, aclose)
        except RuntimeError:
            pass

    def _wait(self, call: _Call, timeout: float | None) -> None:
        done = call.done
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = _POLL if deadline is None else min(_POLL, deadline - time.monotonic())
            if wait > 0 and done.acquire(timeout=wait):
                return
            thread = self._thread
            if thread is None or not thread.is_alive():
                if done.acquire(blocking=False):
                    return
                if self._exiting:  # see _finish: a daemon thread at interpreter exit
                    done.acquire()
                # The loop ended without running or finishing the call.
                call.cancelled = True
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"the call did not finish within {timeout}s")

    def _abandon(self, call: _Call) -> None:
        """The caller gives up (Ctrl-C, timeout): cancel the task and let it unwind, bounded."""
        loop = self._loop
        if loop is None:
            return
        unwound = _thread.allocate_lock()
        unwound.acquire()
        try:
            loop.call_soon_threadsafe(self._cancel, call, unwound)
        except RuntimeError:  # the loop is gone, and the task with it
            return
        unwound.acquire(timeout=CANCEL_WAIT)

    # -- loop thread side -------------------------------------------------------------------

    def _spawn(
        self,
        call: _Call,
        fn: Callable[..., Awaitable[Any]],
        args: tuple[Any, ...],
        context: contextvars.Context,
    ) -> None:
        if not self._accepting:
            call.cancelled = True
            call.done.release()
            return
        loop = self._loop
        assert loop is not None
        task = loop.create_task(_invoke(fn, args), context=context)
        call.task = task
        self._calls.add(task)
        task.add_done_callback(lambda t: self._finish(call, t))

    def _finish(self, call: _Call, task: asyncio.Task[Any]) -> None:
        self._calls.discard(task)
        if task.cancelled():
            if self._exiting:
                # Interpreter exit stopped the loop under a daemon thread's call: leave
                # that thread blocked until the process ends rather than have it raise
                # (and print a traceback) during finalization.
                return
            call.cancelled = True
        else:
            error = task.exception()
            if error is None:
                call.result = task.result()
                if call.abandoned:
                    self._discard(call.result)
            else:
                call.error = error
        call.done.release()

    def _cancel(self, call: _Call, unwound: _thread.LockType) -> None:
        call.abandoned = True
        task = call.task
        if task is not None and not task.done():
            task.cancel()
            task.add_done_callback(lambda _: unwound.release())
            return
        if task is not None and call.result is not None:  # it finished before the cancel
            self._discard(call.result)
        unwound.release()

    def _discard(self, result: Any) -> None:
        """A result nobody will receive: close it if it holds a connection (an open stream)."""
        aclose = getattr(result, "aclose", None)
        if callable(aclose):
            self._start_background(aclose)

    def _start_background(self, aclose: Callable[[], Awaitable[Any]]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        task = loop.create_task(_quietly(aclose))
        self._background.add(task)
        task.add_done_callback(self._background.discard)


class PortalLease:
    """One holder's claim on the shared portal; the last claim released stops the loop.

    ``on_exit`` (held weakly when it is a bound method) is awaited on the loop
    at interpreter exit if the lease is still held, so the holder can close
    itself before the loop stops.

    Usage::

        lease = PortalLease()
        try:
            value = lease.portal.call(some_coroutine_function, arg)
        finally:
            lease.release()
    """

    __slots__ = ("__weakref__", "_on_exit", "_portal", "_released")

    def __init__(self, on_exit: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        self._on_exit: Callable[[], Any] | None = None
        if on_exit is not None:
            self._on_exit = (
                weakref.WeakMethod(on_exit) if hasattr(on_exit, "__self__") else lambda: on_exit
            )
        self._released = False
        self._portal = _PROVIDER.acquire(self)

    @property
    def portal(self) -> Portal:
        """The live portal (a fresh one in a forked child)."""
        if self._released:
            raise ClientClosedError("this client was closed; create a new one")
        portal = self._portal
        if portal.generation != _runtime.fork_generation():
            portal = self._portal = _PROVIDER.acquire(self)
        return portal

    @property
    def released(self) -> bool:
        return self._released

    def release(self) -> None:
        """Give the claim back. Idempotent."""
        if self._released:
            return
        self._released = True
        portal = self._portal
        if portal.generation == _runtime.fork_generation():
            _PROVIDER.release(self, portal)

    def _exit_hook(self) -> Callable[[], Coroutine[Any, Any, None]] | None:
        ref = self._on_exit
        return None if ref is None else ref()


class _Provider:
    """The process's portal and its leases (cf. anyio's BlockingPortalProvider)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.portal: Portal | None = None
        self.leases: set[PortalLease] = set()
        self.exiting = False

    def acquire(self, lease: PortalLease) -> Portal:
        with self.lock:
            if self.exiting:
                raise RuntimeError("the interpreter is shutting down: genai_async's loop is closed")
            portal = self.portal
            if portal is None or not portal.is_running:
                portal = Portal()
                try:
                    portal.start()
                except BaseException:  # e.g. Ctrl-C while the thread started
                    portal.stop()
                    raise
                self.portal = portal
            self.leases.add(lease)
            return portal

    def release(self, lease: PortalLease, portal: Portal) -> None:
        with self.lock:
            self.leases.discard(lease)
            if portal is not self.portal or self.leases:
                return
            self.portal = None
        portal.stop()

    def shutdown(self) -> None:
        """Interpreter exit: close what the leases still hold, then stop the loop."""
        with self.lock:
            self.exiting = True
            portal, self.portal = self.portal, None
            leases, self.leases = list(self.leases), set()
        if portal is None:
            return
        portal._exiting = True
        hooks = []
        for lease in leases:
            lease._released = True
            hook = lease._exit_hook()
            if hook is not None:
                hooks.append(hook)
        if hooks and portal.is_running and portal._ident != _thread.get_ident():
            try:
                portal.call(_run_hooks, hooks, timeout=STOP_WAIT)
            except Exception:
                logger.debug("closing sync clients at exit failed", exc_info=True)
        portal.stop()


async def _run_hooks(hooks: list[Callable[[], Coroutine[Any, Any, None]]]) -> None:
    for hook in hooks:
        await _quietly(hook)


_PROVIDER = _Provider()
# Portals inherited through fork: their thread does not exist in the child and their
# loop belongs to the parent. Kept referenced so nothing of them is ever finalized here.
_ABANDONED: list[Portal] = []


def _after_fork() -> None:
    global _PROVIDER
    old = _PROVIDER
    if old.portal is not None:
        _ABANDONED.append(old.portal)
    _PROVIDER = _Provider()


_runtime.after_fork(_after_fork)
atexit.register(lambda: _PROVIDER.shutdown())
