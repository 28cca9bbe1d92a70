"""``client.caches``: context caching on both APIs (create, get, update, delete, list).

A cache holds contents (and a system instruction, tools) that requests then
refer to with ``config.cached_content``; names are completed as google-genai
completes them (``cachedContents/…``, and the Vertex AI
``projects/…/locations/…`` prefix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from ._blocking import SyncSurface
from ._types.caches import CachedContent, DeleteCachedContentResponse, ListCachedContentsResponse
from ._unsupported import missing
from ._urls import normalize_model
from ._wire.configs import (
    CREATE_CACHED_CONTENT_CONFIG,
    LIST_CACHED_CONTENTS_CONFIG,
    UPDATE_CACHED_CONTENT_CONFIG,
    cached_content_name,
)
from ._wire.convert import config_body, http_response, method_options
from ._wire.spec import Ctx
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("AsyncCaches", "Caches")


class AsyncCaches:
    """``client.caches``.

    Usage::

        cache = await client.caches.create(
            model="gemini-2.5-flash",
            config={"contents": ["<a long document>"], "ttl": "600s", "display_name": "doc"},
        )
        cache = await client.caches.update(name=cache.name, config={"ttl": "1200s"})
        async for c in await client.caches.list():
            print(c.name, c.expire_time)
        await client.caches.delete(name=cache.name)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        api = client._api
        self._vertexai = bool(api.vertexai)
        self._ctx = Ctx(self._vertexai, api.project, api.location)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("caches", name)

    def _model(self, model: str) -> str:
        """The model as a cache names it (Vertex AI: a full ``projects/…`` name)."""
        name = normalize_model(model, vertexai=self._vertexai)
        ctx = self._ctx
        if self._vertexai and ctx.project and ctx.location:
            if name.startswith("publishers/"):
                return f"projects/{ctx.project}/locations/{ctx.location}/{name}"
            if name.startswith("models/"):
                return f"projects/{ctx.project}/locations/{ctx.location}/publishers/google/{name}"
        return name

    def _name(self, name: str) -> str:
        return cached_content_name(name, self._ctx)

    async def create(self, *, model: str, config: Any = None) -> CachedContent:
        """Create a cache of ``config.contents`` (and system instruction, tools) for ``model``."""
        body, options = config_body(
            CREATE_CACHED_CONTENT_CONFIG, config, self._ctx, {"model": self._model(model)}
        )
        data, _ = await self._client._call(
            "POST", "cachedContents", body, options.http_options, self._role
        )
        return CachedContent.model_validate(data)

    async def get(self, *, name: str, config: Any = None) -> CachedContent:
        """A cache's metadata."""
        options = method_options(config)
        data, _ = await self._client._call(
            "GET", self._name(name), None, options.http_options, self._role
        )
        return CachedContent.model_validate(data)

    async def update(self, *, name: str, config: Any = None) -> CachedContent:
        """Change a cache's lifetime (``ttl`` or ``expire_time``)."""
        body, options = config_body(UPDATE_CACHED_CONTENT_CONFIG, config, self._ctx)
        data, _ = await self._client._call(
            "PATCH", self._name(name), body, options.http_options, self._role
        )
        return CachedContent.model_validate(data)

    async def delete(self, *, name: str, config: Any = None) -> DeleteCachedContentResponse:
        """Delete a cache."""
        options = method_options(config)
        _, headers = await self._client._call(
            "DELETE", self._name(name), None, options.http_options, self._role
        )
        return DeleteCachedContentResponse(sdk_http_response=http_response(headers))

    async def list(self, *, config: Any = None) -> AsyncPager[CachedContent]:
        """The caches, page by page (``page_size``, ``page_token``)."""
        params, options = config_body(LIST_CACHED_CONTENTS_CONFIG, config, self._ctx)
        http_options = options.http_options
        size = params.get("pageSize")
        client, role = self._client, self._role

        async def fetch(token: str | None) -> ListCachedContentsResponse:
            query = [("pageSize", str(size))] if size is not None else []
            if token:
                query.append(("pageToken", token))
            path = "cachedContents"
            if query:
                path += "?" + urlencode(query, quote_via=quote)
            data, headers = await client._call("GET", path, None, http_options, role)
            page = ListCachedContentsResponse.model_validate(data if isinstance(data, dict) else {})
            page.sdk_http_response = http_response(headers)
            return page

        first = await fetch(params.get("pageToken"))
        return AsyncPager("cached_contents", fetch, first, config_dict(config))


class Caches(SyncSurface):
    """``Client.caches``: the sync twin of :class:`AsyncCaches`."""

    __slots__ = ()

    _async: AsyncCaches

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("caches", name)

    def create(self, *, model: str, config: Any = None) -> CachedContent:
        """Create a cache for ``model``."""
        return self._run(self._async.create, model=model, config=config)

    def get(self, *, name: str, config: Any = None) -> CachedContent:
        """A cache's metadata."""
        return self._run(self._async.get, name=name, config=config)

    def update(self, *, name: str, config: Any = None) -> CachedContent:
        """Change a cache's lifetime."""
        return self._run(self._async.update, name=name, config=config)

    def delete(self, *, name: str, config: Any = None) -> DeleteCachedContentResponse:
        """Delete a cache."""
        return self._run(self._async.delete, name=name, config=config)

    def list(self, *, config: Any = None) -> Pager[CachedContent]:
        """The caches, page by page."""
        return Pager(self._lease, self._run(self._async.list, config=config))
