"""Types of the server-side Batch API (``client.batches``): ``BatchJob``, its sources,
destinations and configs.

A batch job runs many requests at a reduced price, asynchronously. On the Gemini
Developer API the requests are inlined (``InlinedRequest``) or in an uploaded
JSONL file (``files/…``); on Vertex AI they are in Cloud Storage (``gs://…``), a
BigQuery table (``bq://…``) or a Vertex AI multimodal dataset.
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from .._options import HttpOptions, HttpOptionsDict
from .base import CaseInsensitiveEnum, RequestModel, ResponseModel
from .config import EmbedContentConfig, GenerateContentConfig
from .model_info import ContentEmbedding
from .response import GenerateContentResponse, HttpResponse

__all__ = (
    "BatchJob",
    "BatchJobDestination",
    "BatchJobDestinationDict",
    "BatchJobOutputInfo",
    "BatchJobSource",
    "BatchJobSourceDict",
    "CancelBatchJobConfig",
    "CancelBatchJobConfigDict",
    "CompletionStats",
    "CreateBatchJobConfig",
    "CreateBatchJobConfigDict",
    "CreateEmbeddingsBatchJobConfig",
    "CreateEmbeddingsBatchJobConfigDict",
    "DeleteBatchJobConfig",
    "DeleteBatchJobConfigDict",
    "DeleteResourceJob",
    "EmbedContentBatch",
    "EmbedContentBatchDict",
    "EmbeddingsBatchJobSource",
    "EmbeddingsBatchJobSourceDict",
    "GetBatchJobConfig",
    "GetBatchJobConfigDict",
    "InlinedEmbedContentResponse",
    "InlinedRequest",
    "InlinedRequestDict",
    "InlinedResponse",
    "JobError",
    "JobState",
    "ListBatchJobsConfig",
    "ListBatchJobsConfigDict",
    "ListBatchJobsResponse",
    "SingleEmbedContentResponse",
    "VertexMultimodalDatasetDestination",
    "VertexMultimodalDatasetDestinationDict",
    "WebhookConfig",
    "WebhookConfigDict",
)


class JobState(CaseInsensitiveEnum):
    """The state of a batch job (the Gemini API's ``BATCH_STATE_*`` values are
    reported under these names)."""

    JOB_STATE_UNSPECIFIED = "JOB_STATE_UNSPECIFIED"
    JOB_STATE_QUEUED = "JOB_STATE_QUEUED"
    JOB_STATE_PENDING = "JOB_STATE_PENDING"
    JOB_STATE_RUNNING = "JOB_STATE_RUNNING"
    JOB_STATE_SUCCEEDED = "JOB_STATE_SUCCEEDED"
    JOB_STATE_FAILED = "JOB_STATE_FAILED"
    JOB_STATE_CANCELLING = "JOB_STATE_CANCELLING"
    JOB_STATE_CANCELLED = "JOB_STATE_CANCELLED"
    JOB_STATE_PAUSED = "JOB_STATE_PAUSED"
    JOB_STATE_EXPIRED = "JOB_STATE_EXPIRED"
    JOB_STATE_UPDATING = "JOB_STATE_UPDATING"
    JOB_STATE_PARTIALLY_SUCCEEDED = "JOB_STATE_PARTIALLY_SUCCEEDED"


# The states after which a job no longer changes (google-genai's list, which also
# names two Gemini operation states).
_ENDED_STATES = frozenset(
    (
        "JOB_STATE_SUCCEEDED",
        "JOB_STATE_FAILED",
        "JOB_STATE_CANCELLED",
        "JOB_STATE_EXPIRED",
        "ACTIVE",
        "FAILED",
    )
)


# -- request side ------------------------------------------------------------------------------


class InlinedRequest(RequestModel):
    """One request of an inlined Gemini API batch: ``contents`` and a
    ``GenerateContentConfig``, with optional ``metadata`` echoed in its response.

    Usage::

        types.InlinedRequest(contents="Tell me a joke", metadata={"id": "1"},
                             config={"temperature": 0.2})
    """

    model: str | None = None
    contents: Any = None
    metadata: dict[str, str] | None = None
    config: GenerateContentConfig | None = None


class BatchJobSource(RequestModel):
    """Where a batch job reads its requests from: exactly one of ``inlined_requests``
    or ``file_name`` (Gemini API), or ``gcs_uri``, ``bigquery_uri`` or
    ``vertex_dataset_name`` (Vertex AI, with ``format``)."""

    format: str | None = None
    gcs_uri: list[str] | None = None
    bigquery_uri: str | None = None
    file_name: str | None = None
    inlined_requests: list[InlinedRequest] | None = None
    vertex_dataset_name: str | None = None


class VertexMultimodalDatasetDestination(RequestModel):
    """A Vertex AI multimodal dataset a batch job writes to."""

    bigquery_destination: str | None = None
    display_name: str | None = None


class WebhookConfig(RequestModel):
    """Webhook endpoints notified when a Gemini API batch job completes."""

    uris: list[str] | None = None
    user_metadata: dict[str, Any] | None = None


class EmbedContentBatch(RequestModel):
    """The inlined requests of an embeddings batch: ``contents`` (one content each)
    and the ``EmbedContentConfig`` applied to all."""

    contents: Any = None
    config: EmbedContentConfig | None = None


class EmbeddingsBatchJobSource(RequestModel):
    """Where an embeddings batch job reads its requests from: ``file_name`` or
    ``inlined_requests``."""

    file_name: str | None = None
    inlined_requests: EmbedContentBatch | None = None


# -- response side -----------------------------------------------------------------------------


class JobError(ResponseModel):
    """Why a job (or one of its requests) failed: a status ``code``, ``message``
    and ``details``."""

    details: list[Any] | None = None
    code: int | None = None
    message: str | None = None


class InlinedResponse(ResponseModel):
    """The result of one inlined request: its ``response`` or ``error``, and the
    request's ``metadata``."""

    response: GenerateContentResponse | None = None
    metadata: dict[str, str] | None = None
    error: JobError | None = None


class SingleEmbedContentResponse(ResponseModel):
    """One embedding of an embeddings batch."""

    embedding: ContentEmbedding | None = None
    token_count: int | None = None


class InlinedEmbedContentResponse(ResponseModel):
    """The result of one inlined embedding request."""

    response: SingleEmbedContentResponse | None = None
    error: JobError | None = None
    metadata: dict[str, Any] | None = None


class BatchJobDestination(RequestModel):
    """Where a batch job writes its results.

    Given as ``CreateBatchJobConfig.dest`` on Vertex AI (``format`` with
    ``gcs_uri`` or ``bigquery_uri``, or ``vertex_dataset``); read from
    ``BatchJob.dest``, which on the Gemini API holds ``file_name`` or the
    ``inlined_responses`` (``inlined_embed_content_responses`` for embeddings).
    """

    format: str | None = None
    gcs_uri: str | None = None
    bigquery_uri: str | None = None
    file_name: str | None = None
    inlined_responses: list[InlinedResponse] | None = None
    inlined_embed_content_responses: list[InlinedEmbedContentResponse] | None = None
    vertex_dataset: VertexMultimodalDatasetDestination | None = None


# -- configs ---------------------------------------------------------------------------------


class CreateBatchJobConfig(RequestModel):
    """Options of ``batches.create``: ``display_name``; on Vertex AI ``dest`` (a
    ``gs://`` or ``bq://`` URI or a ``BatchJobDestination``); on the Gemini API
    ``webhook_config``."""

    http_options: HttpOptions | None = None
    display_name: str | None = None
    dest: BatchJobDestination | str | None = None
    webhook_config: WebhookConfig | None = None


class CreateEmbeddingsBatchJobConfig(RequestModel):
    """Options of ``batches.create_embeddings``."""

    http_options: HttpOptions | None = None
    display_name: str | None = None


class GetBatchJobConfig(RequestModel):
    """Options of ``batches.get``."""

    http_options: HttpOptions | None = None


class CancelBatchJobConfig(RequestModel):
    """Options of ``batches.cancel``."""

    http_options: HttpOptions | None = None


class DeleteBatchJobConfig(RequestModel):
    """Options of ``batches.delete``."""

    http_options: HttpOptions | None = None


class ListBatchJobsConfig(RequestModel):
    """Options of ``batches.list``: ``page_size``, ``page_token`` and (Vertex AI)
    ``filter``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None


class CompletionStats(ResponseModel):
    """How many requests of a Vertex AI batch job succeeded, failed or are left."""

    failed_count: int | None = None
    incomplete_count: int | None = None
    successful_count: int | None = None
    successful_forecast_point_count: int | None = None


class BatchJobOutputInfo(ResponseModel):
    """Where a Vertex AI batch job's output landed."""

    vertex_multimodal_dataset_name: str | None = None
    gcs_output_directory: str | None = None
    bigquery_output_table: str | None = None


class BatchJob(ResponseModel):
    """A batch job of either API.

    Usage::

        job = await client.batches.create(model="gemini-2.5-flash", src=[
            {"contents": "Tell me a joke"}, {"contents": "Tell me a story"},
        ])
        while not (job := await client.batches.get(name=job.name)).done:
            await asyncio.sleep(30)
        for item in job.dest.inlined_responses:
            print(item.response.text if item.response else item.error)
    """

    name: str | None = None
    display_name: str | None = None
    state: JobState | None = None
    error: JobError | None = None
    create_time: datetime.datetime | None = None
    start_time: datetime.datetime | None = None
    end_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None
    model: str | None = None
    src: BatchJobSource | None = None
    dest: BatchJobDestination | None = None
    completion_stats: CompletionStats | None = None
    output_info: BatchJobOutputInfo | None = None

    @property
    def done(self) -> bool:
        """Whether the job has ended (succeeded, failed, was cancelled or expired)."""
        if self.state is None:
            return False
        return self.state.name in _ENDED_STATES


class ListBatchJobsResponse(ResponseModel):
    """One page of ``batches.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    batch_jobs: list[BatchJob] | None = None


class DeleteResourceJob(ResponseModel):
    """The result of ``batches.delete``: the deletion operation, if the API returns one."""

    sdk_http_response: HttpResponse | None = None
    name: str | None = None
    done: bool | None = None
    error: JobError | None = None


# -- TypedDict twins -----------------------------------------------------------------------------


class InlinedRequestDict(TypedDict, total=False):
    model: str
    contents: Any
    metadata: dict[str, str]
    config: Any


class BatchJobSourceDict(TypedDict, total=False):
    format: str
    gcs_uri: list[str]
    bigquery_uri: str
    file_name: str
    inlined_requests: list[InlinedRequestDict | InlinedRequest]
    vertex_dataset_name: str


class VertexMultimodalDatasetDestinationDict(TypedDict, total=False):
    bigquery_destination: str
    display_name: str


class BatchJobDestinationDict(TypedDict, total=False):
    format: str
    gcs_uri: str
    bigquery_uri: str
    file_name: str
    vertex_dataset: VertexMultimodalDatasetDestinationDict | VertexMultimodalDatasetDestination


class WebhookConfigDict(TypedDict, total=False):
    uris: list[str]
    user_metadata: dict[str, Any]


class EmbedContentBatchDict(TypedDict, total=False):
    contents: Any
    config: Any


class EmbeddingsBatchJobSourceDict(TypedDict, total=False):
    file_name: str
    inlined_requests: EmbedContentBatchDict | EmbedContentBatch


class CreateBatchJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    display_name: str
    dest: BatchJobDestinationDict | BatchJobDestination | str
    webhook_config: WebhookConfigDict | WebhookConfig


class CreateEmbeddingsBatchJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    display_name: str


class GetBatchJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class CancelBatchJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class DeleteBatchJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class ListBatchJobsConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    page_size: int
    page_token: str
    filter: str
