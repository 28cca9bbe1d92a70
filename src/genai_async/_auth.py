"""OAuth bearer tokens for Vertex AI (wire.md §3.1).

Works with any google-auth style credentials object (``token``, ``valid``,
``expiry``, ``refresh(request)``, ``quota_project_id``). A refresh runs in a
worker thread, never on the event loop, ahead of expiry, and only once however
many requests (on however many loops and threads) need it at the same moment.
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any

import anyio
import anyio.to_thread

__all__ = ("TokenSource",)

_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
REFRESH_AHEAD = _dt.timedelta(seconds=300)
NEEDS_GOOGLE_AUTH = (
    "Vertex AI without an API key authenticates with Application Default Credentials, "
    'which need google-auth: pip install "genai-async[vertex]" (or pass credentials= '
    "or an API key)"
)


class TokenSource:
    """Hands out ``Authorization`` headers, refreshing the credentials when due."""

    def __init__(self, credentials: Any = None) -> None:
        self._credentials = credentials
        self._thread_lock = threading.Lock()
        self._loop_locks: dict[int, anyio.Lock] = {}
        self._cached: tuple[str, dict[str, str]] | None = None
        self._ahead = REFRESH_AHEAD
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"<TokenSource refreshes={self.refreshes} token={'[redacted]' if self._cached else None}>"

    async def headers(self) -> dict[str, str]:
        creds = self._credentials
        if creds is not None and _fresh(creds, self._ahead):
            return self._headers_for(creds)
        async with self._loop_lock():
            creds = self._credentials
            if creds is None or not _fresh(creds, self._ahead):
                await anyio.to_thread.run_sync(self._refresh_blocking)
        return self._headers_for(self._credentials)

    def _headers_for(self, creds: Any) -> dict[str, str]:
        token = creds.token
        cached = self._cached
        if cached is not None and cached[0] == token:
            return cached[1]
        headers = {"Authorization": f"Bearer {token}"}
        quota = getattr(creds, "quota_project_id", None)
        if quota:
            headers["x-goog-user-project"] = str(quota)
        self._cached = (token, headers)
        return headers

    def _loop_lock(self) -> anyio.Lock:
        from ._runtime import current_loop_id

        ident = current_loop_id()
        lock = self._loop_locks.get(ident)
        if lock is None:
            if len(self._loop_locks) > 64:
                self._loop_locks.clear()
            lock = self._loop_locks[ident] = anyio.Lock()
        return lock

    def _refresh_blocking(self) -> None:
        # Several loops (a sync client's and the caller's) may ask at once: one refreshes.
        with self._thread_lock:
            creds = self._credentials
            if creds is None:
                try:
                    import google.auth
                except ImportError as exc:
                    raise ImportError(NEEDS_GOOGLE_AUTH, name="google.auth") from exc

                creds, _ = google.auth.default(scopes=_SCOPES)
                self._credentials = creds
            if not _fresh(creds, self._ahead):
                creds.refresh(_auth_request())
                self.refreshes += 1
                # Refresh ahead by at most half a token's life: a 2-minute token is not
                # "about to expire" the moment it is issued.
                left = _seconds_left(creds)
                if left is not None:
                    self._ahead = _dt.timedelta(
                        seconds=min(REFRESH_AHEAD.total_seconds(), left / 2)
                    )
            if not getattr(creds, "token", None):
                raise ValueError("the credentials produced no access token after refresh")


def _seconds_left(creds: Any) -> float | None:
    expiry = getattr(creds, "expiry", None)
    if not isinstance(expiry, _dt.datetime):
        return None
    if expiry.tzinfo is not None:
        expiry = expiry.astimezone(_dt.UTC).replace(tzinfo=None)
    now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    return (expiry - now).total_seconds()


def _fresh(creds: Any, ahead: _dt.timedelta = REFRESH_AHEAD) -> bool:
    """A token is present, valid, and not within ``ahead`` of its expiry."""
    if not getattr(creds, "token", None) or not getattr(creds, "valid", True):
        return False
    left = _seconds_left(creds)
    return left is None or left >= ahead.total_seconds()


def _auth_request() -> Any:
    """A google-auth transport request: requests' if installed, else a urllib one."""
    try:
        from google.auth.transport.requests import Request

        return Request()
    except ImportError:
        return _UrllibRequest()


class _UrllibResponse:
    def __init__(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.status = status
        self.headers = headers
        self.data = data


class _UrllibRequest:
    """The google.auth.transport.Request protocol on the standard library."""

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **_: Any,
    ) -> _UrllibResponse:
        import urllib.error
        import urllib.request

        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout or 60) as resp:
                return _UrllibResponse(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as exc:
            return _UrllibResponse(exc.code, dict(exc.headers), exc.read())
