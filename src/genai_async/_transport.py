"""Transport resolution: ``client_args`` / ``async_client_args`` -> a pool key and request extras.

Every key is classified once (http-options.md §7.5): it lands in the frozen,
hashable :class:`TransportKey` (picks the pooled session), or in
:class:`RequestExtras` (travels with each request), or it is refused with a
``ValueError`` naming the key and the reason. Nothing is dropped silently.

Library objects bind to their library: an ``httpx.Limits`` needs the httpx
backend, an ``aiohttp.ClientTimeout`` the aiohttp one. Plain values (bools,
strings, dicts, ``ssl.SSLContext``) work on both backends.

``trust_env`` is resolved here, once: the proxy environment and CA bundle
variables are read into the key, so a session never re-reads them per request.
Pure apart from reading ``os.environ``; imports no HTTP library at module level.
"""

from __future__ import annotations

import base64
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from ._headers import Headers

__all__ = (
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_LIMITS",
    "Limits",
    "ProxyConfig",
    "ProxyRoutes",
    "RequestExtras",
    "TLSConfig",
    "TransportChoice",
    "TransportKey",
    "resolve_transport",
    "transport_environ",
)

BackendName = Literal["aiohttp", "httpx", "httpx-sync"]
Role = Literal["async", "sync"]

DEFAULT_CONNECT_TIMEOUT = 30.0
"""Seconds allowed to connect (TCP + TLS + proxy) when no timeout is configured."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Connection-pool limits of one pooled session."""

    max_connections: int | None = 100
    max_keepalive_connections: int | None = None
    keepalive_expiry: float | None = 15.0
    max_connections_per_host: int | None = None


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class TLSConfig:
    """What a session trusts and presents. ``context`` is a user's own SSLContext (by identity)."""

    verify: bool = True
    ca_file: str | None = None
    ca_dir: str | None = None
    cert: tuple[str, str | None, str | None] | None = field(default=None, repr=False)
    context: ssl.SSLContext | None = None
    fingerprint: bytes | None = None  # SHA-256 of the server certificate (aiohttp)


@dataclass(frozen=True, slots=True)
class ProxyConfig:
    """One proxy. ``url`` has no credentials; they live in ``auth`` and are never printed."""

    url: str
    auth: tuple[str, str] | None = field(default=None, repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return f"ProxyConfig(url={self.url!r}, auth={'[redacted]' if self.auth else None})"

    def basic_auth_header(self) -> str | None:
        if self.auth is None:
            return None
        token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode("ascii")
        return f"Basic {token}"


@dataclass(frozen=True, slots=True)
class ProxyRoutes:
    """What ``proxy=`` or ``trust_env`` resolved to: a proxy per scheme plus bypass rules."""

    http: ProxyConfig | None = None
    https: ProxyConfig | None = None
    no_proxy: str | None = None

    def for_origin(self, scheme: str, host: str, port: int | None) -> ProxyConfig | None:
        proxy = self.https if scheme == "https" else self.http
        if proxy is None:
            return None
        if self.no_proxy:
            target = host if port is None else f"{host}:{port}"
            if _bypass(target, {"no": self.no_proxy}):
                return None
        return proxy


_bypass: Any = getattr(urllib.request, "proxy_bypass_environment")  # noqa: B009 - untyped in typeshed


@dataclass(frozen=True, slots=True)
class TransportKey:
    """Everything that needs a different pooled session. Hashable; compared by value.

    Borrowed objects (a user's client, connector, transport, cookie jar, hooks)
    take part by identity.
    """

    backend: str
    tls: TLSConfig = TLSConfig()
    proxies: ProxyRoutes | None = None
    http2: bool = False
    http1: bool = True
    limits: Limits = DEFAULT_LIMITS
    borrowed: Any = None
    session_args: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class RequestExtras:
    """Request-level values that came from client args (they never pick a session)."""

    headers: Headers | None = None
    params: tuple[tuple[str, str], ...] = ()
    follow_redirects: bool = True
    max_redirects: int | None = None
    total_timeout: float | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    write_timeout: float | None = None
    pool_timeout: float | None = None
    auth: Any = None
    aiohttp_kwargs: tuple[tuple[str, Any], ...] = ()
    ssl_per_request: bool = False


@dataclass(frozen=True, slots=True)
class TransportChoice:
    """A resolved set of client args: the key for each backend it may run on."""

    required: BackendName | None
    reasons: tuple[str, ...]
    base_key: TransportKey
    extras: RequestExtras
    where: str

    def key_for(self, library: str) -> TransportKey:
        """The pool key on the running async library (``"asyncio"`` or ``"trio"``)."""
        if library == "trio" and self.required != "httpx-sync":
            if self.required == "aiohttp":
                raise ValueError(
                    f"{self.where} needs the aiohttp backend ({', '.join(self.reasons)}), "
                    "and aiohttp does not run under trio: use httpx settings or asyncio"
                )
            backend: BackendName = "httpx"
        elif self.required == "httpx-sync":
            return self.base_key
        else:
            backend = self.required or "aiohttp"
        if self.base_key.backend == backend:
            return self.base_key
        return replace(self.base_key, backend=backend)


_REQUEST_ONLY_REASON = "it is set by genai_async for every request"
_HTTPX_SESSION_KEYS = frozenset(
    {
        "ssl",
        "verify",
        "cert",
        "trust_env",
        "proxy",
        "limits",
        "http1",
        "http2",
        "mounts",
        "event_hooks",
        "max_redirects",
    }
)
_REFUSED: dict[str, str] = {
    "base_url": "use HttpOptions.base_url",
    "proxies": "httpx 0.28 removed it; use proxy= or mounts=",
    "app": "httpx removed it; use transport=",
    "data": _REQUEST_ONLY_REASON,
    "json": _REQUEST_ONLY_REASON,
    "method": _REQUEST_ONLY_REASON,
    "url": _REQUEST_ONLY_REASON,
    "str_or_url": _REQUEST_ONLY_REASON,
    "raise_for_status": "genai_async raises typed genai_async.errors itself",
    "default_encoding": "responses are JSON and always decoded as UTF-8, so it would have no effect",
    "ssl_context": "deprecated by aiohttp; use ssl=",
    "verify_ssl": "deprecated by aiohttp; use ssl=",
    "loop": "sessions are bound to the running event loop automatically",
    "json_serialize": "request bodies are encoded with orjson by genai_async",
    "json_serialize_bytes": "request bodies are encoded with orjson by genai_async",
    "request_class": "not supported: genai_async builds the requests",
    "response_class": "not supported: genai_async reads the responses",
    "ws_response_class": "the Live API (websockets) is not supported",
    "version": "not supported: HTTP/1.1 on aiohttp; use http2=True (httpx) for HTTP/2",
    "compress": "request body compression is not supported by the API",
    "chunked": "request bodies are sent with Content-Length",
    "expect100": "not supported",
    "read_until_eof": "not supported",
    "skip_auto_headers": "not supported: set the header in HttpOptions.headers instead",
    "trace_request_ctx": "not supported: use trace_configs",
    "requote_redirect_url": "not supported",
    "fallback_charset_resolver": "responses are JSON and always decoded as UTF-8",
    "conn_timeout": "deprecated by aiohttp; use timeout=aiohttp.ClientTimeout(connect=...)",
    "read_timeout": "deprecated by aiohttp; use timeout=aiohttp.ClientTimeout(sock_read=...)",
    "upload_tracker": "not supported",
    "max_headers": "not supported",
    "ssl_shutdown_timeout": "not supported",
}


def _lib_of(value: Any) -> str | None:
    """The HTTP library a value's class comes from, if any ("httpx2" counts as httpx)."""
    for klass in type(value).__mro__:
        top = klass.__module__.split(".", 1)[0]
        if top in ("httpx", "httpx2", "httpcore"):
            return "httpx"
        if top in ("aiohttp", "yarl", "multidict"):
            return "aiohttp" if top == "aiohttp" else None
    return None


class _Builder:
    def __init__(self, where: str, environ: Mapping[str, str]) -> None:
        self.where = where
        self.environ = environ
        self.needs: dict[str, list[str]] = {"aiohttp": [], "httpx": []}
        self.tls: dict[str, Any] = {}
        self.tls_given = False
        self.trust_env = True
        self.proxy: ProxyConfig | None = None
        self.proxy_given = False
        self.proxy_auth: tuple[str, str] | None = None
        self.proxy_headers: tuple[tuple[str, str], ...] = ()
        self.http1 = True
        self.http2 = False
        self.limits = DEFAULT_LIMITS
        self.borrowed: Any = None
        self.session_args: dict[str, Any] = {}
        self.extras: dict[str, Any] = {}
        self.headers: Headers | None = None
        self.cookies: list[tuple[str, str]] = []
        self.auth_header: str | None = None
        self.session_keys: list[str] = []

    def need(self, lib: str, key: str) -> None:
        self.needs[lib].append(key)

    def fail(self, key: str, reason: str) -> ValueError:
        return ValueError(f"{self.where}[{key!r}]: {reason}")


def _seconds(b: _Builder, key: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise b.fail(key, f"expected a non-negative number of seconds, got {value!r}")
    return float(value)


def _pairs(b: _Builder, key: str, value: Any) -> list[tuple[str, str]]:
    items = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = [(str(k), str(v)) for k, v in items]
    except (TypeError, ValueError):
        raise b.fail(key, "expected a mapping or a list of (name, value) pairs") from None
    return pairs


def _handle(b: _Builder, key: str, value: Any) -> None:
    lib = _lib_of(value)
    if key in _REFUSED:
        raise b.fail(key, _REFUSED[key])
    if key in ("ssl", "verify"):
        b.tls_given = True
        if value is None or value is True:
            b.tls["verify"] = True
        elif value is False:
            b.tls["verify"] = False
        elif isinstance(value, ssl.SSLContext):
            b.tls["context"] = value
        elif isinstance(value, str) and key == "verify":
            b.tls["ca_file"] = value
        elif lib == "aiohttp" and type(value).__name__ == "Fingerprint":
            b.need("aiohttp", key)
            b.tls["fingerprint"] = bytes(value.fingerprint)
        else:
            raise b.fail(key, f"expected a bool, an ssl.SSLContext or a CA path; got {value!r}")
    elif key == "fingerprint":
        b.need("aiohttp", key)
        b.tls_given = True
        # aiohttp pins SHA-256 digests only (it refuses MD5 and SHA-1 as insecure)
        if not isinstance(value, bytes) or len(value) != 32:
            raise b.fail(key, "expected the 32-byte SHA-256 digest of the server certificate")
        b.tls["fingerprint"] = value
    elif key == "cert":
        b.tls_given = True
        if isinstance(value, str):
            b.tls["cert"] = (value, None, None)
        elif isinstance(value, tuple) and 1 <= len(value) <= 3:
            padded = (*value, None, None)[:3]
            b.tls["cert"] = (str(padded[0]), padded[1], padded[2])
        else:
            raise b.fail(key, "expected a cert file path or (certfile, keyfile[, password])")
    elif key == "trust_env":
        if not isinstance(value, bool):
            raise b.fail(key, f"expected a bool, got {value!r}")
        b.trust_env = value
    elif key == "proxy":
        if value is None:
            return  # as in aiohttp and httpx: no explicit proxy, trust_env still applies
        b.proxy_given = True
        if lib == "httpx":
            b.need("httpx", key)
            b.proxy = _proxy_from_url(b, key, str(value.url))
            if value.auth:
                b.proxy = replace(b.proxy, auth=(value.auth[0], value.auth[1]))
            if value.headers:
                b.proxy = replace(b.proxy, headers=tuple(value.headers.items()))
        else:
            b.proxy = _proxy_from_url(b, key, str(value))
    elif key == "proxy_auth":
        if value is not None:
            b.need("aiohttp", key)
            b.proxy_auth = (value.login, value.password)
    elif key == "proxy_headers":
        if value is not None:
            b.proxy_headers = tuple(_pairs(b, key, value))
    elif key in ("http1", "http2"):
        if not isinstance(value, bool):
            raise b.fail(key, f"expected a bool, got {value!r}")
        setattr(b, key, value)
        if (key == "http2" and value) or (key == "http1" and not value):
            b.need("httpx", key)
    elif key == "limits":
        if lib != "httpx":
            raise b.fail(key, "expected an httpx.Limits (for aiohttp pass a connector)")
        b.need("httpx", key)
        # httpx.Limits leaves max_connections None (unbounded) unless told; a pool
        # here is always bounded, so None means our default.
        b.limits = Limits(
            max_connections=value.max_connections or DEFAULT_LIMITS.max_connections,
            max_keepalive_connections=value.max_keepalive_connections,
            keepalive_expiry=value.keepalive_expiry,
        )
    elif key == "connector":
        if value is not None:
            b.need("aiohttp", key)
            if lib != "aiohttp":
                raise b.fail(key, "expected an aiohttp connector or None")
            b.borrowed = value
    elif key == "connector_owner":
        if value:
            raise b.fail(key, "genai_async never closes a connector you pass; use False or omit it")
    elif key in ("cookie_jar", "trace_configs", "middlewares"):
        b.need("aiohttp", key)
        b.session_keys.append(key)
        b.session_args[key] = tuple(value) if isinstance(value, (list, tuple)) else value
    elif key in ("transport", "mounts", "event_hooks"):
        b.need("httpx", key)
        if key != "transport":
            b.session_keys.append(key)
        if key == "transport":
            b.borrowed = value
        elif isinstance(value, Mapping):
            b.session_args[key] = tuple(
                (k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in value.items()
            )
        else:
            raise b.fail(key, "expected a dict")
    elif key in (
        "server_hostname",
        "read_bufsize",
        "auto_decompress",
        "max_line_size",
        "max_field_size",
    ):
        b.need("aiohttp", key)
        b.extras.setdefault("aiohttp_kwargs", {})[key] = value
    elif key == "cookies":
        if isinstance(value, SimpleCookie):
            b.cookies.extend((name, morsel.value) for name, morsel in value.items())
        elif lib == "httpx":
            b.cookies.extend((c.name, c.value or "") for c in value.jar)
        elif value is not None:
            b.cookies.extend(_pairs(b, key, value))
    elif key == "headers":
        if value:
            b.headers = Headers(_pairs(b, key, value))
    elif key == "params":
        if value:
            b.extras["params"] = tuple(_pairs(b, key, value))
    elif key == "auth":
        if value is None:
            return
        if isinstance(value, tuple) and len(value) == 2:
            b.auth_header = _basic(str(value[0]), str(value[1]))
        elif lib == "aiohttp" and type(value).__name__ == "BasicAuth":
            b.need("aiohttp", key)
            b.auth_header = value.encode()
        elif lib == "httpx":
            b.need("httpx", key)
            b.extras["auth"] = value
        else:
            raise b.fail(key, "expected (user, password), aiohttp.BasicAuth or an httpx.Auth")
    elif key == "timeout":
        _timeout(b, key, value, lib)
    elif key in ("follow_redirects", "allow_redirects"):
        if not isinstance(value, bool):
            raise b.fail(key, f"expected a bool, got {value!r}")
        b.extras["follow_redirects"] = value
    elif key == "max_redirects":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise b.fail(key, f"expected a non-negative int, got {value!r}")
        b.extras["max_redirects"] = value
        b.session_args["max_redirects"] = value  # httpx fixes it per client
    else:
        raise b.fail(key, "not an argument genai_async understands for aiohttp or httpx")


def _timeout(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    """``timeout`` in client args -> the timeout phases of :class:`RequestExtras`.

    ``aiohttp.ClientTimeout`` (needs the aiohttp backend):

    * ``HttpOptions.timeout``, when set (client-wide or per request), wins for the
      call: it is the limit of each attempt and ``total`` is ignored.
    * Otherwise ``total`` is the limit of each attempt (a retry starts a fresh
      ``total``; for a stream, the time until the response headers) and is sent
      as ``X-Server-Timeout``.
    * ``connect`` / ``sock_connect`` (the smaller, when both are set) bound getting
      a connection: a free pooled slot, TCP, the proxy ``CONNECT`` and the TLS
      handshake. Unset: 30 s (:data:`DEFAULT_CONNECT_TIMEOUT`), never unbounded.
    * ``sock_read`` bounds each read: the wait for the response headers, every
      body read, and the gap between two events of a stream.
    * ``ceil_threshold`` has no effect.

    ``httpx.Timeout`` (needs the httpx backend): ``connect``, ``read``, ``write``
    and ``pool`` apply as httpx defines them; httpx has no total, so
    ``HttpOptions.timeout`` is the only per-attempt limit.

    A number (either backend): seconds for each of connect, read, write and pool,
    as ``httpx.AsyncClient(timeout=5)`` means it; it is not a total.
    """
    if value is None:
        return
    if lib == "aiohttp":
        b.need("aiohttp", key)
        b.extras["total_timeout"] = _seconds(b, key, value.total)
        connect = value.connect if value.sock_connect is None else value.sock_connect
        if value.connect is not None and value.sock_connect is not None:
            connect = min(value.connect, value.sock_connect)
        b.extras["connect_timeout"] = _seconds(b, key, connect)
        b.extras["read_timeout"] = _seconds(b, key, value.sock_read)
    elif lib == "httpx":
        b.need("httpx", key)
        b.extras["connect_timeout"] = _seconds(b, key, value.connect)
        b.extras["read_timeout"] = _seconds(b, key, value.read)
        b.extras["write_timeout"] = _seconds(b, key, value.write)
        b.extras["pool_timeout"] = _seconds(b, key, value.pool)
    else:
        seconds = _seconds(b, key, value)
        for name in ("connect_timeout", "read_timeout", "write_timeout", "pool_timeout"):
            b.extras[name] = seconds


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _proxy_from_url(b: _Builder, key: str, url: str) -> ProxyConfig:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        raise b.fail(key, "expected a proxy URL such as http://host:3128")
    auth = None
    if parts.username is not None:
        from urllib.parse import unquote

        auth = (unquote(parts.username), unquote(parts.password or ""))
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname:
        netloc = f"[{parts.hostname}]" + ("" if parts.port is None else f":{parts.port}")
    clean = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return ProxyConfig(url=clean, auth=auth)


def _env_routes(b: _Builder) -> ProxyRoutes | None:
    proxies = _proxies_from(b.environ)
    routes = ProxyRoutes(
        http=_proxy_from_url(b, "HTTP_PROXY", proxies["http"]) if proxies.get("http") else None,
        https=_proxy_from_url(b, "HTTPS_PROXY", proxies["https"]) if proxies.get("https") else None,
        no_proxy=proxies.get("no") or None,
    )
    if routes.http is None and routes.https is None:
        return None
    return routes


_CA_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")


def transport_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of the variables ``trust_env`` reads (``*_proxy`` in any case, the CA bundle).

    Taken once when a client is built, so a per-request transport override is
    resolved against the environment of construction, like the client itself.
    """
    return {
        name: value
        for name, value in environ.items()
        if name in _CA_VARIABLES or name.lower().endswith("_proxy")
    }


def _proxies_from(environ: Mapping[str, str]) -> dict[str, str]:
    # urllib's rules: *_proxy variables, lowercase wins, ALL_PROXY fills missing schemes.
    found: dict[str, str] = {}
    for name, value in environ.items():
        lower = name.lower()
        if value and lower.endswith("_proxy") and name.isupper():
            found[lower[:-6]] = value
    for name, value in environ.items():
        lower = name.lower()
        if value and lower.endswith("_proxy") and name == lower:
            found[lower[:-6]] = value
    if "all" in found:
        found.setdefault("http", found["all"])
        found.setdefault("https", found["all"])
    return found


def resolve_transport(
    args: Mapping[str, Any] | None,
    *,
    role: Role,
    backend: str | None,
    borrowed_client: Any,
    environ: Mapping[str, str],
    max_connections: int | None = None,
) -> TransportChoice:
    """Classify every key of ``args`` and resolve the environment, once.

    ``max_connections`` (``HttpOptions.max_connections``) sizes the pool of the
    sessions we build, on every backend.
    """
    where = "client_args" if role == "sync" else "async_client_args"
    b = _Builder(where, environ)
    for name, value in (args or {}).items():
        if not isinstance(name, str):
            raise TypeError(f"{where} keys must be str, got {name!r}")
        _handle(b, name, value)

    given = set(args or ())
    if borrowed_client is not None:
        lib = _lib_of(borrowed_client) or "httpx"
        borrowed_name = "httpx_client" if role == "sync" else "httpx_async_client"
        b.need(lib, "aiohttp_client" if lib == "aiohttp" else borrowed_name)
        if b.borrowed is not None:
            b.session_keys.append("connector" if lib == "aiohttp" else "transport")
        b.borrowed = borrowed_client
    if b.borrowed is not None:
        # A client or transport the user built already fixed its session settings.
        if borrowed_client is not None:
            fixed = set(b.session_keys)
            if _lib_of(borrowed_client) == "httpx":
                fixed |= given & _HTTPX_SESSION_KEYS
        elif _lib_of(b.borrowed) == "httpx":  # our httpx client around the user's transport
            fixed = given & (_HTTPX_SESSION_KEYS - {"mounts", "event_hooks", "max_redirects"})
        else:  # our aiohttp session around the user's connector: TLS and proxy go per request
            fixed = set()
        if fixed:
            raise ValueError(
                f"{where} key(s) {', '.join(sorted(fixed))} configure a session, so they cannot "
                "apply to the client, connector or transport you passed; configure it instead"
            )

    sync_only = role == "sync" and (
        borrowed_client is not None or bool(given & {"transport", "mounts", "event_hooks"})
    )
    required = _required_backend(b, backend, role, sync_only, bool(given))
    if required == "aiohttp" and (b.http2 or not b.http1):
        raise b.fail("http2", "HTTP/2 needs the httpx backend (aiohttp speaks HTTP/1.1 only)")
    if b.borrowed is not None and b.proxy_given is False and "trust_env" not in (args or {}):
        routes: ProxyRoutes | None = None  # a borrowed client keeps its own proxy settings
    elif b.proxy_given:
        proxy = b.proxy
        if proxy is not None and (b.proxy_auth or b.proxy_headers):
            proxy = replace(proxy, auth=b.proxy_auth or proxy.auth, headers=b.proxy_headers)
        routes = ProxyRoutes(http=proxy, https=proxy) if proxy is not None else None
    elif b.trust_env:
        routes = _env_routes(b)
        if routes is not None and (b.proxy_auth or b.proxy_headers):
            routes = ProxyRoutes(
                http=_with_auth(routes.http, b),
                https=_with_auth(routes.https, b),
                no_proxy=routes.no_proxy,
            )
    else:
        routes = None

    tls = TLSConfig(**b.tls) if b.tls else TLSConfig()
    if tls.verify and tls.context is None and b.trust_env:
        ca_file = tls.ca_file or environ.get("SSL_CERT_FILE") or None
        ca_dir = environ.get("SSL_CERT_DIR") or None
        tls = replace(tls, ca_file=ca_file, ca_dir=ca_dir)
    if tls.context is not None and tls.cert is not None:
        raise b.fail("cert", "load the certificate into the ssl.SSLContext you pass instead")

    headers = b.headers
    if b.cookies:
        cookie = "; ".join(f"{name}={value}" for name, value in b.cookies)
        base = headers or Headers()
        existing = base.get("cookie")
        headers = base.merged({"Cookie": f"{existing}; {cookie}" if existing else cookie})
    if b.auth_header is not None:
        headers = (headers or Headers()).with_default("Authorization", b.auth_header)
    kwargs = b.extras.pop("aiohttp_kwargs", None)
    extras = RequestExtras(
        headers=headers,
        aiohttp_kwargs=tuple(kwargs.items()) if kwargs else (),
        ssl_per_request=b.tls_given and b.borrowed is not None,
        **b.extras,
    )
    limits = b.limits
    if max_connections is not None:
        if b.borrowed is not None or "connector" in given:
            raise ValueError(
                "HttpOptions.max_connections sizes the pools genai_async builds; it cannot "
                "resize the client, connector or transport you passed (size that instead)"
            )
        if "limits" in given and limits.max_connections != max_connections:
            raise ValueError(
                f"HttpOptions.max_connections={max_connections} and {where}['limits'] "
                f"(max_connections={limits.max_connections}) disagree: set one of them"
            )
        limits = replace(limits, max_connections=max_connections)
    key = TransportKey(
        backend=required or "aiohttp",  # replaced per event loop by TransportChoice.key_for
        tls=tls,
        proxies=routes,
        http2=b.http2,
        http1=b.http1,
        limits=limits,
        borrowed=b.borrowed,
        session_args=tuple(sorted(b.session_args.items())),
    )
    return TransportChoice(
        required=required,
        reasons=tuple(b.needs.get(required, ())) if required else (),
        base_key=key,
        extras=extras,
        where=where,
    )


def _with_auth(proxy: ProxyConfig | None, b: _Builder) -> ProxyConfig | None:
    if proxy is None:
        return None
    return replace(proxy, auth=b.proxy_auth or proxy.auth, headers=b.proxy_headers or proxy.headers)


def _required_backend(
    b: _Builder, backend: str | None, role: Role, sync_only: bool, any_args: bool
) -> BackendName | None:
    aio, hx = b.needs["aiohttp"], b.needs["httpx"]
    if role == "sync":
        if aio:
            raise b.fail(
                aio[0],
                "client_args configure the httpx client of sync calls; "
                "this is an aiohttp setting (put it in async_client_args)",
            )
        if sync_only:
            return "httpx-sync"  # a sync httpx.Client, driven from a worker thread
        if any_args:
            return "httpx"
    if aio and hx:
        raise ValueError(
            f"{b.where} mixes aiohttp-only settings ({', '.join(aio)}) with httpx-only "
            f"settings ({', '.join(hx)}); one session cannot be both"
        )
    if backend in (None, "auto"):
        return "aiohttp" if aio else "httpx" if hx else None
    if backend == "aiohttp":
        b.needs["aiohttp"].append("backend='aiohttp'")
    elif backend == "httpx":
        b.needs["httpx"].append("backend='httpx'")
    if backend == "aiohttp" and hx:
        raise ValueError(f"backend='aiohttp' cannot honour httpx-only {b.where}: {', '.join(hx)}")
    if backend == "httpx" and aio:
        raise ValueError(f"backend='httpx' cannot honour aiohttp-only {b.where}: {', '.join(aio)}")
    return "aiohttp" if backend == "aiohttp" else "httpx"
