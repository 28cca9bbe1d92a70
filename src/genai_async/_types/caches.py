"""Types of context caching (``client.caches``): ``CachedContent`` and its configs."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, TypedDict

from .._options import HttpOptions, HttpOptionsDict
from .base import FOREIGN, RequestModel, ResponseModel
from .content import Content, Part
from .response import HttpResponse
from .tools import Tool, ToolConfig

__all__ = (
    "CachedContent",
    "CachedContentUsageMetadata",
    "CreateCachedContentConfig",
    "CreateCachedContentConfigDict",
    "DeleteCachedContentConfig",
    "DeleteCachedContentConfigDict",
    "DeleteCachedContentResponse",
    "GetCachedContentConfig",
    "GetCachedContentConfigDict",
    "ListCachedContentsConfig",
    "ListCachedContentsConfigDict",
    "ListCachedContentsResponse",
    "UpdateCachedContentConfig",
    "UpdateCachedContentConfigDict",
)


class CachedContentUsageMetadata(ResponseModel):
    """What a cache holds, in tokens and media."""

    audio_duration_seconds: int | None = None
    image_count: int | None = None
    text_count: int | None = None
    total_token_count: int | None = None
    video_duration_seconds: int | None = None


class CachedContent(ResponseModel):
    """A cache of contents a request can refer to (``config.cached_content``).

    Usage::

        cache = await client.caches.create(
            model="gemini-2.5-flash",
            config={"contents": [long_document], "ttl": "3600s"},
        )
        await client.models.generate_content(
            model="gemini-2.5-flash", contents="Summarise", config={"cached_content": cache.name}
        )
    """

    name: str | None = None
    display_name: str | None = None
    model: str | None = None
    create_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None
    expire_time: datetime.datetime | None = None
    usage_metadata: CachedContentUsageMetadata | None = None


class CreateCachedContentConfig(RequestModel):
    """What ``caches.create`` stores: ``contents``, ``system_instruction``, ``tools``,
    ``tool_config``, and the lifetime (``ttl`` such as ``"3600s"``, or ``expire_time``)."""

    http_options: HttpOptions | None = None
    ttl: str | None = None
    expire_time: datetime.datetime | None = None
    display_name: str | None = None
    contents: Any = None
    system_instruction: (
        Annotated[Content, FOREIGN] | str | Annotated[Part, FOREIGN] | list[Any] | Any | None
    ) = None
    tools: list[Tool | Any] | None = None
    tool_config: ToolConfig | None = None
    kms_key_name: str | None = None


class UpdateCachedContentConfig(RequestModel):
    """A new lifetime for a cache: ``ttl`` or ``expire_time``."""

    http_options: HttpOptions | None = None
    ttl: str | None = None
    expire_time: datetime.datetime | None = None


class GetCachedContentConfig(RequestModel):
    """Options of ``caches.get``."""

    http_options: HttpOptions | None = None


class DeleteCachedContentConfig(RequestModel):
    """Options of ``caches.delete``."""

    http_options: HttpOptions | None = None


class ListCachedContentsConfig(RequestModel):
    """Options of ``caches.list``: ``page_size`` and ``page_token``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None


class ListCachedContentsResponse(ResponseModel):
    """One page of ``caches.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    cached_contents: list[CachedContent] | None = None


class DeleteCachedContentResponse(ResponseModel):
    """The result of ``caches.delete``: only the HTTP response."""

    sdk_http_response: HttpResponse | None = None


class CreateCachedContentConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    ttl: str
    expire_time: datetime.datetime
    display_name: str
    contents: Any
    system_instruction: Any
    tools: list[Any]
    tool_config: Any
    kms_key_name: str


class UpdateCachedContentConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    ttl: str
    expire_time: datetime.datetime


class GetCachedContentConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class DeleteCachedContentConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class ListCachedContentsConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    page_size: int
    page_token: str
