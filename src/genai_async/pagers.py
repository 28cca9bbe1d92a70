"""Paged listings (google-genai's ``pagers`` module): :class:`AsyncPager` and :class:`Pager`.

A pager holds one page of a listing and fetches the next when iteration
reaches its end; ``name`` is the field of the list response that holds the
items (``"models"``, ``"files"``, ``"cached_contents"``, ...).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from ._blocking import SyncSurface
from ._types.response import HttpResponse

__all__ = ("AsyncPager", "Pager", "config_dict")

T = TypeVar("T")


def config_dict(config: Any) -> dict[str, Any]:
    """The set fields of a listing config (dict or model), for :attr:`AsyncPager.config`."""
    if config is None:
        return {}
    if isinstance(config, dict):
        return dict(config)
    return {k: v for k, v in vars(config).items() if v is not None}


class AsyncPager(Generic[T]):
    """The items of a paged listing, fetched one page at a time as you iterate.

    ``async for model in pager`` goes through every page; :attr:`page` is the
    current page and :meth:`next_page` fetches the next one (``IndexError`` when
    there is none), as google-genai's ``AsyncPager``.

    Usage::

        pager = await client.models.list(config={"page_size": 50})
        async for model in pager:
            print(model.name)
    """

    def __init__(
        self,
        name: str,
        fetch: Callable[[str | None], Awaitable[Any]],
        response: Any,
        config: dict[str, Any],
    ) -> None:
        self._name = name
        self._fetch = fetch
        self._base_config = config
        self._idx = 0
        self._load(response)

    def _load(self, response: Any) -> None:
        self._page: list[T] = list(getattr(response, self._name, None) or [])
        self._token: str | None = response.next_page_token or None
        self._sdk_http_response: HttpResponse | None = response.sdk_http_response
        self._config = {**self._base_config, "page_token": self._token}
        self._idx = 0

    @property
    def page(self) -> list[T]:
        """The items of the current page."""
        return self._page

    @property
    def name(self) -> str:
        """What is listed (``"models"``, ``"files"``, ...)."""
        return self._name

    @property
    def page_size(self) -> int:
        """The requested page size (or the size of the first page)."""
        size = self._base_config.get("page_size")
        return int(size) if size is not None else len(self._page)

    @property
    def config(self) -> dict[str, Any]:
        """The config of the next request (with the next ``page_token``)."""
        return self._config

    @property
    def sdk_http_response(self) -> HttpResponse | None:
        """The HTTP response of the current page."""
        return self._sdk_http_response

    def __len__(self) -> int:
        return len(self._page)

    def __getitem__(self, index: int) -> T:
        return self._page[index]

    def __aiter__(self) -> AsyncPager[T]:
        self._idx = 0
        return self

    async def __anext__(self) -> T:
        while self._idx >= len(self._page):
            if not self._token:
                raise StopAsyncIteration
            await self.next_page()
        item = self._page[self._idx]
        self._idx += 1
        return item

    async def next_page(self) -> list[T]:
        """Fetch the next page (same parameters, next ``pageToken``)."""
        if not self._token:
            raise IndexError("No more pages to fetch.")
        self._load(await self._fetch(self._token))
        return self._page


class Pager(SyncSurface, Generic[T]):
    """The sync twin of :class:`AsyncPager`: ``for item in pager`` fetches pages as needed."""

    __slots__ = ()

    _async: AsyncPager[T]

    @property
    def page(self) -> list[T]:
        """The items of the current page."""
        return self._async.page

    @property
    def name(self) -> str:
        """What is listed (``"models"``, ``"files"``, ...)."""
        return self._async.name

    @property
    def page_size(self) -> int:
        """The requested page size (or the size of the first page)."""
        return self._async.page_size

    @property
    def config(self) -> dict[str, Any]:
        """The config of the next request (with the next ``page_token``)."""
        return self._async.config

    @property
    def sdk_http_response(self) -> HttpResponse | None:
        """The HTTP response of the current page."""
        return self._async.sdk_http_response

    def __len__(self) -> int:
        return len(self._async)

    def __getitem__(self, index: int) -> T:
        return self._async[index]

    def __iter__(self) -> Iterator[T]:
        return self._iterate(self._async.__aiter__())

    def next_page(self) -> list[T]:
        """Fetch the next page (``IndexError`` when there is none)."""
        return self._run(self._async.next_page)
