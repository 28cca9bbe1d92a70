"""Which event loop are we on? (asyncio, uvloop or trio) and fork awareness.

aiohttp sessions belong to the loop they were built on, so everything pooled is
filed under the running loop: the asyncio loop object, or trio's run token.
After ``os.fork()`` the child forgets every inherited pool without touching it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

__all__ = ("after_fork", "current_loop", "current_loop_id", "fork_generation")

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
