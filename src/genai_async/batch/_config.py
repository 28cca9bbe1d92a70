"""Picklable settings of a file run: how to build its client, and how to send.

Dask workers receive these in every task and build their own client from
:class:`ClientConfig`; the local engine builds one the same way.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._async_client import AsyncClient

__all__ = ("ClientConfig", "RunConfig")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """How to build the ``AsyncClient`` of a file run (picklable, so Dask workers can
    build their own). Unset values come from the environment, as for ``AsyncClient``.

    **Parameters:** ``api_key``, ``vertexai``, ``project``, ``location``, ``base_url``,
    ``timeout_s`` (per attempt; ``None``: no timeout).

    Usage::

        ClientConfig(base_url="http://127.0.0.1:8080", api_key="test", timeout_s=60)
    """

    api_key: str | None = field(default=None, repr=False)
    vertexai: bool | None = None
    project: str | None = None
    location: str | None = None
    base_url: str | None = None
    timeout_s: float | None = 600.0

    def build(self, pool_size: int | None = None) -> AsyncClient:
        """A new client (building one opens nothing: sessions come with the first request).

        ``pool_size`` raises the connection pool above the default 100 connections.
        """
        from .._async_client import AsyncClient
        from .._keys import DEFAULT_LIMITS
        from ..errors import TimeoutUnitWarning

        options: dict[str, Any] = {}
        if self.base_url:
            options["base_url"] = self.base_url
        if self.timeout_s:
            options["timeout"] = max(1, int(self.timeout_s * 1000))
        if pool_size is not None and pool_size > (DEFAULT_LIMITS.max_connections or 0):
            options["max_connections"] = pool_size
        with warnings.catch_warnings():
            # timeout_s is in seconds: a short one is meant, not a unit mistake
            warnings.simplefilter("ignore", TimeoutUnitWarning)
            return AsyncClient(
                api_key=self.api_key,
                vertexai=self.vertexai,
                project=self.project,
                location=self.location,
                http_options=options or None,
            )

    def check(self) -> None:
        """Fail now, not on every request, when the credentials are missing or unusable.

        Raises ``ValueError`` (no API key, no project, ...) or the error of fetching an
        OAuth token (Vertex AI without an API key).
        """
        import anyio

        async def check() -> None:
            async with self.build() as client:
                await client.warm_up(session=False)

        anyio.run(check)


@dataclass(frozen=True, slots=True)
class RunConfig:
    """The sending settings of a run: model, limits and retries (picklable)."""

    model: str
    client: ClientConfig = field(default_factory=ClientConfig)
    concurrency: int = 64
    rpm: float | None = None
    tpm: float | None = None
    max_attempts: int = 5
    initial_delay: float = 1.0
