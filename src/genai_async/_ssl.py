"""SSL contexts: one per distinct :class:`TLSConfig` per backend per process.

Loading a CA bundle costs milliseconds, so contexts are memoised. aiohttp and
httpx never share a context: httpcore sets ALPN on the context it is given at
every connect (``h2`` included with ``http2=True``), which would make aiohttp
negotiate HTTP/2 and fail. For the same reason a user's own context may be
handed to one backend only; the second backend gets a clear error.
"""

from __future__ import annotations

import logging
import ssl
import threading
import weakref
from typing import Any

from ._keys import TLSConfig

__all__ = ("is_cached", "ssl_for")

logger = logging.getLogger("genai_async")

_lock = threading.Lock()
_cache: dict[tuple[TLSConfig, str], Any] = {}
_owner: weakref.WeakKeyDictionary[ssl.SSLContext, str] = weakref.WeakKeyDictionary()
_MAX_CACHED = 128


def is_cached(tls: TLSConfig, backend: str) -> bool:
    """Whether :func:`ssl_for` has ``tls``'s context for ``backend`` built already."""
    return (tls, backend) in _cache


def ssl_for(tls: TLSConfig, backend: str) -> Any:
    """The ``ssl``/``verify`` value for ``backend`` (``"aiohttp"`` or ``"httpx"``).

    ``False`` when verification is off, the user's context when one was given,
    else a memoised context trusting certifi (or ``SSL_CERT_FILE``/``SSL_CERT_DIR``).
    """
    if tls.context is not None:
        _claim(tls.context, backend)
        return tls.context
    if tls.fingerprint is not None:
        return tls.fingerprint
    if not tls.verify:
        return False
    key = (tls, backend)
    ctx = _cache.get(key)
    if ctx is None:
        built = _build(tls, backend)
        with _lock:
            ctx = _cache.setdefault(key, built)
            if len(_cache) > _MAX_CACHED:
                _cache.pop(next(iter(_cache)))
    return ctx


def _claim(ctx: ssl.SSLContext, backend: str) -> None:
    with _lock:
        owner = _owner.get(ctx)
        if owner is None:
            _owner[ctx] = backend
        elif owner != backend:
            raise ValueError(
                f"this ssl.SSLContext is already used by the {owner} backend; httpx changes the "
                "ALPN settings of the contexts it is given, so one context cannot serve both "
                f"{owner} and {backend}: pass a separate context for each"
            )


def _build(tls: TLSConfig, backend: str) -> ssl.SSLContext:
    cafile = tls.ca_file
    capath = tls.ca_dir
    if cafile is None and capath is None:
        import certifi

        cafile = certifi.where()
    ctx = ssl.create_default_context(cafile=cafile, capath=capath)
    if tls.cert is not None:
        certfile, keyfile, password = tls.cert
        ctx.load_cert_chain(certfile, keyfile, password)
    if backend == "aiohttp":
        ctx.set_alpn_protocols(["http/1.1"])
    return ctx
