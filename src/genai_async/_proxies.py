"""Proxies from URLs and from the environment (``trust_env``), resolved once into keys.

Place in the layering: with ``_transport`` (its only user), above ``_keys``.
Reads only the mapping it is given; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

from ._keys import ProxyConfig, ProxyRoutes

__all__ = ("env_routes", "proxy_from_url", "transport_environ")


def proxy_from_url(fail: Callable[[str, str], ValueError], key: str, url: str) -> ProxyConfig:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        raise fail(key, "expected a proxy URL such as http://host:3128")
    auth = None
    if parts.username is not None:
        auth = (unquote(parts.username), unquote(parts.password or ""))
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname:
        netloc = f"[{parts.hostname}]" + ("" if parts.port is None else f":{parts.port}")
    clean = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return ProxyConfig(url=clean, auth=auth)


def env_routes(
    fail: Callable[[str, str], ValueError], environ: Mapping[str, str]
) -> ProxyRoutes | None:
    """What ``trust_env`` finds: a proxy per scheme and ``NO_PROXY``, by urllib's rules."""
    proxies = _proxies_from(environ)
    routes = ProxyRoutes(
        http=proxy_from_url(fail, "HTTP_PROXY", proxies["http"]) if proxies.get("http") else None,
        https=proxy_from_url(fail, "HTTPS_PROXY", proxies["https"])
        if proxies.get("https")
        else None,
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
