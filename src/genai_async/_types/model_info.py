"""Response-side types of ``count_tokens``, ``embed_content``, ``get`` and ``list``.

Like every response model, they keep fields they do not declare.
"""

from __future__ import annotations

import datetime
from typing import Any

from .base import ResponseModel, WireBytes
from .response import HttpResponse, ModalityTokenCount

__all__ = (
    "Checkpoint",
    "ComputeTokensResponse",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "CountTokensResponse",
    "DeleteModelResponse",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "Endpoint",
    "ListModelsResponse",
    "Model",
    "TokensInfo",
    "TunedModelInfo",
)


class CountTokensResponse(ResponseModel):
    """The result of ``count_tokens``.

    Usage::

        (await client.models.count_tokens(model="gemini-2.5-flash", contents="Hi")).total_tokens
    """

    sdk_http_response: HttpResponse | None = None
    total_tokens: int | None = None
    cached_content_token_count: int | None = None
    total_billable_characters: int | None = None
    prompt_tokens_details: list[ModalityTokenCount] | None = None


class TokensInfo(ResponseModel):
    """The tokens of one content of ``compute_tokens``: ids and token bytes."""

    role: str | None = None
    token_ids: list[int] | None = None
    tokens: list[WireBytes] | None = None


class ComputeTokensResponse(ResponseModel):
    """The result of ``compute_tokens`` (Vertex AI): ``tokens_info`` per content.

    Usage::

        response.tokens_info[0].tokens
    """

    sdk_http_response: HttpResponse | None = None
    tokens_info: list[TokensInfo] | None = None


class DeleteModelResponse(ResponseModel):
    """The result of ``models.delete``: only the HTTP response."""

    sdk_http_response: HttpResponse | None = None


class ContentEmbeddingStatistics(ResponseModel):
    """Statistics of one embedding (Vertex AI): token count and truncation.

    Usage::

        response.embeddings[0].statistics.token_count
    """

    truncated: bool | None = None
    token_count: float | None = None
    tokens_details: list[ModalityTokenCount] | None = None


class ContentEmbedding(ResponseModel):
    """One embedding vector.

    Usage::

        vector = response.embeddings[0].values
    """

    values: list[float] | None = None
    statistics: ContentEmbeddingStatistics | None = None


class EmbedContentMetadata(ResponseModel):
    """Request-level embedding metadata (Vertex AI).

    Usage::

        response.metadata.billable_character_count
    """

    billable_character_count: int | None = None


class EmbedContentResponse(ResponseModel):
    """The result of ``embed_content``: one embedding per input, in order, whatever
    endpoint produced it.

    Usage::

        response = await client.models.embed_content(model="text-embedding-004", contents=["a", "b"])
        [e.values for e in response.embeddings]
    """

    sdk_http_response: HttpResponse | None = None
    embeddings: list[ContentEmbedding] | None = None
    metadata: EmbedContentMetadata | None = None
    truncated: bool | None = None
    usage_metadata: Any = None


class Endpoint(ResponseModel):
    """A Vertex AI endpoint a tuned model is deployed to.

    Usage::

        [e.name for e in model.endpoints or []]
    """

    name: str | None = None
    deployed_model_id: str | None = None


class TunedModelInfo(ResponseModel):
    """Base model and times of a tuned model.

    Usage::

        model.tuned_model_info.base_model
    """

    base_model: str | None = None
    create_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None


class Checkpoint(ResponseModel):
    """A checkpoint of a Vertex AI tuned model.

    Usage::

        [c.checkpoint_id for c in model.checkpoints or []]
    """

    checkpoint_id: str | None = None
    epoch: int | None = None
    step: int | None = None


class Model(ResponseModel):
    """Metadata of a model (base or tuned). ``supported_actions`` holds the Gemini
    API's ``supportedGenerationMethods``; ``version`` Vertex AI's ``versionId``.

    Usage::

        model = await client.models.get(model="gemini-2.5-flash")
        model.input_token_limit, model.supported_actions
    """

    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    version: str | None = None
    endpoints: list[Endpoint] | None = None
    labels: dict[str, str] | None = None
    tuned_model_info: TunedModelInfo | None = None
    input_token_limit: int | None = None
    output_token_limit: int | None = None
    supported_actions: list[str] | None = None
    default_checkpoint_id: str | None = None
    checkpoints: list[Checkpoint] | None = None
    temperature: float | None = None
    max_temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    thinking: bool | None = None


class ListModelsResponse(ResponseModel):
    """One page of ``models.list``.

    Usage::

        page.models, page.next_page_token
    """

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    models: list[Model] | None = None
