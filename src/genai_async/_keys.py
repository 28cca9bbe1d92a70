"""Pool keys and request extras: the pure, frozen, hashable values client args resolve to.

Place in the layering: a leaf above ``_headers``; the classifier
(``_transport``), ``_ssl``, the backends, the registry and the client read
these values, and nothing here imports an HTTP library or does I/O.
"""

from __future__ import annotations

import base64
import ssl
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ._headers import Headers

__all__ = (
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_LIMITS",
    "BackendName",
    "Limits",
    "PoolStats",
    "ProxyConfig",
    "ProxyRoutes",
    "RequestExtras",
    "Role",
    "SendOptions",
    "SessionStats",
    "TLSConfig",
    "Timeouts",
    "TransportChoice",
    "TransportKey",
    "describe_key",
    "resolve_timeouts",
)

BackendName = Literal["aiohttp", "httpx", "httpx-sync", "native"]
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
        if self.required == "httpx-sync":
            return self.base_key
        if self.required == "aiohttp" and library == "trio":
            raise ValueError(
                f"{self.where} needs the aiohttp backend ({', '.join(self.reasons)}), "
                "and aiohttp does not run under trio: use httpx settings or asyncio"
            )
        # The native backend serves unless settings of a library ask for that library.
        backend: BackendName = self.required or "native"
        if self.base_key.backend == backend:
            return self.base_key
        return replace(self.base_key, backend=backend)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Every time limit of one role, in seconds, as :func:`resolve_timeouts` decides them.

    ``attempt`` bounds a whole unary attempt (a stream's up to its headers);
    ``read`` is a unary response's longest silence, ``stream_read`` a stream's
    (the smaller of ``HttpOptions.timeout`` and the client-args read timeout);
    ``pool`` bounds the wait for a free connection. A backend only caps these by
    the time an attempt has left; it never picks a default of its own.
    """

    attempt: float | None
    connect: float
    read: float | None
    stream_read: float | None
    write: float | None
    pool: float


def resolve_timeouts(timeout: float | None, extras: RequestExtras) -> Timeouts:
    """The one timeout rule. ``timeout`` is ``HttpOptions.timeout`` in seconds.

    A unary attempt is bounded by ``timeout``, else by the client-args total; a
    connection by the client-args connect timeout, else
    :data:`DEFAULT_CONNECT_TIMEOUT`; the wait for a free connection by the
    client-args pool timeout, else the connect timeout; a stream's silence by the
    smaller of ``timeout`` and the client-args read timeout.
    """
    connect = extras.connect_timeout
    if connect is None:
        connect = DEFAULT_CONNECT_TIMEOUT
    read = extras.read_timeout
    stream_read = timeout
    if read is not None and (stream_read is None or read < stream_read):
        stream_read = read
    return Timeouts(
        attempt=timeout if timeout is not None else extras.total_timeout,
        connect=connect,
        read=read,
        stream_read=stream_read,
        write=extras.write_timeout,
        pool=extras.pool_timeout if extras.pool_timeout is not None else connect,
    )


@dataclass(frozen=True, slots=True, eq=False)
class SendOptions:
    """What a backend needs to send one role's requests, built once per resolved settings.

    Backends read this value and nothing else of the configuration. It compares
    and hashes by identity, so a backend may memoise what it derives from it
    (library timeout objects, request keyword arguments) keyed by the object.
    ``proxy`` is the proxy for the base URL's origin when the routes are ours
    (``None``: direct, or the library decides); ``proxy_headers`` are the headers
    for its ``CONNECT`` (its credentials included when the base URL is HTTPS);
    ``tls`` is set only when TLS settings must travel with each request.
    """

    timeouts: Timeouts
    proxy: ProxyConfig | None = None
    proxy_headers: tuple[tuple[str, str], ...] = ()
    follow_redirects: bool = True
    max_redirects: int | None = None
    auth: Any = None
    aiohttp_kwargs: tuple[tuple[str, Any], ...] = ()
    tls: TLSConfig | None = None


# -- what pool_stats() shows ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionStats:
    """One pooled session, as seen by ``SessionRegistry.stats``."""

    backend: str
    key: str
    leases: int
    in_flight: int
    retired: bool
    requests: int
    resends: int
    connections: int | None
    borrowed: bool


@dataclass(frozen=True, slots=True)
class PoolStats:
    """A read-only view of the sessions of one event loop."""

    sessions: tuple[SessionStats, ...]
    created: int
    closed: int

    @property
    def live(self) -> int:
        return sum(1 for s in self.sessions if not s.retired)

    @property
    def in_flight(self) -> int:
        return sum(s.in_flight for s in self.sessions)

    @property
    def connections(self) -> int:
        return sum(s.connections or 0 for s in self.sessions)


def describe_key(key: TransportKey) -> str:
    """A printable summary of a key (no secrets: proxies print without credentials)."""
    parts = [key.backend]
    if not key.tls.verify:
        parts.append("verify=False")
    if key.tls.context is not None:
        parts.append("ssl=<user context>")
    if key.tls.ca_file:
        parts.append(f"ca_file={key.tls.ca_file}")
    if key.tls.cert is not None:
        parts.append("client-cert")
    if key.proxies is not None:
        parts.append(f"proxy={key.proxies.https or key.proxies.http}")
    if key.http2:
        parts.append("http2")
    parts.append(f"max_connections={key.limits.max_connections}")
    if key.borrowed is not None:
        parts.append(f"borrowed={type(key.borrowed).__name__}")
    parts.extend(name for name, _ in key.session_args)
    return " ".join(parts)
