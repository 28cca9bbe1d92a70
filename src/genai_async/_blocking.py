"""Blocking bridges: one call onto the shared loop thread per sync method or ``next()``.

Place in the layering: with the client core, above ``_portal``. The API
surfaces (``models``, ...) write their sync twins with :class:`SyncSurface`: an
explicit, typed method per async method, each one ``self._run(...)`` line.
Async iterators (streams, pagers) become :class:`BlockingIterator`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, ParamSpec, TypeVar

from ._portal import Portal, PortalLease
from .errors import ClientClosedError

__all__ = ("BlockingIterator", "BlockingProxy", "SyncSurface")

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


_END = object()
_OWN = frozenset({"_source", "_target", "_portal", "_done"})


async def _apply(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    result = fn(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def _next_item(iterator: Any) -> Any:
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return _END


async def _aiter(iterable: Any) -> Any:
    return iterable.__aiter__()


async def _aclose(target: Any) -> None:
    aclose = getattr(target, "aclose", None)
    if aclose is not None:
        await aclose()


def _portal_of(source: PortalLease | Portal) -> Portal:
    return source if isinstance(source, Portal) else source.portal


def _blocking(value: Any, portal: Portal) -> Any:
    """Wrap what an async call returned: async iterators and iterables become blocking."""
    kind = type(value)
    if hasattr(kind, "__anext__"):
        return BlockingIterator(portal, value)
    if hasattr(kind, "__aiter__"):
        return BlockingProxy(portal, value)
    return value


class BlockingProxy:
    """A blocking view of an async object: each method runs on the loop and blocks.

    Attribute access mirrors the wrapped object. Methods (coroutine functions,
    or plain functions returning awaitables) become blocking functions; what
    they return is wrapped again when it is an async iterator
    (:class:`BlockingIterator`) or an async iterable such as a pager (another
    proxy, which is also a plain iterable). Other attributes pass through.

    Usage::

        models = client.models            # BlockingProxy over AsyncModels(client.aio, "sync")
        response = models.generate_content(model="gemini-2.0-flash", contents="Hi")
        for chunk in models.generate_content_stream(model="gemini-2.0-flash", contents="Hi"):
            print(chunk.text)
    """

    def __init__(self, source: PortalLease | Portal, target: Any) -> None:
        self._source = source
        self._target = target

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            raise AttributeError(name)  # not set yet (partly built object): no recursion
        value = getattr(self._target, name)
        if name.startswith("_") or not callable(value) or inspect.isclass(value):
            return value
        source = self._source

        @functools.wraps(value)
        def method(*args: Any, **kwargs: Any) -> Any:
            portal = _portal_of(source)
            return _blocking(portal.call(_apply, value, args, kwargs), portal)

        self.__dict__[name] = method
        return method

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._target)))

    def __iter__(self) -> Iterator[Any]:
        target = self._target
        if hasattr(type(target), "__aiter__"):
            portal = _portal_of(self._source)
            return BlockingIterator(portal, portal.call(_aiter, target))
        raise TypeError(f"{type(target).__name__!r} object is not iterable")

    def __len__(self) -> int:
        return len(self._target)

    def __getitem__(self, index: Any) -> Any:
        return self._target[index]

    def __repr__(self) -> str:
        return f"<blocking {self._target!r}>"


class BlockingIterator(BlockingProxy, Iterator[T_co], Generic[T_co]):
    """A plain iterator over an async iterator on the loop: each ``next()`` is one call.

    Closing it (``close()``, ``with``, exhausting it, or letting it be garbage
    collected) closes the async iterator, which releases its connection.
    Other attributes (``status``, ``headers``, ...) come from the async object.
    One iterator is not meant to be advanced by two threads at once.
    """

    def __init__(self, portal: Portal, target: Any) -> None:
        super().__init__(portal, target)
        self._portal = portal
        self._done = False

    def __iter__(self) -> BlockingIterator[T_co]:
        return self

    def __next__(self) -> T_co:
        if self._done:
            raise StopIteration
        item = self._portal.call(_next_item, self._target)
        if item is _END:
            self._done = True
            raise StopIteration
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop iterating and release the connection. Idempotent."""
        if self._done:
            return
        self._done = True
        try:
            self._portal.call(_aclose, self._target)
        except ClientClosedError:  # the loop stopped, and closed every session with it
            pass

    def __enter__(self) -> BlockingIterator[T_co]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Garbage collection may run on any thread, the loop's included: never block here.
        if not self.__dict__.get("_done", True):
            self._done = True
            target = self._target
            if callable(getattr(target, "aclose", None)):
                self._portal.close_soon(target.aclose)

    def __repr__(self) -> str:
        state = "closed" if self._done else "open"
        return f"<blocking iterator {state} over {self._target!r}>"


class SyncSurface:
    """Base of the typed sync twins: holds the client's portal lease and the async twin.

    A sync method is ``return self._run(self._async.method, arg=arg, ...)``; a
    method returning an async iterator wraps it with :meth:`_iterate`.
    """

    __slots__ = ("_async", "_lease")

    def __init__(self, lease: PortalLease, target: Any) -> None:
        self._lease = lease
        self._async = target

    def _run(self, fn: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        result: T = self._lease.portal.call(_apply, fn, args, kwargs)
        return result

    def _iterate(self, value: Any) -> BlockingIterator[Any]:
        return BlockingIterator(self._lease.portal, value)

    def __repr__(self) -> str:
        return f"<blocking {self._async!r}>"
