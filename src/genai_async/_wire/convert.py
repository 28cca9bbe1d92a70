"""Request bodies of the ``models`` methods and normalisation of their responses.

Requests (wire.md §5, §7, §8): ``contents`` and ``config`` - plain values,
dicts, our models or google-genai's - become camelCase wire JSON in one pass.
Client-only options (``http_options``, ``should_return_http_response``,
``automatic_function_calling``, ``automatic_continuation``) are taken out and
never sent.

Responses: the decoded JSON is validated once into the typed models
(pydantic-core, by alias); the embedding and model-metadata shapes of the two
backends are first brought to one form.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from .._types.model_info import (
    ComputeTokensResponse,
    CountTokensResponse,
    EmbedContentResponse,
    ListModelsResponse,
    Model,
)
from .._types.response import GenerateContentResponse, HttpResponse
from ..errors import NotProvidedError
from .configs import (
    COMPUTE_TOKENS_CONFIG,
    COUNT_TOKENS_CONFIG,
    EMBED_CONTENT_CONFIG,
    GENERATE_CONTENT_CONFIG,
    LIST_MODELS_CONFIG,
    METHOD_CONFIG,
    UPDATE_MODEL_CONFIG,
)
from .contents import content_to_wire, contents_to_wire
from .schema import parse_structured
from .spec import VERTEX, Ctx, Spec, backend_error

__all__ = (
    "CallOptions",
    "compute_tokens_request",
    "config_body",
    "count_tokens_request",
    "embed_request",
    "generate_request",
    "http_response",
    "list_query",
    "method_options",
    "parse_compute_tokens",
    "parse_count_tokens",
    "parse_embed",
    "parse_generate",
    "parse_generate_json",
    "parse_list",
    "parse_model",
    "update_model_request",
)

logger = logging.getLogger("genai_async")


class CallOptions:
    """What a call's config holds besides the body: per-request HTTP options, the
    schema for ``parsed``, and ``should_return_http_response``."""

    __slots__ = ("http_options", "raw_http", "schema")

    def __init__(self) -> None:
        self.http_options: Any = None
        self.schema: Any = None
        self.raw_http = False


def _pairs(config: Any, spec: Spec) -> Iterable[tuple[str, Any]]:
    if type(config) is dict:
        return config.items()
    if isinstance(config, BaseModel):
        return config.__dict__.items()
    if isinstance(config, Mapping):
        return config.items()
    raise TypeError(
        f"config must be a dict or a types.{spec.name}, not {type(config).__qualname__}"
    )


def _apply_config(
    spec: Spec,
    config: Any,
    ctx: Ctx,
    top: dict[str, Any],
    gen: dict[str, Any] | None,
    options: CallOptions,
) -> None:
    """Convert ``config`` field by field into ``top`` / ``gen`` (``generationConfig``)."""
    fields = spec.fields
    vertex = ctx.vertexai
    json_schema = None
    for key, item in _pairs(config, spec):
        if item is None:
            continue
        f = fields.get(key)
        if f is None:
            raise spec.unknown(key)
        only = f.only
        if only is not None and (only == VERTEX) is not vertex:
            raise backend_error(f, spec, ctx)
        place = f.place
        if place == "client":
            if f.name == "http_options":
                options.http_options = item
            elif f.name == "should_return_http_response":
                options.raw_http = bool(item)
            elif f.name == "automatic_continuation" and item:
                raise NotProvidedError(
                    "automatic_continuation=True (following continuation tokens and merging "
                    "the responses) is not provided by genai_async yet; a response that stops "
                    "with finish_reason CONTINUATION carries its continuation_token: send it "
                    "back with config.continuation_token"
                )
            continue
        if f.name == "response_schema":
            options.schema = item
        elif f.name == "response_json_schema":
            json_schema = item
        value = f.conv(item, ctx)
        if value is None:
            continue
        if place == "gen" and gen is not None:
            gen[f.wire] = value
        else:
            top[f.wire] = value
    if options.schema is None and (
        isinstance(json_schema, dict)
        or (isinstance(json_schema, type) and issubclass(json_schema, BaseModel))
    ):
        options.schema = json_schema


def config_body(
    spec: Spec, config: Any, ctx: Ctx, body: dict[str, Any] | None = None
) -> tuple[dict[str, Any], CallOptions]:
    """``config`` converted field by field into a request body (every field at the
    top), with the call's options."""
    body = {} if body is None else body
    options = CallOptions()
    if config is not None:
        _apply_config(spec, config, ctx, body, None, options)
    return body, options


def method_options(config: Any, spec: Spec = METHOD_CONFIG) -> CallOptions:
    """Options of a method whose config holds only ``http_options`` (models.get)."""
    options = CallOptions()
    if config is not None:
        _apply_config(spec, config, Ctx(False), {}, None, options)
    return options


def generate_request(contents: Any, config: Any, ctx: Ctx) -> tuple[dict[str, Any], CallOptions]:
    """generateContent / streamGenerateContent body (wire.md §5)."""
    body: dict[str, Any] = {"contents": contents_to_wire(contents, ctx)}
    options = CallOptions()
    if config is not None:
        gen: dict[str, Any] = {}
        _apply_config(GENERATE_CONTENT_CONFIG, config, ctx, body, gen, options)
        if gen:
            body["generationConfig"] = gen
    return body, options


def count_tokens_request(
    contents: Any, config: Any, ctx: Ctx
) -> tuple[dict[str, Any], CallOptions]:
    """countTokens body (wire.md §7): Gemini only ``contents``; Vertex AI also
    ``systemInstruction``, ``tools`` and ``generationConfig``."""
    body: dict[str, Any] = {"contents": contents_to_wire(contents, ctx)}
    options = CallOptions()
    if config is not None:
        _apply_config(COUNT_TOKENS_CONFIG, config, ctx, body, None, options)
    return body, options


def compute_tokens_request(
    contents: Any, config: Any, ctx: Ctx
) -> tuple[dict[str, Any], CallOptions]:
    """computeTokens body (Vertex AI): ``contents``."""
    body: dict[str, Any] = {"contents": contents_to_wire(contents, ctx)}
    options = CallOptions()
    if config is not None:
        _apply_config(COMPUTE_TOKENS_CONFIG, config, ctx, body, None, options)
    return body, options


def update_model_request(config: Any, ctx: Ctx) -> tuple[dict[str, Any], CallOptions]:
    """The PATCH body of ``models.update``: the fields of ``config`` that are set."""
    body: dict[str, Any] = {}
    options = CallOptions()
    if config is not None:
        _apply_config(UPDATE_MODEL_CONFIG, config, ctx, body, None, options)
    return body, options


def parse_compute_tokens(data: Any, http: HttpResponse | None) -> ComputeTokensResponse:
    if type(data) is not dict:
        data = {}
    return ComputeTokensResponse.model_validate({**data, "sdkHttpResponse": http})


# -- embeddings (wire.md §8) ------------------------------------------------------------------


def _model_id(model: str) -> str:
    return model.rsplit("/", 1)[-1]


def _multimodal_embedding(model_id: str) -> bool:
    return "gemini" in model_id and not model_id.startswith(
        ("gemini-embedding-001", "gemini-embedding-exp")
    )


def vertex_embed_method(model: str) -> str:
    """``embedContent`` for Gemini embedding models and MaaS models (several
    contents of a Gemini model go to ``batchEmbedContents``); ``predict`` otherwise."""
    model_id = _model_id(model)
    if "gemini" in model_id or "maas" in model_id:
        return "embedContent"
    return "predict"


def _each_content(contents: Any, ctx: Ctx) -> list[dict[str, Any]]:
    if contents is None or (isinstance(contents, (list, tuple)) and not contents):
        raise ValueError("contents are required")
    if isinstance(contents, (list, tuple)):
        return [content_to_wire(item, ctx, what="contents") for item in contents]
    return [content_to_wire(contents, ctx, what="contents")]


_EMBED_CONTENT_KEYS = (
    "taskType",
    "title",
    "outputDimensionality",
    "autoTruncate",
    "documentOcr",
    "audioTrackExtraction",
)


def embed_request(
    model: str, contents: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """The method (``batchEmbedContents``, ``embedContent`` or ``predict``), body and
    options of ``embed_content``. ``model`` is the normalised model path."""
    options = CallOptions()
    cfg: dict[str, Any] = {}
    if config is not None:
        _apply_config(EMBED_CONTENT_CONFIG, config, ctx, cfg, None, options)
    model_id = _model_id(model)
    if not ctx.vertexai:
        if _multimodal_embedding(model_id):
            items = contents_to_wire(contents, ctx)
        else:
            items = _each_content(contents, ctx)
        requests = [{"model": model, "content": item, **cfg} for item in items]
        return "batchEmbedContents", {"requests": requests}, options
    method = vertex_embed_method(model)
    if method == "embedContent":
        if _multimodal_embedding(model_id) or "maas" in model_id:
            items = contents_to_wire(contents, ctx)
        else:
            items = _each_content(contents, ctx)
        settings = {k: cfg[k] for k in _EMBED_CONTENT_KEYS if k in cfg}
        if len(items) > 1 and "maas" not in model_id:
            batch = [
                {"content": item, **({"embedContentConfig": settings} if settings else {})}
                for item in items
            ]
            return "batchEmbedContents", {"requests": batch}, options
        if len(items) != 1:
            raise ValueError(
                f"the embedContent API of {model_id!r} embeds one content per call; "
                f"got {len(items)} (call embed_content once per input)"
            )
        body: dict[str, Any] = {"content": items[0]}
        # mime_type has no place in embedContent; google-genai drops it there too.
        if settings:
            body["embedContentConfig"] = settings
        return method, body, options
    instance_keys = {"taskType": "task_type", "title": "title", "mimeType": "mimeType"}
    extras = {wire: cfg[k] for k, wire in instance_keys.items() if k in cfg}
    instances: list[dict[str, Any]] = []
    for content in _each_content(contents, ctx):
        for part in content.get("parts", ()):
            text = part.get("text")
            if text:
                instances.append({"content": text, **extras})
            else:
                logger.warning("embed_content: a non-text part was dropped (text-only model)")
    body = {"instances": instances}
    parameters = {k: cfg[k] for k in ("outputDimensionality", "autoTruncate") if k in cfg}
    if parameters:
        body["parameters"] = parameters
    return method, body, options


# -- models.list ------------------------------------------------------------------------------


def list_query(config: Any, ctx: Ctx) -> tuple[str, list[tuple[str, str]], CallOptions]:
    """Collection path, query parameters (``pageToken`` last, when the config has
    one) and options of ``models.list``."""
    options = CallOptions()
    values: dict[str, Any] = {}
    if config is not None:
        _apply_config(LIST_MODELS_CONFIG, config, ctx, values, None, options)
    base = values.get("queryBase", True)
    if ctx.vertexai:
        path = "publishers/google/models" if base else "models"
    else:
        path = "models" if base else "tunedModels"
    params: list[tuple[str, str]] = []
    if values.get("pageSize") is not None:
        params.append(("pageSize", str(int(values["pageSize"]))))
    if values.get("filter"):
        params.append(("filter", str(values["filter"])))
    if ctx.vertexai and not base:
        params.append(("filter", "labels.tune-type:*"))
    if values.get("pageToken"):
        params.append(("pageToken", str(values["pageToken"])))
    return path, params, options


# -- responses --------------------------------------------------------------------------------


def http_response(headers: Any) -> HttpResponse:
    """Response headers as google-genai exposes them (``sdk_http_response``); the
    dict is built on first access."""
    return HttpResponse.lazy(headers)


_validate_generate = GenerateContentResponse.__pydantic_validator__.validate_python
_validate_generate_json = GenerateContentResponse.__pydantic_validator__.validate_json


def parse_generate(
    data: Any, http: HttpResponse | None, schema: Any = None
) -> GenerateContentResponse:
    """A generateContent body (or stream event) as a typed response."""
    if type(data) is not dict:
        data = {}
    response: GenerateContentResponse = _validate_generate(data)
    return _finish_generate(response, http, schema)


def parse_generate_json(
    payload: bytes, http: HttpResponse | None, schema: Any = None
) -> GenerateContentResponse | None:
    """A stream event's JSON text straight to a typed response (pydantic-core parses
    and validates in one pass: no intermediate dict). None when it does not
    validate: the caller then takes the :func:`parse_generate` path, whose errors
    (bad JSON, an error event, a field that fails validation) are the ones raised."""
    try:
        response: GenerateContentResponse = _validate_generate_json(payload)
    except ValidationError:
        return None
    return _finish_generate(response, http, schema)


def _finish_generate(
    response: GenerateContentResponse, http: HttpResponse | None, schema: Any
) -> GenerateContentResponse:
    if http is not None:
        # A field value set like pydantic's own model_construct does: no revalidation.
        response.__dict__["sdk_http_response"] = http
    if schema is not None:
        text = response.text
        if text is not None:
            response.parsed = parse_structured(schema, text)
    return response


def parse_count_tokens(data: Any, http: HttpResponse | None) -> CountTokensResponse:
    if type(data) is not dict:
        data = {}
    return CountTokensResponse.model_validate({**data, "sdkHttpResponse": http})


def _embedding_from_single(data: dict[str, Any]) -> dict[str, Any]:
    embedding = dict(data["embedding"]) if isinstance(data["embedding"], dict) else {}
    if "statistics" not in embedding:
        stats: dict[str, Any] = {}
        usage = data.get("usageMetadata")
        if isinstance(usage, dict):
            if usage.get("promptTokenCount"):
                stats["token_count"] = usage["promptTokenCount"]
            if usage.get("promptTokensDetails"):
                stats["tokens_details"] = usage["promptTokensDetails"]
        if data.get("truncated"):
            stats["truncated"] = data["truncated"]
        if stats or usage is not None or "truncated" in data:
            embedding["statistics"] = stats
    return embedding


def parse_embed(data: Any, http: HttpResponse | None) -> EmbedContentResponse:
    """Any embedding response - ``batchEmbedContents`` (``embeddings``),
    ``embedContent`` (``embedding``) or ``predict`` (``predictions``) - as one
    ``EmbedContentResponse`` with ``embeddings`` in input order."""
    if type(data) is not dict:
        data = {}
    out: dict[str, Any] = dict(data)
    if "predictions" in out:
        predictions = out.pop("predictions") or []
        out["embeddings"] = [
            p.get("embeddings", {}) if isinstance(p, dict) else {} for p in predictions
        ]
    elif "embedding" in out and "embeddings" not in out:
        out["embeddings"] = [_embedding_from_single(out)]
        del out["embedding"]
    out["sdkHttpResponse"] = http
    return EmbedContentResponse.model_validate(out)


def _normalise_model(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    out = dict(data)
    if "supportedGenerationMethods" in data and "supportedActions" not in data:
        out["supported_actions"] = out.pop("supportedGenerationMethods")
    if "versionId" in data and "version" not in data:
        out["version"] = out.pop("versionId")
    deployed = data.get("deployedModels")
    if isinstance(deployed, list) and "endpoints" not in data:
        out["endpoints"] = [
            {"name": d.get("endpoint"), "deployed_model_id": d.get("deployedModelId")}
            for d in deployed
            if isinstance(d, dict)
        ]
    labels = data.get("labels")
    base = data.get("baseModel")
    if base is None and isinstance(labels, dict):
        base = labels.get("google-vertex-llm-tuning-base-model-id")
    if "tunedModelInfo" not in data and (
        base is not None or "createTime" in data or "updateTime" in data
    ):
        out["tuned_model_info"] = {
            "base_model": base,
            "create_time": data.get("createTime"),
            "update_time": data.get("updateTime"),
        }
    return out


def parse_model(data: Any) -> Model:
    """A model resource of either backend as a :class:`Model`."""
    return Model.model_validate(_normalise_model(data))


def parse_list(data: Any, http: HttpResponse | None) -> ListModelsResponse:
    """One ``models.list`` page; the items may be under ``models``, ``tunedModels``
    or ``publisherModels`` (none: an empty page)."""
    if type(data) is not dict:
        data = {}
    items: Any = None
    for key in ("models", "tunedModels", "publisherModels"):
        items = data.get(key)
        if items is not None:
            break
    models = [parse_model(item) for item in items or ()]
    extra = {
        k: v
        for k, v in data.items()
        if k not in ("models", "tunedModels", "publisherModels", "nextPageToken")
    }
    return ListModelsResponse.model_validate(
        {
            **extra,
            "models": models,
            "nextPageToken": data.get("nextPageToken"),
            "sdkHttpResponse": http,
        }
    )
