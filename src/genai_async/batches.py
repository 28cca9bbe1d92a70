"""``client.batches``: the server-side Batch API on both APIs (create,
create_embeddings, get, cancel, list, delete).

The Gemini Developer API takes inlined requests or an uploaded JSONL file
(``files/…``); Vertex AI takes Cloud Storage (``gs://…``), BigQuery
(``bq://…``) or a multimodal dataset, and writes to ``config.dest`` (derived
from the source when not given, as google-genai derives it). Job names are
completed as google-genai completes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from ._blocking import SyncSurface
from ._types.batches import BatchJob, DeleteResourceJob, ListBatchJobsResponse
from ._unsupported import missing
from ._wire.batches import (
    CANCEL_BATCH_JOB_CONFIG,
    DELETE_BATCH_JOB_CONFIG,
    GET_BATCH_JOB_CONFIG,
    batch_job_path,
    create_embeddings_request,
    create_request,
    list_query,
    parse_batch_job,
    parse_delete,
    parse_list,
)
from ._wire.convert import http_response, method_options
from ._wire.spec import Ctx
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("AsyncBatches", "Batches")


class AsyncBatches:
    """``client.batches``.

    Usage::

        job = await client.batches.create(
            model="gemini-2.5-flash",
            src=[{"contents": "Tell me a joke", "metadata": {"id": "1"}}],
            config={"display_name": "jokes"},
        )
        job = await client.batches.get(name=job.name)
        if job.done:
            for item in job.dest.inlined_responses:
                print(item.metadata, item.response.text)
        async for j in await client.batches.list(config={"page_size": 10}):
            print(j.name, j.state)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        api = client._api
        self._vertexai = bool(api.vertexai)
        self._ctx = Ctx(self._vertexai, api.project, api.location)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("batches", name)

    async def create(self, *, model: str, src: Any, config: Any = None) -> BatchJob:
        """Start a batch job of ``model`` over ``src``: a list of inlined requests or
        a ``files/…`` name (Gemini API); a ``gs://…`` or ``bq://…`` URI (Vertex AI);
        or a ``types.BatchJobSource``."""
        path, body, options = create_request(model, src, config, self._ctx)
        data, _ = await self._client._call("POST", path, body, options.http_options, self._role)
        return parse_batch_job(data, self._vertexai)

    async def create_embeddings(self, *, model: str, src: Any, config: Any = None) -> BatchJob:
        """Start an embeddings batch job (Gemini API): ``src`` is a
        ``types.EmbeddingsBatchJobSource`` (``file_name`` or ``inlined_requests``)."""
        path, body, options = create_embeddings_request(model, src, config, self._ctx)
        data, _ = await self._client._call("POST", path, body, options.http_options, self._role)
        return parse_batch_job(data, self._vertexai)

    async def get(self, *, name: str, config: Any = None) -> BatchJob:
        """A batch job's state and, once it has ended, where its results are."""
        options = method_options(config, GET_BATCH_JOB_CONFIG)
        data, _ = await self._client._call(
            "GET", batch_job_path(name, self._ctx), None, options.http_options, self._role
        )
        return parse_batch_job(data, self._vertexai)

    async def cancel(self, *, name: str, config: Any = None) -> None:
        """Cancel a pending or running batch job."""
        options = method_options(config, CANCEL_BATCH_JOB_CONFIG)
        path = batch_job_path(name, self._ctx) + ":cancel"
        await self._client._call("POST", path, None, options.http_options, self._role)

    async def delete(self, *, name: str, config: Any = None) -> DeleteResourceJob:
        """Delete a batch job."""
        options = method_options(config, DELETE_BATCH_JOB_CONFIG)
        data, headers = await self._client._call(
            "DELETE", batch_job_path(name, self._ctx), None, options.http_options, self._role
        )
        return parse_delete(data, http_response(headers))

    async def list(self, *, config: Any = None) -> AsyncPager[BatchJob]:
        """The batch jobs, page by page (``page_size``, ``page_token``; Vertex AI
        also ``filter``)."""
        path, params, first_token, options = list_query(config, self._ctx)
        http_options = options.http_options
        client, role, vertexai = self._client, self._role, self._vertexai

        async def fetch(token: str | None) -> ListBatchJobsResponse:
            query = list(params)
            if token:
                query.append(("pageToken", token))
            target = f"{path}?{urlencode(query, quote_via=quote)}" if query else path
            data, headers = await client._call("GET", target, None, http_options, role)
            return parse_list(data, vertexai, http_response(headers))

        first = await fetch(first_token)
        return AsyncPager("batch_jobs", fetch, first, config_dict(config))


class Batches(SyncSurface):
    """``Client.batches``: the sync twin of :class:`AsyncBatches`."""

    __slots__ = ()

    _async: AsyncBatches

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("batches", name)

    def create(self, *, model: str, src: Any, config: Any = None) -> BatchJob:
        """Start a batch job of ``model`` over ``src``."""
        return self._run(self._async.create, model=model, src=src, config=config)

    def create_embeddings(self, *, model: str, src: Any, config: Any = None) -> BatchJob:
        """Start an embeddings batch job (Gemini API)."""
        return self._run(self._async.create_embeddings, model=model, src=src, config=config)

    def get(self, *, name: str, config: Any = None) -> BatchJob:
        """A batch job's state."""
        return self._run(self._async.get, name=name, config=config)

    def cancel(self, *, name: str, config: Any = None) -> None:
        """Cancel a pending or running batch job."""
        return self._run(self._async.cancel, name=name, config=config)

    def delete(self, *, name: str, config: Any = None) -> DeleteResourceJob:
        """Delete a batch job."""
        return self._run(self._async.delete, name=name, config=config)

    def list(self, *, config: Any = None) -> Pager[BatchJob]:
        """The batch jobs, page by page."""
        return Pager(self._lease, self._run(self._async.list, config=config))
