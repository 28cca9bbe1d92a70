"""``client.operations``: poll long-running operations (video generation).

``get(operation)`` returns a fresh operation of the same type: on Vertex AI
through the model's ``fetchPredictOperation``, on the Gemini Developer API by
reading the operation resource, as google-genai 3.6.1 does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ._blocking import SyncSurface
from ._types.videos import Operation
from ._unsupported import missing
from ._wire.convert import method_options

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("AsyncOperations", "Operations")

OperationT = TypeVar("OperationT", bound=Operation)


class AsyncOperations:
    """``client.operations``.

    Usage::

        operation = await client.models.generate_videos(model="veo-3.0-generate-001",
                                                        source={"prompt": "a cat"})
        while not operation.done:
            await anyio.sleep(10)
            operation = await client.operations.get(operation)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        self._vertexai = bool(client._api.vertexai)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("operations", name)

    async def get(self, operation: OperationT, *, config: Any = None) -> OperationT:
        """The current state of ``operation`` (a new object of the same type)."""
        name = getattr(operation, "name", None)
        if not name:
            raise ValueError("operations.get: the operation has no name")
        options = method_options(config)
        if self._vertexai:
            resource = name.rpartition("/operations/")[0]
            if not resource:
                raise ValueError(f"operations.get: {name!r} is not the name of a model's operation")
            data, _ = await self._client._call(
                "POST",
                f"{resource}:fetchPredictOperation",
                {"operationName": name},
                options.http_options,
                self._role,
            )
        else:
            data, _ = await self._client._call("GET", name, None, options.http_options, self._role)
        fresh = type(operation).from_api_response(data, is_vertex_ai=self._vertexai)
        assert isinstance(fresh, type(operation))
        return fresh


class Operations(SyncSurface):
    """``Client.operations``: the sync twin of :class:`AsyncOperations`."""

    __slots__ = ()

    _async: AsyncOperations

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("operations", name)

    def get(self, operation: OperationT, *, config: Any = None) -> OperationT:
        """The current state of ``operation``."""
        return self._run(self._async.get, operation, config=config)
