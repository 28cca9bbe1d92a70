"""Resolution: constructor arguments + environment + ``HttpOptions`` -> frozen settings.

:func:`resolve_api_config` applies http-options.md §10 (environment variables
and credential precedence) once per client. :class:`Settings` is one resolved
``HttpOptions`` (client-level, or client merged with a request's override per
§5): URL parts, headers, timeouts, retry policy and the transport choices.
:class:`Prepared` is a ``Settings`` for one role (async or sync calls) with the
wire headers precomputed, so a request without overrides does no option work.

The environment is read here and in ``_transport`` (trust_env), nowhere else.
"""

from __future__ import annotations

import copy
import logging
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from ._headers import Headers, server_timeout_value
from ._keys import (
    ProxyConfig,
    SendOptions,
    Timeouts,
    TransportChoice,
    TransportKey,
    resolve_timeouts,
)
from ._options import HttpOptions, ResourceScope, coerce_http_options
from ._retry import RetryPolicy
from ._transport import resolve_transport, transport_environ
from ._urls import check_base_url, encode_path, join_url, with_query

__all__ = ("ApiConfig", "Prepared", "Settings", "resolve_api_config")

logger = logging.getLogger("genai_async")

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/"
GEMINI_API_VERSION = "v1beta"
VERTEX_API_VERSION = "v1beta1"
MULTI_REGIONS = frozenset({"us", "eu"})
_TRANSPORT_FIELDS = (
    "max_connections",
    "client_args",
    "async_client_args",
    "httpx_client",
    "httpx_async_client",
    "aiohttp_client",
    "backend",
)


def _truthy(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.lower() in ("true", "1")


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """Who the client talks to and how it authenticates. Secrets never print."""

    vertexai: bool
    api_key: str | None = field(repr=False)
    project: str | None
    location: str | None
    credentials: Any = field(repr=False)
    base_url: str
    custom_base_url: bool
    api_version: str
    uses_oauth: bool

    def default_headers(self) -> Headers:
        items = {"Content-Type": "application/json"}
        if self.api_key:
            items["x-goog-api-key"] = self.api_key
        return Headers(items)

    def __repr__(self) -> str:
        mode = "vertexai" if self.vertexai else "gemini"
        key = "[redacted]" if self.api_key else None
        return (
            f"ApiConfig({mode}, base_url={self.base_url!r}, api_version={self.api_version!r}, "
            f"project={self.project!r}, location={self.location!r}, api_key={key})"
        )


def resolve_api_config(
    *,
    api_key: str | None,
    vertexai: bool | None,
    enterprise: bool | None,
    project: str | None,
    location: str | None,
    credentials: Any,
    options: HttpOptions | None,
    environ: Mapping[str, str] | None = None,
) -> ApiConfig:
    """http-options.md §10/§10.1, with the same error cases as google-genai."""
    env = os.environ if environ is None else environ
    if enterprise is not None and vertexai is not None and enterprise != vertexai:
        raise ValueError("enterprise and vertexai have conflicting values; set only enterprise")
    vertex = enterprise if enterprise is not None else vertexai
    if vertex is None:
        env_enterprise = _truthy(env.get("GOOGLE_GENAI_USE_ENTERPRISE"))
        env_vertex = _truthy(env.get("GOOGLE_GENAI_USE_VERTEXAI"))
        if env_enterprise is not None and env_vertex is not None and env_enterprise != env_vertex:
            logger.warning(
                "GOOGLE_GENAI_USE_ENTERPRISE and GOOGLE_GENAI_USE_VERTEXAI disagree; "
                "using GOOGLE_GENAI_USE_ENTERPRISE"
            )
        vertex = env_enterprise if env_enterprise is not None else bool(env_vertex)
    if api_key is not None and not isinstance(api_key, str):
        raise TypeError("api_key must be a str")
    api_key = api_key.strip() or None if api_key else None

    if (project or location) and not vertex:
        raise ValueError("the Gemini API does not take project/location; pass vertexai=True")
    if credentials is not None and api_key:
        raise ValueError("credentials and api_key are mutually exclusive")
    opts = options or HttpOptions()
    if opts.base_url_resource_scope is not None and not opts.base_url:
        raise ValueError("base_url must be set when base_url_resource_scope is set")

    env_google = (env.get("GOOGLE_API_KEY") or "").strip() or None
    env_gemini = (env.get("GEMINI_API_KEY") or "").strip() or None
    if env_google and env_gemini:
        logger.warning("both GOOGLE_API_KEY and GEMINI_API_KEY are set; using GOOGLE_API_KEY")
    env_key = env_google or env_gemini
    env_project = env.get("GOOGLE_CLOUD_PROJECT") or None
    env_location = env.get("GOOGLE_CLOUD_LOCATION") or None
    explicit_base = opts.base_url
    env_base = env.get("GOOGLE_VERTEX_BASE_URL" if vertex else "GOOGLE_GEMINI_BASE_URL") or None
    base_url = explicit_base or env_base
    if base_url:
        check_base_url(base_url)

    env_version = env.get("GOOGLE_GENAI_API_VERSION") or None
    if not vertex:
        key = api_key or env_key
        if not key:
            raise ValueError(
                "no API key: pass api_key=... or set GOOGLE_API_KEY (or GEMINI_API_KEY); "
                "for Vertex AI pass vertexai=True with project and location"
            )
        _refuse_ephemeral(key)
        version = GEMINI_API_VERSION if env_version in (None, "beta") else env_version
        return ApiConfig(
            vertexai=False,
            api_key=key,
            project=None,
            location=None,
            credentials=None,
            base_url=base_url or GEMINI_BASE_URL,
            custom_base_url=bool(base_url),
            api_version=opts.api_version or version,
            uses_oauth=False,
        )

    proj = project or env_project
    loc = location or env_location
    key = api_key or env_key
    if credentials is not None and env_key:
        key = None  # explicit credentials win over an env key
    elif api_key and not project and not location and (env_project or env_location):
        proj = loc = None  # explicit key wins over env project/location (express mode)
    elif (project or location) and not api_key and env_key:
        key = None  # explicit project/location win over an env key
    elif not project and not location and not api_key and (env_project or env_location) and env_key:
        key = None  # env project/location win over an env key
    custom = base_url is not None
    if (
        not loc
        and not key
        and (not custom or (base_url or "").rstrip("/").endswith(".googleapis.com"))
    ):
        loc = "global"
    if not proj and not key and not custom:
        credentials, proj = _load_adc(credentials)
    if not ((proj and loc) or key) and not custom:
        raise ValueError(
            "Vertex AI needs project and location (GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION) "
            "or an API key (GOOGLE_API_KEY)"
        )
    if (
        custom
        and not (base_url or "").rstrip("/").endswith(".googleapis.com")
        and not ((project and location) or api_key)
    ):
        # A gateway URL without explicit project+location or key: the gateway carries
        # the auth (its own headers); environment project/location are not used, so
        # there is no projects/... path and no OAuth token (as google-genai).
        proj = loc = None
    if key:
        _refuse_ephemeral(key)
    if custom:
        url = base_url or ""
    elif (key and not loc) or loc == "global":
        url = "https://aiplatform.googleapis.com/"
    elif loc in MULTI_REGIONS:
        url = f"https://aiplatform.{loc}.rep.googleapis.com/"
    else:
        url = f"https://{loc}-aiplatform.googleapis.com/"
    version = VERTEX_API_VERSION if env_version in (None, "beta") else env_version
    return ApiConfig(
        vertexai=True,
        api_key=key,
        project=proj,
        location=loc,
        credentials=credentials,
        base_url=url,
        custom_base_url=custom,
        api_version=opts.api_version or version,
        uses_oauth=not key and bool(proj and loc),
    )


def _refuse_ephemeral(key: str) -> None:
    if key.startswith("auth_tokens/"):
        raise ValueError("ephemeral tokens (auth_tokens/...) work only with the Live API, not REST")


def _load_adc(credentials: Any) -> tuple[Any, str | None]:
    try:
        import google.auth
    except ImportError:
        raise ValueError(
            "Vertex AI without a project or API key reads them from Application Default "
            'Credentials, which need google-auth: pip install "genai-async[vertex]" (or pass '
            "an API key, or project= with credentials=)"
        ) from None
    creds, project = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    return (credentials or creds), project


@dataclass(frozen=True, slots=True, eq=False)
class Settings:
    """One resolved ``HttpOptions`` for one client (and maybe one request)."""

    api: ApiConfig
    options: HttpOptions
    base_url: str
    api_version: str
    scope: ResourceScope | None
    user_headers: Headers
    timeout: float | None
    deadline: float | None
    extra_body: dict[str, Any] | None
    retry: RetryPolicy
    transports: dict[str, TransportChoice]
    environ: Mapping[str, str] = field(repr=False)
    sync_calls: bool = False
    extra_body_overridden: bool = False  # a per-request override set extra_body itself
    hooks: tuple[Any, ...] = ()
    _prepared: dict[str, Prepared] = field(default_factory=dict, repr=False)
    _urls: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _overrides: OrderedDict[Any, tuple[Settings, list[Any]]] = field(
        default_factory=OrderedDict, repr=False
    )

    @classmethod
    def resolve(
        cls,
        api: ApiConfig,
        options: HttpOptions | None,
        *,
        environ: Mapping[str, str] | None = None,
        base: Settings | None = None,
        sync_calls: bool = False,
    ) -> Settings:
        env = os.environ if environ is None else environ
        if base is None:
            env = transport_environ(env)  # frozen: overrides see the construction's environment
        opts = options or HttpOptions()
        opts = snapshot(opts)  # later changes to the user's object change nothing
        if base is not None:
            opts = _patch(base.options, opts)
        if not sync_calls:
            given = options if base is not None else opts
            if given is not None and given.httpx_client is not None:
                raise ValueError(
                    "httpx_client is a sync client: it serves genai_async.Client's sync calls; "
                    "AsyncClient needs httpx_async_client"
                )
            if given is not None and given.client_args:
                raise ValueError(
                    "client_args configure the sync calls of genai_async.Client; "
                    "AsyncClient (and client.aio) use async_client_args"
                )
        if base is not None and not any(getattr(options, f) is not None for f in _TRANSPORT_FIELDS):
            transports = base.transports
        else:
            transports = {
                "async": resolve_transport(
                    opts.async_client_args,
                    role="async",
                    backend=opts.backend,
                    borrowed_client=opts.httpx_async_client or opts.aiohttp_client,
                    environ=env,
                    max_connections=opts.max_connections,
                ),
                "sync": resolve_transport(
                    opts.client_args,
                    role="sync",
                    backend=opts.backend,
                    borrowed_client=opts.httpx_client,
                    environ=env,
                    max_connections=opts.max_connections,
                ),
            }
            if opts.httpx_async_client is not None and opts.aiohttp_client is not None:
                raise ValueError("pass either httpx_async_client or aiohttp_client, not both")
        base_url = opts.base_url or api.base_url
        if opts.base_url:
            check_base_url(opts.base_url)
        user_headers = api.default_headers()
        if base is not None:
            user_headers = base.user_headers.merged(options.headers if options else None)
        else:
            user_headers = user_headers.merged(opts.headers)
        retry = RetryPolicy.from_options(opts.retry_options)
        if base is not None and options is not None and options.retry_options is None:
            retry = base.retry
        return cls(
            api=api,
            options=opts,
            base_url=base_url,
            api_version=opts.api_version if opts.api_version is not None else api.api_version,
            scope=opts.base_url_resource_scope,
            user_headers=user_headers,
            timeout=opts.timeout / 1000.0 if opts.timeout else None,
            deadline=opts.deadline / 1000.0 if opts.deadline else None,
            extra_body=opts.extra_body,
            retry=retry,
            transports=transports,
            environ=env,
            sync_calls=sync_calls,
            extra_body_overridden=base is not None
            and options is not None
            and options.extra_body is not None,
            hooks=tuple(opts.hooks or ()),
        )

    def override(self, raw: Any) -> Settings:
        """These settings with a per-request ``http_options`` applied (§5.1).

        Equal overrides (the same values, the same borrowed objects) share one
        resolved result: a per-request timeout costs a lookup, not a resolution.
        """
        held: list[Any] = []
        try:
            key = _freeze(raw, held)
        except TypeError:  # something we cannot compare by value: resolve afresh
            return self.patched(coerce_http_options(raw))
        cache = self._overrides
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return hit[0]
        settings = self.patched(coerce_http_options(raw))
        cache[key] = (settings, held)  # held: the objects keyed by identity stay alive
        if len(cache) > _OVERRIDE_CACHE:
            cache.popitem(last=False)
        return settings

    def patched(self, override: HttpOptions | None) -> Settings:
        """http-options.md §5.1: headers merge, every other set field replaces."""
        if override is None:
            return self
        return Settings.resolve(
            self.api, override, environ=self.environ, base=self, sync_calls=self.sync_calls
        )

    def prepared(self, role: str) -> Prepared:
        prep = self._prepared.get(role)
        if prep is None:
            prep = self._prepared[role] = Prepared.build(self, self.transports[role])
        return prep

    def url(self, method: str, path: str) -> str:
        """wire.md §2.3 (without the SDK's gateway mode, see the spec's Departure)."""
        cache_key = (method, path)
        url = self._urls.get(cache_key)
        if url is not None:
            return url
        api = self.api
        rel = encode_path(path)
        collection = self.scope is ResourceScope.COLLECTION
        if (
            api.vertexai
            and api.project
            and api.location
            and not rel.startswith("projects/")
            and not (method == "GET" and rel.startswith("publishers/"))
            and not (api.custom_base_url and collection)
        ):
            rel = f"projects/{api.project}/locations/{api.location}/{rel}"
        if not collection and self.api_version:
            rel = f"{self.api_version}/{rel}"
        url = join_url(self.base_url, rel)
        if len(self._urls) < 256:
            self._urls[cache_key] = url
        return url


_OVERRIDE_CACHE = 64
"""Resolved per-request overrides remembered per client (least recently used go)."""

_SCALARS = (str, int, float, bool, bytes, type(None))


def _freeze(value: Any, held: list[Any]) -> Any:
    """A hashable, comparable form of an options value: plain data by value,
    models field by field, anything else (SSL contexts, clients, hooks) by identity."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return ("d", tuple((str(k), _freeze(v, held)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("l", tuple(_freeze(v, held) for v in value))
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return ("m", type(value), tuple((n, _freeze(getattr(value, n), held)) for n in fields))
    held.append(value)
    return ("o", id(value))


def snapshot(options: HttpOptions) -> HttpOptions:
    """A copy the user's later changes cannot reach: containers are copied, borrowed
    objects (clients, SSL contexts, connectors) are shared."""
    values: dict[str, Any] = {}
    for name in HttpOptions.model_fields:
        value = getattr(options, name)
        if name == "extra_body" and value is not None:
            value = copy.deepcopy(value)  # plain JSON data
        elif isinstance(value, dict):
            value = dict(value)
        elif isinstance(value, BaseModel):
            value = value.model_copy()
        values[name] = value
    return HttpOptions.model_construct(_fields_set=set(options.model_fields_set), **values)


def _patch(base: HttpOptions, override: HttpOptions) -> HttpOptions:
    values = {name: getattr(base, name) for name in HttpOptions.model_fields}
    for name in HttpOptions.model_fields:
        value = getattr(override, name)
        if value is None:
            continue
        if name == "headers":
            merged = Headers(base.headers or {}).merged(value)
            values[name] = merged.wire()
        elif name == "hooks":  # additive: a request's hooks run after the client's
            values[name] = (*(base.hooks or ()), *value)
        else:
            values[name] = value
    return HttpOptions.model_construct(**values)


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """A ``Settings`` for one role, with everything per-request precomputed:
    headers, query parameters and the backends' :class:`SendOptions`."""

    settings: Settings
    choice: TransportChoice
    headers: Headers
    unary_headers: dict[str, str]
    stream_headers: dict[str, str]
    user_server_timeout: bool
    params: tuple[tuple[str, str], ...]
    send: SendOptions
    _keys: dict[str, TransportKey] = field(default_factory=dict)

    @property
    def timeouts(self) -> Timeouts:
        return self.send.timeouts

    @classmethod
    def build(cls, settings: Settings, choice: TransportChoice) -> Prepared:
        extras = choice.extras
        timeouts = resolve_timeouts(settings.timeout, extras)
        headers = settings.api.default_headers()
        if extras.headers:
            headers = headers.merged(extras.headers.wire())
        headers = headers.merged(settings.user_headers.wire()).with_version_headers()
        user_timeout = "x-server-timeout" in headers
        limit = timeouts.attempt
        if limit and not user_timeout and settings.deadline is None:
            headers = headers.merged({"X-Server-Timeout": server_timeout_value(limit)})
        proxies = choice.base_key.proxies
        proxy: ProxyConfig | None = None  # direct, or the session decides (no routes)
        proxy_headers: tuple[tuple[str, str], ...] = ()
        if proxies is not None:
            parts = urlsplit(settings.base_url)
            proxy = proxies.for_origin(parts.scheme, parts.hostname or "", parts.port)
            auth = proxy.basic_auth_header() if proxy is not None else None
            if proxy is not None:
                proxy_headers = proxy.headers
                if auth is not None and parts.scheme == "https":
                    proxy_headers = (*proxy_headers, ("Proxy-Authorization", auth))  # on CONNECT
            if auth is not None and parts.scheme == "http" and choice.base_key.backend != "httpx":
                # Plain HTTP through a proxy: the credentials ride on the request itself.
                headers = headers.merged({"Proxy-Authorization": auth})
        unary = headers.with_default("Accept", "application/json").wire()
        stream = headers.with_default("Accept", "text/event-stream").wire()
        send = SendOptions(
            timeouts=timeouts,
            proxy=proxy,
            proxy_headers=proxy_headers,
            follow_redirects=extras.follow_redirects,
            max_redirects=extras.max_redirects,
            auth=extras.auth,
            aiohttp_kwargs=extras.aiohttp_kwargs,
            tls=choice.base_key.tls if extras.ssl_per_request else None,
        )
        return cls(
            settings=settings,
            choice=choice,
            headers=headers,
            unary_headers=unary,
            stream_headers=stream,
            user_server_timeout=user_timeout,
            params=extras.params,
            send=send,
        )

    def key_for(self, library: str) -> TransportKey:
        key = self._keys.get(library)
        if key is None:
            key = self._keys[library] = self.choice.key_for(library)
        return key

    def url(self, method: str, path: str) -> str:
        url = self.settings.url(method, path)
        return with_query(url, self.params) if self.params else url
