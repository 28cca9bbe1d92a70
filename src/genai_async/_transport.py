"""The client-args classifier: ``client_args`` / ``async_client_args`` -> a pool key and extras.

Every key is classified once (http-options.md §7.5) by its handler in
:data:`._client_args._HANDLERS`: it lands in the frozen, hashable :class:`~._keys.TransportKey`
(picks the pooled session), or in :class:`~._keys.RequestExtras` (travels with
each request), or it is refused with a ``ValueError`` naming the key and the
reason (:data:`._client_args._REFUSED`, or not in the table). Nothing is dropped silently.
Place in the layering: above ``_keys``, below ``_config``.

Library objects bind to their library: an ``httpx.Limits`` needs the httpx
backend, an ``aiohttp.ClientTimeout`` the aiohttp one. Plain values (bools,
strings, dicts, ``ssl.SSLContext``) work on both backends.

``trust_env`` is resolved here, once: the proxy environment and CA bundle
variables are read into the key, so a session never re-reads them per request.
Pure apart from reading ``os.environ``; imports no HTTP library at module level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ._client_args import _HTTPX_SESSION_KEYS, _Builder, _handle, _lib_of
from ._headers import Headers
from ._keys import (
    BackendName,
    ProxyConfig,
    ProxyRoutes,
    RequestExtras,
    Role,
    TLSConfig,
    TransportChoice,
    TransportKey,
)
from ._proxies import env_routes, transport_environ

__all__ = ("resolve_transport", "transport_environ")


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
        routes = env_routes(b.fail, b.environ)
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
        backend=required or "native",  # replaced per event loop by TransportChoice.key_for
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
    if backend == "native":
        foreign = [key for key in aio + hx if key not in b.plain]
        if foreign:
            raise ValueError(
                f"backend='native' cannot honour {b.where}: {', '.join(foreign)} "
                "(options of the aiohttp or httpx library)"
            )
        return "native"
    if backend == "aiohttp" and hx:
        raise ValueError(f"backend='aiohttp' cannot honour httpx-only {b.where}: {', '.join(hx)}")
    if backend == "httpx" and aio:
        raise ValueError(f"backend='httpx' cannot honour aiohttp-only {b.where}: {', '.join(aio)}")
    return "aiohttp" if backend == "aiohttp" else "httpx"
