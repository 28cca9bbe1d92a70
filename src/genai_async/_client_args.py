"""The client-args handlers: one function per ``client_args`` / ``async_client_args``
key, in the table :data:`_HANDLERS`, each filing its value into a :class:`_Builder`
(the pool key's fields, the request extras, the backend it needs) or refusing it
with a ``ValueError`` naming the key and the reason (:data:`_REFUSED`).
:func:`._transport.resolve_transport` runs them and builds the key.
Pure apart from reading ``os.environ``; imports no HTTP library.
"""

from __future__ import annotations

import difflib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import replace
from http.cookies import SimpleCookie
from typing import Any

from ._headers import Headers
from ._keys import (
    DEFAULT_LIMITS,
    Limits,
    ProxyConfig,
)
from ._proxies import proxy_from_url

__all__ = ("_HANDLERS", "_HTTPX_SESSION_KEYS", "_REFUSED", "_Builder", "_handle", "_lib_of")

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
        # keys whose library object was read as plain data the native backend honours too
        self.plain: set[str] = set()
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


# -- one handler per client-args key ------------------------------------------------------
# Each records what its key resolves to on the builder (pool key, request extras, or the
# backend it needs) or raises ValueError naming the key. _HANDLERS maps every key we
# understand to its handler; _REFUSED names the keys refused on purpose, with the reason.

Handler = Callable[["_Builder", str, Any, "str | None"], None]


def _tls_verify(b: _Builder, key: str, value: Any, lib: str | None) -> None:
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


def _fingerprint(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.need("aiohttp", key)
    b.tls_given = True
    # aiohttp pins SHA-256 digests only (it refuses MD5 and SHA-1 as insecure)
    if not isinstance(value, bytes) or len(value) != 32:
        raise b.fail(key, "expected the 32-byte SHA-256 digest of the server certificate")
    b.tls["fingerprint"] = value


def _cert(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.tls_given = True
    if isinstance(value, str):
        b.tls["cert"] = (value, None, None)
    elif isinstance(value, tuple) and 1 <= len(value) <= 3:
        padded = (*value, None, None)[:3]
        b.tls["cert"] = (str(padded[0]), padded[1], padded[2])
    else:
        raise b.fail(key, "expected a cert file path or (certfile, keyfile[, password])")


def _bool(b: _Builder, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise b.fail(key, f"expected a bool, got {value!r}")
    return value


def _trust_env(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.trust_env = _bool(b, key, value)


def _proxy(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value is None:
        return  # as in aiohttp and httpx: no explicit proxy, trust_env still applies
    b.proxy_given = True
    if lib == "httpx":
        b.need("httpx", key)
        b.plain.add(key)  # an httpx.Proxy is a URL, credentials and headers
        b.proxy = proxy_from_url(b.fail, key, str(value.url))
        if value.auth:
            b.proxy = replace(b.proxy, auth=(value.auth[0], value.auth[1]))
        if value.headers:
            b.proxy = replace(b.proxy, headers=tuple(value.headers.items()))
    else:
        b.proxy = proxy_from_url(b.fail, key, str(value))


def _proxy_auth(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value is not None:
        b.need("aiohttp", key)
        b.proxy_auth = (value.login, value.password)


def _proxy_headers(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value is not None:
        b.proxy_headers = tuple(_pairs(b, key, value))


def _http_version(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    setattr(b, key, _bool(b, key, value))
    if (key == "http2" and value) or (key == "http1" and not value):
        b.need("httpx", key)


def _limits(b: _Builder, key: str, value: Any, lib: str | None) -> None:
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


def _connector(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value is not None:
        b.need("aiohttp", key)
        if lib != "aiohttp":
            raise b.fail(key, "expected an aiohttp connector or None")
        b.borrowed = value


def _connector_owner(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value:
        raise b.fail(key, "genai_async never closes a connector you pass; use False or omit it")


def _aiohttp_session_arg(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.need("aiohttp", key)
    b.session_keys.append(key)
    b.session_args[key] = tuple(value) if isinstance(value, (list, tuple)) else value


def _httpx_transport(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.need("httpx", key)
    b.borrowed = value


def _httpx_session_map(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.need("httpx", key)
    b.session_keys.append(key)
    if not isinstance(value, Mapping):
        raise b.fail(key, "expected a dict")
    b.session_args[key] = tuple(
        (k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in value.items()
    )


def _aiohttp_request_kwarg(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.need("aiohttp", key)
    b.extras.setdefault("aiohttp_kwargs", {})[key] = value


def _cookies(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if isinstance(value, SimpleCookie):
        b.cookies.extend((name, morsel.value) for name, morsel in value.items())
    elif lib == "httpx":
        b.cookies.extend((c.name, c.value or "") for c in value.jar)
    elif value is not None:
        b.cookies.extend(_pairs(b, key, value))


def _headers(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value:
        b.headers = Headers(_pairs(b, key, value))


def _params(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value:
        b.extras["params"] = tuple(_pairs(b, key, value))


def _auth(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if value is None:
        return
    if isinstance(value, tuple) and len(value) == 2:
        b.auth_header = ProxyConfig("", (str(value[0]), str(value[1]))).basic_auth_header()
    elif lib == "aiohttp" and type(value).__name__ == "BasicAuth":
        b.need("aiohttp", key)
        b.auth_header = value.encode()
    elif lib == "httpx":
        b.need("httpx", key)
        b.extras["auth"] = value
    else:
        raise b.fail(key, "expected (user, password), aiohttp.BasicAuth or an httpx.Auth")


def _redirects(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    b.extras["follow_redirects"] = _bool(b, key, value)


def _max_redirects(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise b.fail(key, f"expected a non-negative int, got {value!r}")
    b.extras["max_redirects"] = value
    b.session_args["max_redirects"] = value  # httpx fixes it per client


def _handle(b: _Builder, key: str, value: Any) -> None:
    if key in _REFUSED:
        raise b.fail(key, _REFUSED[key])
    handler = _HANDLERS.get(key)
    if handler is None:
        hint = difflib.get_close_matches(key, list(_HANDLERS), n=1)
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        raise b.fail(key, f"not an argument genai_async understands for aiohttp or httpx{more}")
    handler(b, key, value, _lib_of(value))


def _timeout(b: _Builder, key: str, value: Any, lib: str | None) -> None:
    """``timeout`` in client args -> the timeout phases of :class:`RequestExtras`:
    ``aiohttp.ClientTimeout`` (total per attempt unless ``HttpOptions.timeout`` is
    set; connect/sock_connect; sock_read per read), ``httpx.Timeout`` (its four
    phases), or a number (seconds for each of connect, read, write and pool). The
    README's "Transport options" table is the user-facing statement."""
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


_HANDLERS: dict[str, Handler] = {
    "ssl": _tls_verify,
    "verify": _tls_verify,
    "fingerprint": _fingerprint,
    "cert": _cert,
    "trust_env": _trust_env,
    "proxy": _proxy,
    "proxy_auth": _proxy_auth,
    "proxy_headers": _proxy_headers,
    "http1": _http_version,
    "http2": _http_version,
    "limits": _limits,
    "connector": _connector,
    "connector_owner": _connector_owner,
    "cookie_jar": _aiohttp_session_arg,
    "trace_configs": _aiohttp_session_arg,
    "middlewares": _aiohttp_session_arg,
    "transport": _httpx_transport,
    "mounts": _httpx_session_map,
    "event_hooks": _httpx_session_map,
    "server_hostname": _aiohttp_request_kwarg,
    "read_bufsize": _aiohttp_request_kwarg,
    "auto_decompress": _aiohttp_request_kwarg,
    "max_line_size": _aiohttp_request_kwarg,
    "max_field_size": _aiohttp_request_kwarg,
    "cookies": _cookies,
    "headers": _headers,
    "params": _params,
    "auth": _auth,
    "timeout": _timeout,
    "follow_redirects": _redirects,
    "allow_redirects": _redirects,
    "max_redirects": _max_redirects,
}
