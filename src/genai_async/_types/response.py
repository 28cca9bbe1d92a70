"""Response-side types of ``generate_content``, and ``HttpResponse``: what the API
returns, typed, with nothing dropped.

Every model here keeps fields it does not declare (``model_extra``, wire
names) and shows the whole object in wire form through ``raw``. Counts accept
int64 values sent as JSON strings. ``GenerateContentResponse`` adds the
google-genai conveniences ``text``, ``parts``, ``function_calls``,
``executable_code``, ``code_execution_result`` and ``parsed``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices, Field, PrivateAttr, computed_field, model_validator
from pydantic.version import VERSION as PYDANTIC_VERSION

from .._hooks import request_id
from .base import ResponseModel
from .content import Content, FunctionCall, Part, WireContent
from .enums import (
    BlockedReason,
    FinishReason,
    HarmBlockThreshold,
    HarmCategory,
    HarmProbability,
    HarmSeverity,
    Modality,
    TrafficType,
)

__all__ = (
    "Candidate",
    "Citation",
    "CitationMetadata",
    "GenerateContentResponse",
    "GenerateContentResponsePromptFeedback",
    "GenerateContentResponseUsageMetadata",
    "GroundingMetadata",
    "HttpResponse",
    "LogprobsResult",
    "ModalityTokenCount",
    "SafetyRating",
    "UrlContextMetadata",
)

logger = logging.getLogger("genai_async")


class HttpResponse(ResponseModel):
    """The HTTP side of a result: response ``headers`` (a dict with lower-case names,
    repeated headers joined with ``", "``) and, with ``should_return_http_response``,
    ``body``. The headers dict is built on first access.

    Usage::

        response.sdk_http_response.headers["content-type"]
        response.sdk_http_response.request_id  # the server's x-request-id, or None
    """

    body: str | None = None
    _headers: dict[str, str] | None = PrivateAttr(default=None)
    _source: Any = PrivateAttr(default=None)

    def __init__(self, headers: Mapping[str, str] | None = None, **data: Any) -> None:
        super().__init__(**data)
        if headers is not None:
            self._headers = dict(headers)

    @model_validator(mode="wrap")
    @classmethod
    def _take_headers(cls, data: Any, handler: Any) -> Any:
        headers = None
        if isinstance(data, dict) and "headers" in data:
            data = dict(data)
            headers = data.pop("headers")
        result = handler(data)
        if headers is not None:
            result._headers = dict(headers)
        return result

    @computed_field  # type: ignore[prop-decorator]
    @property
    def headers(self) -> dict[str, str] | None:
        """Response headers: lower-case names, repeated values joined with ``", "``."""
        headers = self._headers
        if headers is None and self._source is not None:
            headers = self._headers = flatten_headers(self._source)
            self._source = None
        return headers

    @property
    def request_id(self) -> str | None:
        """The server's id for this request, when it sent one: the ``x-request-id``
        header, else ``x-goog-request-id`` (read-only; not a field, so dumps and
        equality are google-genai's)."""
        return request_id(self.headers)

    def __getstate__(self) -> dict[Any, Any]:
        _ = self.headers  # the transport's mapping does not pickle; the flat dict does
        return super().__getstate__()

    @classmethod
    def lazy(cls, source: Mapping[str, str]) -> HttpResponse:
        """An HttpResponse over a transport's header mapping, flattened on first use.

        Built by hand, the way pydantic 2's ``model_construct`` lays an instance out
        (``__dict__``, fields set, extra, private): 0.5 us against 2.7 us for
        ``model_construct`` plus two private assignments (pydantic 2.14, this
        project's machine), once per response. Another pydantic major version takes
        the ``model_construct`` path; tests/test_types.py checks both build the same
        model."""
        if not _HAND_BUILT:
            built = cls.model_construct()
            built._headers = None
            built._source = source
            return built
        obj = _new(cls)
        _set(obj, "__dict__", {"body": None})
        _set(obj, "__pydantic_fields_set__", set())
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", {"_headers": None, "_source": source})
        return obj


_new = object.__new__
_set = object.__setattr__
_HAND_BUILT = PYDANTIC_VERSION.startswith("2.")


def flatten_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A header mapping as a plain dict: lower-case names, repeats joined with ``", "``."""
    flat: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        flat[key] = f"{flat[key]}, {value}" if key in flat else value
    return flat


class ModalityTokenCount(ResponseModel):
    """Token count of one modality.

    Usage::

        [(d.modality, d.token_count) for d in usage.prompt_tokens_details or []]
    """

    modality: Modality | None = None
    token_count: int | None = None


class SafetyRating(ResponseModel):
    """A safety rating of a candidate or of the prompt.

    Usage::

        [(r.category, r.probability) for r in candidate.safety_ratings or []]
    """

    blocked: bool | None = None
    category: HarmCategory | None = None
    overwritten_threshold: HarmBlockThreshold | None = None
    probability: HarmProbability | None = None
    probability_score: float | None = None
    severity: HarmSeverity | None = None
    severity_score: float | None = None


class Citation(ResponseModel):
    """A source the candidate quotes.

    Usage::

        [c.uri for c in candidate.citation_metadata.citations or []]
    """

    end_index: int | None = None
    license: str | None = None
    publication_date: Any = None
    start_index: int | None = None
    title: str | None = None
    uri: str | None = None


class CitationMetadata(ResponseModel):
    """Citations of a candidate (the Gemini API's ``citationSources`` land in ``citations``).

    Usage::

        candidate.citation_metadata.citations
    """

    citations: list[Citation] | None = Field(
        default=None, validation_alias=AliasChoices("citations", "citationSources")
    )


class GroundingMetadata(ResponseModel):
    """Grounding details (search queries, chunks, supports). Loosely typed: nested
    values are plain dicts.

    Usage::

        candidate.grounding_metadata.web_search_queries
    """

    image_search_queries: list[str] | None = None
    grounding_chunks: list[Any] | None = None
    grounding_supports: list[Any] | None = None
    retrieval_metadata: Any = None
    search_entry_point: Any = None
    web_search_queries: list[str] | None = None
    google_maps_widget_context_token: str | None = None
    retrieval_queries: list[str] | None = None
    source_flagging_uris: list[Any] | None = None


class LogprobsResult(ResponseModel):
    """Log probabilities of the chosen and top tokens (nested values are dicts).

    Usage::

        candidate.logprobs_result.chosen_candidates
    """

    chosen_candidates: list[Any] | None = None
    top_candidates: list[Any] | None = None
    log_probability_sum: float | None = None


class UrlContextMetadata(ResponseModel):
    """URLs retrieved by the URL-context tool (entries are dicts).

    Usage::

        candidate.url_context_metadata.url_metadata
    """

    url_metadata: list[Any] | None = None


class Candidate(ResponseModel):
    """One generated response variant.

    Usage::

        candidate = response.candidates[0]
        candidate.finish_reason, candidate.content.parts
    """

    content: WireContent | Content | None = Field(default=None, union_mode="left_to_right")
    citation_metadata: CitationMetadata | None = None
    finish_message: str | None = None
    token_count: int | None = None
    finish_reason: FinishReason | None = None
    grounding_metadata: GroundingMetadata | None = None
    avg_logprobs: float | None = None
    index: int | None = None
    logprobs_result: LogprobsResult | None = None
    safety_ratings: list[SafetyRating] | None = None
    url_context_metadata: UrlContextMetadata | None = None
    continuation_token: Any = None


class GenerateContentResponsePromptFeedback(ResponseModel):
    """Why the prompt was blocked, when it was.

    Usage::

        if response.prompt_feedback and response.prompt_feedback.block_reason: ...
    """

    block_reason: BlockedReason | None = None
    block_reason_message: str | None = None
    safety_ratings: list[SafetyRating] | None = None


class GenerateContentResponseUsageMetadata(ResponseModel):
    """Token usage of a ``generateContent`` call (cumulative in streams).

    Usage::

        response.usage_metadata.total_token_count
    """

    cache_tokens_details: list[ModalityTokenCount] | None = None
    cached_content_token_count: int | None = None
    candidates_token_count: int | None = None
    candidates_tokens_details: list[ModalityTokenCount] | None = None
    prompt_token_count: int | None = None
    prompt_tokens_details: list[ModalityTokenCount] | None = None
    thoughts_token_count: int | None = None
    tool_use_prompt_token_count: int | None = None
    tool_use_prompt_tokens_details: list[ModalityTokenCount] | None = None
    total_token_count: int | None = None
    traffic_type: TrafficType | None = None


class GenerateContentResponse(ResponseModel):
    """The result of ``generate_content`` (or one chunk of a stream).

    Usage::

        response = await client.models.generate_content(model="gemini-2.5-flash", contents="Hi")
        print(response.text)
        response.usage_metadata.total_token_count
        response.sdk_http_response.headers
        response.model_extra  # fields this library does not know yet
    """

    sdk_http_response: HttpResponse | None = None
    candidates: list[Candidate] | None = None
    create_time: datetime.datetime | None = None
    model_version: str | None = None
    prompt_feedback: GenerateContentResponsePromptFeedback | None = None
    response_id: str | None = None
    usage_metadata: GenerateContentResponseUsageMetadata | None = None
    model_status: Any = None
    automatic_function_calling_history: list[Content] | None = None
    parsed: Any = None

    def _first_parts(self) -> list[Part] | None:
        candidates = self.candidates
        if not candidates:
            return None
        content = candidates[0].content
        if content is None:
            return None
        return content.parts

    @property
    def parts(self) -> list[Part] | None:
        """The parts of the first candidate."""
        return self._first_parts()

    @property
    def text(self) -> str | None:
        """The text parts of the first candidate joined (thoughts excluded);
        ``None`` when it has no text part."""
        parts = self._first_parts()
        if not parts:
            return None
        pieces: list[str] = []
        found = False
        for part in parts:
            text = part.text
            if text is None or part.thought:
                continue
            found = True
            pieces.append(text)
        return "".join(pieces) if found else None

    @property
    def function_calls(self) -> list[FunctionCall] | None:
        """The function calls of the first candidate, or ``None``."""
        parts = self._first_parts()
        if not parts:
            return None
        calls = [part.function_call for part in parts if part.function_call is not None]
        return calls or None

    @property
    def executable_code(self) -> str | None:
        """The code of the first executable-code part of the first candidate."""
        for part in self._first_parts() or ():
            if part.executable_code is not None:
                return part.executable_code.code
        return None

    @property
    def code_execution_result(self) -> str | None:
        """The output of the first code-execution result of the first candidate."""
        for part in self._first_parts() or ():
            if part.code_execution_result is not None:
                return part.code_execution_result.output
        return None
