"""Which event loop are we on? (asyncio, uvloop or trio), running work on a given
loop, and fork awareness. Layering: a leaf; every asyncio/trio branch of the
library that is not in a backend lives here.

aiohttp sessions belong to the loop they were built on, so everything pooled is
filed under the running loop: the asyncio loop object, or trio's run token.
After ``os.fork()`` the child forgets every inherited pool without touching it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = (
    "Timer",
    "after_fork",
    "call_later_on",
    "current_loop",
    "current_loop_id",
    "fork_generation",
    "loop_is_closed",
    "run_soon_on",
)

logger = logging.getLogger("genai_async")

_get_running_loop = asyncio._get_running_loop

_fork_hooks: list[Callable[[], None]] = []
_generation = 0


def current_loop() -> tuple[str, Any]:
    """``("asyncio", loop)`` or ``("trio", token)``; an error outside any loop."""
    loop = _get_running_loop()
    if loop is not None:
        return "asyncio", loop
    trio = sys.modules.get("trio")
    if trio is not None and trio.lowlevel.in_trio_run():
        return "trio", trio.lowlevel.current_trio_token()
    raise RuntimeError(
        "genai_async's async API must be awaited inside a running asyncio or trio event loop; "
        "from synchronous code use genai_async.Client"
    )


def loop_is_closed(loop: Any) -> bool:
    """Whether an asyncio ``loop`` is closed (a trio token says nothing: False)."""
    return isinstance(loop, asyncio.AbstractEventLoop) and loop.is_closed()


_BACKGROUND: set[Any] = set()  # tasks started here, referenced until they finish


async def _guarded(async_fn: Callable[..., Awaitable[Any]], args: tuple[Any, ...]) -> None:
    try:
        await async_fn(*args)
    except Exception:  # background clean-up has nobody to report to
        logger.debug("background clean-up failed", exc_info=True)


def run_soon_on(loop: Any, async_fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
    """Run ``async_fn(*args)`` as a task of ``loop`` (an asyncio loop or a trio token),
    from any thread, fire and forget. Nothing happens when that loop has ended."""
    if isinstance(loop, asyncio.AbstractEventLoop):
        if loop.is_closed():
            return

        def spawn() -> None:
            task = loop.create_task(_guarded(async_fn, args))
            _BACKGROUND.add(task)
            task.add_done_callback(_BACKGROUND.discard)

        try:
            loop.call_soon_threadsafe(spawn)
        except RuntimeError:  # closed between the check and the call
            pass
        return
    try:
        import trio

        loop.run_sync_soon(lambda: trio.lowlevel.spawn_system_task(_guarded, async_fn, args))
    except Exception:  # the trio run has finished: its sockets are gone with it
        return


class Timer:
    """A pending :func:`call_later_on`; :meth:`cancel` stops it."""

    __slots__ = ("_cancel",)

    def __init__(self, cancel: Callable[[], Any]) -> None:
        self._cancel = cancel

    def cancel(self) -> None:
        self._cancel()


def call_later_on(loop: Any, delay: float, async_fn: Callable[[], Awaitable[Any]]) -> Timer:
    """Run ``async_fn()`` on ``loop`` after ``delay`` seconds. Call it on that loop."""
    if isinstance(loop, asyncio.AbstractEventLoop):
        handle = loop.call_later(delay, run_soon_on, loop, async_fn)
        return Timer(handle.cancel)
    import trio

    scope = trio.CancelScope()

    async def later() -> None:
        with scope:
            await trio.sleep(delay)
            await _guarded(async_fn, ())

    trio.lowlevel.spawn_system_task(later)
    return Timer(scope.cancel)


def current_loop_id() -> int:
    return id(current_loop()[1])


def fork_generation() -> int:
    """Incremented in a forked child: state cached under an older value is stale."""
    return _generation


def after_fork(hook: Callable[[], None]) -> None:
    """Run ``hook`` in a forked child, before anything else uses the library."""
    _fork_hooks.append(hook)


def _in_child() -> None:
    global _generation
    _generation += 1
    for hook in _fork_hooks:
        hook()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_child)
