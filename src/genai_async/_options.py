"""The public option models: ``HttpOptions``, ``HttpRetryOptions``, ``ResourceScope``.

Field-compatible with google-genai (spec http-options.md §1-3): snake_case or
lowerCamelCase input, unknown keys rejected, plain dicts and google-genai's own
option objects accepted. Extensions: ``backend``, ``deadline``, ``max_connections``
and ``hooks``.

These models are the loose edge. They are resolved once, at client
construction (or once per per-request override), into the frozen values of
``_config``; nothing on the request path reads them again.
"""

from __future__ import annotations

import difflib
import enum
import functools
import sys
import threading
import warnings
from types import FrameType
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

__all__ = (
    "Backend",
    "HttpOptions",
    "HttpOptionsDict",
    "HttpRetryOptions",
    "HttpRetryOptionsDict",
    "ResourceScope",
    "coerce_http_options",
)

Backend = Literal["auto", "aiohttp", "httpx", "native"]


class ResourceScope(enum.StrEnum):
    """Where ``base_url`` points: ``COLLECTION`` means the URL already holds the
    API version (and, for a custom Vertex base URL, the resource prefix)."""

    COLLECTION = "COLLECTION"

    @classmethod
    def _missing_(cls, value: object) -> ResourceScope | None:
        if isinstance(value, str):
            for member in cls:
                if member.value == value.upper():
                    return member
        return None


_MODEL_CONFIG = ConfigDict(
    alias_generator=to_camel,
    populate_by_name=True,
    extra="forbid",
    arbitrary_types_allowed=True,
    validate_assignment=True,
)


def _refuse_unknown(model: type[BaseModel], data: Any) -> None:
    """An unknown key of a dict for ``model`` -> ``ValueError`` naming the closest field
    (compared case-insensitively with both spellings, snake_case and lowerCamelCase)."""
    if not isinstance(data, dict):
        return
    known, spellings = _spellings(model)
    for key in data:
        if isinstance(key, str) and key not in known:
            hint = difflib.get_close_matches(key.lower(), list(spellings), n=1)
            more = f"; did you mean {spellings[hint[0]]!r}?" if hint else ""
            raise ValueError(f"unknown {model.__name__} field {key!r}{more}")


@functools.cache
def _spellings(model: type[BaseModel]) -> tuple[frozenset[str], dict[str, str]]:
    """A model's accepted keys, and each lowercased spelling -> its snake_case field."""
    fields = list(model.model_fields)
    aliases = {to_camel(name): name for name in fields}
    spellings = {name.lower(): name for name in fields}
    spellings.update({alias.lower(): name for alias, name in aliases.items()})
    return frozenset(fields) | frozenset(aliases), spellings


def _outside(frame: FrameType | None) -> FrameType | None:
    """The first frame at or above ``frame`` outside genai_async and pydantic."""
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if not name.startswith(("genai_async", "pydantic")):
            return frame
        frame = frame.f_back
    return None


def _waiting_caller() -> FrameType | None:
    """On the sync client's loop thread: the line of a thread blocked in a sync call
    (the portal's ``call``), found by its stack, or ``None``. Only warnings look."""
    here = threading.get_ident()
    for ident, top in sys._current_frames().items():
        if ident == here:
            continue
        frame: FrameType | None = top
        while frame is not None:
            code = frame.f_code
            if code.co_name == "call" and code.co_filename.endswith("_portal.py"):
                return _outside(frame)
            frame = frame.f_back
    return None


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """Warn at the user's line: the first caller outside genai_async and pydantic, or,
    when options are validated on the sync client's loop thread (per-request options
    of a sync call), the sync call's line in the thread waiting for it."""
    frame = _outside(sys._getframe(1))
    if frame is not None and str(frame.f_globals.get("__name__", "")).startswith(
        ("asyncio", "anyio", "trio", "concurrent", "threading")
    ):
        frame = _waiting_caller() or frame
    if frame is None:
        warnings.warn(message, category, stacklevel=2)
        return
    module_globals = frame.f_globals
    warnings.warn_explicit(
        message,
        category,
        frame.f_code.co_filename,
        frame.f_lineno,
        module=str(module_globals.get("__name__", "")),
        registry=module_globals.setdefault("__warningregistry__", {}),
        module_globals=module_globals,
    )


def _foreign_to_dict(value: Any) -> Any:
    """google-genai's option objects (any other pydantic model) -> a dict of set fields.

    Read by attribute, not ``model_dump``, so SSL contexts, clients and
    connectors inside arrive as the very objects the user made.
    """
    if isinstance(value, BaseModel) and not isinstance(value, (HttpOptions, HttpRetryOptions)):
        fields = type(value).model_fields
        return {name: getattr(value, name) for name in fields if getattr(value, name) is not None}
    return value


class HttpRetryOptions(BaseModel):
    """Retry policy. Fields left unset take the defaults below once a policy is given.

    **Parameters:**

    * ``attempts`` - total attempts including the first (default 5; ``0`` means 1).
    * ``initial_delay`` - seconds before the first retry (default 1.0).
    * ``max_delay`` - cap of any single delay, jitter and server hints included (default 60.0).
    * ``exp_base`` - growth factor per retry (default 2).
    * ``jitter`` - a uniform random ``[0, jitter]`` seconds added to each delay (default 1.0).
    * ``http_status_codes`` - statuses that are retried (default 408, 429, 500, 502, 503, 504;
      an empty list also means the defaults).

    Usage::

        types.HttpRetryOptions(attempts=3, initial_delay=0.5)
    """

    model_config = _MODEL_CONFIG

    attempts: Annotated[int, Field(ge=0)] | None = None
    initial_delay: Annotated[float, Field(ge=0)] | None = None
    max_delay: Annotated[float, Field(ge=0)] | None = None
    exp_base: Annotated[float, Field(gt=0)] | None = None
    jitter: Annotated[float, Field(ge=0)] | None = None
    http_status_codes: list[Annotated[int, Field(ge=100, le=599)]] | None = None

    @model_validator(mode="before")
    @classmethod
    def _accept_foreign(cls, data: Any) -> Any:
        data = _foreign_to_dict(data)
        _refuse_unknown(cls, data)
        return data


class HttpRetryOptionsDict(TypedDict, total=False):
    """The dict form of :class:`HttpRetryOptions` (google-genai's ``HttpRetryOptionsDict``)."""

    attempts: int | None
    initial_delay: float | None
    max_delay: float | None
    exp_base: float | None
    jitter: float | None
    http_status_codes: list[int] | None


class HttpOptions(BaseModel):
    """HTTP options for a client, or for one request (``config.http_options``).

    **Parameters** (all optional; see the README's option table):

    * ``base_url``, ``base_url_resource_scope``, ``api_version`` - where requests go.
    * ``headers`` - extra headers; names are case-insensitive, the last writer wins.
    * ``timeout`` - milliseconds; the whole call for unary requests, time to first
      byte and the longest silence for streams. ``0``/unset: no timeout.
    * ``deadline`` - milliseconds; one budget for all attempts and retry sleeps
      (and a stream's whole life). Sent to the server as ``X-Server-Timeout``.
    * ``retry_options`` - an :class:`HttpRetryOptions`; unset means one attempt.
    * ``extra_body`` - deep-merged into the JSON body.
    * ``async_client_args`` / ``client_args`` - aiohttp / httpx arguments for async /
      sync calls. Each key takes effect or is refused with a ``ValueError``.
    * ``httpx_client``, ``httpx_async_client``, ``aiohttp_client`` - your own clients,
      borrowed, never closed.
    * ``backend`` - ``"auto"`` (default: native on asyncio and trio; aiohttp when
      aiohttp-only settings are given, httpx when httpx-only ones are), ``"aiohttp"``,
      ``"httpx"`` or ``"native"`` (HTTP/1.1 over anyio sockets, parsed by httptools;
      proxies, TLS, redirects and limits as on the others; no library-specific client
      args).
    * ``max_connections`` - connections per pooled session, on every backend
      (default 100): the native pool's cap, aiohttp's connector limit, httpx's
      ``max_connections``.
      Requests beyond it wait in line, first come first served.
    * ``hooks`` - a :class:`genai_async.Hooks` (or a list): callables observing each
      call, attempt, response and retry. A request's hooks run after the client's.

    Usage::

        types.HttpOptions(api_version="v1", timeout=30_000, headers={"X-Team": "a"})
    """

    model_config = _MODEL_CONFIG

    base_url: str | None = None
    base_url_resource_scope: ResourceScope | None = None
    api_version: str | None = None
    headers: dict[str, str] | None = None
    timeout: Annotated[int, Field(ge=0)] | None = None
    client_args: dict[str, Any] | None = None
    async_client_args: dict[str, Any] | None = None
    extra_body: dict[str, Any] | None = None
    retry_options: HttpRetryOptions | None = None
    httpx_client: Any = None
    httpx_async_client: Any = None
    aiohttp_client: Any = None
    backend: Backend | None = None
    deadline: Annotated[int, Field(ge=0)] | None = None
    max_connections: Annotated[int, Field(ge=1)] | None = None
    hooks: Any = None

    @field_validator("timeout", "deadline")
    @classmethod
    def _check_unit(cls, value: int | None, info: Any) -> int | None:
        if value is not None and 0 < value < 1000:
            from .errors import TimeoutUnitWarning

            warn_at_caller(
                f"HttpOptions.{info.field_name}={value} is {value} milliseconds (the unit is "
                f"milliseconds, as in google-genai); for {value} seconds pass "
                f"{info.field_name}={value * 1000}",
                TimeoutUnitWarning,
            )
        return value

    @field_validator("hooks")
    @classmethod
    def _check_hooks(cls, value: Any) -> Any:
        from ._hooks import coerce_hooks

        try:
            return coerce_hooks(value) or None
        except TypeError as exc:  # a ValueError, so pydantic reports it as a ValidationError
            raise ValueError(str(exc)) from None

    @model_validator(mode="before")
    @classmethod
    def _accept_foreign(cls, data: Any) -> Any:
        data = _foreign_to_dict(data)
        _refuse_unknown(cls, data)
        return data

    @field_validator("retry_options", mode="before")
    @classmethod
    def _retry_foreign(cls, value: Any) -> Any:
        return _foreign_to_dict(value)

    @field_validator("headers")
    @classmethod
    def _check_headers(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value:
            from ._headers import check_header

            for name, item in value.items():
                check_header(name, item)
        return value

    @field_validator("httpx_client", "httpx_async_client", "aiohttp_client")
    @classmethod
    def _check_client(cls, value: Any, info: Any) -> Any:
        if value is None:
            return None
        expected = {
            "httpx_client": ("httpx", "httpx2", "Client"),
            "httpx_async_client": ("httpx", "httpx2", "AsyncClient"),
            "aiohttp_client": ("aiohttp", "aiohttp", "ClientSession"),
        }[info.field_name]
        if not _is_instance_of(value, expected[0], expected[1], expected[2]):
            raise ValueError(
                f"{info.field_name} must be a {expected[0]}.{expected[2]} instance, "
                f"not {type(value).__module__}.{type(value).__qualname__}"
            )
        return value


class HttpOptionsDict(TypedDict, total=False):
    """The dict form of :class:`HttpOptions` (google-genai's ``HttpOptionsDict``), with
    genai_async's extensions; ``HttpOptions(**d)`` and ``http_options=d`` both accept it."""

    base_url: str | None
    base_url_resource_scope: ResourceScope | str | None
    api_version: str | None
    headers: dict[str, str] | None
    timeout: int | None
    client_args: dict[str, Any] | None
    async_client_args: dict[str, Any] | None
    extra_body: dict[str, Any] | None
    retry_options: HttpRetryOptions | HttpRetryOptionsDict | None
    httpx_client: Any
    httpx_async_client: Any
    aiohttp_client: Any
    backend: Backend | None
    deadline: int | None
    max_connections: int | None
    hooks: Any


def _is_instance_of(value: Any, package: str, alt_package: str, name: str) -> bool:
    for klass in type(value).__mro__:
        top = klass.__module__.split(".", 1)[0]
        if klass.__name__ == name and top in (package, alt_package):
            return True
    return False


def coerce_http_options(value: Any, *, where: str = "http_options") -> HttpOptions | None:
    """``None``, a dict, our model or google-genai's model -> ``HttpOptions`` (or ``None``)."""
    if value is None or isinstance(value, HttpOptions):
        return value
    if isinstance(value, (dict, BaseModel)):
        return HttpOptions.model_validate(value)
    raise TypeError(
        f"{where} must be a genai_async.types.HttpOptions, a dict or None, "
        f"not {type(value).__qualname__}"
    )
