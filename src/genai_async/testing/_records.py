"""Immutable records the mock server hands to tests: recorded requests and server statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson

__all__ = ("RecordedRequest", "ServerStats")


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the mock server received it.

    **Attributes:**

    * ``method`` — e.g. ``"POST"``.
    * ``path`` — the request path without the query, exactly as sent (not percent-decoded).
    * ``query`` — the raw query string without ``?`` (``""`` when absent).
    * ``headers`` — ``(name, value)`` pairs in wire order, original case, duplicates kept.
    * ``body`` — the request body after removing any chunked transfer coding.
    * ``connection_id`` — increasing id of the TCP connection the request arrived on.
    * ``time`` — ``time.time()`` when the complete request had been read.
    * ``peer_cert`` — the client certificate (``ssl.SSLSocket.getpeercert()`` form) when
      the server uses TLS and the client presented a verified certificate, else ``None``.

    Usage::

        req = server.last_request
        assert req.header("x-goog-api-key") == "k"
        assert req.json()["contents"][0]["parts"][0]["text"] == "hi"
    """

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    connection_id: int
    time: float
    peer_cert: dict[str, Any] | None = None

    def header(self, name: str) -> str | None:
        """Value of the first header called ``name`` (case-insensitive), or ``None``."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    def header_all(self, name: str) -> list[str]:
        """Values of every header called ``name`` (case-insensitive), in wire order."""
        lname = name.lower()
        return [value for key, value in self.headers if key.lower() == lname]

    def json(self) -> Any:
        """The body decoded as JSON; ``None`` for an empty body."""
        if not self.body:
            return None
        return orjson.loads(self.body)

    def query_params(self) -> dict[str, list[str]]:
        """The query string decoded with :func:`urllib.parse.parse_qs` (blank values kept)."""
        return parse_qs(self.query, keep_blank_values=True)


@dataclass(frozen=True, slots=True)
class ServerStats:
    """Connection and request counters of a mock server.

    Counters start at zero when the server starts and are reset by ``clear()``
    (except ``connections_open``, which always reflects the present).
    Connections used only for the ``/_mock/...`` control endpoints are not counted.

    * ``connections_opened`` — connections accepted.
    * ``connections_open`` — connections open right now.
    * ``peak_connections_open`` — most connections open at the same time.
    * ``requests`` — requests handled (control endpoints excluded).
    """

    connections_opened: int
    connections_open: int
    peak_connections_open: int
    requests: int

    def to_dict(self) -> dict[str, int]:
        """The counters as a plain dict (the ``GET /_mock/stats`` body)."""
        return {
            "connections_opened": self.connections_opened,
            "connections_open": self.connections_open,
            "peak_connections_open": self.peak_connections_open,
            "requests": self.requests,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerStats:
        """Rebuild stats from :meth:`to_dict` output."""
        return cls(
            connections_opened=int(data["connections_opened"]),
            connections_open=int(data["connections_open"]),
            peak_connections_open=int(data["peak_connections_open"]),
            requests=int(data["requests"]),
        )
