"""What the async and the sync httpx backends share: building a client from a key,
routing to proxies, timeouts, and counting pooled connections.

Place in the layering: inside ``_backends``, imported only by ``httpx.py`` and
``httpx_sync.py``. Our clients keep no cookies, read no environment
(``trust_env=False``: proxies and CA bundle were resolved into the key) and
route each request to the proxy its settings resolved to (``PROXY_EXT``).
"""

from __future__ import annotations

import http.cookiejar
import ssl
from typing import Any

import httpx

from .._keys import Limits, ProxyConfig, Timeouts, TLSConfig
from .._ssl import ssl_for
from .base import redacted_headers

__all__ = (
    "PROXY_EXT",
    "client_kwargs",
    "limits_for",
    "pooled_connections",
    "proxy_for",
    "redacted",
    "route",
    "timeout_for",
    "verify_for",
)

PROXY_EXT = "genai_async.proxy"
"""Request extension carrying the :class:`ProxyConfig` a request goes through."""


class _RefuseAll(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


def limits_for(limits: Limits) -> httpx.Limits:
    keepalive = limits.max_keepalive_connections
    return httpx.Limits(
        max_connections=limits.max_connections,
        max_keepalive_connections=keepalive if keepalive is not None else limits.max_connections,
        keepalive_expiry=limits.keepalive_expiry,
    )


def verify_for(tls: TLSConfig) -> ssl.SSLContext | bool:
    verify = ssl_for(tls, "httpx")
    if isinstance(verify, ssl.SSLContext) or verify is False:
        return verify
    return True  # an aiohttp fingerprint cannot reach here: it needs the aiohttp backend


def proxy_for(proxy: ProxyConfig | None) -> httpx.Proxy | None:
    if proxy is None:
        return None
    headers = dict(proxy.headers) if proxy.headers else None
    return httpx.Proxy(proxy.url, auth=proxy.auth, headers=headers)


def route(request: httpx.Request, proxied: dict[ProxyConfig, Any], factory: Any) -> Any:
    """The transport for ``request``'s proxy (built once per proxy), or None: direct."""
    proxy = request.extensions.get(PROXY_EXT)
    if not isinstance(proxy, ProxyConfig):
        return None
    transport = proxied.get(proxy)
    if transport is None:
        transport = proxied.setdefault(proxy, factory(proxy))
    return transport


def client_kwargs(session: dict[str, Any], transport: Any) -> dict[str, Any]:
    """The keyword arguments of the ``httpx.Client`` / ``AsyncClient`` we build."""
    hooks = {name: list(items) for name, items in session.get("event_hooks", ())}
    return {
        "transport": transport,
        "mounts": dict(session["mounts"]) if "mounts" in session else None,
        "event_hooks": hooks or None,
        "cookies": http.cookiejar.CookieJar(policy=_RefuseAll()),
        "timeout": None,
        "follow_redirects": True,
        "max_redirects": session.get("max_redirects", 20),
        "trust_env": False,
    }


def _capped(value: float | None, cap: float | None) -> float | None:
    if cap is None:
        return value
    return cap if value is None else min(value, cap)


def timeout_for(
    cache: dict[tuple[float | None, ...], httpx.Timeout],
    timeouts: Timeouts,
    read: float | None,
    cap: float | None = None,
) -> httpx.Timeout:
    """httpx's timeout for one request: ``read`` is the response's longest silence
    (``Timeouts.read``, or ``stream_read`` for a stream; a sync worker caps a unary
    one by its attempt limit) and ``cap`` (a sync worker's attempt limit) bounds the
    other phases. Memoised in ``cache``."""
    key = (
        _capped(timeouts.connect, cap),
        read,
        _capped(timeouts.write, cap),
        _capped(timeouts.pool, cap),
    )
    timeout = cache.get(key)
    if timeout is None:
        timeout = httpx.Timeout(connect=key[0], read=key[1], write=key[2], pool=key[3])
        if len(cache) < 512:
            cache[key] = timeout
    return timeout


def pooled_connections(client: httpx.AsyncClient | httpx.Client, router: type[Any]) -> int | None:
    """Open connections of an httpx client's pools (through our proxy ``router``
    type, every route's), or None when a transport does not expose its pool."""
    transport: Any = getattr(client, "_transport", None)
    transports = [transport]
    if isinstance(transport, router):
        transports = [transport._direct, *transport._proxied.values()]
    total = 0
    for item in transports:
        connections = getattr(getattr(item, "_pool", None), "connections", None)
        if connections is None:
            return None
        total += len(connections)
    return total


def redacted(value: Any) -> httpx.Request | None:
    """A credential-free copy of a request an httpx exception keeps (its
    ``x-goog-api-key`` and ``Authorization`` headers); ``None`` for anything else
    (see :func:`.base.redact_chain`)."""
    if isinstance(value, httpx.Request):
        return httpx.Request(
            value.method, value.url, headers=redacted_headers(value.headers.multi_items())
        )
    return None
